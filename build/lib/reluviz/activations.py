"""Activation functions: ReLU (the lesson's subject), softplus and identity.

Each comes as plain functions and as a class with the lesson's interface:
``forward(Z)`` remembers its input, ``backward(dLdA)`` returns ``dLdZ``.
"""

from __future__ import annotations

import numpy as np

ArrayLike = float | np.ndarray


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
    """The derivative of softplus; the tanh form stays finite for any z."""
    return 0.5 * (1.0 + np.tanh(0.5 * np.asarray(z, dtype=float)))


class Activation:
    """Shared interface: ``forward`` remembers Z so ``backward`` can apply dA/dZ."""

    name: str = ""
    #: True when the function is made of straight pieces joined at bends (corners).
    piecewise_linear: bool = False
    #: The input where the function bends (ReLU: 0), or None when it has no corner.
    bend_at: float | None = None

    def __init__(self) -> None:
        self.Z: np.ndarray | None = None
        self.A: np.ndarray | None = None

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


class ReLU(Activation):
    """The lesson's ReLU class. ``derivative_at_zero`` is the slope chosen at the bend."""

    name = "relu"
    piecewise_linear = True
    bend_at = 0.0

    def __init__(self, derivative_at_zero: float = 0.0) -> None:
        super().__init__()
        if derivative_at_zero not in (0, 1):
            raise ValueError(f"derivative_at_zero must be 0 or 1, not {derivative_at_zero!r}")
        self.derivative_at_zero = float(derivative_at_zero)

    def function(self, Z: ArrayLike) -> np.ndarray:
        return relu(Z)

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        return step(Z, self.derivative_at_zero)

    def slopes_beside_bend(self) -> tuple[float, float]:
        """The slopes left and right of the bend; each is the same all along its side."""
        return float(self.derivative(self.bend_at - 1.0)), float(self.derivative(self.bend_at + 1.0))


class Softplus(Activation):
    """The smooth activation the story's first network used."""

    name = "softplus"

    def function(self, Z: ArrayLike) -> np.ndarray:
        return softplus(Z)

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        return sigmoid(Z)


class Identity(Activation):
    """No activation: the output passes through unchanged (the softplus network's output)."""

    name = "identity"
    piecewise_linear = True

    def function(self, Z: ArrayLike) -> np.ndarray:
        return np.asarray(Z, dtype=float) * 1.0

    def derivative(self, Z: ArrayLike) -> np.ndarray:
        return np.ones_like(np.asarray(Z, dtype=float))


ACTIVATIONS: dict[str, type[Activation]] = {cls.name: cls for cls in (ReLU, Softplus, Identity)}


def make_activation(name: str) -> Activation:
    """A fresh activation object by its weights-file name ("relu", "softplus", "identity")."""
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; expected one of {sorted(ACTIVATIONS)}") from None
