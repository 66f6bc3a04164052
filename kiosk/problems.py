"""A problem found in a file the kiosk reads (content, catalog), for logs, `check` and staff."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple


class FileProblem(NamedTuple):
    file: Path
    line: int | None
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}" if self.line else f"{self.file}: {self.message}"
