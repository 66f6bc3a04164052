"""ALS patient-education kiosk."""

__version__ = "1.0.0"
APP_NAME = "als-kiosk"
CONFIG_ENV_VAR = "ALS_KIOSK_CONFIG"  # names the settings file when --config does not
EXIT_CONFIG = 2  # like `nginx -t`: the config is wrong, nothing started
