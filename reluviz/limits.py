"""Whether a network can be drawn: every value a Part II scene shows must fit its labels."""

from __future__ import annotations

import numpy as np

from reluviz.model import Weights
from reluviz.network import column_prefix, curve_dosages, trace
from reluviz.words.nodes import node_label
from reluviz.words.numbers import format_number

#: The largest magnitude a scene draws. Labels and equations are laid out for numbers of
#: up to six characters ("-99999"); a network whose stages reach past this (weights in
#: the hundreds multiplying each other, or a very wide dosage range) cannot be shown legibly.
DRAW_LIMIT = 1e5


def stage_keys(weights: Weights) -> dict[str, tuple[str, str]]:
    """Each stage of the trace, in story order, with what it is and the file's keys that set it."""
    names = weights.network.unit_names()
    stages: dict[str, tuple[str, str]] = {}
    for unit, name in enumerate(names):
        prefix = column_prefix(name)
        numbered = name.startswith("node")
        node = node_label(name) if numbered else f"the {node_label(name)}"  # "node 3", "the top node"
        path = f"{node}'s path" if numbered else f"the {name} path"
        inputs = f"{weights.key(unit, 'weight')}, {weights.key(unit, 'bias')}"
        stages[f"{prefix}_pre_activation"] = (f"{node}'s input", inputs)
        stages[f"{prefix}_activation"] = (f"{node}'s output", inputs)
        stages[f"{prefix}_scaled"] = (f"{path} times its output weight", weights.key(unit, "output_weight"))
    output_weights = ", ".join(weights.key(unit, "output_weight") for unit in range(len(names)))
    paths = f"the sum of the {len(names)} paths" if len(names) > 1 else "the one path"
    stages["summed"] = (paths, output_weights)
    stages["biased"] = ("the sum plus the output bias", "output.bias")
    return stages


def drawing_problems(weights: Weights) -> list[str]:
    """One line for the first stage whose values are too large to draw, naming the keys behind it."""
    xs = curve_dosages(weights)
    columns = trace(weights, xs).columns()
    for column, (what, keys) in stage_keys(weights).items():
        values = np.asarray(columns[column])
        worst = int(np.argmax(np.abs(values)))
        if abs(values[worst]) > DRAW_LIMIT:
            return [
                f"{keys}: {what} reaches {values[worst]:.3g} at dosage {format_number(xs[worst])}, "
                f"past the +-{DRAW_LIMIT:g} the scenes can label; use smaller weights or a narrower dosage range"
            ]
    return []
