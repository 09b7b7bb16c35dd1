"""Where the shipped weights presets, lesson file and data set are: inside the installed
package (``reluviz/assets``), or in the project's own ``assets/`` folder beside it."""

from __future__ import annotations

from pathlib import Path

_HERE = Path(__file__).resolve().parent
ASSETS = _HERE / "assets" if (_HERE / "assets").is_dir() else _HERE.parent / "assets"
