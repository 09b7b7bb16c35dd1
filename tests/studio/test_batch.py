"""make batch: a folder of weights files or a sweep of one value, each into its own whole kit,
clips that do not depend on the weights made once, on a LocalCluster or on a scheduler with
workers of its own that share nothing with the client."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from reluviz.files.weights import PRESETS, load_weights
from reluviz.studio.media import ffmpeg
from reluviz.studio.pipeline import cache
from reluviz.studio.publishing.batch import parse_sweep, set_value, sweep_variants
from reluviz.words.stages import STAGES

SILENT = ("--voice", "none")
DASK = Path(sys.executable).with_name("dask")
PART_ONE = [s for s in STAGES if s.part == 1]


def batch(out: Path, *args: str, timeout: float = 900) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "reluviz", "batch", "--quality", "low", "--out", str(out), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=timeout)


def renders(stdout: str, stem_label: str) -> int:
    """How many times a clip was rendered to the end (its "done" lines)."""
    return len(re.findall(rf"^  {re.escape(stem_label)}\s+done: ", stdout, flags=re.MULTILINE))


# --- a sweep's files and names ------------------------------------------------------------


def test_a_sweep_writes_one_file_per_value_named_after_it_and_written_as_typed(tmp_path):
    base = PRESETS / "relu.toml"
    made = sweep_variants(base, parse_sweep("output.bias=-20, -16.50,-8"), tmp_path)
    assert [p.name for p in made] == [
        "relu_output.bias=-20.toml",
        "relu_output.bias=-16.50.toml",
        "relu_output.bias=-8.toml",
    ]
    original = base.read_text().splitlines()
    for path, typed, value in zip(made, ("-20", "-16.50", "-8"), (-20, -16.5, -8)):
        lines = path.read_text().splitlines()
        changed = [(a, b) for a, b in zip(original, lines) if a != b]
        assert len(lines) == len(original) and len(changed) == 1, changed
        assert changed[0][1].startswith(f"bias = {typed} ") and "# added to the sum" in changed[0][1]
        assert load_weights(path).network.output_bias == value


def test_a_sweep_of_a_file_with_hidden_nodes_names_them_as_messages_do(tmp_path):
    base = PRESETS / "wide.toml"
    made = sweep_variants(base, parse_sweep("hidden.nodes[1].bias=-0.5,0.25"), tmp_path)
    assert [p.name for p in made] == ["wide_hidden.nodes[1].bias=-0.5.toml", "wide_hidden.nodes[1].bias=0.25.toml"]
    for path, value in zip(made, (-0.5, 0.25)):
        changed = [(a, b) for a, b in zip(base.read_text().splitlines(), path.read_text().splitlines()) if a != b]
        data, bias = changed  # the copy names its data file by where it is, and the one value swept
        assert data[1].startswith(f'data = "{(PRESETS.parent / "data" / "two_bumps.csv").resolve()}"'), data
        assert bias == ("bias = -1.12", f"bias = {path.stem.rpartition('=')[2]}"), bias
        assert load_weights(path).network.hidden[1].bias == value


def test_a_sweep_reaches_nested_tables_and_arrays_of_tables():
    text = (
        "[hidden]\nactivation = 'relu'\n\n[[hidden.nodes]]\nweight = 1.70  # top\nbias = -0.85\n\n"
        "[[hidden.nodes]]\nweight = 12.6\nbias = 0.0\n\n[output]\nbias = -16\n"
    )
    changed = set_value(text, ("hidden", "nodes", "1", "bias"), "0.50")
    assert tomllib.loads(changed)["hidden"]["nodes"] == [{"weight": 1.70, "bias": -0.85}, {"weight": 12.6, "bias": 0.5}]
    assert "bias = 0.50\n" in changed and "weight = 1.70  # top" in changed
    assert tomllib.loads(set_value(text, ("output", "bias"), "-8"))["output"]["bias"] == -8
    inline = set_value("[output]\nweights = {top = 1, bottom = 2}  # inline\n", ("output", "weights", "top"), "2.50")
    assert inline == "[output]\nweights = {top = 2.50, bottom = 2}  # inline\n"


def test_a_sweep_copy_finds_its_data_file_where_the_original_does(tmp_path, write_weights):
    data = tmp_path / "points.csv"
    data.write_text("dosage,effectiveness\n0,0\n0.5,1\n1,0\n")
    weights = write_weights({'# data = "my_dosages.csv"': 'data = "points.csv"'}, name="mine")
    staging = tmp_path / "staging"
    staging.mkdir()
    (made,) = sweep_variants(weights, parse_sweep("hidden.top.weight=2.5"), staging)
    assert made.name == "mine_hidden.top.weight=2.5.toml"
    assert load_weights(made).data_path == data.resolve()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sweep", "output.bias"], "reluviz: SWEEP=output.bias: expected a key, =, and values separated by commas"),
        (["--sweep", "output.bias=-20,,-8"], "reluviz: SWEEP=output.bias=-20,,-8: an empty value"),
        (["--sweep", "output.bias=-20,-20"], "reluviz: SWEEP=output.bias=-20,-20: -20 given twice"),
        (["--sweep", "output.bais=-20"], "reluviz: SWEEP=output.bais: relu.toml: no key 'bais' in output (keys: "),
        (["--sweep", "output=-20"], "reluviz: SWEEP=output: relu.toml: that is a table, not a value"),
        (["--sweep", "output.bias=-20,lots"], "reluviz: SWEEP=output.bias=-20,lots: 'lots' is not a number"),
        (["--sweep", "output.bias=5000"], "reluviz: SWEEP=output.bias, relu_output.bias=5000: output.bias: "),
        (["--batch", "{empty}"], "reluviz: BATCH={empty}: no weights files (*.toml) in this folder"),
        (["--batch", "{missing}"], "reluviz: BATCH={missing}: no such folder"),
        ([], "reluviz: batch: give either BATCH=folder/ (its weights files) or SWEEP=key=v1,v2"),
        (
            ["--scheduler", "localhost:8786", "--sweep", "output.bias=-8"],
            "reluviz: SCHEDULER=localhost:8786: not an address",
        ),
    ],
)
def test_batch_mistakes_are_one_line_and_write_nothing(tmp_path, args, message):
    (tmp_path / "empty").mkdir()
    places = {"empty": str(tmp_path / "empty"), "missing": str(tmp_path / "missing")}
    args = [a.format(**places) for a in args]
    result = batch(tmp_path / "out", *SILENT, *args)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith(message.format(**places))
    assert not (tmp_path / "out").exists()


def test_an_unreachable_scheduler_is_one_line_and_writes_nothing(tmp_path):
    result = batch(tmp_path / "out", *SILENT, "--scheduler", "tcp://127.0.0.1:9", "--sweep", "output.bias=-8")
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert result.stderr.startswith("reluviz: SCHEDULER=tcp://127.0.0.1:9: no scheduler answered there")
    assert not (tmp_path / "out").exists()


# --- real batches ----------------------------------------------------------------------------


@pytest.mark.heavy  # a render of its own: make test-heavy
def test_a_sweep_renders_part_one_once_and_a_kit_per_value(tmp_path):
    out = tmp_path / "out"
    result = batch(out, *SILENT, "--stages", "definition bias", "--sweep", "output.bias=-20,-12")
    assert result.returncode == 0, result.stderr
    names = ["relu_output.bias=-20", "relu_output.bias=-12"]
    assert renders(result.stdout, "01 definition") == 1  # the same clip for every value: made once
    for name in names:
        assert renders(result.stdout, f"11 bias [{name}]") == 1
    assert len(list((out / ".cache" / "clips").iterdir())) == 3
    definitions = set()
    for name in names:
        kit = out / name / "low"
        manifest = json.loads((kit / "manifest.json").read_text())
        assert [c["name"] for c in manifest["clips"]] == ["definition", "bias"]
        assert (
            Path(manifest["render"]["weights"]["file"]) == out / "batch-relu_output.bias" / "weights" / f"{name}.toml"
        )
        definitions.add(cache.sha256(kit / "01_definition.mp4"))
    assert len(definitions) == 1
    assert "\u221212" in (out / names[1] / "low" / "11_bias.srt").read_text()  # -12, with a true minus sign
    page = (out / "batch-relu_output.bias" / "index.html").read_text()
    for name in names:
        assert f'href="../{name}/low/index.html"' in page
    assert page.count("<table>") == 2 and "output.bias = -20" in page


@pytest.mark.heavy  # a whole story for three weights files: make test-heavy
def test_a_batch_of_three_weights_files_on_a_local_cluster(tmp_path, write_weights):
    folder = tmp_path / "course"
    folder.mkdir()
    shutil.copy(PRESETS / "relu.toml", folder / "relu.toml")
    shutil.copy(PRESETS / "softplus.toml", folder / "softplus.toml")
    shutil.copy(write_weights({"bias = -16": "bias = -12"}, name="student"), folder / "student.toml")
    out = tmp_path / "out"
    started = time.monotonic()
    result = batch(out, *SILENT, "--batch", str(folder))
    assert result.returncode == 0, result.stderr
    print(f"\nbatch of three whole stories at low quality: {time.monotonic() - started:.0f} s")
    for stage in PART_ONE:  # Part I draws no weights: one render for the batch
        assert renders(result.stdout, f"{stage.number:02d} {stage.name}") == 1, stage.name
    assert renders(result.stdout, "part 1 title") == renders(result.stdout, "part 2 title") == 1
    for name in ("relu", "softplus", "student"):
        kit = out / name / "low"
        manifest = json.loads((kit / "manifest.json").read_text())
        assert [c["name"] for c in manifest["clips"]] == [s.name for s in STAGES], name
        assert ffmpeg.probe(kit / "00_relu_story.mp4").duration > 100, name
        assert (kit / "index.html").is_file() and (kit / "present.html").is_file()
    page = (out / "batch-course" / "index.html").read_text()
    assert page.count("<video") == 3 and page.count("<table>") == 3


def ended(process: subprocess.Popen) -> bool:
    return process.poll() is not None


def start(command: list[str], folder: Path, log: Path) -> subprocess.Popen:
    """A process of its own, as the user nobody in a folder of its own: it cannot read the
    client's out/ (under a root-only temporary folder), so whatever it makes must travel."""
    if os.geteuid() != 0:
        pytest.fail("running workers as another user needs root (make test-heavy runs as root on CI)")
    folder.mkdir(parents=True)
    shutil.chown(folder, "nobody")
    return subprocess.Popen(
        ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command],
        cwd=folder,
        env={**os.environ, "HOME": str(folder)},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


@contextmanager
def dask_cluster(workers: int) -> Iterator[tuple[str, list[subprocess.Popen], Path]]:
    """``dask scheduler`` and ``workers`` x ``dask worker --nthreads 1``, as the README starts
    them, each a process of the user nobody in a folder of its own: (the scheduler's
    address, the worker processes, the folder they all sit in)."""
    cluster = Path("/tmp") / f"reluviz-cluster-{os.getpid()}"  # outside pytest's root-only folder
    shutil.rmtree(cluster, ignore_errors=True)
    cluster.mkdir()
    os.chmod(cluster, 0o777)
    address_file = cluster / "scheduler" / "address.json"
    scheduler = [str(DASK), "scheduler", "--scheduler-file", str(address_file), "--port", "0", "--no-dashboard"]
    processes = [start(scheduler, cluster / "scheduler", cluster / "scheduler.log")]
    try:
        deadline = time.monotonic() + 60
        while not address_file.exists():
            assert time.monotonic() < deadline and not ended(processes[0]), (cluster / "scheduler.log").read_text()
            time.sleep(0.2)
        address = json.loads(address_file.read_text())["address"]
        for number in range(workers):
            name = f"worker-{number}"
            worker = [str(DASK), "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard"]
            worker += ["--name", name, "--local-directory", str(cluster / name)]
            processes.append(start(worker, cluster / name, cluster / f"{name}.log"))
        yield address, processes[1:], cluster
    finally:
        for process in processes:
            if not ended(process):
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:  # a worker in the middle of a clip
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait()
        shutil.rmtree(cluster, ignore_errors=True)


def course(folder: Path, write_weights) -> Path:
    """Three weights files that differ in the output bias."""
    folder.mkdir()
    for name, bias in (("a", "-20"), ("b", "-12"), ("c", "-8")):
        shutil.copy(write_weights({"bias = -16": f"bias = {bias}"}, name=name), folder / f"{name}.toml")
    return folder


@pytest.mark.heavy  # a scheduler and two workers: make test-heavy
def test_a_batch_on_a_scheduler_and_two_workers_survives_losing_one(tmp_path, write_weights):
    folder = course(tmp_path / "course", write_weights)
    out = tmp_path / "out"
    with dask_cluster(workers=2) as (address, workers, cluster):
        command = [sys.executable, "-m", "reluviz", "batch", "--quality", "low", *SILENT, "--out", str(out)]
        command += ["--stages", "definition summing bias", "--batch", str(folder), "--scheduler", address]
        client = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        lines, busy, killed = [], 0, None
        for line in client.stdout:
            lines.append(line)
            if line.rstrip().endswith(" rendering"):
                busy += 1
            if busy == 2 and killed is None:  # both workers are in the middle of a clip
                killed = workers[0]
                os.killpg(killed.pid, signal.SIGKILL)
        _, errors = client.communicate(timeout=600)
        stdout = "".join(lines)
        assert client.returncode == 0, errors + stdout
        assert killed is not None and ended(killed)
        assert "rendering again (its worker was lost)" in stdout, stdout
        assert not list(cluster.rglob("clip.mp4")), "the workers kept a clip"
    assert renders(stdout, "01 definition") == 1
    for name in "abc":
        kit = out / name / "low"
        manifest = json.loads((kit / "manifest.json").read_text())
        assert [c["name"] for c in manifest["clips"]] == ["definition", "summing", "bias"]
        for clip in ("01_definition", "10_summing", "11_bias"):
            assert ffmpeg.probe(kit / f"{clip}.mp4").duration > 5, (name, clip)
    # every clip came back over the network and was checked here
    logs = [p.read_text() for p in (out / ".cache" / "logs").iterdir()]
    assert len(logs) == 7 and all("rendered by tcp://" in log for log in logs), logs
    assert (out / "batch-course" / "index.html").is_file()


@pytest.mark.heavy  # a scheduler and a worker: make test-heavy
def test_workers_of_a_cluster_put_clips_in_a_shared_cache(tmp_path, write_weights):
    folder = course(tmp_path / "course", write_weights)
    out = tmp_path / "out"
    with dask_cluster(workers=1) as (address, _, cluster):
        store = cluster / "shared-cache"  # a folder the workers (user nobody) and the client both reach
        store.mkdir()
        os.chmod(store, 0o777)
        arguments = ["--stages", "definition bias", "--batch", str(folder), "--scheduler", address]
        arguments += ["--cache", str(store)]
        result = batch(out, *SILENT, *arguments)
        assert result.returncode == 0, result.stderr
        entries = list((store / "clips").iterdir())
        assert len(entries) == 4 and all(cache.entry_ok(entry) for entry in entries)
        assert all(entry.stat().st_uid != 0 for entry in entries), "made by the workers, not the client"
        assert not (out / ".cache").exists()
        for name in "abc":
            assert cache.sha256(out / name / "low" / "11_bias.mp4") in {
                cache.recorded_sum(entry, "clip.mp4") for entry in entries
            }
        again = batch(out, *SILENT, *arguments)  # from the shared cache: nothing to render, no cluster needed
        assert again.returncode == 0 and again.stdout.count("unchanged") == 4, again.stdout


@pytest.mark.heavy  # a scheduler and a worker: make test-heavy
@pytest.mark.usefixtures("started_in_the_background")
def test_ctrl_c_stops_the_clip_a_worker_of_a_cluster_is_rendering(tmp_path, render_command_line):
    command = render_command_line(tmp_path / "out", *SILENT, quality="medium")
    with dask_cluster(workers=1) as (address, workers, cluster):
        client = subprocess.Popen(
            [*command, "--stages", "training", "--scheduler", address],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for line in client.stdout:
            if line.rstrip().endswith(" rendering"):
                client.send_signal(signal.SIGINT)
                stopped = time.monotonic()
                break
        _, errors = client.communicate(timeout=60)
        # (Dask may warn first: the workers run as nobody, who cannot reach the client's Python build)
        assert client.returncode == 130 and errors.splitlines()[-1].startswith("reluviz: interrupted"), errors
        # the worker drops the clip at its next animation (it asks every few seconds) instead
        # of rendering the whole clip (a minute at 720p) for nobody: its half-made clip goes
        while list(cluster.glob("worker-0/**/reluviz/tmp/*")):
            assert time.monotonic() - stopped < 10, "the worker went on rendering a clip nobody waits for"
            time.sleep(0.2)
        assert not ended(workers[0]), "the worker stays up for the next render"
