"""Networks for tests, built without a file: seeded random numbers, any size and activation."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from reluviz.activations import make_activation
from reluviz.model import HiddenUnit, Network, Weights
from reluviz.network import parameter_vector, trace, with_parameters


def random_weights(rng, nodes: int, hidden: str, output: str):
    """A network of ``nodes`` hidden units with seeded random numbers, built without a file."""
    # each node's bend (where its input is 0) inside the dosage range, so no node is off throughout
    units = []
    for _ in range(nodes):
        weight, output_weight = rng.choice([-1, 1], 2) * rng.uniform(0.5, 3, 2)
        units.append(HiddenUnit(weight, -weight * rng.uniform(0.1, 0.9), output_weight))
    units = tuple(units)
    unbiased = Weights(
        "random",
        Path("random.toml"),
        "",
        0.0,
        1.0,
        None,
        Network(units, make_activation(hidden), make_activation(output), 0.0),
    )
    # the output bias that puts the middle of the sum's range on 0: the output's bend falls inside
    summed = trace(unbiased, np.linspace(0.0, 1.0, 101)).summed
    middle = (summed.max() + summed.min()) / 2
    return with_parameters(unbiased, [*parameter_vector(unbiased)[:-1], -middle])
