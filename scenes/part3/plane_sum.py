"""Stage 18: the output before its activation. Each unit's folded plane times its output weight,
added one by one, then the output bias: on each region the result is one plane (the active
units' planes times their output weights, plus the bias), so the surface is flat pieces folded
along the creases. From above, each region's plane a x1 + b x2 + c, numbered as stage 17 counted.
"""

from __future__ import annotations

from manim import DEGREES, Create, FadeIn, FadeOut, Indicate, LaggedStart, Transform, Write

from reluviz.plane.network import trace
from reluviz.plane.regions import constant, crease_lines, exact, regions, unit_planes
from reluviz.scenes.framework import style
from reluviz.scenes.framework.widgets import Formula, Term, text_tex
from reluviz.scenes.part3.space import PlaneScene, Space, crease_points
from reluviz.scenes.part3.square import (
    COLUMN,
    InputSquare,
    column,
    plane_parts,
    plane_words,
    region_numbers,
    tint,
)
from reluviz.words.numbers import shown as num
from reluviz.words.numbers import term

#: Room between the lines of the planes' legend (scene units).
LEGEND_GAP = 0.24


class PlaneSum(PlaneScene):
    stage_name = "plane_sum"

    def construct(self) -> None:
        t, net = self.theme, self.network
        found = regions(self.plane)
        activation = net.hidden_activation
        halves = [unit_planes(activation, line, u.output_weight) for line, u in zip(crease_lines(net), net.hidden)]
        bias = constant(exact(net.output_bias))

        def partial(units: int, pattern, with_bias: bool = False):
            """The sum of the first ``units`` units' contributions on a region with ``pattern``."""
            plane = bias if with_bias else constant(exact(0.0))
            for half, on in list(zip(halves, pattern))[:units]:
                plane = plane + half[on]
            return plane

        steps = [[partial(k, r.pattern) for r in found.regions] for k in range(len(halves) + 1)]
        steps.append([r.plane for r in found.regions])
        heights = [float(p.exactly_at(c)) for step in steps for p, r in zip(step, found.regions) for c in r.corners]
        space = Space(self.plane, heights, t)
        self.set_tilted(space)
        self.face_viewer(*space.labels())
        faces = [space.face(r.corners, steps[0][i], t.total) for i, r in enumerate(found.regions)]

        terms = []
        for i, (place, colour) in enumerate(zip(self.places, self.colours)):
            weight = net.hidden[i].output_weight
            named = r"\times" + text_tex(" " + self.label("times_unit", place=place))
            terms.append(Formula([weight if i == 0 else Term(weight), named], colour, style.EQUATION_SIZE))
        terms.append(Formula([Term(net.output_bias)], t.text, style.EQUATION_SIZE))
        listed = column(*terms, buff=0.3)

        with self.beat("adds", "The output adds each unit's folded plane, times its output weight."):
            self.play(Write(self.title()), FadeIn(space), *(FadeIn(f) for f in faces), run_time=1.2)
            for k, line in enumerate(terms[:-1], start=1):
                lifts = [Transform(f, space.lift(f, p)) for f, p in zip(faces, steps[k])]
                self.play(Write(line), *lifts, run_time=1.2)

        with self.beat("bias", "Then it adds the output bias, {bias}.", bias=num(net.output_bias)):
            lifts = [Transform(f, space.lift(f, p)) for f, p in zip(faces, steps[-1])]
            self.play(Write(terms[-1]), *lifts, run_time=1.5)

        at = [crease_points(found.creases, i) for i in range(len(found.creases))]
        folds = [
            space.path(points, trace(self.plane, *zip(*points)).biased, colour)
            for points, colour in zip(at, self.colours)
            if points
        ]
        with self.beat("one_plane", "On each region the sum is one plane. It folds only along the creases."):
            self.play(LaggedStart(*(Create(f) for f in folds), lag_ratio=0.3), run_time=1.5)
            self.tilt(space, run_time=2.0, theta=-35 * DEGREES)

        square = InputSquare(self.plane, t)
        tints = [square.polygon(r.corners, tint(r.pattern, t)) for r in found.regions]
        lines = [square.crease(c, colour) for c, colour in zip(found.creases, self.colours) if c.ends]
        numbers, leaders = region_numbers(square, found.regions, t)
        legend = self._legend(found.regions)
        shown = len(legend)
        each = "From above: each region's plane, by its number."
        if shown == found.count:
            legend_words = "from_above", each
        else:
            legend_words = "from_above_some", each + " The other {others} have planes of their own."
        with self.beat(*legend_words, others=num(found.count - shown)):
            standing = (space.value_axis, space.ticks, space.tick_labels)  # seen end-on from above
            self.from_above(run_time=2.0, added_anims=[FadeOut(m) for m in (*standing, listed)])
            gone = [FadeOut(m) for m in (space, *faces, *folds)]
            self.play(FadeIn(square), *(FadeIn(p) for p in tints), *(FadeIn(c) for c in lines), *gone, run_time=1.0)
            shows = [FadeIn(m) for m in (*numbers, *(leader for leader in leaders if leader))]
            self.play(*shows, LaggedStart(*(FadeIn(line) for line in legend), lag_ratio=0.15), run_time=1.5)

        examples = self._examples(found)
        for k, (index, *said, values) in enumerate(examples):
            with self.beat(*said, **values):
                if index < shown:
                    self.play(Indicate(legend[index], color=t.highlight), Indicate(numbers[index]), run_time=1.2)
                if k == len(examples) - 1:
                    self.hold()

    def _legend(self, found) -> list[Formula]:
        """ "3: 4 x1 - 2 x2 + 0.5": each region's plane in green beside its number, as many as the
        column holds at a readable size."""
        t = self.theme
        lines = [
            Formula(
                [float(i), ":", *plane_parts(r.plane, self.names)],
                t.total,
                style.EQUATION_SIZE,
                number_colors={0: t.text},
            )
            for i, r in enumerate(found, start=1)
        ]
        room = COLUMN[3] - COLUMN[2]
        kept = []
        for line in lines:
            if sum(m.height for m in [*kept, line]) + LEGEND_GAP * len(kept) > room:
                break
            kept.append(line)
        column(*kept, buff=LEGEND_GAP)
        return kept

    def _examples(self, found) -> list[tuple[int, str, str, dict[str, str]]]:
        """One or two regions said in words: where no unit is on, and where one unit alone is;
        each as (its index, the beat's name, caption and placeholders' values)."""
        net, said = self.network, []
        plain = self.network.hidden_activation.slopes_beside_bend()[0] == 0  # off units add nothing
        for index, region in enumerate(found.regions):
            if plain and not any(region.pattern):
                plane = plane_words(region.plane, self.names)
                said.append(
                    (index, "none_on", "Where no unit is on, only the bias is left: {plane}.", {"plane": plane})
                )
                break
        singles = [(r.area, i) for i, r in enumerate(found.regions) if sum(r.pattern) == 1]
        if plain and singles:
            _, index = max(singles)
            region = found.regions[index]
            unit = region.pattern.index(True)
            weight = net.hidden[unit].output_weight
            values = {
                "place": self.places[unit],
                "weight": num(weight),
                "plus_bias": term(net.output_bias),
                "plane": plane_words(region.plane, self.names),
            }
            said.append(
                (
                    index,
                    "one_on",
                    "Where only the {place} unit is on: {weight} × its plane {plus_bias} = {plane}.",
                    values,
                )
            )
        if not said:
            _, index = max((r.area, i) for i, r in enumerate(found.regions))
            values = {"region": str(index + 1), "plane": plane_words(found.regions[index].plane, self.names)}
            said.append((index, "largest", "On region {region}, the largest, it is {plane}.", values))
        return said
