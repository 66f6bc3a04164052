"""The signals between the kiosk's parts and its widgets, connected in this one place: who answers what.

The logic (visit, staff access, warm-up, idle policy, input filters) emits signals and the widgets
emit requests; neither knows the other. `wire` connects what exists from the start; each widget
built later (the header, the screens, the dialogs) is connected by the function named for it,
called where it is built.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from kiosk.app import Kiosk
    from kiosk.screens.attract import AttractScreen
    from kiosk.screens.home import HomeScreen
    from kiosk.screens.overlay import IdleOverlay
    from kiosk.screens.staff import PinPad, StaffPanel
    from kiosk.screens.topic import TopicScreen
    from kiosk.widgets.header import SettingsBar
    from kiosk.widgets.options import AccessOptions


def wire(kiosk: Kiosk) -> None:
    navigator, i18n, policy, speech, visit = kiosk.navigator, kiosk.i18n, kiosk.policy, kiosk.speech, kiosk.visit

    navigator.about_to_show.connect(kiosk.uncover_header)
    navigator.current_changed.connect(visit.screen_shown)

    # What assistive technology hears: the screen's name, in the visitor's language and voice.
    i18n.language_changed.connect(kiosk.speak_the_visitors_language)
    i18n.language_changed.connect(kiosk.name_window)
    navigator.current_changed.connect(kiosk.name_window)
    kiosk.scanner.pressed.connect(visit.switch_pressed)
    if kiosk.dwell is not None:
        kiosk.dwell.dwelled.connect(visit.activity)

    kiosk.activity.activity.connect(visit.activity)
    policy.warning_started.connect(visit.show_idle_warning)
    policy.countdown_changed.connect(visit.show_countdown)
    policy.warning_cancelled.connect(visit.hide_idle_warning)
    policy.timed_out.connect(visit.reset)

    kiosk.staff_gesture.requested.connect(kiosk.staff_access.open)
    kiosk.staff_access.exit_requested.connect(kiosk.quit)
    # New content: the header offers the languages now complete, and every screen is built again.
    kiosk.staff_access.reloaded.connect(lambda: kiosk.header.languages.rebuild())
    kiosk.staff_access.reloaded.connect(lambda: navigator.drop(list(navigator.built)))
    kiosk.staff_access.reloaded.connect(kiosk.warm_up_work.rebuild_dropped)
    visit.screens_dropped.connect(kiosk.warm_up_work.rebuild_dropped)

    # The visitor is listening, not gone; and speech never outlives what it reads.
    speech.speaking_changed.connect(lambda speaking: policy.pause() if speaking else policy.resume())
    i18n.language_changed.connect(speech.stop)
    i18n.language_changed.connect(kiosk.warm_up_work.catch_up_language)
    navigator.current_changed.connect(speech.stop)


def wire_display_choices(kiosk: Kiosk, bar: SettingsBar | AccessOptions) -> None:
    bar.text_size_requested.connect(kiosk.visit.set_text_size)
    bar.high_contrast_requested.connect(kiosk.visit.set_high_contrast)


def wire_header(kiosk: Kiosk, header: SettingsBar) -> None:
    header.language_requested.connect(kiosk.visit.choose_language)
    header.languages.language_pressed.connect(kiosk.visit.prepare_switch)
    header.languages.let_go.connect(kiosk.visit.let_go_of_switch)
    wire_display_choices(kiosk, header)


def wire_attract_screen(kiosk: Kiosk, screen: AttractScreen, options: AccessOptions) -> None:
    wire_display_choices(kiosk, options)
    options.scanning_requested.connect(kiosk.scanner.set_enabled)
    screen.language_chosen.connect(kiosk.visit.start_session)
    screen.language_pressed.connect(kiosk.visit.prepare_session)
    screen.let_go.connect(kiosk.visit.let_go)


def wire_home_screen(kiosk: Kiosk, screen: HomeScreen) -> None:
    screen.topic_requested.connect(kiosk.visit.open_topic)
    screen.topic_pressed.connect(kiosk.visit.prepare_topic)
    screen.let_go.connect(kiosk.visit.let_go_of_screen)


def wire_topic_screen(kiosk: Kiosk, screen: TopicScreen) -> None:
    screen.topic_requested.connect(kiosk.visit.open_topic)
    screen.back_requested.connect(kiosk.navigator.back)
    screen.home_requested.connect(kiosk.navigator.home)
    screen.topic_pressed.connect(kiosk.visit.prepare_topic)
    screen.back_pressed.connect(kiosk.visit.prepare_back)
    screen.home_pressed.connect(kiosk.visit.prepare_home)
    screen.let_go.connect(kiosk.visit.let_go_of_screen)


def wire_idle_overlay(kiosk: Kiosk, overlay: IdleOverlay) -> None:
    kiosk.activity.exempt.append(overlay)  # its taps choose Keep reading or Start over; not activity as such
    overlay.keep_requested.connect(kiosk.policy.activity)
    overlay.start_over_requested.connect(kiosk.policy.expire_now)


def wire_pin_pad(kiosk: Kiosk, pad: PinPad) -> None:
    pad.accepted.connect(kiosk.staff_access.open_panel)


def wire_staff_panel(kiosk: Kiosk, panel: StaffPanel) -> None:
    panel.exit_requested.connect(kiosk.staff_access.exit_to_desktop)
    panel.reload_requested.connect(kiosk.staff_access.reload)
