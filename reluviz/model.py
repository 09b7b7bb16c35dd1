"""The story network as plain data: 1 or 2 inputs, N hidden nodes, 1 output.

A network is a list of hidden units, each with its own weight, bias and output weight
(micrograd style), one activation for the hidden nodes, and the output's activation and
bias. With one input (the dosage: Parts I and II) a unit's weight is a number; with two
inputs (Part III) it is a pair ``(w1, w2)``, one per input. ``Weights`` adds where the
numbers came from for a one-input network, ``PlaneWeights`` for a two-input one. Nothing
here computes or loads: ``reluviz.network`` and ``reluviz.plane`` do the maths,
``reluviz.files.weights`` reads and checks files.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reluviz.activations import Activation
from reluviz.words.nodes import LESSON_NODES, unit_names

#: How many hidden nodes a network may have: the diagram, the colours and the story are
#: laid out for up to six paths side by side.
MIN_NODES, MAX_NODES = 1, 6

#: A weights file's two ways of writing the hidden nodes: a list of [[hidden.nodes]], or
#: the lesson's original two named nodes [hidden.top] and [hidden.bottom].
NODES_FORM, TWO_NODE_FORM = "nodes", "top_bottom"
#: A two-input network's file: [[hidden.nodes]] whose weights are pairs [w1, w2].
PLANE_FORM = "plane"


@dataclass(frozen=True)
class HiddenUnit:
    """One hidden node: dosage * ``weight`` + ``bias`` goes through the activation, whose
    result is multiplied by ``output_weight`` on its way to the output. With two inputs
    ``weight`` is the pair (w1, w2) and the node's input is w1 * x1 + w2 * x2 + ``bias``."""

    weight: float | tuple[float, float]
    bias: float
    output_weight: float


@dataclass(frozen=True)
class Network:
    """Every number of the network. The numbers may also be (R, 1) arrays: R networks
    evaluated at once, as training's restarts are (the arithmetic broadcasts)."""

    hidden: tuple[HiddenUnit, ...]
    hidden_activation: Activation
    output_activation: Activation
    output_bias: float

    def unit_names(self) -> tuple[str, ...]:
        """What the story calls each hidden node (``reluviz.words.nodes``)."""
        return unit_names(len(self.hidden))

    @property
    def inputs(self) -> int:
        """How many inputs feed it: 1 (the dosage), or 2 when the weights are pairs."""
        return 2 if isinstance(self.hidden[0].weight, tuple) else 1


@dataclass(frozen=True)
class Weights:
    """A network read from one weights file."""

    name: str  # a safe single folder name (see ``weights.safe_name``): renders go to out/<name>/
    path: Path
    digest: str  # sha256 of the file's bytes: identifies the exact numbers a render used
    dosage_low: float
    dosage_high: float
    data_path: Path | None  # a loaded file always has one: its data key's file, or the lesson's data
    network: Network
    form: str = NODES_FORM  # how the file wrote the hidden nodes: names the keys in messages

    @property
    def dosage_range(self) -> tuple[float, float]:
        return (self.dosage_low, self.dosage_high)

    def key(self, unit: int, number: str) -> str:
        """The file's dotted key for a hidden unit's number ("weight", "bias" or
        "output_weight"), counting units from 0: "hidden.nodes[1].bias" or "hidden.top.bias"."""
        if self.form == TWO_NODE_FORM:
            side = LESSON_NODES[unit]
            return f"output.{side}_weight" if number == "output_weight" else f"hidden.{side}.{number}"
        return f"hidden.nodes[{unit + 1}].{number}"


@dataclass(frozen=True)
class Input:
    """One input of a two-input network: its name (as axes and planes write it) and its range."""

    name: str
    low: float
    high: float


#: A two-input file without [inputs]: x1 and x2, both from 0 to 1.
DEFAULT_INPUTS = (Input("x1", 0.0, 1.0), Input("x2", 0.0, 1.0))


@dataclass(frozen=True)
class PlaneWeights:
    """A two-input network read from one weights file: its units' weights are pairs (w1, w2),
    and its inputs span a rectangle, ``inputs[0]``'s range by ``inputs[1]``'s."""

    name: str  # a safe single folder name, as ``Weights.name``
    path: Path
    digest: str  # sha256 of the file's bytes
    inputs: tuple[Input, Input]
    network: Network
    data_path: Path | None = None  # the CSV its [inputs] table's data key names (two-input data), if any

    @property
    def rectangle(self) -> tuple[tuple[float, float], tuple[float, float]]:
        """((x1 low, x1 high), (x2 low, x2 high))."""
        return tuple((given.low, given.high) for given in self.inputs)

    def key(self, unit: int, number: str) -> str:
        """The file's dotted key for a hidden unit's number, counting units from 0."""
        return f"hidden.nodes[{unit + 1}].{number}"
