"""Typeset text kept cheap to copy, and readouts that typeset each digit string once (see the
package's docstring, "Numbers" and "Glyph sources")."""

from __future__ import annotations

from manim import DecimalNumber, Mobject, VMobject, VMobjectFromSVGPath

from reluviz.scenes.framework.manim_internals import versions


def without_glyph_sources(mobject: Mobject) -> Mobject:
    """``mobject`` with its glyphs' parsed SVG paths dropped (see the module's docstring): the
    same points, cheaper to copy. Kept on an unchecked manim, which may read them later."""
    if versions.checked():
        for part in mobject.get_family():
            if isinstance(part, VMobjectFromSVGPath):
                part.path_obj = None
    return mobject


class DigitCachedDecimal(DecimalNumber):
    """A DecimalNumber that typesets each digit string once per process (``glyphs`` makes it)
    and keeps its glyphs while the digits it shows stay the same; stock DecimalNumber on an
    unchecked manim."""

    #: Digits typeset once per process, like manim's own map (which is keyed by the string
    #: only, so sharing it would mix our font with a plain DecimalNumber's).
    _typeset: dict[str, VMobject] = {}

    def glyphs(self, string: str, **kwargs) -> VMobject:
        """The string typeset (a subclass says how)."""
        raise NotImplementedError

    def _string_to_mob(self, string: str, mob_class=None, **kwargs) -> VMobject:
        if not versions.checked():
            return super()._string_to_mob(string, mob_class, **kwargs)
        if string not in self._typeset:
            self._typeset[string] = without_glyph_sources(self.glyphs(string, **kwargs))
        mob = self._typeset[string].copy()
        mob.font_size = self._font_size
        return mob

    def _set_submobjects_from_number(self, number: float) -> None:
        super()._set_submobjects_from_number(number)
        self._drawn = self._get_num_string(number) if versions.checked() else None

    def shows_digits_of(self, number: float) -> bool:
        """Whether the glyphs drawn now are those of ``number`` (always False on an unchecked manim)."""
        return versions.checked() and self._get_num_string(number) == self._drawn
