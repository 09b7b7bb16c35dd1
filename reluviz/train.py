"""Fit the story network to a dosage data set by gradient descent, with our own backward.

Deterministic for a seed: every restart starts from seeded random weights whose bends
lie inside the data's dosage range (so no hidden unit starts dead), all restarts train
side by side (the network's arithmetic broadcasts over them), and the best one wins.
Optimiser: Adam, on gradients from ``StoryNetwork.backward``; no autograd library.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .data import Dataset
from .network import PARAMETERS, StoryNetwork, parameter_vector, with_parameters
from .weights import Connection, Weights


@dataclass(frozen=True)
class TrainingSettings:
    epochs: int = 3000
    learning_rate: float = 0.05
    restarts: int = 24
    seed: int = 0


@dataclass(frozen=True)
class TrainingResult:
    weights: Weights
    loss: np.ndarray  # mean squared error of the winning restart, after each epoch
    path: np.ndarray  # the winning restart's parameters (in dosage units) at every epoch, shape (epochs + 1, 7)
    template: Weights
    best_restart: int
    restarts: int
    dead_at_end: int  # restarts that finished with a hidden unit silent on every data point

    def weights_at(self, epoch: int) -> Weights:
        return with_parameters(self.template, self.path[epoch])

    def settled_epoch(self, share: float = 0.98) -> int:
        """The first epoch by which the error has made ``share`` of its total fall."""
        start, end = self.loss[0], self.loss[-1]
        return int(np.argmax(self.loss <= end + (1 - share) * (start - end)))


def _template(data: Dataset, data_path: Path | None = None) -> Weights:
    zero = Connection(0.0, 0.0)
    return Weights(
        name="trained",
        path=Path("trained.toml"),
        digest="",
        dosage_low=float(data.dosage.min()),
        dosage_high=float(data.dosage.max()),
        data_path=data_path,
        hidden_activation="relu",
        top=zero,
        bottom=zero,
        output_activation="relu",
        top_output_weight=0.0,
        bottom_output_weight=0.0,
        output_bias=0.0,
    )


def _initial(rng: np.random.Generator, restarts: int) -> np.ndarray:
    """Parameters for dosages scaled to 0..1, shape (7, R): each hidden bend inside the range."""
    slope = rng.uniform(2.0, 6.0, restarts) * rng.choice([-1.0, 1.0], restarts)
    slope2 = rng.uniform(2.0, 6.0, restarts) * rng.choice([-1.0, 1.0], restarts)
    bend, bend2 = rng.uniform(0.1, 0.9, restarts), rng.uniform(0.1, 0.9, restarts)
    return np.array(
        [
            slope,
            -slope * bend,
            slope2,
            -slope2 * bend2,
            rng.normal(0.0, 1.0, restarts),
            rng.normal(0.0, 1.0, restarts),
            rng.uniform(0.0, 0.3, restarts),
        ]
    )


def _batched(template: Weights, theta: np.ndarray) -> Weights:
    """One Weights whose seven numbers are (R, 1) columns: R networks evaluated at once."""
    return with_parameters(template, [row[:, None] for row in theta])


def _to_dosage_units(theta: np.ndarray, low: float, span: float) -> np.ndarray:
    """Parameters learnt on u = (dosage - low) / span, rewritten for the dosage itself."""
    tw, tb, bw, bb, wt, wb, b = theta
    return np.array([tw / span, tb - tw * low / span, bw / span, bb - bw * low / span, wt, wb, b])


def train(
    data: Dataset,
    settings: TrainingSettings = TrainingSettings(),
    progress: Callable[[int, float], None] | None = None,
    data_path: Path | None = None,
) -> TrainingResult:
    template = _template(data, data_path)
    low, span = template.dosage_low, template.dosage_high - template.dosage_low
    u = (data.dosage - low) / span
    target = data.effectiveness
    rng = np.random.default_rng(settings.seed)
    theta = _initial(rng, settings.restarts)
    first, second = np.zeros_like(theta), np.zeros_like(theta)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    history = np.zeros((settings.epochs + 1, settings.restarts))
    path = np.zeros((settings.epochs + 1, *theta.shape))
    for epoch in range(settings.epochs + 1):
        network = StoryNetwork(_batched(template, theta))
        out = network.forward(u).output
        error = out - target
        history[epoch] = np.mean(error**2, axis=-1)
        path[epoch] = theta
        if progress is not None and (epoch % 500 == 0 or epoch == settings.epochs):
            progress(epoch, float(history[epoch].min()))
        if epoch == settings.epochs:
            break
        grad = network.backward(2.0 * error / len(u))
        first = beta1 * first + (1 - beta1) * grad
        second = beta2 * second + (1 - beta2) * grad**2
        step = epoch + 1
        theta = theta - settings.learning_rate * (first / (1 - beta1**step)) / (
            np.sqrt(second / (1 - beta2**step)) + eps
        )
    best = int(np.argmin(history[-1]))
    final = StoryNetwork(_batched(template, theta)).forward(u)
    silent = np.all(final.top.activation == 0, axis=-1) | np.all(final.bottom.activation == 0, axis=-1)
    in_dosage_units = np.array([_to_dosage_units(p, low, span) for p in path[:, :, best]])
    return TrainingResult(
        weights=with_parameters(template, in_dosage_units[-1]),
        loss=history[:, best],
        path=in_dosage_units,
        template=template,
        best_restart=best,
        restarts=settings.restarts,
        dead_at_end=int(silent.sum()),
    )


def weights_toml(result: TrainingResult, data_path: Path, out_path: Path, settings: TrainingSettings) -> str:
    """The trained network as a weights file ``make render WEIGHTS=`` takes."""
    w = result.weights
    try:
        data_ref = str(Path(data_path).resolve().relative_to(out_path.resolve().parent))
    except ValueError:
        data_ref = str(Path(data_path).resolve())
    values = dict(zip((key for key, _ in PARAMETERS), parameter_vector(w)))

    def number(key: str) -> str:
        return f"{values[key]:.6g}"

    return f"""# reluviz weights file, trained by `python -m reluviz train` on {Path(data_path).name}
# (seed {settings.seed}, {settings.epochs} epochs, best of {settings.restarts} restarts,
# final mean squared error {result.loss[-1]:.4g}).

[dosage]
low = {w.dosage_low:.6g}
high = {w.dosage_high:.6g}
data = "{data_ref}"

[hidden]
activation = "relu"

[hidden.top]
weight = {number("hidden.top.weight")}
bias = {number("hidden.top.bias")}

[hidden.bottom]
weight = {number("hidden.bottom.weight")}
bias = {number("hidden.bottom.bias")}

[output]
activation = "relu"
top_weight = {number("output.top_weight")}
bottom_weight = {number("output.bottom_weight")}
bias = {number("output.bias")}
"""
