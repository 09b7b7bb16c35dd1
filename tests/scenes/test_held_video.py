"""A held picture encoded until x264 stops refining it, then copied (scenes/framework/held_video.py,
used by manim_internals.FastSegmentEncoder): read back by ffmpeg, an independent decoder and
bitstream reader, against stock manim's encoding of the same hold."""

from __future__ import annotations

import re
import subprocess
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest
from instruments.video import frames, packets, psnr
from manim._config.video_encoder import VideoEncoderSpec
from manim.scene.video_segment_encoder import VideoSegmentEncoder

from reluviz.scenes.framework import held_video, manim_internals
from reluviz.studio.settings import X264_OPTIONS

#: A small picture at 15 fps: a held run (``HOLD_RUN_SECONDS``) is 15 frames here.
HOLD_SPEC = VideoEncoderSpec("mp4", "libx264", "yuv420p", 320, 180, Fraction(15), tuple(sorted(X264_OPTIONS.items())))
#: A hold of this many frames wraps ``frame_num`` (4 bits in x264's streams) many times.
LONG_HOLD = 200


def still_picture() -> np.ndarray:
    """Blocks of seeded random colours on a gradient: a picture x264 cannot code in a few bytes."""
    rng = np.random.default_rng(7)
    picture = np.zeros((180, 320, 4), dtype=np.uint8)
    picture[..., 0] = np.linspace(0, 255, 320, dtype=np.uint8)
    picture[..., 1:3] = np.kron(rng.integers(0, 256, (9, 16, 2)), np.ones((20, 20, 1))).astype(np.uint8)
    picture[..., 3] = 255
    return picture


def hold(target: Path, repeat: int, encoder_class=manim_internals.FastSegmentEncoder) -> Path:
    encoder = encoder_class(target=target, spec=HOLD_SPEC)
    encoder.write_frame(still_picture(), repeat=repeat)  # a wait: one call
    encoder.finish()
    return target


def traced(video: Path, field: str) -> list[int]:
    """Each value of a header field in ``video``'s H.264 stream, as ffmpeg's own bitstream
    reader (the trace_headers filter) reads it."""
    log = subprocess.run(
        ["ffmpeg", "-hide_banner", "-loglevel", "info", "-i", str(video), "-c", "copy"]
        + ["-bsf:v", "trace_headers", "-f", "null", "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stderr
    return [int(value) for value in re.findall(rf"\s{field}\s+[01]+ = (\d+)", log)]


def test_a_hold_is_encoded_until_it_settles_and_its_last_frame_copied(tmp_path):
    ours, stock = hold(tmp_path / "ours.mp4", LONG_HOLD), hold(tmp_path / "stock.mp4", LONG_HOLD, VideoSegmentEncoder)
    written, stock_written = packets(ours), packets(stock)
    assert [pts for pts, _, _ in written] == list(range(LONG_HOLD))
    assert [pts for pts, keyframe, _ in written if keyframe] == [0]  # one keyframe: the copies refer back to it
    copy = written[-1][2]
    copied_from = next(pts for pts, _, data in written if len(data) == len(copy))
    assert held_video.SETTLE_FRAMES < copied_from < 15  # encoded for less than a second
    decoded, stock_decoded = frames(ours, 320, 180), frames(stock, 320, 180)
    assert len(decoded) == len(stock_decoded) == LONG_HOLD
    assert np.array_equal(decoded[0], stock_decoded[0])  # the same keyframe
    settled = decoded[copied_from - 1]
    assert all(np.array_equal(picture, settled) for picture in decoded[copied_from:])
    # the picture held is the one x264 settles on by itself (stock manim encodes every frame)
    assert psnr(settled, stock_decoded[-1]) > 50
    source = still_picture()[..., :3]
    assert min(psnr(a, source) for a in decoded) >= min(psnr(b, source) for b in stock_decoded) - 0.01
    assert sum(len(data) for _, _, data in written) <= 1.05 * sum(len(data) for _, _, data in stock_written)


def test_a_copied_hold_decodes_without_a_single_error_and_numbers_its_frames_in_turn(tmp_path):
    video = hold(tmp_path / "hold.mp4", LONG_HOLD)
    strict = subprocess.run(
        ["ffmpeg", "-v", "error", "-err_detect", "explode", "-i", str(video), "-f", "null", "-"],
        capture_output=True,
        text=True,
    )
    assert strict.returncode == 0 and not strict.stderr, strict.stderr
    (width,) = {minus4 + 4 for minus4 in traced(video, "log2_max_frame_num_minus4")}
    assert traced(video, "frame_num") == [pts % (1 << width) for pts in range(LONG_HOLD)]


@pytest.mark.parametrize("pixel_format", ["yuv420p", "yuv444p"])  # Main or High, High 4:4:4 profiles
def test_the_frame_number_width_is_read_from_the_sequence_header(tmp_path, pixel_format):
    video = tmp_path / f"{pixel_format}.mp4"
    with av.open(str(video), "w") as container:
        stream = container.add_stream("libx264", rate=15, options=dict(X264_OPTIONS))
        stream.width, stream.height, stream.pix_fmt = 64, 64, pixel_format
        picture = av.VideoFrame.from_ndarray(still_picture()[:64, :64, :3].copy(), format="rgb24")
        for packet in stream.encode(picture.reformat(format=pixel_format)):
            container.mux(packet)
        width = held_video.frame_num_width(stream.codec_context.extradata)
        for packet in stream.encode(None):
            container.mux(packet)
    assert traced(video, "pic_order_cnt_type") == [2]
    assert [width] == [minus4 + 4 for minus4 in traced(video, "log2_max_frame_num_minus4")]


# Each slice below starts as a P slice's header does (first_mb_in_slice 0: "1", slice_type 5:
# "00110", picture parameter set 0: "1"), then its frame_num in 8 bits from the eighth bit on.
@pytest.mark.parametrize(
    ("before", "step", "written"),
    [
        # frame_num 1 to 0: the header's bytes become 00 00 01, which must be written 00 00 03 01
        (bytes([0b10011010, 0b00000010, 0, 1, 0x80]), 255, bytes([0b10011010, 0, 0, 3, 1, 0x80])),
        # frame_num 0 to 1: the escape it needed is gone
        (bytes([0b10011010, 0, 0, 3, 1, 0x80]), 1, bytes([0b10011010, 0b00000010, 0, 1, 0x80])),
    ],
    ids=["escape-added", "escape-dropped"],
)
def test_a_renumbered_slice_escapes_exactly_what_would_read_as_a_start_code(before, step, written):
    reference_p_slice = bytes([0x41])  # nal_ref_idc 2, type 1
    start = b"\x00\x00\x00\x01"
    assert held_video.renumbered(start + reference_p_slice + before, 8, step) == start + reference_p_slice + written


def test_only_a_single_reference_p_slice_is_renumbered():
    start, body = b"\x00\x00\x00\x01", bytes([0b10011010, 0b00000010, 0x80])
    assert held_video.renumbered(start + bytes([0x65]) + body, 8, 1) is None  # an IDR slice
    assert held_video.renumbered(start + bytes([0x01]) + body, 8, 1) is None  # not a reference
    assert held_video.renumbered(start + bytes([0x41]) + body + start + bytes([0x41]) + body, 8, 1) is None


def test_a_hold_that_cannot_be_copied_is_encoded_for_one_run_and_written_again(tmp_path, monkeypatch):
    monkeypatch.setattr(held_video, "frame_num_width", lambda extradata: None)  # as for a stream it cannot read
    written = packets(hold(tmp_path / "hold.mp4", 40))
    assert [pts for pts, _, _ in written] == list(range(40))
    assert [pts for pts, keyframe, _ in written if keyframe] == [0, 15, 30]  # a run of 15 frames, three times
    assert [data for _, _, data in written[15:30]] == [data for _, _, data in written[:15]]
    assert [data for _, _, data in written[30:]] == [data for _, _, data in written[:10]]


def test_a_short_hold_is_encoded_frame_by_frame(tmp_path):
    written = packets(hold(tmp_path / "short.mp4", 15))  # no longer than one run
    assert [keyframe for _, keyframe, _ in written] == [True] + [False] * 14
    assert len({len(data) for _, _, data in written[held_video.SETTLE_FRAMES :]}) > 1  # x264's own frames


def test_nothing_is_written_after_a_long_hold(tmp_path):
    encoder = manim_internals.FastSegmentEncoder(target=tmp_path / "hold.mp4", spec=HOLD_SPEC)
    encoder.write_frame(still_picture(), repeat=16)
    with pytest.raises(RuntimeError, match="a held picture ends its segment"):
        encoder.write_frame(still_picture())
    encoder.finish()
    assert len(packets(tmp_path / "hold.mp4")) == 16
