"""Where the bundled files live, relative to the checkout the package runs from."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESOURCES = ROOT / "resources"
CONTENT_DIR = RESOURCES / "content"
FONTS_DIR = RESOURCES / "fonts"
STYLES_DIR = RESOURCES / "styles"
TRANSLATIONS_DIR = ROOT / "translations"
