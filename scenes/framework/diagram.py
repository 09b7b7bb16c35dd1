"""The story network drawn once, for every Part II scene: the input, each hidden node with
its activation drawn inside, the output node, every weight and bias on its connection.
"""

from __future__ import annotations

import numpy as np
from manim import DOWN, LEFT, RIGHT, UP, Arrow, Circle, Line, Mobject, RoundedRectangle, VGroup, VMobject, normalize

from reluviz.activations import Activation
from reluviz.model import Network
from reluviz.scenes.framework import style
from reluviz.scenes.framework.style import Theme
from reluviz.scenes.framework.widgets import Formula, Term, words

#: The most nodes whose numbers still fit when the diagram stands aside, small.
NUMBERED_ASIDE_NODES = 2
#: Up to this many hidden nodes, the lesson's picture: straight lines, each weight beside its
#: line and each bias by its node. More nodes take level runs that carry their numbers.
LESSON_NODES = 2
#: A node is at most this share of the distance between two nodes' centres: room for the
#: lines, and, with level runs, for each bias under its node.
LESSON_NODE_SHARE, NODE_SHARE = 0.62, 0.5
#: A level run takes at most this share of the gap between two columns of nodes, so the
#: lines joining them still slant apart.
RUN_SHARE = 0.8


class ActivationInset(VGroup):
    """A tiny picture of an activation function (no numbers): what a node does."""

    def __init__(self, activation: Activation, color: str, theme: Theme, width: float, height: float) -> None:
        super().__init__()
        xs = np.array([-2.0, 0.0, 2.0]) if activation.piecewise_linear else np.linspace(-2.0, 2.0, 41)
        ys = activation(xs)
        low, high = min(ys.min(), 0.0), ys.max()
        points = [np.array([x / 4 * width, (y - low) / (high - low) * height - height / 2, 0]) for x, y in zip(xs, ys)]
        curve = VMobject(color=color, stroke_width=4)
        curve.set_points_as_corners(points) if activation.piecewise_linear else curve.set_points_smoothly(points)
        zero = -low / (high - low) * height - height / 2
        axes = VGroup(
            Line([-width / 2, zero, 0], [width / 2, zero, 0], color=theme.faint, stroke_width=2),
            Line([0, -height / 2, 0], [0, height / 2, 0], color=theme.faint, stroke_width=2),
        )
        self.add(axes, curve)


class NetworkDiagram(VGroup):
    """The 1-N-1 network. ``width`` and ``height`` set the spread of the nodes' centres; the
    words keep ``font_size``; ``node_scale`` sizes the nodes.

    Parts a scene points at: ``input``, ``hidden[i]``, ``output`` (nodes); ``edges_in[i]``,
    ``edges_out[i]``; ``weight_labels[i]``, ``bias_labels[i]``, ``out_labels[i]`` and
    ``output_bias``. Paths are named by a node's index, or "output".
    """

    def __init__(
        self,
        network: Network,
        theme: Theme,
        width: float,
        height: float,
        font_size: float,
        node_scale: float,
        input_name: str,
    ) -> None:
        super().__init__()
        self.theme = theme
        units, count = network.hidden, len(network.hidden)
        half_w, half_h = width / 2, height / 2
        pitch = height / (count - 1) if count > 1 else height
        lesson = count <= LESSON_NODES
        node_h = min(0.95 * node_scale, (LESSON_NODE_SHARE if lesson else NODE_SHARE) * pitch)
        node_w = node_h * 1.3
        self.input = Circle(radius=0.38 * node_scale, color=theme.text, stroke_width=style.EDGE_WIDTH)
        self.input.move_to(LEFT * half_w)
        self.input_name = words(input_name, theme.muted, font_size).next_to(self.input, LEFT, buff=0.15)
        self.output = self._node(network.output_activation, theme.total, 1.25 * node_scale, 0.95 * node_scale)
        self.output.move_to(RIGHT * (half_w - 1.25 * node_scale / 2))
        self.output_arrow = Arrow(
            self.output.get_right(),
            self.output.get_right() + RIGHT * 0.8 * node_scale,
            buff=0.05,
            color=theme.total,
            stroke_width=style.EDGE_WIDTH,
            max_tip_length_to_length_ratio=0.35,
        )
        paths = theme.paths
        label = lambda colour, *parts: Formula(list(parts), colour, font_size, buff=0.08)
        self.weight_labels = [label(paths[i], r"\times", u.weight) for i, u in enumerate(units)]
        self.bias_labels = [label(paths[i], Term(u.bias)) for i, u in enumerate(units)]
        self.out_labels = [label(paths[i], r"\times", u.output_weight) for i, u in enumerate(units)]
        self.output_bias = label(theme.total, Term(network.output_bias))
        heights = np.linspace(half_h - node_h / 2, -(half_h - node_h / 2), count) if count > 1 else [0.0]
        self.hidden = [
            self._node(network.hidden_activation, paths[i], node_w, node_h).move_to(UP * y)
            for i, y in enumerate(heights)
        ]
        (self._straight_lines if lesson else self._level_runs)(heights)
        self.output_bias.next_to(self.output_arrow, DOWN, buff=0.12).align_to(self.output_arrow, LEFT)
        self.nodes = VGroup(self.input, *self.hidden, self.output)
        self.labels = VGroup(*self.weight_labels, *self.bias_labels, *self.out_labels, self.output_bias)
        self.add(*self.edges_in, *self.edges_out, self.nodes, self.input_name, self.output_arrow, self.labels)
        for part in self.family_members_with_points():
            part.full_opacity = (part.get_stroke_opacity(), part.get_fill_opacity())
        # Words dimmed as far as the lines would be unreadable: they stop where they still
        # reach the context contrast against the background.
        for label in (*self.labels, self.input_name):
            for part in label.family_members_with_points():
                part.readable_opacity = style.readable_opacity(part.get_color().to_hex(), theme.background)

    def _straight_lines(self, heights: list[float]) -> None:
        """The lesson's picture: straight lines; each weight beside its line and each bias by its
        node, on the side away from the other paths."""
        self.input_name.next_to(self.input, DOWN, buff=0.15)
        self.edges_in = [_edge(self.input, node, colour) for node, colour in zip(self.hidden, self.theme.paths)]
        self.edges_out = [_edge(node, self.output, colour) for node, colour in zip(self.hidden, self.theme.paths)]
        for i, y in enumerate(heights):
            above = y > 0 or len(heights) == 1
            _beside(self.weight_labels[i], self.edges_in[i], above)
            self.bias_labels[i].next_to(self.hidden[i], UP if above else DOWN, buff=0.1)
            _beside(self.out_labels[i], self.edges_out[i], above)

    def _level_runs(self, heights: list[float]) -> None:
        """Lines that turn level before and after each node, so every node's numbers sit on a
        level run of their own, as long as the numbers need (at most most of the way, so the
        lines still slant apart); the column of nodes stands where it shares the room between
        the runs in and the runs out as their numbers need it."""
        needed_in = max(w.width + b.width + 0.1 for w, b in zip(self.weight_labels, self.bias_labels)) + 0.5
        needed_out = max(label.width for label in self.out_labels) + 0.4
        node_w = self.hidden[0].width
        room = self.output.get_left()[0] - self.input.get_right()[0] - node_w
        gap_in, gap_out = room * needed_in / (needed_in + needed_out), room * needed_out / (needed_in + needed_out)
        for node in self.hidden:
            node.set_x(self.input.get_right()[0] + gap_in + node_w / 2)
        run_in, run_out = -min(needed_in, RUN_SHARE * gap_in), min(needed_out, RUN_SHARE * gap_out)
        self.edges_in = [_elbow(self.input, node, c, run_in) for node, c in zip(self.hidden, self.theme.paths)]
        self.edges_out = [_elbow(node, self.output, c, run_out) for node, c in zip(self.hidden, self.theme.paths)]
        for i, y in enumerate(heights):
            # "x weight + bias" by the run into the node, "x output weight" by the run out, on
            # the side the slanting lines leave free: above for the upper nodes, whose lines
            # slant down to the middle, below for the lower ones.
            up = 1 if y >= 0 else -1
            pair = VGroup(self.weight_labels[i], self.bias_labels[i]).arrange(RIGHT, buff=0.1)
            for label, side in ((pair, LEFT), (self.out_labels[i], RIGHT)):
                label.next_to(self.hidden[i], side, buff=0.15).shift(UP * up * (label.height / 2 + 0.1))

    def _node(self, activation: Activation, color: str, width: float, height: float) -> VGroup:
        frame = RoundedRectangle(
            width=width, height=height, corner_radius=0.18 * height, color=color, stroke_width=style.EDGE_WIDTH
        )
        frame.set_fill(self.theme.background, opacity=1.0)
        frame.keeps_fill = True  # hides the edges behind the node, dimmed or not
        return VGroup(frame, ActivationInset(activation, color, self.theme, width * 0.68, height * 0.62))

    def hide_numbers(self) -> NetworkDiagram:
        """No weights or biases shown (a small diagram of many nodes has no room for them);
        they stay hidden whatever ``emphasize`` does, and fade out when a diagram becomes this."""
        for part in self.labels.family_members_with_points():
            part.full_opacity = (0.0, 0.0)
            part.set_stroke(opacity=0.0).set_fill(opacity=0.0)
        return self

    def emphasize(self, *paths: int | str, dimmed: float = style.DIMMED) -> NetworkDiagram:
        """Full colour for the named paths (node indices, "output") and the input; the rest
        dimmed (its words only as far as they stay readable). Use as
        ``diagram.animate.emphasize(0)`` to fade between emphases."""
        bright = VGroup(self.input, self.input_name, *(self.path(name) for name in paths))
        bright = {id(m) for m in bright.family_members_with_points()}
        for part in self.family_members_with_points():
            level = 1.0 if id(part) in bright else max(dimmed, getattr(part, "readable_opacity", 0.0))
            stroke, fill = part.full_opacity
            part.set_stroke(opacity=stroke * level)
            part.set_fill(opacity=fill if getattr(part, "keeps_fill", False) else fill * level)
        return self

    def path(self, name: int | str) -> VGroup:
        """Everything on one path, for highlighting: a hidden node's index, or "output"."""
        if name == "output":
            return VGroup(self.output, self.output_bias, self.output_arrow)
        parts = (self.edges_in, self.hidden, self.edges_out, self.weight_labels, self.bias_labels, self.out_labels)
        return VGroup(*(part[name] for part in parts))


def _edge(a: Mobject, b: Mobject, color: str) -> Line:
    """Straight from ``a`` to ``b``, between their edges."""
    line = Line(a.get_center(), b.get_center(), color=color, stroke_width=style.EDGE_WIDTH)
    return line.put_start_and_end_on(
        a.get_boundary_point(normalize(b.get_center() - a.get_center())),
        b.get_boundary_point(normalize(a.get_center() - b.get_center())),
    )


def _beside(label: Mobject, edge: Line, above: bool) -> None:
    """Beside the middle of ``edge``, above or below it, clear of the line."""
    start, end = edge.get_start(), edge.get_end()
    normal = normalize(np.array([-(end - start)[1], (end - start)[0], 0.0]))
    if (normal[1] > 0) != above:
        normal = -normal
    # out until the label's box no longer meets the line
    reach = abs(normal[0]) * label.width / 2 + abs(normal[1]) * label.height / 2
    label.move_to((start + end) / 2 + normal * (reach + 0.12))


def _elbow(a: Mobject, b: Mobject, color: str, run: float) -> VMobject:
    """From ``a`` to ``b``: straight to a point level with the hidden node, then level into it
    (``run`` < 0: the level run ends at ``b``, a hidden node; > 0: it starts at ``a``)."""
    if run < 0:
        level = b.get_left() + RIGHT * run
        corners = [a.get_boundary_point(normalize(level - a.get_center())), level, b.get_left()]
    else:
        level = a.get_right() + RIGHT * run
        # to the edge of b's box on the way to its centre (manim's boundary point of a rounded
        # box in a level direction is any point of its side, not the one level with ``level``)
        towards = level - b.get_center()
        reach = min(b.width / 2 / max(abs(towards[0]), 1e-9), b.height / 2 / max(abs(towards[1]), 1e-9))
        corners = [a.get_right(), level, b.get_center() + towards * reach]
    line = VMobject(color=color, stroke_width=style.EDGE_WIDTH)
    line.set_points_as_corners(corners)
    return line
