"""Memory the scan has let go of, handed back to the system between stages.

glibc's allocator keeps the memory of freed arrays of up to 32 MB in its heap for the next allocation, so
a scan's resident size after a stage stays near that stage's peak, and the next stage's peak stacks on
top of what is left of it. ``malloc_trim`` returns the free pages. Elsewhere (macOS, Windows, musl) this
does nothing.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import sys
from functools import lru_cache


@lru_cache(maxsize=1)
def _trim():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc.malloc_trim
    except (OSError, AttributeError):  # not glibc
        return None


def give_back() -> None:
    """Return the free memory of this process's heap to the system, where the C library can."""
    trim = _trim()
    if trim is not None:
        trim(0)
