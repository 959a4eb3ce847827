"""The PCG64 states of ``SeedSequence(seed, spawn_key=(k,))`` for many k at once.

Why it exists: Monte Carlo gives run k its own generator,
``Generator(PCG64(SeedSequence(seed, spawn_key=(k,))))``. Building one costs ~10 us
(``SeedSequence`` and its ``generate_state`` are Python-level code), about a third of a
compiled ten-actor EUM run. The seeding is integer hashing only, so it can be done for a
whole chunk of runs at once with uint32 array arithmetic (NumPy's
``bit_generator.pyx``: ``mix_entropy``, ``generate_state``) followed by PCG64's 128-bit
seeding step (``pcg64_set_seed``); the state is then set on one reused generator. The
numbers are the same integers, so the draws are the same bits
(``tests/bargaining/test_seeding.py`` compares the states and the draws).

Examples
--------
>>> import numpy as np
>>> from scomodel.bargaining.seeding import pcg64_states
>>> bg = np.random.PCG64(np.random.SeedSequence(7, spawn_key=(3,))).state["state"]
>>> pcg64_states(7, 3, 4) == [(bg["state"], bg["inc"])]
True
"""

from __future__ import annotations

import numpy as np

__all__ = ["pcg64_states", "supported"]

_M32 = 0xFFFFFFFF
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = 0xCA01F9DD, 0x4973F715
_PCG_MULT = (2549297995355413924 << 64) + 4865540595714422341
_M128 = (1 << 128) - 1


def supported(seed: object, hi: int) -> bool:
    """Whether :func:`pcg64_states` reproduces the seeding (a non-negative int seed and
    spawn keys of one 32-bit word)."""
    return isinstance(seed, int | np.integer) and int(seed) >= 0 and 0 <= hi <= 2**32


def _words(v: int) -> list[int]:
    """``_coerce_to_uint32_array`` of a non-negative int: little-endian 32-bit words."""
    out = [v & _M32]
    v >>= 32
    while v:
        out.append(v & _M32)
        v >>= 32
    return out


def pcg64_states(seed: int, lo: int, hi: int) -> list[tuple[int, int]]:
    """PCG64's (state, inc) for spawn keys lo..hi-1 of ``SeedSequence(seed)``."""
    u = np.uint32
    runs = hi - lo
    run = _words(int(seed))
    run += [0] * max(0, 4 - len(run))  # padded to the pool size: there is a spawn key
    h = _INIT_A

    def hashmix(v: np.ndarray) -> np.ndarray:
        nonlocal h
        v = v ^ u(h)
        h = (h * _MULT_A) & _M32
        v = v * u(h)
        return v ^ (v >> u(16))

    def mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
        r: np.ndarray = x * u(_MIX_L) - y * u(_MIX_R)
        return r ^ (r >> u(16))

    with np.errstate(over="ignore"):  # uint32 arithmetic wraps, as the C code's does
        pool = [hashmix(np.full(runs, run[i], dtype=u)) for i in range(4)]
        for src in range(4):
            for dst in range(4):
                if src != dst:
                    pool[dst] = mix(pool[dst], hashmix(pool[src]))
        extra = [np.full(runs, w, dtype=u) for w in run[4:]]
        extra.append(np.arange(lo, hi, dtype=np.int64).astype(u))
        for w in extra:  # the rest of the entropy, then the spawn key
            for dst in range(4):
                pool[dst] = mix(pool[dst], hashmix(w))
        hb = _INIT_B
        st = np.empty((runs, 8), dtype=u)
        for i in range(8):  # generate_state(4, uint64): 8 words from the cycled pool
            v = pool[i % 4] ^ u(hb)
            hb = (hb * _MULT_B) & _M32
            v = v * u(hb)
            st[:, i] = v ^ (v >> u(16))
    val = st.astype("<u4").view("<u8").astype(np.uint64).tolist()
    out = []
    for v0, v1, v2, v3 in val:  # pcg64_set_seed: state 0, step, add the seed, step
        init, inc = (v0 << 64) | v1, (((v2 << 64) | v3) << 1 | 1) & _M128
        state = (inc + init) & _M128
        state = (state * _PCG_MULT + inc) & _M128
        out.append((state, inc))
    return out
