"""Manim scenes: one module per story stage (named after it), plus shared drawing helpers.

This file imports no manim, so tools can list stages without loading it.
"""

from __future__ import annotations

import importlib


def scene_class(stage_name: str) -> type:
    """The scene that draws ``stage_name`` (the class in ``scenes/<stage_name>.py``)."""
    module = importlib.import_module(f"reluviz.scenes.{stage_name}")
    for value in vars(module).values():
        if (
            isinstance(value, type)
            and getattr(value, "stage_name", None) == stage_name
            and value.__module__ == module.__name__
        ):
            return value
    raise LookupError(f"scenes/{stage_name}.py defines no scene with stage_name = {stage_name!r}")
