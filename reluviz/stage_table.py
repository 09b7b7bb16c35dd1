"""The stage table: one row per dosage, one column per stage the videos show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from reluviz.files.lesson import Lesson
from reluviz.model import Weights
from reluviz.network import bends, column_prefix, trace
from reluviz.neuron import neuron_forward
from reluviz.words.nodes import node_label
from reluviz.words.numbers import format_number


def headings(weights: Weights) -> dict[str, str]:
    """Short column headings for the text table, in story order: "top x", "node 3 f(x)", ..."""
    columns = {"dosage": "dosage"}
    for name in weights.network.unit_names():
        prefix = column_prefix(name)
        columns |= {
            f"{prefix}_pre_activation": f"{name} x",
            f"{prefix}_activation": f"{name} f(x)",
            f"{prefix}_scaled": f"{name}*w",
        }
    return columns | {"summed": "sum", "biased": "sum+bias", "output": "output"}


def default_dosages(weights: Weights) -> list[float]:
    low, high = weights.dosage_range
    return [low, (low + high) / 2, high]


def stage_table(weights: Weights, dosages: Sequence[float], lesson: Lesson | None = None) -> dict[str, Any]:
    """The table as plain data (JSON-ready): weights identity, rows, bends, the neuron example."""
    columns = trace(weights, np.asarray(dosages, dtype=float)).columns()
    rows = [
        {name: float(values[i]) + 0.0 for name, values in columns.items()} for i in range(len(dosages))
    ]  # + 0.0: no -0.0
    b = bends(weights)
    table: dict[str, Any] = {
        "weights": {"name": weights.name, "path": str(weights.path), "sha256": weights.digest},
        "activations": {
            "hidden": weights.network.hidden_activation.name,
            "output": weights.network.output_activation.name,
        },
        "headings": headings(weights),
        "rows": rows,
        "bends": {
            "hidden": dict(zip(weights.network.unit_names(), b.hidden)),
            "output": list(b.output),
        },
    }
    if lesson is not None:
        n = lesson.neuron
        t = neuron_forward(n.inputs, n.weights, n.bias, n.activation)
        table["neuron"] = {
            "inputs": list(t.inputs),
            "weights": list(t.weights),
            "products": list(t.products),
            "bias": t.bias,
            "pre_activation": t.pre_activation,
            "activation": t.activation,
            "output": t.output,
        }
    return table


def render_text(table: dict[str, Any]) -> str:
    """The table for a terminal, numbers as the videos write them."""
    names = list(table["headings"])
    cells = [list(table["headings"].values())] + [[format_number(row[n]) for n in names] for row in table["rows"]]
    widths = [max(len(r[i]) for r in cells) for i in range(len(names))]
    lines = [
        f"weights: {table['weights']['name']} ({table['weights']['path']})",
        f"activations: hidden {table['activations']['hidden']}, output {table['activations']['output']}",
        "",
    ]
    for r in cells:
        lines.append("  ".join(c.rjust(w) for c, w in zip(r, widths)))
    b = table["bends"]

    def where(x: float | None) -> str:
        return "none" if x is None else f"dosage {format_number(x)}"

    output_bends = ", ".join(f"dosage {format_number(x)}" for x in b["output"]) or "none in the dosage range"
    hidden_bends = ", ".join(f"{node_label(name)} {where(x)}" for name, x in b["hidden"].items())
    lines += ["", f"bends: {hidden_bends}, output {output_bends}"]
    if "neuron" in table:
        n = table["neuron"]
        terms = " + ".join(f"({format_number(x)} x {format_number(w)})" for x, w in zip(n["inputs"], n["weights"]))
        lines.append(
            f"neuron: x = {terms} + {format_number(n['bias'])} = {format_number(n['pre_activation'])}, "
            f"{n['activation']}(x) = {format_number(n['output'])}"
        )
    return "\n".join(lines)
