"""Turning scenes into a lecturer's kit: renders, the film, captions, pages, decks.

The parent process never imports manim (a render with nothing to do stays fast);
each clip is rendered by ``studio.worker`` in a process of its own.
"""
