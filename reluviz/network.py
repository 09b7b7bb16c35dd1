"""The story network (1 input, N hidden nodes, 1 output) traced stage by stage.

``trace`` returns every intermediate value the Part II scenes show; ``StoryNetwork``
adds the backward pass used for training; ``bends`` finds the dosages where the curves
have corners (exactly, where the curves are straight between them).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from reluviz.model import HiddenUnit, Network, PlaneWeights, Weights


@dataclass(frozen=True)
class NodeTrace:
    """One hidden node, for each dosage."""

    pre_activation: np.ndarray  # weight * dosage + bias: the x-axis coordinate of its activation plot
    activation: np.ndarray  # f(pre_activation): the y-axis coordinate (the bent blue / straight orange line)
    scaled: np.ndarray  # activation * output weight


@dataclass(frozen=True)
class NetworkTrace:
    dosage: np.ndarray
    hidden: list[NodeTrace]  # one per hidden node, in the network's order
    names: tuple[str, ...]  # the story's name for each hidden node ("top", "node 3")
    summed: np.ndarray  # the sum of every node's scaled line (the green wedge)
    biased: np.ndarray  # summed + output bias (the wedge moved)
    output: np.ndarray  # output activation of biased (the green pointy thing)

    def columns(self) -> dict[str, np.ndarray]:
        """The stage table's columns, in story order: "top_pre_activation", "node3_scaled", ..."""
        columns = {"dosage": self.dosage}
        for name, node in zip(self.names, self.hidden):
            prefix = column_prefix(name)
            columns[f"{prefix}_pre_activation"] = node.pre_activation
            columns[f"{prefix}_activation"] = node.activation
            columns[f"{prefix}_scaled"] = node.scaled
        columns |= {"summed": self.summed, "biased": self.biased, "output": self.output}
        return columns


def column_prefix(unit_name: str) -> str:
    """A node's name as the start of a column name: "top" -> "top", "node 3" -> "node3"."""
    return unit_name.replace(" ", "")


def _input_weights(unit: HiddenUnit) -> tuple:
    """A unit's weights, one per input: (weight,) for the dosage, (w1, w2) for two inputs."""
    return unit.weight if isinstance(unit.weight, tuple) else (unit.weight,)


def parameter_vector(weights: Weights | PlaneWeights) -> np.ndarray:
    """Every trainable number in a fixed order: each node's weight (w1 and w2 with two inputs)
    and bias, then each node's output weight, then the output bias (3N + 1 numbers; 4N + 1
    with two inputs)."""
    hidden = weights.network.hidden
    return np.array(
        [
            *(number for unit in hidden for number in (*_input_weights(unit), unit.bias)),
            *(unit.output_weight for unit in hidden),
            weights.network.output_bias,
        ]
    )


def with_parameters(weights: Weights | PlaneWeights, vector) -> Weights | PlaneWeights:
    """A copy of ``weights`` with its parameters replaced, in ``parameter_vector``'s order
    (activations kept). They may be numbers, or arrays of shape (R, 1): R networks
    evaluated at once, as training's restarts are."""
    count, inputs = len(weights.network.hidden), weights.network.inputs
    per_unit = inputs + 1  # its weights and its bias
    if len(vector) != (per_unit + 1) * count + 1:
        raise ValueError(
            f"{count} hidden nodes with {inputs} input{'s' if inputs > 1 else ''} take "
            f"{(per_unit + 1) * count + 1} parameters, not {len(vector)}"
        )
    values = [v if isinstance(v, np.ndarray) else float(v) for v in vector]

    def unit(i: int) -> HiddenUnit:
        start = per_unit * i
        weight = values[start] if inputs == 1 else tuple(values[start : start + inputs])
        return HiddenUnit(weight, values[start + inputs], values[per_unit * count + i])

    network = dataclasses.replace(weights.network, hidden=tuple(unit(i) for i in range(count)), output_bias=values[-1])
    return dataclasses.replace(weights, network=network)


def backward_through(
    network: Network, hidden: list[NodeTrace], biased: np.ndarray, inputs: tuple[np.ndarray, ...], dL_doutput
) -> np.ndarray:
    """The chain rule through a traced network: the gradient of the loss with respect to
    ``parameter_vector``'s numbers, summed over the points along the last axis. ``hidden``
    and ``biased`` are the forward pass's values at the points, ``inputs`` the points (the
    dosages, or x1 and x2): a unit's input is the sum of weight times input plus bias, so its
    gradient for each weight is the unit's gate times that input (for two inputs, d/dw1 is
    the gate times x1), and for its bias the gate."""
    d_biased = np.asarray(dL_doutput, dtype=float) * network.output_activation.derivative(biased)
    input_terms, output_terms = [], []
    for unit, node in zip(network.hidden, hidden):
        d_pre = d_biased * unit.output_weight * network.hidden_activation.derivative(node.pre_activation)
        input_terms += [*(d_pre * given for given in inputs), d_pre]
        output_terms.append(d_biased * node.activation)
    return np.array([np.sum(term, axis=-1) for term in (*input_terms, *output_terms, d_biased)])


class StoryNetwork:
    """Forward and backward passes through the story network, built from our activations."""

    def __init__(self, weights: Weights) -> None:
        self.weights = weights
        self.network: Network = weights.network
        self._last: NetworkTrace | None = None

    def forward(self, dosage: float | np.ndarray) -> NetworkTrace:
        net = self.network
        x = np.asarray(dosage, dtype=float)
        hidden = []
        for unit in net.hidden:
            pre = unit.weight * x + unit.bias
            activation = net.hidden_activation.function(pre)
            hidden.append(NodeTrace(pre, activation, activation * unit.output_weight))
        summed = sum((node.scaled for node in hidden[1:]), start=hidden[0].scaled)
        biased = summed + net.output_bias
        output = net.output_activation.function(biased)
        self._last = NetworkTrace(x, hidden, net.unit_names(), summed, biased, output)
        return self._last

    def backward(self, dL_doutput: np.ndarray) -> np.ndarray:
        """Gradient of the loss with respect to ``parameter_vector``'s numbers, summed over the
        last forward's dosages.

        The parameters may be arrays of shape (R, 1) (R networks at once, as training's
        restarts are): then dosages run along the last axis and the result has shape (3N + 1, R).
        """
        if self._last is None:
            raise RuntimeError("backward called before forward")
        t = self._last
        return backward_through(self.network, t.hidden, t.biased, (t.dosage,), dL_doutput)


def trace(weights: Weights, dosage: float | np.ndarray) -> NetworkTrace:
    """Every stage the story shows, for one dosage or an array of dosages."""
    return StoryNetwork(weights).forward(dosage)


@dataclass(frozen=True)
class Bends:
    """Dosages where a curve has a corner (None / empty where it has none)."""

    hidden: tuple[float | None, ...]  # per node: where its pre-activation crosses its activation's bend
    output: tuple[float, ...]  # where the biased sum crosses the output activation's bend


#: Points per dosage range at which a curved sum is sampled to find where it crosses a bend.
CROSSING_SAMPLES = 2001
#: Halvings of a crossing's bracket: 60 take any bracket of floats down to its last bit.
BISECTIONS = 60


def _hidden_bend(unit: HiddenUnit, bend_at: float | None) -> float | None:
    if bend_at is None or unit.weight == 0:
        return None
    return (bend_at - unit.bias) / unit.weight


def _crossings(xs: np.ndarray, ys: np.ndarray, level: float, linear: bool, refine) -> list[float]:
    """Where ``ys`` (sampled at increasing ``xs``) crosses ``level``: exact on straight pieces."""
    roots = []
    above = ys > level
    for i in range(len(xs) - 1):
        a, b, ya, yb = xs[i], xs[i + 1], ys[i] - level, ys[i + 1] - level
        if above[i] == above[i + 1]:
            continue
        if ya == 0:
            roots.append(float(a))
        elif yb == 0:
            roots.append(float(b))
        elif linear:
            roots.append(float(a - ya * (b - a) / (yb - ya)))
        else:
            roots.append(refine(a, b))
    return sorted(set(roots))


def bends(weights: Weights, low: float | None = None, high: float | None = None) -> Bends:
    """Every corner of every node's line and of the output, for any N and activation.

    Hidden bends are reported wherever they are (a scene decides whether they fall in its
    range); output bends are searched for between ``low`` and ``high``, which default to
    the weights file's dosage range. With piecewise-linear hidden nodes the biased sum is
    straight between their bends, so the output's corners are exact; with curved nodes
    they are found by sampling and bisection, to the last bit of a float."""
    low = weights.dosage_low if low is None else low
    high = weights.dosage_high if high is None else high
    net = weights.network
    hidden = tuple(_hidden_bend(unit, net.hidden_activation.bend_at) for unit in net.hidden)
    output_bend = net.output_activation.bend_at
    if output_bend is None:
        return Bends(hidden, ())
    linear = net.hidden_activation.piecewise_linear
    if linear:
        xs = np.array(sorted({low, high, *(b for b in hidden if b is not None and low < b < high)}))
    else:
        xs = np.linspace(low, high, CROSSING_SAMPLES)
    network = StoryNetwork(weights)

    def off_bend(x: float) -> float:
        return float(network.forward(x).biased) - output_bend

    def refine(a: float, b: float) -> float:
        fa = off_bend(a)
        for _ in range(BISECTIONS):
            middle = 0.5 * (a + b)
            fm = off_bend(middle)
            if (fm > 0) == (fa > 0):
                a, fa = middle, fm
            else:
                b = middle
        return 0.5 * (a + b)

    ys = network.forward(xs).biased
    return Bends(hidden, tuple(_crossings(xs, ys, output_bend, linear, refine)))


def curve_dosages(weights: Weights, smooth_samples: int = 121) -> np.ndarray:
    """Dosages at which to evaluate any stage's curve for drawing.

    For a network of straight pieces these are the range ends plus every corner inside the
    range, so straight segments meet at exact corners. When a hidden or the output
    activation curves, ``smooth_samples`` evenly spaced points join them.
    """
    low, high = weights.dosage_range
    b = bends(weights)
    corners = [x for x in (*b.hidden, *b.output) if x is not None and low < x < high]
    points = {low, high, *corners}
    net = weights.network
    if not (net.hidden_activation.piecewise_linear and net.output_activation.piecewise_linear):
        points.update(np.linspace(low, high, smooth_samples).tolist())
    return np.array(sorted(points))
