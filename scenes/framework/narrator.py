"""Who speaks a beat's words, and for how long: what a scene needs to know to pace itself.

A scene asks its narrator for each beat's speech before the beat plays, so the beat can
last as long as its words. The render worker hands scenes a narrator with a real voice
(``studio.voice``); anything else (tests, the manim command line, ``VOICE=none``) gets
the reading pace of a voice without the sound.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

#: About how fast the story's voice speaks (Festival's slt voice: 14 to 15 characters of
#: spoken text a second); a silent render keeps the pace a voice would set.
SPOKEN_CHARACTERS_PER_SECOND = 14.0
#: Captions are shown at most this many characters a second (adults read 17 to 20).
READING_CHARACTERS_PER_SECOND = 20.0


@dataclass(frozen=True)
class Speech:
    """A beat's spoken words: how long they last, and the sound file (None when silent)."""

    seconds: float
    audio: Path | None = None


class Narrator(Protocol):
    def speak(self, spoken: str, beat: int) -> Speech:
        """The speech for ``spoken``, the clip's ``beat``-th beat (from 1)."""
        ...


class ReadingPace:
    """No voice: each beat lasts as long as a voice would take to say it."""

    def speak(self, spoken: str, beat: int) -> Speech:
        return Speech(len(spoken) / SPOKEN_CHARACTERS_PER_SECOND)
