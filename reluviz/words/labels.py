"""The words on screen that are neither a caption nor a title: axis names, table headings,
readouts, notes beside a plot. Their one home, so a words file (``[labels]``) can change any
of them; a scene asks for one by its key (``StoryScene.label``).

A label may have ``{placeholders}`` (a node's or a shape's name, as the scene computes it);
one with a line break is drawn on two lines. No manim here.
"""

from __future__ import annotations

from reluviz.words.nodes import LESSON_NODES, ORDINALS, SINGLE_NODE


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
