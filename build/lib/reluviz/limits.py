"""Whether a network can be drawn: every value a Part II scene shows must fit its labels."""

from __future__ import annotations

import numpy as np

from .network import curve_dosages, trace
from .numbers import format_number
from .weights import Weights

#: The largest magnitude a scene draws. Labels and equations are laid out for numbers of
#: up to six characters ("-99999"); a network whose stages reach past this (weights in
#: the hundreds multiplying each other, or a very wide dosage range) cannot be shown legibly.
DRAW_LIMIT = 1e5

#: Each stage of the trace, in story order, with the weights-file keys that set it.
STAGE_KEYS = {
    "top_pre_activation": ("the top node's input", "hidden.top.weight, hidden.top.bias"),
    "top_activation": ("the top node's output", "hidden.top.weight, hidden.top.bias"),
    "top_scaled": ("the top path times its output weight", "output.top_weight"),
    "bottom_pre_activation": ("the bottom node's input", "hidden.bottom.weight, hidden.bottom.bias"),
    "bottom_activation": ("the bottom node's output", "hidden.bottom.weight, hidden.bottom.bias"),
    "bottom_scaled": ("the bottom path times its output weight", "output.bottom_weight"),
    "summed": ("the sum of the two paths", "output.top_weight, output.bottom_weight"),
    "biased": ("the sum plus the output bias", "output.bias"),
}


def drawing_problems(weights: Weights) -> list[str]:
    """One line for the first stage whose values are too large to draw, naming the keys behind it."""
    xs = curve_dosages(weights)
    columns = trace(weights, xs).columns()
    for column, (what, keys) in STAGE_KEYS.items():
        values = np.asarray(columns[column])
        worst = int(np.argmax(np.abs(values)))
        if abs(values[worst]) > DRAW_LIMIT:
            return [
                f"{keys}: {what} reaches {values[worst]:.3g} at dosage {format_number(xs[worst])}, "
                f"past the +-{DRAW_LIMIT:g} the scenes can label; use smaller weights or a narrower dosage range"
            ]
    return []
