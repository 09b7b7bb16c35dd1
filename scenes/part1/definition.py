"""Stage 1: ReLU(x) = max(0, x). The ramp; a negative input lands on 0, a positive one
passes unchanged; the range is 0 to infinity; two straight pieces."""

from __future__ import annotations

from manim import (
    DOWN,
    LEFT,
    RIGHT,
    UP,
    Create,
    DashedLine,
    Dot,
    FadeIn,
    FadeOut,
    Indicate,
    Line,
    SurroundingRectangle,
    Write,
)

from reluviz.activations import relu
from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.plots import Plot
from reluviz.scenes.framework.widgets import Formula, Maths, Number, stack, text_tex, words
from reluviz.words.numbers import shown as num


class Definition(StoryScene):
    stage_name = "definition"

    def construct(self) -> None:
        t = self.theme
        probes = sorted(self.inputs.lesson.probe_inputs)
        reach = self.inputs.lesson.probe_reach

        title = self.title()
        rule = Formula([r"\mathrm{ReLU}(x) = \max(0,\, x)"], t.text, style.EQUATION_SIZE)
        rule.next_to(title, DOWN, buff=0.45).to_edge(RIGHT, buff=1.2)
        with self.beat("rule", "ReLU(x) is the larger of 0 and x."):
            self.play(Write(title), Write(rule), run_time=1.5)
            self.wait()

        plot = (
            Plot(
                [-1.3 * reach, 1.3 * reach],
                [0, 1.3 * reach, -reach / 4],
                t,
                width=6.4,
                height=5.0,
                x_name=Maths("x"),
                y_name=Maths(r"\mathrm{ReLU}(x)"),
                x_ticks=6,
            )
            .to_edge(LEFT, buff=1.0)
            .shift(DOWN * 0.4)
        )
        low, high = plot.x_range[0], plot.x_range[1]
        ramp = plot.curve([low, 0.0, high], relu([low, 0.0, high]), t.function)
        with self.beat("ramp", "Drawn for every x it is a ramp: flat at 0, then rising."):
            self.play(plot.intro(), run_time=1.2)
            self.play(Create(ramp), run_time=1.8)

        results = []
        for x in probes:
            y = float(relu(x))
            colour = t.clipped if x < 0 else t.highlight
            fate = self.label("lands_on_zero" if x < 0 else "passes_unchanged")
            with self.beat("probe", "The input {x} {fate}: max(0, {x}) = {y}.", x=num(x), fate=fate, y=num(y)):
                dot = Dot(plot.c2p(x, 0.0), radius=0.09, color=colour)
                given = Number(x, colour, style.LABEL_SIZE).next_to(dot, UP + LEFT, buff=0.08)
                formula = Formula(
                    [r"\max(0,\,", x, r")", "=", y], t.text, style.EQUATION_SIZE, number_colors={1: colour, 4: colour}
                )
                results.append(formula)
                column = stack(*results, buff=0.5).next_to(rule, DOWN, buff=0.6).align_to(rule, LEFT)
                self.play(FadeIn(dot, scale=1.5), FadeIn(given), run_time=0.7)
                on_curve, on_axis = plot.c2p(x, y), plot.c2p(0.0, y)
                if y > 0:
                    self.play(
                        Create(DashedLine(dot.get_center(), on_curve, color=t.muted)),
                        dot.animate.move_to(on_curve),
                        run_time=1.0,
                    )
                else:
                    self.play(Indicate(dot, color=colour, scale_factor=1.6), run_time=0.8)
                answer = Number(y, colour, style.LABEL_SIZE)
                answer.next_to(on_axis, (UP + RIGHT) if y > 0 else (DOWN + RIGHT), buff=0.12)
                self.play(
                    Create(DashedLine(on_curve, on_axis, color=t.muted)),
                    dot.animate.move_to(on_axis),
                    FadeIn(answer),
                    run_time=1.0,
                )
                self.play(FadeIn(formula.move_to(column[-1]), shift=LEFT * 0.2), run_time=0.7)
                self.wait()
                self.play(FadeOut(given), FadeOut(answer), run_time=0.4)

        positive_axis = Line(plot.c2p(0, 0), plot.c2p(0, plot.y_range[1]), color=t.function, stroke_width=8)
        range_label = Formula([text_tex(self.label("range") + " ") + r"[0,\, \infty)"], t.function, style.BODY_SIZE)
        range_label.next_to(plot.c2p(0, 0.8 * plot.y_range[1]), LEFT, buff=0.3)  # high up the y-axis it names
        with self.beat("range", "Outputs are never negative: the range is 0 to infinity."):
            self.play(Create(positive_axis), Write(range_label), run_time=1.2)
            self.wait()

        flat = Line(plot.c2p(low, 0), plot.c2p(0, 0), color=t.function, stroke_width=10)
        rising = Line(plot.c2p(0, 0), plot.c2p(high, relu(high)), color=t.function, stroke_width=10)
        with self.beat("pieces", "Two straight pieces meet at 0: ReLU is piecewise linear."):
            self.play(Indicate(flat, color=t.highlight), run_time=1.0)
            self.play(Indicate(rising, color=t.highlight), run_time=1.0)

        summary = stack(
            Formula([r"\mathrm{ReLU}(x) = \max(0,\, x)"], t.text, style.LABEL_SIZE),
            words(self.label("range_in_words"), t.text, style.LABEL_SIZE),
            words(self.label("piecewise"), t.text, style.LABEL_SIZE),
            buff=0.2,
        )
        summary.to_corner(DOWN + RIGHT, buff=style.MARGIN + 0.5)
        box = SurroundingRectangle(summary, color=t.muted, buff=0.25, corner_radius=0.1)
        with self.beat("summary", "ReLU: max(0, x), outputs from 0 to infinity, a ramp made of two straight pieces."):
            self.play(FadeIn(box), FadeIn(summary), run_time=0.8)
            self.hold()
