"""Narration at -16 LUFS integrated, true peak at most -1 dBTP: set by studio.loudness,
checked by ffmpeg's ebur128 and, independently, by pyloudnorm and a 4x oversampled peak."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pyloudnorm
import pytest
from scipy.io import wavfile
from scipy.signal import resample_poly

from reluviz.studio.media.festival import Festival
from reluviz.studio.media.loudness import MAX_TRUE_PEAK, TARGET_LUFS, measure, normalize, write_measured
from reluviz.words.spoken import spoken

SENTENCES = [
    "The input -1.5 lands on 0: max(0, -1.5) = 0.",
    "Into the output: the top node's result times -40.8, the bottom's times 2.7, added together with the bias -16.",
]


def ffmpeg(*args: str) -> None:
    subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-y", *args], check=True)


def read(path: Path) -> tuple[int, np.ndarray]:
    rate, data = wavfile.read(path)
    if data.dtype == np.int16:
        data = data / 32768.0
    return rate, data.astype(np.float64)


def pyloudnorm_lufs(path: Path) -> float:
    rate, data = read(path)
    return pyloudnorm.Meter(rate).integrated_loudness(data)


def oversampled_peak_db(path: Path) -> float:
    """True peak the BS.1770 way: the largest sample after 4x oversampling."""
    _, data = read(path)
    return 20 * np.log10(np.abs(resample_poly(data, 4, 1)).max())


@pytest.fixture(scope="module")
def narration(tmp_path_factory) -> Path:
    """A 20 s narration track like a clip's: two Festival sentences among long silences."""
    work = tmp_path_factory.mktemp("narration")
    takes = [Festival().say(spoken(s), work / "cache").path for s in SENTENCES]
    gaps = [f"anullsrc=r=48000:cl=mono:d={d}" for d in (2.0, 3.5, 4.0)]
    track = work / "track.wav"
    ffmpeg(
        "-f", "lavfi", "-i", gaps[0], "-i", str(takes[0]), "-f", "lavfi", "-i", gaps[1],
        "-i", str(takes[1]), "-f", "lavfi", "-i", gaps[2],
        "-filter_complex", "[0][1][2][3][4]concat=n=5:v=0:a=1", "-c:a", "pcm_s16le", str(track),
    )  # fmt: skip
    return track


def test_a_sine_of_known_level_measures_as_bs1770_says(tmp_path):
    sine = tmp_path / "sine.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=f=997:r=48000:d=5", "-af", "volume=-20dB", "-c:a", "pcm_f32le", str(sine))
    level = measure(sine)
    # BS.1770: a sine near 1 kHz in one channel measures 3.01 dB below its peak level.
    peak = oversampled_peak_db(sine)
    assert level.true_peak_dbtp == pytest.approx(peak, abs=0.2)
    assert level.integrated_lufs == pytest.approx(peak - 3.01, abs=0.2)
    assert level.integrated_lufs == pytest.approx(pyloudnorm_lufs(sine), abs=0.2)


def test_festival_narration_with_silences_reaches_minus_16_lufs_and_peaks_under_minus_1(narration, tmp_path):
    before = measure(narration)
    assert before.integrated_lufs < TARGET_LUFS - 3  # Festival is quieter: the test really moves it
    out = tmp_path / "normalized.wav"
    chain = normalize(narration, out)
    after = measure(out)
    print(f"\nbefore {before}, after {after}, pyloudnorm {pyloudnorm_lufs(out):.2f} LUFS, chain {chain}")
    assert after.integrated_lufs == pytest.approx(TARGET_LUFS, abs=0.3)
    assert after.true_peak_dbtp <= MAX_TRUE_PEAK
    # An independent meter agrees, and so does an independent true peak.
    assert pyloudnorm_lufs(out) == pytest.approx(TARGET_LUFS, abs=0.5)
    assert oversampled_peak_db(out) <= MAX_TRUE_PEAK
    # Same length, same silences: only the level changed.
    rate, data = read(out)
    _, original = read(narration)
    assert rate == 48000 and abs(len(data) - len(original)) <= 48
    assert np.abs(data[: rate * 2 - 480]).max() < 1e-3


def test_the_normalized_narration_still_meets_the_bar_as_aac_in_mp4(narration, tmp_path):
    wav, mp4 = tmp_path / "normalized.wav", tmp_path / "clip.mp4"
    normalize(narration, wav)
    ffmpeg("-i", str(wav), "-c:a", "aac", "-b:a", "128k", "-ar", "48000", str(mp4))
    level = measure(mp4)
    print(f"\nAAC: {level}")
    assert level.integrated_lufs == pytest.approx(TARGET_LUFS, abs=1.0)
    assert level.true_peak_dbtp <= MAX_TRUE_PEAK


def test_a_quiet_track_with_headroom_only_gets_gain(tmp_path):
    quiet, out = tmp_path / "quiet.wav", tmp_path / "out.wav"
    ffmpeg("-f", "lavfi", "-i", "sine=f=440:r=48000:d=4", "-af", "volume=-30dB", str(quiet))
    chain = normalize(quiet, out)
    assert "alimiter" not in chain
    assert measure(out).integrated_lufs == pytest.approx(TARGET_LUFS, abs=0.3)


def test_silence_is_left_silent(tmp_path):
    silent, out = tmp_path / "silent.wav", tmp_path / "out.wav"
    ffmpeg("-f", "lavfi", "-i", "anullsrc=r=48000:cl=mono:d=3", str(silent))
    assert normalize(silent, out) == "anull"
    assert np.abs(read(out)[1]).max() == 0
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


def test_a_track_already_on_target_is_copied_unchanged(narration, tmp_path):
    levelled, again = tmp_path / "levelled.wav", tmp_path / "again.wav"
    normalize(narration, levelled)  # the film's case: clips already levelled, joined
    assert normalize(levelled, again) == "anull"
    assert np.array_equal(read(again)[1], read(levelled)[1])


def test_levels_measured_while_writing_are_those_of_the_file_written(narration, tmp_path):
    written = tmp_path / "written.wav"
    graph = "[0:a]volume=6dB"  # any chain: louder, so the numbers are not the input's
    levels = write_measured(["-i", str(narration)], graph, "s16", [str(written)])
    assert levels == measure(written)
    assert levels.integrated_lufs == pytest.approx(measure(narration).integrated_lufs + 6, abs=0.2)
    assert read(written)[1].shape == read(narration)[1].shape


def test_normalize_told_the_levels_writes_what_measuring_first_writes(narration, tmp_path):
    told, measured_first = tmp_path / "told.wav", tmp_path / "measured.wav"
    normalize(narration, measured_first)
    normalize(narration, told, levels=measure(narration))
    assert told.read_bytes() == measured_first.read_bytes()


def test_levels_found_in_memory_are_what_ebur128_prints(narration, tmp_path):
    """``levels_of`` against ffmpeg's own ebur128 on the same samples: speech among silences at
    gains around the levelling's (the numbers land on different sides of ebur128's rounding), a
    tone, a track shorter than one gating block, silence."""
    from reluviz.studio.media.loudness import levels_of

    _, speech = read(narration)
    t = np.arange(48000 * 3) / 48000
    tracks = {f"speech{gain:+.2f}dB": speech * 10 ** (gain / 20) for gain in (-6.0, 0.0, 3.37, 7.41, 8.06, 9.55)}
    tracks |= {
        "tone": 0.25 * np.sin(2 * np.pi * 997 * t) * (1 + 0.5 * np.sin(2 * np.pi * 3 * t)) / 1.5,
        "short": speech[48000 * 2 : 48000 * 2 + 12_000],
        "silence": np.zeros(48000 * 2),
    }
    for name, samples in tracks.items():
        path = tmp_path / f"{name}.wav"
        quantized = np.clip(np.round(samples * 32768), -32768, 32767).astype(np.int16)
        wavfile.write(path, 48000, quantized)
        assert levels_of(quantized / 32768) == measure(path), name


def test_levels_to_start_from_level_a_track_as_its_measure_does(narration, tmp_path, monkeypatch):
    """Where the sample peak settles the limiter (festival's speech, gained to -16 LUFS), the
    true peak is not resampled for, and the track is levelled byte for byte as from
    ``measure``; a track on target gets its exact true peak (whether it is kept depends on it)."""
    from reluviz.studio.media import loudness

    _, speech = read(narration)
    resampled = []
    true_peak = loudness._true_peak
    monkeypatch.setattr(loudness, "_true_peak", lambda samples: resampled.append(1) or true_peak(samples))
    start, exact = loudness.levels_to_start_from(speech), measure(narration)
    assert resampled == [] and start.integrated_lufs == exact.integrated_lufs
    assert start.true_peak_dbtp <= exact.true_peak_dbtp + 0.1  # the sample peak
    from_start, from_measure = tmp_path / "start.wav", tmp_path / "measure.wav"
    normalize(narration, from_start, levels=start)
    normalize(narration, from_measure, levels=exact)
    assert from_start.read_bytes() == from_measure.read_bytes()
    _, levelled = read(from_measure)
    assert loudness.levels_to_start_from(levelled) == measure(from_measure) and resampled == [1]


def test_a_minute_of_sound_is_measured_in_memory_without_copying_it_many_times():
    """A worker measures each clip's narration beside the clip's drawing: the whole track resampled
    at once to 192 kHz took 528 MB more for a minute (a 1080p worker runs in about 400), and made
    the bench's peak for the process tree a matter of when its sampling fell. Measured in a fresh
    process: what finding the levels of a minute of noise adds to its highest resident memory."""
    script = """
import resource, sys
import numpy as np
import av, scipy.signal
from reluviz.studio.media.loudness import levels_of
noise = np.random.default_rng(7).standard_normal(60 * 48000) * 0.1
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
levels_of(noise)
print((resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024)
"""
    added_mib = float(subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout)
    assert added_mib < 100  # the track itself is 22 MiB of float64


def test_k_weighting_is_scipys_lfilter_bit_for_bit():
    """The K-weighting by libavfilter's biquad (f64, transposed direct form II) against scipy's
    ``lfilter`` on the same coefficients: noise, speech-like bursts, a step, shorter than one
    slice, one sample, exactly a slice and one more."""
    from scipy.signal import lfilter

    from reluviz.studio.media import loudness

    rng = np.random.default_rng(11)
    bursts = rng.standard_normal(200_000) * (np.sin(np.arange(200_000) / 4000) > 0.3)
    tracks = [
        rng.standard_normal(48000 * 7) * 0.2,
        bursts * 0.5,
        np.r_[np.zeros(30_000), np.ones(50_000) * 0.7],
        rng.standard_normal(1000),
        np.array([0.5]),
        rng.standard_normal(loudness.SLICE),
        rng.standard_normal(loudness.SLICE + 1),
    ]
    for samples in tracks:
        expected = samples
        for numerator, denominator in loudness.K_WEIGHTING:
            expected = lfilter(numerator, denominator, expected)
        assert np.array_equal(loudness._k_weighted(samples), expected), len(samples)


def test_levels_are_found_in_a_worker_without_scipy():
    """scipy.signal alone adds 38 MB to a process, in each worker: the worker's measuring does
    without it."""
    script = (
        "import sys, numpy as np\n"
        "from reluviz.studio.media.loudness import levels_of\n"
        "levels_of(np.random.default_rng(3).standard_normal(48000 * 5) * 0.1)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'scipy'))\n"
    )
    found = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert found.strip() == "[]"


def test_a_narration_the_limiter_takes_loudness_from_lands_in_one_pass(narration, tmp_path, monkeypatch):
    """The limiter takes some of a narration's loudness: the first pass gives it back ahead
    (``LIMITER_LOSS_LU``), and the track lands on target in one run over 192 kHz, not two."""
    from reluviz.studio.media import loudness

    passes = []
    apply_measured = loudness._apply_measured
    monkeypatch.setattr(loudness, "_apply_measured", lambda *args: passes.append(args[2]) or apply_measured(*args))
    out = tmp_path / "levelled.wav"
    chain = normalize(narration, out)
    assert "alimiter" in chain and len(passes) == 1, passes
    levels = measure(out)
    assert abs(levels.integrated_lufs - TARGET_LUFS) <= loudness.TOLERANCE_LU and levels.true_peak_dbtp <= MAX_TRUE_PEAK
