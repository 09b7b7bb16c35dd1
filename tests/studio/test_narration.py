"""Narration measured in what came out: sound tracks, loudness, speech against the beats
(found by listening for silence, not read from our timing table), caption limits, the
user's own recordings and voice command, and the script."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import wave
from pathlib import Path

import numpy as np
import pytest
import srt

from reluviz.words.stages import STAGES

SAMPLE_RATE = 48_000


def streams(path: Path, probe_json) -> dict[str, dict]:
    found = probe_json(path, "-show_streams")["streams"]
    return {s["codec_type"]: s for s in found}


def loudness(path: Path) -> tuple[float, float]:
    """(integrated LUFS, true peak dBTP) by ffmpeg's EBU R128 meter."""
    log = subprocess.run(
        ["ffmpeg", "-nostats", "-i", str(path), "-map", "0:a", "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True,
        text=True,
    ).stderr
    summary = log[log.rfind("Summary:") :]
    integrated = float(re.search(r"I:\s+(-?[\d.]+) LUFS", summary).group(1))
    peak = float(re.search(r"True peak:\s+Peak:\s+(-?[\d.]+) dBFS", summary).group(1))
    return integrated, peak


def samples(path: Path) -> np.ndarray:
    """The file's sound as mono float samples at 48 kHz, decoded by ffmpeg."""
    raw = subprocess.run(
        [
            "ffmpeg",
            "-v",
            "error",
            "-i",
            str(path),
            "-map",
            "0:a",
            "-ac",
            "1",
            "-ar",
            str(SAMPLE_RATE),
            "-f",
            "f32le",
            "-",
        ],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.float32)


def speaking(sound: np.ndarray, window: float = 0.05, threshold_db: float = -45.0) -> np.ndarray:
    """Per 50 ms window: is anything louder than -45 dBFS heard?"""
    size = int(window * SAMPLE_RATE)
    frames = sound[: len(sound) // size * size].reshape(-1, size)
    level = 20 * np.log10(np.sqrt(np.mean(frames**2, axis=1)) + 1e-12)
    return level > threshold_db


def check_cues(cues: list[srt.Subtitle], where: str) -> None:
    for cue in cues:
        lines = cue.content.split("\n")
        assert len(lines) <= 2 and all(len(line) <= 42 for line in lines), f"{where}: {cue.content!r}"
        seconds = (cue.end - cue.start).total_seconds()
        characters = len(cue.content.replace("\n", " "))
        assert characters / seconds <= 20.0 + 1e-6, f"{where}: {characters} characters in {seconds:.2f} s"


def test_every_clip_and_the_film_speaks_at_broadcast_loudness(low_render, probe_json):
    _, clips, _ = low_render
    manifest = json.loads((clips / "manifest.json").read_text())
    assert manifest["render"]["voice"]["choice"] == "festival"
    for name in [f"{s.file_stem}.mp4" for s in STAGES] + ["00_relu_story.mp4"]:
        found = streams(clips / name, probe_json)
        audio, video = found["audio"], found["video"]
        assert (audio["codec_name"], audio["sample_rate"]) == ("aac", "48000"), name
        assert found["subtitle"]["codec_name"] == "mov_text", name
        assert float(audio["duration"]) == pytest.approx(float(video["duration"]), abs=0.05), name
        integrated, peak = loudness(clips / name)
        assert abs(integrated - -16.0) <= 1.0, f"{name}: {integrated} LUFS"
        assert peak <= -1.0, f"{name}: true peak {peak} dBTP"


def test_speech_starts_with_its_first_cue_and_ends_inside_its_beat(low_render):
    _, clips, _ = low_render
    manifest = json.loads((clips / "manifest.json").read_text())
    for clip in manifest["clips"]:
        heard = speaking(samples(clips / clip["files"]["video"]))
        cues = list(srt.parse((clips / clip["files"]["srt"]).read_text()))
        for beat in clip["beats"]:
            first_cue = min(c.start.total_seconds() for c in cues if c.end.total_seconds() > beat["start"] + 0.01)
            onset = beat["start"] + np.argmax(heard[int(beat["start"] / 0.05) :]) * 0.05
            assert abs(onset - first_cue) <= 0.1, f"{clip['name']}: {beat['caption']!r} heard at {onset:.2f} s"
            last_window = heard[int(beat["end"] / 0.05) - 2 : int(beat["end"] / 0.05)]
            assert not last_window.any(), f"{clip['name']}: still speaking when {beat['caption']!r} ends"


def test_caption_limits_on_every_cue_of_every_clip_and_the_film(low_render):
    _, clips, _ = low_render
    for path in sorted(clips.glob("*.srt")):
        check_cues(list(srt.parse(path.read_text())), path.name)
    assert len(list(clips.glob("*.srt"))) == len(STAGES) + 1


def test_silent_clips_keep_the_reading_pace(tmp_path, run_render, probe_json):
    out = tmp_path / "out"
    result = run_render(out, "--stages", "bias", "--voice", "none")
    assert result.returncode == 0, result.stderr
    clip = out / "relu" / "low" / "11_bias.mp4"
    assert set(streams(clip, probe_json)) == {"video", "subtitle"}
    check_cues(list(srt.parse(clip.with_suffix(".srt").read_text())), clip.name)
    manifest = json.loads((out / "relu" / "low" / "manifest.json").read_text())
    assert manifest["render"]["voice"] == {"choice": "none"}


def tone(path: Path, frequency: float, seconds: float = 1.0) -> None:
    t = np.arange(int(seconds * 22050)) / 22050
    pad = np.zeros(int(0.4 * 22050))  # silence at both ends, to be trimmed
    wave_ = np.concatenate([pad, 0.3 * np.sin(2 * np.pi * frequency * t), pad])
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(22050)
        handle.writeframes((wave_ * 32767).astype(np.int16).tobytes())


def pitch(sound: np.ndarray) -> float:
    spectrum = np.abs(np.fft.rfft(sound * np.hanning(len(sound))))
    return float(np.fft.rfftfreq(len(sound), 1 / SAMPLE_RATE)[np.argmax(spectrum)])


@pytest.mark.heavy  # a render of its own: make test-heavy
def test_recordings_replace_the_voice_beat_by_beat(tmp_path, run_render):
    out, voice = tmp_path / "out", tmp_path / "voice"
    pitches = {1: 440.0, 3: 660.0}  # beat 2 is not recorded: the synthesized voice speaks it
    for beat, frequency in pitches.items():
        tone(voice / "relu" / "11_bias" / f"{beat:02d}.wav", frequency)
    ffmpeg = ["ffmpeg", "-v", "error", "-i", str(voice / "relu" / "11_bias" / "03.wav")]
    subprocess.run([*ffmpeg, str(voice / "relu" / "11_bias" / "03.flac")], check=True)
    (voice / "relu" / "11_bias" / "03.wav").unlink()  # beat 3 comes as FLAC
    tone(voice / "relu" / "11_bias" / "09.wav", 300.0)  # the bias stage has no ninth beat
    result = run_render(out, "--stages", "bias", "--voice", "recorded", "--recordings", str(voice))
    assert result.returncode == 0, result.stderr
    missing, unused = [line for line in result.stdout.splitlines() if "warning" in line]
    assert "11_bias/02.wav" in missing and "11_bias/01.wav" not in missing
    assert "match no beat and are not used: 11_bias/09.wav" in unused
    folder = out / "relu" / "low"
    beats = json.loads((folder / "manifest.json").read_text())["clips"][0]["beats"]
    sound = samples(folder / "11_bias.mp4")
    for beat, frequency in pitches.items():
        start = beats[beat - 1]["start"]
        heard = sound[int((start + 0.2) * SAMPLE_RATE) : int((start + 0.8) * SAMPLE_RATE)]
        assert pitch(heard) == pytest.approx(frequency, abs=5), f"beat {beat}"
        assert beats[beat - 1]["end"] - start >= 1.0, "the beat lasts as long as its recording"
    spoken = sound[int(beats[1]["start"] * SAMPLE_RATE) : int(beats[1]["end"] * SAMPLE_RATE)]
    assert speaking(spoken).sum() * 0.05 > 1.0, "the missing beat is spoken by the voice"

    # a recording replaced: only its clip renders again, and the new sound is heard
    tone(voice / "relu" / "11_bias" / "01.wav", 550.0)
    again = run_render(out, "--stages", "bias definition", "--voice", "recorded", "--recordings", str(voice))
    assert "11 bias                rendering" in again.stdout
    sound = samples(folder / "11_bias.mp4")
    start = json.loads((folder / "manifest.json").read_text())["clips"][1]["beats"][0]["start"]
    assert pitch(sound[int((start + 0.2) * SAMPLE_RATE) : int((start + 0.8) * SAMPLE_RATE)]) == pytest.approx(
        550, abs=5
    )


def test_any_text_to_speech_command(tmp_path, run_render, probe_json):
    speaker = tmp_path / "speak.py"
    speaker.write_text(
        "import sys, wave, math\n"
        "text = sys.stdin.read()\n"
        "rate, seconds = 16000, 0.05 * len(text)\n"  # a second per 20 characters
        "with wave.open(sys.argv[1], 'wb') as w:\n"
        "    w.setnchannels(1); w.setsampwidth(2); w.setframerate(rate)\n"
        "    w.writeframes(b''.join(int(8000 * math.sin(i / 8)).to_bytes(2, 'little', signed=True)"
        " for i in range(int(rate * seconds))))\n"
    )
    out = tmp_path / "out"
    command = f"{sys.executable} {speaker} {{wav}}"
    result = run_render(out, "--stages", "bias", "--voice", "command", "--voice-command", command)
    assert result.returncode == 0, result.stderr
    clip = out / "relu" / "low" / "11_bias.mp4"
    assert streams(clip, probe_json)["audio"]["codec_name"] == "aac"
    beats = json.loads((out / "relu" / "low" / "manifest.json").read_text())["clips"][0]["beats"]
    for beat in beats:  # each beat lasts at least its speech: 0.05 s per spoken character
        assert beat["end"] - beat["start"] >= 0.05 * len(beat["spoken"]), beat


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (["--voice", "recorded", "--recordings", "/nowhere"], "reluviz: VOICE=recorded: no folder /nowhere/relu"),
        (["--voice", "festival", "--voice-command", "say {wav}"], "reluviz: VOICE_COMMAND is given but VOICE=festival"),
        (["--voice", "command", "--voice-command", "echo noise > {wav}"], "VOICE_COMMAND 'echo noise > {wav}': wrote"),
    ],
)
def test_voice_mistakes_are_one_line(tmp_path, run_render, options, message):
    result = run_render(tmp_path / "out", "--stages", "bias", *options)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert message in line and "Traceback" not in line
    assert not list((tmp_path / "out").glob("relu/low/*.mp4"))


@pytest.mark.parametrize("content", [b"", bytes(range(256)) * 8], ids=["empty", "corrupt"])
def test_a_broken_recording_is_named_as_the_users_own_file(tmp_path, run_render, monkeypatch, content):
    monkeypatch.chdir(tmp_path)  # voice/ and out/ where a user has them
    recording = Path("voice/relu/11_bias/01.wav")
    recording.parent.mkdir(parents=True)
    recording.write_bytes(content)
    result = run_render(Path("out"), "--stages", "bias", "--voice", "recorded")
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    assert f"{recording.resolve()}: cannot read 01.wav as audio: Invalid data found" in line
    assert ".cache" not in line.split(" (log: ")[0], "the worker's copy of the recording is named"
    # short apart from the folders the test put its files in (pytest's, longer in a second test process)
    assert len(line.replace(str(tmp_path.resolve()), "/tmp/x")) <= 300 and line.isprintable()


def test_a_silent_recording_is_named_as_the_users_own_file(tmp_path):
    from reluviz.studio.media.narration import VoiceNarrator, synthesized_voice
    from reluviz.studio.media.voice import VoiceError

    copy, users = tmp_path / "worker" / "recordings", tmp_path / "voice" / "relu"
    tone(copy / "11_bias" / "01.wav", 440.0, seconds=0.0)  # nothing but silence
    narrator = VoiceNarrator(synthesized_voice("none"), tmp_path / "speech", "11_bias", copy, users)
    with pytest.raises(VoiceError) as error:
        narrator.speak("anything", 1)
    assert str(error.value) == f"{users}/11_bias/01.wav: 01.wav has no sound louder than -50 dBFS"


@pytest.mark.heavy  # a render of its own: make test-heavy
def test_the_script_names_a_recording_for_every_beat(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "reluviz", "script", "--out", str(out), "--stages", ""], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    entries = json.loads((out / "relu" / "script.json").read_text())
    assert {"stage", "beat", "caption", "spoken", "file"} <= set(entries[0])
    assert [e["stage"] for e in entries if e["beat"] == 1 and e["stage"]] == [s.number for s in STAGES]
    for entry in entries:
        assert entry["file"].startswith("voice/relu/") and entry["file"].endswith(f"/{entry['beat']:02d}.wav")
        assert not re.search(r"\d", entry["spoken"]), entry["spoken"]  # numbers are said in words
    assert len({e["file"] for e in entries}) == len(entries)
    markdown = (out / "relu" / "script.md").read_text()
    assert all(e["file"] in markdown for e in entries)
