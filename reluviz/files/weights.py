"""Network weights files: the story's network with 1 to 6 hidden nodes.

A weights file is TOML, in one of two forms: hidden nodes as a list of [[hidden.nodes]]
(see ``assets/weights/wide.toml``), or the lesson's two named nodes [hidden.top] and
[hidden.bottom] (see ``assets/weights/relu.toml``, commented). ``load_weights`` turns a
preset name or a path into an immutable ``Weights``, or raises an ``InputFileError`` with
one line per problem. A file whose nodes' weights are pairs [w1, w2] is a two-input
network: ``reluviz.files.plane_weights`` reads it, and ``load_weights`` says so.
"""

from __future__ import annotations

import hashlib
import os
import stat
from pathlib import Path
from typing import Any

from reluviz.activations import ACTIVATIONS, Activation, LeakyReLU, make_activation
from reluviz.files import schema
from reluviz.files.data import DEFAULT_DATA, load_dataset
from reluviz.files.errors import InputFileError, not_a_file_problem, os_error_problem, quoted
from reluviz.files.paths import ASSETS
from reluviz.limits import drawing_problems
from reluviz.model import (
    MAX_NODES,
    MIN_NODES,
    NODES_FORM,
    PLANE_FORM,
    TWO_NODE_FORM,
    HiddenUnit,
    Network,
    Weights,
)
from reluviz.words.numbers import written

PRESETS = ASSETS / "weights"
#: Part I's examples live beside the presets but are not network weights.
LESSON_FILE = PRESETS / "lesson.toml"
DEFAULT_PRESET = "relu"
#: ``Weights.name`` names the output folder ``out/<name>/``: kept well inside the 255 bytes
#: a file system allows for one name, with room for the suffixes renders add beside it.
NAME_CHARACTERS = 100
NAME_BYTES = 200
FALLBACK_NAME = "weights"
#: How to fix a ``dosage.data`` path that leads nowhere; shown with the places looked in.
DATA_PATH_HINT = "give a path relative to this file, an absolute path, or remove the key to use the lesson's data"

_DOSAGE: schema.Schema = {"low": schema.number(), "high": schema.number(), "data": schema.text(optional=True)}
_ACTIVATION = schema.choice(sorted(ACTIVATIONS))
_SLOPE = schema.Field(schema.number_problem, optional=True)  # leaky_relu's; checked against the activation below

#: The form every file can use: any number of hidden nodes, as a list.
NODES_SCHEMA: schema.Schema = {
    "dosage": _DOSAGE,
    "hidden": {
        "activation": _ACTIVATION,
        "negative_slope": _SLOPE,
        "nodes": schema.TableList(
            {"weight": schema.number(), "bias": schema.number(), "output_weight": schema.number()},
            MIN_NODES,
            MAX_NODES,
            f"a network has {MIN_NODES} to {MAX_NODES} hidden nodes: the diagram and the story lay out at most "
            f"{MAX_NODES} paths side by side",
        ),
    },
    "output": {"activation": _ACTIVATION, "negative_slope": _SLOPE, "bias": schema.number()},
}

#: The lesson's original form, still valid: two named hidden nodes, their output weights under [output].
TWO_NODE_SCHEMA: schema.Schema = {
    "dosage": _DOSAGE,
    "hidden": {
        "activation": _ACTIVATION,
        "negative_slope": _SLOPE,
        "top": {"weight": schema.number(), "bias": schema.number()},
        "bottom": {"weight": schema.number(), "bias": schema.number()},
    },
    "output": {
        "activation": _ACTIVATION,
        "negative_slope": _SLOPE,
        "top_weight": schema.number(),
        "bottom_weight": schema.number(),
        "bias": schema.number(),
    },
}


def safe_name(stem: str) -> str:
    """``stem`` as one harmless folder name: the output folder ``out/<name>/`` stays inside out/.

    Path separators and unprintable characters become "_", leading dots go (no "..", no
    hidden folder), the length is capped; what is left empty becomes "weights".
    """
    name = "".join("_" if character in "/\\" or not character.isprintable() else character for character in stem)
    name = name.lstrip(".").strip()[:NAME_CHARACTERS]
    while len(name.encode("utf-8")) > NAME_BYTES:
        name = name[:-1]
    name = name.rstrip()
    return name if name not in ("", ".", "..") else FALLBACK_NAME


def preset_names() -> list[str]:
    """The weights presets shipped in ``assets/weights`` (the lesson file is not one)."""
    return sorted(p.stem for p in PRESETS.glob("*.toml") if p != LESSON_FILE)


def resolve_weights_path(name_or_path: str | Path) -> Path:
    """A preset name ("relu") or a path to a TOML file -> the file's path."""
    text = str(name_or_path)
    if not text.strip():
        # Path("") is the current folder, which would be reported as "is a folder".
        raise InputFileError(
            "weights",
            [
                f"none given (the name is empty); give a preset ({', '.join(preset_names())}) or a path to a "
                f".toml file, e.g. WEIGHTS={DEFAULT_PRESET} or --weights {DEFAULT_PRESET}"
            ],
        )
    path = schema.as_path(text)
    if path is not None:
        return path
    preset = PRESETS / f"{text}.toml"
    if preset == LESSON_FILE or not preset.exists():
        raise InputFileError(
            text, [f"no such weights preset; presets: {', '.join(preset_names())} (or give a path to a .toml file)"]
        )
    return preset


def _shown(place: Path) -> str:
    """``place`` as a message names it: from the current folder when it lies inside it (like
    the files a user names), else in full: a path climbing out with ``..`` depends on where
    the command ran, and says less than the place itself."""
    try:
        return str(Path(place).absolute().relative_to(Path.cwd()))
    except (OSError, ValueError):  # the current folder is gone, or the place lies outside it
        return str(place)


def find_data(weights_path: Path, written: str, hint: str = DATA_PATH_HINT) -> tuple[Path, str | None]:
    """The data file a weights file's ``dosage.data`` (or ``inputs.data``) names, and a problem
    if there is none, ending with ``hint`` when nothing is there.

    A relative path is looked for next to the weights file as named (a symlink's folder),
    then next to the file it links to, so a copy or a link of a file works where it is put.
    A file found in either place is the one; else what is there and is no file (a folder, a
    device) is named with why; else every place looked.
    """
    given = Path(written).expanduser()
    if given.is_absolute():
        places = [given]
    else:
        places = [weights_path.absolute().parent / given, weights_path.resolve().parent / given]
    looked: list[Path] = []
    unusable: list[tuple[Path, str]] = []
    for place in places:
        place = place.resolve()
        if place in looked:
            continue
        looked.append(place)
        try:
            mode = place.stat().st_mode
        except (FileNotFoundError, NotADirectoryError):
            continue
        except OSError as error:  # a name too long to look up, a folder this user may not enter
            unusable.append((place, os_error_problem(error, place)))
            continue
        if stat.S_ISREG(mode):
            return place, None
        unusable.append((place, not_a_file_problem(mode)))
    if unusable:
        place, problem = unusable[0]
        where = "" if str(place) == written else f" ({_shown(place)})"
        return place, f"{quoted(written)} {problem}{where}"
    where = " and ".join(_shown(place) for place in looked)
    return looked[0], f"no such file {quoted(written)} (looked for {where}); {hint}"


def two_input_node(document: dict[str, Any]) -> int | None:
    """The first of the [[hidden.nodes]] (counting from 0) whose weight is a list, which makes
    the file a two-input network; None when there is none."""
    hidden = document.get("hidden")
    nodes = hidden.get("nodes") if isinstance(hidden, dict) else None
    if not isinstance(nodes, list):
        return None
    pairs = [i for i, node in enumerate(nodes) if isinstance(node, dict) and isinstance(node.get("weight"), list)]
    return pairs[0] if pairs else None


def file_form(document: dict[str, Any]) -> str:
    """Which form a weights file uses: the lesson's [hidden.top]/[hidden.bottom] when it has
    either (and no node list), a two-input network when a node's weight is a list [w1, w2],
    else the list of [[hidden.nodes]]."""
    hidden = document.get("hidden")
    if isinstance(hidden, dict) and "nodes" not in hidden and ("top" in hidden or "bottom" in hidden):
        return TWO_NODE_FORM
    return NODES_FORM if two_input_node(document) is None else PLANE_FORM


def read_document(name_or_path: str | Path) -> tuple[Path, bytes, dict[str, Any]]:
    """A preset's or file's path, bytes and TOML document, not yet checked."""
    path = resolve_weights_path(name_or_path)
    contents = schema.read_input(path)
    return path, contents, schema.read_toml(path, contents)


def read_activation(section: dict[str, Any], key: str, problems: list[str]) -> Activation | None:
    """The activation a [hidden] or [output] table names, with leaky_relu's slope; a slope
    given to another activation, or outside 0 to 1, is a problem (and None comes back)."""
    name, slope = section["activation"], section.get("negative_slope")
    if slope is None:
        return make_activation(name)
    if name != LeakyReLU.name:
        problems.append(
            f"{key}.negative_slope: only leaky_relu has a negative slope, and this activation is {name!r}; "
            f'remove the key or set {key}.activation = "leaky_relu"'
        )
        return None
    if not 0 < slope < 1:
        problems.append(
            f"{key}.negative_slope: must lie between 0 and 1, got {slope} "
            "(0 is ReLU, flat on the left; 1 is a straight line, no bend)"
        )
        return None
    return make_activation(name, written(slope))


def _hidden_units(document: dict[str, Any], form: str) -> tuple[HiddenUnit, ...]:
    hidden, output = document["hidden"], document["output"]
    if form == TWO_NODE_FORM:
        nodes = [(hidden["top"], output["top_weight"]), (hidden["bottom"], output["bottom_weight"])]
    else:
        nodes = [(node, node["output_weight"]) for node in hidden["nodes"]]
    return tuple(
        HiddenUnit(written(node["weight"]), written(node["bias"]), written(output_weight))
        for node, output_weight in nodes
    )


def load_weights(name_or_path: str | Path = DEFAULT_PRESET, check_data: bool = True) -> Weights:
    """The weights in a preset or file; ``check_data=False`` skips reading the data file (a
    caller that has just read it). A two-input file is refused in one line: the story's
    renders, tables and gradients draw one input (``plane_weights.load_any_weights`` reads both)."""
    return weights_from_document(*read_document(name_or_path), check_data=check_data)


def weights_from_document(path: Path, contents: bytes, document: dict[str, Any], check_data: bool = True) -> Weights:
    """``load_weights`` for a file already read: check it, and build its ``Weights``."""
    form = file_form(document)
    if form == PLANE_FORM:
        key = f"hidden.nodes[{two_input_node(document) + 1}].weight"
        raise InputFileError(
            path,
            [
                f"{key}: [w1, w2] makes a two-input network: `make render` tells Parts I and III for it and "
                "`reluviz regions` prints its regions; tables, gradients and batches take one input, a number"
            ],
        )
    document = dict(document)
    found = []
    if "inputs" in document:
        del document["inputs"]
        found.append(
            "inputs: only a two-input network has [inputs] (its nodes' weights are pairs [w1, w2]); "
            "a one-input network's input is [dosage]"
        )
    found += schema.problems(document, TWO_NODE_SCHEMA if form == TWO_NODE_FORM else NODES_SCHEMA)
    if found:
        raise InputFileError(path, found)
    dosage = document["dosage"]
    problems: list[str] = []
    hidden_activation = read_activation(document["hidden"], "hidden", problems)
    output_activation = read_activation(document["output"], "output", problems)
    if not dosage["low"] < dosage["high"]:
        problems.append(f"dosage.high: must be larger than dosage.low ({dosage['low']}), got {dosage['high']}")
    data_path = DEFAULT_DATA
    if "data" in dosage:
        data_path, problem = find_data(path, dosage["data"])
        if problem:
            problems.append(f"dosage.data: {problem}")
    if problems:
        raise InputFileError(path, problems)
    weights = Weights(
        name=safe_name(path.stem),
        path=path,
        digest=hashlib.sha256(contents).hexdigest(),
        dosage_low=written(dosage["low"]),
        dosage_high=written(dosage["high"]),
        data_path=data_path,
        network=Network(
            hidden=_hidden_units(document, form),
            hidden_activation=hidden_activation,
            output_activation=output_activation,
            output_bias=written(document["output"]["bias"]),
        ),
        form=form,
    )
    if check_data:
        load_dataset(data_path)  # a broken data file stops the render here, named as itself
    problems = drawing_problems(weights)
    if problems:
        raise InputFileError(path, problems)
    return weights


def new_weights_text(path: Path) -> str:
    """A fresh weights file for ``path``: the relu preset's own text (so the two never drift),
    under a line saying where it came from and how to use it."""
    preset = (PRESETS / f"{DEFAULT_PRESET}.toml").read_text(encoding="utf-8")
    return (
        f"# Written by `python -m reluviz weights` from the {DEFAULT_PRESET} preset: edit the numbers, then\n"
        f"#   make render WEIGHTS={path}\n"
        f"# (check it first with `python -m reluviz check --weights {path}`).\n"
        f"#\n{preset}"
    )


def write_new_weights(path: Path | str) -> Path:
    """Write a fresh, commented weights file at ``path``, never over an existing file.

    The text goes to a temporary file beside it and is checked to load; it then takes its
    name with a hard link, which fails rather than replace a file made in the meantime."""
    path = Path(path).expanduser()
    if not str(path).strip():
        raise InputFileError("weights", ["no file name given; name the new file, e.g. my_weights.toml"])
    if path.suffix != ".toml":
        raise InputFileError(path, ["a weights file's name must end in .toml (WEIGHTS= finds it by that)"])
    if path.exists() or path.is_symlink():
        raise InputFileError(path, ["already exists; not overwritten (choose another name, or delete it first)"])
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Created as a new file with the usual permissions (the umask's), unlike mkstemp's 0600.
        handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as error:
        raise InputFileError(path, [os_error_problem(error, path, "write")]) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(new_weights_text(path))
        load_weights(temporary)  # what we write must load before it takes the name
        try:
            os.link(temporary, path)
        except FileExistsError:
            raise InputFileError(path, ["already exists; not overwritten (made while this one was written)"]) from None
        except OSError:  # a file system without hard links: rename, having checked just above
            if path.exists():
                raise InputFileError(path, ["already exists; not overwritten"]) from None
            os.replace(temporary, path)
    except OSError as error:
        raise InputFileError(path, [os_error_problem(error, path, "write")]) from None
    finally:
        temporary.unlink(missing_ok=True)
    return path
