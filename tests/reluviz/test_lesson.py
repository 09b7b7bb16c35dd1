from __future__ import annotations

import dataclasses

from reluviz.lesson import load_lesson


def test_probe_reach_is_the_farthest_probe_from_zero_on_either_side():
    lesson = load_lesson()
    assert dataclasses.replace(lesson, probe_inputs=(-3.0, 0.5)).probe_reach == 3.0
    assert dataclasses.replace(lesson, probe_inputs=(-0.25, 0.0, 2.5)).probe_reach == 2.5
