"""`python -m kiosk`: the same as `als-kiosk`."""

import sys

from kiosk.cli import main

sys.exit(main())
