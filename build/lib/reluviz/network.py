"""The story network (1 input, 2 hidden nodes, 1 output) traced stage by stage.

``trace`` returns every intermediate value the Part II scenes show; ``StoryNetwork``
adds the backward pass used for training; ``bends`` finds the exact dosages where the
piecewise-linear curves have corners.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np

from .activations import Activation, make_activation
from .weights import Connection, Weights


@dataclass(frozen=True)
class NodeTrace:
    """One hidden node, for each dosage."""

    pre_activation: np.ndarray  # weight * dosage + bias: the x-axis coordinate of its activation plot
    activation: np.ndarray  # f(pre_activation): the y-axis coordinate (the bent blue / straight orange line)
    scaled: np.ndarray  # activation * output weight


@dataclass(frozen=True)
class NetworkTrace:
    dosage: np.ndarray
    top: NodeTrace
    bottom: NodeTrace
    summed: np.ndarray  # top.scaled + bottom.scaled (the green wedge)
    biased: np.ndarray  # summed + output bias (the wedge moved)
    output: np.ndarray  # output activation of biased (the green pointy thing)

    def columns(self) -> dict[str, np.ndarray]:
        """The stage table's columns, in story order."""
        return {
            "dosage": self.dosage,
            "top_pre_activation": self.top.pre_activation,
            "top_activation": self.top.activation,
            "top_scaled": self.top.scaled,
            "bottom_pre_activation": self.bottom.pre_activation,
            "bottom_activation": self.bottom.activation,
            "bottom_scaled": self.bottom.scaled,
            "summed": self.summed,
            "biased": self.biased,
            "output": self.output,
        }


#: Trainable parameters in a fixed order, as (dotted weights-file key, Weights attribute path).
PARAMETERS: tuple[tuple[str, str], ...] = (
    ("hidden.top.weight", "top.weight"),
    ("hidden.top.bias", "top.bias"),
    ("hidden.bottom.weight", "bottom.weight"),
    ("hidden.bottom.bias", "bottom.bias"),
    ("output.top_weight", "top_output_weight"),
    ("output.bottom_weight", "bottom_output_weight"),
    ("output.bias", "output_bias"),
)


def parameter_vector(weights: Weights) -> np.ndarray:
    return np.array(
        [
            weights.top.weight,
            weights.top.bias,
            weights.bottom.weight,
            weights.bottom.bias,
            weights.top_output_weight,
            weights.bottom_output_weight,
            weights.output_bias,
        ]
    )


def with_parameters(weights: Weights, vector) -> Weights:
    """A copy of ``weights`` with its seven parameters replaced (activations kept).

    The seven may be numbers, or arrays of shape (R, 1): R networks evaluated at once, as
    training's restarts are (the network's arithmetic broadcasts)."""
    tw, tb, bw, bb, wt, wb, b = (v if isinstance(v, np.ndarray) else float(v) for v in vector)
    return dataclasses.replace(
        weights,
        top=Connection(tw, tb),
        bottom=Connection(bw, bb),
        top_output_weight=wt,
        bottom_output_weight=wb,
        output_bias=b,
    )


class StoryNetwork:
    """Forward and backward passes through the story network, built from our activations."""

    def __init__(self, weights: Weights) -> None:
        self.weights = weights
        self._top: Activation = make_activation(weights.hidden_activation)
        self._bottom: Activation = make_activation(weights.hidden_activation)
        self._output: Activation = make_activation(weights.output_activation)
        self._last: NetworkTrace | None = None

    def forward(self, dosage: float | np.ndarray) -> NetworkTrace:
        w = self.weights
        x = np.asarray(dosage, dtype=float)
        top = self._node(x, w.top, w.top_output_weight, self._top)
        bottom = self._node(x, w.bottom, w.bottom_output_weight, self._bottom)
        summed = top.scaled + bottom.scaled
        biased = summed + w.output_bias
        self._last = NetworkTrace(x, top, bottom, summed, biased, self._output.forward(biased))
        return self._last

    @staticmethod
    def _node(x: np.ndarray, connection: Connection, output_weight: float, activation: Activation) -> NodeTrace:
        pre = connection.weight * x + connection.bias
        act = activation.forward(pre)
        return NodeTrace(pre, act, act * output_weight)

    def backward(self, dL_doutput: np.ndarray) -> np.ndarray:
        """Gradient of the loss with respect to ``PARAMETERS``, summed over the last forward's dosages.

        The parameters may be arrays of shape (R, 1) (R networks at once, as training's
        restarts are): then dosages run along the last axis and the result has shape (7, R).
        """
        if self._last is None:
            raise RuntimeError("backward called before forward")
        t, w = self._last, self.weights
        d_biased = self._output.backward(dL_doutput)
        d_top_act = self._top.backward(d_biased * w.top_output_weight)
        d_bottom_act = self._bottom.backward(d_biased * w.bottom_output_weight)
        terms = (
            d_top_act * t.dosage,
            d_top_act,
            d_bottom_act * t.dosage,
            d_bottom_act,
            d_biased * t.top.activation,
            d_biased * t.bottom.activation,
            d_biased,
        )
        return np.array([np.sum(term, axis=-1) for term in terms])


def trace(weights: Weights, dosage: float | np.ndarray) -> NetworkTrace:
    """Every stage the story shows, for one dosage or an array of dosages."""
    return StoryNetwork(weights).forward(dosage)


@dataclass(frozen=True)
class Bends:
    """Dosages where a curve has a corner (None / empty where it has none)."""

    top: float | None  # where the top node's pre-activation crosses its activation's bend
    bottom: float | None
    output: tuple[float, ...]  # where the biased sum crosses the output activation's bend


def _hidden_bend(connection: Connection, activation: str) -> float | None:
    bend_at = make_activation(activation).bend_at
    if bend_at is None or connection.weight == 0:
        return None
    return (bend_at - connection.bias) / connection.weight


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
    """The exact corners of every piecewise-linear curve between ``low`` and ``high``.

    Hidden bends are reported wherever they are (a scene decides whether they fall in
    its range); output bends are searched for between ``low`` and ``high``, which
    default to the weights file's dosage range.
    """
    low = weights.dosage_low if low is None else low
    high = weights.dosage_high if high is None else high
    top = _hidden_bend(weights.top, weights.hidden_activation)
    bottom = _hidden_bend(weights.bottom, weights.hidden_activation)
    output_bend = make_activation(weights.output_activation).bend_at
    if output_bend is None:
        return Bends(top, bottom, ())
    hidden_linear = make_activation(weights.hidden_activation).piecewise_linear
    inner = [b for b in (top, bottom) if b is not None and low < b < high]
    if hidden_linear:
        xs = np.array(sorted({low, high, *inner}))
    else:
        xs = np.linspace(low, high, 2001)
    network = StoryNetwork(weights)

    def biased(x: float) -> float:
        return float(network.forward(x).biased)

    def refine(a: float, b: float) -> float:
        fa = biased(a) - output_bend
        for _ in range(60):
            m = 0.5 * (a + b)
            fm = biased(m) - output_bend
            if (fm > 0) == (fa > 0):
                a, fa = m, fm
            else:
                b = m
        return 0.5 * (a + b)

    ys = network.forward(xs).biased
    return Bends(top, bottom, tuple(_crossings(xs, ys, output_bend, hidden_linear, refine)))


def curve_dosages(weights: Weights, smooth_samples: int = 121) -> np.ndarray:
    """Dosages at which to evaluate any stage's curve for drawing.

    For a ReLU network these are the range ends plus every corner inside the range, so
    straight segments meet at exact corners. Smooth (softplus) curves get
    ``smooth_samples`` evenly spaced points, plus any corners of a ReLU output.
    """
    low, high = weights.dosage_range
    b = bends(weights)
    corners = [x for x in (b.top, b.bottom, *b.output) if x is not None and low < x < high]
    points = {low, high, *corners}
    if not make_activation(weights.hidden_activation).piecewise_linear:
        points.update(np.linspace(low, high, smooth_samples).tolist())
    return np.array(sorted(points))
