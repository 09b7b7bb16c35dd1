"""Every place reluviz reaches into manim's private parts, in this one package: each is used
only on the manim versions it was read against and compared frame by frame with stock
manim (``CHECKED_MANIM_VERSIONS``); on any other version manim's own behaviour is used
(slower, the same pictures). Everything goes through subclasses and manim's own
parameters; nothing on manim's classes is replaced.

**The renderer** (speed). manim (0.22) copies each 8 MB RGBA picture (1080p) out of the
camera, again into a video frame, then converts it to YUV, once per repeat of a held
picture. ``FastCairoRenderer``'s camera draws into the memory of an RGBA video frame
(where a frame pads its rows, 854 pixels at low quality, its own memory wrapped as one),
converted in place of the first copy; a held picture is converted once, and a long hold is
encoded only until x264 stops refining it, its last frame copied for the rest (held_video).
Within an animation, only the boxes the moving mobjects were drawn in, this frame or the last,
are put back to the still picture and converted again (yuv_rows); the camera logs the box
each path can reach (``FastPathCamera.log_painted``), and any other drawing (images,
point clouds, a whole ``update_frame``) makes the next frame whole again.
Its ``FastFileWriter`` makes a ``FastSegmentEncoder`` in ``_create_segment_encoder``. Private
parts used: that factory, the ``VideoSegmentEncoder``'s array checks, PyAV stream and container;
overridden: ``CairoRenderer.update_frame`` (to know when the whole picture was drawn again).

**Paths** (speed). manim's camera finds each path's subpaths with numpy on every frame, more
than drawing a path of a few points costs (Part III: about 400 faces a frame).
``FastPathCamera`` (``fast_camera``; another camera through ``camera_like``) traces short
paths from plain floats: the same curves, in the same order, and remembers which drawing
function each class of mobject takes. Overridden: ``Camera.type_or_raise`` and
``Camera.set_cairo_context_path``. A small path filled with one colour, drawn again with the
same points over the pixels it was drawn over before, has what it made of them pasted back
(``Repaints``: plane_training's 400 data points over its moving map, glyphs of a moving group):
Cairo paints the same pixels from the same path, colour and pixels underneath.

**Shading** (speed). manim's 3-D camera lights a shaded piece from two corners and their
normals, found again for its fill and for its stroke; ``FastShadingCamera`` finds them once for
the piece drawn (manim's own helpers and numbers). Overridden: ``ThreeDCamera.modified_rgbas``.

**Projection** (speed). manim's 3-D camera finds a point's perspective factor twice, once for x
and once for y; ``FastProjectionCamera`` finds it once (the same operations on the same numbers).
A flat camera's points as drawn (``flat_points``) are asked whether finite without ``np.all``'s
wrapper. Overridden: ``ThreeDCamera.project_points``, ``Camera.transform_points_pre_display``
(where the camera's class keeps manim's).

**Depth** (speed). A 3-D camera orders shaded pieces by their centres; manim's ``get_center``
lists every anchor in Python first. ``depth_reference_point`` computes the same numbers in one
numpy pass, for classes that find their centre as ``VMobject`` does.

**Numbers** (speed). ``DigitCachedDecimal`` typesets each digit string once per process and
keeps a readout's glyphs while its digits stay the same. Private parts used:
``DecimalNumber._string_to_mob``, ``_set_submobjects_from_number`` and ``_get_num_string``.

**Glyph sources** (speed). A glyph keeps the parsed SVG path it was made from
(``VMobjectFromSVGPath.path_obj``), read only while its points are made, and every animation
that copies a text deep-copies it (half the CPU of building a stage of formulas).
``without_glyph_sources`` drops it from what reluviz typesets. Private part used: that
attribute, and that nothing reads it later.

**Building without pictures** (speed). A scene built for its words (``make script``, the
tests) skips its animations, yet manim's renderer still draws and copies each one's still
part. ``BuildingRenderer`` draws nothing while it skips, on the smallest picture of the
frame's aspect, and resets a 3-D camera's rotation as drawing would. Overridden:
``CairoRenderer.update_frame``, ``render``, ``save_static_frame_data``, ``freeze_current_frame``.

**Still pictures** (speed). ``StillAwareScene`` splits a frame into what an animation
redraws and what is drawn once underneath, counting a curve that follows only some trackers
as still unless one of them moves; and runs the updaters in manim's order in one loop, each
updater's signature read once. Overridden: ``Scene.get_moving_and_static_mobjects``,
``Scene.update_mobjects``. A scene may also draw once, underneath, still parts its camera
draws over the moving ones (Part III's words beside its moving 3-D parts): ``FastCairoRenderer``
logs their boxes as it draws the still picture and draws whole, in order, any frame whose moving
parts reach one. Overridden: ``CairoRenderer.save_static_frame_data``. The 3-D camera's frame
centre, a point too thin to draw, no longer hides where the rest was drawn.

tests/scenes/test_manim_internals.py compares the frames of each with stock manim's (the
paths: pixel for pixel, with manim's own camera).
"""

from __future__ import annotations

from reluviz.scenes.framework.manim_internals.camera import (
    FastPathCamera,
    camera_like,
    depth_reference_point,
    fast_camera,
    flat_points,
)
from reluviz.scenes.framework.manim_internals.encoder import FastFileWriter, FastSegmentEncoder
from reluviz.scenes.framework.manim_internals.mobjects import DigitCachedDecimal, without_glyph_sources
from reluviz.scenes.framework.manim_internals.renderer import (
    BuildingRenderer,
    FastCairoRenderer,
    building_renderer,
    fast_renderer_class,
)
from reluviz.scenes.framework.manim_internals.scene import StillAwareScene
from reluviz.scenes.framework.manim_internals.versions import CHECKED_MANIM_VERSIONS, checked

__all__ = [
    "CHECKED_MANIM_VERSIONS",
    "BuildingRenderer",
    "DigitCachedDecimal",
    "FastCairoRenderer",
    "FastFileWriter",
    "FastPathCamera",
    "FastSegmentEncoder",
    "StillAwareScene",
    "building_renderer",
    "camera_like",
    "checked",
    "depth_reference_point",
    "fast_camera",
    "fast_renderer_class",
    "flat_points",
    "without_glyph_sources",
]
