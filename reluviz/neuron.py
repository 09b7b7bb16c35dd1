"""A single neuron: a weighted sum of its inputs plus a bias, then an activation."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from reluviz.activations import make_activation


@dataclass(frozen=True)
class NeuronTrace:
    """Every number the neuron stage shows, in the order it shows them."""

    inputs: tuple[float, ...]
    weights: tuple[float, ...]
    products: tuple[float, ...]  # input times weight, one per edge
    bias: float
    pre_activation: float  # x = sum of products + bias
    activation: str
    output: float  # activation(x)


def neuron_forward(
    inputs: Sequence[float], weights: Sequence[float], bias: float, activation: str = "relu"
) -> NeuronTrace:
    if len(inputs) != len(weights):
        raise ValueError(f"{len(inputs)} inputs but {len(weights)} weights")
    products = np.asarray(inputs, dtype=float) * np.asarray(weights, dtype=float)
    pre_activation = float(products.sum() + bias)
    return NeuronTrace(
        inputs=tuple(float(x) for x in inputs),
        weights=tuple(float(w) for w in weights),
        products=tuple(float(p) for p in products),
        bias=float(bias),
        pre_activation=pre_activation,
        activation=activation,
        output=float(make_activation(activation).forward(pre_activation)),
    )
