"""The film: every clip in story order behind its part's title card, captions and chapters."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
import srt
from instruments.cache_entries import hand_made_entry
from scipy.io import wavfile
from scipy.signal import resample_poly

from reluviz.files.weights import load_weights
from reluviz.studio.media import ffmpeg, loudness
from reluviz.studio.media import film as film_module
from reluviz.studio.media.film import Chapter, title_poster
from reluviz.studio.pipeline import cache
from reluviz.words.stages import STAGES


def test_film_is_its_parts_end_to_end(low_render, probe_json):
    out, clips, result = low_render
    film = clips / "00_relu_story.mp4"
    info = ffmpeg.probe(film)
    assert (info.codec, info.width, info.height) == ("h264", 854, 480) and info.faststart
    marks = probe_json(film, "-show_chapters")["chapters"]
    titles = [c["tags"]["title"] for c in marks]
    cards = [i for i, title in enumerate(titles) if title.startswith("Part")]
    # each part's card before its first stage: Part I before 1, Part II before 5, Part III before 16
    assert [(titles[i], titles[i + 1].split(".")[0]) for i in cards] == [
        ("Part I: What ReLU is", "1"),
        ("Part II: ReLU in action", "5"),
        ("Part III: Two inputs", "16"),
    ]
    # the relu preset has the lesson's two hidden nodes: stages 9 and 10 take the lesson's titles
    lesson = load_weights("relu").network
    assert [t for t in titles if not t.startswith("Part")] == [f"{s.number}. {s.worded(lesson).title}" for s in STAGES]
    assert "9. The bottom node" in titles and "10. Adding the two paths" in titles
    stage_lengths = [ffmpeg.probe(clips / f"{s.file_stem}.mp4").duration for s in STAGES]
    card_lengths = [float(marks[i]["end_time"]) - float(marks[i]["start_time"]) for i in cards]
    assert all(2 <= c <= 6 for c in card_lengths)
    assert info.duration == pytest.approx(sum(stage_lengths) + sum(card_lengths), abs=0.1)
    # each stage's chapter is as long as its clip
    stage_marks = [c for c in marks if not c["tags"]["title"].startswith("Part")]
    for mark, length in zip(stage_marks, stage_lengths):
        assert float(mark["end_time"]) - float(mark["start_time"]) == pytest.approx(length, abs=0.01)


def test_film_captions_are_the_clips_captions_shifted(low_render, probe_json):
    _, clips, _ = low_render
    film = list(srt.parse((clips / "00_relu_story.srt").read_text()))
    marks = probe_json(clips / "00_relu_story.mp4", "-show_chapters")["chapters"]
    stage_marks = [c for c in marks if not c["tags"]["title"].startswith("Part")]
    for stage, mark in zip(STAGES, stage_marks):
        own = list(srt.parse((clips / f"{stage.file_stem}.srt").read_text()))
        start = float(mark["start_time"])
        matches = [s for s in film if s.content == own[0].content]
        assert any(abs(s.start.total_seconds() - (own[0].start.total_seconds() + start)) < 0.01 for s in matches)
    assert film[-1].end.total_seconds() <= ffmpeg.probe(clips / "00_relu_story.mp4").duration + 0.01


def decoded(path: Path, *options: str) -> np.ndarray:
    """Every frame of a video (or an image's pixels) as RGB, decoded by ffmpeg: (frames, h, w, 3)."""
    size = ffmpeg_probe_size(path)
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", *options, "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, size[1], size[0], 3).astype(int)


def ffmpeg_probe_size(path: Path) -> tuple[int, int]:
    info = subprocess.run(
        ["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries", "stream=width,height", "-of", "json"]
        + [str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    stream = json.loads(info)["streams"][0]
    return stream["width"], stream["height"]


@pytest.mark.parametrize(("background", "ink"), [((17, 20, 27), (240, 240, 240)), ((250, 250, 250), (20, 20, 30))])
def test_title_poster_is_the_card_in_full(tmp_path, background, ink):
    """A card that fades in, holds and fades out (on a dark or a light background): the poster
    is a frame of the hold, not the empty ends nor a half-faded moment."""
    opacities = [0, 0.25, 0.5, 0.75, 1, 1, 1, 1, 0.6, 0.3, 0]
    frames = np.empty((len(opacities), 180, 320, 3), np.uint8)
    for frame, opacity in zip(frames, opacities):
        frame[:] = background
        for top in (40, 100):  # a heading and a line under it
            frame[top : top + 30, 60:260] = np.round(np.array(background) + opacity * (np.array(ink) - background))
    card = tmp_path / "card.mp4"
    subprocess.run(
        ["ffmpeg", "-v", "error", "-f", "rawvideo", "-pix_fmt", "rgb24", "-s", "320x180", "-r", "15", "-i", "-"]
        + ["-c:v", "libx264", "-pix_fmt", "yuv420p", str(card)],
        input=frames.tobytes(),
        check=True,
    )
    poster = tmp_path / "poster.png"
    title_poster(card, poster)
    (picture,) = decoded(poster)
    difference = [np.mean(np.abs(picture - f.astype(int))) for f in frames]
    assert min(difference[4:8]) < 2.0, "the poster is the card as it holds"
    assert min(difference[:4] + difference[8:]) > 5 * min(difference[4:8])


def test_film_poster_is_its_title_card(low_render, probe_json):
    """The film's poster (on the page too) is a frame of its opening title card with the title
    on it: not the closing frame of the last clip, which would give the ending away."""
    _, clips, _ = low_render
    film = clips / "00_relu_story.mp4"
    poster_file = clips / "00_relu_story.png"
    (poster,) = decoded(poster_file)
    card_end = float(probe_json(film, "-show_chapters")["chapters"][0]["end_time"])
    card = decoded(film, "-t", f"{card_end:.3f}")
    closest = min(np.mean(np.abs(poster - frame)) for frame in card)
    assert closest < 1.0, "the poster is a frame of the title card"
    assert np.mean(np.abs(poster - card[0])) > 1.0, "with the title on it, not the empty background"
    last = decoded(film, "-sseof", "-0.5")[-1]
    assert np.mean(np.abs(poster - last)) > 1.0
    page = (clips / "index.html").read_text()
    assert f'poster="{poster_file.name}"' in page


def _lufs_and_peak(video: Path, tmp_path: Path) -> tuple[float, float]:
    """Integrated loudness (pyloudnorm, BS.1770) and the 4x oversampled peak (dBFS) of a video's sound."""
    wav = tmp_path / f"{video.parent.name}.wav"
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-i", str(video), "-vn", "-c:a", "pcm_f32le", str(wav)], check=True)
    rate, samples = wavfile.read(wav)
    lufs = pyloudnorm.Meter(rate).integrated_loudness(samples.astype(float))
    peak = np.max(np.abs(resample_poly(samples, 4, 1, axis=0)))
    return lufs, 20 * np.log10(peak)


@pytest.mark.parametrize(("volume_db", "packs"), [(8.5, 1), (-6.0, 2)])
def test_the_films_sound_is_packed_once_when_its_clips_are_on_target(volume_db, packs, tmp_path, monkeypatch):
    """Clips at the film's level: the joined sound is packed while it is measured, once. Clips too
    quiet (a changed clip's sound, say): it is levelled to -16 LUFS and packed again."""
    packed = []
    pack = film_module._pack
    monkeypatch.setattr(film_module, "_pack", lambda work, sound: packed.append(sound) or pack(work, sound))
    cache_dir = tmp_path / ".cache"
    clips = [hand_made_entry(cache_dir / "clips" / name, 3.0, "A tone.", tone_db=volume_db) for name in ("a", "b")]
    made = film_module.assemble([Chapter(name, clip) for name, clip in zip("AB", clips)], cache_dir)
    lufs, peak = _lufs_and_peak(made / "film.mp4", tmp_path)
    assert len(packed) == packs
    assert abs(lufs - loudness.TARGET_LUFS) <= 0.5, lufs
    assert peak <= loudness.MAX_TRUE_PEAK
    assert ffmpeg.probe(made / "film.mp4").duration == pytest.approx(6.0, abs=0.1)
    assert (made / "poster.png").exists() and cache.entry_ok(made)
    assert sorted(p.name for p in made.iterdir() if p.suffix in (".wav", ".txt")) == []


def _audio_packets(video: Path) -> list[bytes]:
    import av

    with av.open(str(video)) as container:
        return [bytes(p) for p in container.demux(audio=0) if p.size]


def test_the_films_sound_joined_as_it_is_packed_is_the_joined_file_packed(tmp_path):
    """Packed as it is joined, the film's sound is byte for byte what packing the joined WAV
    made (the levelling's route, and every film's before), and measures as that file does."""
    cache_dir = tmp_path / ".cache"
    clips = [
        hand_made_entry(cache_dir / "clips" / name, seconds, "A tone.", tone_db=8.5)
        for name, seconds in (("a", 3.0), ("b", 2.4))
    ]
    made = film_module.assemble([Chapter(name, clip) for name, clip in zip("AB", clips)], cache_dir)
    work = tmp_path / "from_file"
    shutil.copytree(made, work)
    (work / "clips.txt").write_text("".join(film_module._concat_line(c / "clip.mp4") for c in clips))
    durations = [json.loads((c / "info.json").read_text())["duration"] for c in clips]
    (work / "chapters.txt").write_text(film_module._ffmetadata([("A", 0, durations[0])], "t"))
    raw = film_module._joined_sound([c / "clip.mp4" for c in clips], durations, work)
    film_module._pack(work, (["-i", str(raw)], f"{film_module.PACKED_INPUTS}:a"))
    ours, theirs = _audio_packets(made / "film.mp4"), _audio_packets(work / "film.mp4")
    assert len(ours) > 200 and ours == theirs
    joined = film_module._joined([c / "clip.mp4" for c in clips], durations)
    assert loudness.measure_graph(*joined) == loudness.measure(raw)
