"""Stage 19: the output activation keeps what lies above 0: the two-input version of the lesson's
green pointy thing. The summed surface goes through it (the parts below 0 fold down flat, along
new folds where a region's plane crosses 0); the shape is named from the regions' planes (a
plateau, a ridge, a peak), in 3-D and from above.
"""

from __future__ import annotations

from manim import DEGREES, Create, FadeIn, FadeOut, LaggedStart, Transform, VGroup, Write

from reluviz.plane.regions import constant, exact, rectangle_corners, regions
from reluviz.plane.shape import Shape, fold_lines, pieces, shape
from reluviz.scenes.framework import style
from reluviz.scenes.framework.widgets import Formula, Number, text_tex
from reluviz.scenes.part3.space import PlaneScene, Space
from reluviz.scenes.part3.square import TINT, InputSquare, as_floats, column, rest_words, shape_word
from reluviz.words.numbers import shown as num

#: The values stand taller than in the other stages: the output's top is what this stage is about.
TALL = 3.8
#: A region's name by its corners (labels' keys); any other is a "{count}-sided region".
SIDES = {3: "triangle", 4: "four_sided", 5: "five_sided", 6: "six_sided"}


def where(point) -> str:
    x, y = as_floats(point)
    return f"({num(x)}, {num(y)})"


class PlaneOutput(PlaneScene):
    stage_name = "plane_output"

    def construct(self) -> None:
        t, net = self.theme, self.network
        found = regions(self.plane)
        activation = net.output_activation
        name = activation.named(self.label)
        top = shape(found)
        parts = pieces(found)
        planes = [found.regions[p.region].plane for p in parts]
        heights = [float(pl.exactly_at(c)) for pl, p in zip(planes, parts) for c in p.corners]
        space = Space(self.plane, heights, t, height=TALL)
        self.set_tilted(space)
        self.face_viewer(*space.labels())
        faces = [space.face(p.corners, pl, t.total) for p, pl in zip(parts, planes)]
        function = r"\mathrm{" + activation.function_name.replace(" ", r"\ ") + "}("
        rule = column(Formula([function, text_tex(self.label("sum")), ")"], t.text, style.EQUATION_SIZE))
        identity = activation.name == "identity"
        if identity:
            into = "sum_is_output", "The sum from before is the output: no activation follows."
        else:
            into = "sum_into", "The sum from before goes into the output {activation}."
        with self.beat(*into, activation=name):
            self.play(Write(self.title()), FadeIn(space), *(FadeIn(f) for f in faces), run_time=1.5)
            if not identity:
                self.play(Write(rule), run_time=1.0)

        shape_beat, shape_words, shape_values = self._shape_words(top)
        if not identity:
            slope = activation.slopes_beside_bend()[0] if activation.bend_at is not None else None
            rest = rest_words(slope, self.label)[0] if slope is not None else ""
            named = name[0].upper() + name[1:]
            if rest:
                keeps = "keeps", "{Activation} keeps what lies above 0 and {rest}."
            else:
                keeps = "squashes", "{Activation} squashes every height."
            with self.beat(*keeps, Activation=named, **({"rest": rest} if rest else {})):
                lifts = [Transform(f, space.lift(f, pl, activation.function)) for f, pl in zip(faces, planes)]
                self.play(*lifts, run_time=2.0)
            folds = [
                space.segment(ends, constant(exact(float(activation.function(activation.bend_at)))), t.highlight)
                for ends in fold_lines(found)
            ]
            if folds:
                with self.beat("folds_again", "It folds the sum again, where the sum crosses 0."):
                    self.play(LaggedStart(*(Create(f) for f in folds), lag_ratio=0.2), run_time=1.5)
        else:
            folds = []

        with self.beat(shape_beat, shape_words, **shape_values):
            self.tilt(space, run_time=2.5, theta=-30 * DEGREES)

        square = InputSquare(self.plane, t)
        tints, labels = self._map(square, found, parts, top)
        lines = [square.crease(c, colour, width=3) for c, colour in zip(found.creases, self.colours) if c.ends]
        lines += [square.crease(_Ends(ends), t.highlight, width=4) for ends in fold_lines(found)]
        summary = self._summary(top, identity)
        above_beat, above_words, above_values = self._from_above(top, identity)
        with self.beat(above_beat, above_words, **above_values):
            standing = (space.value_axis, space.ticks, space.tick_labels)  # seen end-on from above
            self.from_above(run_time=2.0, added_anims=[FadeOut(m) for m in (*standing, rule)])
            gone = [FadeOut(m) for m in (space, *faces, *folds)]
            self.play(FadeIn(square), *(FadeIn(m) for m in (*tints, *lines)), *gone, run_time=1.0)
            self.play(*(FadeIn(label) for label in labels), Write(summary), run_time=0.8)
            self.hold()

    def _shape_words(self, top: Shape) -> tuple[str, str, dict[str, str]]:
        """The shape named from the numbers: what the top is, where, and what happens beyond it
        (the beat's name, caption and placeholders' values)."""
        net = self.network
        activation = net.output_activation
        height = num(float(activation.function(top.top)))
        square = shape_word(self.plane, self.label)
        clips = activation.bend_at is not None and activation.slopes_beside_bend()[0] == 0
        beyond = self.label("falling_beyond" if clips and top.below_share > 0 else "sloping_beyond")
        values = {"height": height, "square": square}
        if top.kind == "flat":
            return "flat", "The sum is at or below 0 everywhere: the output is {height} all over the {square}.", values
        if top.kind == "plateau":
            region = regions(self.plane).regions[top.region]
            corners = len(region.corners)
            values["sides"] = (
                self.label(SIDES[corners]) if corners in SIDES else self.label("sided_region", count=num(corners))
            )
            values["beyond"] = beyond
            if top.inside:
                return "plateau", "The result is a plateau: flat at {height} on the middle {sides}, {beyond}.", values
            return "plateau_edge", "The result is a plateau: flat at {height} on the {sides}, {beyond}.", values
        values["away"] = self.label("falling_away" if clips and top.below_share > 0 else "sloping_away")
        if top.kind == "peak":
            point = top.points[0]
            values |= {
                "point": where(point),
                "edge": self.label("corner" if point in rectangle_corners(self.plane) else "edge"),
            }
            if top.inside:
                return "peak", "The result is a peak: {height} at {point}, {away}.", values
            return "peak_edge", "The result is a peak: {height} at {point}, on the {square}'s {edge}, {away}.", values
        if top.kind == "ridge":
            values |= {"start": where(top.points[0]), "end": where(top.points[-1])}
            return "ridge", "The result is a ridge: {height} along the line from {start} to {end}, {away}.", values
        values["count"] = num(len(top.points))
        return "highest", "The result is highest, {height}, in {count} places apart, {away}.", values

    def _from_above(self, top: Shape, identity: bool) -> tuple[str, str, dict[str, str]]:
        values = {"share": num(float(top.below_share) * 100), "square": shape_word(self.plane, self.label)}
        if identity or top.below_share == 0:
            return "above_zero", "From above: the output is above 0 all over the {square}.", values
        return "zero_share", "From above: the output is 0 on the red parts, {share}% of the {square}.", values

    def _summary(self, top: Shape, identity: bool) -> VGroup:
        """Beside the map: the highest output, and the share of the rectangle where it is 0."""
        t, activation = self.theme, self.network.output_activation
        lines = [
            Formula(
                [text_tex(self.label("highest")) + r"\ ", float(activation.function(top.top))],
                t.total,
                style.EQUATION_SIZE,
            )
        ]
        if not identity and top.below_share > 0:
            zero = float(activation.function(activation.bend_at))
            square = r"\%" + text_tex(" " + self.label("share_of", shape=shape_word(self.plane, self.label)))
            share = Formula(
                [zero, text_tex(self.label("zero_on")), float(top.below_share) * 100, square],
                t.text,
                style.EQUATION_SIZE,
            )
            lines.append(share)
        return column(*lines)

    def _map(self, square: InputSquare, found, parts, top: Shape) -> tuple[list, list]:
        """The pieces from above: the flat top tinted green, the parts set to 0 tinted red, each
        labelled with its height where the number fits."""
        t, activation = self.theme, self.network.output_activation
        tints, labels = [], []
        for part in parts:
            at_top = top.kind == "plateau" and part.region == top.region
            if not (part.below or at_top):
                continue
            colour = t.total if at_top else t.clipped
            tints.append(square.polygon(part.corners, colour, TINT))
            plane = found.regions[part.region].plane
            value = float(activation.function(plane.at(*as_floats(part.corners[0]))))
            number = Number(value if at_top else float(activation.function(activation.bend_at)), t.text)
            spot = square.spot(part.corners, number)
            if spot is not None:
                labels.append(number.move_to(spot))
        return tints, labels


class _Ends:
    """A fold line's ends, as ``InputSquare.crease`` takes a crease."""

    def __init__(self, ends) -> None:
        self.ends = ends
