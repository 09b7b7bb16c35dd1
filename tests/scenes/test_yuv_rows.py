"""Converting only the rows that changed gives the whole conversion's pixels
(scenes/framework/yuv_rows.py), checked on noise, the hardest picture for a filter."""

from __future__ import annotations

import av
import numpy as np
import pytest

from reluviz.scenes.framework.yuv_rows import RowConverter, merged, planes

WIDTH, HEIGHT = 320, 240


def test_bands_are_clipped_sorted_joined_and_even():
    assert merged([(50, 61), (-8, 3), (230, 260)], HEIGHT, gap=0) == [(0, 4), (50, 62), (230, 240)]
    assert merged([(100, 110), (120, 130), (10, 20)], HEIGHT, gap=10) == [(10, 20), (100, 130)]
    assert merged([(100, 110), (123, 130)], HEIGHT, gap=10) == [(100, 110), (122, 130)]
    assert merged([(300, 310), (5, 5), (-20, -1)], HEIGHT) == []


def noise_picture(rng) -> tuple[av.VideoFrame, np.ndarray]:
    picture = av.VideoFrame(WIDTH, HEIGHT, "rgba")
    pixels = planes(picture)[0].reshape(HEIGHT, WIDTH, 4)
    pixels[:] = rng.integers(0, 256, pixels.shape, dtype=np.uint8)
    return picture, pixels


@pytest.mark.parametrize("seed", range(3))
def test_changed_rows_converted_again_equal_the_whole_picture_converted(seed):
    rng = np.random.default_rng(seed)
    picture, pixels = noise_picture(rng)
    converter = RowConverter("yuv420p")
    first = converter.whole(picture)
    frames = [first]
    for _ in range(25):
        changed = [tuple(sorted(rng.integers(-10, HEIGHT + 10, 2))) for _ in range(rng.integers(1, 4))]
        for top, bottom in changed:  # new noise in exactly these rows (clipped), odd edges included
            top, bottom = np.clip([top, bottom], 0, HEIGHT)
            pixels[top:bottom] = rng.integers(0, 256, (bottom - top, WIDTH, 4), dtype=np.uint8)
        frame = converter.rows(pixels, merged(changed, HEIGHT))
        whole = picture.reformat(format="yuv420p")
        for ours, reference in zip(planes(frame), planes(whole), strict=True):
            np.testing.assert_array_equal(ours, reference)
        frames.append(frame)
    pixels[:] = rng.integers(0, 256, pixels.shape, dtype=np.uint8)  # every row: converted whole
    frames.append(converter.rows(pixels, merged([(0, HEIGHT)], HEIGHT)))
    for ours, reference in zip(planes(frames[-1]), planes(picture.reformat(format="yuv420p")), strict=True):
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
        converter.rows(pixels, [(0, 10)])
    assert RowConverter("yuv420p").by_rows
