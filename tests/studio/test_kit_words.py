"""The kit's words and a words file's language: ``[kit]`` words re-render no clip, and the words'
language chooses the voice (the Spanish kit end to end is in test_words.py, beside make script's
catalogs)."""

from __future__ import annotations

from dataclasses import replace

from reluviz.studio.media.narration import synthesized_voice
from reluviz.studio.pipeline.jobs import voice_fingerprint
from reluviz.studio.publishing.kit import plan_kit
from reluviz.studio.publishing.story import load_story
from reluviz.studio.settings import settings_from_options
from reluviz.words.words_file import Wording


def test_a_kit_word_changes_no_clips_key(tmp_path):
    settings = settings_from_options(out=str(tmp_path / "out"), voice="none")
    story = load_story(settings)
    before = plan_kit(settings, story)
    after = plan_kit(settings, replace(story, wording=Wording(tables={"kit": {"page_stages": "Etapa por etapa"}})))
    assert {name: job.key for name, job in before.jobs.items()} == {name: job.key for name, job in after.jobs.items()}
    assert [card.key for card in before.cards.values()] == [card.key for card in after.cards.values()]


def test_spanish_words_choose_no_voice_unless_one_is_named():
    assert settings_from_options(words="es").voice == "none"
    assert settings_from_options(words="es", voice="festival").voice == "festival"
    assert settings_from_options(words="es", voice_command="say --out {wav}").voice == "command"
    assert settings_from_options().voice == "festival"


def test_beats_nobody_recorded_in_spanish_are_silent_not_read_in_english():
    spanish, english = settings_from_options(words="es", voice="recorded"), settings_from_options(voice="recorded")
    assert synthesized_voice("recorded", unrecorded=spanish.unrecorded_voice).name == "none"
    assert synthesized_voice("recorded", unrecorded=english.unrecorded_voice).name == "festival"
    # and the clip's sound is keyed by who speaks the rest
    assert voice_fingerprint(spanish, "relu", "11_bias") != voice_fingerprint(english, "relu", "11_bias")
