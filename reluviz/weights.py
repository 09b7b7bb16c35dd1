"""Network weights files: the 1-input, 2-hidden, 1-output network of the story.

A weights file is TOML (see ``assets/weights/relu.toml`` for a commented example).
``load_weights`` turns a preset name or a path into an immutable ``Weights``, or raises
an ``InputFileError`` with one line per problem.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from . import schema
from .activations import ACTIVATIONS
from .errors import InputFileError

ASSETS = Path(__file__).resolve().parent.parent / "assets"
PRESETS = ASSETS / "weights"
#: Part I's examples live beside the presets but are not network weights.
LESSON_FILE = PRESETS / "lesson.toml"
DEFAULT_PRESET = "relu"

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

    name: str
    path: Path
    digest: str  # sha256 of the file's bytes: identifies the exact numbers a render used
    dosage_low: float
    dosage_high: float
    data_path: Path | None
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


def preset_names() -> list[str]:
    """The weights presets shipped in ``assets/weights`` (the lesson file is not one)."""
    return sorted(p.stem for p in PRESETS.glob("*.toml") if p != LESSON_FILE)


def resolve_weights_path(name_or_path: str | Path) -> Path:
    """A preset name ("relu") or a path to a TOML file -> the file's path."""
    text = str(name_or_path)
    candidate = Path(text).expanduser()
    if candidate.suffix == ".toml" or "/" in text or candidate.exists():
        return candidate
    preset = PRESETS / f"{text}.toml"
    if preset == LESSON_FILE or not preset.exists():
        raise InputFileError(
            text, [f"no such weights preset; presets: {', '.join(preset_names())} (or give a path to a .toml file)"]
        )
    return preset


def load_weights(name_or_path: str | Path = DEFAULT_PRESET) -> Weights:
    path = resolve_weights_path(name_or_path)
    document = schema.load_checked(path, NETWORK_SCHEMA)
    dosage, hidden, output = document["dosage"], document["hidden"], document["output"]
    problems = []
    if not dosage["low"] < dosage["high"]:
        problems.append(f"dosage.high: must be larger than dosage.low ({dosage['low']}), got {dosage['high']}")
    data_path = None
    if "data" in dosage:
        data_path = (path.parent / dosage["data"]).resolve()
        if not data_path.is_file():
            problems.append(f"dosage.data: no such file {data_path}")
    if problems:
        raise InputFileError(path, problems)
    weights = Weights(
        name=path.stem,
        path=path,
        digest=hashlib.sha256(path.read_bytes()).hexdigest(),
        dosage_low=float(dosage["low"]),
        dosage_high=float(dosage["high"]),
        data_path=data_path,
        hidden_activation=hidden["activation"],
        top=Connection(float(hidden["top"]["weight"]), float(hidden["top"]["bias"])),
        bottom=Connection(float(hidden["bottom"]["weight"]), float(hidden["bottom"]["bias"])),
        output_activation=output["activation"],
        top_output_weight=float(output["top_weight"]),
        bottom_output_weight=float(output["bottom_weight"]),
        output_bias=float(output["bias"]),
    )
    # Imported here: the checks run the network, which itself builds on this module.
    from .data import load_dataset
    from .limits import drawing_problems

    if data_path is not None:
        load_dataset(data_path)  # a broken data file stops the render here, named as itself
    problems = drawing_problems(weights)
    if problems:
        raise InputFileError(path, problems)
    return weights
