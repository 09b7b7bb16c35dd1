"""Turning scenes into a lecturer's kit: renders, the film, captions, pages, decks.

The client never imports manim or Dask when nothing needs rendering (a render with
nothing to do stays fast); clips are rendered by ``studio.worker`` on Dask workers
(``studio.cluster``), on this machine or others.
"""
