"""Which manim versions the private parts used in this package were read against."""

from __future__ import annotations

import functools
from importlib.metadata import version

#: manim versions whose private parts used here were read and compared frame by frame with
#: stock manim (tests/scenes/test_manim_internals.py).
CHECKED_MANIM_VERSIONS = frozenset({"0.22.0"})


@functools.cache
def checked() -> bool:
    """Whether this manim is one this package was checked against (asked once per process)."""
    return version("manim") in CHECKED_MANIM_VERSIONS
