"""Command line: ``python -m reluviz table|check ...`` (see ``--help``)."""

from __future__ import annotations

import argparse
import json
import signal
import sys

from .errors import InputFileError
from .lesson import load_lesson
from .table import default_dosages, render_text, stage_table
from .weights import DEFAULT_PRESET, load_weights


def _table(args: argparse.Namespace) -> int:
    weights = load_weights(args.weights)
    table = stage_table(weights, args.dosage or default_dosages(weights), load_lesson())
    print(json.dumps(table, indent=2) if args.json else render_text(table))
    return 0


def _check(args: argparse.Namespace) -> int:
    weights = load_weights(args.weights)
    print(f"{weights.path}: ok")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reluviz", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    weights_help = f"a preset name from assets/weights or a path to a .toml file (default: {DEFAULT_PRESET})"

    table = commands.add_parser("table", help="print every stage's value for some dosages")
    table.add_argument("--weights", default=DEFAULT_PRESET, help=weights_help)
    table.add_argument("--dosage", type=float, nargs="+", help="dosages (default: low, middle and high of the range)")
    table.add_argument("--json", action="store_true", help="print JSON, for scripts")
    table.set_defaults(run=_table)

    check = commands.add_parser("check", help="validate a weights file")
    check.add_argument("--weights", default=DEFAULT_PRESET, help=weights_help)
    check.set_defaults(run=_check)

    args = parser.parse_args(argv)
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `... | head` ends quietly
    try:
        return args.run(args)
    except InputFileError as error:
        print(error, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
