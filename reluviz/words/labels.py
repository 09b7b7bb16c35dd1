"""The words on screen that are neither a caption nor a title: axis names, table headings,
readouts, notes beside a plot. Their one home, so a words file (``[labels]``) can change any
of them; a scene asks for one by its key (``StoryScene.label``).

A label may have ``{placeholders}`` (a node's or a shape's name, as the scene computes it);
one with a line break is drawn on two lines. No manim here.
"""

from __future__ import annotations

from reluviz.words.nodes import LESSON_NODES, ORDINALS, SINGLE_NODE
from reluviz.words.templates import fill


def place_key(place: str) -> str:
    """The label key of a node's place ("top" -> "place_top"): see reluviz.words.nodes."""
    return f"place_{place}"


#: key -> the label as the story writes it in English.
LABELS: dict[str, str] = {
    # Part I
    "range": "range:",
    "range_in_words": "range: 0 to infinity",
    "piecewise": "piecewise linear, a ramp",
    "slope": "slope",
    "for": "for",
    "cheap": "as cheap as ReLU: one comparison",
    # the hidden nodes as the story places them: a lone "hidden" node, the lesson's "top" and
    # "bottom", else "first" to "sixth"; and what a place makes a node, a path, a unit
    **{place_key(place): place for place in (SINGLE_NODE, *LESSON_NODES, *ORDINALS)},
    "named_node": "{place} node",
    "named_path": "{place} path",
    # Part II: the lesson's quantities
    "dosage": "dosage",
    "effectiveness": "effectiveness",
    "value": "value",
    "output": "output",
    "node_output": "{node} output",
    "at_dosage": "at dosage",
    "output_at_dosage": "output at dosage",
    "bend_at": "bend at",
    "from": "from",
    "to": "to",
    # Part II: the kink's derivative
    "needs_slope": "gradient descent needs\na slope everywhere",
    "define": "define",
    "or": "or",
    "rarely_zero": "and inputs are almost\nnever exactly 0",
    # Part II: the gradient step's ledger and sums
    "weight": "weight",
    "bias": "bias",
    "output_weight": "output weight",
    "gate_open": "gate open",
    "gate_closed": "gate closed",
    "gradient": "gradient",
    "output_at": "output at",
    "target": "target",
    "loss": "loss",
    "loss_slope": "slope:",
    "node_output_factor": "its node's output",
    "that": "that",
    "for_the_weight": "for the weight",
    # training, both parts
    "epoch": "epoch",
    "error": "error",
    "mean_squared_error": "mean squared error",
    "regions": "regions",
    # Part III
    "on": "on",  # a unit that passes its input
    "off": "off",
    "sum": "sum",
    "times_unit": "{place} unit",
    "highest": "highest:",
    "zero_on": "on",  # "0 on 31.2% of the square"
    "share_of": "of the {shape}",
    "inside": "inside the {shape}",
}

#: The words a caption's placeholders take that the scenes choose from the numbers (what a value
#: does, a shape's name, a count of things): labels too, so a words file translates them, though
#: they are said, not drawn. A count is said in words up to COUNTED ("count_2" ... "count_6"); a
#: thing counted has a key for one of it ("_one") and for several ("_many", with {count}).
COUNTED = 6
SAID: dict[str, str] = {
    **{f"count_{n}": word for n, word in enumerate(("no", "one", "two", "three", "four", "five", "six"))},
    "and": "and",
    "plus": "plus",
    # Part I
    "lands_on_zero": "lands on 0",
    "passes_unchanged": "passes unchanged",
    "is_positive": "it is positive, so it passes unchanged",
    "not_positive": "it is not positive, so 0",
    "product": "{x} times {w} is {p}",
    "larger_of": "the larger of 0 and {x}",
    "larger_of_scaled": "the larger of {slope} × {x} and {x}",
    "no_activation": "no activation",  # the identity's name (reluviz.activations.Identity)
    # Part II: what a line, a shape, a multiplication is
    "hidden_nodes_one": "one hidden node, using",
    "hidden_nodes_many": "{count} hidden nodes, each using",
    "first_result": "the {node}'s result times {weight}",
    "next_result": "the {place}'s times {weight}",
    "each_result": "each node's result times its output weight",
    "kind_bent": "bent",
    "kind_straight": "straight",
    "kind_curved": "curved",
    "other_nodes_one": "one other node",
    "other_nodes_many": "{count} other nodes",
    "lines_bent_one": "a bent line",
    "lines_bent_many": "{count} bent lines",
    "lines_straight_one": "a straight line",
    "lines_straight_many": "{count} straight lines",
    "lines_curved_one": "a curve",
    "lines_curved_many": "{count} curves",
    "flattens": "flattens it to 0",
    "stretches": "stretches it",
    "squashes": "squashes it",
    "flips": "flips it upside down",
    "flips_and": "flips it upside down and {change}",
    "leaves": "leaves it as it is",
    "final_lines_one": "one final line",
    "final_lines_many": "{count} final lines",
    "values_one": "one value",
    "values_many": "{count} values",
    "shape_wedge": "wedge",
    "shape_line": "line",
    "shape_curve": "curve",
    "shape_pointy": "pointy thing",
    "shape_squiggle": "squiggle",
    "paths_one": "the hidden node's final line",
    "paths_many": "the {count} paths added together",
    "down": "down",
    "up": "up",
    "into_output": "the output",
    "into_output_node": "the output node's {activation}",
    # Part II: the gradient step and training
    "gate_is_open": "is open",
    "gate_all_but_closed": "is all but closed",
    "gate_passes": "passes {slope}",
    "closed_nodes_one": "one closed node",
    "closed_nodes_many": "{count} closed nodes",
    "gates_one": "one gate",
    "gates_many": "{count} gates",
    "is": "is",
    "are": "are",
    "falls": "falls",
    "rises": "rises",
    "network_output": "the network's output",
    "network_of_one": "a network of one hidden ReLU node",
    "network_of_many": "a network of {count} hidden ReLU nodes",
    # Part III
    "square": "square",
    "rectangle": "rectangle",
    "sets_rest": "sets the rest to 0",
    "scales_rest": "multiplies the rest by {slope}",
    "sets_all": "sets all of it to 0",
    "scales_all": "multiplies all of it by {slope}",
    "misses": "misses",
    "miss": "miss",
    "triangle": "triangle",
    "sided_region": "{count}-sided region",
    "four_sided": "four-sided region",
    "five_sided": "five-sided region",
    "six_sided": "six-sided region",
    "falling_beyond": "falling to 0 beyond",
    "sloping_beyond": "sloping down beyond",
    "falling_away": "falling to 0 away from it",
    "sloping_away": "falling away from it",
    "corner": "corner",
    "edge": "edge",
    "units_one": "one {activation} unit",
    "units_many": "{count} {activation} units",
}
LABELS |= SAID


def in_english(key: str, **values: str) -> str:
    """The label ``key`` as the story writes it, its placeholders filled: what a scene's ``label``
    gives without a words file, for code that words things outside a scene."""
    return fill(LABELS[key], values)
