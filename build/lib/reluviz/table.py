"""The stage table: one row per dosage, one column per stage the videos show."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from .lesson import Lesson
from .network import bends, trace
from .neuron import neuron_forward
from .numbers import format_number
from .weights import Weights

#: Short column headings for the text table, in story order.
HEADINGS = {
    "dosage": "dosage",
    "top_pre_activation": "top x",
    "top_activation": "top f(x)",
    "top_scaled": "top*w",
    "bottom_pre_activation": "bottom x",
    "bottom_activation": "bottom f(x)",
    "bottom_scaled": "bottom*w",
    "summed": "sum",
    "biased": "sum+bias",
    "output": "output",
}


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
        "activations": {"hidden": weights.hidden_activation, "output": weights.output_activation},
        "rows": rows,
        "bends": {"top": b.top, "bottom": b.bottom, "output": list(b.output)},
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
    names = list(HEADINGS)
    cells = [[HEADINGS[n] for n in names]] + [[format_number(row[n]) for n in names] for row in table["rows"]]
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
    lines += ["", f"bends: top node {where(b['top'])}, bottom node {where(b['bottom'])}, output {output_bends}"]
    if "neuron" in table:
        n = table["neuron"]
        terms = " + ".join(f"({format_number(x)} x {format_number(w)})" for x, w in zip(n["inputs"], n["weights"]))
        lines.append(
            f"neuron: x = {terms} + {format_number(n['bias'])} = {format_number(n['pre_activation'])}, "
            f"{n['activation']}(x) = {format_number(n['output'])}"
        )
    return "\n".join(lines)
