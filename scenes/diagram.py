"""The story network drawn once, for every Part II scene: input, two hidden nodes with
their activation drawn inside, the output node, every weight and bias on its connection.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, Circle, Line, Mobject, RoundedRectangle, VGroup, VMobject, normalize

from reluviz.activations import make_activation
from reluviz.scenes import style
from reluviz.scenes.style import Theme
from reluviz.scenes.widgets import Formula, Term, words
from reluviz.weights import Weights


class ActivationInset(VGroup):
    """A tiny picture of an activation function (no numbers): what a node does."""

    def __init__(self, activation: str, color: str, theme: Theme, width: float = 0.9, height: float = 0.6) -> None:
        super().__init__()
        f = make_activation(activation)
        xs = np.linspace(-2.0, 2.0, 41) if not f.piecewise_linear else np.array([-2.0, 0.0, 2.0])
        ys = f(xs)
        low, high = min(ys.min(), 0.0), ys.max()
        points = [np.array([x / 4 * width, (y - low) / (high - low) * height - height / 2, 0]) for x, y in zip(xs, ys)]
        curve = VMobject(color=color, stroke_width=4)
        curve.set_points_smoothly(points) if not f.piecewise_linear else curve.set_points_as_corners(points)
        zero = -low / (high - low) * height - height / 2
        axes = VGroup(
            Line([-width / 2, zero, 0], [width / 2, zero, 0], color=theme.faint, stroke_width=2),
            Line([0, -height / 2, 0], [0, height / 2, 0], color=theme.faint, stroke_width=2),
        )
        self.curve = curve
        self.add(axes, curve)


class NetworkDiagram(VGroup):
    """The 1-2-1 network. ``width`` sets the spread of the nodes; text keeps ``font_size``.

    Parts a scene points at: ``input``, ``top``, ``bottom``, ``output`` (nodes);
    ``edges[name]`` and ``labels[name]`` for "top_in", "bottom_in", "top_out",
    "bottom_out"; ``labels`` also has "top_bias", "bottom_bias", "output_bias".
    """

    def __init__(
        self,
        weights: Weights,
        theme: Theme,
        width: float = 9.0,
        height: float = 4.2,
        font_size: float = style.LABEL_SIZE,
        node_scale: float = 1.0,
    ) -> None:
        super().__init__()
        self.theme = theme
        w, half_w, half_h = weights, width / 2, height / 2
        node_w, node_h = 1.25 * node_scale, 0.95 * node_scale
        self.input = Circle(radius=0.38 * node_scale, color=theme.text, stroke_width=style.EDGE_WIDTH)
        self.input.move_to(LEFT * half_w)
        self.input_name = words("dosage", theme.muted, font_size).next_to(self.input, DOWN, buff=0.15)
        self.top = self._node(w.hidden_activation, theme.top, node_w, node_h).move_to(UP * (half_h - node_h / 2))
        self.bottom = self._node(w.hidden_activation, theme.bottom, node_w, node_h).move_to(
            DOWN * (half_h - node_h / 2)
        )
        self.output = self._node(w.output_activation, theme.total, node_w, node_h).move_to(
            RIGHT * (half_w - node_w / 2)
        )
        self.output_arrow = Arrow(
            self.output.get_right(),
            self.output.get_right() + RIGHT * 0.8 * node_scale,
            buff=0.05,
            color=theme.total,
            stroke_width=style.EDGE_WIDTH,
            max_tip_length_to_length_ratio=0.35,
        )

        def edge(a: Mobject, b: Mobject, color: str) -> Line:
            return Line(
                a.get_center(), b.get_center(), color=color, stroke_width=style.EDGE_WIDTH
            ).put_start_and_end_on(
                a.get_boundary_point(normalize(b.get_center() - a.get_center())),
                b.get_boundary_point(normalize(a.get_center() - b.get_center())),
            )

        self.edges = {
            "top_in": edge(self.input, self.top, theme.top),
            "bottom_in": edge(self.input, self.bottom, theme.bottom),
            "top_out": edge(self.top, self.output, theme.top),
            "bottom_out": edge(self.bottom, self.output, theme.bottom),
        }

        def times(value: float, color: str) -> Formula:
            return Formula([r"\times", value], color, font_size, buff=0.08)

        def plus(value: float, color: str) -> Formula:
            return Formula([Term(value)], color, font_size, buff=0.08)

        self.labels = {
            "top_in": times(w.top.weight, theme.top),
            "top_bias": plus(w.top.bias, theme.top),
            "bottom_in": times(w.bottom.weight, theme.bottom),
            "bottom_bias": plus(w.bottom.bias, theme.bottom),
            "top_out": times(w.top_output_weight, theme.top),
            "bottom_out": times(w.bottom_output_weight, theme.bottom),
            "output_bias": plus(w.output_bias, theme.total),
        }
        self._place_on_edge(self.labels["top_in"], self.edges["top_in"], above=True)
        self._place_on_edge(self.labels["bottom_in"], self.edges["bottom_in"], above=False)
        self._place_on_edge(self.labels["top_out"], self.edges["top_out"], above=True)
        self._place_on_edge(self.labels["bottom_out"], self.edges["bottom_out"], above=False)
        self.labels["top_bias"].next_to(self.top, UP, buff=0.1)
        self.labels["bottom_bias"].next_to(self.bottom, DOWN, buff=0.1)
        self.labels["output_bias"].next_to(self.output_arrow, DOWN, buff=0.12).align_to(self.output_arrow, LEFT)
        self.nodes = VGroup(self.input, self.top, self.bottom, self.output)
        self.add(*self.edges.values(), self.nodes, self.input_name, self.output_arrow, *self.labels.values())
        for part in self.family_members_with_points():
            part.full_opacity = (part.get_stroke_opacity(), part.get_fill_opacity())
        # Words dimmed as far as the lines would be unreadable: they stop where they still
        # reach the context contrast against the background.
        for label in (*self.labels.values(), self.input_name):
            for part in label.family_members_with_points():
                part.readable_opacity = style.readable_opacity(part.get_color().to_hex(), theme.background)

    def _node(self, activation: str, color: str, width: float, height: float) -> VGroup:
        frame = RoundedRectangle(
            width=width, height=height, corner_radius=0.18, color=color, stroke_width=style.EDGE_WIDTH
        )
        frame.set_fill(self.theme.background, opacity=1.0)
        frame.keeps_fill = True  # hides the edges behind the node, dimmed or not
        inset = ActivationInset(activation, color, self.theme, width * 0.68, height * 0.62)
        node = VGroup(frame, inset)
        node.frame, node.inset = frame, inset
        return node

    @staticmethod
    def _place_on_edge(label: Mobject, edge: Line, above: bool) -> None:
        """Beside the edge's middle, on the side away from the other path, clear of the line."""
        start, end = edge.get_start(), edge.get_end()
        middle = (start + end) / 2
        normal = normalize(np.array([-(end - start)[1], (end - start)[0], 0.0]))
        if (normal[1] > 0) != above:
            normal = -normal
        # push out until the label's box no longer meets the line
        half = np.array([label.width / 2, label.height / 2, 0])
        reach = abs(normal[0]) * half[0] + abs(normal[1]) * half[1]
        label.move_to(middle + normal * (reach + 0.12))

    def emphasize(self, *paths: str, dimmed: float = style.DIMMED) -> NetworkDiagram:
        """Full colour for the named paths ("top", "bottom", "output") and the input; the rest
        dimmed (its words only as far as they stay readable). Use as
        ``diagram.animate.emphasize("top")`` to fade between emphases."""
        bright = {id(m) for name in paths for m in self.path(name).family_members_with_points()}
        bright |= {id(m) for m in VGroup(self.input, self.input_name).family_members_with_points()}
        for part in self.family_members_with_points():
            level = 1.0 if id(part) in bright else max(dimmed, getattr(part, "readable_opacity", 0.0))
            stroke, fill = part.full_opacity
            part.set_stroke(opacity=stroke * level)
            part.set_fill(opacity=fill if getattr(part, "keeps_fill", False) else fill * level)
        return self

    def path(self, name: str) -> VGroup:
        """Everything on one path, for highlighting: "top", "bottom" or "output"."""
        if name == "output":
            return VGroup(self.output, self.labels["output_bias"], self.output_arrow)
        node = self.top if name == "top" else self.bottom
        return VGroup(
            self.edges[f"{name}_in"],
            node,
            self.edges[f"{name}_out"],
            self.labels[f"{name}_in"],
            self.labels[f"{name}_bias"],
            self.labels[f"{name}_out"],
        )
