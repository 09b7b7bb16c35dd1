"""Words for captions and on-screen notes, chosen from the numbers (never assumed).

With other weights the same stage may flip instead of stretch, or never bend; these
helpers say what actually happens.
"""

from __future__ import annotations

from reluviz.activations import Activation
from reluviz.network import bends


def scaling_verb(factor: float) -> str:
    """What multiplying a line by ``factor`` does to it."""
    if factor == 0:
        return "flattens it to 0"
    change = "stretches it" if abs(factor) > 1 else "squashes it" if abs(factor) < 1 else ""
    if factor < 0:
        return "flips it upside down" + (f" and {change}" if change else "")
    return change or "leaves it as it is"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six")


def count_words(count: int, noun: str) -> str:
    """ "three final lines": a small count in words, the noun made plural when it needs to be."""
    said = NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count)
    return f"{said} {noun if count == 1 else noun + 's'}"


def lines_words(kinds: list[str]) -> str:
    """ "two bent lines and a straight line": what a group of hidden nodes' lines look like."""
    nouns = {kind: "curve" if kind == "curved" else f"{kind} line" for kind in kinds}
    return " and ".join(
        f"a {noun}" if kinds.count(kind) == 1 else count_words(kinds.count(kind), noun) for kind, noun in nouns.items()
    )


def line_kind(activation: Activation, bend: float | None, inside) -> str:
    """'bent', 'straight' or 'curved': how a hidden node's line looks on the dosage range."""
    return "curved" if not activation.piecewise_linear else "bent" if inside(bend) is not None else "straight"


def shape_name(weights, inside) -> str:
    """'wedge' for a sum with a corner inside the dosage range, else 'line' or 'curve'."""
    if not weights.network.hidden_activation.piecewise_linear:
        return "curve"
    return "wedge" if any(inside(x) is not None for x in bends(weights).hidden) else "line"


def output_shape(weights, output_bends, inside) -> str:
    """'pointy thing' when the output has corners inside the range, else 'squiggle' or 'line'."""
    if not weights.network.hidden_activation.piecewise_linear:
        return "squiggle"
    corners = [x for x in (*output_bends.hidden, *output_bends.output) if inside(x) is not None]
    return "pointy thing" if corners else "line"


def fit_words(worst: float, tolerance: float) -> tuple[str, str]:
    """Whether the output passes through the data, whose farthest point lies ``worst`` from it: a
    beat's name and caption, ``{worst}`` standing for that distance."""
    if worst <= tolerance:
        return (
            "fits",
            "And it fits the data: at every measured dosage the output is within {worst} "
            "of the measured effectiveness.",
        )
    return "misses", "It misses some of the data: the output is off by up to {worst} at a measured dosage."
