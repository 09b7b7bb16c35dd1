"""What Part II's stages share: the network diagram top left with the path being
followed in full colour, a dosage plot on the right, and a panel for equations."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import DOWN, LEFT, FadeIn, Mobject, ValueTracker, VGroup, Write, config

from reluviz.activations import make_activation
from reluviz.network import NetworkTrace, bends, curve_dosages, trace
from reluviz.scenes import style
from reluviz.scenes.base import StoryScene
from reluviz.scenes.diagram import NetworkDiagram
from reluviz.scenes.narration import activation_name
from reluviz.scenes.plots import Curve, Plot
from reluviz.scenes.widgets import Formula, place
from reluviz.ticks import axis_range

#: Regions of the frame, as (left, right, bottom, top) in scene units.
DIAGRAM_REGION = (-6.75, -0.6, -0.2, 3.05)
PANEL_REGION = (-6.75, -0.6, -3.7, -0.5)
PLOT_REGION = (0.0, 6.75, -3.7, 3.05)


class NetworkStage(StoryScene):
    """Base of the Part II scenes. ``self.curve_x`` are dosages that hit every corner exactly."""

    def setup(self) -> None:
        super().setup()
        w = self.inputs.weights
        self.weights = w
        self.curve_x = curve_dosages(w)
        self.at_curve: NetworkTrace = trace(w, self.curve_x)
        self.bends = bends(w)

    def at(self, dosage: float | np.ndarray) -> NetworkTrace:
        return trace(self.weights, dosage)

    def up_to(self, dosage: float) -> np.ndarray:
        """The curve's dosages up to ``dosage``, corners included: a line drawn as a dosage sweeps."""
        return np.append(self.curve_x[self.curve_x < dosage], dosage)

    def swept_curve(
        self, plot: Plot, dosage: ValueTracker, stage: Callable[[NetworkTrace], np.ndarray], color: str
    ) -> Curve:
        """One stage's line, drawn up to the dosage ``dosage`` has reached."""
        return plot.curve(
            lambda: self.up_to(dosage.get_value()),
            lambda: stage(self.at(self.up_to(dosage.get_value()))),
            color,
            follows=(dosage,),
        )

    def inside(self, dosage: float | None) -> float | None:
        """``dosage`` if it lies strictly inside the dosage range (a bend worth pointing at), else None."""
        low, high = self.weights.dosage_range
        return dosage if dosage is not None and low < dosage < high else None

    def open_stage(self, *focus: str) -> NetworkDiagram:
        """Title and diagram on screen, the ``focus`` paths ("top", "bottom", "output") in full colour."""
        title = self.title()
        diagram = NetworkDiagram(self.weights, self.theme, width=5.0, height=2.6, font_size=style.SMALL_SIZE)
        place(diagram, DIAGRAM_REGION)
        if focus:
            diagram.emphasize(*focus)
        self.play(Write(title), FadeIn(diagram), run_time=1.0)
        return diagram

    def dosage_plot(self, y_values: Sequence[float], y_name: str, region=PLOT_REGION) -> Plot:
        low, high = self.weights.dosage_range
        left, right, bottom, top = region
        plot = Plot(
            [low, high],
            y_values,
            self.theme,
            width=(right - left) - 2.2,
            height=(top - bottom) - 1.4,
            x_name="dosage",
            y_name=y_name,
        )
        place(plot, region)
        return plot

    def grow_then_follow(
        self,
        plot: Plot,
        tracker: ValueTracker,
        target: float,
        values_at: Callable[[float], np.ndarray],
        run_time: float = 3.0,
        **play_kwargs,
    ) -> None:
        """Animate ``tracker`` to ``target``. If the values drawn leave the view, they first run
        on to the frame's edge (off the plot, as in the story), then the view follows them."""
        start = tracker.get_value()
        final = values_at(target)
        if plot.fits(final):
            self.play(
                tracker.animate.set_value(target),
                *plot.follow(np.append(final, values_at(start))),
                run_time=run_time,
                **play_kwargs,
            )
            return
        frame_low = plot.p2c(np.array([0.0, -config.frame_height / 2 + style.MARGIN, 0.0]))[1]
        frame_high = plot.p2c(np.array([0.0, config.frame_height / 2 - style.MARGIN, 0.0]))[1]
        steps = np.linspace(start, target, 241)
        on_screen = [bool(np.all((frame_low <= values_at(v)) & (values_at(v) <= frame_high))) for v in steps]
        leaving = on_screen.index(False) if False in on_screen else len(steps)
        edge = steps[max(leaving - 1, 0)]
        share = (edge - start) / (target - start)
        if share > 0.05:
            self.play(tracker.animate.set_value(edge), run_time=run_time * max(share, 0.35), **play_kwargs)
        self.play(
            tracker.animate.set_value(target),
            *plot.follow(final),
            run_time=run_time * max(1 - share, 0.5),
            **play_kwargs,
        )

    def follow(self, plot: Plot, values: Sequence[float], run_time: float = 1.0) -> None:
        """Move the view so ``values`` fit, if it is not there already."""
        animations = plot.follow(values)
        if animations:
            self.play(*animations, run_time=run_time)

    def panel(self, *lines: Mobject, buff: float = 0.35) -> VGroup:
        group = VGroup(*lines).arrange(DOWN, buff=buff, aligned_edge=LEFT)
        place(group, PANEL_REGION)
        return group


def product_plus_bias(
    dosage: float, weight: float, bias: float, result: float | None, color: str, text: str
) -> Formula:
    """(dosage x weight) + bias [= result], with a negative bias in brackets."""
    parts: list = ["(", dosage, r"\times", weight, ")", "+"]
    parts += ["(", bias, ")"] if bias < 0 else [bias]
    if result is not None:
        parts += ["=", result]
    colours = {i: color for i, p in enumerate(parts) if isinstance(p, float) and p in (weight, bias, result)}
    return Formula(parts, text, style.EQUATION_SIZE, number_colors=colours)


def activation_plot(
    scene: NetworkStage,
    pre_activations: np.ndarray,
    activation: str,
    x_name: str,
    width: float = 4.4,
    height: float = 3.6,
) -> tuple:
    """The activation function over the inputs the dosage range produces (and 0), drawn exactly."""
    f = make_activation(activation)
    low, high, _ = axis_range([*pre_activations, 0.0], 5)
    xs = np.array([low, 0.0, high]) if f.piecewise_linear else np.linspace(low, high, 121)
    plot = Plot(
        [low, high],
        [*f(xs), 0.0],
        scene.theme,
        width=width,
        height=height,
        x_name=x_name,
        y_name=f"{activation_name(activation)}(x)",
        x_ticks=5,
        y_ticks=4,
    )
    return plot, xs, f(xs)
