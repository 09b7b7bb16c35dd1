"""What Part II's stages share: the network diagram top left with the path being
followed in full colour, a dosage plot on the right, and a panel for equations."""

from __future__ import annotations

from typing import Callable, Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, FadeIn, Mobject, ValueTracker, VGroup, Write, config

from reluviz.network import NetworkTrace, bends, curve_dosages, trace

from scenes import style
from scenes.base import StoryScene
from scenes.diagram import NetworkDiagram
from scenes.plots import Plot

#: Regions of the frame, as (left, right, bottom, top) in scene units.
DIAGRAM_REGION = (-6.75, -0.6, -0.2, 3.05)
PANEL_REGION = (-6.75, -0.6, -3.7, -0.5)
PLOT_REGION = (0.0, 6.75, -3.7, 3.05)


def place(mob: Mobject, region: tuple[float, float, float, float], align: np.ndarray = np.zeros(3)) -> Mobject:
    """Centre ``mob`` in a region (or align it to an edge: LEFT, UP...), shrinking it to fit if needed."""
    left, right, bottom, top = region
    if mob.width > right - left or mob.height > top - bottom:
        mob.scale(min((right - left) / mob.width, (top - bottom) / mob.height))
    centre = np.array([(left + right) / 2, (bottom + top) / 2, 0.0])
    mob.move_to(centre)
    if align[0]:
        mob.shift(RIGHT * ((left if align[0] < 0 else right) - mob.get_edge_center(RIGHT * align[0])[0]))
    if align[1]:
        mob.shift(UP * ((bottom if align[1] < 0 else top) - mob.get_edge_center(UP * align[1])[1]))
    return mob


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
        plot = Plot([low, high], y_values, self.theme, width=(right - left) - 2.2, height=(top - bottom) - 1.4,
                    x_name="dosage", y_name=y_name)
        place(plot, region)
        return plot

    def grow_then_follow(self, plot: Plot, tracker: ValueTracker, target: float,
                         values_at: Callable[[float], np.ndarray], run_time: float = 3.0) -> None:
        """Animate ``tracker`` to ``target``. If the values leave the view, they first run to the
        frame's edge (off the plot, as in the story), then the view follows them out."""
        start = tracker.get_value()
        frame_low = plot.p2c(np.array([0.0, -config.frame_height / 2 + style.MARGIN, 0.0]))[1]
        frame_high = plot.p2c(np.array([0.0, config.frame_height / 2 - style.MARGIN, 0.0]))[1]
        final = values_at(target)
        if plot.fits(final):
            self.play(tracker.animate.set_value(target), *plot.follow(np.append(final, values_at(start))),
                      run_time=run_time)
            return
        # values move linearly with the tracker: find where the first one reaches the frame's edge
        begin, end = values_at(start), final
        reach = 1.0
        for b, e in zip(begin, end):
            for edge in (frame_low, frame_high):
                if e != b and (b - edge) * (e - edge) < 0:
                    reach = min(reach, (edge - b) / (e - b))
        edge_value = start + reach * (target - start)
        self.play(tracker.animate.set_value(edge_value), run_time=run_time * 0.5)
        self.play(tracker.animate.set_value(target), *plot.follow(final), run_time=run_time * 0.5)

    def panel(self, *lines: Mobject, buff: float = 0.35) -> VGroup:
        group = VGroup(*lines).arrange(DOWN, buff=buff, aligned_edge=LEFT)
        place(group, PANEL_REGION)
        return group
