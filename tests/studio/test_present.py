"""present.html in Debian's headless Chromium: keys move beat by beat, playback stops on each
beat's last frame, the hash follows, the speaker view keeps in step, nothing comes from the
network, a missing or broken beat says so, captions keep clear of the picture; and each
beat's clip is the stage clip's own frames, cut without re-encoding."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import numpy as np
import pytest

from reluviz.scenes.framework.style import THEMES, contrast
from reluviz.studio.publishing.present import story_steps


@pytest.fixture(scope="module")
def kit(low_render):
    _, clips, _ = low_render
    return clips, json.loads((clips / "manifest.json").read_text())


def frame(path: Path, index: int) -> np.ndarray:
    """Picture number ``index`` of a video, decoded by ffmpeg."""
    raw = subprocess.run(
        ["ffmpeg", "-v", "error", "-i", str(path), "-vf", f"select=eq(n\\,{index})", "-frames:v", "1"]
        + ["-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
        capture_output=True,
        check=True,
    ).stdout
    return np.frombuffer(raw, dtype=np.uint8)


def frame_count(path: Path) -> int:
    out = subprocess.run(
        ["ffprobe", "-v", "error", "-count_frames", "-select_streams", "v:0"]
        + ["-show_entries", "stream=nb_read_frames", "-of", "csv=p=0", str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(out.strip())


def test_each_beat_is_the_clips_own_frames(kit):
    clips, manifest = kit
    fps = manifest["render"]["fps"]
    for clip in manifest["clips"][:2] + manifest["clips"][-2:]:
        video = clips / clip["files"]["video"]
        for beat in clip["beats"]:
            segment = clips / beat["file"]
            first, frames = round(beat["start"] * fps), frame_count(segment)
            assert frames == round((beat["end"] - beat["start"]) * fps), beat["file"]
            assert np.array_equal(frame(segment, 0), frame(video, first)), f"{beat['file']} starts elsewhere"
            assert np.array_equal(frame(segment, frames - 1), frame(video, first + frames - 1)), beat["file"]
    assert [c["part"] for c in manifest["title_cards"]] == [1, 2, 3]


def browser_page(browser, url: str, problems: list, requests: list):
    context = browser.new_context()
    context.on("request", lambda r: requests.append(r.url))
    page = context.new_page()
    page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: problems.append(str(e)))
    page.goto(url)
    page.wait_for_function("window.reluviz !== undefined")
    return browser, context, page


def state(page) -> dict:
    return page.evaluate("window.reluviz.state()")


def wait_for_end(page, key: str) -> dict:
    page.wait_for_function(f"(() => {{ const s = window.reluviz.state(); return s.key === {key!r} && s.ended; }})()")
    return state(page)


@pytest.fixture(params=["file", "http.server"])
def url(request, kit, serve):
    clips, _ = kit
    if request.param == "file":
        yield (clips / "present.html").as_uri()
        return
    with serve(clips, "present.html") as address:
        yield address


def test_keys_step_through_the_story_and_stop_on_each_beats_last_frame(kit, url, launch_chromium):
    from playwright.sync_api import sync_playwright

    clips, manifest = kit
    fps = manifest["render"]["fps"]
    card = manifest["title_cards"][0]["beats"][0]
    first_stage = manifest["clips"][0]["beats"]
    problems, requests = [], []
    with sync_playwright() as playwright:
        browser, _, page = browser_page(launch_chromium(playwright), url, problems, requests)
        assert state(page)["key"] == "I.1" and not state(page)["started"], "opens on the first beat, waiting"
        page.keyboard.press("ArrowRight")  # plays the part's title card
        stopped = wait_for_end(page, "I.1")
        assert abs(stopped["time"] - (card["end"] - card["start"])) <= 1 / fps
        page.keyboard.press("PageDown")  # a clicker's button: the first stage's first beat
        stopped = wait_for_end(page, "1.1")
        assert abs(stopped["time"] - (first_stage[0]["end"] - first_stage[0]["start"])) <= 1 / fps
        assert page.evaluate("location.hash") == "#1.1"
        page.mouse.click(400, 300)  # a click does what Right does
        assert state(page)["key"] == "1.2"
        page.keyboard.press("ArrowLeft")
        assert state(page)["key"] == "1.1"
        page.keyboard.press("End")
        last = manifest["clips"][-1]
        assert state(page)["key"] == f"{last['stage']}.{len(last['beats'])}"
        page.keyboard.press("Home")
        assert state(page)["key"] == "I.1"
        for key in ("8", "Enter"):
            page.keyboard.press(key)
        assert state(page)["key"] == "8.1" and page.evaluate("location.hash") == "#8.1"
        page.keyboard.press("b")
        assert page.evaluate("document.body.classList.contains('black')")
        page.keyboard.press("c")
        assert page.evaluate("document.body.classList.contains('captions-off')")
        page.keyboard.press("m")
        assert state(page)["muted"]
        # a link to a beat goes there; a reload stays there
        page.goto(url.split("#")[0] + "#11.2")
        page.wait_for_function("window.reluviz.state().key === '11.2'")
        page.reload()
        page.wait_for_function("window.reluviz !== undefined")
        assert state(page)["key"] == "11.2" and not state(page)["started"]
        browser.close()
    assert problems == []
    assert all(r.startswith(("file://", "http://127.0.0.1", "data:")) for r in requests), requests
    assert any(r.endswith("beats/01_definition.01.mp4") for r in requests)


def test_the_speaker_view_keeps_in_step(kit, url, launch_chromium):
    from playwright.sync_api import sync_playwright

    _, manifest = kit
    problems, requests = [], []
    with sync_playwright() as playwright:
        browser, context, page = browser_page(launch_chromium(playwright), url, problems, requests)
        with context.expect_page() as opened:
            page.keyboard.press("s")
        speaker = opened.value
        speaker.wait_for_function("window.reluviz !== undefined")
        speaker.wait_for_function("document.getElementById('now').textContent.length > 0")
        assert speaker.evaluate("location.hash") == "#speaker"
        # keys pressed in the speaker window move the presentation
        speaker.keyboard.press("ArrowRight")
        speaker.keyboard.press("ArrowRight")
        page.wait_for_function("window.reluviz.state().key === '1.1'")
        expected = manifest["clips"][0]["beats"][0]["caption"]
        speaker.wait_for_function(f"document.getElementById('now').textContent === {expected!r}")
        following = manifest["clips"][0]["beats"][1]["caption"]
        assert speaker.evaluate("document.getElementById('next').textContent") == following
        # and keys pressed in the presentation move the speaker view
        page.keyboard.press("End")
        last = manifest["clips"][-1]["beats"][-1]["caption"]
        speaker.wait_for_function(f"document.getElementById('now').textContent === {last!r}")
        browser.close()
    assert problems == []


NOTICE = "document.getElementById('notice')"


def wait_for_notice(page, file: str | None) -> None:
    """Until the notice names ``file`` as missing or broken (or, for None, is gone)."""
    expected = f"{file} is missing or cannot be played" if file else None
    page.wait_for_function(
        f"(n => (n && !n.hidden ? n.textContent : null) === {json.dumps(expected)})({NOTICE})", timeout=15_000
    )


def pictures_on_screen(page) -> list[str]:
    """The beat file of each video the audience can see."""
    return page.evaluate(
        "[...document.querySelectorAll('#stage video')]"
        ".filter(v => getComputedStyle(v).visibility !== 'hidden').map(v => v.getAttribute('src'))"
    )


def hex_color(css: str) -> str:
    """``rgb(r, g, b)`` as ``#RRGGBB``; a colour that lets the picture through fails here."""
    assert css.startswith("rgb("), f"{css} is not opaque"
    return "#" + "".join(f"{int(c):02X}" for c in css[4:-1].split(","))


def test_a_missing_or_broken_beat_is_named_and_the_keys_go_on(kit, tmp_path, launch_chromium):
    from playwright.sync_api import sync_playwright

    clips, manifest = kit
    bias = next(clip for clip in manifest["clips"] if clip["stage"] == 11)["beats"]
    working, missing, cut = (beat["file"] for beat in bias[:3])
    steps = story_steps(manifest)
    after_cut = steps[[step["file"] for step in steps].index(cut) + 1]["key"]
    shutil.copy(clips / "present.html", tmp_path)  # the page needs nothing else but its beats
    shutil.copytree(clips / "beats", tmp_path / "beats")
    (tmp_path / missing).unlink()
    whole = (tmp_path / cut).read_bytes()
    (tmp_path / cut).write_bytes(whole[: len(whole) // 2])
    problems, requests = [], []
    with sync_playwright() as playwright:
        url = (tmp_path / "present.html").as_uri() + "#11.1"
        browser, context, page = browser_page(launch_chromium(playwright), url, problems, requests)
        page.keyboard.press("ArrowRight")
        wait_for_end(page, "11.1")
        page.keyboard.press("ArrowRight")
        wait_for_notice(page, missing)
        assert working not in pictures_on_screen(page), "the beat before is left showing as if it were this one"
        look = page.evaluate(
            f"(n => {{ const s = getComputedStyle(n), box = n.getBoundingClientRect();"
            " return { color: s.color, background: s.backgroundColor, size: parseFloat(s.fontSize),"
            f" share: box.width * box.height / (innerWidth * innerHeight) }}; }})({NOTICE})"
        )
        assert contrast(hex_color(look["color"]), hex_color(look["background"])) >= 4.5, look
        assert look["size"] >= 18 and look["share"] <= 0.1, f"readable, and small beside the picture: {look}"
        # the speaker view says so too
        with context.expect_page() as opened:
            page.keyboard.press("s")
        speaker = opened.value
        wait_for_notice(speaker, missing)

        page.keyboard.press("ArrowRight")  # plays until the file runs out
        wait_for_notice(page, cut)
        assert set(pictures_on_screen(page)) <= {cut}
        page.keyboard.press("ArrowRight")
        wait_for_end(page, after_cut)
        wait_for_notice(page, None)
        wait_for_notice(speaker, None)

        page.keyboard.press("ArrowLeft")
        wait_for_notice(page, cut)
        page.keyboard.press("ArrowLeft")
        wait_for_notice(page, missing)
        page.keyboard.press("ArrowLeft")
        wait_for_end(page, "11.1")
        wait_for_notice(page, None)
        browser.close()
    assert all("ERR_FILE_NOT_FOUND" in problem for problem in problems), problems


#: The caption's box, the displayed picture's box (object-fit: contain may letterbox the
#: picture inside its element, so the box comes from the video's own size) and what the
#: caption's letters stand on (the first opaque background from the caption outwards).
CAPTION_AND_PICTURE = """(() => {
  const video = document.querySelector('#stage video:not(.back)');
  const caption = document.querySelector('#captions span');
  const element = video.getBoundingClientRect(), fit = getComputedStyle(video);
  const scale = Math.min(element.width / video.videoWidth, element.height / video.videoHeight);
  const width = video.videoWidth * scale, height = video.videoHeight * scale;
  const left = element.left + (element.width - width) / 2, top = element.top + (element.height - height) / 2;
  let behind = caption;
  while (behind.parentElement && getComputedStyle(behind).backgroundColor === 'rgba(0, 0, 0, 0)') {
    behind = behind.parentElement;
  }
  const box = caption.getBoundingClientRect(), text = getComputedStyle(caption);
  return {
    caption: { left: box.left, top: box.top, right: box.right, bottom: box.bottom },
    picture: { left: left, top: top, right: left + width, bottom: top + height },
    fit: fit.objectFit + ' ' + fit.objectPosition,
    color: text.color, background: getComputedStyle(behind).backgroundColor, size: parseFloat(text.fontSize),
  };
})()"""


def overlap(a: dict, b: dict) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def show_cue(page, key: str, cue: dict) -> None:
    """Beat ``key`` on screen, paused in the middle of ``cue``, with that cue's caption drawn."""
    page.evaluate(f"location.hash = {key!r}")
    page.wait_for_function(
        "(() => { const v = document.querySelector('#stage video:not(.back)');"
        f" return window.reluviz.state().key === {key!r} && window.reluviz.state().shown && v.readyState >= 2; }})()"
    )
    middle = (max(cue["start"], 0) + cue["end"]) / 2
    page.evaluate(
        "(() => { const v = document.querySelector('#stage video:not(.back)'); v.pause();"
        f" v.currentTime = Math.min({middle}, v.duration - 0.01); }})()"
    )
    page.wait_for_function(
        "(() => { const v = document.querySelector('#stage video:not(.back)');"
        " return !v.seeking && v.readyState >= 2"
        f" && document.querySelector('#captions span').textContent === {json.dumps(cue['text'])}; }})()"
    )


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_captions_sit_in_a_band_of_their_own_below_the_picture(kit, launch_chromium, width, height):
    """A 16:9 window has no room to spare for a 16:9 picture: the page makes some, so that no
    caption ever hides the picture's bottom (stage 11's last caption once covered the end of
    the green line at dosage 0), and the picture stays big and the caption readable."""
    from playwright.sync_api import sync_playwright

    clips, manifest = kit
    background = THEMES[manifest["render"]["theme"]].background
    steps = [step for step in story_steps(manifest) if step["stage"] in (1, 11)]
    problems = []
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        page = browser.new_page(viewport={"width": width, "height": height})
        page.on("console", lambda m: problems.append(m.text) if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: problems.append(str(e)))
        page.goto((clips / "present.html").as_uri() + "#" + steps[0]["key"])
        page.wait_for_function("window.reluviz !== undefined")
        for step in steps:
            for cue in step["cues"]:
                show_cue(page, step["key"], cue)
                look = page.evaluate(CAPTION_AND_PICTURE)
                where = f"{width}x{height}, beat {step['key']}, {cue['text']!r}: {look}"
                assert look["fit"] == "contain 50% 50%", where
                assert not overlap(look["caption"], look["picture"]), f"the caption covers the picture at {where}"
                caption = look["caption"]
                assert caption["left"] >= 0 and caption["right"] <= width, where
                assert caption["top"] >= 0 and caption["bottom"] <= height, f"the caption is off the window at {where}"
                picture_height = look["picture"]["bottom"] - look["picture"]["top"]
                assert picture_height >= 0.8 * height, f"the picture is too small at {where}"
                assert hex_color(look["background"]) == background, f"the band is not the picture's own at {where}"
                assert contrast(hex_color(look["color"]), hex_color(look["background"])) >= 4.5, where
                assert look["size"] >= 0.035 * height, f"the caption is too small to read from the back at {where}"
        browser.close()
    assert problems == []


@contextmanager
def served_with_one_file_hanging(folder: Path, page: str, hanging: str) -> Iterator[str]:
    """``folder`` served over HTTP, but a request for ``hanging`` is never answered (a stuck
    server, a USB stick that stopped reading): yields the page's URL."""
    release = threading.Event()

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self):
            if self.path.endswith(hanging):
                release.wait()
            else:
                super().do_GET()

        def log_message(self, *args):
            pass  # the test's output is for its failures

    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(Handler, directory=str(folder)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/{page}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()


@pytest.mark.heavy  # plays beats in real time: make test-heavy
def test_a_beat_that_never_arrives_is_named_and_the_keys_go_on(kit, launch_chromium):
    from playwright.sync_api import sync_playwright

    clips, manifest = kit
    bias = next(clip for clip in manifest["clips"] if clip["stage"] == 11)["beats"]
    working, hanging = bias[0]["file"], bias[1]["file"]
    problems, requests = [], []
    with served_with_one_file_hanging(clips, "present.html", hanging) as url, sync_playwright() as playwright:
        browser, _, page = browser_page(launch_chromium(playwright), url + "#11.1", problems, requests)
        page.keyboard.press("ArrowRight")
        wait_for_end(page, "11.1")
        page.keyboard.press("ArrowRight")
        wait_for_notice(page, hanging)
        assert working not in pictures_on_screen(page)
        page.keyboard.press("ArrowRight")
        wait_for_end(page, "11.3")
        wait_for_notice(page, None)
        browser.close()
    assert problems == []


def test_make_present_renders_what_is_missing_and_names_the_page_without_a_display(low_render):
    out, clips, _ = low_render
    environment = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    result = subprocess.run(
        [sys.executable, "-m", "reluviz", "present", "--quality", "low", "--out", str(out)],
        capture_output=True,
        text=True,
        env=environment,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.count("unchanged") >= 14, "nothing rendered again"
    assert result.stdout.strip().splitlines()[-1] == (
        f"reluviz: no display here; open {clips / 'present.html'} in a browser (S opens the speaker view)"
    )
