"""A clip's narration at -16 LUFS integrated with its true peak at most -1 dBTP.

Speech synthesizers peak high for their loudness (Festival's SLT voice: about 16.5 dB
between true peak and integrated loudness), so a plain gain to -16 LUFS would push the
peaks past -1 dBTP. ``normalize`` applies a gain and, when needed, a lookahead limiter
run at four times the sample rate (so it catches the peaks between samples), then
measures the result again and corrects the gain until it lands within 0.2 LU. Silences
between sentences do not count: EBU R128 gates them out.

``measure`` asks ffmpeg's ``ebur128`` filter (with true peak), independently of how the
level was set. ``levels_of`` finds the same numbers for samples in memory, step by step as
that filter does (Debian's ffmpeg 5.1), without starting ffmpeg for a mix about to be levelled.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np

from reluviz.studio.media.ffmpeg import SAMPLE_RATE, said_no_space, tool

TARGET_LUFS = -16.0
MAX_TRUE_PEAK = -1.0
#: The limiter's ceiling, below MAX_TRUE_PEAK to leave room for resampling and AAC encoding.
CEILING_DBTP = -2.0
TOLERANCE_LU = 0.2
OVERSAMPLED = 4 * SAMPLE_RATE
#: What the limiter takes of a narration's loudness, given back in the first pass that limits it:
#: the story's 23 clips lost 0.1 to 0.8 LU (ebur128 prints tenths), 0.2 in the median, and 10 of
#: them needed a second pass, over 192 kHz (0.25 s of CPU for 44 s of speech); aimed 0.2 higher,
#: all but the three that lost 0.5 or more land within TOLERANCE_LU in one.
LIMITER_LOSS_LU = 0.2
#: ebur128 reports -70 LUFS (its absolute gate) for silence.
SILENT_LUFS = -69.0


#: ebur128's K-weighting at 48 kHz (its only rate): a shelving pre-filter, then the RLB high-pass,
#: as (numerator, denominator) coefficients.
K_WEIGHTING = (
    ((1.53512485958697, -2.69169618940638, 1.19839281085285), (1.0, -1.69065929318241, 0.73248077421585)),
    ((1.0, -2.0, 1.0), (1.0, -1.99004745483398, 0.99007225036621)),
)
#: ebur128's gating blocks: 400 ms long, one every 100 ms, at 48 kHz.
BLOCK, BLOCK_STEP = 19_200, 4_800
#: Its histogram of block loudness: bins of 1/HISTOGRAM_GRAIN LU from the absolute gate to +10.
ABSOLUTE_GATE, RELATIVE_GATE, HISTOGRAM_GRAIN = -70, -10, 100
HISTOGRAM_SIZE = (10 - ABSOLUTE_GATE) * HISTOGRAM_GRAIN + 1
#: Its true peak: the largest sample of the signal resampled to four times 48 kHz.
TRUE_PEAK_RATE = 192_000
#: How many samples the filters are given at a time when levels are found in memory.
SLICE = 1 << 16
#: How far over the limiter's ceiling a track's sample peak, once gained, settles that it is
#: limited: its true peak is that high at least (a 4x resampling of speech moves a peak by
#: hundredths of a dB, and ``normalize`` adds the limiter whenever a pass measures a peak over).
PEAK_MARGIN_DB = 1.0


class LoudnessError(RuntimeError):
    pass


@dataclass(frozen=True)
class Loudness:
    integrated_lufs: float
    true_peak_dbtp: float


def _number(pattern: str, text: str) -> float:
    found = re.findall(pattern, text)
    if not found:
        raise LoudnessError(f"ffmpeg's ebur128 printed no {pattern!r}")
    value = found[-1]
    return -math.inf if value.strip().lower() == "-inf" else float(value)


def _summary(result: subprocess.CompletedProcess, what: str) -> Loudness:
    """The levels in the summary ebur128 printed as ffmpeg ended."""
    if result.returncode != 0:
        raise LoudnessError(f"ffmpeg could not {what}: {result.stderr.strip().splitlines()[-1:]}")
    summary = result.stderr[result.stderr.rfind("Summary:") :]
    integrated = _number(r"I:\s+(-?[\d.]+|-inf) LUFS", summary)
    peak = _number(r"Peak:\s+(-?[\d.]+|-inf) dBFS", summary)
    return Loudness(integrated, peak)


def measure(path: Path) -> Loudness:
    """(integrated loudness in LUFS, true peak in dBTP) of an audio file, by ffmpeg's ebur128."""
    result = subprocess.run(
        ["ffmpeg", "-nostdin", "-hide_banner", "-nostats", "-i", str(path)]
        + ["-map", "0:a:0", "-af", "ebur128=peak=true", "-f", "null", "-"],
        capture_output=True,
        text=True,
    )
    return _summary(result, f"measure {path.name}")


def _printed(value: float) -> float:
    """``value`` as ebur128's summary prints it (one decimal) and ``measure`` reads it back."""
    return float(f"{value:.1f}")


def _slices(samples: np.ndarray) -> Iterator:
    """``samples`` (mono floats at 48 kHz) as PyAV frames of at most SLICE samples, in order.
    (PyAV is imported where it is used: the client measures nothing in memory.)"""
    import av

    for start in range(0, len(samples), SLICE):
        frame = av.AudioFrame.from_ndarray(
            np.ascontiguousarray(samples[start : start + SLICE]).reshape(1, -1), format="dbl", layout="mono"
        )
        frame.sample_rate = SAMPLE_RATE
        frame.pts, frame.time_base = start, Fraction(1, SAMPLE_RATE)
        yield frame


def _true_peak(samples: np.ndarray) -> float:
    """The largest magnitude of ``samples`` (mono, 48 kHz) resampled by swresample to
    TRUE_PEAK_RATE with its defaults, as ebur128 resamples them (never drained at the end).
    Fed a slice at a time, as ebur128 is fed frames: the same samples come out (swresample
    keeps its state between calls), and a minute of speech takes 20 MB at most, not 500 MB."""
    import av

    resampler = av.AudioResampler(format="dbl", layout="mono", rate=TRUE_PEAK_RATE)
    peak = 0.0
    for frame in _slices(samples):
        for part in resampler.resample(frame):
            if part.samples:
                peak = max(peak, float(np.abs(part.to_ndarray()).max()))
    return peak


def _k_weighted(samples: np.ndarray) -> np.ndarray:
    """``samples`` through K_WEIGHTING's two filters, by libavfilter's biquad in double precision
    in transposed direct form II: the arithmetic of scipy's ``lfilter``, the same samples bit for
    bit (tests/studio/test_loudness.py), without scipy in every worker (38 MB each)."""
    import av

    graph = av.filter.Graph()
    chain = [graph.add_abuffer(sample_rate=SAMPLE_RATE, format="dbl", layout="mono")]
    for (b0, b1, b2), (a0, a1, a2) in K_WEIGHTING:
        coefficients = f"b0={b0!r}:b1={b1!r}:b2={b2!r}:a0={a0!r}:a1={a1!r}:a2={a2!r}"
        chain.append(graph.add("biquad", f"{coefficients}:precision=f64:transform=tdii"))
    chain.append(graph.add("abuffersink"))
    graph.link_nodes(*chain).configure()
    weighted = np.empty(len(samples))
    filled = 0

    def take() -> None:
        nonlocal filled
        while True:
            try:
                part = graph.pull().to_ndarray().ravel()
            except (av.BlockingIOError, av.EOFError):
                return
            weighted[filled : filled + len(part)] = part
            filled += len(part)

    for frame in _slices(samples):
        graph.push(frame)
        take()
    graph.push(None)
    take()
    return weighted[:filled]


def _integrated(samples: np.ndarray) -> float:
    """The integrated loudness ebur128 finds (unrounded): K-weighted, the power of each 400 ms
    block ending on a 100 ms step, blocks under the absolute gate left out, the rest counted in
    a histogram of 0.01 LU whose bins above the relative gate give the loudness."""
    weighted = _k_weighted(samples)
    # Squared and summed in place: the same sums, without three more copies of the track.
    np.square(weighted, out=weighted)
    summed = np.empty(len(weighted) + 1)
    summed[0] = 0.0
    np.cumsum(weighted, out=summed[1:])
    del weighted
    ends = np.arange(BLOCK, len(samples) + 1, BLOCK_STEP)
    powers = (1e-12 + (summed[ends] - summed[ends - BLOCK])) / BLOCK
    loudness = -0.691 + 10 * np.log10(powers)
    kept = loudness >= ABSOLUTE_GATE
    if not kept.any():
        return float(ABSOLUTE_GATE)  # what it reports when no block passes the gate
    bins = np.clip(((loudness[kept] - ABSOLUTE_GATE) * HISTOGRAM_GRAIN).astype(int), 0, HISTOGRAM_SIZE - 1)
    threshold = -0.691 + 10 * math.log10(float(powers[kept].mean())) + RELATIVE_GATE
    gate = min(max(int((threshold - ABSOLUTE_GATE) * HISTOGRAM_GRAIN), 0), HISTOGRAM_SIZE - 1)
    counts = np.bincount(bins, minlength=HISTOGRAM_SIZE)[gate:]
    if not counts.sum():
        return float(ABSOLUTE_GATE)
    energies = 10 ** ((np.arange(gate, HISTOGRAM_SIZE) / HISTOGRAM_GRAIN + ABSOLUTE_GATE + 0.691) / 10)
    return -0.691 + 10 * math.log10(float((counts * energies).sum() / counts.sum()))


def _decibels(magnitude: float) -> float:
    return _printed(20 * math.log10(magnitude)) if magnitude else -math.inf


def levels_of(samples: np.ndarray) -> Loudness:
    """What ``measure`` says of a mono 48 kHz track of ``samples`` (floats, full scale 1), found
    here as ebur128 finds it."""
    samples = np.asarray(samples, dtype=np.float64)
    return Loudness(_printed(_integrated(samples)), _decibels(_true_peak(samples)))


def levels_to_start_from(
    samples: np.ndarray, target_lufs: float = TARGET_LUFS, ceiling_dbtp: float = CEILING_DBTP
) -> Loudness:
    """The levels ``normalize`` starts from for a track of ``samples``: ``levels_of``, but with
    the sample peak for the true peak where that alone settles every choice the true peak makes
    (not on target, and more than PEAK_MARGIN_DB over the ceiling once gained: it is limited
    either way). Finding the true peak resamples the track to 192 kHz, most of the cost."""
    samples = np.asarray(samples, dtype=np.float64)
    integrated = _printed(_integrated(samples))
    sample_peak = _decibels(float(np.abs(samples).max(initial=0.0)))
    settled = sample_peak + (target_lufs - integrated) > ceiling_dbtp + PEAK_MARGIN_DB
    if integrated > SILENT_LUFS and abs(integrated - target_lufs) > TOLERANCE_LU and settled:
        return Loudness(integrated, sample_peak)
    return Loudness(integrated, _decibels(_true_peak(samples)))


def measure_graph(inputs: list[str], graph: str) -> Loudness:
    """What ``measure`` would say of the sound the filter ``graph`` makes of ``inputs`` (on its
    output pad [joined]), without writing it."""
    result = subprocess.run(
        [tool("ffmpeg"), "-nostdin", "-hide_banner", "-nostats", *inputs]
        + ["-filter_complex", f"{graph};[joined]ebur128=peak=true[measured]", "-map", "[measured]", "-f", "null", "-"],
        capture_output=True,
        text=True,
    )
    return _summary(result, "measure the joined sound")


def write_measured(inputs: list[str], graph: str, sample_format: str, output: list[str]) -> Loudness:
    """Run ffmpeg on ``inputs`` through the filter ``graph`` (its output pad unnamed), writing
    ``output`` (its options and file) in ``sample_format``, and return what ``measure`` would
    say of the file written, measured in the same run on the same samples (starting ffmpeg
    again to read them back costs more than measuring)."""
    measured = "ebur128=peak=true,anullsink"
    written = f"{graph},aformat=sample_fmts={sample_format},asplit[written][measured];[measured]{measured}"
    result = subprocess.run(
        [tool("ffmpeg"), "-nostdin", "-hide_banner", "-nostats", "-y", *inputs]
        + ["-filter_complex", written, "-map", "[written]", *output],
        capture_output=True,
        text=True,
    )
    said_no_space(result, output[-1])
    return _summary(result, f"write {Path(output[-1]).name}")


def gain_filter(gain_db: float, limit: bool, ceiling_dbtp: float = CEILING_DBTP) -> str:
    """ffmpeg's filter chain: ``gain_db`` of gain, then (if ``limit``) a true-peak limiter at
    ``ceiling_dbtp``, ending at 48 kHz. The pipeline can put it in front of its AAC encoder."""
    chain = f"volume={gain_db:.3f}dB"
    if limit:
        ceiling = 10 ** (ceiling_dbtp / 20)
        chain += f",aresample={OVERSAMPLED},alimiter=limit={ceiling:.4f}:attack=2:release=60:level=disabled:latency=1"
    return chain + f",aresample={SAMPLE_RATE}"


#: How a level's track is written: 48 kHz float WAV, the same bytes wherever it is made.
_LEVELLED = ["-ar", str(SAMPLE_RATE), "-c:a", "pcm_f32le", "-bitexact", "-f", "wav"]


def _apply(wav_in: Path, wav_out: Path, chain: str) -> None:
    result = subprocess.run(
        ["ffmpeg", "-nostdin", "-v", "error", "-y", "-i", str(wav_in), "-af", chain, *_LEVELLED, str(wav_out)],
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        raise LoudnessError(f"ffmpeg could not apply {chain}: {result.stderr.strip()}")


def _apply_measured(wav_in: Path, wav_out: Path, chain: str) -> Loudness:
    """``_apply``, returning the levels of what it wrote."""
    return write_measured(["-i", str(wav_in)], f"[0:a]{chain}", "flt", [*_LEVELLED, str(wav_out)])


def kept_as_is(levels: Loudness, target_lufs: float = TARGET_LUFS, tolerance: float = TOLERANCE_LU) -> bool:
    """Whether a track measured ``levels`` is left as it is: silent (nothing above ebur128's
    gate), or within ``tolerance`` of the target with its peaks under ``MAX_TRUE_PEAK``."""
    on_target = abs(levels.integrated_lufs - target_lufs) <= tolerance and levels.true_peak_dbtp <= MAX_TRUE_PEAK
    return levels.integrated_lufs <= SILENT_LUFS or on_target


def normalize(
    wav_in: Path,
    wav_out: Path,
    target_lufs: float = TARGET_LUFS,
    ceiling_dbtp: float = CEILING_DBTP,
    tolerance: float = TOLERANCE_LU,
    levels: Loudness | None = None,
) -> str:
    """Write ``wav_in`` at ``target_lufs`` integrated with true peak <= ``ceiling_dbtp`` to
    ``wav_out`` (48 kHz float WAV, written atomically); returns the filter chain it used.

    Silence (nothing above ebur128's gate), and a track already within ``tolerance`` of the
    target with its peaks under ``MAX_TRUE_PEAK``, is copied unchanged. ``levels``: what
    ``measure`` says of ``wav_in``, if known.
    """
    wav_in, wav_out = Path(wav_in), Path(wav_out)
    start = levels or measure(wav_in)
    fd, name = tempfile.mkstemp(prefix=f".{wav_out.stem}.", suffix=".tmp.wav", dir=wav_out.parent)
    os.close(fd)
    partial = Path(name)
    try:
        if kept_as_is(start, target_lufs, tolerance):
            chain = "anull"
            _apply(wav_in, partial, chain)
        else:
            gain = target_lufs - start.integrated_lufs
            limit = start.true_peak_dbtp + gain > ceiling_dbtp
            if limit:
                gain += LIMITER_LOSS_LU
            for _ in range(6):
                chain = gain_filter(gain, limit, ceiling_dbtp)
                now = _apply_measured(wav_in, partial, chain)
                if abs(now.integrated_lufs - target_lufs) <= tolerance and now.true_peak_dbtp <= MAX_TRUE_PEAK:
                    break
                gain += target_lufs - now.integrated_lufs  # the limiter took some loudness: give it back
                limit = limit or now.true_peak_dbtp > ceiling_dbtp
            else:
                raise LoudnessError(
                    f"{wav_in.name}: reached {now.integrated_lufs:.1f} LUFS, {now.true_peak_dbtp:.1f} dBTP, "
                    f"not {target_lufs} LUFS with peaks under {MAX_TRUE_PEAK} dBTP"
                )
        os.replace(partial, wav_out)
    finally:
        partial.unlink(missing_ok=True)
    return chain
