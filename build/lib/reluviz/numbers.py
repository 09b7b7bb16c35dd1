"""How numbers are written on screen and in captions: three significant digits, at most
two decimals, no trailing zeros (1.7, -0.85, 12.6, -40.8, -16, 1.01)."""

from __future__ import annotations

import math

SIGNIFICANT_DIGITS = 3
MAX_DECIMALS = 2


def decimals(x: float) -> int:
    """How many decimals ``format_number(x)`` writes."""
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return 0
    places = min(MAX_DECIMALS, max(0, SIGNIFICANT_DIGITS - 1 - math.floor(math.log10(abs(x)))))
    text = f"{x:.{places}f}"
    while places > 0 and text.endswith("0"):
        text, places = text[:-1], places - 1
    return places


def rounded(x: float) -> float:
    """The value a viewer reads, as a float."""
    return round(float(x), decimals(x)) + 0.0  # + 0.0 turns -0.0 into 0.0


def format_number(x: float) -> str:
    text = f"{rounded(x):.{decimals(x)}f}"
    return "0" if text in ("-0", "-0.0", "-0.00") else text
