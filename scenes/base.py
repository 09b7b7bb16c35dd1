"""The scene every stage derives from: inputs, theme, captions, and a hook after each step."""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Callable, ClassVar, Iterator

from manim import Scene

from reluviz.stages import Stage, stage

from scenes.inputs import StoryInputs


@dataclass(frozen=True)
class Caption:
    start: float
    end: float
    text: str


class StoryScene(Scene):
    """A stage of the story. Subclasses set ``stage_name`` and write ``construct``.

    ``on_step`` (if set) is called after every animation and wait, with the scene at
    that moment: the renderer reports progress with it, the tests check the frame.
    """

    stage_name: ClassVar[str] = ""

    def __init__(self, inputs: StoryInputs | None = None, **kwargs) -> None:
        self.inputs = inputs or StoryInputs.from_environment()
        self.theme = self.inputs.theme
        self.captions: list[Caption] = []
        self.on_step: Callable[["StoryScene"], None] | None = None
        super().__init__(**kwargs)

    @property
    def stage(self) -> Stage:
        return stage(self.stage_name)

    def setup(self) -> None:
        self.camera.background_color = self.theme.background

    def play(self, *args, **kwargs) -> None:
        super().play(*args, **kwargs)  # Scene.wait plays too, so waits come through here
        if self.on_step is not None:
            self.on_step(self)

    @contextmanager
    def beat(self, caption: str) -> Iterator[None]:
        """One point of the story: ``caption`` is shown as a subtitle while the block plays."""
        start = self.time
        yield
        end = self.time
        self.add_subcaption(caption, duration=end - start, offset=start - end)
        self.captions.append(Caption(start, end, caption))
