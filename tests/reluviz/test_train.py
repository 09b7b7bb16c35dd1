"""Training: gradient descent with reluviz's own backward fits the lesson's data."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

from reluviz.data import DEFAULT_DATA, load_dataset
from reluviz.network import trace
from reluviz.train import TrainingSettings, train
from reluviz.weights import load_weights


@pytest.fixture(scope="module")
def trained():
    return train(load_dataset(DEFAULT_DATA))


def test_fit_reaches_the_lesson_shape(trained):
    out = trace(trained.weights, np.array([0.0, 0.5, 1.0])).output
    assert out[1] > 0.8
    assert out[0] < 0.2 and out[2] < 0.2
    assert trained.loss[-1] < trained.loss[0] / 10


def test_deterministic_for_a_seed_and_different_for_another(trained):
    again = train(load_dataset(DEFAULT_DATA))
    assert np.array_equal(again.path, trained.path)
    other = train(load_dataset(DEFAULT_DATA), TrainingSettings(seed=7))
    assert not np.array_equal(other.path[0], trained.path[0])


def test_the_loss_the_run_records_is_the_networks_error(trained):
    data = load_dataset(DEFAULT_DATA)
    for epoch in (0, 10, len(trained.loss) - 1):
        out = trace(trained.weights_at(epoch), data.dosage).output
        assert np.mean((out - data.effectiveness) ** 2) == pytest.approx(trained.loss[epoch], abs=1e-9)


def test_other_dosage_units_train_to_the_same_shape(tmp_path):
    """Dosages in milligrams (0 to 400) fit as well: training rescales, the file holds mg weights."""
    path = tmp_path / "mg.csv"
    path.write_text("dosage,effectiveness\n0,0\n100,0.2\n200,1\n300,0.3\n400,0\n")
    result = train(load_dataset(path))
    out = trace(result.weights, np.array([0.0, 200.0, 400.0])).output
    assert out[1] > 0.8 and out[0] < 0.2 and out[2] < 0.2


def test_command_writes_a_weights_file_that_loads(tmp_path):
    out = tmp_path / "fit.toml"
    result = subprocess.run(
        [sys.executable, "-m", "reluviz", "train", str(DEFAULT_DATA), str(out)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    assert "epoch   3000/3000" in result.stdout and "mean squared error" in result.stdout
    weights = load_weights(out)
    assert weights.data_path == DEFAULT_DATA
    assert trace(weights, 0.5).output > 0.8


def test_command_refuses_a_broken_csv_and_writes_nothing(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("dosage,effect\n0,0\n")
    out = tmp_path / "fit.toml"
    result = subprocess.run(
        [sys.executable, "-m", "reluviz", "train", str(bad), str(out)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert result.stderr.strip() == f"{bad}: missing column 'effectiveness' (header is dosage,effect)"
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]
