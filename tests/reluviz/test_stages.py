"""Stage names: the lesson's words for its network of two hidden nodes, any network's otherwise."""

from reluviz.words.stages import BY_NAME, STAGES, part_titles


def test_two_nodes_take_the_lessons_titles_and_other_networks_the_general_ones():
    assert part_titles(2, 2)[4:6] == ["9. The bottom node", "10. Adding the two paths"]
    for nodes in (1, 3, 6):
        assert part_titles(2, nodes)[4:6] == ["9. The other hidden nodes", "10. Adding the paths"]
    bottom = BY_NAME["bottom_node"].worded(2)
    assert bottom.summary == "The bottom path gives the orange line, scaled by its output weight."
    assert [s.name for s in STAGES if s.worded(2) != s] == ["bottom_node", "summing"]
