"""Manim scenes: ``framework/`` (what every scene draws with), one subpackage per part of
the story (``part1/``, ``part2/``) with a module per stage named after it, and the title card.

This file imports no manim, so tools can list stages without loading it.
"""

from __future__ import annotations

import importlib

#: The scene that is not a stage: each part's title card.
TITLE_CARD = "title_card"


def scene_module(scene: str) -> str:
    """The module that draws ``scene`` (a stage's name, or the title card)."""
    if scene == TITLE_CARD:
        return f"reluviz.scenes.{TITLE_CARD}"
    from reluviz.words.stages import stage

    return f"reluviz.scenes.part{stage(scene).part}.{scene}"


def scene_class(scene: str) -> type:
    """The scene class that draws ``scene``."""
    module = importlib.import_module(scene_module(scene))
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and getattr(value, "stage_name", None) == scene
            and value.__module__ == module.__name__
        ):
            return value
    raise LookupError(f"{module.__name__} defines no scene with stage_name = {scene!r}")
