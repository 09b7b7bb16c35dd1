"""A scene that draws its still parts once under each animation (see the package's docstring,
"Still pictures")."""

from __future__ import annotations

import inspect

from manim import Mobject, Scene
from manim.utils.family import extract_mobject_family_members
from manim.utils.iterables import list_update

from reluviz.scenes.framework.manim_internals import versions


class StillAwareScene(Scene):
    """A scene whose still parts are drawn once under each animation (see the module's docstring)."""

    def get_moving_and_static_mobjects(self, animations):
        """Split the picture into what an animation redraws on every frame and what is drawn
        once, underneath.

        Unlike manim's own split, a mobject whose updater only follows some trackers (a
        curve on a plot: ``follows()``) counts as still unless one of those is animated; and
        whole mobjects are handed to the camera, which expands families on every frame, so
        parts replaced mid-animation (new tick labels as a view moves) are drawn, old ones not.
        """
        if not versions.checked():
            return super().get_moving_and_static_mobjects(animations)
        animated = {id(part) for animation in animations for part in _animated_mobjects(animation)}

        def moving(mob) -> bool:
            for part in mob.get_family():
                if id(part) in animated or part in self.foreground_mobjects:
                    return True
                if part.updaters:
                    follows = getattr(part, "follows", None)
                    if follows is None or any(id(dependency) in animated for dependency in follows()):
                        return True
            return False

        on_screen = list_update(self.mobjects, self.foreground_mobjects)
        roots = [m for m in on_screen if moving(m)]
        root_parts = {id(part) for root in roots for part in root.get_family()}
        static = extract_mobject_family_members(
            on_screen, use_z_index=self.renderer.camera.use_z_index, only_those_with_points=True
        )
        return roots, [m for m in static if id(m) not in root_parts]

    def update_mobjects(self, dt: float) -> None:
        """manim's: each mobject's updaters, then each of its parts' in order, depth first;
        walked in one loop, each updater's signature read once. manim calls ``update`` on every
        part of every mobject on screen on every frame (a group of 400 dots: 400 calls) and
        reads every updater's signature each time."""
        if not versions.checked():
            return super().update_mobjects(dt)
        takes_dt = self.__dict__.setdefault("_updater_takes_dt", {})
        for root in self.mobjects:
            todo = [root]
            while todo:
                mob = todo.pop()
                if type(mob).update is not Mobject.update:  # updated its own way, as manim calls it
                    mob.update(dt)
                    continue
                if mob.updating_suspended:
                    continue
                for updater in mob.updaters:
                    wants_dt = takes_dt.get(updater)
                    if wants_dt is None:
                        wants_dt = takes_dt[updater] = "dt" in inspect.signature(updater).parameters
                    if wants_dt:
                        updater(mob, dt)
                    else:
                        updater(mob)
                todo.extend(reversed(mob.submobjects))  # (read after its updaters, as manim does)


def _animated_mobjects(animation) -> list:
    """Every mobject an animation (or a group of them) changes, with their families."""
    found = list(animation.mobject.get_family()) if animation.mobject is not None else []
    for inner in getattr(animation, "animations", ()):
        found += _animated_mobjects(inner)
    return found
