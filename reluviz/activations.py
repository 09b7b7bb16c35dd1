"""Activation functions: ReLU (the lesson's subject) and the relatives a lecturer compares it
with: leaky ReLU, softplus, sigmoid, tanh, and identity (no activation).

Each is one object that knows its function and derivative (the value at a bend is a
choice, made when the object is built), how the videos name, write and say it, and where
it bends, so a scene asks the object instead of comparing names. Each also has
the lesson's layer interface: ``forward(Z)`` remembers its input, ``backward(dLdA)``
returns ``dLdZ``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from reluviz.words.labels import in_english
from reluviz.words.numbers import format_number
from reluviz.words.spoken import said_as

ArrayLike = float | np.ndarray

#: PyTorch's default, so a lecturer's "leaky ReLU" means the same number in both.
DEFAULT_NEGATIVE_SLOPE = 0.01


def relu(z: ArrayLike) -> np.ndarray:
    """ReLU(z) = max(0, z), element-wise."""
    return np.maximum(0.0, np.asarray(z, dtype=float))


def step(z: ArrayLike, at_zero: float = 0.0) -> np.ndarray:
    """The derivative of ReLU: 1 where z > 0, 0 where z < 0, ``at_zero`` where z == 0.

    ReLU has no derivative at its bend; gradient descent needs one, so we pick it.
    """
    z = np.asarray(z, dtype=float)
    return np.where(z > 0, 1.0, np.where(z == 0, float(at_zero), 0.0))


def softplus(z: ArrayLike) -> np.ndarray:
    """softplus(z) = log(1 + e^z), computed without overflow for large |z|."""
    return np.logaddexp(0.0, np.asarray(z, dtype=float))


def sigmoid(z: ArrayLike) -> np.ndarray:
    """1 / (1 + e^-z), the derivative of softplus; the tanh form stays finite for any z."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


class Activation:
    """Shared interface and the facts a scene asks about an activation.

    Subclasses set the class attributes; ``function`` and ``derivative`` are pure (no
    state), so one object can serve many nodes. ``forward``/``backward`` are the lesson's
    layer view and keep the last input."""

    #: The weights file's name for it ("relu").
    name: str = ""
    #: How captions name it ("ReLU", "leaky ReLU").
    display_name: str = ""
    #: True when the function is made of straight pieces joined at bends (corners).
    piecewise_linear: bool = False
    #: The input where the function bends (ReLU: 0), or None when it has no corner.
    bend_at: float | None = None
    #: True when one side of it is exactly flat (ReLU's 0 for negative inputs): a node can go silent.
    flat_side: bool = False
    #: True when it has a slope everywhere and no corner (softplus, sigmoid, tanh).
    smooth: bool = False
    #: How a stage's title says what it does to a node's line ("ReLU clips").
    line_title: str = ""

    def __init__(self) -> None:
        self.Z: np.ndarray | None = None
        self.A: np.ndarray | None = None

    @property
    def tex(self) -> str:
        """The function of x as TeX for MathTex ("\\max(0,\\, x)")."""
        raise NotImplementedError

    @property
    def function_name(self) -> str:
        """How a formula names it as a function ("ReLU(x)"): the display name, unless that names no function."""
        return self.display_name

    def named(self, label: Callable[..., str] = in_english) -> str:
        """Its name as a caption says it, in the words ``label`` gives (reluviz.words.labels): a
        function's name ("ReLU") is the same in every language; identity's is words."""
        return self.display_name

    @property
    def output_title(self) -> str:
        """How a stage's title names it in front of the output ("The output ReLU")."""
        return f"The output {self.display_name}"

    @property
    def said(self) -> str:
        """The display name as the narration's voice says it ("ray loo")."""
        return said_as(self.display_name)

    def written_at(self, value: str) -> str:
        """The function applied to a number, as a caption writes it ("max(0, -0.85)")."""
        return f"{self.function_name}({value})"

    def output_in_words(self, value: str, label: Callable[..., str] = in_english) -> str | None:
        """What it outputs for a number, in words, where the lesson says it so ("the larger of 0
        and -0.85", in the words ``label`` gives: reluviz.words.labels); None where the function's
        own name says it."""
        return None

    def tex_at(self, value: float) -> list:
        """The function applied to ``value`` as a formula's pieces: TeX and the number itself."""
        return [r"\mathrm{" + self.function_name.replace(" ", r"\ ") + "}(", value, ")"]

    def parameters(self) -> dict[str, float]:
        """The numbers that make two objects of a class differ (a slope, a choice at the bend)."""
        return {}

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and other.parameters() == self.parameters()

    def __hash__(self) -> int:
        return hash((type(self), tuple(self.parameters().items())))

    def __repr__(self) -> str:
        arguments = ", ".join(f"{name}={value:g}" for name, value in self.parameters().items())
        return f"{type(self).__name__}({arguments})"

    def __call__(self, Z: ArrayLike) -> np.ndarray:
        return self.function(Z)

    def function(self, Z: ArrayLike) -> np.ndarray:
        raise NotImplementedError

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        raise NotImplementedError

    def forward(self, Z: ArrayLike) -> np.ndarray:
        self.Z = np.asarray(Z, dtype=float)
        self.A = self.function(self.Z)
        return self.A

    def backward(self, dLdA: ArrayLike) -> np.ndarray:
        if self.Z is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        return np.asarray(dLdA, dtype=float) * self.derivative(self.Z)

    def slopes_beside_bend(self) -> tuple[float, float]:
        """The slopes left and right of the bend; each is the same all along its side."""
        if self.bend_at is None:
            raise ValueError(f"{self.display_name} has no bend")
        return float(self.derivative(self.bend_at - 1.0)), float(self.derivative(self.bend_at + 1.0))


class ReLU(Activation):
    """The lesson's ReLU class. ``derivative_at_zero`` is the slope chosen at the bend."""

    name = "relu"
    display_name = "ReLU"
    line_title = "ReLU clips"
    piecewise_linear = True
    bend_at = 0.0
    flat_side = True

    def __init__(self, derivative_at_zero: float = 0.0) -> None:
        super().__init__()
        if derivative_at_zero not in (0, 1):
            raise ValueError(f"derivative_at_zero must be 0 or 1, not {derivative_at_zero!r}")
        self.derivative_at_zero = float(derivative_at_zero)

    @property
    def tex(self) -> str:
        return r"\max(0,\, x)"

    def written_at(self, value: str) -> str:
        return f"max(0, {value})"

    def output_in_words(self, value: str, label: Callable[..., str] = in_english) -> str:
        return label("larger_of", x=value)

    def tex_at(self, value: float) -> list:
        return [r"\max(0,\,", value, ")"]

    def parameters(self) -> dict[str, float]:
        return {"derivative_at_zero": self.derivative_at_zero}

    def function(self, Z: ArrayLike) -> np.ndarray:
        return relu(Z)

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        return step(Z, self.derivative_at_zero)


class LeakyReLU(Activation):
    """ReLU that lets a little through for negative inputs: ``negative_slope * x`` there, so a
    node never goes silent. ``derivative_at_zero`` is one of the two slopes (PyTorch takes
    the left one, ``negative_slope``, as the default here does)."""

    name = "leaky_relu"
    display_name = "leaky ReLU"
    line_title = "Leaky ReLU bends"
    piecewise_linear = True
    bend_at = 0.0

    def __init__(self, negative_slope: float = DEFAULT_NEGATIVE_SLOPE, derivative_at_zero: float | None = None) -> None:
        super().__init__()
        if not 0 < negative_slope < 1:
            raise ValueError(f"negative_slope must lie between 0 and 1 (exclusive), not {negative_slope!r}")
        at_zero = negative_slope if derivative_at_zero is None else derivative_at_zero
        if at_zero not in (negative_slope, 1):
            raise ValueError(f"derivative_at_zero must be {negative_slope} or 1, not {at_zero!r}")
        self.negative_slope = negative_slope
        self.derivative_at_zero = float(at_zero)

    @property
    def tex(self) -> str:
        return rf"\max({format_number(self.negative_slope)}\,x,\, x)"

    def written_at(self, value: str) -> str:
        return f"max({format_number(self.negative_slope)} × {value}, {value})"

    def output_in_words(self, value: str, label: Callable[..., str] = in_english) -> str:
        return label("larger_of_scaled", slope=format_number(self.negative_slope), x=value)

    def tex_at(self, value: float) -> list:
        return [rf"\max({format_number(self.negative_slope)} \times", value, r",\,", value, ")"]

    def parameters(self) -> dict[str, float]:
        return {"negative_slope": float(self.negative_slope), "derivative_at_zero": self.derivative_at_zero}

    def function(self, Z: ArrayLike) -> np.ndarray:
        z = np.asarray(Z, dtype=float)
        return np.where(z > 0, z, self.negative_slope * z)

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        z = np.asarray(Z, dtype=float)
        return np.where(z > 0, 1.0, np.where(z == 0, self.derivative_at_zero, float(self.negative_slope)))


class Softplus(Activation):
    """The smooth ReLU the story's first network used."""

    name = "softplus"
    display_name = "softplus"
    line_title = "Softplus bends smoothly"
    smooth = True

    @property
    def tex(self) -> str:
        return r"\log(1 + e^{x})"

    def function(self, Z: ArrayLike) -> np.ndarray:
        return softplus(Z)

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        return sigmoid(Z)


class Sigmoid(Activation):
    """The logistic curve from 0 to 1, one of the older activations."""

    name = "sigmoid"
    display_name = "sigmoid"
    line_title = "Sigmoid squashes"
    smooth = True

    @property
    def tex(self) -> str:
        return r"\frac{1}{1 + e^{-x}}"

    def function(self, Z: ArrayLike) -> np.ndarray:
        return sigmoid(Z)

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        s = sigmoid(Z)
        return s * (1.0 - s)


class Tanh(Activation):
    """The hyperbolic tangent, from -1 to 1: a sigmoid centred on 0."""

    name = "tanh"
    display_name = "tanh"
    line_title = "Tanh squashes"
    smooth = True

    @property
    def tex(self) -> str:
        return r"\tanh(x)"

    def function(self, Z: ArrayLike) -> np.ndarray:
        return np.tanh(np.asarray(Z, dtype=float))

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        return 1.0 - np.tanh(np.asarray(Z, dtype=float)) ** 2


class Identity(Activation):
    """No activation: the input passes through unchanged (the softplus network's output)."""

    name = "identity"
    display_name = "no activation"
    line_title = "No activation: the line passes"
    function_name = "identity"  # "no activation(x)" would name no function
    output_title = "No output activation"
    piecewise_linear = True
    smooth = True  # a single straight line: a slope everywhere, no corner

    @property
    def tex(self) -> str:
        return "x"

    def named(self, label: Callable[..., str] = in_english) -> str:
        return label("no_activation")

    def function(self, Z: ArrayLike) -> np.ndarray:
        return np.asarray(Z, dtype=float) * 1.0

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        return np.ones_like(np.asarray(Z, dtype=float))


ACTIVATIONS: dict[str, type[Activation]] = {
    cls.name: cls for cls in (ReLU, LeakyReLU, Softplus, Sigmoid, Tanh, Identity)
}


def make_activation(name: str, negative_slope: float | None = None) -> Activation:
    """A fresh activation object by its weights-file name ("relu", "leaky_relu", ...);
    ``negative_slope`` is for leaky_relu only (its default when None)."""
    try:
        kind = ACTIVATIONS[name]
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}") from None
    if kind is LeakyReLU:
        return LeakyReLU() if negative_slope is None else LeakyReLU(negative_slope)
    if negative_slope is not None:
        raise ValueError(f"only leaky_relu takes a negative slope, not {name}")
    return kind()
