"""A short title card before each part of the film: the part's name and what it covers."""

from __future__ import annotations

from manim import DOWN, FadeIn, FadeOut, VGroup

from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.widgets import words
from reluviz.words.stages import PARTS, part_titles, part_uses


class TitleCard(StoryScene):
    stage_name = "title_card"

    def __init__(self, part: int = 1, **kwargs) -> None:
        if part not in PARTS:
            raise ValueError(f"part must be one of {sorted(PARTS)}, not {part!r}")
        self.part = part
        super().__init__(**kwargs)

    @property
    def heading(self) -> str:
        return self.inputs.words.title(PARTS[self.part].key) or PARTS[self.part].title

    def construct(self) -> None:
        t = self.theme
        heading = words(self.heading, t.text, style.TITLE_SIZE + 8)
        network = self.inputs.network_of(part_uses(self.part))
        titles = part_titles(self.part, network, self.inputs.words.title)
        topics = VGroup(*(words(title, t.muted, style.LABEL_SIZE) for title in titles))
        topics.arrange(DOWN, buff=0.18)
        card = VGroup(heading, topics).arrange(DOWN, buff=0.6)
        if card.height > 7.0:
            card.scale(7.0 / card.height)
        with self.beat("heading", "{title}.", title=self.heading):
            self.play(FadeIn(heading, shift=DOWN * 0.2), run_time=0.8)
            self.play(FadeIn(topics, lag_ratio=0.1), run_time=0.8)
            self.wait(1.4)
            self.play(FadeOut(card), run_time=0.5)
