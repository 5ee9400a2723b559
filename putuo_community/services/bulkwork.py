"""Running bulk work (imports, demo data) without the cyclic garbage collector.

Such work allocates millions of small, acyclic objects (rows, tuples, dicts); the cyclic
collector would rescan the growing heap again and again, about a fifth of the time.
Reference counting still frees everything as usual.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
