"""Stage 12: the moved wedge goes through the output activation (a value below 0 -> 0, a green dot);
the result, the green pointy thing, fits the data."""

from __future__ import annotations

import numpy as np
from manim import Create, FadeIn, Flash, LaggedStart, ValueTracker, Write

from reluviz.scenes.framework import style
from reluviz.scenes.framework.narration import fit_words, output_shape
from reluviz.scenes.framework.network_stage import NetworkStage
from reluviz.scenes.framework.widgets import Formula, text_tex
from reluviz.words.numbers import shown as num

#: Largest gap between output and data that still counts as fitting (effectiveness 0 to 1).
FIT_TOLERANCE = 0.15


class OutputRelu(NetworkStage):
    stage_name = "output_relu"

    def construct(self) -> None:
        w, t = self.weights, self.theme
        activation = w.network.output_activation
        name = activation.named(self.label)
        shape = output_shape(w, self.bends, self.inside, self.label)
        self.open_stage("output")
        biased, output = self.at_curve.biased, self.at_curve.output
        low = w.dosage_low
        x0, y0 = float(biased[0]), float(output[0])  # at the lowest dosage
        plot = self.dosage_plot([*biased, y0], self.label("value"))  # y0: the first output dot must fit the view too
        blend = ValueTracker(0.0)  # 0: the moved wedge, 1: after the output activation
        green = plot.curve(
            self.curve_x, lambda: biased + blend.get_value() * (output - biased), t.total, follows=(blend,)
        )
        passes_on = activation.piecewise_linear and activation.bend_at is None  # identity: changes nothing
        before = self.label("into_output") if passes_on else self.label("into_output_node", activation=name)
        with self.beat("into_output", "The green line after the bias, on its way into {before}.", before=before):
            self.play(self.aside(), plot.intro(), Create(green), run_time=1.5)
        start_dot = plot.dot(low, y0, t.total, radius=0.11)

        if not passes_on:
            fplot, function, x_dot, y_dot, rule = self.through_activation(activation, biased, x0, t.total)
            with self.beat(
                "first_dot",
                "At dosage {dosage} the line is at {x}: an x-axis coordinate for the output's {function}. "
                "{function}({x}) = {y}, so a green dot at {y}.",
                dosage=num(low),
                x=num(x0),
                function=name,
                y=num(y0),
            ):
                self.play(fplot.intro(), Create(function), run_time=1.0)
                self.play(FadeIn(x_dot, scale=2.0), Write(rule), run_time=1.2)
                self.play(
                    FadeIn(y_dot, scale=2.0),
                    FadeIn(start_dot, scale=2.0),
                    Flash(start_dot, color=t.total),
                    run_time=1.0,
                )
            if np.all(output == 0):
                result = (
                    "all_zero",
                    "Every point goes through {function} the same way: every point is at or below 0, "
                    "so the output is 0 at every dosage.",
                )
            else:
                result = "result", "Every point goes through {function} the same way: the result is the green {shape}."
            with self.beat(*result, function=name, shape=shape):
                self.play(blend.animate.set_value(1.0), *plot.follow([*output]), run_time=2.5)
        else:
            value = Formula(
                [text_tex(self.label("output_at_dosage") + " "), low, "=", y0],
                t.text,
                style.EQUATION_SIZE,
                number_colors={3: t.total},
            )
            self.panel(value)
            with self.beat(
                "no_activation",
                "This network has no activation before its output, so the green {shape} is the output itself: "
                "at dosage {dosage} it is {y}.",
                shape=shape,
                dosage=num(low),
                y=num(y0),
            ):
                self.play(Write(value), FadeIn(start_dot, scale=2.0), run_time=1.2)
                self.wait(1.5)

        if w.data_path is None:
            with self.beat("output", "The green {shape} is what the network outputs for every dosage.", shape=shape):
                self.hold()
            return
        drawn = self.inputs.data
        data = drawn.points
        shown = (data.dosage >= low) & (data.dosage <= w.dosage_high)
        dots = [plot.dot(x, y, t.text, radius=0.1) for x, y in zip(data.dosage[shown], data.effectiveness[shown])]
        beat, words = fit_words(drawn.largest_miss, FIT_TOLERANCE)
        if drawn.rows_outside:
            beat, words = beat + "_outside", words + " ({outside} data points lie outside the dosage range drawn.)"
        with self.beat(beat, words, worst=num(drawn.largest_miss), outside=f"{drawn.rows_outside:,}"):
            if view := plot.follow([*output, *data.effectiveness[shown]]):
                self.play(*view, run_time=0.8)
            if dots:
                self.play(LaggedStart(*(FadeIn(d, scale=1.8) for d in dots), lag_ratio=0.25), run_time=1.2)
            self.hold()
