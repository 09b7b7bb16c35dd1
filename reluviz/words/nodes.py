"""What the story calls the hidden nodes and their paths, for any number of them: the lesson's
"top" and "bottom" for two, "hidden" for one, "first" to "sixth" in captions
and "node 1" to "node 6" in tables and messages for more."""

from __future__ import annotations

#: The lesson's two nodes, top to bottom, as its weights file and captions name them.
LESSON_NODES = ("top", "bottom")
ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
#: A network's only hidden node.
SINGLE_NODE = "hidden"


def unit_names(count: int) -> tuple[str, ...]:
    """Each node's short name, for columns and messages: "top"/"bottom" for two, else "node 1".."""
    if count == len(LESSON_NODES):
        return LESSON_NODES
    return tuple(f"node {i + 1}" for i in range(count))


def node_label(unit_name: str) -> str:
    """A hidden node's name as a noun: "top" -> "top node", "node 3" stays "node 3"."""
    return unit_name if unit_name.startswith("node") else f"{unit_name} node"


def caption_places(count: int) -> tuple[str, ...]:
    """The word before "node" and "path" in captions: "hidden" for one node, "top" and
    "bottom" for the lesson's two, else "first" to "sixth"."""
    return {1: (SINGLE_NODE,), len(LESSON_NODES): LESSON_NODES}.get(count, ORDINALS[:count])
