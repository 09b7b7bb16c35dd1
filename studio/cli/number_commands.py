"""The numbers' commands of the ``reluviz`` command line: table, check, weights, train.

Numpy only, like the rest of this package; ``studio/cli/main.py`` adds the render commands."""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from reluviz.activations import ACTIVATIONS
from reluviz.files.data import load_dataset
from reluviz.files.errors import InputFileError
from reluviz.files.lesson import load_lesson
from reluviz.files.weights import DEFAULT_PRESET, load_weights, preset_names, write_new_weights
from reluviz.model import MAX_NODES, MIN_NODES
from reluviz.stage_table import default_dosages, render_text, stage_table
from reluviz.train import TrainingSettings, data_warnings, fit_summary, fit_warnings, train, weights_toml


def _table(args: argparse.Namespace) -> int:
    weights = load_weights(args.weights)
    table = stage_table(weights, args.dosage or default_dosages(weights), load_lesson())
    print(json.dumps(table, indent=2) if args.json else render_text(table))
    return 0


def _check(args: argparse.Namespace) -> int:
    weights = load_weights(args.weights)
    print(f"{weights.path}: ok")
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
    data = load_dataset(data_path, lambda rows: print(f"  read {rows} rows so far", flush=True))
    for warning in data_warnings(data):
        print(f"{data_path}: warning: {warning}", file=sys.stderr, flush=True)
    rows = len(data.dosage)
    sample = f", each epoch on a random sample of {settings.batch_size} rows" if rows > settings.batch_size else ""
    print(
        f"training the network with {settings.nodes} {settings.activation} hidden nodes on {data_path} "
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

    result = train(data, settings, progress, data_path=data_path)
    text = weights_toml(result, data_path, out, settings)
    out.parent.mkdir(parents=True, exist_ok=True)
    temporary = out.with_name(f".{out.name}.tmp")
    temporary.write_text(text)
    try:
        # What we write must load (and be drawable) before it takes the name; its data was just read.
        load_weights(temporary, check_data=False)
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
    print(f"render it with: make render WEIGHTS={out}")
    return 0


def add_commands(commands: argparse._SubParsersAction) -> None:
    """Add table, check, weights and train to the ``reluviz`` command line."""
    weights_help = f"a preset name ({', '.join(preset_names())}) or a path to a .toml file (default: {DEFAULT_PRESET})"

    table = commands.add_parser("table", help="print every stage's value for some dosages")
    table.add_argument("--weights", default=DEFAULT_PRESET, help=weights_help)
    table.add_argument("--dosage", type=float, nargs="+", help="dosages (default: low, middle and high of the range)")
    table.add_argument("--json", action="store_true", help="print JSON, for scripts")
    table.set_defaults(run=_table)

    check = commands.add_parser("check", help="validate a weights file")
    check.add_argument("--weights", default=DEFAULT_PRESET, help=weights_help)
    check.set_defaults(run=_check)

    new = commands.add_parser("weights", help="write a fresh, commented weights file to edit (never overwrites)")
    new.add_argument("new", metavar="NEW", help="the file to write (.toml)")
    new.set_defaults(run=_new_weights)

    fit = commands.add_parser("train", help="fit the network to a dosage CSV and write a weights file")
    fit.add_argument("data", help="CSV with columns dosage,effectiveness")
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
