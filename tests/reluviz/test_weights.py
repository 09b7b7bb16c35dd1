"""Weights files: the presets load; each kind of bad file is one clear line per problem."""

from __future__ import annotations

import dataclasses
import shutil
import subprocess
import sys

import pytest

from reluviz.activations import LeakyReLU, ReLU
from reluviz.files.data import DEFAULT_DATA
from reluviz.files.errors import InputFileError
from reluviz.files.schema import VALUE_LIMIT
from reluviz.files.weights import NAME_BYTES, PRESETS, load_weights, preset_names, safe_name
from reluviz.network import parameter_vector
from reluviz.words.numbers import format_number


def problems_of(path) -> list[str]:
    with pytest.raises(InputFileError) as caught:
        load_weights(path)
    lines = str(caught.value).splitlines()
    assert all(line.startswith(f"{path}: ") for line in lines), lines
    return lines


def test_presets_hold_storys_numbers():
    assert preset_names() == ["cone", "leaky_relu", "plateau", "relu", "softplus", "wide"]
    w = load_weights("relu")
    assert (
        w.network.hidden[0].weight,
        w.network.hidden[0].bias,
        w.network.hidden[1].weight,
        w.network.hidden[1].bias,
    ) == (1.70, -0.85, 12.6, 0.0)
    assert (w.network.hidden[0].output_weight, w.network.hidden[1].output_weight, w.network.output_bias) == (
        -40.8,
        2.70,
        -16.0,
    )
    assert (w.network.hidden_activation.name, w.network.output_activation.name, w.dosage_range) == (
        "relu",
        "relu",
        (0.0, 1.0),
    )
    s = load_weights("softplus")
    assert (
        s.network.hidden[0].weight,
        s.network.hidden[0].bias,
        s.network.hidden[1].weight,
        s.network.hidden[1].bias,
    ) == (-34.4, 2.14, -2.52, 1.29)
    assert (s.network.hidden[0].output_weight, s.network.hidden[1].output_weight, s.network.output_bias) == (
        -1.30,
        2.28,
        -0.58,
    )


def test_a_path_works_like_a_preset(write_weights):
    w = load_weights(write_weights(name="mine"))
    assert w.name == "mine" and w.network.hidden[0].weight == 1.70
    with pytest.raises(dataclasses.FrozenInstanceError):
        w.network = None  # immutable


@pytest.mark.parametrize(
    ("replacements", "expected"),
    [
        ({"bias = -0.85 ": "# bias removed "}, "hidden.top.bias: missing key"),
        ({"weight = 12.6": 'weight = "twelve"'}, "hidden.bottom.weight: expected a number, got 'twelve'"),
        ({"weight = 12.6": "weight = nan"}, "hidden.bottom.weight: expected a finite number, got nan"),
        ({"bias = -16": "bias = -inf"}, "output.bias: expected a finite number, got -inf"),
        ({"weight = 12.6": "weight = true"}, "hidden.bottom.weight: expected a number, got true"),
        ({"top_weight = -40.8": "top_wieght = -40.8"}, "output.top_wieght: unknown key"),
        (
            {'activation = "relu"          # activation of both': 'activation = "relru"          # activation of both'},
            "hidden.activation: expected one of",
        ),
        ({"weight = 12.6": f"weight = {VALUE_LIMIT * 10}"}, "hidden.bottom.weight: 10000.0 is too large to draw"),
        ({"high = 1.0 ": "high = -1.0 "}, "dosage.high: must be larger than dosage.low"),
    ],
)
def test_each_problem_is_named_with_its_key(write_weights, replacements, expected):
    lines = problems_of(write_weights(replacements))
    assert any(expected in line for line in lines), lines


def test_typos_get_the_nearest_valid_name(write_weights):
    lines = problems_of(write_weights({"top_weight = -40.8": "top_wieght = -40.8"}))
    assert any("did you mean 'top_weight'" in line for line in lines)
    lines = problems_of(
        write_weights(
            {'activation = "relu"          # activation in front': 'activation = "Relu"          # activation in front'}
        )
    )
    assert any("did you mean 'relu'" in line for line in lines)


def test_every_problem_is_reported_not_just_the_first(write_weights):
    lines = problems_of(write_weights({"weight = 12.6": "weight = nan", "bias = -16": "bais = -16"}))
    assert len(lines) == 3  # nan, unknown 'bais', missing 'bias'


def test_malformed_toml_and_missing_files(write_weights, tmp_path):
    (line,) = problems_of(write_weights(text="[hidden\nweight = 1"))
    assert "malformed TOML" in line
    (line,) = problems_of(tmp_path / "absent.toml")
    assert "no such file" in line
    (line,) = problems_of(write_weights({'# data = "my_dosages.csv"': 'data = "nowhere.csv"'}))
    assert "dosage.data: no such file 'nowhere.csv'" in line


def test_unknown_preset_lists_the_presets():
    with pytest.raises(InputFileError, match="presets: cone, leaky_relu, plateau, relu, softplus, wide"):
        load_weights("relu2")
    with pytest.raises(InputFileError):
        load_weights("lesson")  # Part I's file is not a network


def test_command_line_exits_nonzero_with_one_line(write_weights):
    path = write_weights({"weight = 12.6": "weight = nan"})
    result = subprocess.run(
        [sys.executable, "-m", "reluviz", "table", "--weights", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip() == f"reluviz: {path}: hidden.bottom.weight: expected a finite number, got nan"


def test_a_copy_of_a_preset_anywhere_uses_the_lessons_data(tmp_path):
    for preset in ("relu", "softplus"):
        copy = tmp_path / "elsewhere" / f"copy_of_{preset}.toml"
        copy.parent.mkdir(exist_ok=True)
        shutil.copyfile(PRESETS / f"{preset}.toml", copy)
        weights = load_weights(copy)
        assert weights.data_path == DEFAULT_DATA
        assert weights.network.hidden[0] == load_weights(preset).network.hidden[0]


def test_a_symlink_to_a_preset_loads(tmp_path):
    link = tmp_path / "linked.toml"
    link.symlink_to(PRESETS / "relu.toml")
    weights = load_weights(link)
    assert (weights.name, weights.data_path, weights.network.hidden[0].weight) == ("linked", DEFAULT_DATA, 1.70)


def test_relative_data_is_found_next_to_the_link_first_then_next_to_its_target(write_weights, tmp_path):
    target = write_weights({'# data = "my_dosages.csv"': 'data = "points.csv"'}, name="target")
    beside_target = tmp_path / "points.csv"
    beside_target.write_text("dosage,effectiveness\n0,0\n0.5,1\n1,0\n")
    link_folder = tmp_path / "links"
    link_folder.mkdir()
    link = link_folder / "via_link.toml"
    link.symlink_to(target)
    assert load_weights(link).data_path == beside_target
    beside_link = link_folder / "points.csv"
    beside_link.write_text("dosage,effectiveness\n0,0\n0.25,1\n1,0\n")
    assert load_weights(link).data_path == beside_link
    assert load_weights(target).data_path == beside_target


def test_data_found_nowhere_names_every_place_looked_and_the_fix(write_weights, tmp_path, monkeypatch):
    target = write_weights({'# data = "my_dosages.csv"': 'data = "gone.csv"'}, name="target")
    (tmp_path / "links").mkdir()
    link = tmp_path / "links" / "via_link.toml"
    link.symlink_to(target)
    monkeypatch.chdir(tmp_path)  # places are named as from here, like the file the user named
    (line,) = problems_of(link)
    assert "dosage.data: no such file 'gone.csv' (looked for links/gone.csv and gone.csv)" in line, line
    assert line.endswith("an absolute path, or remove the key to use the lesson's data"), line
    assert len(f"reluviz: {line}") <= 300, line


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("points", "dosage.data: 'points' is a folder, not a file (points)"),
        ("/dev/null", "dosage.data: '/dev/null' is a device, not a file"),
    ],
)
def test_data_that_is_a_folder_or_a_device_is_named_with_why(write_weights, tmp_path, data, expected, monkeypatch):
    (tmp_path / "points").mkdir()
    monkeypatch.chdir(tmp_path)  # places are named as from here; the test ran from anywhere
    (line,) = problems_of(write_weights({'# data = "my_dosages.csv"': f'data = "{data}"'}))
    assert line.endswith(expected), line


def test_a_file_larger_than_any_weights_file_is_not_read(write_weights, relu_toml_text):
    path = write_weights(text=relu_toml_text + "#" * 1_000_000 + "\n")
    (line,) = problems_of(path)
    size = path.stat().st_size
    assert (
        line
        == f"{path}: is {size:,} bytes, too large for a weights or lesson file (a few kilobytes; at most 1,000,000)"
    )


def test_an_absolute_data_path_works_from_anywhere(write_weights, tmp_path):
    points = tmp_path / "data" / "points.csv"
    points.parent.mkdir()
    points.write_text("dosage,effectiveness\n0,0\n0.5,1\n1,0\n")
    path = write_weights({'# data = "my_dosages.csv"': f'data = "{points}"'})
    assert load_weights(path).data_path == points


@pytest.mark.parametrize(
    ("file_name", "expected"),
    [
        ("...toml", "weights"),
        (".hidden.toml", "hidden"),
        ("..toml", "weights"),
        (".toml", "toml"),  # a hidden file without a suffix: its whole name is the stem
        ("a" * 250 + ".toml", "a" * 100),
        ("line\nbreak.toml", "line_break"),
        ("plain.toml", "plain"),
    ],
)
def test_the_name_is_always_one_safe_folder(tmp_path, file_name, expected):
    path = tmp_path / file_name
    path.write_text((PRESETS / "relu.toml").read_text())
    name = load_weights(path).name
    assert name == expected
    out = tmp_path / "out"
    assert (out / name).resolve().parent == out.resolve()


def test_unicode_names_are_capped_in_bytes_too():
    name = safe_name("é" * 150)
    assert name == "é" * (NAME_BYTES // 2) and len(name.encode()) <= NAME_BYTES
    assert safe_name("a/b\\c") == "a_b_c"


@pytest.mark.parametrize("given", ["", "  "])
def test_no_weights_given_says_what_to_give(given):
    with pytest.raises(InputFileError) as caught:
        load_weights(given)
    (line,) = str(caught.value).splitlines()
    assert line.startswith("weights: none given") and "relu, softplus" in line and "WEIGHTS=relu" in line


def test_a_file_name_too_long_is_one_line(tmp_path):
    path = tmp_path / ("w" * 300 + ".toml")
    with pytest.raises(InputFileError) as caught:
        load_weights(path)
    (line,) = str(caught.value).splitlines()
    # Shown by its start and its end, where the file's name is, so the line stays short.
    assert line.startswith(str(tmp_path)[:40]) and "wwww.toml: file name too long (305 bytes" in line, line
    assert "at most 255" in line and len(f"reluviz: {line}") <= 300, line


def test_a_file_that_cannot_be_opened_is_one_line(tmp_path):
    loop = tmp_path / "loop.toml"
    loop.symlink_to(tmp_path / "back.toml")
    (tmp_path / "back.toml").symlink_to(loop)
    (line,) = problems_of(loop)
    assert line == f"{loop}: cannot read: Too many levels of symbolic links"


@pytest.mark.parametrize(
    ("replacements", "second_line", "expected"),
    [
        ({"bias = -0.85 ": "weight = 2.0\nbias = -0.85 "}, "weight = 2.0", "hidden.top.weight: defined twice"),
        ({"bias = -16": "bias = -16.0\n  bias = 3"}, "  bias = 3", "output.bias: defined twice"),
        (
            {"[hidden.bottom] ": "[hidden.top] "},
            "[hidden.top] ",
            "hidden.top: defined twice (line {line}, the table [hidden.top])",
        ),
    ],
)
def test_a_key_given_twice_is_named_with_its_line(write_weights, replacements, second_line, expected):
    path = write_weights(replacements)
    lines = path.read_text().splitlines()
    line_number = 1 + max(i for i, line in enumerate(lines) if line.startswith(second_line))
    (line,) = problems_of(path)
    assert expected.format(line=line_number) in line and f"(line {line_number}" in line, line


def run_reluviz(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "reluviz", *args], capture_output=True, text=True)


def test_weights_command_writes_the_preset_with_every_comment_and_it_works_anywhere(tmp_path):
    path = tmp_path / "new" / "mine.toml"
    result = run_reluviz("weights", str(path))
    assert result.returncode == 0, result.stderr
    assert f"make render WEIGHTS={path}" in result.stdout
    text = path.read_text()
    assert (PRESETS / "relu.toml").read_text() in text  # one source: the template cannot drift from the preset
    assert "data =" not in text.replace("# data =", "")  # no data path to break when moved
    assert sorted(p.name for p in path.parent.iterdir()) == ["mine.toml"]  # no temporary left behind
    moved = tmp_path / "elsewhere" / "moved.toml"
    moved.parent.mkdir()
    path.rename(moved)
    weights = load_weights(moved)
    assert parameter_vector(weights).tolist() == parameter_vector(load_weights("relu")).tolist()
    assert weights.data_path == DEFAULT_DATA


def test_weights_command_never_overwrites(tmp_path):
    path = tmp_path / "mine.toml"
    path.write_text("# my own work\n")
    result = run_reluviz("weights", str(path))
    assert result.returncode == 2
    assert (
        result.stderr.strip()
        == f"reluviz: {path}: already exists; not overwritten (choose another name, or delete it first)"
    )
    assert path.read_text() == "# my own work\n"
    assert [p.name for p in tmp_path.iterdir()] == ["mine.toml"]


def test_weights_command_wants_a_toml_name(tmp_path):
    result = run_reluviz("weights", str(tmp_path / "mine.txt"))
    assert result.returncode == 2 and "must end in .toml" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("make") is None, reason="needs make")
def test_make_weights_without_new_says_how():
    root = PRESETS.parent.parent
    # -o setup: the check comes before anything is installed or written
    result = subprocess.run(["make", "-s", "-o", "setup", "weights", "NEW="], cwd=root, capture_output=True, text=True)
    assert result.returncode != 0
    assert "make weights NEW=path/to/mine.toml" in result.stderr


def test_numbers_are_shown_as_the_file_writes_them(write_weights):
    from reluviz.words.numbers import format_number, shown, term

    w = load_weights(write_weights({"weight = 1.70": "weight = 1.700", "bias = -16": "bias = -16.50"}))
    assert format_number(w.network.hidden[0].weight) == "1.700"
    assert format_number(w.network.output_bias) == "-16.50"
    preset = load_weights("relu")
    written = [
        preset.network.hidden[0].weight,
        preset.network.hidden[1].bias,
        preset.network.hidden[1].output_weight,
        preset.network.output_bias,
    ]
    assert [format_number(x) for x in written] == ["1.70", "0.00", "2.70", "-16"]
    assert term(preset.network.hidden[0].bias) == "\u2212 0.85" and term(preset.network.hidden[1].weight) == "+ 12.6"
    assert shown(preset.network.hidden[0].output_weight) == "\u221240.8"
    # computed values follow the one rounding rule, whatever their inputs wrote
    assert format_number(preset.network.hidden[0].weight * 0.5 + preset.network.hidden[0].bias) == "0"
    assert format_number(preset.network.hidden[0].weight * 1.0) == "1.7"


# --- Any number of hidden nodes: the [[hidden.nodes]] form ----------------------------------


def nodes_file(units, hidden="relu", output="relu", output_bias="-16", extra_hidden="", low="0.0", high="1.0") -> str:
    """A weights file in the [[hidden.nodes]] form; ``units`` are (weight, bias, output_weight)
    as the file writes them."""
    nodes = "".join(f"\n[[hidden.nodes]]\nweight = {w}\nbias = {b}\noutput_weight = {v}\n" for w, b, v in units)
    return (
        f'[dosage]\nlow = {low}\nhigh = {high}\n\n[hidden]\nactivation = "{hidden}"\n{extra_hidden}{nodes}\n'
        f'[output]\nactivation = "{output}"\nbias = {output_bias}\n'
    )


def written_numbers(weights) -> list[str]:
    """Every number of the network as the screen shows it, node by node, then the output bias."""
    units = weights.network.hidden
    numbers = [x for unit in units for x in (unit.weight, unit.bias, unit.output_weight)]
    return [format_number(x) for x in (*numbers, weights.network.output_bias)]


#: The two old-format presets, as their new-format twins written out here by hand.
TWINS = {
    "relu": nodes_file([("1.70", "-0.85", "-40.8"), ("12.6", "0.00", "2.70")]),
    "softplus": nodes_file(
        [("-34.4", "2.14", "-1.30"), ("-2.52", "1.29", "2.28")],
        hidden="softplus",
        output="identity",
        output_bias="-0.58",
    ),
}


@pytest.mark.parametrize("preset", sorted(TWINS))
def test_old_format_presets_load_to_the_same_network_as_their_new_format_twins(tmp_path, preset):
    old = load_weights(preset)
    assert old.form == "top_bottom" and "[hidden.top]" in (PRESETS / f"{preset}.toml").read_text()
    path = tmp_path / f"{preset}.toml"
    path.write_text(TWINS[preset])
    new = load_weights(path)
    assert new.form == "nodes"
    assert new.network == old.network
    # written the same way too: every number keeps its decimals on screen
    assert written_numbers(new) == written_numbers(old)
    assert new.dosage_range == old.dosage_range and new.data_path == old.data_path


def test_new_presets_teach_a_leak_and_a_wider_network():
    leaky = load_weights("leaky_relu")
    relu_net = load_weights("relu")
    assert leaky.network.hidden_activation == LeakyReLU(0.1)
    assert leaky.network.hidden == relu_net.network.hidden  # the story's network, with a leak
    assert leaky.network.output_activation == relu_net.network.output_activation
    wide = load_weights("wide")
    assert len(wide.network.hidden) >= 4 and wide.network.hidden_activation == ReLU()
    assert wide.data_path == PRESETS.parent / "data" / "two_bumps.csv"


def test_numbers_in_the_nodes_form_are_shown_as_written(tmp_path):
    path = tmp_path / "three.toml"
    path.write_text(
        nodes_file([("1.70", "-0.850", "3"), ("2.0", "0.00", "-1.5"), ("-4", "1", "0.25")], output_bias="-2.50")
    )
    assert written_numbers(load_weights(path)) == [
        "1.70", "-0.850", "3", "2.0", "0.00", "-1.5", "-4", "1", "0.25", "-2.50"
    ]  # fmt: skip


@pytest.mark.parametrize("count", [1, 6])
def test_one_to_six_nodes_load(tmp_path, count):
    path = tmp_path / "n.toml"
    path.write_text(nodes_file([("1.5", f"-0.{i + 1}", "1.0") for i in range(count)], output_bias="0.5"))
    assert len(load_weights(path).network.hidden) == count


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            nodes_file([("1.0", "0.0", "1.0")] * 7),
            "hidden.nodes: 7 given; give 1 to 6 (a network has 1 to 6 hidden nodes: the diagram and the story "
            "lay out at most 6 paths side by side)",
        ),
        (
            nodes_file([]).replace('activation = "relu"\n\n', 'activation = "relu"\nnodes = []\n', 1),
            "hidden.nodes: 0 given",
        ),
        (nodes_file([]), "hidden.nodes: missing tables [[hidden.nodes]]"),
        (
            nodes_file([("1.0", "0.0", "1.0"), ("2.0", "1.0", "1.0")]).replace("bias = 1.0\n", "", 1),
            "hidden.nodes[2].bias: missing key",
        ),
        (
            nodes_file([("1.0", "0.0", "1.0"), ("2.0", "nan", "1.0")]),
            "hidden.nodes[2].bias: expected a finite number, got nan",
        ),
        (
            nodes_file([("1.0", "0.0", "1.0")]).replace("output_weight", "ouput_weight"),
            "hidden.nodes[1].ouput_weight: unknown key (valid keys here: weight, bias, output_weight); "
            "did you mean 'output_weight'?",
        ),
        (
            nodes_file([("1.0", "0.0", "1.0")], extra_hidden="negative_slope = 0.1\n"),
            "hidden.negative_slope: only leaky_relu has a negative slope, and this activation is 'relu'",
        ),
        (
            nodes_file([("1.0", "0.0", "1.0")], hidden="leaky_relu", extra_hidden="negative_slope = 1.5\n"),
            "hidden.negative_slope: must lie between 0 and 1, got 1.5",
        ),
        (
            nodes_file([("1.0", "0.0", "1.0")]).replace("bias = -16", "bias = -16\ntop_weight = 2.0"),
            "output.top_weight: unknown key (valid keys here: activation, negative_slope, bias)",
        ),
    ],
    ids=["seven", "empty", "none", "missing", "nan", "typo", "slope-for-relu", "slope-too-large", "old-key-in-new"],
)
def test_each_problem_in_the_nodes_form_is_one_line_naming_its_key(tmp_path, text, expected):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    lines = problems_of(path)
    assert any(line.startswith(f"{path}: {expected}") for line in lines), lines


def test_a_leaky_slope_is_optional_and_read_as_written(tmp_path):
    path = tmp_path / "leaky.toml"
    path.write_text(nodes_file([("1.0", "0.0", "1.0")], hidden="leaky_relu", output_bias="0.5"))
    assert load_weights(path).network.hidden_activation.negative_slope == 0.01  # PyTorch's default
    path.write_text(nodes_file([("1.0", "0.0", "1.0")], hidden="leaky_relu", extra_hidden="negative_slope = 0.10\n"))
    assert format_number(load_weights(path).network.hidden_activation.negative_slope) == "0.10"


def test_the_command_line_names_a_nodes_problem_in_one_line(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(nodes_file([("1.0", "0.0", "1.0")] * 7))
    result = subprocess.run(
        [sys.executable, "-m", "reluviz", "check", "--weights", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"reluviz: {path}: hidden.nodes: 7 given; give 1 to 6")
    assert len(result.stderr.strip().splitlines()) == 1


def test_the_old_form_takes_a_leak_too_and_means_the_leaky_preset(write_weights):
    leak = 'activation = "leaky_relu"\nnegative_slope = 0.1\n#'
    old = load_weights(write_weights({'activation = "relu"          # activation of both': leak}))
    assert old.form == "top_bottom"
    assert old.network == load_weights("leaky_relu").network
