"""Two-input weights files: [[hidden.nodes]] whose weights are pairs [w1, w2], one per input.

Everything but the input is the one-input [[hidden.nodes]] form: 1 to 6 nodes, the six
activations, the output's activation and bias. Instead of [dosage], an optional [inputs]
table names the two inputs and gives their ranges (default: x1 and x2, both from 0 to 1)::

    [inputs]
    names = ["x1", "x2"]
    low = [0.0, 0.0]
    high = [1.0, 1.0]
    data = "points.csv"  # optional: the two-input data it was fitted to (reluviz.files.plane_data)

``load_plane_weights`` reads one into a ``PlaneWeights``; ``load_any_weights`` reads either
kind of file, as ``reluviz check`` does.
"""

from __future__ import annotations

import dataclasses
import hashlib
from pathlib import Path
from typing import Any

from reluviz.files import schema
from reluviz.files.errors import InputFileError, quoted
from reluviz.files.weights import (
    DEFAULT_PRESET,
    NODES_SCHEMA,
    file_form,
    find_data,
    read_activation,
    read_document,
    safe_name,
    weights_from_document,
)
from reluviz.model import DEFAULT_INPUTS, PLANE_FORM, HiddenUnit, Input, Network, PlaneWeights, Weights
from reluviz.plane.network import drawing_problems
from reluviz.words.numbers import written

#: The two-input preset `reluviz regions` shows when no file is named.
PLANE_PRESET = "plateau"
#: How to fix an ``inputs.data`` path that leads nowhere; shown with the places looked in.
DATA_PATH_HINT = "give a path relative to this file, an absolute path, or remove the key (the file then names no data)"
#: How long an input's name may be: it labels an axis and is written in every region's plane.
NAME_CHARACTERS = 20


def weight_pair_problem(value: Any) -> str | None:
    """Why a two-input node's weight is not a pair of usable numbers [w1, w2], or None."""
    if not isinstance(value, list):
        got = f"one number, {value}" if schema.number_problem(value) is None else schema.describe(value)
        return (
            f"expected a pair [w1, w2], one weight per input, as this two-input network's other nodes have, got {got}"
        )
    if len(value) != 2:
        return f"expected a pair [w1, w2], one weight per input, got {len(value)} numbers (there are two inputs)"
    for index, item in enumerate(value):
        problem = schema.number_problem(item)
        if problem:
            return f"w{index + 1}: {problem}"
    return None


def names_problem(value: Any) -> str | None:
    """Why ``value`` is not two distinct short names in quotes, or None."""
    if not isinstance(value, list) or len(value) != 2 or not all(isinstance(name, str) for name in value):
        return 'expected two names in quotes, e.g. ["x1", "x2"]'
    for index, name in enumerate(value):
        if not name.strip() or not name.isprintable() or len(name) > NAME_CHARACTERS:
            return (
                f"item {index + 1}: expected a name of 1 to {NAME_CHARACTERS} printable characters "
                f"(it labels an axis), got {quoted(name)}"
            )
    if value[0] == value[1]:
        return f"the two inputs need two names, got {quoted(value[0])} twice"
    return None


_HIDDEN = NODES_SCHEMA["hidden"]
_NODES = _HIDDEN["nodes"]
#: The [[hidden.nodes]] form with pairs for weights, and [inputs] instead of [dosage].
PLANE_SCHEMA: schema.Schema = {
    "inputs": {
        "names": schema.Field(names_problem, optional=True),
        "low": schema.Field(schema.number_list(2).check, optional=True),
        "high": schema.Field(schema.number_list(2).check, optional=True),
        "data": schema.text(optional=True),
    },
    "hidden": {
        **_HIDDEN,
        "nodes": dataclasses.replace(_NODES, item={**_NODES.item, "weight": schema.Field(weight_pair_problem)}),
    },
    "output": NODES_SCHEMA["output"],
}


def _inputs(table: dict[str, Any], problems: list[str]) -> tuple[Input, Input]:
    names = table.get("names", [given.name for given in DEFAULT_INPUTS])
    lows = table.get("low", [given.low for given in DEFAULT_INPUTS])
    highs = table.get("high", [given.high for given in DEFAULT_INPUTS])
    for index, (name, low, high) in enumerate(zip(names, lows, highs)):
        if not low < high:
            problems.append(f"inputs.high: {name}'s (item {index + 1}) must be larger than its low ({low}), got {high}")
    return tuple(Input(name, written(low), written(high)) for name, low, high in zip(names, lows, highs))


def plane_from_document(path: Path, contents: bytes, document: dict[str, Any]) -> PlaneWeights:
    """A two-input file already read: check it, and build its ``PlaneWeights``."""
    document = dict(document)
    document.setdefault("inputs", {})
    found = []
    if "dosage" in document:
        del document["dosage"]
        found.append(
            "dosage: a two-input network (its weights are pairs [w1, w2]) has no dosage; "
            "name its inputs and their ranges in [inputs], or leave them out for x1 and x2 from 0 to 1"
        )
    found += schema.problems(document, PLANE_SCHEMA)
    if found:
        raise InputFileError(path, found)
    problems: list[str] = []
    inputs = _inputs(document["inputs"], problems)
    hidden_activation = read_activation(document["hidden"], "hidden", problems)
    output_activation = read_activation(document["output"], "output", problems)
    data_path = None
    if "data" in document["inputs"]:
        data_path, problem = find_data(path, document["inputs"]["data"], DATA_PATH_HINT)
        if problem:
            problems.append(f"inputs.data: {problem}")
    if problems:
        raise InputFileError(path, problems)
    units = tuple(
        HiddenUnit(
            (written(node["weight"][0]), written(node["weight"][1])),
            written(node["bias"]),
            written(node["output_weight"]),
        )
        for node in document["hidden"]["nodes"]
    )
    weights = PlaneWeights(
        name=safe_name(path.stem),
        path=path,
        digest=hashlib.sha256(contents).hexdigest(),
        inputs=inputs,
        network=Network(units, hidden_activation, output_activation, written(document["output"]["bias"])),
        data_path=data_path,
    )
    problems = drawing_problems(weights)
    if problems:
        raise InputFileError(path, problems)
    return weights


def load_plane_weights(name_or_path: str | Path = PLANE_PRESET) -> PlaneWeights:
    """The two-input network in a preset or file; a one-input file is refused in one line."""
    path, contents, document = read_document(name_or_path)
    if file_form(document) != PLANE_FORM:
        raise InputFileError(
            path,
            [
                "hidden: a one-input network (each node's weight is a number, for the dosage); "
                "regions need two inputs: give each node a pair, weight = [w1, w2]"
            ],
        )
    return plane_from_document(path, contents, document)


def load_any_weights(name_or_path: str | Path = DEFAULT_PRESET) -> Weights | PlaneWeights:
    """The network in a preset or file, one input or two, checked as its kind's loader checks it."""
    path, contents, document = read_document(name_or_path)
    if file_form(document) == PLANE_FORM:
        return plane_from_document(path, contents, document)
    return weights_from_document(path, contents, document)
