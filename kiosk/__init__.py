"""ALS patient-education kiosk."""

__version__ = "1.0.0"
APP_NAME = "als-kiosk"
