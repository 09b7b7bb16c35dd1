"""Stage 3: the derivative of ReLU is its slope: 1 for x > 0, 0 for x <= 0, a step function
drawn under the ramp."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, Circle, Create, Dot, FadeIn, FadeOut, Line, ValueTracker, VGroup, Write, linear

from reluviz.activations import ReLU, relu
from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.plots import Plot
from reluviz.scenes.framework.widgets import Formula, Maths, place, text_tex, words
from reluviz.words.numbers import shown as num

#: Half-length of the slope marker drawn along the ramp, in x units.
TANGENT_HALF = 0.6


class Derivative(StoryScene):
    stage_name = "derivative"

    def construct(self) -> None:
        t = self.theme
        layer = ReLU()  # the lesson's class: its derivative at the bend is 0
        reach = self.inputs.lesson.probe_reach
        bend = layer.bend_at
        left_slope, right_slope = layer.slopes_beside_bend()
        at_bend = float(layer.derivative(bend))
        title = self.title()
        self.play(Write(title), run_time=1.0)

        ramp_plot = Plot(
            [-reach, reach],
            [0, reach],
            t,
            width=6.0,
            height=2.5,
            x_name=Maths("x"),
            y_name=Maths(r"\mathrm{ReLU}(x)"),
            x_ticks=4,
            y_ticks=2,
        )
        step_plot = Plot(
            [-reach, reach],
            [left_slope, right_slope],
            t,
            width=6.0,
            height=1.6,
            x_name=Maths("x"),
            y_name=self.label("slope"),
            x_ticks=4,
            y_ticks=1,
        )
        VGroup(ramp_plot, step_plot).arrange(DOWN, buff=0.55).to_edge(LEFT, buff=1.0).shift(DOWN * 0.3)
        low, high = ramp_plot.x_range[:2]
        ramp = ramp_plot.curve([low, bend, high], relu([low, bend, high]), t.function)
        with self.beat("slope", "The derivative of ReLU is its slope: how steeply the ramp rises at each x."):
            self.play(ramp_plot.intro(), Create(ramp), run_time=1.5)
            self.play(step_plot.intro(), run_time=1.0)

        x = ValueTracker(low)

        def slope() -> float:
            return float(layer.derivative(x.get_value()))

        def tangent_points() -> tuple[np.ndarray, np.ndarray]:
            a, b = x.get_value() - TANGENT_HALF, x.get_value() + TANGENT_HALF
            return np.array([a, b]), float(relu(x.get_value())) + slope() * (np.array([a, b]) - x.get_value())

        tangent = ramp_plot.curve(
            lambda: tangent_points()[0], lambda: tangent_points()[1], t.highlight, width=4, follows=(x,)
        )
        marker = ramp_plot.dot(x.get_value, lambda: float(relu(x.get_value())), t.highlight, 0.08, follows=(x,))
        tracer = step_plot.dot(x.get_value, slope, t.highlight, radius=0.08, follows=(x,))
        readout = Formula([text_tex(self.label("slope")) + " =", left_slope], t.text, style.EQUATION_SIZE)
        rule = VGroup(
            Formula(
                [
                    r"\frac{d}{dx}\mathrm{ReLU}(x) =",
                    right_slope,
                    r"\quad " + text_tex(self.label("for") + " ") + " x >",
                    bend,
                ],
                t.text,
                style.EQUATION_SIZE,
            ),
            Formula(
                [
                    r"\frac{d}{dx}\mathrm{ReLU}(x) =",
                    left_slope,
                    r"\quad " + text_tex(self.label("for") + " ") + r" x \le",
                    bend,
                ],
                t.text,
                style.EQUATION_SIZE,
            ),
        ).arrange(DOWN, buff=0.4, aligned_edge=LEFT)
        note = words(self.label("cheap"), t.muted, style.LABEL_SIZE)
        column = VGroup(readout, rule, note).arrange(DOWN, buff=0.7, aligned_edge=LEFT)
        place(column, style.RIGHT_COLUMN)
        slope_number = readout.numbers[0]
        slope_number.add_updater(lambda m: m.set_value(slope()))
        with self.beat(
            "two_slopes",
            "Left of 0 the ramp is flat: slope {left}. Right of 0 it rises one for one: slope {right}.",
            left=num(left_slope),
            right=num(right_slope),
        ):
            self.play(FadeIn(tangent), FadeIn(marker), FadeIn(tracer), FadeIn(readout), run_time=0.8)
            self.play(x.animate.set_value(high), run_time=5.0, rate_func=linear)
        slope_number.clear_updaters()

        flat = Line(step_plot.c2p(low, left_slope), step_plot.c2p(bend, left_slope), color=t.function, stroke_width=6)
        rise = Line(
            step_plot.c2p(bend, right_slope), step_plot.c2p(high, right_slope), color=t.function, stroke_width=6
        )
        open_end = Circle(radius=0.08, color=t.function, stroke_width=4).move_to(step_plot.c2p(bend, right_slope))
        open_end.set_fill(t.background, opacity=1.0)
        closed_end = Dot(step_plot.c2p(bend, at_bend), radius=0.08, color=t.function)
        with self.beat(
            "step", "Together: a step function, 1 for x > 0 and 0 for x <= 0 (at 0 itself, the lesson picks 0)."
        ):
            self.play(FadeOut(tangent), FadeOut(marker), FadeOut(tracer), run_time=0.5)
            self.play(Create(flat), Create(rise), run_time=1.2)
            self.play(FadeIn(open_end), FadeIn(closed_end), Write(rule), run_time=1.2)
        with self.beat("cheap", "It is as cheap as ReLU itself: one comparison per input."):
            self.play(FadeIn(note), run_time=0.8)
            self.hold()
