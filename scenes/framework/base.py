"""The scene every stage derives from: inputs, theme, captions, and a hook after each step."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import ClassVar

from manim import UP, Text

from reluviz.scenes.framework import style
from reluviz.scenes.framework.inputs import StoryInputs
from reluviz.scenes.framework.manim_internals import StillAwareScene
from reluviz.scenes.framework.narrator import READING_CHARACTERS_PER_SECOND, Narrator, ReadingPace, Speech
from reluviz.scenes.framework.widgets import words
from reluviz.words.labels import COUNTED, LABELS, place_key
from reluviz.words.nodes import caption_places
from reluviz.words.spoken import LANGUAGES
from reluviz.words.spoken import spoken as spoken_form
from reluviz.words.stages import Stage, stage
from reluviz.words.templates import BeatWords, fill, worded

#: Quiet after a beat's words, before the next beat speaks.
PAUSE_AFTER_SPEECH = 0.5


@dataclass(frozen=True)
class Beat:
    """One point of the story as it played: when, what the viewer reads, what the voice says."""

    start: float
    end: float
    caption: str
    spoken: str
    speech: Speech
    #: the words as the scene writes them (whatever a words file made of them) and its placeholders' values
    words: BeatWords | None = field(default=None, compare=False)
    values: dict[str, str] = field(default_factory=dict, compare=False)

    def as_dict(self) -> dict:
        audio = str(self.speech.audio) if self.speech.audio else None
        return {
            "start": self.start,
            "end": self.end,
            "caption": self.caption,
            "spoken": self.spoken,
            "speech_seconds": self.speech.seconds,
            "audio": audio,
        }


class StoryScene(StillAwareScene):
    """A stage of the story. Subclasses set ``stage_name`` and write ``construct``.

    ``on_step`` (if set) is called after every animation and wait, with the scene at
    that moment: the renderer reports progress with it, the tests check the frame.
    """

    stage_name: ClassVar[str] = ""

    def __init__(self, inputs: StoryInputs | None = None, narrator: Narrator | None = None, **kwargs) -> None:
        self.inputs = inputs or StoryInputs.from_environment()
        self.theme = self.inputs.theme
        self.narrator = narrator or ReadingPace()
        self.beats: list[Beat] = []
        self.labels_shown: set[str] = set()  # the keys of the labels it drew (a words file's [labels])
        self.on_step: Callable[[StoryScene], None] | None = None
        super().__init__(**kwargs)

    @property
    def stage(self) -> Stage:
        return stage(self.stage_name)

    def setup(self) -> None:
        self.camera.background_color = self.theme.background

    def title(self) -> Text:
        """The stage's title at the top of the frame (not yet on screen)."""
        network = self.inputs.network_of(self.stage.uses)
        title = self.inputs.words.title(self.stage_name) or self.stage.worded(network).title
        return words(title, self.theme.text, style.TITLE_SIZE).move_to(UP * style.TITLE_Y)

    def label(self, key: str, **values: str) -> str:
        """The on-screen label ``key`` (reluviz.words.labels) as this clip shows it, a words file's
        if it gives one, its ``{placeholders}`` filled with ``values``."""
        self.labels_shown.add(key)
        return fill(self.inputs.words.label(key) or LABELS[key], values)

    def node_places(self, count: int) -> list[str]:
        """What the captions and labels call each of ``count`` hidden nodes (reluviz.words.nodes),
        in the clip's words: "top" and "bottom", "first" to "sixth", or a words file's."""
        return [self.label(place_key(place)) for place in caption_places(count)]

    def counted(self, count: int, key: str, **values: str) -> str:
        """``count`` things in the clip's words: the label ``key_one`` for one, else ``key_many`` with
        its ``{count}`` said in words up to labels.COUNTED ("three final lines")."""
        if count == 1:
            return self.label(f"{key}_one", **values)
        said = self.label(f"count_{count}") if count <= COUNTED else str(count)
        return self.label(f"{key}_many", count=said, **values)

    def joined(self, items: list[str]) -> str:
        """``items`` joined by the clip's "and": "top and bottom" ("superior e inferior")."""
        if not items:
            return ""
        conjunction, language = self.label("and"), LANGUAGES[self.inputs.words.language]
        return items[0] + "".join(f" {language.conjunction_before(conjunction, item)} {item}" for item in items[1:])

    def play(self, *args, **kwargs) -> None:
        super().play(*args, **kwargs)  # Scene.wait plays too, so waits come through here
        if self.on_step is not None:
            self.on_step(self)

    def hold(self) -> None:
        """The closing still: at least ``style.HOLD`` seconds, longer if the clip would
        otherwise be shorter than ``style.SHORTEST_CLIP`` (with other weights a stage may have
        less to show)."""
        self.wait(max(style.HOLD, style.SHORTEST_CLIP - self.time))

    def say(self, text: str) -> str:
        """What the voice says for ``text``, written as a caption is: numbers and signs in words, in
        the clip's language (a words file's)."""
        return spoken_form(text, self.inputs.words.language)

    @contextmanager
    def beat(self, name: str, caption: str, spoken: str | None = None, **values: str) -> Iterator[None]:
        """One point of the story, named ``name`` (unique in the clip; the words file's key):
        ``caption`` is what the viewer reads, a template whose ``{placeholders}`` are ``values``
        (numbers already written the project's way); ``spoken`` what the voice says, by default
        the caption, and either is said with its numbers and signs in words (``say``). A words file
        may give the beat other words (``inputs.words``). The block plays while the voice
        speaks; if it ends first, the picture holds until the words and a pause are over, and at
        least as long as the caption takes to read."""
        for key, value in values.items():
            if not isinstance(value, str):
                raise TypeError(f"beat {name!r}: {{{key}}} is {value!r}; give it as text, written as shown")
        words = BeatWords(name, caption, spoken)
        if any(beat.words.name == name and beat.words != words for beat in self.beats):
            raise ValueError(f"{self.stage_name}: the beat {name!r} is written two ways; give each its own name")
        caption, said = worded(words, self.inputs.words.beat(name), values)
        said = self.say(said)
        speech = self.narrator.speak(said, len(self.beats) + 1)
        start = self.time
        yield
        needed = max(speech.seconds + PAUSE_AFTER_SPEECH, len(caption) / READING_CHARACTERS_PER_SECOND)
        if self.time - start < needed:
            self.wait(needed - (self.time - start))
        self.beats.append(Beat(start, self.time, caption, said, speech, words, values))
