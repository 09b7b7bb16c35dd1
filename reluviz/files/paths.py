"""Where the shipped weights presets, lesson file and data set are: inside the installed
package (``reluviz/assets``), or in the project's own ``assets/`` folder beside it."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent.parent
ASSETS = _PACKAGE / "assets" if (_PACKAGE / "assets").is_dir() else _PACKAGE.parent / "assets"
