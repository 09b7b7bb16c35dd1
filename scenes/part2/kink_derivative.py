"""Stage 13: at the bend ReLU has no single slope; gradient descent needs one, so we define
it (0 or 1: many lines touch the kink), and it does not really matter."""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, FadeIn, FadeOut, Indicate, ValueTracker, VGroup, Write, there_and_back

from reluviz.activations import ReLU, relu
from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.plots import Plot
from reluviz.scenes.framework.widgets import Formula, Maths, Number, place, text_tex, words
from reluviz.words.numbers import shown as num

#: Half-length, in x units, of the lines drawn through the kink.
LINE_HALF = 1.2


class KinkDerivative(StoryScene):
    stage_name = "kink_derivative"

    def construct(self) -> None:
        t = self.theme
        chosen = ReLU()  # the lesson's class: slope 0 at the bend
        bend = chosen.bend_at
        reach = self.inputs.lesson.probe_reach
        left_slope, right_slope = chosen.slopes_beside_bend()
        other = ReLU(derivative_at_zero=right_slope if chosen.derivative_at_zero == left_slope else left_slope)
        self.play(Write(self.title()), run_time=1.0)

        plot = Plot(
            [-reach, reach],
            [0, reach, -reach / 2],
            t,
            width=6.0,
            height=4.6,
            x_name=Maths("x"),
            y_name=Maths(r"\mathrm{ReLU}(x)"),
            x_ticks=4,
            y_ticks=4,
        )
        plot.to_edge(LEFT, buff=1.0).shift(DOWN * 0.35)
        low, high = plot.x_range[:2]
        ramp = plot.curve([low, bend, high], relu([low, bend, high]), t.function)
        with self.beat("bent", "ReLU is bent, not curved: at the bend, 0, the slope jumps."):
            self.play(plot.intro(), FadeIn(ramp), run_time=1.5)

        slope = ValueTracker(left_slope)

        def through_kink() -> tuple[np.ndarray, np.ndarray]:
            xs = np.array([bend - LINE_HALF, bend + LINE_HALF])
            return xs, float(relu(bend)) + slope.get_value() * (xs - bend)

        touching = plot.curve(
            lambda: through_kink()[0], lambda: through_kink()[1], t.highlight, width=4, follows=(slope,)
        )
        readout = Formula(
            [text_tex(self.label("slope")) + " =", Number(left_slope, t.text, style.EQUATION_SIZE, places=2)],
            t.text,
            style.EQUATION_SIZE,
        )
        readout.numbers[0].add_updater(lambda m: m.set_value(slope.get_value()))
        need = words(self.label("needs_slope"), t.muted, style.LABEL_SIZE)
        defined = Formula(
            [
                text_tex(self.label("define") + " ") + r" \frac{d}{dx}\mathrm{ReLU}(",
                bend,
                ") =",
                chosen.derivative_at_zero,
            ],
            t.text,
            style.EQUATION_SIZE,
            number_colors={3: t.function},
        )
        alternative = Formula(
            [text_tex(self.label("or") + " "), other.derivative_at_zero], t.muted, style.EQUATION_SIZE
        )
        matters = words(self.label("rarely_zero"), t.muted, style.LABEL_SIZE)
        column = VGroup(readout, need, defined, alternative, matters).arrange(DOWN, buff=0.45, aligned_edge=LEFT)
        place(column, style.RIGHT_COLUMN)
        with self.beat(
            "touching",
            "Every line through the kink with a slope from {left} to {right} "
            "touches ReLU there without crossing it: no single slope.",
            left=num(left_slope),
            right=num(right_slope),
        ):
            self.play(FadeIn(touching), FadeIn(readout), run_time=0.8)
            self.play(slope.animate.set_value(right_slope), run_time=3.0, rate_func=there_and_back)
            self.play(slope.animate.set_value(right_slope), run_time=1.5)
            self.play(slope.animate.set_value(left_slope), run_time=1.5)
        readout.numbers[0].clear_updaters()
        with self.beat(
            "needed", "But gradient descent, which finds the weights and biases, needs a derivative at every point."
        ):
            self.play(FadeIn(need), run_time=0.8)
            self.wait()
        with self.beat(
            "defined",
            "So we simply define it: the slope at 0 is {chosen} (or {other}).",
            chosen=num(chosen.derivative_at_zero),
            other=num(other.derivative_at_zero),
        ):
            self.play(Write(defined), run_time=1.2)
            self.play(FadeIn(alternative), Indicate(defined.numbers[-1], color=t.function), run_time=1.0)
        with self.beat("matters", "It does not really matter: an input is almost never exactly 0."):
            self.play(FadeIn(matters), FadeOut(touching), run_time=0.8)
            self.hold()
