"""The kit's words (the page's, the presenter's, the deck's) in a words file's ``[kit]`` table,
without manim: written whole, read back, each mistake refused naming the file and the line; and
the shipped Spanish translation of every one."""

from __future__ import annotations

import tomllib

import pytest

from reluviz.files.errors import InputFileError
from reluviz.files.paths import ASSETS
from reluviz.words.kit import KIT, KIT_COMMENT, KIT_KEY, KitWords
from reluviz.words.spoken import LANGUAGES
from reluviz.words.templates import BeatWords, placeholders
from reluviz.words.words_document import words_document
from reluviz.words.words_file import BeatCatalog, ClipCatalog, read_wording

CATALOGS = {
    "definition": ClipCatalog("definition", "What ReLU does", (BeatCatalog(BeatWords("rule", "ReLU."), ({},)),))
}
UNITS = {"units": 2}
NAMED = {"units": "WEIGHTS=relu"}
TABLES = {KIT_KEY: KIT}


def written(tmp_path, edit=lambda text: text):
    path = tmp_path / "words.toml"
    document = words_document(
        list(CATALOGS.values()), {"weights": "relu", **UNITS}, tables={KIT_KEY: (KIT_COMMENT, KIT)}
    )
    path.write_text(edit(document), encoding="utf-8")
    return path


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_every_kit_word_is_written_and_reads_back_as_no_change(tmp_path):
    path = written(tmp_path)
    written_kit = tomllib.loads(path.read_text(encoding="utf-8"))["kit"]
    assert written_kit["title"] == "The ReLU activation function"
    assert written_kit["page_stages"] == "Stage by stage"
    assert len(written_kit) == len(KIT)
    wording, _ = read_wording(path, CATALOGS, UNITS, NAMED, TABLES)
    assert wording.tables == {KIT_KEY: {}}


def test_a_changed_kit_word_is_all_the_file_changes(tmp_path):
    path = written(tmp_path, lambda text: text.replace('page_film = "The whole film"', 'page_film = "La película"'))
    wording, _ = read_wording(path, CATALOGS, UNITS, NAMED, TABLES)
    assert wording.tables == {KIT_KEY: {"page_film": "La película"}}
    assert (wording.titles, wording.beats, wording.labels) == ({}, {}, {})


def test_an_unknown_kit_key_or_placeholder_is_refused_naming_the_file_and_line(tmp_path):
    path = written(
        tmp_path,
        lambda text: text.replace("page_film = ", "page_flim = ").replace(
            '"{count} weights files"', '"{cuenta} archivos de pesos"'
        ),
    )
    with pytest.raises(InputFileError) as error:
        read_wording(path, CATALOGS, UNITS, NAMED, TABLES)
    lines = str(error.value).splitlines()
    assert lines[0].startswith(f"{path}: line {line_of(path, 'page_flim')}: [kit] page_flim: no [kit] word is called")
    assert lines[1] == (
        f"{path}: line {line_of(path, 'cuenta')}: [kit] batch_files: unknown placeholder {{cuenta}}; "
        "this [kit] word's placeholders are {count}"
    )
    assert len(lines) == 2


def test_without_the_kit_table_a_kit_is_not_a_clip(tmp_path):
    """A caller that does not read [kit] (no tables given) refuses it as it refuses any unknown clip."""
    with pytest.raises(InputFileError, match=r"\[kit\]: no clip of this render is called 'kit'"):
        read_wording(written(tmp_path), CATALOGS, UNITS, NAMED)


def test_kit_words_fill_escape_and_name_their_language():
    spanish = KitWords((("page_film", "Película & más"), ("where_beat", "punto {beat} de {count}")), "es")
    assert spanish.html("page_film") == "Película &amp; más"
    assert spanish("where_beat", beat=2, count=5) == "punto 2 de 5"
    assert spanish("page_stages") == "Stage by stage"  # a word the file leaves out keeps its English
    assert spanish.language_name == "Español"
    assert KitWords.from_dict(spanish.as_dict()) == spanish
    assert all(KitWords(language=code).language_name for code in LANGUAGES)  # every language has its name


def test_the_spanish_kit_translates_every_word_with_its_own_placeholders():
    spanish = tomllib.loads((ASSETS / "words" / "es.toml").read_text(encoding="utf-8"))["kit"]
    assert sorted(spanish) == sorted(KIT)
    for key, english in KIT.items():
        assert sorted(placeholders(spanish[key])) == sorted(placeholders(english)), key
    translated = [key for key in KIT if spanish[key] != KIT[key]]
    assert set(KIT) - set(translated) == {
        "download_video",
        "download_webm",
        "download_gif",
        "batch_clips",
        "deck_stage_notes",
    }  # file formats' names, "clips" and a colon
