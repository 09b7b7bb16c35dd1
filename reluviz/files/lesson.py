"""Part I's examples (what ReLU is): probe inputs, the single neuron, the class view's matrices.

They live in ``assets/weights/lesson.toml``; no network weight is involved, so Part I's
scenes do not change when a weights file does.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reluviz.activations import ACTIVATIONS
from reluviz.files import schema
from reluviz.files.errors import InputFileError
from reluviz.files.weights import LESSON_FILE

LESSON_SCHEMA: schema.Schema = {
    "definition": {"inputs": schema.number_list()},
    "neuron": {
        "inputs": schema.number_list(),
        "weights": schema.number_list(),
        "bias": schema.number(),
        "activation": schema.choice(sorted(ACTIVATIONS)),
    },
    "forward_backward": {"Z": schema.number_matrix(), "dLdA": schema.number_matrix()},
}


@dataclass(frozen=True)
class NeuronExample:
    inputs: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    activation: str


@dataclass(frozen=True)
class Lesson:
    path: Path
    #: Inputs the definition stage sends through ReLU (at least one negative, one positive).
    probe_inputs: tuple[float, ...]
    neuron: NeuronExample
    #: The class view's pre-activations and upstream gradient, same shape.
    Z: np.ndarray
    dLdA: np.ndarray

    @property
    def probe_reach(self) -> float:
        """How far from 0 the probe inputs go: Part I's plots span -reach..reach."""
        return max(abs(x) for x in self.probe_inputs)


def load_lesson(path: Path | str = LESSON_FILE) -> Lesson:
    path = Path(path)
    document = schema.load_checked(path, LESSON_SCHEMA)
    neuron, fb = document["neuron"], document["forward_backward"]
    problems = []
    probes = document["definition"]["inputs"]
    if not (min(probes) < 0 < max(probes)):
        problems.append("definition.inputs: needs a negative and a positive input to show both sides of ReLU")
    if len(neuron["inputs"]) != len(neuron["weights"]):
        problems.append(
            f"neuron.weights: expected one weight per input ({len(neuron['inputs'])}), got {len(neuron['weights'])}"
        )
    Z, dLdA = np.array(fb["Z"], dtype=float), np.array(fb["dLdA"], dtype=float)
    if Z.shape != dLdA.shape:
        problems.append(f"forward_backward.dLdA: expected the shape of Z {Z.shape}, got {dLdA.shape}")
    if problems:
        raise InputFileError(path, problems)
    Z.flags.writeable = False
    dLdA.flags.writeable = False
    return Lesson(
        path=path,
        probe_inputs=tuple(float(x) for x in probes),
        neuron=NeuronExample(
            inputs=tuple(float(x) for x in neuron["inputs"]),
            weights=tuple(float(x) for x in neuron["weights"]),
            bias=float(neuron["bias"]),
            activation=neuron["activation"],
        ),
        Z=Z,
        dLdA=dLdA,
    )
