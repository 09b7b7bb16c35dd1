"""ffmpeg's failures said as their cause; what probe reads and how clips are cut."""

from __future__ import annotations

import errno
import subprocess
from fractions import Fraction
from pathlib import Path

import pytest

from reluviz.studio.media import ffmpeg, loudness


def test_ffmpeg_writing_onto_a_full_disk_is_said_as_a_full_disk():
    with pytest.raises(OSError) as error:  # /dev/full: every write finds no space left
        ffmpeg.run_ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:duration=1", "-f", "mp4", "/dev/full")
    assert (error.value.errno, error.value.filename) == (errno.ENOSPC, "/dev/full")


def test_sound_measured_as_it_is_written_onto_a_full_disk_is_said_as_a_full_disk():
    with pytest.raises(OSError) as error:
        tone = ["-f", "lavfi", "-i", "sine=duration=1"]
        loudness.write_measured(tone, "[0:a]anull", "fltp", ["-f", "mp4", "/dev/full"])
    assert (error.value.errno, error.value.filename) == (errno.ENOSPC, "/dev/full")


def make(target: Path, *args: str) -> Path:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args, str(target)], check=True)
    return target


@pytest.fixture(scope="module")
def numbered_clip(tmp_path_factory) -> Path:
    """Six seconds at 15 fps, each frame showing its number, a keyframe every 15 frames (as a
    clip has at its beats), and a tone through it all."""
    return make(
        tmp_path_factory.mktemp("clip") / "clip.mp4",
        "-f", "lavfi", "-i", "testsrc2=size=160x90:rate=15:duration=6",
        "-f", "lavfi", "-i", "sine=f=440:r=48000:duration=6",
        "-c:v", "libx264", "-g", "15", "-keyint_min", "15", "-sc_threshold", "0", "-pix_fmt", "yuv420p",
        "-c:a", "aac", "-shortest", "-movflags", "+faststart",
    )  # fmt: skip


def test_probe_says_what_ffprobe_says(numbered_clip, tmp_path, probe_json):
    webm = make(tmp_path / "clip.webm", "-i", str(numbered_clip), "-t", "2", "-c:v", "libvpx-vp9", "-an")
    gif = make(tmp_path / "clip.gif", "-i", str(numbered_clip), "-t", "1", "-an")
    shown = "stream=codec_name,pix_fmt,width,height,avg_frame_rate:format=duration"
    for path in (numbered_clip, webm, gif):
        found = probe_json(path, "-select_streams", "v:0", "-show_entries", shown)
        said, info = {**found["streams"][0], **found["format"]}, ffmpeg.probe(path)
        assert (info.codec, info.pixel_format, info.width, info.height) == (
            said["codec_name"],
            said["pix_fmt"],
            said["width"],
            said["height"],
        ), path.name
        assert info.duration == float(said["duration"]), path.name
        if path is not gif:  # a GIF's rate is guessed from centisecond delays, differently by each FFmpeg
            assert info.fps == float(Fraction(said["avg_frame_rate"])), path.name
    assert ffmpeg.probe(numbered_clip).faststart and not ffmpeg.probe(webm).faststart
    assert ffmpeg.has_audio(numbered_clip) and not ffmpeg.has_audio(webm)


def test_probe_of_a_file_that_is_not_video_names_the_file(tmp_path):
    text = tmp_path / "notes.mp4"
    text.write_text("not a video")
    with pytest.raises(RuntimeError, match="notes.mp4: cannot be read as video"):
        ffmpeg.probe(text)


def frame_numbers(path: Path) -> list[str]:
    """Each decoded frame's digest, in order."""
    out = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-map", "0:v", "-f", "framemd5", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return [line.rsplit(",", 1)[-1].strip() for line in out.splitlines() if not line.startswith("#")]


def test_cuts_made_in_one_run_are_the_clips_frames_with_all_their_sound(numbered_clip, tmp_path, probe_json):
    cuts = [(0.0, 1.0, tmp_path / "a.mp4"), (1.0, 3.0, tmp_path / "b.mp4"), (3.0, 6.0, tmp_path / "c.mp4")]
    ffmpeg.segments(numbered_clip, cuts, 15, sound=True)
    whole = frame_numbers(numbered_clip)
    for start, end, target in cuts:
        assert frame_numbers(target) == whole[round(start * 15) : round(end * 15)], target.name
        # the sound runs to the cut's end (AAC adds at most a frame of 1024 samples)
        sound = probe_json(target, "-select_streams", "a", "-show_entries", "stream=duration")["streams"][0]
        assert end - start <= float(sound["duration"]) <= end - start + 1024 / 48000, target.name
    alone = tmp_path / "alone.mp4"
    ffmpeg.segments(numbered_clip, [(1.0, 3.0, alone)], 15, sound=True)
    assert alone.read_bytes() == (tmp_path / "b.mp4").read_bytes(), "a cut does not depend on the others"
