"""Two inputs (Part III): each hidden unit's input w1 * x1 + w2 * x2 + b is a tilted plane over
the input rectangle, folded by its activation along the crease line where it crosses the bend.

``network`` is the forward pass and what a scene can draw; ``regions`` cuts the rectangle
along the creases, exactly, into the regions where every unit is on or off.
"""
