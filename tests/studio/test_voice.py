"""The narrator: Festival understood by an offline recognizer, one synthesis per sentence,
any TTS program through VOICE_COMMAND, and users' recordings trimmed and converted."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys
import textwrap
import time
import wave
from pathlib import Path

import numpy as np
import pytest
from instruments import intelligibility

from reluviz.files.errors import quoted
from reluviz.studio.media.festival import FESTIVAL_VOICE, Festival
from reluviz.studio.media.narration import make_voice
from reluviz.studio.media.voice import (
    SAMPLE_RATE,
    SILENCE_DB,
    Command,
    Silent,
    Speech,
    VoiceError,
    recording,
    wav_seconds,
)
from reluviz.words.spoken import spoken

#: Real captions (Part I and Part II), spoken as the narration will say them.
CAPTIONS = [
    "The input -1.5 lands on 0: max(0, -1.5) = 0.",
    "Each input is multiplied by the weight on its connection: 1.2 times 0.5 is 0.6, and -0.9 times -1.1 is 0.99.",
    "A = max(0, Z), element by element: negative entries become 0, the rest pass unchanged.",
    "Into the output: the top node's result times -40.8, the bottom's times 2.7, added together with the bias -16.",
    "And it fits the data: at every measured dosage the output is within 0.01 of the measured effectiveness.",
]


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True)


def tone_with_silence(path: Path, tone: float, silence: float = 0.5, rate: int = 44100, codec: list | None = None):
    """A 440 Hz stereo tone of ``tone`` seconds with ``silence`` seconds of silence on both ends."""
    ffmpeg(
        "-f", "lavfi", "-i", f"anullsrc=r={rate}:cl=stereo:d={silence}",
        "-f", "lavfi", "-i", f"sine=f=440:r={rate}:d={tone}",
        "-f", "lavfi", "-i", f"anullsrc=r={rate}:cl=stereo:d={silence}",
        "-filter_complex", "[1]aformat=channel_layouts=stereo[t];[0][t][2]concat=n=3:v=0:a=1",
        *(codec or []), str(path),
    )  # fmt: skip


def assert_narration_wav(speech: Speech, cache: Path) -> None:
    assert speech.path.parent == cache and speech.path.suffix == ".wav"
    with wave.open(str(speech.path), "rb") as w:
        assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (1, SAMPLE_RATE, 2)
        assert speech.seconds == pytest.approx(w.getnframes() / SAMPLE_RATE)
    assert not [p for p in cache.iterdir() if p.name.startswith(".")], "temporary files left in the cache"


def test_festival_speaks_real_captions_and_a_recognizer_understands_them(tmp_path):
    voice = Festival()
    takes = []
    for caption in CAPTIONS:
        speech = voice.say(spoken(caption), tmp_path)
        assert_narration_wav(speech, tmp_path)
        assert 1.5 < speech.seconds < 15
        takes.append((speech.path, spoken(caption)))
    total, results = intelligibility.measure(takes)
    print(f"\nfestival: {total.heard}/{total.said} words of 4+ letters recognized ({total.recall:.0%})")
    for take in results:
        print(f"  {take.score.heard}/{take.score.said}  {take.heard}")
    assert total.recall >= 0.6


def samples(path: Path) -> np.ndarray:
    with wave.open(str(path), "rb") as w:
        return np.frombuffer(w.readframes(w.getnframes()), dtype="<i2") / 32768.0


def test_festival_takes_start_and_end_with_sound_not_silence(tmp_path):
    speech = Festival().say("Zero point eight five.", tmp_path)
    audio, window = samples(speech.path), int(0.03 * SAMPLE_RATE)
    threshold = 10 ** (SILENCE_DB / 20)
    assert np.abs(audio[:window]).max() >= threshold
    assert np.abs(audio[-window:]).max() >= threshold
    assert 0.5 < speech.seconds < 3


def test_the_same_sentence_is_synthesized_once(tmp_path, monkeypatch):
    calls = []
    real = Festival.synthesize
    monkeypatch.setattr(Festival, "synthesize", lambda self, text, out: (calls.append(text), real(self, text, out)))
    first = Festival().say("The slope is one.", tmp_path)
    again = Festival().say("The slope is one.", tmp_path)
    assert calls == ["The slope is one."]
    assert again == first
    Festival().say("The slope is zero.", tmp_path)
    assert len(calls) == 2 and len(list(tmp_path.glob("*.wav"))) == 2


FAKE_TTS = textwrap.dedent(
    """
    import math, struct, sys, wave
    text = sys.stdin.read()
    out, calls = sys.argv[1], sys.argv[2]
    with open(calls, "a") as log:
        log.write(text + "\\n")
    rate, seconds = 22050, 0.02 * len(text)
    frames = b"".join(
        struct.pack("<hh", *(2 * [int(8000 * math.sin(2 * math.pi * 330 * i / rate))]))
        for i in range(int(rate * seconds))
    )
    with wave.open(out, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(frames)
    """
)


@pytest.fixture
def fake_tts(tmp_path):
    """A VOICE_COMMAND template for a tiny TTS: a 330 Hz tone 0.02 s per character of the text."""
    script = tmp_path / "fake_tts.py"
    script.write_text(FAKE_TTS)
    calls = tmp_path / "calls.txt"
    return f"{sys.executable} {script} {{wav}} {calls}", calls


def test_a_voice_command_gets_the_text_on_stdin_and_writes_wav(tmp_path, fake_tts):
    template, calls = fake_tts
    cache = tmp_path / "cache"
    text = "Ray loo of minus sixteen equals zero."
    speech = Command(template).say(text, cache)
    assert_narration_wav(speech, cache)
    assert speech.seconds == pytest.approx(0.02 * len(text), abs=0.03)
    assert calls.read_text() == text + "\n"
    assert Command(template).say(text, cache) == speech
    assert calls.read_text() == text + "\n", "a cached sentence ran the command again"


def test_a_different_voice_command_is_a_different_cache_entry(tmp_path, fake_tts):
    template, calls = fake_tts
    Command(template).say("Zero.", tmp_path / "cache")
    Command(template + " ").say("Zero.", tmp_path / "cache")
    assert calls.read_text() == "Zero.\nZero.\n"


def test_a_failing_voice_command_says_its_exit_status_in_one_line(tmp_path):
    command = Command(f"{sys.executable} -c 'import sys; sys.stderr.write(\"no model here\\n\"); sys.exit(3)' {{wav}}")
    with pytest.raises(VoiceError) as error:
        command.say("Hello.", tmp_path)
    message = str(error.value)
    assert "exit status 3" in message and "no model here" in message and "\n" not in message
    assert list(tmp_path.iterdir()) == []


def test_a_voice_command_that_writes_nothing_is_an_error(tmp_path):
    with pytest.raises(VoiceError, match="wrote no audio"):
        Command("true {wav}").say("Hello.", tmp_path)
    with pytest.raises(VoiceError, match=r"\{wav\}"):
        Command("say-it-somewhere")


def test_missing_festival_names_the_debian_packages(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    with pytest.raises(VoiceError) as error:
        Festival().say("Hello.", tmp_path)
    assert str(error.value) == "festival is not installed: apt-get install festival festvox-us-slt-hts"


def test_a_missing_festival_voice_names_its_package(tmp_path):
    with pytest.raises(VoiceError) as error:
        Festival(voice="cmu_us_nobody_hts").check()
    assert "apt-get install festvox-us-slt-hts" in str(error.value) and "\n" not in str(error.value)
    Festival().check()


def test_voices_by_name(fake_tts, tmp_path):
    template, _ = fake_tts
    assert isinstance(make_voice(), Festival)
    assert isinstance(make_voice("none"), Silent)
    assert make_voice("command", template).template == template
    assert Silent().say("Hello.", tmp_path / "cache") is None and not (tmp_path / "cache").exists()
    with pytest.raises(VoiceError, match="needs VOICE_COMMAND"):
        make_voice("command")
    with pytest.raises(VoiceError, match="unknown voice 'espeak'; voices: festival, piper, command, none"):
        make_voice("espeak")


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("take.wav", []),
        ("take.flac", ["-c:a", "flac"]),
        ("take.mp3", ["-c:a", "libmp3lame", "-b:a", "128k"]),
    ],
)
def test_a_recording_is_trimmed_and_converted(tmp_path, name, codec):
    source = tmp_path / name
    tone_with_silence(source, tone=1.3, codec=codec)
    if name.endswith(".wav"):
        assert wav_seconds(source) == pytest.approx(2.3, abs=0.01)
    cache = tmp_path / "cache"
    speech = recording(source, cache)
    assert_narration_wav(speech, cache)
    assert speech.seconds == pytest.approx(1.3, abs=0.05)
    assert recording(source, cache) == speech  # converted once


def test_a_silent_recording_is_an_error_not_an_empty_take(tmp_path):
    source = tmp_path / "silence.wav"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono:d=1", str(source))
    with pytest.raises(VoiceError, match="no sound"):
        recording(source, tmp_path / "cache")
    assert list((tmp_path / "cache").iterdir()) == []
    with pytest.raises(VoiceError, match="not found"):
        recording(tmp_path / "missing.wav", tmp_path / "cache")


def ffmpeg_take(source: Path, target: Path) -> None:
    """A take trimmed and converted by ffmpeg itself: what the worker's own conversion stands in for."""
    cut = f"silenceremove=start_periods=1:start_threshold={SILENCE_DB}dB:detection=peak"
    ffmpeg("-i", str(source), "-af", f"{cut},areverse,{cut},areverse", "-ac", "1", "-ar", "48000",
           "-c:a", "pcm_s16le", "-map_metadata", "-1", "-bitexact", "-f", "wav", str(target))  # fmt: skip


def mono_take(path: Path, rate: int) -> Path:
    """A 16-bit mono WAV at ``rate``: quiet hiss under the threshold, a tone fading in, silence."""
    t = np.arange(rate * 2) / rate
    sound = np.where((t > 0.3) & (t < 1.4), 0.3 * np.sin(2 * np.pi * 440 * t) * np.minimum(1, (t - 0.3) * 20), 0)
    sound[:300] = 0.001
    with wave.open(str(path), "wb") as take:
        take.setnchannels(1)
        take.setsampwidth(2)
        take.setframerate(rate)
        take.writeframes(np.round(sound * 32767).astype("<i2").tobytes())
    return path


def test_takes_trimmed_in_the_worker_are_ffmpegs_own_byte_for_byte(tmp_path):
    takes = [mono_take(tmp_path / f"tone{rate}.wav", rate) for rate in (16000, 22050, 44100, 48000)]
    cut_off = tmp_path / "cut_off.wav"  # a file cut off inside its last sample
    cut_off.write_bytes(takes[0].read_bytes()[:-1])
    takes.append(cut_off)
    for number, caption in enumerate(CAPTIONS[:2]):
        Festival().synthesize(spoken(caption), tmp_path / f"festival{number}.wav")  # 32 kHz, as festival writes
        takes.append(tmp_path / f"festival{number}.wav")
    for take in takes:
        ours = recording(take, tmp_path / "cache")
        ffmpeg_take(take, tmp_path / "theirs.wav")
        assert ours.path.read_bytes() == (tmp_path / "theirs.wav").read_bytes(), take.name


def test_recall_counts_long_words_as_a_bag():
    said = "Zero point eight five, zero point five: the node's input."
    # 4+ letters: zero point eight five zero point five nodes input; each heard word counts once.
    score = intelligibility.score(said, "ZERO point eight nodes the the")
    assert (score.said, score.heard) == (9, 4)
    assert score.recall == pytest.approx(4 / 9)
    assert (intelligibility.score(said, said).recall, intelligibility.score("a b c", "").recall) == (1.0, 1.0)


def test_festival_speaks_a_long_text_whole_within_its_smaller_heap(tmp_path):
    """Festival runs with FESTIVAL_HEAP, a tenth of its default: a text of twelve sentences
    still comes out whole, not cut short when the heap fills."""
    sentence = "The slope is one where the input is positive, and zero where it is negative. "
    one = Festival().say(sentence, tmp_path).seconds
    many = Festival().say(sentence * 12, tmp_path).seconds
    assert many > 11 * one, (one, many)


def test_a_festival_error_is_said_as_festival_says_it(tmp_path, monkeypatch):
    from reluviz.studio.media import festival

    monkeypatch.setattr(festival, "FESTIVAL_HEAP", 20_000)  # too small to load its lexicon
    with pytest.raises(VoiceError) as error:
        Festival().say("Hello.", tmp_path)
    assert str(error.value) == "festival failed (exit status 1): SIOD ERROR: ran out of storage"


def running(pid: int) -> bool:
    """Whether process ``pid`` still runs (one killed and not yet reaped is a zombie: it does not)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")


def stopped_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while running(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


def test_a_voice_command_that_hangs_is_stopped_with_every_program_it_started(tmp_path):
    started = tmp_path / "sleep.pid"
    # the shell waits for a program of its own, as a shell running a TTS program does
    template = f"sleep 1000 & echo $! > {shlex.quote(str(started))}; wait # {{wav}}"
    began = time.monotonic()
    with pytest.raises(VoiceError) as error:
        Command(template, timeout=1).say("The slope is one.", tmp_path / "cache")
    assert time.monotonic() - began < 10
    said = f"VOICE_COMMAND {quoted(template)} took more than VOICE_TIMEOUT=1 s to speak 'The slope is one.'"
    assert str(error.value) == f"{said} and was stopped"
    assert stopped_within(int(started.read_text()), 5), "the shell's own program was left running"
    assert list((tmp_path / "cache").iterdir()) == []


def test_festival_that_hangs_is_stopped_after_its_timeout(tmp_path, monkeypatch):
    programs = tmp_path / "bin"
    programs.mkdir()
    for name, script in (("festival", "exec sleep 1000"), ("text2wave", "")):
        (programs / name).write_text(f"#!/bin/sh\n{script}\n")
        (programs / name).chmod(0o755)
    monkeypatch.setenv("PATH", f"{programs}:{os.environ['PATH']}")
    voice = Festival(timeout=0.5)
    with pytest.raises(VoiceError) as error:
        voice.say("Hello.", tmp_path / "cache")
    assert str(error.value) == "the festival voice took more than VOICE_TIMEOUT=0.5 s to speak 'Hello.' and was stopped"
    assert voice._kept is None


def test_one_festival_says_a_clips_sentences_each_as_a_fresh_festival_says_it(tmp_path, monkeypatch):
    """A festival is kept running between sentences (starting it and its voice took a third of a
    sentence's CPU), and what it says is what Debian's text2wave, started afresh, says."""
    sentences = ["The output unit adds the two bent lines.", "Part one: What ray loo is.", "Hi.", "Minus sixteen."]
    started, popen = [], subprocess.Popen

    def counted(command, *args, **kwargs):
        started.append(command[0])
        return popen(command, *args, **kwargs)

    for number, sentence in enumerate(sentences):
        fresh = tmp_path / f"fresh{number}.wav"
        subprocess.run(
            ["text2wave", "-eval", f"(voice_{FESTIVAL_VOICE})", "-o", str(fresh)], input=sentence, text=True, check=True
        )
    voice = Festival()
    monkeypatch.setattr(subprocess, "Popen", counted)
    for number, sentence in enumerate(sentences):
        voice.synthesize(sentence, tmp_path / f"kept{number}.wav")
    assert started == ["festival"]
    kept = voice._kept.process
    monkeypatch.undo()
    for number, sentence in enumerate(sentences):
        assert (tmp_path / f"kept{number}.wav").read_bytes() == (tmp_path / f"fresh{number}.wav").read_bytes(), sentence
    os.killpg(kept.pid, signal.SIGKILL)  # it dies between sentences: the next one starts another
    kept.wait()
    voice.synthesize("Hi.", tmp_path / "after.wav")
    assert (tmp_path / "after.wav").read_bytes() == (tmp_path / "fresh2.wav").read_bytes()
    folder, process = voice._kept.folder, voice._kept.process
    del voice  # gone with its Festival
    assert stopped_within(process.pid, 5) and not folder.exists()


def render_speaking_with(command: str, out: Path) -> subprocess.CompletedProcess:
    """A render of one stage whose voice is ``command``, allowed 1 s a sentence."""
    return subprocess.run(
        [sys.executable, "-m", "reluviz", "render", "--quality=low", "--stages=bias", f"--out={out}"]
        + ["--voice=command", f"--voice-command={command}", "--voice-timeout=1"],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_render_whose_voice_command_hangs_ends_in_one_line_naming_it(tmp_path):
    command = "sleep 1000 # {wav}"
    result = render_speaking_with(command, tmp_path / "out")
    assert result.returncode == 2
    assert result.stderr == (
        f"reluviz: VOICE_COMMAND {command!r} took more than VOICE_TIMEOUT=1 s to speak 'ready' and was stopped\n"
    )
    assert not (tmp_path / "out" / "relu").exists()


def test_the_voice_timeout_reaches_the_workers_that_speak_the_clips(tmp_path):
    # says "ready" (the check before anything renders) at once, and never says a clip's sentence
    command = 'if [ "$(cat)" = ready ]; then ffmpeg -v error -f lavfi -i sine=d=0.3 -y {wav}; else sleep 1000; fi'
    result = render_speaking_with(command, tmp_path / "out")
    assert result.returncode == 2
    (line,) = result.stderr.splitlines()
    assert line.startswith(
        f"reluviz: 11_bias: VoiceError: VOICE_COMMAND {quoted(command)} took more than VOICE_TIMEOUT=1 s"
    )
    assert "to speak 'The green wedge" in line, line
    assert not (tmp_path / "out" / "relu").exists()
    assert list((tmp_path / "out" / ".cache" / "tmp").iterdir()) == [], "a half-made clip was left"


def test_a_festival_not_kept_running_is_stopped_after_each_sentence(tmp_path):
    """Beside a 1080p clip's frames, a festival waiting between sentences would hold its 54 MB."""
    voice = Festival(keep_running=False)
    voice.synthesize("Hi.", tmp_path / "one.wav")
    assert voice._kept is None
    voice.synthesize("Hi.", tmp_path / "two.wav")
    assert voice._kept is None
    assert (tmp_path / "two.wav").read_bytes() == (tmp_path / "one.wav").read_bytes()
