"""ALS patient-education kiosk."""

__version__ = "1.0.0"
APP_NAME = "als-kiosk"
EXIT_CONFIG = 2  # like `nginx -t`: the config is wrong, nothing started
