"""What Part II's stages share: the network diagram, first large in the middle with the
path being followed in full colour (or raised, over an equation), then aside (top left) while
a plot takes the right of the frame and a panel under the diagram shows the equations."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from manim import DOWN, LEFT, UP, FadeIn, Mobject, Transform, ValueTracker, VGroup, Write

from reluviz.activations import Activation
from reluviz.network import NetworkTrace, bends, curve_dosages, trace
from reluviz.scenes.framework import style
from reluviz.scenes.framework.base import StoryScene
from reluviz.scenes.framework.diagram import NUMBERED_ASIDE_NODES, NetworkDiagram
from reluviz.scenes.framework.plots import Curve, Plot
from reluviz.scenes.framework.widgets import Formula, Maths, Term, place
from reluviz.ticks import axis_range

#: Regions of the frame, as (left, right, bottom, top) in scene units (the frame is
#: 14.22 x 8; the title's line is above 3.0).
STAGE_REGION = (-6.75, 6.75, -3.7, 2.95)  # the diagram alone, as a stage opens
DIAGRAM_REGION = (-6.85, -0.5, -0.45, 2.95)
PANEL_REGION = (-6.85, -0.5, -3.75, -0.75)
PLOT_REGION = (-0.2, 6.85, -3.75, 2.95)
#: The diagram still large but raised, over a line of its own for an equation (before a plot
#: needs the room).
RAISED_REGION = (-6.75, 6.75, -2.35, 2.95)
UNDER_RAISED = (-6.75, 6.75, -3.65, -2.45)
#: An activation function drawn large in ``PLOT_REGION``, beside the diagram aside: its axes'
#: width and height.
LARGE_FUNCTION = (5.0, 4.1)
#: The diagram large and aside: spread of the node centres (width, height), size of its
#: words, size of its nodes.
LARGE_DIAGRAM = (9.6, 4.6, style.BODY_SIZE, 1.45)
ASIDE_DIAGRAM = (5.5, 2.6, style.LABEL_SIZE, 0.75)


class NetworkStage(StoryScene):
    """Base of the Part II scenes. ``self.curve_x`` are dosages that hit every corner exactly."""

    def setup(self) -> None:
        super().setup()
        self.weights = w = self.inputs.weights
        self.curve_x = curve_dosages(w)
        self.at_curve: NetworkTrace = trace(w, self.curve_x)
        self.bends = bends(w)
        self.network = w.network
        #: What the captions call each hidden node and its path: the lesson's "top node" and
        #: "bottom path" for two nodes, "hidden node" for one, else "first node", "third path"; and
        #: its colour.
        count = len(w.network.hidden)
        self.places = self.node_places(count)
        self.node_names = [self.label("named_node", place=place) for place in self.places]
        self.path_names = [self.label("named_path", place=place) for place in self.places]
        self.colours = self.theme.paths[:count]

    def at(self, dosage: float | np.ndarray) -> NetworkTrace:
        return trace(self.weights, dosage)

    def up_to(self, dosage: float) -> np.ndarray:
        """The curve's dosages up to ``dosage``, corners included: a line drawn as a dosage sweeps."""
        return np.append(self.curve_x[self.curve_x < dosage], dosage)

    def swept_curve(self, plot: Plot, dosage: ValueTracker, stage: Callable, color: str, *also: ValueTracker) -> Curve:
        """One stage's line (``stage`` of the trace), drawn up to the dosage ``dosage`` has reached
        (``also``: other trackers ``stage`` reads)."""
        return plot.curve(
            lambda: self.up_to(dosage.get_value()),
            lambda: stage(self.at(self.up_to(dosage.get_value()))),
            color,
            follows=(dosage, *also),
        )

    def inside(self, dosage: float | None) -> float | None:
        """``dosage`` if it lies strictly inside the dosage range (a bend worth pointing at), else None."""
        low, high = self.weights.dosage_range
        return dosage if dosage is not None and low < dosage < high else None

    def open_stage(self, *focus: int | str) -> NetworkDiagram:
        """Title and the diagram, large, on screen, the ``focus`` paths (hidden nodes' indices,
        "output") in full colour. ``aside()`` later makes room for a plot."""
        self.focus = focus
        self.diagram = self._diagram(LARGE_DIAGRAM, STAGE_REGION)
        self.play(Write(self.title()), FadeIn(self.diagram), run_time=1.0)
        return self.diagram

    def raise_up(self) -> Transform:
        """The diagram moving up, as large, to leave the line ``UNDER_RAISED`` free for an equation."""
        return Transform(self.diagram, self._diagram(LARGE_DIAGRAM, RAISED_REGION))

    def aside(self) -> Transform:
        """The diagram moving to the top left, same words at the same size, so a plot can
        take the frame: play it with the plot's entrance."""
        aside = self._diagram(ASIDE_DIAGRAM, DIAGRAM_REGION)
        if len(self.network.hidden) > NUMBERED_ASIDE_NODES:
            aside.hide_numbers()
        return Transform(self.diagram, aside)

    def _diagram(self, layout: tuple[float, float, float, float], region) -> NetworkDiagram:
        diagram = place(NetworkDiagram(self.network, self.theme, *layout, self.label("dosage")), region)
        return diagram.emphasize(*self.focus) if self.focus else diagram

    def dosage_plot(self, y_values: Sequence[float], y_name: str) -> Plot:
        left, right, bottom, top = PLOT_REGION
        plot = Plot(
            self.weights.dosage_range,
            y_values,
            self.theme,
            right - left - 2.2,
            top - bottom - 1.4,
            self.label("dosage"),
            y_name,
        )
        return place(plot, PLOT_REGION)

    def grow_then_follow(
        self, plot: Plot, tracker: ValueTracker, target: float, values_at: Callable, run_time=3.0, **play_kwargs
    ) -> None:
        """Animate ``tracker`` to ``target``. If the values drawn leave the view, they first run
        on to the view's edge, then the view follows them (as in the story)."""
        start, final = tracker.get_value(), values_at(target)
        fits, last_run = plot.fits(final), run_time
        if not fits:  # up to the view's own edges, not the frame's: past them a line crosses the axis numbers
            steps = np.linspace(start, target, 241)
            edge = steps[max([plot.fits(values_at(v)) for v in steps].index(False) - 1, 0)]
            share = (edge - start) / (target - start)
            if share > 0.05:
                self.play(tracker.animate.set_value(edge), run_time=run_time * max(share, 0.35), **play_kwargs)
            last_run = run_time * max(1 - share, 0.5)
        self.play(
            tracker.animate.set_value(target),
            *plot.follow(np.append(final, values_at(start)) if fits else final),
            run_time=last_run,
            **play_kwargs,
        )

    def panel(self, *lines: Mobject, buff: float = 0.35) -> VGroup:
        """``lines`` one under another, left-aligned, at the top of the panel under the diagram."""
        return place(VGroup(*lines).arrange(DOWN, buff=buff, aligned_edge=LEFT), PANEL_REGION, align=UP)

    def connection(self, dosage: float, node: int) -> Formula:
        """ "(dosage x weight) + bias = input" for a hidden node, a negative bias subtracted
        ("- 2", not "+ (-2)"), the node's numbers in its colour."""
        unit, x = self.network.hidden[node], float(self.at(dosage).hidden[node].pre_activation)
        parts = ["(", dosage, r"\times", unit.weight, ")", Term(unit.bias), "=", x]
        return Formula(
            parts, self.theme.text, style.EQUATION_SIZE, number_colors=dict.fromkeys((3, 5, 7), self.colours[node])
        )

    def through_activation(
        self, activation: Activation, inputs: np.ndarray, x: float, colour: str
    ) -> tuple[Plot, Curve, Mobject, Mobject, Formula]:
        """The activation drawn small in the panel over ``inputs``, the point ``x`` on its x-axis,
        the point it goes to, and "activation(x) = y" above it: one value through a node."""
        left, right, bottom, top = PANEL_REGION
        plot, curve = self.activation_plot(activation, inputs, colour, (left, right, bottom, top - 0.8), 3.6, 1.25)
        y = float(activation(x))
        rule = Formula([*activation.tex_at(x), "=", y], self.theme.text, style.EQUATION_SIZE)
        rule.numbers[0].set_color(self.theme.highlight)
        rule.numbers[-1].set_color(colour)
        place(rule, (left, right, top - 0.8, top), align=UP)
        x_dot, y_dot = plot.dot(x, 0.0, self.theme.highlight, radius=0.08), plot.dot(x, y, colour, radius=0.1)
        return plot, curve, x_dot, y_dot, rule

    def activation_plot(
        self, activation: Activation, inputs: np.ndarray, colour: str, region, width=4.4, height=3.6
    ) -> tuple[Plot, Curve]:
        """The activation function over the ``inputs`` the dosage range produces (and 0), drawn
        exactly in ``colour``, in ``region``."""
        low, high, _ = axis_range([*inputs, 0.0], 5)
        xs = np.array([low, 0.0, high]) if activation.piecewise_linear else np.linspace(low, high, 121)
        name = Maths(r"\mathrm{" + activation.function_name.replace(" ", r"\ ") + "}(x)")
        plot = Plot(
            [low, high], [*activation(xs), 0.0], self.theme, width, height, Maths("x"), name, x_ticks=5, y_ticks=4
        )
        place(plot, region)
        return plot, plot.curve(xs, activation(xs), colour)
