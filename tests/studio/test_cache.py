"""The clip cache's entries prove themselves: a file is read for its sum until its sum has
matched, and again whenever its stamp (size, times, inode) moves."""

from __future__ import annotations

import os
import time

import pytest

from reluviz.studio.pipeline import cache


@pytest.fixture
def entry(tmp_path, monkeypatch):
    """A sealed entry of two files, and a count of the files read for their sums."""
    folder = tmp_path / "clips" / "key"
    folder.mkdir(parents=True)
    (folder / "info.json").write_text('{"seconds": 3}')
    (folder / "clip.mp4").write_bytes(bytes(range(256)) * 400)
    cache.seal(folder)
    read = []
    sha256 = cache.sha256
    monkeypatch.setattr(cache, "sha256", lambda path: read.append(path.name) or sha256(path))
    return folder, read


def test_an_entry_whose_files_matched_is_not_read_again(entry, monkeypatch):
    folder, read = entry
    monkeypatch.setattr(cache, "SETTLED_NS", -1)  # these files were written just now
    assert cache.entry_ok(folder) and sorted(read) == ["clip.mp4", "info.json"]
    assert cache.entry_ok(folder) and cache.file_ok(folder, "clip.mp4") and len(read) == 2


def test_a_file_written_just_now_is_read_every_time(entry):
    """Written within the clock's tick, a second write could keep its stamp: not trusted by it."""
    folder, read = entry
    assert cache.entry_ok(folder) and cache.entry_ok(folder) and len(read) == 4


def test_a_file_edited_in_place_with_its_size_and_mtime_put_back_is_noticed(entry, monkeypatch):
    folder, read = entry
    monkeypatch.setattr(cache, "SETTLED_NS", -1)
    assert cache.entry_ok(folder)
    clip = folder / "clip.mp4"
    before = clip.stat()
    time.sleep(0.05)  # past the clock's tick, as any later edit is
    with open(clip, "r+b") as handle:
        handle.seek(1000)
        handle.write(b"\xff")
    os.utime(clip, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert clip.stat().st_size == before.st_size and clip.stat().st_mtime_ns == before.st_mtime_ns
    assert not cache.entry_ok(folder) and read.count("clip.mp4") == 2


def test_a_truncated_file_is_noticed_after_its_stamp_was_kept(entry, monkeypatch):
    folder, _ = entry
    monkeypatch.setattr(cache, "SETTLED_NS", -1)
    assert cache.entry_ok(folder)
    with open(folder / "clip.mp4", "r+b") as handle:
        handle.truncate(2000)
    assert not cache.entry_ok(folder) and not cache.file_ok(folder, "clip.mp4")


def test_a_cache_that_cannot_be_written_is_still_checked(entry, monkeypatch):
    folder, read = entry
    monkeypatch.setattr(cache, "SETTLED_NS", -1)
    folder.chmod(0o555)
    try:
        if os.access(folder, os.W_OK):  # root writes anyway: take the write away instead
            monkeypatch.setattr(cache.os, "replace", lambda *_: (_ for _ in ()).throw(PermissionError(13, "denied")))
        assert cache.entry_ok(folder) and cache.entry_ok(folder) and len(read) == 4
        assert not (folder / cache.CHECKED).exists()
        assert [p.name for p in folder.iterdir() if p.name.startswith(".")] == []
    finally:
        folder.chmod(0o755)
