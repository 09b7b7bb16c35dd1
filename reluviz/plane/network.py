"""A two-input network's forward pass, and whether every value it makes can be drawn.

Each unit's input is its plane w1 * x1 + w2 * x2 + b; the rest is the one-input network's
story: the activation, times the output weight, summed, plus the output bias, through the
output activation.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from reluviz.limits import DRAW_LIMIT, stage_keys
from reluviz.model import HiddenUnit, PlaneWeights
from reluviz.network import NodeTrace, column_prefix
from reluviz.plane.regions import arrangement
from reluviz.words.numbers import format_number

#: Points along each side of the grid where values are checked for curved activations.
GRID_POINTS = 101


def pre_activation(unit: HiddenUnit, x1: float | np.ndarray, x2: float | np.ndarray) -> np.ndarray:
    """A unit's input: its plane w1 * x1 + w2 * x2 + b."""
    w1, w2 = unit.weight
    return w1 * np.asarray(x1, dtype=float) + w2 * np.asarray(x2, dtype=float) + unit.bias


@dataclass(frozen=True)
class PlaneTrace:
    """Every value of the network at each point (x1, x2)."""

    x1: np.ndarray
    x2: np.ndarray
    hidden: list[NodeTrace]  # one per hidden unit, in the network's order
    names: tuple[str, ...]
    summed: np.ndarray  # the sum of every unit's activation times its output weight
    biased: np.ndarray  # summed + output bias: the plane of the point's region, for ReLU units
    output: np.ndarray  # the output activation of biased

    def columns(self) -> dict[str, np.ndarray]:
        """The values by name, as the one-input stage table names them: "node1_scaled", "summed"..."""
        columns = {"x1": self.x1, "x2": self.x2}
        for name, node in zip(self.names, self.hidden):
            prefix = column_prefix(name)
            columns[f"{prefix}_pre_activation"] = node.pre_activation
            columns[f"{prefix}_activation"] = node.activation
            columns[f"{prefix}_scaled"] = node.scaled
        return columns | {"summed": self.summed, "biased": self.biased, "output": self.output}


def trace(weights: PlaneWeights, x1: float | np.ndarray, x2: float | np.ndarray) -> PlaneTrace:
    """The network at the points (x1, x2): numbers or arrays of the same shape."""
    net = weights.network
    x1, x2 = np.broadcast_arrays(np.asarray(x1, dtype=float), np.asarray(x2, dtype=float))
    hidden = []
    for unit in net.hidden:
        pre = pre_activation(unit, x1, x2)
        activation = net.hidden_activation.function(pre)
        hidden.append(NodeTrace(pre, activation, activation * unit.output_weight))
    summed = sum((node.scaled for node in hidden[1:]), start=hidden[0].scaled)
    biased = summed + net.output_bias
    return PlaneTrace(x1, x2, hidden, net.unit_names(), summed, biased, net.output_activation.function(biased))


def on_pattern(weights: PlaneWeights, x1: float | np.ndarray, x2: float | np.ndarray) -> np.ndarray:
    """Which units are on at each point: their input above the hidden activation's bend.
    Shape (units, *points)."""
    bend = weights.network.hidden_activation.bend_at
    return np.array([pre_activation(unit, x1, x2) > bend for unit in weights.network.hidden])


def check_points(weights: PlaneWeights) -> tuple[np.ndarray, np.ndarray]:
    """Points where the network's values are largest, if anywhere: for units folded along
    creases every value is straight between the regions' corners, so those are all; for
    curved ones a grid over the rectangle joins them."""
    activation = weights.network.hidden_activation
    (l1, h1), (l2, h2) = weights.rectangle
    if not activation.piecewise_linear:
        x1, x2 = np.meshgrid(np.linspace(l1, h1, GRID_POINTS), np.linspace(l2, h2, GRID_POINTS))
        return x1.ravel(), x2.ravel()
    points = {(l1, l2), (h1, l2), (h1, h2), (l1, h2)}  # all there is when the units never bend
    if activation.bend_at is not None:
        _, regions = arrangement(weights)
        points |= {(float(x), float(y)) for region in regions for x, y in region.corners}
    x1, x2 = np.array(sorted(points)).T
    return x1, x2


def drawing_problems(weights: PlaneWeights) -> list[str]:
    """One line for the first value too large to draw, naming the keys behind it, as
    ``reluviz.limits.drawing_problems`` does for one input."""
    x1, x2 = check_points(weights)
    columns = trace(weights, x1, x2).columns()
    first, second = (given.name for given in weights.inputs)
    for column, (what, keys) in stage_keys(weights).items():
        values = np.asarray(columns[column])
        worst = int(np.argmax(np.abs(values)))
        if abs(values[worst]) > DRAW_LIMIT:
            where = f"{first} = {format_number(x1[worst])}, {second} = {format_number(x2[worst])}"
            return [
                f"{keys}: {what} reaches {values[worst]:.3g} at {where}, past the +-{DRAW_LIMIT:g} the scenes "
                "can label; use smaller weights or narrower input ranges"
            ]
    return []
