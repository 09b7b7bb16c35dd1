"""Render one scene to one video file, in a process of its own.

Run by ``studio.render`` as ``python -m studio.worker '<json job>'``. It reports on
stdout, one JSON object per line: ``{"event": "step", "seconds": t}`` after every
animation (t = seconds of video so far), then ``{"event": "done", ...}``.
"""

from __future__ import annotations

import json
import sys
import traceback
from pathlib import Path


def report(**event) -> None:
    print(json.dumps(event), flush=True)


def render(job: dict) -> None:
    from manim import tempconfig  # imported here: the parent process never loads manim

    from scenes import scene_class
    from scenes.inputs import StoryInputs

    from .settings import QUALITIES, VP9_ALPHA_OPTIONS, X264_OPTIONS
    from .speedups import convert_held_frames_once, share_tex_cache

    share_tex_cache(Path(job["tex_dir"]))
    convert_held_frames_once()

    quality = QUALITIES[job["quality"]]
    out_dir = Path(job["out_dir"])
    options = {
        "pixel_width": quality.width,
        "pixel_height": quality.height,
        "frame_rate": quality.fps,
        "media_dir": str(out_dir / "media"),
        "tex_dir": job["tex_dir"],
        "text_dir": job["text_dir"],
        "video_dir": str(out_dir),
        "output_file": job["stem"],
        "format": "webm" if job.get("transparent") else "mp4",
        "transparent": bool(job.get("transparent")),
        "disable_caching": True,  # our own keys decide what re-renders; hashing every frame's mobjects costs time
        "progress_bar": "none",
        "verbosity": "WARNING",
        "video_encoder_options": dict(VP9_ALPHA_OPTIONS if job.get("transparent") else X264_OPTIONS),
    }
    with tempconfig(options):
        scene = scene_class(job["scene"])(
            inputs=StoryInputs(weights=job["weights"], theme=job["theme"]), **job.get("scene_args", {})
        )
        scene.on_step = lambda s: report(event="step", seconds=round(s.time, 3))
        scene.render()
        report(event="done", seconds=round(scene.time, 3), captions=len(scene.captions))


def main() -> int:
    try:
        render(json.loads(sys.argv[1]))
    except Exception as error:  # the parent prints the one line; the traceback goes to the log
        traceback.print_exc()
        report(event="error", message=f"{type(error).__name__}: {error}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
