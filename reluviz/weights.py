"""Network weights files: the 1-input, 2-hidden, 1-output network of the story.

A weights file is TOML (see ``assets/weights/relu.toml`` for a commented example).
``load_weights`` turns a preset name or a path into an immutable ``Weights``, or raises
an ``InputFileError`` with one line per problem.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .activations import ACTIVATIONS
from .data import DEFAULT_DATA, load_dataset
from .errors import InputFileError, os_error_problem
from .numbers import written
from .paths import ASSETS

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

NETWORK_SCHEMA: schema.Schema = {
    "dosage": {
        "low": schema.number(),
        "high": schema.number(),
        "data": schema.text(optional=True),
    },
    "hidden": {
        "activation": schema.choice(sorted(ACTIVATIONS)),
        "top": {"weight": schema.number(), "bias": schema.number()},
        "bottom": {"weight": schema.number(), "bias": schema.number()},
    },
    "output": {
        "activation": schema.choice(sorted(ACTIVATIONS)),
        "top_weight": schema.number(),
        "bottom_weight": schema.number(),
        "bias": schema.number(),
    },
}


@dataclass(frozen=True)
class Connection:
    """Input -> hidden node: the dosage is multiplied by ``weight``, then ``bias`` is added."""

    weight: float
    bias: float


@dataclass(frozen=True)
class Weights:
    """Every number of the story network, read from one weights file."""

    name: str  # a safe single folder name (see ``safe_name``): renders go to out/<name>/
    path: Path
    digest: str  # sha256 of the file's bytes: identifies the exact numbers a render used
    dosage_low: float
    dosage_high: float
    data_path: Path | None  # a loaded file always has one: its data key's file, or the lesson's data
    hidden_activation: str
    top: Connection
    bottom: Connection
    output_activation: str
    top_output_weight: float
    bottom_output_weight: float
    output_bias: float

    @property
    def dosage_range(self) -> tuple[float, float]:
        return (self.dosage_low, self.dosage_high)


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
    candidate = Path(text).expanduser()
    try:
        exists = candidate.exists()
    except OSError:  # a name too long to look up: reading it reports why
        exists = True
    if candidate.suffix == ".toml" or "/" in text or exists:
        return candidate
    preset = PRESETS / f"{text}.toml"
    if preset == LESSON_FILE or not preset.exists():
        raise InputFileError(
            text, [f"no such weights preset; presets: {', '.join(preset_names())} (or give a path to a .toml file)"]
        )
    return preset


def find_data(weights_path: Path, written: str) -> tuple[Path, str | None]:
    """The data file a weights file's ``dosage.data`` names, and a problem if there is none.

    A relative path is looked for next to the weights file as named (a symlink's folder),
    then next to the file it links to, so a copy or a link of a file works where it is put.
    """
    given = Path(written).expanduser()
    if given.is_absolute():
        places = [given]
    else:
        places = [weights_path.absolute().parent / given, weights_path.resolve().parent / given]
    looked: list[Path] = []
    for place in places:
        place = place.resolve()
        if place in looked:
            continue
        looked.append(place)
        try:
            if place.is_file():
                return place, None
        except OSError:  # a name too long to look up is no file either
            continue
    where = " and ".join(str(p) for p in looked)
    return looked[0], f"no such file {written!r} (looked for {where}); {DATA_PATH_HINT}"


def load_weights(name_or_path: str | Path = DEFAULT_PRESET, check_data: bool = True) -> Weights:
    """The weights in a preset or file; ``check_data=False`` skips reading the data file (a
    caller that has just read it)."""
    path = resolve_weights_path(name_or_path)
    contents = schema.read_input(path)
    document = schema.load_checked(path, NETWORK_SCHEMA, contents)
    dosage, hidden, output = document["dosage"], document["hidden"], document["output"]
    problems = []
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
        hidden_activation=hidden["activation"],
        top=Connection(written(hidden["top"]["weight"]), written(hidden["top"]["bias"])),
        bottom=Connection(written(hidden["bottom"]["weight"]), written(hidden["bottom"]["bias"])),
        output_activation=output["activation"],
        top_output_weight=written(output["top_weight"]),
        bottom_output_weight=written(output["bottom_weight"]),
        output_bias=written(output["bias"]),
    )
    # Imported here: the checks run the network, which itself builds on this module.
    from .limits import drawing_problems

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
