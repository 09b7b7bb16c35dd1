"""Words files without manim: templates filled, a file written and read back, and each mistake
refused in one line naming the file and the line."""

from __future__ import annotations

import pytest

from reluviz.files.errors import InputFileError
from reluviz.words.labels import LABELS
from reluviz.words.templates import BeatWords, TemplateError, fill, placeholders, worded
from reluviz.words.words_document import words_document
from reluviz.words.words_file import (
    BeatCatalog,
    ClipCatalog,
    Wording,
    key_lines,
    read_wording,
)

PROBE = BeatWords("probe", "The input {x} {fate}: max(0, {x}) = {y}.")
CATALOGS = {
    "part_1": ClipCatalog(
        "part_1", "Part I: What ReLU is", (BeatCatalog(BeatWords("heading", "{title}."), ({"title": "Part I"},)),)
    ),
    "definition": ClipCatalog(
        "definition",
        "What ReLU does",
        (
            BeatCatalog(BeatWords("rule", "ReLU(x) is the larger of 0 and x."), ({},)),
            BeatCatalog(
                PROBE, ({"x": "−1.5", "fate": "lands on 0", "y": "0"}, {"x": "2", "fate": "passes unchanged", "y": "2"})
            ),
        ),
        ("range", "node_output"),  # the labels it draws
    ),
}
UNITS = {"units": 2, "plane_units": 3}
NAMED = {"units": "WEIGHTS=relu", "plane_units": "PLANE_WEIGHTS=plateau"}
HEADER = {"weights": "relu", "plane_weights": "plateau", **UNITS}


def written(tmp_path, edit=lambda text: text):
    path = tmp_path / "words.toml"
    path.write_text(edit(words_document(list(CATALOGS.values()), HEADER)), encoding="utf-8")
    return path


def test_a_template_is_filled_as_an_f_string_would_be():
    values = {"x": "−1.5", "fate": "lands on 0", "y": "0"}
    assert fill(PROBE.caption, values) == "The input −1.5 lands on 0: max(0, −1.5) = 0."
    assert fill("a {{brace}} and {x}", values) == "a {brace} and −1.5"
    assert placeholders(PROBE.caption) == ["x", "fate", "y"]
    with pytest.raises(TemplateError, match=r"unknown placeholder \{z\}; this beat's placeholders are \{x\}"):
        fill("{z}", {"x": "1"})
    for bad in ("{x:.2f}", "{}", "{0}", "a } b"):
        with pytest.raises(TemplateError):
            placeholders(bad)


def test_a_spoken_template_left_as_it_was_follows_the_caption():
    values = {"x": "2", "fate": "passes", "y": "2"}
    changed = BeatWords("probe", "Input {x}: {y}.")
    assert worded(PROBE, changed, values) == ("Input 2: 2.", "Input 2: 2.")
    assert worded(PROBE, BeatWords("probe", "Input {x}.", "Say {y}."), values) == ("Input 2.", "Say 2.")


def test_the_written_file_reads_back_as_no_change(tmp_path):
    path = written(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "# said 2 times: {x} = −1.5 | 2; {fate} = lands on 0 | passes unchanged; {y} = 0 | 2" in text
    assert 'caption = "The input {x} {fate}: max(0, {x}) = {y}."' in text
    assert 'title = "What ReLU does"' in text and "units = 2" in text
    wording, missing = read_wording(path, CATALOGS, UNITS, NAMED)
    assert (wording.titles, wording.beats, missing) == ({}, {}, [])


def test_changed_words_are_all_the_file_gives(tmp_path):
    path = written(
        tmp_path,
        lambda text: (
            text.replace('caption = "ReLU(x) is the larger of 0 and x."', 'caption = "ReLU keeps x if x > 0."')
            .replace('title = "What ReLU does"', 'title = "The ramp"')
            .replace('spoken = "The input {x} {fate}: max(0, {x}) = {y}."', 'spoken = "Input {x} gives {y}."')
        ),
    )
    wording, missing = read_wording(path, CATALOGS, UNITS, NAMED)
    assert wording.titles == {"definition": "The ramp"}
    assert wording.beats == {
        "definition": {
            "rule": BeatWords("rule", "ReLU keeps x if x > 0."),  # its spoken line, as written, follows it
            "probe": BeatWords("probe", PROBE.caption, "Input {x} gives {y}."),
        }
    }
    words = wording.for_clip("definition")
    assert words.title("definition") == "The ramp" and words.beat("probe").spoken == "Input {x} gives {y}."
    assert not wording.for_clip("part_1") and wording.for_clip("part_1", ["definition"]).titles == (
        ("definition", "The ramp"),
    )


def refused(path) -> list[str]:
    with pytest.raises(InputFileError) as error:
        read_wording(path, CATALOGS, UNITS, NAMED)
    return str(error.value).splitlines()


def line_of(path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text in line)


def test_an_unknown_placeholder_is_refused_naming_the_file_and_line(tmp_path):
    path = written(tmp_path, lambda text: text.replace('max(0, {x}) = {y}."\nspoken', 'max(0, {x}) = {z}."\nspoken'))
    line = line_of(path, "= {z}")
    assert refused(path) == [
        f"{path}: line {line}: [definition.probe] caption: unknown placeholder {{z}}; "
        "this beat's placeholders are {x}, {fate}, {y}"
    ]


def test_a_clip_or_beat_these_weights_do_not_have_is_refused(tmp_path):
    path = written(
        tmp_path, lambda text: text.replace("[definition.rule]", "[definition.rules]") + '\n[ramp]\ntitle = "x"\n'
    )
    assert refused(path) == [
        f"{path}: line {line_of(path, '[definition.rules]')}: [definition.rules]: definition has no beat 'rules' "
        "for these weights; its beats are rule, probe",
        f"{path}: line {line_of(path, '[ramp]')}: [ramp]: no clip of this render is called 'ramp'; "
        "its clips are part_1, definition",
    ]


def test_a_file_for_a_network_of_another_size_is_refused_in_one_line(tmp_path):
    path = written(
        tmp_path, lambda text: text.replace("\nunits = 2", "\nunits = 3").replace("[definition.rule]", "[x.y]")
    )
    assert refused(path) == [
        f"{path}: line {line_of(path, 'units = 3')}: units = 3: this words file was written for a network of 3 "
        "hidden units, and WEIGHTS=relu has 2; make script writes one for it"
    ]


def test_a_file_for_every_network_passes_over_what_these_weights_lack(tmp_path):
    def for_any(text):
        text = text.replace("\nunits = 2", '\nunits = "any"').replace("\nplane_units = 3", '\nplane_units = "any"')
        text = text.replace("The input {x} {fate}", "Input {x} {fate}")  # a change that must still count
        return text + '\n[ramp]\ntitle = "x"\n\n[definition.rules]\ncaption = "{anything}"\n'

    path = written(tmp_path, for_any)
    wording, missing = read_wording(path, CATALOGS, UNITS, NAMED)
    assert missing == [] and list(wording.beats) == ["definition"]
    assert wording.beats["definition"]["probe"].caption == "Input {x} {fate}: max(0, {x}) = {y}."
    # what these weights do have is checked as ever
    broken = written(tmp_path, lambda text: for_any(text).replace('= {y}."\nspoken', '= {z}."\nspoken'))
    assert refused(broken)[0].endswith("unknown placeholder {z}; this beat's placeholders are {x}, {fate}, {y}")


def test_a_size_that_is_no_number_is_refused_in_one_line(tmp_path):
    path = written(tmp_path, lambda text: text.replace("\nunits = 2", '\nunits = "all"'))
    assert refused(path) == [
        f"{path}: line {line_of(path, 'units = ')}: units = 'all': expected a whole number of hidden units "
        '(or "any" for a file written for every network)'
    ]


def test_beats_left_out_keep_their_words_and_are_listed(tmp_path):
    path = written(tmp_path, lambda text: text[: text.index("[definition.rule]")])
    wording, missing = read_wording(path, CATALOGS, UNITS, NAMED)
    assert wording == Wording(path) and missing == ["definition.rule", "definition.probe"]


def test_empty_or_broken_words_are_refused(tmp_path):
    path = written(tmp_path, lambda text: text.replace('title = "What ReLU does"', 'title = ""'))
    assert "[definition] title: empty" in refused(path)[0]
    path = written(tmp_path, lambda text: text.replace('caption = "{title}."', 'caption = "{title:>9}."'))
    assert "[part_1.heading] caption: {title}: a placeholder takes no format" in refused(path)[0]


def test_key_lines_find_tables_and_keys():
    text = 'units = 2\n\n[a]\ntitle = "t"\n\n[a.b]\n# c\ncaption = "x"\n'
    assert key_lines(text) == {"units": 1, "a": 3, "a.title": 4, "a.b": 6, "a.b.caption": 8}


def test_labels_are_written_once_and_changed_only_where_shown(tmp_path):
    path = written(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert '[labels]\nrange = "range:"\nnode_output = "{node} output"\n' in text  # the ones the clips draw
    assert "dosage" not in text
    assert read_wording(path, CATALOGS, UNITS, NAMED)[0].labels == {}
    path = written(
        tmp_path,
        lambda text: text.replace('range = "range:"', 'range = "recorrido:"').replace(
            '"{node} output"', '"salida del nodo {node}"'
        ),
    )
    wording, _ = read_wording(path, CATALOGS, UNITS, NAMED)
    assert wording.labels == {"range": "recorrido:", "node_output": "salida del nodo {node}"}
    assert wording.for_clip("definition").labels == (("range", "recorrido:"), ("node_output", "salida del nodo {node}"))
    assert wording.for_clip("part_1").labels == ()  # the card draws neither: its key stays as it was
    assert wording.for_clip("definition").label("range") == "recorrido:"


def test_a_label_that_does_not_exist_or_will_not_fit_is_refused(tmp_path):
    path = written(
        tmp_path,
        lambda text: (
            text.replace('range = "range:"', 'rnage = "recorrido:"')
            .replace('"{node} output"', '"salida de {nodo}"')
            .replace("[labels]\n", '[labels]\ndosage = "una\\ndos\\ntres"\n')
        ),
    )
    assert refused(path) == [  # in the file's order
        f"{path}: line {line_of(path, 'una')}: [labels] dosage: more than 2 lines",
        f"{path}: line {line_of(path, 'rnage')}: [labels] rnage: no label is called 'rnage'; "
        "the labels are range, range_in_words, piecewise, slope, for, cheap, place_hidden, place_top "
        f"and {len(LABELS) - 8} more",
        f"{path}: line {line_of(path, 'salida de')}: [labels] node_output: unknown placeholder {{nodo}}; "
        "this label's placeholders are {node}",
    ]


# -- shipped words files: WORDS=<name> ------------------------------------------------------


def test_a_bare_name_is_a_shipped_words_file_and_a_path_stays_a_path(tmp_path, monkeypatch):
    import reluviz.words.words_file as words_file

    shipped = tmp_path / "shipped"
    shipped.mkdir()
    (shipped / "xx.toml").write_text("units = 2\n", encoding="utf-8")
    monkeypatch.setattr(words_file, "SHIPPED", shipped)
    monkeypatch.chdir(tmp_path)
    assert words_file.resolve_words_path("xx") == shipped / "xx.toml"
    assert words_file.resolve_words_path("xx.toml") == words_file.Path("xx.toml")  # a path, though missing
    assert words_file.resolve_words_path("sub/xx") == words_file.Path("sub/xx")
    (tmp_path / "mine").write_text("", encoding="utf-8")
    assert words_file.resolve_words_path("mine") == words_file.Path("mine")  # an existing file wins


def test_an_unknown_shipped_name_is_refused_listing_the_shipped_ones(tmp_path, monkeypatch):
    import reluviz.words.words_file as words_file

    shipped = tmp_path / "shipped"
    shipped.mkdir()
    for name in ("fr", "es"):
        (shipped / f"{name}.toml").write_text("", encoding="utf-8")
    monkeypatch.setattr(words_file, "SHIPPED", shipped)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InputFileError) as raised:
        words_file.resolve_words_path("de")
    assert str(raised.value) == "de: no such words file; shipped: es, fr (or give a path to a .toml file)"


def test_a_words_files_language_reaches_each_clips_words_and_its_key(tmp_path):
    path = tmp_path / "es.toml"
    path.write_text(words_document(list(CATALOGS.values()), HEADER).replace('language = "en"', 'language = "es"'))
    wording, _ = read_wording(path, CATALOGS, UNITS, NAMED)
    clip = wording.for_clip("definition")
    assert clip.language == "es" and clip  # a Spanish clip with no other change is still changed
    assert clip.as_key()["language"] == "es"
    english, _ = read_wording(_written(tmp_path, "en"), CATALOGS, UNITS, NAMED)
    assert "language" not in english.for_clip("definition").as_key()  # English clips keep their keys
    assert clip.as_key() != english.for_clip("definition").as_key()


def _written(tmp_path, language):
    path = tmp_path / f"{language}-written.toml"
    written = words_document(list(CATALOGS.values()), HEADER)
    path.write_text(written.replace('language = "en"', f'language = "{language}"'))
    return path


def test_an_unknown_language_is_refused_in_one_line(tmp_path):
    path = _written(tmp_path, "xx")
    line = next(n for n, text in enumerate(path.read_text().splitlines(), 1) if text.startswith("language"))
    with pytest.raises(InputFileError) as raised:
        read_wording(path, CATALOGS, UNITS, NAMED)
    assert str(raised.value) == (
        f"{path}: line {line}: language = 'xx': not a language reluviz speaks; the languages are en, es"
    )
