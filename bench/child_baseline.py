"""Child process: the floor. A bare PySide6 window, one word-wrapped QLabel in Noto Sans holding as much
text as the longest topic, shown like the kiosk (frameless full screen, or a plain window), timed to its
first painted frame. Prints one `BENCH_RESULT {json}` line.

Usage: python -m bench.child_baseline TEXT_FILE FONT_FILE WIDTHxHEIGHT [--fullscreen]
"""

import time

T_INTERPRETER = time.time()

import json  # noqa: E402
import os  # noqa: E402
import sys  # noqa: E402


def main() -> None:
    t0 = float(os.environ["BENCH_T0"])
    text_file, font_file, size = sys.argv[1:4]
    fullscreen = "--fullscreen" in sys.argv[4:]
    width, height = (int(v) for v in size.lower().split("x"))
    marks = {"interpreter": T_INTERPRETER - t0}

    from PySide6.QtCore import QRect, Qt
    from PySide6.QtGui import QFont, QFontDatabase
    from PySide6.QtWidgets import QApplication, QLabel

    from bench.probe import FrameProbe, read_memory

    marks["imports"] = time.time() - t0
    app = QApplication(sys.argv[:1])
    QFontDatabase.addApplicationFont(font_file)
    label = QLabel()
    font = QFont("Noto Sans")
    font.setPixelSize(28)
    label.setFont(font)
    label.setWordWrap(True)
    label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    label.setMargin(48)
    with open(text_file, encoding="utf-8") as fp:
        label.setText(fp.read())
    probe = FrameProbe(clock=time.time)
    probe.attach(label)
    geometry = QRect(0, 0, width, height)
    label.setGeometry(geometry)
    if fullscreen:
        label.setWindowFlags(Qt.WindowType.FramelessWindowHint | Qt.WindowType.WindowStaysOnTopHint)
        label.showFullScreen()
        label.setGeometry(geometry)
    else:
        label.show()
    marks["show_end"] = time.time() - t0

    def first_frame(frame) -> None:
        marks["first_frame"] = frame.end - t0
        marks["first_frame_paint_s"] = frame.end - frame.start
        result = {
            "marks": marks,
            "memory_first_frame": read_memory(),
            "geometry": list(label.geometry().getRect()),
            "platform": app.platformName(),
            "characters": len(label.text()),
        }
        sys.stdout.write("BENCH_RESULT " + json.dumps(result) + "\n")
        sys.stdout.flush()
        os._exit(0)

    probe.on_frame = first_frame
    app.exec()
    sys.exit(1)


if __name__ == "__main__":
    main()
