"""Axes whose ranges come from the values being drawn, and curves drawn on them."""

from __future__ import annotations

import math
from typing import Sequence

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Axes, Dot, VGroup, VMobject

from reluviz.ticks import axis_range, tick_values

from scenes import style
from scenes.style import Theme
from scenes.widgets import TickLabel, words


def _tick_decimals(step: float) -> int:
    return max(0, -math.floor(math.log10(step) + 1e-9))


class Plot(VGroup):
    """Axes sized in scene units, with tick labels and axis names.

    ``x_values``/``y_values`` are the values that must fit; the ranges are the nearest
    tick multiples around them (and 0).
    """

    def __init__(
        self,
        x_values: Sequence[float],
        y_values: Sequence[float],
        theme: Theme,
        width: float = 6.0,
        height: float = 4.5,
        x_name: str = "",
        y_name: str = "",
        x_ticks: int = 5,
        y_ticks: int = 5,
    ) -> None:
        super().__init__()
        self.theme = theme
        self.x_range = axis_range(x_values, x_ticks)
        self.y_range = axis_range(y_values, y_ticks)
        self.axes = Axes(
            x_range=list(self.x_range),
            y_range=list(self.y_range),
            x_length=width,
            y_length=height,
            tips=False,
            axis_config={"color": theme.muted, "stroke_width": style.AXIS_WIDTH, "tick_size": 0.06},
        )
        self.tick_labels = VGroup()
        origin_x, origin_y = self._crossing()
        x_step, y_step = self.x_range[2], self.y_range[2]
        for x in tick_values(*self.x_range):
            if x == origin_x and self.y_range[0] < origin_y:
                continue  # the y-axis runs through here; the y labels carry this value
            label = TickLabel(x, num_decimal_places=_tick_decimals(x_step), font_size=style.TICK_SIZE, color=theme.muted)
            self.tick_labels.add(label.next_to(self.axes.c2p(x, origin_y), DOWN, buff=0.15))
        for y in tick_values(*self.y_range):
            if y == origin_y and self.x_range[0] == origin_x:
                continue  # the x-axis labels this corner
            label = TickLabel(y, num_decimal_places=_tick_decimals(y_step), font_size=style.TICK_SIZE, color=theme.muted)
            self.tick_labels.add(label.next_to(self.axes.c2p(origin_x, y), LEFT, buff=0.15))
        self.names = VGroup()
        if x_name:
            self.x_name = words(x_name, theme.muted, style.LABEL_SIZE)
            self.names.add(self.x_name.next_to(self.axes.c2p(self.x_range[1], origin_y), RIGHT, buff=0.25))
        if y_name:
            self.y_name = words(y_name, theme.muted, style.LABEL_SIZE)
            self.names.add(self.y_name.next_to(self.axes.c2p(origin_x, self.y_range[1]), UP, buff=0.25))
        self.add(self.axes, self.tick_labels, self.names)

    def _crossing(self) -> tuple[float, float]:
        """Where the axes cross: 0 when 0 is in range, else the range end nearest 0."""

        def clamp(value: float, low: float, high: float) -> float:
            return min(max(value, low), high)

        return clamp(0.0, *self.x_range[:2]), clamp(0.0, *self.y_range[:2])

    def c2p(self, x: float, y: float) -> np.ndarray:
        return self.axes.c2p(x, y)

    def curve(self, xs: Sequence[float], ys: Sequence[float], color: str, smooth: bool = False,
              width: float = style.CURVE_WIDTH) -> VMobject:
        """A line through (x, y) points: straight between them, or smoothed for a smooth function."""
        points = [self.c2p(x, y) for x, y in zip(xs, ys)]
        line = VMobject(color=color, stroke_width=width)
        if smooth:
            line.set_points_smoothly(points)
        else:
            line.set_points_as_corners(points)
        return line

    def dot(self, x: float, y: float, color: str, radius: float = 0.09) -> Dot:
        return Dot(self.c2p(x, y), radius=radius, color=color)
