"""How much of the narration an offline speech recognizer understands.

PocketSphinx (PyPI ``pocketsphinx``, with its US English model) transcribes each take;
the score is the share of the narration's words of four or more letters that come back,
counted as bags of words (a word said twice must be heard twice), ignoring case and
apostrophes ("node's" and "nodes" sound the same). Short words are left out: the
recognizer drops and inserts them freely, and numbers and names carry the meaning.

``make test-heavy`` measures the whole story narrated by festival with it
(tests/studio/test_intelligibility.py).
"""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

MIN_LETTERS = 4
RATE = 16_000


def words_of(text: str, min_letters: int = MIN_LETTERS) -> Counter[str]:
    """The words of ``min_letters`` or more letters, lower case, apostrophes dropped."""
    words = (w.replace("'", "") for w in re.findall(r"[a-z][a-z']*", text.lower()))
    return Counter(w for w in words if len(w) >= min_letters)


@dataclass(frozen=True)
class Score:
    said: int  # words of 4+ letters in the narration
    heard: int  # how many of them the recognizer gave back

    @property
    def recall(self) -> float:
        return self.heard / self.said if self.said else 1.0

    def __add__(self, other: Score) -> Score:
        return Score(self.said + other.said, self.heard + other.heard)


def score(said: str, heard: str, min_letters: int = MIN_LETTERS) -> Score:
    """Bag-of-words recall of ``said``'s long words in the transcript ``heard``."""
    wanted, got = words_of(said, min_letters), words_of(heard, min_letters)
    return Score(sum(wanted.values()), sum((wanted & got).values()))


_decoder = None


def transcribe(audio: Path) -> str:
    """What PocketSphinx hears in an audio file (any format ffmpeg reads)."""
    global _decoder
    from pocketsphinx import Decoder  # imported here: only this tool needs it

    pcm = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(audio), "-ac", "1", "-ar", str(RATE), "-f", "s16le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    if _decoder is None:
        _decoder = Decoder(samprate=RATE, loglevel="FATAL")
    _decoder.start_utt()
    _decoder.process_raw(pcm, full_utt=True)
    _decoder.end_utt()
    hypothesis = _decoder.hyp()
    return hypothesis.hypstr if hypothesis is not None else ""


@dataclass(frozen=True)
class Take:
    said: str
    heard: str
    score: Score


def measure(takes: Iterable[tuple[Path, str]]) -> tuple[Score, list[Take]]:
    """Transcribe each (audio, spoken text); the overall score and each take's."""
    results = []
    for audio, said in takes:
        heard = transcribe(audio)
        results.append(Take(said, heard, score(said, heard)))
    return sum((t.score for t in results), Score(0, 0)), results
