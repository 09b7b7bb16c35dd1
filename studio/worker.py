"""A render worker: a process that renders scenes to video files, one job after another.

Started by ``studio.render`` as ``python -m studio.worker``; it loads manim once, then
reads jobs from stdin (one JSON object per line) until stdin closes. For each job it
reports on stdout, one JSON object per line: ``{"event": "step", "seconds": t}`` after
every animation (t = seconds of video so far), then ``{"event": "done", ...}`` or
``{"event": "error", "message": ...}`` (the traceback goes to the job's log file).

Scenes render through ``studio.speedups.FastCairoRenderer`` on the manim versions it was
checked against, through manim's own renderer on any other (with one warning line).
"""

from __future__ import annotations

import json
import sys
import tempfile
import traceback
from pathlib import Path


def report(**event) -> None:
    print(json.dumps(event), flush=True)


def render(job: dict, renderer_class: type | None = None):
    """Render one job; returns the scene. ``renderer_class`` None: manim's own renderer."""
    from manim import config, tempconfig
    from PIL import Image

    from reluviz.scenes import scene_class
    from reluviz.scenes.inputs import StoryInputs

    from .cache import plain_path
    from .narration import VoiceNarrator, synthesized_voice
    from .settings import QUALITIES, VP9_ALPHA_OPTIONS, X264_OPTIONS

    quality = QUALITIES[job["quality"]]
    out_dir = Path(job["out_dir"])
    transparent = bool(job.get("transparent"))
    options = {
        "pixel_width": quality.width,
        "pixel_height": quality.height,
        "frame_rate": quality.fps,
        "media_dir": str(out_dir / "media"),
        "tex_dir": job["tex_dir"],
        "text_dir": job["text_dir"],
        "video_dir": str(out_dir),
        "output_file": job["stem"],
        "format": "webm" if transparent else "mp4",
        "transparent": transparent,
        "disable_caching": True,  # our own keys decide what re-renders; hashing every frame's mobjects costs time
        "progress_bar": "none",
        "verbosity": "WARNING",
        "video_encoder_options": dict(VP9_ALPHA_OPTIONS if transparent else X264_OPTIONS),
    }
    voice = job["voice"]
    recordings = Path(voice["recordings"]) if voice["kind"] == "recorded" else None
    narrator = VoiceNarrator(
        synthesized_voice(voice["kind"], voice["command"]), Path(voice["cache"]), job["clip"], recordings
    )
    with tempfile.TemporaryDirectory(prefix="reluviz-parts-") as parts, tempconfig(options):
        if not plain_path(out_dir):
            # manim lists the animations' movies for ffmpeg in quotes: a quote in out/'s path would end them
            config.partial_movie_dir = parts
        scene = scene_class(job["scene"])(
            inputs=StoryInputs(weights=job["weights"], theme=job["theme"]),
            renderer=None if renderer_class is None else renderer_class(),
            narrator=narrator,
            **job.get("scene_args", {}),
        )
        scene.on_step = lambda s: report(event="step", seconds=round(s.time, 3))
        scene.render()
        # The closing frame is still on the camera: the poster, without decoding the video again.
        pixels = scene.renderer.get_frame()
        Image.fromarray(pixels if transparent else pixels[..., :3]).save(out_dir / "poster.png")
        beats = {"beats": [beat.as_dict() for beat in scene.beats], "missing_recordings": narrator.missing}
        (out_dir / "beats.json").write_text(json.dumps(beats, indent=1))
        report(event="done", seconds=round(scene.time, 3))
    return scene


def main() -> int:
    import manim  # noqa: F401  (loaded once, before the first job)

    from .speedups import fast_renderer_class

    renderer_class = fast_renderer_class()  # None, and a warning in the log, on an unchecked manim
    for line in sys.stdin:
        job = json.loads(line)
        try:
            render(job, renderer_class)
        except Exception as error:  # the parent prints one line; the traceback goes to the job's log
            with open(job["log"], "a") as log:
                traceback.print_exc(file=log)
            report(event="error", message=f"{type(error).__name__}: {error}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
