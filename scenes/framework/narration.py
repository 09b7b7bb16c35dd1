"""Words for captions and on-screen notes, chosen from the numbers (never assumed).

With other weights the same stage may flip instead of stretch, or never bend; these
helpers say what actually happens.
"""

from __future__ import annotations

from collections.abc import Callable

from reluviz.activations import Activation
from reluviz.network import bends


def scaling_verb(factor: float, label: Callable[..., str]) -> str:
    """What multiplying a line by ``factor`` does to it, in the words ``label`` (a scene's) gives."""
    if factor == 0:
        return label("flattens")
    change = label("stretches") if abs(factor) > 1 else label("squashes") if abs(factor) < 1 else ""
    if factor < 0:
        return label("flips_and", change=change) if change else label("flips")
    return change or label("leaves")


def lines_words(kinds: list[str], scene) -> str:
    """ "two bent lines and a straight line": what a group of hidden nodes' lines look like
    (``kinds`` as line_kind names them), in ``scene``'s words."""
    return scene.joined([scene.counted(kinds.count(kind), f"lines_{kind}") for kind in dict.fromkeys(kinds)])


def line_kind(activation: Activation, bend: float | None, inside) -> str:
    """'bent', 'straight' or 'curved': how a hidden node's line looks on the dosage range (the key
    of its words: labels' kind_<kind>, lines_<kind>_one/_many)."""
    return "curved" if not activation.piecewise_linear else "bent" if inside(bend) is not None else "straight"


def shape_name(weights, inside, label: Callable[..., str]) -> str:
    """'wedge' for a sum with a corner inside the dosage range, else 'line' or 'curve'."""
    if not weights.network.hidden_activation.piecewise_linear:
        return label("shape_curve")
    return label("shape_wedge" if any(inside(x) is not None for x in bends(weights).hidden) else "shape_line")


def output_shape(weights, output_bends, inside, label: Callable[..., str]) -> str:
    """'pointy thing' when the output has corners inside the range, else 'squiggle' or 'line'."""
    if not weights.network.hidden_activation.piecewise_linear:
        return label("shape_squiggle")
    corners = [x for x in (*output_bends.hidden, *output_bends.output) if inside(x) is not None]
    return label("shape_pointy" if corners else "shape_line")


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
