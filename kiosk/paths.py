"""Where the bundled files live: inside the package, found with importlib.resources.

In the repository kiosk/resources and kiosk/translations link to the top-level folders; a wheel,
and so the .deb, carries them as files. The current folder and the checkout never matter.
"""

from importlib.resources import files
from pathlib import Path

# Installed on a file system the Traversable is a real folder: Qt, Babel and the loaders need
# paths (a zipped install is not supported).
PACKAGE = Path(str(files("kiosk")))
RESOURCES = PACKAGE / "resources"
CONTENT_DIR = RESOURCES / "content"
FONTS_DIR = RESOURCES / "fonts"
STYLES_DIR = RESOURCES / "styles"
TRANSLATIONS_DIR = PACKAGE / "translations"
