"""The story's stages in order (../shared/STORY.md): what each clip is called and shows.

``uses`` names the input files a stage's pictures depend on, so a render knows which
clips a changed weights file invalidates: "lesson" (Part I's examples), "weights"
(the network's numbers, and the data they are drawn against) or "data" (only the
data set the weights file points to), "plane" (Part III's two-input weights file and its data).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from reluviz.words.numbers import roman

#: What Part III's stages read: its two-input weights file.
PLANE_USE = "plane"

if TYPE_CHECKING:
    from reluviz.model import Network


@dataclass(frozen=True)
class Stage:
    number: int
    name: str
    title: str
    summary: str
    part: int
    uses: frozenset[str]
    #: Title and summary in the lesson's words, for its network of two hidden nodes, where
    #: the words for any network differ ("The bottom node" rather than "The other hidden nodes").
    lesson_words: tuple[str, str] | None = None
    #: The title for a network, where it names the network's activation ("Sigmoid squashes");
    #: ``title`` is the lesson's, for ReLU.
    titled: Callable[[Network], str] | None = field(default=None, compare=False)

    def worded(self, network: Network) -> Stage:
        """This stage as named for ``network``: the lesson's words for its two hidden nodes, and
        the network's own activations where the title names one."""
        worded = self
        if self.lesson_words and len(network.hidden) == 2:
            worded = replace(self, title=self.lesson_words[0], summary=self.lesson_words[1])
        if self.titled is not None:
            worded = replace(worded, title=self.titled(network))
        return worded

    @property
    def file_stem(self) -> str:
        """``NN_<name>``: the clip's file name without extension."""
        return f"{self.number:02d}_{self.name}"


def _stage(
    number: int,
    name: str,
    title: str,
    summary: str,
    part: int,
    *uses: str,
    lesson: tuple[str, str] | None = None,
    titled: Callable[[Network], str] | None = None,
) -> Stage:
    return Stage(number, name, title, summary, part, frozenset(uses), lesson, titled)


@dataclass(frozen=True)
class Part:
    """A part of the story: its number, name, and the title card that opens it in the film."""

    number: int
    name: str

    @property
    def title(self) -> str:
        """ "Part II: ReLU in action", as the card, the film's chapters, the script, the page and
        the presenter name it."""
        return f"Part {roman(self.number)}: {self.name}"

    @property
    def key(self) -> str:
        """ "part_2": the part's name in a words file, where its title and its card's words are."""
        return f"part_{self.number}"

    @property
    def card_stem(self) -> str:
        """The title card's clip file name without extension."""
        return f"part_{self.number}_title"


PARTS = {part.number: part for part in (Part(1, "What ReLU is"), Part(2, "ReLU in action"), Part(3, "Two inputs"))}

STAGES: tuple[Stage, ...] = (
    _stage(
        1,
        "definition",
        "What ReLU does",
        "The ramp: negative inputs land on 0, positive ones pass unchanged.",
        1,
        "lesson",
    ),
    _stage(2, "neuron", "A neuron with ReLU", "Inputs times weights, plus the bias, through ReLU.", 1, "lesson"),
    _stage(
        3, "derivative", "The derivative of ReLU", "Slope 1 for x > 0, slope 0 for x <= 0: a step under the ramp.", 1
    ),
    _stage(
        4,
        "forward_backward",
        "Forward and backward",
        "A = max(0, Z) element-wise; dL/dZ = dL/dA times step(Z), a mask.",
        1,
        "lesson",
    ),
    _stage(
        5, "network", "The dosage network", "The data and the network, every weight and bias labelled.", 2, "weights"
    ),
    _stage(
        6,
        "input_to_x_axis",
        "From dosage to the x-axis",
        "The top connection turns a dosage into an x-axis coordinate.",
        2,
        "weights",
    ),
    _stage(
        7,
        "relu_clipping",
        "ReLU clips",
        "The activation gives the y-coordinate; sweeping the dosage traces the bent blue line.",
        2,
        "weights",
        titled=lambda network: network.hidden_activation.line_title,
    ),
    _stage(
        8,
        "scaling",
        "Scaling by the output weight",
        "The top output weight stretches or flips the bent blue line.",
        2,
        "weights",
    ),
    _stage(
        9,
        "bottom_node",
        "The other hidden nodes",
        "Every other hidden node gives its line, scaled by its output weight.",
        2,
        "weights",
        lesson=("The bottom node", "The bottom path gives the orange line, scaled by its output weight."),
    ),
    _stage(
        10,
        "summing",
        "Adding the paths",
        "Every path's line added point by point gives the green sum.",
        2,
        "weights",
        lesson=("Adding the two paths", "Blue plus orange, point by point, gives the green wedge."),
    ),
    _stage(11, "bias", "Adding the output bias", "The output bias moves the green wedge up or down.", 2, "weights"),
    _stage(
        12,
        "output_relu",
        "The output ReLU",
        "The output activation clips the wedge: the green pointy thing fits the data.",
        2,
        "weights",
        titled=lambda network: network.output_activation.output_title,
    ),
    _stage(
        13,
        "kink_derivative",
        "The derivative at the kink",
        "The bend has no single slope; we define it as 0 or 1, and it does not matter.",
        2,
    ),
    _stage(
        14,
        "gradient_step",
        "One gradient step",
        "Backwards from the error: each gate passes the gradient or stops it; every weight moves a little.",
        2,
        "weights",
    ),
    _stage(
        15,
        "training",
        "Training the network",
        "The gradient step, repeated: the output bends toward the data as the loss falls.",
        2,
        "data",
    ),
    _stage(
        16,
        "plane_unit",
        "One unit, two inputs",
        "w1 x1 + w2 x2 + b is a tilted plane; ReLU folds it along the crease where it crosses 0.",
        3,
        PLANE_USE,
    ),
    _stage(
        17,
        "plane_regions",
        "Creases cut the square",
        "Every unit adds a crease; the creases cut the inputs into regions, each with its own units on.",
        3,
        PLANE_USE,
    ),
    _stage(
        18,
        "plane_sum",
        "A plane on every region",
        "On each region the output is a plane: the active units' planes added, plus the bias.",
        3,
        PLANE_USE,
    ),
    _stage(
        19,
        "plane_output",
        "The output ReLU in the plane",
        "The output activation keeps what lies above 0: the lesson's bump, in two inputs.",
        3,
        PLANE_USE,
        titled=lambda network: network.output_activation.output_title + " in the plane",
    ),
    _stage(
        20,
        "plane_training",
        "Training in the plane",
        "Fitting two-input data: the creases move and the regions change while the error falls.",
        3,
        PLANE_USE,
    ),
)

BY_NAME = {stage.name: stage for stage in STAGES}


def part_uses(part: int) -> frozenset[str]:
    """What a part's stages read between them: a title card is drawn for the network they draw."""
    return frozenset().union(*(s.uses for s in STAGES if s.part == part))


def part_titles(part: int, network: Network, titles: Callable[[str], str | None] = lambda name: None) -> list[str]:
    """ "9. The bottom node": the numbered titles of a part's stages for ``network``, as the title
    card lists them; ``titles(name)``: a stage's title from a words file, or None for its own."""
    return [f"{s.number}. {titles(s.name) or s.worded(network).title}" for s in STAGES if s.part == part]


def stage(name: str) -> Stage:
    try:
        return BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown stage {name!r}; stages: {', '.join(BY_NAME)}") from None
