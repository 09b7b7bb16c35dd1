"""ffmpeg and ffprobe, the two system tools every output goes through."""

from __future__ import annotations

import errno
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path


class ToolMissing(RuntimeError):
    pass


#: Every sound the kit carries: 48 kHz, and AAC in MP4 (what players and editors expect).
SAMPLE_RATE = 48_000
#: ffmpeg's fast AAC coder, not its default twoloop: a fifth of the CPU on our narration (1.0 s
#: against 4.8 s for 231 s of festival speech, decoding 39.6 dB from its source against 26.8),
#: and a render encodes every sound three times (the clips, the beat clips, the film).
AAC = ("-c:a", "aac", "-aac_coder", "fast", "-b:a", "128k", "-ar", str(SAMPLE_RATE))

#: The programs a render runs, and the Debian package each comes from.
TOOLS = {"ffmpeg": "ffmpeg", "ffprobe": "ffmpeg", "latex": "texlive-latex-base", "dvisvgm": "dvisvgm"}


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise ToolMissing(f"{name} is not installed (Debian package {TOOLS.get(name, name)}): run 'make setup'")
    return path


def said_no_space(result: subprocess.CompletedProcess, target: str) -> None:
    """Raise a full disk as the cause when an ffmpeg that failed said so (its last line is
    only that it could not go on: "Error initializing output")."""
    no_space = os.strerror(errno.ENOSPC)
    if result.returncode != 0 and no_space in result.stderr:
        raise OSError(errno.ENOSPC, no_space, target)


def run_ffmpeg(*args: str) -> None:
    """Run ffmpeg quietly, writing the file its last argument names; its own message becomes
    the error if it fails."""
    result = subprocess.run([tool("ffmpeg"), "-nostdin", "-v", "error", "-y", *args], capture_output=True, text=True)
    said_no_space(result, args[-1])
    if result.returncode != 0:
        raise RuntimeError(f"ffmpeg {' '.join(args)} failed: {result.stderr.strip().splitlines()[-1:]}")


@dataclass(frozen=True)
class VideoInfo:
    codec: str
    pixel_format: str
    width: int
    height: int
    fps: float
    duration: float
    faststart: bool  # the index (moov) comes before the media data (mdat)


def _moov_before_mdat(path: Path) -> bool:
    """Walk the MP4's top-level boxes: is the index first, so playback can start early?"""
    with open(path, "rb") as handle:
        while True:
            header = handle.read(8)
            if len(header) < 8:
                return False
            size, kind = int.from_bytes(header[:4], "big"), header[4:8]
            if kind == b"moov":
                return True
            if kind == b"mdat":
                return False
            if size == 1:
                size = int.from_bytes(handle.read(8), "big") - 8
            elif size == 0:
                return False
            handle.seek(size - 8, 1)


def probe(path: Path) -> VideoInfo:
    """What ffprobe says of ``path``'s first video stream, read in this process by PyAV (the
    same libraries' demuxers): a render reads every clip, and ffprobe costs about 70 ms of
    starting for a few milliseconds of reading."""
    import av  # here, not above: a render with nothing to make reads no video (60 ms of import)

    try:
        with av.open(str(path)) as container:
            stream = container.streams.video[0]
            codec = stream.codec_context
            return VideoInfo(
                codec=codec.name,
                pixel_format=codec.format.name if codec.format else "",
                width=codec.width,
                height=codec.height,
                fps=float(stream.average_rate or 0),
                duration=container.duration / av.time_base if container.duration is not None else 0.0,
                faststart=path.suffix == ".mp4" and _moov_before_mdat(path),
            )
    except av.FFmpegError as error:
        raise RuntimeError(f"{path}: cannot be read as video ({error.strerror})") from None
    except IndexError:
        raise RuntimeError(f"{path}: has no video stream") from None


def has_audio(path: Path) -> bool:
    import av

    with av.open(str(path)) as container:
        return bool(container.streams.audio)


def _reorder_frames(source: Path) -> int:
    """How many frames the clip's decoding order runs ahead of its showing order (B-frames: its
    first packet is shown that many frames after it is decoded; 0 for ours, x264 ultrafast)."""
    import av

    with av.open(str(source)) as container:
        stream = container.streams.video[0]
        first = next(container.demux(stream))
        if first.pts is None or first.dts is None:
            return 0
        return round(float((first.pts - first.dts) * stream.time_base * stream.average_rate))


def segments(source: Path, cuts: list[tuple[float, float, Path]], fps: float, sound: bool) -> None:
    """Each part of a clip from ``start`` to ``end`` seconds as a clip of its own at ``target``
    (``cuts``: (start, end, target)), all in one ffmpeg run (starting ffmpeg costs more than a
    beat's copying); its sound (if ``sound``: the clip has some) cut from the clip's own."""
    inputs, outputs = segment_arguments(source, source if sound else None, cuts, fps)
    if cuts:
        run_ffmpeg(*inputs, *outputs)


def segment_arguments(
    pictures: Path, sound: Path | None, cuts: list[tuple[float, float, Path]], fps: float, first_input: int = 0
) -> tuple[list[str], list[str]]:
    """ffmpeg's inputs and its outputs that cut ``cuts`` (see ``segments``) with their pictures
    copied from ``pictures`` (not encoded again: every beat starts on a keyframe, since manim
    encodes each animation apart) and their sound (AAC) from ``sound`` if given, cut at the same
    times and padded to the same length. The inputs are numbered from ``first_input`` on (in a
    run they join) and go before any output of the run.

    Each input stops itself (``-t``, which for copied pictures counts in decoding order): a
    ``-frames:v`` limit would close the whole output when the pictures are done, wherever its
    sound had got to (60 to 80 ms short when cut alone, and more or less beside others)."""
    inputs: list[str] = []
    outputs: list[str] = []
    per_cut = 2 if sound else 1  # inputs each cut opens
    ahead = _reorder_frames(pictures) if cuts else 0
    for index, (start, end, target) in enumerate(cuts):
        frames = round((end - start) * fps)
        seconds = frames / fps
        video = first_input + index * per_cut
        # half a frame past the beat's first frame: the seek lands on that frame's keyframe, not the
        # one before; the pictures stop half a frame before the next beat's first one is decoded
        inputs += ["-ss", f"{start + 0.5 / fps:.6f}", "-t", f"{(frames - 0.5 - ahead) / fps:.6f}", "-i", str(pictures)]
        maps = ["-map", f"{video}:v", "-c:v", "copy"]
        if sound:
            inputs += ["-ss", f"{start:.6f}", "-t", f"{seconds:.6f}", "-i", str(sound)]
            maps += ["-map", f"{video + 1}:a", "-af", f"apad=whole_dur={seconds:.6f}", *AAC]
        outputs += [*maps, "-avoid_negative_ts", "make_zero", "-movflags", "+faststart", "-f", "mp4", str(target)]
    return inputs, outputs


def poster(source: Path, target: Path) -> None:
    """The clip's closing frame as a PNG (every frame of the last half second is decoded;
    the file keeps the last one)."""
    run_ffmpeg("-sseof", "-0.5", "-i", str(source), "-update", "1", "-f", "image2", str(target))


def webm(source: Path, target: Path) -> None:
    """VP9 and Opus in WebM, for pages and players that prefer an open format.

    The realtime preset: on a Part II clip it encoded five times faster than ``good`` at
    cpu-used 5, for the same size and PSNR (52.85 against 52.92 dB from the MP4)."""
    run_ffmpeg(
        "-i",
        str(source),
        "-c:v",
        "libvpx-vp9",
        "-b:v",
        "0",
        "-crf",
        "33",
        "-deadline",
        "realtime",
        "-cpu-used",
        "8",
        "-row-mt",
        "1",
        "-pix_fmt",
        "yuv420p",
        "-c:a",
        "libopus",
        "-b:a",
        "96k",
        "-sn",
        "-f",
        "webm",
        str(target),
    )


#: GIFs are for slides that cannot play video: small and looping, so 640 pixels wide at 12 fps,
#: in 48 colours (flat backgrounds, a few line colours and their edges: a 72-second clip stays
#: under 2 MB, where 96 colours made 2.3 MB with no difference a projector shows).
GIF_WIDTH, GIF_FPS, GIF_COLOURS = 640, 12, 48


def gif(source: Path, target: Path) -> None:
    palette = (
        f"fps={GIF_FPS},scale={GIF_WIDTH}:-2:flags=lanczos,split[a][b];"
        f"[a]palettegen=max_colors={GIF_COLOURS}:stats_mode=diff[p];[b][p]paletteuse=dither=bayer:bayer_scale=4"
    )
    run_ffmpeg("-i", str(source), "-filter_complex", palette, "-an", "-sn", "-loop", "0", "-f", "gif", str(target))


def first_frame(source: Path, target: Path) -> None:
    """A clip's opening frame as a PNG."""
    run_ffmpeg("-i", str(source), "-frames:v", "1", "-update", "1", "-f", "image2", str(target))
