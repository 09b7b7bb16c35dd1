"""The numbers' commands of the ``reluviz`` command line: table, gradient, regions, check, weights, train.

Numpy only, like the rest of this package; ``studio/cli/main.py`` adds the render commands."""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

from reluviz.activations import ACTIVATIONS
from reluviz.drawn_data import drawn_data
from reluviz.files.data import load_dataset
from reluviz.files.errors import InputFileError
from reluviz.files.lesson import load_lesson
from reluviz.files.plane_data import PlaneDataset, load_any_dataset
from reluviz.files.plane_weights import PLANE_PRESET, load_any_weights, load_plane_weights
from reluviz.files.weights import DEFAULT_PRESET, load_weights, preset_names, write_new_weights
from reluviz.gradient import GradientStep, gradient_step, lesson_step
from reluviz.model import MAX_NODES, MIN_NODES, PlaneWeights
from reluviz.network import parameter_vector
from reluviz.plane.regions import Point, Regions, rectangle_corners, regions
from reluviz.plane.train import plane_weights_toml, train_plane
from reluviz.stage_table import default_dosages, render_text, stage_table
from reluviz.train import TrainingSettings, data_warnings, fit_summary, fit_warnings, train, weights_toml
from reluviz.words.nodes import node_label
from reluviz.words.numbers import format_number, moved, precise


def _table(args: argparse.Namespace) -> int:
    weights = load_weights(args.weights)
    table = stage_table(weights, args.dosage or default_dosages(weights), load_lesson())
    print(json.dumps(table, indent=2) if args.json else render_text(table))
    return 0


def _gradient(args: argparse.Namespace) -> int:
    weights = load_weights(args.weights)
    given = {"--dosage": args.dosage, "--target": args.target, "--rate": args.rate}
    for option, value in given.items():
        if value is not None and not math.isfinite(value):
            raise ValueError(f"{option} must be a finite number, not {value}")
    if args.rate is not None and args.rate <= 0:
        raise ValueError(f"--rate must be above 0 (a step downhill), not {args.rate:g}")
    if None in given.values():  # the gradient stage's point and rate fill in what is not given
        points = drawn_data(load_dataset(weights.data_path), weights).points  # what the stage picks from
        shown = lesson_step(weights, points.dosage, points.effectiveness)
        dosage = shown.dosage if args.dosage is None else args.dosage
        target = shown.target if args.target is None else args.target
        rate = shown.rate if args.rate is None else args.rate
    else:
        dosage, target, rate = args.dosage, args.target, args.rate
    step = gradient_step(weights, dosage, target, rate)
    print(json.dumps(step.as_dict(), indent=2) if args.json else _gradient_text(step))
    return 0


def _gradient_text(step: GradientStep) -> str:
    """The step as a table a reader can check by hand, the weights file's keys naming each number."""
    weights, net = step.weights, step.weights.network
    hidden, output = net.hidden_activation.name, net.output_activation.name
    lines = [
        f"weights: {weights.name} ({weights.path})",
        f"one gradient step at dosage {step.dosage:g}, target {step.target:g}, learning rate {step.rate:g}",
        "",
        "forward",
    ]
    for name, node in zip(net.unit_names(), step.nodes):
        lines.append(f"  {node_label(name):<12} x = {node.x:<12.6g} {hidden}(x) = {node.output:.6g}")
    lines += [
        f"  sum {step.summed:.6g}, sum + bias {step.biased:.6g}, "
        f"output {output}({step.biased:.6g}) = {step.output:.6g}",
        f"  loss (output - target)^2 = {step.loss:.6g}",
        "",
        "backward",
        f"  dloss/doutput = 2 (output - target) = {step.error_slope:.6g}",
        f"  output gate: {output}'({step.biased:.6g}) = {step.output_gate:.6g}",
    ]
    for name, node in zip(net.unit_names(), step.nodes):
        shut = ": closed, its weight and bias learn nothing from this point" if node.closed else ""
        lines.append(f"  {node_label(name)}'s gate: {hidden}'({node.x:.6g}) = {node.gate:.6g}{shut}")
    lines += ["", f"  {'parameter':<30} {'value':>12} {'gradient':>12} {'after the step':>15}"]
    keys = [weights.key(i, key) for i in range(len(net.hidden)) for key in ("weight", "bias")]
    keys += [weights.key(i, "output_weight") for i in range(len(net.hidden))] + ["output.bias"]
    # as the file writes them (parameter_vector's array would forget how many decimals that is)
    before = [*(n for u in net.hidden for n in (u.weight, u.bias)), *(u.output_weight for u in net.hidden)]
    before.append(net.output_bias)
    after = parameter_vector(step.stepped)
    for key, value, gradient, now in zip(keys, before, step.gradient, after):
        written = [format_number(value), format_number(precise(gradient)), format_number(moved(value, now))]
        lines.append(f"  {key:<30} {written[0]:>12} {written[1]:>12} {written[2]:>15}")
    lines += ["", f"after the step: output {step.new_output:.6g}, loss {step.new_loss:.6g} (was {step.loss:.6g})"]
    return "\n".join(lines)


def _regions(args: argparse.Namespace) -> int:
    found = regions(load_plane_weights(args.weights))
    print(json.dumps(found.as_dict(), indent=2) if args.json else _regions_text(found))
    return 0


def _point(point: Point) -> str:
    return f"({float(point[0]):.4g}, {float(point[1]):.4g})"


def _regions_text(found: Regions) -> str:
    """The creases and the regions as a reader can check them against a drawing of the square."""
    weights, net = found.weights, found.weights.network
    names, inputs = net.unit_names(), tuple(given.name for given in weights.inputs)
    ranges = ", ".join(f"{given.name} from {given.low:g} to {given.high:g}" for given in weights.inputs)
    lines = [
        f"weights: {weights.name} ({weights.path})",
        f"{len(names)} {net.hidden_activation.name} units; inputs {ranges}",
        "",
        "creases (where a unit's input w1 x1 + w2 x2 + b crosses its bend; the unit is on above it)",
    ]
    for name, crease in zip(names, found.creases):
        on = "on" if found.regions[0].pattern[crease.unit] else "off"
        if crease.line.flat:
            where = f"no crease (w1 = w2 = 0): its input is {crease.line.text(inputs)} everywhere, {on} throughout"
        elif crease.splits:
            where = f"{crease.line.text(inputs)} = 0, from {_point(crease.ends[0])} to {_point(crease.ends[1])}"
        elif crease.ends:
            where = f"{crease.line.text(inputs)} = 0, along the edge: {on} throughout the inside"
        else:
            touched = [corner for corner in rectangle_corners(weights) if crease.line.exactly_at(corner) == 0]
            place = f"touches the rectangle only at {_point(touched[0])}" if touched else "outside the rectangle"
            where = f"{crease.line.text(inputs)} = 0, {place}: {on} throughout"
        lines.append(f"  {node_label(name):<12} {where}")
    lines += [
        "",
        f"{found.count} regions inside the rectangle; {len(names)} units can make at most {found.largest} "
        "in the whole plane",
        "",
    ]
    rows = [("region", "on", "area", f"plane (before the output {net.output_activation.name})", "corners")]
    for number, region in enumerate(found.regions, start=1):
        on = ", ".join(node_label(n) for n, is_on in zip(names, region.pattern) if is_on) or "none"
        corners = " ".join(_point(corner) for corner in region.corners)
        rows.append((str(number), on, f"{float(region.area):.4g}", region.plane.text(inputs), corners))
    widths = [max(len(row[column]) for row in rows) for column in range(4)]
    for row in rows:
        lines.append("  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[4])
    return "\n".join(lines)


def _check(args: argparse.Namespace) -> int:
    weights = load_any_weights(args.weights)
    kind = " (a two-input network: `reluviz regions` prints its regions)" if isinstance(weights, PlaneWeights) else ""
    print(f"{weights.path}: ok{kind}")
    return 0


def _new_weights(args: argparse.Namespace) -> int:
    path = write_new_weights(args.new)
    print(f"wrote {path}: the {DEFAULT_PRESET} preset's network, every key explained; edit it, then")
    print(f"render it with: make render WEIGHTS={path}")
    return 0


def _train(args: argparse.Namespace) -> int:
    data_path, out = Path(args.data), Path(args.out)
    settings = TrainingSettings(
        epochs=args.epochs, restarts=args.restarts, seed=args.seed, nodes=args.nodes, activation=args.activation
    )
    started = time.monotonic()
    print(f"reading {data_path}", flush=True)
    # Two-input data (a 'target' column) trains a two-input network; else the dosage network.
    data = load_any_dataset(data_path, lambda rows: print(f"  read {rows} rows so far", flush=True))
    two_inputs = isinstance(data, PlaneDataset)
    for warning in data_warnings(data):
        print(f"{data_path}: warning: {warning}", file=sys.stderr, flush=True)
    rows = len(data.target) if two_inputs else len(data.dosage)
    sample = f", each epoch on a random sample of {settings.batch_size} rows" if rows > settings.batch_size else ""
    inputs = f" and two inputs ({', '.join(data.names)})" if two_inputs else ""
    print(
        f"training the network with {settings.nodes} {settings.activation} hidden nodes{inputs} on {data_path} "
        f"({rows} rows): {settings.restarts} restarts "
        f"side by side, {settings.epochs} epochs{sample}, seed {settings.seed}",
        flush=True,
    )

    def progress(epoch: int, loss: float) -> None:
        print(
            f"  epoch {epoch:>6}/{settings.epochs}  best mean squared error {loss:.5f}"
            f"  ({time.monotonic() - started:.0f} s)",
            flush=True,
        )

    if two_inputs:
        result = train_plane(data, settings, progress, data_path=data_path)
        text = plane_weights_toml(result, data_path, out, settings)
    else:
        result = train(data, settings, progress, data_path=data_path)
        text = weights_toml(result, data_path, out, settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    temporary.write_text(text)
    try:
        # What we write must load (and be drawable) before it takes the name; its data was just read.
        load_plane_weights(temporary) if two_inputs else load_weights(temporary, check_data=False)
    except InputFileError:
        temporary.unlink()
        raise
    temporary.replace(out)
    summary = fit_summary(result.weights, data)
    print(
        f"wrote {out}: restart {result.best_restart + 1} of {result.restarts} won "
        f"({result.dead_at_end} ended with a silent hidden unit); mean squared error on all {rows} rows "
        f"{summary.mean_squared_error:.5f}, largest miss {summary.largest_miss:.3f} "
        f"({time.monotonic() - started:.0f} s in all)"
    )
    for warning in fit_warnings(summary, data):
        print(f"{out}: warning: {warning}", file=sys.stderr)
    if two_inputs:
        print(f"see its creases and regions with: reluviz regions --weights {out}")
    else:
        print(f"render it with: make render WEIGHTS={out}")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add table, gradient, regions, check, weights and train to the ``reluviz`` command line."""
    weights_help = f"a preset name ({', '.join(preset_names())}) or a path to a .toml file (default: {DEFAULT_PRESET})"

    table = commands.add_parser("table", help="print every stage's value for some dosages")
    table.add_argument("--weights", default=DEFAULT_PRESET, help=weights_help)
    table.add_argument("--dosage", type=float, nargs="+", help="dosages (default: low, middle and high of the range)")
    table.add_argument("--json", action="store_true", help="print JSON, for scripts")
    table.set_defaults(run=_table)

    gradient = commands.add_parser(
        "gradient", help="one step of gradient descent on one data point: every forward value, gradient and update"
    )
    gradient.add_argument("--weights", default=DEFAULT_PRESET, help=weights_help)
    point = "the data point the gradient stage shows"
    gradient.add_argument("--dosage", type=float, help=f"the input (default: {point})")
    gradient.add_argument("--target", type=float, help=f"the effectiveness wanted there (default: {point}'s)")
    gradient.add_argument("--rate", type=float, help="the learning rate (default: the gradient stage's)")
    gradient.add_argument("--json", action="store_true", help="print JSON, for scripts")
    gradient.set_defaults(run=_gradient)

    cut = commands.add_parser(
        "regions", help="a two-input network's creases and regions: corners, activation pattern, plane, count"
    )
    cut.add_argument(
        "--weights",
        default=PLANE_PRESET,
        help=f"a two-input network (weight = [w1, w2]): a preset or a .toml file (default: {PLANE_PRESET})",
    )
    cut.add_argument("--json", action="store_true", help="print JSON, for scripts")
    cut.set_defaults(run=_regions)

    check = commands.add_parser("check", help="validate a weights file")
    check.add_argument("--weights", default=DEFAULT_PRESET, help=weights_help)
    check.set_defaults(run=_check)

    new = commands.add_parser("weights", help="write a fresh, commented weights file to edit (never overwrites)")
    new.add_argument("new", metavar="NEW", help="the file to write (.toml)")
    new.set_defaults(run=_new_weights)

    fit = commands.add_parser(
        "train", help="fit the network to a dosage CSV (or two-input data: x1,x2,target) and write a weights file"
    )
    fit.add_argument(
        "data",
        help="CSV with columns dosage,effectiveness, or two input columns and target (x1,x2,target): "
        "a two-input network is trained on it",
    )
    fit.add_argument("out", help="weights file to write (.toml)")
    defaults = TrainingSettings()
    fit.add_argument("--epochs", type=int, default=defaults.epochs)
    fit.add_argument("--restarts", type=int, default=defaults.restarts)
    fit.add_argument("--seed", type=int, default=defaults.seed)
    fit.add_argument(
        "--nodes",
        type=int,
        choices=range(MIN_NODES, MAX_NODES + 1),
        default=defaults.nodes,
        metavar=f"{{{MIN_NODES}..{MAX_NODES}}}",
        help=f"hidden nodes (default {defaults.nodes})",
    )
    fit.add_argument(
        "--activation",
        choices=sorted(ACTIVATIONS),
        default=defaults.activation,
        help=f"the hidden nodes' activation (default {defaults.activation}); the output's is relu",
    )
    fit.set_defaults(run=_train)
