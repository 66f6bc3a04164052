"""Start the kiosk from a checkout: `python main.py [--windowed] [--size 1920x1080]`."""

import sys

from kiosk.cli import main

if __name__ == "__main__":
    sys.exit(main())
