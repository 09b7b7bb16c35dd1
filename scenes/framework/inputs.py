"""What a scene draws from: the weights file (and what is drawn of its data), Part I's lesson
file and the theme.

Scenes get these as a constructor argument; the ``manim`` command line (which passes
none) falls back to the environment: RELUVIZ_WEIGHTS, RELUVIZ_THEME.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from reluviz.drawn_data import DrawnData, drawn_data
from reluviz.files.data import DEFAULT_DATA, load_dataset
from reluviz.files.lesson import Lesson, load_lesson
from reluviz.files.weights import DEFAULT_PRESET, LESSON_FILE, Weights, load_weights
from reluviz.scenes.framework.style import THEMES, Theme

WEIGHTS_VARIABLE = "RELUVIZ_WEIGHTS"
THEME_VARIABLE = "RELUVIZ_THEME"
DEFAULT_THEME = "dark"


class StoryInputs:
    """Loaded lazily, so a Part I scene never reads (or depends on) a weights file."""

    def __init__(
        self,
        weights: Weights | str | Path = DEFAULT_PRESET,
        theme: str = DEFAULT_THEME,
        lesson: Lesson | str | Path = LESSON_FILE,
        data: DrawnData | None = None,
    ) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; themes: {', '.join(THEMES)}")
        self._weights = weights
        self._lesson = lesson
        self._data = data
        self.theme: Theme = THEMES[theme]

    @classmethod
    def from_environment(cls) -> StoryInputs:
        return cls(
            weights=os.environ.get(WEIGHTS_VARIABLE) or DEFAULT_PRESET,
            theme=os.environ.get(THEME_VARIABLE) or DEFAULT_THEME,
        )

    @cached_property
    def weights(self) -> Weights:
        return self._weights if isinstance(self._weights, Weights) else load_weights(self._weights)

    @cached_property
    def data(self) -> DrawnData:
        """What the scenes draw of the weights' data set (the lesson's when they name none): as
        the render computed it once for all its clips, else computed here."""
        if self._data is not None:
            return self._data
        return drawn_data(load_dataset(self.weights.data_path or DEFAULT_DATA), self.weights)

    @cached_property
    def lesson(self) -> Lesson:
        return self._lesson if isinstance(self._lesson, Lesson) else load_lesson(self._lesson)
