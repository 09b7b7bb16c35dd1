"""The default voice is understood: the whole story, spoken by festival, transcribed by an
offline recognizer (PocketSphinx), gives back most of the narration's longer words.
Minutes of CPU, so it runs with `make test-heavy`."""

from __future__ import annotations

import pytest
from instruments import intelligibility

from reluviz.studio.media.narration import make_voice
from reluviz.studio.publishing.script import script_entries
from reluviz.studio.publishing.story import load_story
from reluviz.studio.settings import RenderSettings


@pytest.mark.heavy
def test_the_story_narrated_by_festival_is_understood(tmp_path):
    settings = RenderSettings(out=tmp_path / "out")
    entries = script_entries(settings, load_story(settings))
    voice = make_voice("festival")
    takes = [(voice.say(entry["spoken"], tmp_path / "voice").path, entry["spoken"]) for entry in entries]
    total, results = intelligibility.measure(takes)
    worst = min(results, key=lambda take: take.score.recall)
    print(f"\nfestival, whole story: {total.heard} of {total.said} words of 4+ letters heard ({total.recall:.0%})")
    print(f"hardest beat: {worst.said!r} heard as {worst.heard!r}")
    assert total.said > 300, "the whole story was measured"
    assert total.recall >= 0.6
