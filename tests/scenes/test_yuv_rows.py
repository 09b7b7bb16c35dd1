"""Converting only the boxes that changed gives the whole conversion's pixels
(scenes/framework/yuv_rows.py), checked on noise, the hardest picture for a filter."""

from __future__ import annotations

import av
import numpy as np
import pytest

from reluviz.scenes.framework.yuv_rows import RowConverter, merged, planes

WIDTH, HEIGHT = 320, 240


def test_boxes_are_clipped_even_and_joined_into_bands_as_wide_as_both():
    whole = (0, HEIGHT, 0, WIDTH)
    assert merged([(50, 61, 7, 20), (-8, 3, 300, 330), (230, 260, 0, 5)], HEIGHT, WIDTH, gap=0) == [
        (0, 4, 300, 320),
        (50, 62, 6, 20),
        (230, 240, 0, 6),
    ]
    assert merged([(100, 110, 10, 20), (120, 130, 200, 210), (10, 20, 0, 9)], HEIGHT, WIDTH, gap=10) == [
        (10, 20, 0, 10),
        (100, 130, 10, 210),
    ]
    assert merged([(100, 110, 0, 4), (123, 130, 0, 4)], HEIGHT, WIDTH, gap=10) == [(100, 110, 0, 4), (122, 130, 0, 4)]
    outside_or_empty = [(300, 310, 0, 9), (5, 5, 0, 9), (-20, -1, 0, 9), (5, 9, 400, 500), (5, 9, 6, 6)]
    assert merged(outside_or_empty, HEIGHT, WIDTH) == []
    assert merged([whole, (3, 9, 1, 3)], HEIGHT, WIDTH) == [whole]


def visible(frame: av.VideoFrame) -> list[np.ndarray]:
    """A 4:2:0 frame's planes without the padding of their rows: FFmpeg pads rows to the alignment
    it picks for the CPU (64 bytes with AVX-512, 32 without), a new PyAV frame to its own."""
    columns = (frame.width, (frame.width + 1) // 2, (frame.width + 1) // 2)
    return [plane[:, :width] for plane, width in zip(planes(frame), columns, strict=True)]


def noise_picture(rng) -> tuple[av.VideoFrame, np.ndarray]:
    picture = av.VideoFrame(WIDTH, HEIGHT, "rgba")
    pixels = planes(picture)[0].reshape(HEIGHT, WIDTH, 4)
    pixels[:] = rng.integers(0, 256, pixels.shape, dtype=np.uint8)
    return picture, pixels


def random_box(rng) -> tuple[int, int, int, int]:
    """Rows and columns of a box, some reaching past the picture, odd edges included."""
    top, bottom = sorted(rng.integers(-10, HEIGHT + 10, 2))
    left, right = sorted(rng.integers(-10, WIDTH + 10, 2))
    return int(top), int(bottom), int(left), int(right)


@pytest.mark.parametrize("seed", range(3))
def test_changed_boxes_converted_again_equal_the_whole_picture_converted(seed):
    rng = np.random.default_rng(seed)
    picture, pixels = noise_picture(rng)
    converter = RowConverter("yuv420p")
    first = converter.whole(picture)
    frames = [first]
    for _ in range(40):
        changed = [random_box(rng) for _ in range(rng.integers(1, 4))]
        for top, bottom, left, right in changed:  # new noise in exactly these boxes (clipped)
            top, bottom = np.clip([top, bottom], 0, HEIGHT)
            left, right = np.clip([left, right], 0, WIDTH)
            pixels[top:bottom, left:right] = rng.integers(0, 256, (bottom - top, right - left, 4), dtype=np.uint8)
        frame = converter.rows(pixels, merged(changed, HEIGHT, WIDTH))
        whole = picture.reformat(format="yuv420p")
        for ours, reference in zip(visible(frame), visible(whole), strict=True):
            np.testing.assert_array_equal(ours, reference)
        frames.append(frame)
    pixels[:] = rng.integers(0, 256, pixels.shape, dtype=np.uint8)  # every row: converted whole
    frames.append(converter.rows(pixels, merged([(0, HEIGHT, 0, WIDTH)], HEIGHT, WIDTH)))
    for ours, reference in zip(visible(frames[-1]), visible(picture.reformat(format="yuv420p")), strict=True):
        np.testing.assert_array_equal(ours, reference)
    # every frame is a new one: the encoder may still be reading the ones before
    assert len({id(f) for f in frames}) == len(frames)
    assert not np.array_equal(planes(frames[0])[0], planes(frames[-1])[0])


def test_only_planar_420_is_converted_by_rows():
    rng = np.random.default_rng(0)
    picture, pixels = noise_picture(rng)
    converter = RowConverter("yuva420p")
    assert not converter.by_rows
    converter.whole(picture)
    with pytest.raises(RuntimeError, match="yuva420p"):
        converter.rows(pixels, [(0, 10, 0, WIDTH)])
    assert RowConverter("yuv420p").by_rows


def test_bands_convert_after_a_frame_whose_rows_are_padded_otherwise():
    """A frame swscale made and one PyAV makes pad their rows to different alignments where a row
    is not a multiple of both: at 854 pixels (low quality) 896 bytes against 864 on a CPU with
    AVX-512, and every low-quality clip failed on one. Here the last frame is one whose rows are
    not padded at all (854 bytes), and the bands still give the whole conversion's pixels."""
    width, height = 854, 480
    rng = np.random.default_rng(5)
    picture = av.VideoFrame.from_ndarray(rng.integers(0, 256, (height, width, 4), dtype=np.uint8), format="rgba")
    pixels = picture.to_ndarray()
    converter = RowConverter("yuv420p")
    whole = converter.whole(picture)
    packed = np.concatenate([plane.ravel() for plane in visible(whole)]).reshape(height * 3 // 2, width)
    unpadded = av.VideoFrame.from_numpy_buffer(packed, format="yuv420p")
    assert [p.line_size for p in unpadded.planes] != [p.line_size for p in whole.planes]
    converter._last = unpadded
    pixels[100:140, 300:420] = rng.integers(0, 256, (40, 120, 4), dtype=np.uint8)
    frame = converter.rows(np.ascontiguousarray(pixels), merged([(100, 140, 300, 420)], height, width))
    expected = av.VideoFrame.from_ndarray(pixels, format="rgba").reformat(format="yuv420p")
    for got, want in zip(visible(frame), visible(expected), strict=True):
        assert np.array_equal(got, want)
