"""Festival and Piper over the whole story, by the two instruments of tests/instruments/listening.py:
DNSMOS P.808 (how natural listeners would rate it) and Whisper (how many of the narration's
non-number words of four letters or more it gives back), with the seconds each voice takes per
sentence. docs/narration.md quotes these figures. Minutes of CPU: `make test-heavy`."""

from __future__ import annotations

import pytest
from instruments import listening

from reluviz.studio.media.narration import make_voice
from reluviz.studio.publishing.script import script_entries
from reluviz.studio.publishing.story import load_story
from reluviz.studio.settings import RenderSettings


@pytest.mark.heavy
def test_both_voices_over_the_whole_story(tmp_path):
    settings = RenderSettings(out=tmp_path / "out")
    sentences = [entry["spoken"] for entry in script_entries(settings, load_story(settings))]
    figures = {}
    for name in ("festival", "piper"):
        figures[name] = listening.measure(make_voice(name), sentences, tmp_path / "voice")
        worst = min(figures[name].takes, key=lambda take: take.score.recall)
        print(f"\n{figures[name].summary()}\n  hardest: {worst.said!r} heard as {worst.heard!r}")
    festival, piper = figures["festival"], figures["piper"]
    assert len(sentences) > 60 and festival.recall.said > 400, "the whole story was measured"
    assert festival.recall.recall >= 0.8 and piper.recall.recall >= 0.8
    assert festival.mos >= 3.5 and piper.mos >= 3.8
    assert piper.mos > festival.mos  # why Piper is offered at all
