"""Command line behind the Makefile: ``python -m studio render|list ...``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from reluviz.errors import InputFileError
from reluviz.stages import STAGES, stage
from reluviz.weights import DEFAULT_PRESET, load_weights

from . import media
from .render import RenderError, publish, render_clips, stage_job
from .settings import OUT, QUALITIES, THEMES, RenderSettings


def _settings(args: argparse.Namespace) -> RenderSettings:
    names = tuple(args.stages.split()) if args.stages else ()
    for name in names:
        stage(name)  # unknown names fail here, before anything renders
    return RenderSettings(weights=args.weights, quality=args.quality, theme=args.theme, stages=names,
                          jobs=args.jobs or os.cpu_count() or 1, out=Path(args.out).resolve())


def _render(args: argparse.Namespace) -> int:
    settings = _settings(args)
    weights = load_weights(settings.weights)
    chosen = [s for s in STAGES if not settings.stages or s.name in settings.stages]
    chosen = [s for s in chosen if s.name in _implemented()]
    q = settings.resolution
    target = settings.output_dir(weights.name)
    print(f"reluviz: {len(chosen)} stage(s), weights {weights.name} ({weights.path}), "
          f"{q.name} quality {q.width}x{q.height} at {q.fps} fps, {settings.jobs} job(s) -> {target}/", flush=True)
    started = time.monotonic()
    jobs = [stage_job(s, settings, weights) for s in chosen]
    render_clips(jobs, settings, weights)
    target.mkdir(parents=True, exist_ok=True)
    for job in jobs:
        for suffix in (".mp4", ".srt"):
            publish(job.cached / f"clip{suffix}", target / f"{job.stem}{suffix}")
    print(f"reluviz: done in {time.monotonic() - started:.1f} s; clips in {target}/", flush=True)
    return 0


def _implemented() -> set[str]:
    from .render import SCENES_DIR

    return {p.stem for p in SCENES_DIR.glob("*.py")}


def _list(args: argparse.Namespace) -> int:
    for s in STAGES:
        print(f"{s.number:2d}  {s.name:<17} {s.summary}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m studio", description="Render the ReLU story's clips.")
    commands = parser.add_subparsers(dest="command", required=True)
    render = commands.add_parser("render", help="render stage clips into out/<weights>/<quality>/")
    render.add_argument("--weights", default=DEFAULT_PRESET, help="preset name or path to a weights .toml")
    render.add_argument("--quality", default="high", choices=list(QUALITIES))
    render.add_argument("--theme", default="dark", choices=list(THEMES))
    render.add_argument("--stages", default="", help="space-separated stage names (default: all)")
    render.add_argument("--jobs", type=int, default=0, help="parallel renders (default: one per core)")
    render.add_argument("--out", default=str(OUT), help="output folder (default: out/)")
    render.set_defaults(run=_render)
    listing = commands.add_parser("list", help="print the stages with their numbers and descriptions")
    listing.set_defaults(run=_list)
    args = parser.parse_args(argv)
    try:
        return args.run(args)
    except (InputFileError, RenderError, media.ToolMissing, ValueError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        print(f"reluviz: {message}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reluviz: interrupted; finished clips are kept, the next render continues from them", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
