"""The ``reluviz`` command (also ``python -m reluviz``), the one the Makefile calls:
render, preview, deck, script and list here; table, check, weights and train from
``reluviz.commands``. User mistakes are one line on stderr and exit status 2."""

from __future__ import annotations

import argparse
import json
import os
import sys

from reluviz.files.errors import InputFileError
from reluviz.files.plane_weights import PLANE_PRESET
from reluviz.files.weights import DEFAULT_PRESET
from reluviz.studio.cli.number_commands import add_commands as add_number_commands
from reluviz.studio.media import ffmpeg
from reluviz.studio.media.voice import SENTENCE_TIMEOUT
from reluviz.studio.pipeline.render import RenderError
from reluviz.studio.publishing.batch import render_batch
from reluviz.studio.publishing.deck import DECK_KINDS, build_deck
from reluviz.studio.publishing.kit import render_story
from reluviz.studio.publishing.present import PRESENT_PAGE
from reluviz.studio.publishing.script import write_script
from reluviz.studio.settings import (
    OUT,
    QUALITIES,
    RECORDINGS,
    RENDER_OPTIONS,
    THEMES,
    RenderSettings,
    settings_from_options,
)
from reluviz.words.stages import STAGES


def _settings(args: argparse.Namespace) -> RenderSettings:
    return settings_from_options(**{name: getattr(args, name) for name in RENDER_OPTIONS})


def _render(args: argparse.Namespace) -> int:
    render_story(_settings(args))
    return 0


def _batch(args: argparse.Namespace) -> int:
    render_batch(_settings(args), folder=args.batch, sweep_text=args.sweep)
    return 0


def _deck(args: argparse.Namespace) -> int:
    folder = render_story(_settings(args))  # renders what is missing; a finished render costs seconds
    manifest = json.loads((folder / "manifest.json").read_text())
    print(f"reluviz: wrote {build_deck(manifest, folder, args.deck)} (one slide per {args.deck[:-1]})")
    return 0


def _script(args: argparse.Namespace) -> int:
    markdown, data, words = write_script(_settings(args))
    print(
        f"reluviz: wrote {markdown}, {data}" + (f" and {words} (edit a copy; make render WORDS=...)" if words else "")
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    for s in STAGES:
        print(f"{s.number:2d}  {s.name:<17} {s.summary}")
    return 0


def _render_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--weights", default=DEFAULT_PRESET, help="preset name or path to a weights .toml")
    parser.add_argument(
        "--plane-weights",
        default=PLANE_PRESET,
        help=f"Part III's two-input network, when --weights has one input (default: {PLANE_PRESET})",
    )
    parser.add_argument("--quality", default="high", choices=list(QUALITIES))
    parser.add_argument("--theme", default="dark", choices=list(THEMES))
    parser.add_argument("--stages", default="", help="space-separated stage names (default: all)")
    parser.add_argument("--jobs", default="", help="parallel renders (default: one per core)")
    parser.add_argument("--out", default=str(OUT), help="output folder (default: out/)")
    parser.add_argument("--format", default="", help="extra files beside each MP4: webm, gif (space-separated)")
    parser.add_argument(
        "--voice",
        default="",
        help="festival, piper, command, recorded or none (default: festival; none for Spanish words)",
    )
    parser.add_argument("--voice-command", default="", help="a text-to-speech command; {wav} is the file it writes")
    parser.add_argument(
        "--voice-timeout", default="", help=f"seconds the voice may take per sentence (default: {SENTENCE_TIMEOUT})"
    )
    parser.add_argument("--recordings", default=str(RECORDINGS), help="folder of recordings (default: voice/)")
    parser.add_argument(
        "--transparent", default="", help="1: also render WebM clips with an alpha channel (default: off)"
    )
    parser.add_argument(
        "--scheduler", default="", help="a Dask scheduler, tcp://host:8786 (default: a LocalCluster on this machine)"
    )
    parser.add_argument(
        "--cache",
        default="",
        help="the clip cache, a folder every worker mounts (default: out/.cache; see docs/batches.md)",
    )
    parser.add_argument(
        "--words",
        default="",
        help="a words file: the captions, speech and titles to use (make script writes one; docs/narration.md)",
    )


def _present(args: argparse.Namespace) -> int:
    folder = render_story(_settings(args))  # renders what is missing; a finished render costs seconds
    page = folder / PRESENT_PAGE
    if os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"):
        import webbrowser

        if webbrowser.open(page.resolve().as_uri()):
            print(f"reluviz: opened {page} (S opens the speaker view)")
            return 0
    print(f"reluviz: no display here; open {page} in a browser (S opens the speaker view)")
    return 0


def _preview(args: argparse.Namespace) -> int:
    args.quality = "low"
    return _render(args)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="reluviz", description="Animated explainer videos of the ReLU function.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, run, description in (
        ("render", _render, "render the clips, the film and the lecture kit into out/<weights>/<quality>/"),
        ("preview", _preview, "render everything at low quality (480p15), quick to check"),
        ("deck", _deck, "render what is missing, then write relu_lecture.pptx beside the clips"),
        ("present", _present, "render what is missing, then open present.html (one beat at a time)"),
        (
            "batch",
            _batch,
            "render many weights files (a folder, or a sweep of one value), side by side",
        ),
        ("script", _script, "write the narration script and words file: out/<weights>/script.md, .json, words.toml"),
    ):
        command = commands.add_parser(name, help=description)
        _render_options(command)
        if name == "deck":
            command.add_argument(
                "--deck", default=DECK_KINDS[0], choices=DECK_KINDS, help="a slide per beat (default) or per clip"
            )
        if name == "batch":
            command.add_argument("--batch", default="", help="a folder: render every weights file (*.toml) in it")
            command.add_argument(
                "--sweep", default="", help="KEY=V1,V2,...: a copy of --weights per value, e.g. output.bias=-20,-16"
            )
        command.set_defaults(run=run)
    listing = commands.add_parser("list", help="print the stages with their numbers and descriptions")
    listing.set_defaults(run=_list)
    add_number_commands(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except BrokenPipeError:  # `reluviz table | head` ends quietly: the reader has what it wanted
        # (not SIGPIPE's default, which would also kill a render whose voice command skips its input)
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except InputFileError as error:  # already names the file: "mine.toml: output.bias: ..."
        print("\n".join(f"reluviz: {line}" for line in str(error).splitlines()), file=sys.stderr)
        return 2
    except (RenderError, ffmpeg.ToolMissing, ValueError, KeyError) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        print(f"reluviz: {message}", file=sys.stderr)
        return 2
    except OSError as error:  # a full disk, a name too long for the file system, a folder we may not write
        where = f" ({error.filename})" if error.filename else ""
        print(
            f"reluviz: {error.strerror or error}{where}; finished clips are kept, fix this and run again",
            file=sys.stderr,
        )
        return 2
    except RuntimeError as error:  # ffmpeg or ffprobe refused: its own last line says why
        print(f"reluviz: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("reluviz: interrupted; finished clips are kept, the next render continues from them", file=sys.stderr)
        return 130
