"""Fit a two-input network to two-input data (``reluviz.files.plane_data``) by gradient
descent, as ``reluviz.train`` fits the dosage network: the same Adam, restarts, sampling of
large data and progress (``reluviz.train.descend``), gradients from our own backward
(``reluviz.network.backward_through``: for two inputs a unit's weight w1 learns from its
gate times x1, w2 from its gate times x2).

Deterministic for a seed. Every restart starts with each unit's crease crossing the input
rectangle through a random point inside it, at a random angle, so every unit is on in part of
the rectangle and off in the rest: none starts dead, and none starts as a plain plane.
``training_snapshots`` keeps the network at a few epochs, so the regions can be shown moving
as the error falls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import tomlkit

from reluviz.activations import make_activation
from reluviz.files.plane_data import PlaneDataset
from reluviz.model import HiddenUnit, Input, Network, PlaneWeights
from reluviz.network import backward_through, with_parameters
from reluviz.plane.network import trace
from reluviz.train import (
    TrainingResult,
    TrainingSettings,
    add_network_tables,
    data_reference,
    descend,
    toml_number,
    trained,
)

#: Snapshots ``training_snapshots`` keeps by default: the first epoch, the last, and epochs
#: spaced evenly on a log scale between them (training moves most at its start).
SNAPSHOTS = 8
#: The settings ``reluviz train`` uses unless told otherwise (its --nodes default is 2).
DEFAULTS = TrainingSettings()


def _template(data: PlaneDataset, settings: TrainingSettings, data_path: Path | None = None) -> PlaneWeights:
    """The network to train, every number 0 until training sets them; its rectangle is the data's."""
    zero = HiddenUnit((0.0, 0.0), 0.0, 0.0)
    return PlaneWeights(
        name="trained",
        path=Path("trained.toml"),
        digest="",
        inputs=tuple(Input(name, low, high) for name, (low, high) in zip(data.names, data.rectangle)),
        network=Network(
            hidden=(zero,) * settings.nodes,
            hidden_activation=make_activation(settings.activation),
            output_activation=make_activation("relu"),
            output_bias=0.0,
        ),
        data_path=data_path,
    )


def _initial(rng: np.random.Generator, restarts: int, nodes: int) -> np.ndarray:
    """Parameters for inputs scaled to the unit square, shape (4N + 1, R): each unit's crease
    through a point in the square's middle 80%, at any angle; slopes, output weights and the
    output bias spread as ``reluviz.train`` spreads them for one input."""
    slopes = rng.uniform(2.0, 6.0, (nodes, restarts))
    angles = rng.uniform(0.0, 2 * np.pi, (nodes, restarts))
    through = rng.uniform(0.1, 0.9, (2, nodes, restarts))  # the point each crease passes through
    w1, w2 = slopes * np.cos(angles), slopes * np.sin(angles)
    biases = -(w1 * through[0] + w2 * through[1])
    output_weights = rng.normal(0.0, 1.0, (nodes, restarts)) * np.sqrt(2 / nodes)
    inputs = np.stack([w1, w2, biases], axis=1).reshape(3 * nodes, restarts)  # w1, w2, b of unit 1, then unit 2...
    return np.vstack([inputs, output_weights, rng.uniform(0.0, 0.3, (1, restarts))])


def _batched(template: PlaneWeights, theta: np.ndarray) -> PlaneWeights:
    """One PlaneWeights whose numbers are (R, 1) columns: R networks evaluated at once."""
    return with_parameters(template, [row[:, None] for row in theta])


def _to_input_units(path: np.ndarray, lows: np.ndarray, spans: np.ndarray) -> np.ndarray:
    """Parameters (one row per epoch) learnt on u = (x - low) / span for each input, rewritten for
    the inputs themselves: w1 u1 + w2 u2 + b is (w1 / span1) x1 + (w2 / span2) x2 + b - w1 low1 / span1 - ..."""
    epochs, nodes = len(path), (path.shape[1] - 1) // 4
    units = path[:, : 3 * nodes].reshape(epochs, nodes, 3)  # w1, w2, b of each unit
    weights = units[..., :2] / spans
    biases = units[..., 2] - np.sum(units[..., :2] * lows / spans, axis=-1)
    rewritten = np.concatenate([weights, biases[..., None]], axis=-1).reshape(epochs, 3 * nodes)
    return np.concatenate([rewritten, path[:, 3 * nodes :]], axis=1)


def train_plane(
    data: PlaneDataset,
    settings: TrainingSettings = DEFAULTS,
    progress: Callable[[int, float], None] | None = None,
    data_path: Path | None = None,
) -> TrainingResult:
    """Train ``settings.restarts`` two-input networks side by side; the best on all the data wins.
    The result's ``weights`` and ``weights_at(epoch)`` are ``PlaneWeights``; its ``path`` holds
    the 4N + 1 parameters (``reluviz.network.parameter_vector``'s order) at every epoch.

    ``progress(epoch, best_error)`` is called as ``reluviz.train.train`` calls it."""
    template = _template(data, settings, data_path)
    lows = np.array([given.low for given in template.inputs])
    spans = np.array([given.high - given.low for given in template.inputs])
    u1, u2 = (data.x1 - lows[0]) / spans[0], (data.x2 - lows[1]) / spans[1]

    def forward(theta: np.ndarray, rows: np.ndarray | slice):
        weights = _batched(template, theta)
        out = trace(weights, u1[rows], u2[rows])
        return out, lambda slope: backward_through(weights.network, out.hidden, out.biased, (out.x1, out.x2), slope)

    theta = _initial(np.random.default_rng(settings.seed), settings.restarts, settings.nodes)
    descent = descend(forward, data.target, theta, settings, progress)
    return trained(template, descent, _to_input_units(descent.path[:, :, descent.best], lows, spans), settings)


@dataclass(frozen=True)
class Snapshot:
    """The winning network at one epoch of a run, and its error then."""

    epoch: int
    loss: float
    weights: PlaneWeights


def snapshot_epochs(epochs: int, count: int = SNAPSHOTS) -> tuple[int, ...]:
    """0, ``epochs`` and epochs spaced evenly on a log scale between them: ``count`` at most."""
    between = np.geomspace(1, epochs, count - 1).round().astype(int) if epochs >= 1 else []
    return tuple(sorted({0, *(int(epoch) for epoch in between)}))


def snapshots(result: TrainingResult, epochs: Sequence[int] | None = None) -> tuple[Snapshot, ...]:
    """The run's network and error at each of ``epochs`` (default ``snapshot_epochs``)."""
    last = len(result.loss) - 1
    chosen = snapshot_epochs(last) if epochs is None else tuple(epochs)
    return tuple(Snapshot(epoch, float(result.loss[epoch]), result.weights_at(epoch)) for epoch in chosen)


def training_snapshots(
    data: PlaneDataset, settings: TrainingSettings = DEFAULTS, epochs: Sequence[int] | None = None
) -> tuple[Snapshot, ...]:
    """Train on ``data`` and keep the winning network at a few epochs (default ``snapshot_epochs``):
    what a scene needs to show the creases and regions moving while the error falls."""
    return snapshots(train_plane(data, settings), epochs)


def _pair(first: float, second: float) -> tomlkit.items.Item:
    """Two parameters as the file writes them: [w1, w2], six significant digits each."""
    return tomlkit.parse(f"v = [{toml_number(first).as_string()}, {toml_number(second).as_string()}]\n")["v"]


def plane_weights_toml(result: TrainingResult, data_path: Path, out_path: Path, settings: TrainingSettings) -> str:
    """The trained two-input network as a weights file (pairs [w1, w2], [inputs] from the data)."""
    weights, net = result.weights, result.weights.network
    document = tomlkit.document()
    document.add(
        tomlkit.comment(f"reluviz weights file, trained by `python -m reluviz train` on {Path(data_path).name}")
    )
    document.add(
        tomlkit.comment(
            f"({len(net.hidden)} hidden nodes, two inputs, seed {settings.seed}, {settings.epochs} epochs, best of "
            f"{settings.restarts} restarts, final mean squared error {result.loss[-1]:.4g})."
        )
    )
    document.add(tomlkit.nl())
    inputs = tomlkit.table()
    inputs.add("names", [given.name for given in weights.inputs])
    inputs.add("low", _pair(*(given.low for given in weights.inputs)))
    inputs.add("high", _pair(*(given.high for given in weights.inputs)))
    inputs.add("data", data_reference(Path(data_path), out_path, default=None))
    inputs.add(tomlkit.nl())
    document.add("inputs", inputs)
    add_network_tables(document, net, lambda weight: _pair(*weight))
    return tomlkit.dumps(document)
