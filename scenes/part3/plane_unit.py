"""Stage 16: one unit with two inputs. w1 x1 + w2 x2 + b is a tilted plane over the input square;
the unit's activation keeps what is above 0 and folds the rest flat, along the crease line where
the plane crosses 0. The one-input kink was a point; here it is a line. From above, the crease
cuts the square in two: the unit is on on one side.
"""

from __future__ import annotations

from manim import (
    DEGREES,
    DOWN,
    LEFT,
    UP,
    Create,
    FadeIn,
    FadeOut,
    Indicate,
    ReplacementTransform,
    Transform,
    VGroup,
    Write,
)

from reluviz.plane.regions import Plane, constant, cut, exact, rectangle_corners, regions, unit_planes
from reluviz.scenes.framework import style
from reluviz.scenes.framework.widgets import Formula, text_tex, words
from reluviz.scenes.part3.space import PlaneScene, Space
from reluviz.scenes.part3.square import COLUMN, InputSquare, as_floats, rest_words, shape_word, unit_formula, unit_words
from reluviz.words.numbers import shown as num

EQUATION = style.EQUATION_SIZE


class PlaneUnit(PlaneScene):
    stage_name = "plane_unit"

    def construct(self) -> None:
        t, net = self.theme, self.network
        unit, colour, place_word = net.hidden[0], self.colours[0], self.places[0]
        activation = net.hidden_activation
        name = activation.named(self.label)
        crease = regions(self.plane).creases[0]
        (w1, w2), b = unit.weight, unit.bias
        own = Plane(exact(w1), exact(w2), exact(b))  # the unit's input over the square
        off, _ = unit_planes(activation, crease.line, 1.0)  # what the activation makes of the part below its bend
        corners = rectangle_corners(self.plane)
        heights = [float(own.exactly_at(c)) for c in corners]
        space = Space(self.plane, heights, t)
        self.set_tilted(space)
        self.face_viewer(*space.labels())

        formula = unit_formula(unit, self.names, t, colour)
        formula.move_to([COLUMN[0], COLUMN[3], 0], aligned_edge=UP + LEFT)
        with self.beat(
            "adds",
            "The {place} unit adds up {w1} {x1}, {w2} {x2} and {bias}.",
            place=place_word,
            w1=num(w1),
            x1=self.names[0],
            w2=num(w2),
            x2=self.names[1],
            bias=num(b),
        ):
            self.play(Write(self.title()), FadeIn(space), run_time=1.2)
            self.play(Write(formula), run_time=1.2)

        above, below = (tuple(p) for p in cut(corners, crease.line))
        if not crease.splits:  # the whole rectangle lies on one side
            above, below = (corners, ()) if max(heights) > 0 else ((), corners)
        upper = space.face(above, own, colour) if above else VGroup()
        lower = space.face(below, own, colour) if below else VGroup()
        low, high = min(heights), max(heights)
        shape = shape_word(self.plane, self.label)
        tilted = own.x1 != 0 or own.x2 != 0
        if tilted:
            over = "tilted", "Over the {shape} of inputs it is a tilted plane, from {low} to {high}."
        else:
            over = "flat", "Over the {shape} of inputs it is a flat plane at {bias}."
        with self.beat(*over, shape=shape, low=num(low), high=num(high), bias=num(b)):
            self.play(FadeIn(upper), FadeIn(lower), run_time=1.5)
            self.tilt(space, run_time=1.5, theta=-40 * DEGREES)

        function = r"\mathrm{" + activation.function_name.replace(" ", r"\ ") + "}("
        folded = unit_formula(unit, self.names, t, colour, before=[function], after=[")"])
        folded.move_to(formula, aligned_edge=LEFT)
        slope = activation.slopes_beside_bend()[0]
        rest, rest_all = rest_words(slope, self.label)
        if crease.splits:
            keeps = "keeps", "{Activation} keeps what is above 0 and {rest}: the plane folds."
        elif above:
            keeps = "keeps_all", "Here the plane is above 0 everywhere: {activation} keeps all of it."
        else:
            keeps = "keeps_none", "Here the plane is below 0 everywhere: {activation} {rest_all}."
        with self.beat(
            *keeps,
            Activation=f"{name[0].upper()}{name[1:]}",
            activation=name,
            rest=rest,
            rest_all=rest_all,
        ):
            self.play(ReplacementTransform(formula, folded), run_time=1.0)
            if below:
                self.play(Transform(lower, space.lift(lower, off)), run_time=2.0)

        if not crease.splits:
            self.wait(1.0)
            with self.beat(
                "no_fold",
                "The crease {crease} = 0 misses the {shape}: no fold inside it.",
                crease=unit_words(unit, self.names),
                shape=shape,
            ):
                self.hold()
            return

        line = space.segment(crease.ends, constant(exact(float(activation.function(activation.bend_at)))), colour)
        zero = unit_formula(unit, self.names, t, colour, after=["=", activation.bend_at])
        zero.next_to(folded, DOWN, buff=0.5, aligned_edge=LEFT)
        with self.beat("folds", "It folds along the crease {crease} = 0.", crease=unit_words(unit, self.names)):
            self.play(Create(line), Write(zero), run_time=1.5)

        with self.beat("a_line", "With one input the kink was a point. With two, it is a line."):
            self.tilt(space, run_time=2.0, theta=-25 * DEGREES)
            self.play(Indicate(line, color=t.highlight, scale_factor=1.0), run_time=1.0)

        square = InputSquare(self.plane, t)
        on_side = square.polygon(above, colour)
        flat_line = square.crease(crease, colour)
        start, end = (as_floats(p) for p in crease.ends)
        ends = Formula(
            [
                "(",
                start[0],
                ",",
                start[1],
                ")" + text_tex(" " + self.label("to") + " ") + "(",
                end[0],
                ",",
                end[1],
                ")",
            ],
            t.text,
            style.BODY_SIZE,
        ).next_to(zero, DOWN, buff=0.5, aligned_edge=LEFT)
        with self.beat(
            "from_above",
            "From above, the crease is a line across the {shape}: "
            "from ({start_x1}, {start_x2}) to ({end_x1}, {end_x2}).",
            shape=shape,
            start_x1=num(start[0]),
            start_x2=num(start[1]),
            end_x1=num(end[0]),
            end_x2=num(end[1]),
        ):
            standing = (space.value_axis, space.ticks, space.tick_labels)  # seen end-on from above
            self.from_above(run_time=2.0, added_anims=[FadeOut(m) for m in standing])
            self.play(
                FadeIn(square),
                FadeIn(on_side),
                FadeIn(flat_line),
                FadeOut(space),
                FadeOut(upper),
                FadeOut(lower),
                FadeOut(line),
                run_time=1.0,
            )
            self.play(Write(ends), run_time=1.0)

        on = words(self.label("on"), t.text, style.BODY_SIZE)
        gone = words(self.label("off"), t.text, style.BODY_SIZE)
        shown_words = [w for w, corners_ in ((on, above), (gone, below)) if _put(square, w, corners_)]
        if slope == 0:
            sides = "on_off", "On one side the unit is on. On the other it gives 0."
        else:
            sides = "on_scaled", "On one side the unit is on. On the other it is multiplied by {slope}."
        with self.beat(*sides, slope=num(slope)):
            self.play(*(FadeIn(w) for w in shown_words), run_time=0.8)
            self.hold()


def _put(square: InputSquare, mob, corners) -> bool:
    spot = square.spot(corners, mob)
    if spot is None:
        return False
    mob.move_to(spot)
    return True
