"""Stage names: the lesson's words for its network of two ReLU nodes; for any other network its
own size's words and the activations it has."""

from reluviz.activations import make_activation
from reluviz.files.weights import load_weights
from reluviz.model import HiddenUnit, Network
from reluviz.words.stages import BY_NAME, STAGES, part_titles


def network(nodes: int, hidden: str = "relu", output: str = "relu") -> Network:
    units = tuple(HiddenUnit(1.0, -0.5, 1.0) for _ in range(nodes))
    return Network(units, make_activation(hidden), make_activation(output), -1.0)


def test_two_nodes_take_the_lessons_titles_and_other_networks_the_general_ones():
    assert part_titles(2, network(2))[4:6] == ["9. The bottom node", "10. Adding the two paths"]
    for nodes in (1, 3, 6):
        assert part_titles(2, network(nodes))[4:6] == ["9. The other hidden nodes", "10. Adding the paths"]
    bottom = BY_NAME["bottom_node"].worded(network(2))
    assert bottom.summary == "The bottom path gives the orange line, scaled by its output weight."
    assert [s.name for s in STAGES if s.worded(network(2)) != s] == ["bottom_node", "summing"]


def test_titles_name_the_activation_in_use_and_keep_the_lessons_words_for_relu():
    def titled(net: Network) -> tuple[str, str]:
        titles = part_titles(2, net)
        return titles[2], titles[7]  # stages 7 and 12

    assert titled(load_weights("relu").network) == ("7. ReLU clips", "12. The output ReLU")
    assert titled(network(3, "sigmoid")) == ("7. Sigmoid squashes", "12. The output ReLU")
    assert titled(network(2, "tanh", "sigmoid")) == ("7. Tanh squashes", "12. The output sigmoid")
    assert titled(network(2, "leaky_relu")) == ("7. Leaky ReLU bends", "12. The output ReLU")
    assert titled(load_weights("softplus").network) == ("7. Softplus bends smoothly", "12. No output activation")
    assert titled(network(1, "identity", "identity")) == (
        "7. No activation: the line passes",
        "12. No output activation",
    )
