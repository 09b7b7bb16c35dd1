"""The render pipeline: clip keys, the cache, scheduling on Dask, the worker."""
