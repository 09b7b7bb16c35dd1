"""Axis ranges and tick steps that come from the values being drawn."""

from __future__ import annotations

import math
from collections.abc import Iterable

#: Tick steps are these times a power of ten: readable numbers on every axis.
NICE_MULTIPLES = (1.0, 2.0, 5.0, 10.0)


def nice_step(span: float, max_ticks: int = 6) -> float:
    """The smallest 1-2-5 step that covers ``span`` in at most ``max_ticks`` intervals."""
    if span <= 0 or not math.isfinite(span):
        return 1.0
    raw = span / max_ticks
    magnitude = 10.0 ** math.floor(math.log10(raw))
    for multiple in NICE_MULTIPLES:
        if multiple * magnitude >= raw * (1 - 1e-9):
            return multiple * magnitude
    return 10.0 * magnitude


def axis_range(values: Iterable[float], max_ticks: int = 6, include_zero: bool = True) -> tuple[float, float, float]:
    """(low, high, step): a range on tick multiples that holds every value (and 0)."""
    values = [float(v) for v in values if math.isfinite(v)]
    if include_zero:
        values.append(0.0)
    low, high = min(values), max(values)
    if high - low < 1e-9:
        low, high = low - 1.0, high + 1.0
    step = nice_step(high - low, max_ticks)
    while True:  # rounding out to whole steps can add an interval: then take the next step up
        start, end = math.floor(low / step + 1e-9) * step, math.ceil(high / step - 1e-9) * step
        if round((end - start) / step) <= max_ticks:
            return (round(start, 10) + 0.0, round(end, 10) + 0.0, step)
        step = nice_step(step * max_ticks * 1.0001, max_ticks)


def tick_values(low: float, high: float, step: float) -> list[float]:
    count = int(round((high - low) / step))
    return [round(low + i * step, 10) + 0.0 for i in range(count + 1)]
