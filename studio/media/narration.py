"""The voice behind each beat, for the render worker: a synthesized voice or the user's
own recordings, handed to scenes as their narrator (``scenes.narrator.Narrator``).

Recordings live under ``voice/<weights>/<clip>/<beat>.wav`` (or .flac, .mp3), the names
``make script`` lists; a beat without one is spoken by the synthesized voice instead.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from reluviz.scenes.framework.narrator import ReadingPace, Speech
from reluviz.studio.media.festival import Festival
from reluviz.studio.media.voice import SENTENCE_TIMEOUT, Command, Piper, Silent, Voice, VoiceError, recording

RECORDING_TYPES = ("wav", "flac", "mp3")


def recording_name(clip: str, beat: int) -> str:
    """Where a beat's recording goes, under ``voice/<weights>/`` (the .wav the script names)."""
    return f"{clip}/{beat:02d}.wav"


def find_recording(folder: Path, clip: str, beat: int) -> Path | None:
    stem = folder / recording_name(clip, beat)
    for kind in RECORDING_TYPES:
        candidate = stem.with_suffix(f".{kind}")
        if candidate.is_file():
            return candidate
    return None


def recordings_fingerprint(folder: Path | None, clip: str) -> dict[str, str]:
    """The sha256 of every recording a clip would use: a replaced recording re-renders its clip only."""
    if folder is None or not (folder / clip).is_dir():
        return {}
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted((folder / clip).iterdir())
        if path.suffix.lstrip(".") in RECORDING_TYPES
    }


VOICES = ("festival", "piper", "command", "none")


def make_voice(
    kind: str = "festival", command: str | None = None, timeout: float = SENTENCE_TIMEOUT, keep_running: bool = True
) -> Voice:
    """A voice by name: ``festival``, ``piper``, ``command`` (with its template) or ``none``; each
    sentence may take ``timeout`` seconds; ``keep_running``: see ``festival.Festival``."""
    if kind == "festival":
        return Festival(timeout=timeout, keep_running=keep_running)
    if kind == "piper":
        return Piper(timeout=timeout)
    if kind == "command":
        if not command:
            raise VoiceError("VOICE=command needs VOICE_COMMAND, a command with {wav} for the output file")
        return Command(command, timeout)
    if kind == "none":
        return Silent()
    raise VoiceError(f"unknown voice {kind!r}; voices: {', '.join(VOICES)}")


def synthesized_voice(
    kind: str,
    command: str = "",
    timeout: float = SENTENCE_TIMEOUT,
    unrecorded: str = "festival",
    keep_running: bool = True,
) -> Voice:
    """The voice that speaks (and, with ``recorded``, speaks the beats nobody recorded: the
    command if one is given, else ``unrecorded``, the words' language's voice), each sentence in
    at most ``timeout`` seconds; ``keep_running``: see ``voice.Festival``."""
    if kind == "recorded":
        return make_voice("command" if command else unrecorded, command or None, timeout, keep_running)
    return make_voice(kind, command or None, timeout, keep_running)


class VoiceNarrator:
    """Speaks a clip's beats: the user's recording where there is one, else the voice.

    ``recordings`` is where this process finds them (on a render worker, its copy of them);
    ``recordings_named`` the user's own folder they came from, which messages name."""

    def __init__(
        self,
        voice: Voice,
        cache: Path,
        clip: str,
        recordings: Path | None = None,
        recordings_named: Path | None = None,
    ) -> None:
        self.voice, self.cache, self.clip, self.recordings = voice, cache, clip, recordings
        self.recordings_named = recordings_named or recordings
        self.missing: list[str] = []  # recordings looked for and not found

    def speak(self, spoken: str, beat: int) -> Speech:
        if self.recordings is not None:
            found = find_recording(self.recordings, self.clip, beat)
            if found is not None:
                try:
                    made = recording(found, self.cache)
                except VoiceError as error:  # a file the user can open and fix, not the worker's copy
                    named = self.recordings_named / found.relative_to(self.recordings)
                    raise VoiceError(f"{named}: {str(error).replace(f'{found}: ', '')}") from None
                return Speech(made.seconds, made.path)
            self.missing.append(recording_name(self.clip, beat))
        made = self.voice.say(spoken, self.cache)
        if made is None:  # no voice: the reading pace of one
            return ReadingPace().speak(spoken, beat)
        return Speech(made.seconds, made.path)
