"""ffmpeg's failures said as their cause."""

from __future__ import annotations

import errno

import pytest

from reluviz.studio.media import ffmpeg


def test_ffmpeg_writing_onto_a_full_disk_is_said_as_a_full_disk():
    with pytest.raises(OSError) as error:  # /dev/full: every write finds no space left
        ffmpeg.run_ffmpeg("-f", "lavfi", "-i", "testsrc=size=64x64:duration=1", "-f", "mp4", "/dev/full")
    assert (error.value.errno, error.value.filename) == (errno.ENOSPC, "/dev/full")
