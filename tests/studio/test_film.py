"""The film: every clip in story order behind its part's title card, captions and chapters."""

from __future__ import annotations

import pytest
import srt

from reluviz.stages import STAGES
from reluviz.studio import media


def test_film_is_its_parts_end_to_end(low_render, probe_json):
    out, clips, result = low_render
    film = clips / "00_relu_story.mp4"
    info = media.probe(film)
    assert (info.codec, info.width, info.height) == ("h264", 854, 480) and info.faststart
    marks = probe_json(film, "-show_chapters")["chapters"]
    titles = [c["tags"]["title"] for c in marks]
    assert titles[0].startswith("Part I") and titles[5].startswith("Part II")
    assert [t for t in titles if not t.startswith("Part")] == [f"{s.number}. {s.title}" for s in STAGES]
    stage_lengths = [media.probe(clips / f"{s.file_stem}.mp4").duration for s in STAGES]
    card_lengths = [float(marks[i]["end_time"]) - float(marks[i]["start_time"]) for i in (0, 5)]
    assert all(2 <= c <= 6 for c in card_lengths)
    assert info.duration == pytest.approx(sum(stage_lengths) + sum(card_lengths), abs=0.1)
    # each stage's chapter is as long as its clip
    stage_marks = [c for c in marks if not c["tags"]["title"].startswith("Part")]
    for mark, length in zip(stage_marks, stage_lengths):
        assert float(mark["end_time"]) - float(mark["start_time"]) == pytest.approx(length, abs=0.01)


def test_film_captions_are_the_clips_captions_shifted(low_render, probe_json):
    _, clips, _ = low_render
    film = list(srt.parse((clips / "00_relu_story.srt").read_text()))
    marks = probe_json(clips / "00_relu_story.mp4", "-show_chapters")["chapters"]
    stage_marks = [c for c in marks if not c["tags"]["title"].startswith("Part")]
    for stage, mark in zip(STAGES, stage_marks):
        own = list(srt.parse((clips / f"{stage.file_stem}.srt").read_text()))
        start = float(mark["start_time"])
        matches = [s for s in film if s.content == own[0].content]
        assert any(abs(s.start.total_seconds() - (own[0].start.total_seconds() + start)) < 0.01 for s in matches)
    assert film[-1].end.total_seconds() <= media.probe(clips / "00_relu_story.mp4").duration + 0.01
