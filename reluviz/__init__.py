"""reluviz: animated explainer videos of the ReLU activation function.

The public API, for notebooks and scripts; the ``reluviz`` command is its client::

    import reluviz

    weights = reluviz.load_weights("relu")  # a preset's name, or the path of a .toml file
    numbers = reluviz.table(weights)  # every stage's numbers at the low, middle and high dosage
    kit = reluviz.render("relu", quality="low", stages=["bias"])
    kit.clip("bias")  # shows itself in Jupyter; kit.page, kit.presenter, kit.film, kit.manifest

Importing reluviz loads numpy only: ``render`` loads manim and the studio when it is called.
Everything else is reached through its own module (``reluviz.network``, ``reluviz.activations``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reluviz.files.errors import InputFileError
from reluviz.files.weights import load_weights
from reluviz.model import Weights

if TYPE_CHECKING:
    from reluviz.studio.publishing.notebook import Kit

__version__ = "0.1.0"

__all__ = ["InputFileError", "Weights", "load_weights", "render", "table"]


def table(weights: Weights | str | Path = "relu", dosages: Sequence[float] | None = None) -> dict[str, Any]:
    """Every number the stages show, at ``dosages`` (default: the low, middle and high dosage),
    as ``reluviz table --json`` prints it."""
    from reluviz.files.lesson import load_lesson
    from reluviz.stage_table import default_dosages, stage_table

    if not isinstance(weights, Weights):
        weights = load_weights(weights)
    return stage_table(weights, dosages or default_dosages(weights), load_lesson())


def render(
    weights: str | Path = "relu",
    *,
    quality: str = "high",
    stages: Iterable[str] = (),
    theme: str = "dark",
    voice: str = "",
    out: str | Path = "out",
    **options: str,
) -> Kit:
    """Render what is missing and publish the whole kit into ``out/<weights>/<quality>/``, as
    ``make render`` does (same cache, locks and progress lines); returns the ``Kit``. ``voice``:
    festival by default, command when ``voice_command`` is given, piper, recorded or none. Other
    options as the command line names them: ``format="webm"``, ``jobs="1"``, ``voice_command=``."""
    from reluviz.studio.publishing.notebook import render_kit

    chosen = {"weights": str(weights), "stages": " ".join(stages), "out": str(out)}
    return render_kit(**chosen, quality=quality, theme=theme, voice=voice, **options)
