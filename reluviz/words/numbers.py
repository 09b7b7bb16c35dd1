"""How numbers are written on screen and in captions: the one place for the rule.

A number from a weights file is shown exactly as the file writes it (``Written``: 1.70
stays 1.70, -16.0 stays -16.0). A computed number gets three significant digits, at most
two decimals and no trailing zeros (-0.85, 12.6, 1.01). Viewer-facing text uses a true
minus sign and folds signs into the operator ("x - 0.85", never "x + -0.85").
"""

from __future__ import annotations

import math
import re

SIGNIFICANT_DIGITS = 3
MAX_DECIMALS = 2
#: Decimals at most for a small number that should not round to 0 (a gradient, a loss near 0):
#: smaller ones are 0 to a viewer (a gate that passes a millionth is as good as closed).
MAX_PRECISE_DECIMALS = 6
#: The typographic minus sign (U+2212), for text a viewer reads; data files keep "-".
MINUS = "\u2212"

#: A plain decimal as TOML writes it: sign, digits, optional fraction (no exponent, no "_").
_PLAIN_DECIMAL = re.compile(r"[+-]?\d+(\.(\d+))?")


class Written(float):
    """A number read from an input file that remembers how many decimals the file wrote."""

    places: int

    def __new__(cls, value: float, places: int) -> Written:
        number = super().__new__(cls, value)
        number.places = places
        return number

    @classmethod
    def parse(cls, text: str) -> float:
        """TOML's float text -> a ``Written`` (tomllib's ``parse_float`` hook). Exponents and
        underscores are valid TOML but have no decimals to keep: they become plain floats."""
        match = _PLAIN_DECIMAL.fullmatch(text)
        if match is None:
            return float(text)
        return cls(float(text), len(match.group(2) or ""))

    def __reduce__(self):  # pickles (to render workers) keep the places
        return (Written, (float(self), self.places))


def written(value: float | int) -> float:
    """A weights-file value as a number that keeps its writing (an integer writes no decimals)."""
    if isinstance(value, Written):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return Written(value, 0)
    return float(value)


def magnitude(x: float) -> float:
    """``abs(x)``, still written as the file wrote it (a folded sign shows the rest)."""
    return Written(abs(x), x.places) if isinstance(x, Written) else abs(float(x))


def decimals(x: float, most: int = MAX_DECIMALS, digits: int = SIGNIFICANT_DIGITS) -> int:
    """How many decimals ``format_number(x)`` writes: ``digits`` significant ones, at most ``most``."""
    if isinstance(x, Written):
        return x.places
    x = float(x)
    if x == 0 or not math.isfinite(x):
        return 0
    places = min(most, max(0, digits - 1 - math.floor(math.log10(abs(x)))))
    text = f"{x:.{places}f}"
    while places > 0 and text.endswith("0"):
        text, places = text[:-1], places - 1
    return places


def precise(x: float) -> Written:
    """A computed number that may be small (a gradient, a loss): three significant digits, however
    many decimals that takes (0.0001, 0.126), where ``format_number`` would write 0 or 0.13."""
    return Written(float(x), decimals(float(x), MAX_PRECISE_DECIMALS))


def moved(before: float, after: float) -> Written:
    """A weights-file value after a small step: as many decimals as the file wrote, and more where
    the change needs them to show with two significant digits (2.70 - 0.00063 -> 2.69937)."""
    places = decimals(before)
    change = after - before
    if round(change, MAX_PRECISE_DECIMALS) != 0:  # a change too small to write leaves the file's writing
        places = max(places, decimals(change, MAX_PRECISE_DECIMALS, digits=2))
    return Written(float(after), places)


def rounded(x: float) -> float:
    """The value a viewer reads, as a float."""
    return round(float(x), decimals(x)) + 0.0  # + 0.0 turns -0.0 into 0.0


def format_number(x: float) -> str:
    """``x`` as written for data and tables (ASCII minus): "-0.85", "1.70", "1.01"."""
    places = decimals(x)
    text = f"{rounded(x):.{places}f}"
    return text[1:] if text.startswith("-") and float(text) == 0 else text


def shown(x: float) -> str:
    """``x`` as a viewer reads it, with a true minus sign: "−0.85"."""
    return format_number(x).replace("-", MINUS)


def term(x: float) -> str:
    """``x`` added to something before it, the sign folded into the operator: "− 0.85", "+ 12.6"."""
    text = format_number(x)
    return f"{MINUS} {text[1:]}" if text.startswith("-") else f"+ {text}"


#: Roman numerals as parts and chapters are numbered: the story's parts, and how a voice reads them.
ROMAN_NUMERALS = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def roman(number: int) -> str:
    """``number`` (1 to 10) as a Roman numeral: 2 -> "II"."""
    return ROMAN_NUMERALS[number - 1]
