"""One festival kept running in a process, speaking sentence after sentence.

Starting festival and loading its voice is more than half of speaking a sentence (0.14 of
0.24 s; a story has about a hundred). Festival reads Lisp on its stdin when that is a pipe, so
one process loads ``text2wave`` once, with the voice, and then runs its ``main`` again for
each sentence: the same code as text2wave run alone, and the same bytes
(tests/studio/test_voice.py compares them). After each sentence it writes a line on stderr
(its stdout into a pipe is held back) that this module waits for, up to the sentence's timeout.

Every name festival reads is in its own folder, so no path of ours is spelled in Lisp: the
text goes in as ``sentence.txt`` and the audio comes out as ``sentence.wav``, then moved to
where it was asked for. Anything unexpected (festival gone, no audio) stops the process and
returns False: the caller runs festival alone, which says what went wrong in its own words.
"""

from __future__ import annotations

import atexit
import os
import selectors
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from contextlib import suppress
from pathlib import Path

_SENTENCE, _AUDIO = "sentence.txt", "sentence.wav"


class FestivalProcess:
    """A running festival for one voice and heap, speaking a sentence at a time."""

    def __init__(self, text2wave: str, voice: str, heap: int) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="reluviz-festival-"))
        self.text2wave, self.voice = text2wave, voice
        self.process = subprocess.Popen(
            ["festival", "--heap", str(heap)],
            cwd=self.folder,
            stdin=subprocess.PIPE,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,  # unbuffered, unlike its stdout into a pipe: where it says it is done
            start_new_session=True,  # stopped with whatever it started, as a voice run alone is
        )
        self.spoken = 0  # sentences asked for; the first also loads text2wave and the voice

    def speak(self, text: str, out: Path, timeout: float) -> bool:
        """``text`` spoken into ``out`` (True), or False if festival did not; raises
        TimeoutError (the process stopped) if it took more than ``timeout`` seconds."""
        (self.folder / _SENTENCE).write_text(text, encoding="utf-8")
        audio = self.folder / _AUDIO
        audio.unlink(missing_ok=True)
        self.spoken += 1
        arguments = f'"-o" "{_AUDIO}" "{_SENTENCE}"'
        if self.spoken == 1:
            lisp = f'(set! argv (list "-eval" "(voice_{self.voice})" {arguments}))\n(load "{self.text2wave}")\n'
        else:  # text2wave's main again, its sample count (a defvar) set back as a fresh start has it
            lisp = f"(set! totalnumsamples 0)\n(set! argv (list {arguments}))\n(main)\n"
        said = f"spoken {self.spoken}"
        try:
            self.process.stdin.write(f'{lisp}(format stderr "{said}\\n")\n'.encode())
            self.process.stdin.flush()
        except OSError:  # festival has gone
            return False
        if not self._heard(said.encode(), timeout):
            return False
        if not audio.is_file() or audio.stat().st_size <= 44:  # a header and nothing said
            return False
        shutil.move(audio, out)
        return True

    def _heard(self, line: bytes, timeout: float) -> bool:
        """Whether festival writes ``line`` within ``timeout`` seconds (False if it ends first)."""
        deadline, heard = time.monotonic() + timeout, b""
        with selectors.DefaultSelector() as selector:
            selector.register(self.process.stderr, selectors.EVENT_READ)
            while line + b"\n" not in heard:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                if selector.select(left):
                    chunk = os.read(self.process.stderr.fileno(), 4096)
                    if not chunk:
                        return False
                    heard += chunk
        return True

    def stop(self) -> None:
        with suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stderr):
            with suppress(OSError):
                stream.close()
        shutil.rmtree(self.folder, ignore_errors=True)


_running: dict[tuple, FestivalProcess] = {}
_turns = threading.Lock()


def speak(text: str, out: Path, timeout: float, text2wave: str, voice: str, heap: int) -> bool:
    """``text`` spoken into ``out`` by this process's festival for ``voice`` (started now if it
    is not running, or runs another program, heap or voice); False if festival did not speak
    it, and TimeoutError (festival stopped) if it took more than ``timeout`` seconds."""
    key = (shutil.which("festival"), text2wave, voice, heap)
    with _turns:
        festival = _running.get(key)
        if festival is None:
            stop_all()
            festival = _running[key] = FestivalProcess(text2wave, voice, heap)
        try:
            spoken = festival.speak(text, out, timeout)
        except TimeoutError:
            stop_all()
            raise
        if not spoken:
            stop_all()
        return spoken


def stop_all() -> None:
    while _running:
        _running.popitem()[1].stop()


atexit.register(stop_all)
