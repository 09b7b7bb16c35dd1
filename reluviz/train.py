"""Fit the story network (any number of hidden nodes) to a dosage data set by gradient
descent, with our own backward.

Deterministic for a seed: every restart starts from seeded random weights whose bends
lie inside the data's dosage range (so no hidden unit starts dead), all restarts train
side by side (the network's arithmetic broadcasts over them), and the best one wins.
Optimiser: Adam, on gradients from ``StoryNetwork.backward``; no autograd library.

Large data: with more rows than ``TrainingSettings.batch_size`` each epoch trains on a
seeded random sample of that many rows (so an epoch costs the same for a thousand rows or
a million), the step size falls to nothing over the last epochs so the sampling noise
settles, and the restarts are compared on all the data, evaluated a chunk at a time.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import tomlkit

from reluviz.activations import LeakyReLU, make_activation
from reluviz.files.data import DEFAULT_DATA, Dataset
from reluviz.files.paths import ASSETS
from reluviz.files.plane_data import PlaneDataset
from reluviz.model import HiddenUnit, Network, PlaneWeights, Weights
from reluviz.network import StoryNetwork, with_parameters
from reluviz.plane.network import trace as plane_trace

#: Seconds between progress reports, whatever the epoch (a report also comes every 500 epochs).
PROGRESS_SECONDS = 2.0
#: Rows evaluated at once when measuring the error on all of a large data set: bounds the
#: memory of a (restarts x rows) evaluation.
EVALUATION_CHUNK = 8192
#: Values below 0 are worth a warning when missing them costs more than this share of the
#: data's variance (the error a flat line at the mean would make).
UNREACHABLE_SHARE = 0.01


@dataclass(frozen=True)
class TrainingSettings:
    epochs: int = 3000
    #: Adam's step size for the lesson's two hidden nodes. With N nodes a step moves N output
    #: terms at once, so the step taken is this times 2 / N: the sum moves about as far per step.
    learning_rate: float = 0.05
    restarts: int = 24
    seed: int = 0
    #: Data with more rows trains each epoch on a random sample of this many rows.
    batch_size: int = 4096
    #: With sampled epochs, the share of the run (at its end) over which the step size falls to 0.
    cooldown: float = 0.3
    #: The network trained: how many hidden nodes, and their activation (the output's is ReLU,
    #: so the fit never goes below 0, as effectiveness does not).
    nodes: int = 2
    activation: str = "relu"


@dataclass(frozen=True)
class TrainingResult:
    """A run's winner; for a two-input network (``reluviz.plane.train``) its weights are ``PlaneWeights``."""

    weights: Weights | PlaneWeights
    #: Mean squared error of the winning restart at each epoch: on all the data, or with
    #: sampled epochs on that epoch's sample (the last entry is always on all the data).
    loss: np.ndarray
    #: The winning restart's parameters (for the inputs as the data writes them, not scaled) at
    #: every epoch, in ``parameter_vector``'s order: shape (epochs + 1, 3N + 1), with two inputs 4N + 1.
    path: np.ndarray
    template: Weights | PlaneWeights
    best_restart: int
    restarts: int
    dead_at_end: int  # restarts that finished with a hidden unit silent on every data point
    sampled: bool  # each epoch trained on a random sample of the data (it has more rows than the batch size)

    def weights_at(self, epoch: int) -> Weights | PlaneWeights:
        return with_parameters(self.template, self.path[epoch])

    def settled_epoch(self, share: float = 0.98) -> int:
        """The first epoch by which the error has made ``share`` of its total fall."""
        start, end = self.loss[0], self.loss[-1]
        return int(np.argmax(self.loss <= end + (1 - share) * (start - end)))


def _template(data: Dataset, settings: TrainingSettings, data_path: Path | None = None) -> Weights:
    """The network to train, every number 0 until training sets them."""
    zero = HiddenUnit(0.0, 0.0, 0.0)
    return Weights(
        name="trained",
        path=Path("trained.toml"),
        digest="",
        dosage_low=float(data.dosage.min()),
        dosage_high=float(data.dosage.max()),
        data_path=data_path,
        network=Network(
            hidden=(zero,) * settings.nodes,
            hidden_activation=make_activation(settings.activation),
            output_activation=make_activation("relu"),
            output_bias=0.0,
        ),
    )


def _initial(rng: np.random.Generator, restarts: int, nodes: int) -> np.ndarray:
    """Parameters for dosages scaled to 0..1, shape (3N + 1, R): each hidden bend inside the range.

    Drawn in the order the two-node network always drew them (every slope, every bend,
    every output weight), so a seed still starts the lesson's network where it did."""
    slopes = [rng.uniform(2.0, 6.0, restarts) * rng.choice([-1.0, 1.0], restarts) for _ in range(nodes)]
    bends = [rng.uniform(0.1, 0.9, restarts) for _ in range(nodes)]
    # Spread sqrt(2 / N): the sum of N nodes starts as large as the lesson's two do, not so
    # large that it is below 0 on every dosage (the output ReLU then has no gradient to learn from).
    output_weights = [rng.normal(0.0, 1.0, restarts) * np.sqrt(2 / nodes) for _ in range(nodes)]
    inputs = [row for slope, bend in zip(slopes, bends) for row in (slope, -slope * bend)]
    return np.array([*inputs, *output_weights, rng.uniform(0.0, 0.3, restarts)])


def _batched(template: Weights, theta: np.ndarray) -> Weights:
    """One Weights whose numbers are (R, 1) columns: R networks evaluated at once."""
    return with_parameters(template, [row[:, None] for row in theta])


def _to_dosage_units(theta: np.ndarray, low: float, span: float) -> np.ndarray:
    """Parameters learnt on u = (dosage - low) / span, rewritten for the dosage itself."""
    nodes = (len(theta) - 1) // 3
    weights, biases = theta[0 : 2 * nodes : 2], theta[1 : 2 * nodes : 2]
    inputs = np.ravel(np.column_stack([weights / span, biases - weights * low / span]))
    return np.concatenate([inputs, theta[2 * nodes :]])


#: A network kind's forward pass for the descent: the parameters (P, R) and which rows ->
#: the trace at those rows (its ``output`` and ``hidden`` nodes), and the backward pass that
#: turns the loss's slope at each row's output into the parameters' gradient (P, R).
Forward = Callable[[np.ndarray, np.ndarray | slice], tuple[Any, Callable[[np.ndarray], np.ndarray]]]


def _evaluate(forward: Forward, theta: np.ndarray, target: np.ndarray, nodes: int) -> tuple[np.ndarray, np.ndarray]:
    """Every restart's mean squared error on all the rows, and whether each has a hidden unit
    silent on every point; a chunk of rows at a time, so memory stays bounded."""
    restarts = theta.shape[1]
    squared, alive = np.zeros(restarts), np.zeros((nodes, restarts), bool)
    for start in range(0, len(target), EVALUATION_CHUNK):
        out, _ = forward(theta, slice(start, start + EVALUATION_CHUNK))
        squared += np.sum((out.output - target[start : start + EVALUATION_CHUNK]) ** 2, axis=-1)
        for unit, node in enumerate(out.hidden):
            alive[unit] |= np.any(node.activation != 0, axis=-1)
    return squared / len(target), ~np.all(alive, axis=0)


@dataclass(frozen=True)
class Descent:
    """Every restart's run: its error and its parameters at every epoch."""

    history: np.ndarray  # mean squared error, shape (epochs + 1, R)
    path: np.ndarray  # parameters, shape (epochs + 1, P, R)
    silent: np.ndarray  # per restart: it ended with a hidden unit silent on every row
    sampled: bool

    @property
    def best(self) -> int:
        """The restart with the least error on all the data at the end."""
        return int(np.argmin(self.history[-1]))


def descend(
    forward: Forward,
    target: np.ndarray,
    theta: np.ndarray,
    settings: TrainingSettings,
    progress: Callable[[int, float], None] | None = None,
) -> Descent:
    """Adam on the mean squared error from the starting parameters ``theta`` (P, R): every
    restart side by side, each epoch on all the rows, or on a seeded sample of
    ``settings.batch_size`` of them when there are more. Any network kind: ``forward`` runs it.

    ``progress(epoch, best_error)`` is called at the first and last epoch, every 500 epochs
    and at least every ``PROGRESS_SECONDS``."""
    rows = len(target)
    sampled = rows > settings.batch_size
    # Its own stream from the seed, so drawing samples leaves the starting weights as they were.
    sampler = np.random.default_rng(np.random.SeedSequence(settings.seed).spawn(1)[0])
    cooldown_start = settings.epochs * (1 - settings.cooldown)
    first, second = np.zeros_like(theta), np.zeros_like(theta)
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    history = np.zeros((settings.epochs + 1, theta.shape[1]))
    path = np.zeros((settings.epochs + 1, *theta.shape))
    last_report = time.monotonic()
    for epoch in range(settings.epochs + 1):
        path[epoch] = theta
        if epoch == settings.epochs:
            history[epoch], silent = _evaluate(forward, theta, target, settings.nodes)
        else:
            chosen = sampler.integers(0, rows, settings.batch_size) if sampled else slice(None)
            out, backward = forward(theta, chosen)
            error = out.output - target[chosen]
            history[epoch] = np.mean(error**2, axis=-1)
        now = time.monotonic()
        if progress is not None and (
            epoch % 500 == 0 or epoch == settings.epochs or now - last_report >= PROGRESS_SECONDS
        ):
            progress(epoch, float(history[epoch].min()))
            last_report = now
        if epoch == settings.epochs:
            break
        grad = backward(2.0 * error / error.shape[-1])
        first = beta1 * first + (1 - beta1) * grad
        second = beta2 * second + (1 - beta2) * grad**2
        step = epoch + 1
        rate = settings.learning_rate * 2 / settings.nodes
        if sampled and epoch >= cooldown_start:
            rate *= (settings.epochs - epoch) / (settings.epochs - cooldown_start)
        theta = theta - rate * (first / (1 - beta1**step)) / (np.sqrt(second / (1 - beta2**step)) + eps)
    return Descent(history, path, silent, sampled)


def train(
    data: Dataset,
    settings: TrainingSettings = TrainingSettings(),
    progress: Callable[[int, float], None] | None = None,
    data_path: Path | None = None,
) -> TrainingResult:
    """Train ``settings.restarts`` networks side by side; the best on all the data wins.

    ``progress(epoch, best_error)`` is called at the first and last epoch, every 500 epochs
    and at least every ``PROGRESS_SECONDS``."""
    template = _template(data, settings, data_path)
    low, span = template.dosage_low, template.dosage_high - template.dosage_low
    u = (data.dosage - low) / span

    def forward(theta: np.ndarray, rows: np.ndarray | slice):
        network = StoryNetwork(_batched(template, theta))
        return network.forward(u[rows]), network.backward

    theta = _initial(np.random.default_rng(settings.seed), settings.restarts, settings.nodes)
    descent = descend(forward, data.effectiveness, theta, settings, progress)
    in_dosage_units = np.array([_to_dosage_units(p, low, span) for p in descent.path[:, :, descent.best]])
    return trained(template, descent, in_dosage_units, settings)


def trained(template, descent: Descent, path: np.ndarray, settings: TrainingSettings) -> TrainingResult:
    """The winning restart of ``descent`` as the result of training, its ``path`` (parameters at
    every epoch) already turned back into the data's own units."""
    best = descent.best
    return TrainingResult(
        weights=with_parameters(template, path[-1]),
        loss=descent.history[:, best],
        path=path,
        template=template,
        best_restart=best,
        restarts=settings.restarts,
        dead_at_end=int(descent.silent.sum()),
        sampled=descent.sampled,
    )


@dataclass(frozen=True)
class FitSummary:
    """How a network's output compares with every data point."""

    rows: int
    mean_squared_error: float
    largest_miss: float
    zero_outputs: int  # data points where the output is exactly 0 (the output ReLU clipped it)


def _fitted(data: Dataset | PlaneDataset) -> tuple[np.ndarray, str, str]:
    """The values to fit, what the data calls them, and what a flat fit is (a line or a plane)."""
    if isinstance(data, PlaneDataset):
        return data.target, "target", "plane"
    return data.effectiveness, "effectiveness", "line"


def fit_summary(weights: Weights | PlaneWeights, data: Dataset | PlaneDataset) -> FitSummary:
    """The network's error on all of ``data`` (one input or two), a chunk of rows at a time."""
    target, _, _ = _fitted(data)
    squared, largest, zeros = 0.0, 0.0, 0
    for start in range(0, len(target), EVALUATION_CHUNK):
        stop = start + EVALUATION_CHUNK
        if isinstance(data, PlaneDataset):
            output = plane_trace(weights, data.x1[start:stop], data.x2[start:stop]).output
        else:
            output = StoryNetwork(weights).forward(data.dosage[start:stop]).output
        miss = np.abs(output - target[start:stop])
        squared += float(np.sum(miss**2))
        largest = max(largest, float(miss.max()))
        zeros += int(np.count_nonzero(output == 0))
    rows = len(target)
    return FitSummary(rows, squared / rows, largest, zeros)


def data_warnings(data: Dataset | PlaneDataset) -> list[str]:
    """What about ``data`` the network cannot fit, however it is trained."""
    values, name, flat = _fitted(data)
    if np.all(values <= 0):
        return [
            f"every {name} value is 0 or below, and the output ReLU never goes below 0: "
            f"the best the network can draw is a flat {flat} at 0"
        ]
    # The part of the error no training can remove: each value below 0 is missed by at least
    # its depth. Noise dipping a little under 0 costs next to nothing and is not worth a warning.
    unreachable = float(np.mean(np.minimum(values, 0.0) ** 2))
    if unreachable > UNREACHABLE_SHARE * float(np.var(values)):
        below = int(np.count_nonzero(values < 0))
        return [
            f"{below} of {len(values)} {name} values are below 0, where the output ReLU "
            f"never goes: the fit cannot reach them (they are as low as {values.min():.3g})"
        ]
    return []


def fit_warnings(summary: FitSummary, data: Dataset | PlaneDataset) -> list[str]:
    """What about a trained network's fit a lecturer should know before rendering it."""
    values, _, flat = _fitted(data)
    if summary.zero_outputs == summary.rows and np.any(values > 0):
        return [
            f"the trained network outputs 0 at every data point (a flat {flat}, no fit); "
            "try another --seed or more --restarts"
        ]
    return []


def data_reference(data_path: Path, out_path: Path, default: Path | None = DEFAULT_DATA) -> str | None:
    """The ``data`` value of a trained file: none for ``default`` (the lesson's data, which a
    file without the key means, so the file works wherever it is copied), a path relative to
    the file when the data lies in its folder or below (the two move together) or when both
    are in the shipped assets (a preset and its data, installed together), else an absolute path."""
    data, out_folder = data_path.resolve(), out_path.resolve().parent
    if default is not None and data == default:
        return None
    try:
        return str(data.relative_to(out_folder))
    except ValueError:
        pass
    if data.is_relative_to(ASSETS) and out_folder.is_relative_to(ASSETS):
        return os.path.relpath(data, out_folder)
    return str(data)


def toml_number(value: float) -> tomlkit.items.Item:
    """A parameter as the file writes it: six significant digits."""
    return tomlkit.parse(f"v = {float(value):.6g}\n")["v"]


def add_network_tables(
    document: tomlkit.TOMLDocument, net: Network, weight_item: Callable[[Any], tomlkit.items.Item] = toml_number
) -> None:
    """Add [hidden] (its [[hidden.nodes]]) and [output] to a trained weights file; ``weight_item``
    writes a node's input weight (a number for one input, a pair for two)."""
    hidden = tomlkit.table()
    hidden.add("activation", net.hidden_activation.name)
    if isinstance(net.hidden_activation, LeakyReLU):
        hidden.add("negative_slope", toml_number(net.hidden_activation.negative_slope))
    hidden.add(tomlkit.nl())
    nodes = tomlkit.aot()
    for unit in net.hidden:
        node = tomlkit.table()
        node.add("weight", weight_item(unit.weight))
        node.add("bias", toml_number(unit.bias))
        node.add("output_weight", toml_number(unit.output_weight))
        nodes.append(node)
    node.add(tomlkit.nl())  # tomlkit parts the nodes by a blank line, but not the last from [output]
    hidden.add("nodes", nodes)
    document.add("hidden", hidden)
    output = tomlkit.table()
    output.add("activation", net.output_activation.name)
    output.add("bias", toml_number(net.output_bias))
    document.add("output", output)


def weights_toml(result: TrainingResult, data_path: Path, out_path: Path, settings: TrainingSettings) -> str:
    """The trained network as a weights file ``make render WEIGHTS=`` takes (the [[hidden.nodes]] form)."""
    w = result.weights
    net = w.network
    document = tomlkit.document()
    document.add(
        tomlkit.comment(f"reluviz weights file, trained by `python -m reluviz train` on {Path(data_path).name}")
    )
    document.add(
        tomlkit.comment(
            f"({len(net.hidden)} hidden nodes, seed {settings.seed}, {settings.epochs} epochs, best of "
            f"{settings.restarts} restarts, final mean squared error {result.loss[-1]:.4g})."
        )
    )
    document.add(tomlkit.nl())
    dosage = tomlkit.table()
    dosage.add("low", toml_number(w.dosage_low))
    dosage.add("high", toml_number(w.dosage_high))
    reference = data_reference(Path(data_path), out_path)
    if reference is None:
        dosage.comment("no data key: the lesson's own data set")
    else:
        dosage.add("data", reference)
    dosage.add(tomlkit.nl())
    document.add("dosage", dosage)
    add_network_tables(document, net)
    return tomlkit.dumps(document)
