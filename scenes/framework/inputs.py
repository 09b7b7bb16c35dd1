"""What a scene draws from: the weights file (and what is drawn of its data), Part III's
two-input weights file, Part I's lesson file, the theme, and a words file's words for the clip.

Scenes get these as a constructor argument; the ``manim`` command line (which passes
none) falls back to the environment: RELUVIZ_WEIGHTS, RELUVIZ_PLANE_WEIGHTS, RELUVIZ_THEME.
"""

from __future__ import annotations

import os
from functools import cached_property
from pathlib import Path

from reluviz.drawn_data import DrawnData, drawn_data
from reluviz.files.data import DEFAULT_DATA, load_dataset
from reluviz.files.lesson import Lesson, load_lesson
from reluviz.files.plane_weights import PLANE_PRESET, load_plane_weights
from reluviz.files.weights import DEFAULT_PRESET, LESSON_FILE, Weights, load_weights
from reluviz.model import Network, PlaneWeights
from reluviz.scenes.framework.style import THEMES, Theme
from reluviz.words.stages import PLANE_USE
from reluviz.words.templates import NO_WORDS, ClipWords

WEIGHTS_VARIABLE = "RELUVIZ_WEIGHTS"
PLANE_WEIGHTS_VARIABLE = "RELUVIZ_PLANE_WEIGHTS"
THEME_VARIABLE = "RELUVIZ_THEME"
DEFAULT_THEME = "dark"


class StoryInputs:
    """Loaded lazily, so a Part I scene never reads (or depends on) a weights file, and a Part II
    scene never reads the two-input one."""

    def __init__(
        self,
        weights: Weights | str | Path = DEFAULT_PRESET,
        theme: str = DEFAULT_THEME,
        lesson: Lesson | str | Path = LESSON_FILE,
        data: DrawnData | None = None,
        plane: PlaneWeights | str | Path = PLANE_PRESET,
        words: ClipWords = NO_WORDS,
    ) -> None:
        if theme not in THEMES:
            raise ValueError(f"unknown theme {theme!r}; themes: {', '.join(THEMES)}")
        self._weights = weights
        self._lesson = lesson
        self._data = data
        self._plane = plane
        self.theme: Theme = THEMES[theme]
        #: the words a words file gives this clip in place of its scene's (titles, beats): none by default
        self.words = words

    @classmethod
    def from_environment(cls) -> StoryInputs:
        return cls(
            weights=os.environ.get(WEIGHTS_VARIABLE) or DEFAULT_PRESET,
            plane=os.environ.get(PLANE_WEIGHTS_VARIABLE) or PLANE_PRESET,
            theme=os.environ.get(THEME_VARIABLE) or DEFAULT_THEME,
        )

    @cached_property
    def weights(self) -> Weights:
        return self._weights if isinstance(self._weights, Weights) else load_weights(self._weights)

    @cached_property
    def plane(self) -> PlaneWeights:
        """Part III's network: two inputs."""
        return self._plane if isinstance(self._plane, PlaneWeights) else load_plane_weights(self._plane)

    def network_of(self, uses: frozenset[str]) -> Network:
        """The network a stage that reads ``uses`` is about: Part III's two-input one, or the weights file's."""
        return self.plane.network if PLANE_USE in uses else self.weights.network

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
