"""Frame detection and an event-loop driver shared by the child processes.

A *frame* is one delivery of UpdateRequest / Expose / Paint to the top-level window (the QWidget or its
QWindow) during which the widget tree was painted into the backing store and flushed to the platform.
The probe delivers that event itself (`watched.event(event)`) from inside its event filter and notes the
time when the call returns, i.e. when the natural paint and the flush are complete. Nothing forces a paint:
it only times the ones Qt does on its own.

A delivery counts as a frame only if a watched widget received a Paint event during it (the window's own
children, the screens in the navigator's stack, including ones added later, their scroll areas' viewports
and content from their first show on, and anything passed to `watch()`): an UpdateRequest that repaints
nothing is not a frame. (Scroll content that fills itself, while a flick moves it, is painted without its
screen. Watching every widget would time a Python call for each event each of them gets.) Each frame also
records what `context()` returned when it started (the screen on show), so a wait can ask for "the first frame
that shows screen X". This module imports only QtCore, so the bare baseline window uses it at no extra cost.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Generator

from PySide6.QtCore import QEvent, QObject, QTimer

FRAME_EVENTS = (QEvent.Type.UpdateRequest, QEvent.Type.Expose, QEvent.Type.Paint)


class Frame:
    __slots__ = ("context", "end", "painted", "start")

    def __init__(self, start: float, end: float, painted: set[int], context: int | None):
        self.start, self.end, self.painted, self.context = start, end, painted, context


class FrameProbe(QObject):
    def __init__(self, clock: Callable[[], float] = time.monotonic, keep: int = 64):
        super().__init__()
        self.clock = clock
        self.frames: list[Frame] = []
        self.keep = keep
        self.frame_count = 0
        self.on_frame: Callable[[Frame], None] | None = None
        self._tops: set[int] = set()
        self._containers: set[int] = set()
        self._screens: set[int] = set()  # children of a watched container, whose viewports are watched once shown
        self._depth = 0
        self._painted: set[int] = set()
        self._keepalive: list[QObject] = []
        self.context: Callable[[], object] | None = None
        self._window: QObject | None = None
        self._loose: tuple[float, int | None] | None = None
        self.loose_frames = 0  # frames painted outside a delivery to the window (see eventFilter)

    # -- wiring -----------------------------------------------------------------------------

    def attach(self, window, context: Callable[[], object] | None = None) -> None:
        """Time the frames of top-level `window`; watch its child widgets. Call it before show().

        `context()` is called at the start of each frame; the id of what it returns is kept with the frame.
        Since the probe consumes the frame events it delivers itself, it must be the last filter to see
        them: filters run newest first, so attaching before show() (before the app installs its own
        filters on the window's QWindow) keeps theirs working. The QWindow is picked up when it is
        created (WinIdChange).
        """
        self.context = context
        self._window = window
        self.watch(window)
        for child in window.children():
            if child.isWidgetType():
                self.watch(child)
        self._add_top(window)
        if window.windowHandle() is not None:
            self._add_top(window.windowHandle())

    def _add_top(self, target) -> None:
        if id(target) not in self._tops:
            self._tops.add(id(target))
            self._keepalive.append(target)
            target.installEventFilter(self)

    def watch(self, widget) -> None:
        """Note when `widget` is painted (receives a Paint event)."""
        widget.installEventFilter(self)

    def watch_children(self, container) -> None:
        """Watch every child widget of `container` (a QStackedWidget), now and when added later."""
        self._containers.add(id(container))
        self._keepalive.append(container)
        container.installEventFilter(self)
        for child in container.children():
            if child.isWidgetType():
                self.watch(child)
                self._screens.add(id(child))

    # -- the filter -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind == QEvent.Type.WinIdChange and watched is self._window and watched.windowHandle() is not None:
            self._add_top(watched.windowHandle())
            return False
        if kind == QEvent.Type.ChildAdded and id(watched) in self._containers:
            child = event.child()
            if child is not None and child.isWidgetType():
                self.watch(child)
                self._screens.add(id(child))
            return False
        if kind == QEvent.Type.Show and id(watched) in self._screens:
            self._screens.discard(id(watched))  # its widgets exist once it shows (built in parts before)
            for viewport in watched.findChildren(QObject, "qt_scrollarea_viewport"):
                self.watch(viewport)
                for content in viewport.children():  # opaque during a flick: then painted without its viewport
                    if content.isWidgetType():
                        self.watch(content)
            return False
        if kind not in FRAME_EVENTS:
            return False
        if kind == QEvent.Type.Paint and watched.isWidgetType():
            self._painted.add(id(watched))
            if not self._depth and not self._loose:
                # A paint outside a delivery to the window: Qt synced the backing store from an
                # UpdateRequest sent to some other widget. Its end is stamped from the event loop,
                # right after the handler that paints and flushes returns.
                self._loose = (self.clock(), id(self.context()) if self.context is not None else None)
                QTimer.singleShot(0, self._close_loose)
            return False
        if id(watched) not in self._tops or self._depth:
            return False
        # A frame delivery to the window: run it here to time its end.
        self._close_loose()
        self._depth += 1
        self._painted = set()
        context = id(self.context()) if self.context is not None else None
        start = self.clock()
        try:
            watched.event(event)
        finally:
            self._depth -= 1
        end = self.clock()
        if self._painted:
            self._add(Frame(start, end, self._painted, context))
        return True

    def _close_loose(self) -> None:
        if self._loose is not None:
            start, context = self._loose
            self._loose = None
            self.loose_frames += 1
            self._add(Frame(start, self.clock(), self._painted, context))

    def _add(self, frame: Frame) -> None:
        self._painted = set()
        self.frame_count += 1
        self.frames.append(frame)
        if len(self.frames) > self.keep:
            del self.frames[: len(self.frames) - self.keep]
        if self.on_frame is not None:
            self.on_frame(frame)


class Driver(QObject):
    """Runs a generator script inside the real event loop (`app.exec()`).

    The script yields commands and gets a result back:
      ("sleep", ms)                      -> None, after ms milliseconds of normal event processing
      ("frame", target, t0, s[, since])  -> Frame, the first frame that starts after `since` (default t0)
                                            while target (a widget, or a callable giving one) is the
                                            context; any frame if target is None; None after s seconds.
                                            Frames painted while the action was still being handled
                                            (before `since`) show the old state and do not count.
    """

    def __init__(self, app, probe: FrameProbe, script: Generator):
        super().__init__()
        self.app = app
        self.probe = probe
        self.script = script
        self.error: BaseException | None = None
        self.trace = bool(os.environ.get("BENCH_TRACE"))
        self._wait: tuple[object, float] | None = None
        self._timeout = QTimer(self)
        self._timeout.setSingleShot(True)
        self._timeout.timeout.connect(self._timed_out)
        probe.on_frame = self._frame

    def start(self) -> None:
        QTimer.singleShot(0, lambda: self._resume(None))

    def _resume(self, value) -> None:
        try:
            command = self.script.send(value)
        except StopIteration:
            self.app.exit(0)  # not quit(): Qt 6 turns that into closing the windows, which kiosk mode refuses
            return
        except BaseException as error:  # noqa: BLE001 - reported by the parent
            self.error = error
            self.app.exit(1)
            return
        kind = command[0]
        if self.trace:
            print("driver:", round(time.monotonic(), 3), command, flush=True)
        if kind == "sleep":
            QTimer.singleShot(int(command[1]), lambda: self._resume(None))
        elif kind == "frame":
            _, target, t0, seconds, *rest = command
            since = rest[0] if rest else t0
            for frame in self.probe.frames:  # it may have happened already (a synchronous repaint)
                if self._matches(frame, target, since):
                    QTimer.singleShot(0, lambda f=frame: self._resume(f))
                    return
            self._wait = (target, since)
            self._timeout.start(int(seconds * 1000))
        else:
            raise ValueError(f"unknown command {command!r}")

    def _frame(self, frame: Frame) -> None:
        if self._wait is None:
            return
        target, since = self._wait
        if self._matches(frame, target, since):
            self._wait = None
            self._timeout.stop()
            # Resume from the event loop, not from inside the paint.
            QTimer.singleShot(0, lambda: self._resume(frame))

    @staticmethod
    def _matches(frame: Frame, target, since: float) -> bool:
        if frame.start < since:
            return False
        if callable(target):  # resolved late: a screen may be built by the tap itself
            target = target()
            return target is not None and frame.context == id(target)
        return target is None or frame.context == id(target)

    def _timed_out(self) -> None:
        if self._wait is not None:
            self._wait = None
            self._resume(None)


def read_memory() -> dict[str, float]:
    """RSS, PSS (and its parts) and USS of this process in MiB, from /proc/self/smaps_rollup (Linux)."""
    values: dict[str, float] = {}
    try:
        with open("/proc/self/smaps_rollup", encoding="ascii") as fp:
            for line in fp:
                name, _, rest = line.partition(":")
                if name in ("Rss", "Pss", "Pss_Anon", "Pss_File", "Pss_Shmem", "Private_Clean", "Private_Dirty"):
                    values[name.lower()] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    if "private_clean" in values and "private_dirty" in values:
        # USS: pages no other process maps. PSS also charges a share of the libraries other processes
        # map too, so it moves when unrelated Qt programs start or stop; USS does not.
        values["uss"] = values["private_clean"] + values["private_dirty"]
    return values
