"""The lecture kit: every file beside the clips, checked by the program that consumes it."""

from __future__ import annotations

import hashlib
import json
import re
import signal
import subprocess
import sys
from dataclasses import replace

import numpy as np
import pytest

from reluviz.files.weights import load_weights
from reluviz.studio.media import ffmpeg
from reluviz.words.stages import STAGES


def frame_pixels(path) -> np.ndarray:
    """An image, or a video's last frame, as RGB pixels decoded by ffmpeg."""
    size = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "stream=width,height",
            "-of",
            "csv=p=0",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    width, height = (int(v) for v in size.split(","))
    last = [] if path.suffix == ".png" else ["-sseof", "-0.5"]
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", *last, "-i", str(path), "-update", "1", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8)[-width * height * 3 :].reshape(height, width, 3)


@pytest.fixture(scope="module")
def kit(low_render):
    """The low render's clips and its manifest."""
    _, clips, _ = low_render
    return clips, json.loads((clips / "manifest.json").read_text())


@pytest.fixture(scope="module")
def kit_with_formats(low_render, run_render):
    """The low render again, now with WebM and GIF files of every clip (and a WebM of the film):
    a minute of conversions, so in make test-heavy."""
    out, clips, _ = low_render
    result = run_render(out, "--format", "webm gif")
    assert result.returncode == 0, result.stderr
    return clips, json.loads((clips / "manifest.json").read_text())


def test_every_mp4_plays_everywhere(kit):
    clips, manifest = kit
    for item in [*manifest["clips"], manifest["film"]]:
        info = ffmpeg.probe(clips / item["files"]["video"])
        assert (info.codec, info.pixel_format, info.faststart) == ("h264", "yuv420p", True), item["files"]
        assert (info.width, info.height, round(info.fps)) == (854, 480, 15)


def test_captions_and_posters_beside_each_clip(kit):
    clips, manifest = kit
    for item in manifest["clips"]:
        files = item["files"]
        assert (clips / files["poster"]).is_file()
        assert (clips / files["srt"]).read_text().startswith("1\n")
        vtt = (clips / files["vtt"]).read_text()
        assert vtt.startswith("WEBVTT\n") and vtt.count(" --> ") == (clips / files["srt"]).read_text().count(" --> ")
    names = [f for item in manifest["clips"] for f in item["files"].values()]
    assert len(names) == len(set(names)), "no two outputs share a name"


@pytest.mark.heavy
def test_extra_formats_beside_each_clip(kit_with_formats):
    clips, manifest = kit_with_formats
    for item in manifest["clips"]:
        files = item["files"]
        assert ffmpeg.probe(clips / files["webm"]).codec == "vp9"
        gif = ffmpeg.probe(clips / files["gif"])
        assert gif.codec == "gif" and gif.width == ffmpeg.GIF_WIDTH
        assert abs(gif.duration - item["duration"]) < 0.2
        assert (clips / files["gif"]).stat().st_size < 2_000_000  # small enough for a slide
    assert ffmpeg.probe(clips / manifest["film"]["files"]["webm"]).codec == "vp9"
    names = [f for item in manifest["clips"] for f in item["files"].values()]
    assert len(names) == len(set(names)), "no two outputs share a name"


def test_poster_is_the_closing_frame(kit):
    clips, manifest = kit
    for item in manifest["clips"][:3]:
        poster = frame_pixels(clips / item["files"]["poster"]).astype(int)
        last = frame_pixels(clips / item["files"]["video"]).astype(int)
        assert poster.shape == last.shape
        assert np.mean(np.abs(poster - last)) < 2.0


def test_manifest_describes_every_clip_and_the_render(kit):
    clips, manifest = kit
    render = manifest["render"]
    weights = load_weights("relu")
    assert render["weights"]["sha256"] == hashlib.sha256(weights.path.read_bytes()).hexdigest()
    assert (render["quality"], render["width"], render["height"], render["fps"]) == ("low", 854, 480, 15)
    assert render["theme"] == "dark" and render["versions"]["manim"].startswith("0.22")
    assert [c["stage"] for c in manifest["clips"]] == [s.number for s in STAGES]
    titles = {clip["name"]: clip["title"] for clip in manifest["clips"]}
    assert (titles["bottom_node"], titles["summing"]) == ("The bottom node", "Adding the two paths")  # two nodes
    for clip, stage in zip(manifest["clips"], (s.worded(load_weights("relu").network) for s in STAGES)):
        assert (clip["name"], clip["title"], clip["summary"]) == (stage.name, stage.title, stage.summary)
        for name in clip["files"].values():
            assert (clips / name).is_file(), name
        info = ffmpeg.probe(clips / clip["files"]["video"])
        assert clip["duration"] == pytest.approx(info.duration, abs=0.01)
        assert (clip["width"], clip["height"], clip["codec"]) == (info.width, info.height, "h264")
    chapters = manifest["film"]["chapters"]
    assert chapters[-1]["end"] == pytest.approx(manifest["film"]["duration"], abs=0.1)


def test_page_is_self_contained(kit):
    clips, _ = kit
    html = (clips / "index.html").read_text()
    assert "http://" not in html and "https://" not in html
    assert "<script src" not in html
    for reference in re.findall(r'(?:src|href)="([^"]*)"', html):
        assert reference.startswith("data:") or (clips / reference).is_file(), reference
    assert html.count("<video") == len(STAGES) + 1 and html.count("<track") == len(STAGES) + 1


PLAY_ALL = """async () => Promise.all([...document.querySelectorAll('video')].map(async (video) => {
  if (video.readyState < 1) await new Promise((done) => {
    video.addEventListener('loadedmetadata', done, {once: true});
    video.addEventListener('error', done, {once: true});
  });
  const track = video.querySelector('track');
  track.track.mode = 'hidden';
  if (track.readyState < 2) await new Promise((done) => {
    track.addEventListener('load', done, {once: true});
    track.addEventListener('error', done, {once: true});
  });
  return {id: video.id, duration: video.duration, track: track.readyState, cues: track.track.cues.length};
}))"""


def open_in_chromium(url: str, launch_chromium) -> tuple[list[dict], list[str]]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page()
        problems = []
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto(url)
        videos = page.evaluate(PLAY_ALL)
        browser.close()
    return videos, problems


@pytest.mark.parametrize("served", [False, True], ids=["file", "http.server"])
def test_page_plays_in_headless_chromium(kit, served, serve, launch_chromium):
    clips, manifest = kit
    if served:
        with serve(clips, "index.html") as url:
            videos, problems = open_in_chromium(url, launch_chromium)
    else:
        videos, problems = open_in_chromium((clips / "index.html").as_uri(), launch_chromium)
    assert problems == []
    expected = {"film": manifest["film"]["duration"], **{f"clip-{c['name']}": c["duration"] for c in manifest["clips"]}}
    assert {v["id"] for v in videos} == set(expected)
    for video in videos:
        assert video["duration"] == pytest.approx(expected[video["id"]], abs=0.05), video
        assert video["track"] == 2 and video["cues"] > 0, video


def make_deck(out, *args: str):
    from pptx import Presentation

    result = subprocess.run(
        [sys.executable, "-m", "reluviz", "deck", "--quality", "low", "--out", str(out), *args],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return list(Presentation(str(out / "relu" / "low" / "relu_lecture.pptx")).slides)


def slide_video(slide):
    movies = [r.target_part for r in slide.part.rels.values() if r.reltype.endswith("/video")]
    assert len(movies) <= 1 and all(m.content_type == "video/mp4" for m in movies)
    return movies[0].blob if movies else None


def test_slide_deck_steps_like_present_html(low_render):
    """The whole story: after the opening slide, each part's title card beats, then every stage
    of the part as a title slide and a slide per beat, in present.html's order."""
    from reluviz.studio.publishing.present import story_steps

    out, clips, _ = low_render
    manifest = json.loads((clips / "manifest.json").read_text())
    cards = {card["part"]: card for card in manifest["title_cards"]}
    assert set(cards) == {1, 2, 3}
    expected = []  # (title text, beat or None)
    for part in sorted(cards):
        expected += [(cards[part]["title"], beat) for beat in cards[part]["beats"]]
        for clip in [c for c in manifest["clips"] if c["part"] == part]:
            title = f"{clip['stage']}. {clip['title']}"
            expected += [(title, None)] + [(title, beat) for beat in clip["beats"]]
    beats = sum(len(c["beats"]) for c in [*manifest["clips"], *manifest["title_cards"]])
    assert len(expected) == len(STAGES) + beats

    slides = make_deck(out)
    assert len(slides) == 1 + len(STAGES) + beats
    assert slide_video(slides[0]) is None
    for slide, (title, beat) in zip(slides[1:], expected):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert title in texts
        if beat is None:
            assert slide_video(slide) is None
        else:
            assert slide_video(slide) == (clips / beat["file"]).read_bytes(), beat["file"]
            assert slide.notes_slide.notes_text_frame.text == beat["caption"]
    assert [beat["file"] for _, beat in expected if beat] == [s["file"] for s in story_steps(manifest)]


def test_slide_deck_of_clips(low_render):
    out, clips, _ = low_render
    manifest = json.loads((clips / "manifest.json").read_text())
    slides = make_deck(out, "--deck", "clips")
    assert len(slides) == 1 + len(STAGES)
    for slide, clip in zip(slides[1:], manifest["clips"]):
        texts = [s.text_frame.text for s in slide.shapes if s.has_text_frame]
        assert f"{clip['stage']}. {clip['title']}" in texts
        assert slide_video(slide) == (clips / clip["files"]["video"]).read_bytes()
        posters = [r for r in slide.part.rels.values() if r.reltype.endswith("/image")]
        assert posters, "the poster is the movie's preview"
        assert slide.notes_slide.notes_text_frame.text == "\n".join(clip["captions"])


@pytest.mark.heavy  # a render of its own: make test-heavy
def test_transparent_and_light_renders_sit_beside_the_opaque_ones(low_render, run_render, probe_json):
    out, clips, _ = low_render
    opaque = (clips / "01_definition.mp4").stat().st_mtime_ns
    result = run_render(out, "--stages", "definition", "--transparent", "1")
    assert result.returncode == 0, result.stderr
    alpha = clips / "01_definition.alpha.webm"
    stream = probe_json(alpha, "-show_streams")["streams"][0]
    assert stream["codec_name"] == "vp9" and stream.get("tags", {}).get("alpha_mode") == "1"
    assert (clips / "01_definition.mp4").stat().st_mtime_ns == opaque

    result = run_render(out, "--stages", "definition", "--theme", "light")
    assert result.returncode == 0, result.stderr
    light = out / "relu" / "low-light"
    corner = frame_pixels(light / "01_definition.png")[5, 5]
    assert corner.tolist() == [255, 255, 255]
    assert frame_pixels(clips / "01_definition.png")[5, 5].max() < 40  # the dark one is still dark


@pytest.mark.usefixtures("started_in_the_background")
def test_an_interrupted_render_leaves_no_half_file_and_resumes(tmp_path, run_render, render_command_line):
    out = tmp_path / "out"
    command = render_command_line(
        out,
        "--stages",
        "definition neuron derivative",
        "--jobs",
        "1",
        "--voice",
        "none",  # silent: paced the same, and quicker
    )
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    finished = None  # clips are scheduled longest first: whichever finishes first
    for line in process.stdout:
        if finished is None and "done:" in line:
            finished = line.split("done:")[0].strip()  # "01 definition"
        elif finished is not None and "rendering" in line:
            process.send_signal(signal.SIGINT)  # Ctrl-C, in the middle of the next clip
            break
    _, errors = process.communicate(timeout=60)
    assert process.returncode == 130, errors
    target = out / "relu" / "low"
    assert not target.exists() or not any(target.iterdir()), "nothing under a final name yet"
    assert not list((out / ".cache").rglob("*.tmp")) and not list((out / ".cache" / "tmp").iterdir())
    result = run_render(out, "--stages", "definition neuron derivative", "--voice", "none")
    assert result.returncode == 0, result.stderr
    assert re.search(rf"{finished} +unchanged", result.stdout), result.stdout  # finished before the interruption
    for stem in ("01_definition", "02_neuron", "03_derivative"):
        assert ffmpeg.probe(target / f"{stem}.mp4").codec == "h264"


def test_a_first_render_is_ordered_longest_first_too(tmp_path):
    """Before an out/ has timed every clip it renders, clips are ordered by the bench's
    timings, so a first render does not end with one core idle through a long clip."""
    from reluviz.studio.pipeline import render
    from reluviz.studio.publishing.kit import plan_kit
    from reluviz.studio.publishing.story import load_story
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", voice="none")
    scenes = {job.scene for job in plan_kit(settings, load_story(settings)).to_render}
    assert scenes <= render.FIRST_RENDER_SECONDS.keys(), "every clip a render makes has a first estimate"
    assert render._expected_seconds(settings, scenes) == render.FIRST_RENDER_SECONDS
    render._remember(settings, {"a": ("definition", 3.0)})
    assert render._expected_seconds(settings, scenes) == render.FIRST_RENDER_SECONDS, "one timing is not an order"
    timed = {scene: float(len(scene)) for scene in scenes}
    render._remember(settings, {scene: (scene, seconds) for scene, seconds in timed.items()})
    assert render._expected_seconds(settings, scenes) == timed, "then this out/'s own timings"


def test_a_title_card_is_made_again_only_when_the_titles_it_lists_change(tmp_path, write_weights):
    from reluviz.studio.publishing.kit import card_job
    from reluviz.studio.publishing.story import load_story
    from reluviz.studio.settings import RenderSettings

    settings = RenderSettings(quality="low", out=tmp_path / "out", voice="none")
    other_bias = write_weights({"bias = -16": "bias = -10"}, name="other_bias")
    names = ("relu", other_bias, "softplus", "wide")
    stories = {name: load_story(replace(settings, weights=str(name))) for name in names}
    keys = {name: card_job(2, settings, story).key for name, story in stories.items()}
    assert keys["relu"] == keys[other_bias], "other numbers, the same two ReLU nodes: the same card"
    assert keys["softplus"] != keys["relu"], "another activation: the card names it in stages 7 and 12"
    assert keys["wide"] != keys["relu"], "four nodes: the card lists other titles"


def test_a_full_disk_while_publishing_names_the_output_folder(tmp_path, monkeypatch, capsys):
    """A copy into out/ failing for want of space is RENDER_OUT's full disk, not the cache file
    being copied (Python's copy names that one first)."""
    import errno
    import os

    from reluviz.studio.cli import main as cli
    from reluviz.studio.publishing import outputs

    def copy_onto_a_full_disk(source, target):  # as shutil.copyfile fails: source and destination named
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(source), None, str(target))

    monkeypatch.setattr(outputs.shutil, "copyfile", copy_onto_a_full_disk)
    out = tmp_path / "out"
    status = cli.main(["render", "--quality", "low", "--stages", "bias", "--voice", "none", "--out", str(out)])
    assert status == 2
    assert capsys.readouterr().err == (
        f"reluviz: RENDER_OUT={out}: its disk is full (No space left on device); free some space there (or set "
        "RENDER_OUT to a folder on another disk) and run again; finished clips are kept\n"
    )


def test_every_part_is_titled_alike_in_the_script_page_presenter_film_and_manifest(low_render, run_render):
    """The part titles as STORY.md numbers its parts: one definition, however each output writes them."""
    out, clips, _ = low_render
    expected = ["Part I: What ReLU is", "Part II: ReLU in action", "Part III: Two inputs"]
    manifest = json.loads((clips / "manifest.json").read_text())
    assert [card["title"] for card in manifest["title_cards"]] == expected
    chapters = [chapter["tags"]["title"] for chapter in ffprobe_chapters(clips / "00_relu_story.mp4")]
    assert [title for title in chapters if title.startswith("Part ")] == expected
    page, presenter = (clips / "index.html").read_text(), (clips / "present.html").read_text()
    for title in expected:
        assert title in page and title in presenter
    script = subprocess.run(
        [sys.executable, "-m", "reluviz", "script", "--quality", "low", "--voice", "none", "--out", str(out)],
        capture_output=True,
        text=True,
    )
    assert script.returncode == 0, script.stderr
    entries = json.loads((out / "relu" / "script.json").read_text())
    titles = list(dict.fromkeys(entry["title"] for entry in entries if entry["stage"] is None))
    assert titles == expected, titles  # the script once wrote "Part 1:"
    assert all(f"## {title}" in (out / "relu" / "script.md").read_text() for title in expected)


def ffprobe_chapters(video) -> list[dict]:
    found = subprocess.run(
        ["ffprobe", "-v", "error", "-show_chapters", "-of", "json", str(video)], capture_output=True, text=True
    )
    return json.loads(found.stdout)["chapters"]
