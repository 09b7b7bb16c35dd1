"""Stage 17: every unit adds a crease, each in its path's colour; the creases cut the input square
into regions, tinted by which units are on there (the activation pattern), counted, and compared
with the most n lines can make: 1 + n + n(n - 1)/2.
"""

from __future__ import annotations

from manim import Create, FadeIn, FadeOut, LaggedStart, VGroup, Write

from reluviz.plane.regions import regions
from reluviz.scenes.framework import style
from reluviz.scenes.framework.widgets import Formula, Term, text_tex
from reluviz.scenes.part3.space import PlaneScene
from reluviz.scenes.part3.square import (
    TINT,
    InputSquare,
    column,
    region_numbers,
    shape_word,
    tint,
    unit_formula,
    unit_words,
)
from reluviz.words.numbers import shown as num


class PlaneRegions(PlaneScene):
    stage_name = "plane_regions"

    def construct(self) -> None:
        t, net = self.theme, self.network
        found = regions(self.plane)
        count, units = found.count, len(net.hidden)
        shape = shape_word(self.plane, self.label)
        bend = net.hidden_activation.bend_at
        square = InputSquare(self.plane, t)
        lines = [square.crease(c, colour) if c.ends else VGroup() for c, colour in zip(found.creases, self.colours)]
        paths = zip(net.hidden, self.colours)
        formulas = [unit_formula(u, self.names, t, colour, after=["=", bend]) for u, colour in paths]
        listed = column(*formulas, buff=0.4)

        first = found.creases[0]
        folds = "The {place} unit folds along its crease: {crease} = 0."
        with self.beat(
            *(("first_crease", folds) if first.ends else ("first_crease_misses", folds + " It misses the {shape}.")),
            place=self.places[0],
            crease=unit_words(net.hidden[0], self.names),
            shape=shape,
        ):
            self.play(Write(self.title()), FadeIn(square), run_time=1.2)
            self.play(Create(lines[0]), Write(formulas[0]), run_time=1.2)

        if units > 1:
            others = [f"{p}" for p in self.places[1:]]
            who = others[0] if len(others) == 1 else ", ".join(others[:-1]) + f" {self.label('and')} " + others[-1]
            outside = [self.places[i] for i, c in enumerate(found.creases) if i > 0 and not c.ends]
            adds = (
                "The {who} unit adds its own crease." if len(others) == 1 else "The {who} units add their own creases."
            )
            beat = "other_crease" if len(others) == 1 else "other_creases"
            if outside:
                beat, adds = beat + "_missing", adds + " The {outside} {miss} the {shape}."
            with self.beat(
                beat,
                adds,
                who=who,
                outside=self.joined(outside),
                miss=self.label("misses" if len(outside) == 1 else "miss"),
                shape=shape,
            ):
                for line, formula in zip(lines[1:], formulas[1:]):
                    self.play(Create(line), Write(formula), run_time=1.0)

        tints = [square.polygon(r.corners, tint(r.pattern, t)) for r in found.regions]
        if any(c.splits for c in found.creases):
            together = "cut", "Together the creases cut the {shape} into {count} regions."
        else:
            together = "whole", "Together the creases leave the {shape} whole: one region."
        with self.beat(*together, shape=shape, count=num(count)):
            self.play(LaggedStart(*(FadeIn(p) for p in tints), lag_ratio=0.3), run_time=1.5)
            self.bring_to_front(*lines)

        with self.beat(
            "on_or_off", "Inside a region each unit is on or off. The tint mixes the colours of the units on."
        ):
            self.play(LaggedStart(*(p.animate.set_fill(opacity=2 * TINT) for p in tints), lag_ratio=0.2), run_time=1.2)
            self.play(*(p.animate.set_fill(opacity=TINT) for p in tints), run_time=0.6)

        numbers, leaders = region_numbers(square, found.regions, t)
        with self.beat(
            *(("counted", "Counted: {count} regions.") if count > 1 else ("counted_one", "Counted: {count} region.")),
            count=num(count),
        ):
            self.play(FadeOut(listed), run_time=0.6)
            for number, leader in zip(numbers, leaders):
                self.play(FadeIn(number, scale=1.5), *(Create(leader) for leader in [leader] if leader), run_time=0.4)

        largest = found.largest
        pairs = units * (units - 1) // 2
        general = Formula(["1 + n + n(n-1)/2"], t.text, style.EQUATION_SIZE)
        worked = Formula([1.0, Term(units), Term(pairs), "=", float(largest)], t.text, style.EQUATION_SIZE)
        total = Formula([float(count), text_tex(" " + self.label("inside", shape=shape))], t.text, style.EQUATION_SIZE)
        column(general, worked, total)
        if units > 1:
            most, one = "{units} creases make at most {largest} regions. ", ""
        else:
            most, one = "{units} crease makes at most {largest} regions. ", "_one_crease"
        if count == largest:
            fits = "all_fit" + one, most + "All {count} fit inside the {shape}."
        else:
            fits = "some_fit" + one, most + "Only {count} of them fall inside the {shape}."
        with self.beat(*fits, units=num(units), largest=num(largest), count=num(count), shape=shape):
            self.play(Write(general), run_time=1.0)
            self.play(Write(worked), run_time=1.0)
            self.play(Write(total), run_time=0.8)
            self.hold()
