"""Where the bundled files live: inside the package, next to this module.

In the repository kiosk/resources and kiosk/translations link to the top-level folders; a wheel,
and so the .deb, carries them as files. The current folder and the checkout never matter.
"""

from pathlib import Path

# The package's own folder, which importlib.resources.files("kiosk") names too on a file system
# (Qt, Babel and the loaders need paths: a zipped install is not supported); importing
# importlib.resources would cost the first frame a few milliseconds.
PACKAGE = Path(__file__).parent
RESOURCES = PACKAGE / "resources"
CONTENT_DIR = RESOURCES / "content"
FONTS_DIR = RESOURCES / "fonts"
STYLES_DIR = RESOURCES / "styles"
ILLUSTRATIONS_DIR = RESOURCES / "illustrations"
TRANSLATIONS_DIR = PACKAGE / "translations"
