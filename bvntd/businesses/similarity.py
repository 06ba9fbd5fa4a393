"""Near-duplicate complaint texts: MinHash signatures and LSH buckets.

Pure: no Django. When many consumers hit by the same practice complain about one business, their texts are
often copies of one template passed around a group chat, with their own name, amount and phone number. We
raise a "mass complaint" alert when many similar complaints arrive within a window. Comparing every pair of
texts is quadratic, so each text gets a fixed-size signature (stored in a BinaryField) and a few band keys
(stored in an indexed table): texts sharing a band key are candidates, confirmed with their signatures.

Texts are compared as sets of word 3-grams of the folded text, so a complaint re-typed without diacritics is
the same text, and changing one word changes only the three shingles it belongs to.
"""

import functools
import hashlib
import random
import re
import zlib
from collections import defaultdict
from collections.abc import Sequence
from itertools import combinations

import numpy as np

from bvntd.core.text import fold

NUM_PERM = 64
BANDS = 16
ROWS = NUM_PERM // BANDS  # 4: two texts become candidates at Jaccard ≈ (1/16) ** (1/4) = 0.5.

# Universal hashing h(x) = (a*x + b) mod p, computed exactly in uint64. With the usual p = 2**61 - 1, a*x
# reaches 2**93 and numpy silently wraps it modulo 2**64, which is no longer a universal hash. With p the
# first prime above 2**32 and x, a, b all below 2**32 (shingles are CRC-32s), a*x + b <= (2**32 - 1)**2 +
# 2**32 - 1 < 2**64: exact, and vectorised. Drawing a and b below 2**32 instead of below p skips 15 of ~4.3e9
# values, which does not matter. h(x) can exceed 2**32 - 1 (p > 2**32), so signatures are stored as uint64.
_PRIME = np.uint64(4294967311)
_DTYPE = np.dtype("<u8")  # Little-endian whatever the machine, so stored signatures stay comparable.
_rng = random.Random(20261128)  # noqa: S311 - fixed seed: signatures must be the same in every process.
_A = np.array([_rng.randrange(1, 2**32) for _ in range(NUM_PERM)], dtype=np.uint64)[:, None]
_B = np.array([_rng.randrange(0, 2**32) for _ in range(NUM_PERM)], dtype=np.uint64)[:, None]
# No hash reaches this (they are below p), so a text without words has a signature that matches nothing.
_EMPTY = np.iinfo(np.uint64).max
EMPTY_SIGNATURE = np.full(NUM_PERM, _EMPTY, dtype=_DTYPE).tobytes()
# Bounds memory on very long texts: NUM_PERM x _CHUNK uint64 values at a time (2 MB).
_CHUNK = 4096
_WORD = re.compile(r"[^\W_]+")
# Whitespace separates words in `fold` too, except the unit separator \x1f, which `clean_text` deletes.
_SPACE = re.compile(r"[^\S\x1f]+")


def shingles(text: str, k: int = 3) -> set[int]:
    """CRC-32s of the word k-grams of the folded text; the words themselves for a text of fewer than k words.

    CRC-32 rather than hash(): Python randomises str hashes per process, and signatures are stored."""
    if k < 1:
        raise ValueError("k must be at least 1")
    words = [word for token in _SPACE.split(text) for word in _folded_words(token)]
    grams = words if len(words) < k else (" ".join(words[i : i + k]) for i in range(len(words) - k + 1))
    return {zlib.crc32(gram.encode()) for gram in grams}


# `fold` works character by character in Python and took 3/4 of the time of `signature`. Folding each
# whitespace-separated token on its own gives the same words as folding the whole text (a test checks it), and
# complaints reuse a small vocabulary, so caching tokens makes signatures about 4 times faster. Long tokens
# (URLs, pasted garbage) are rarely repeated and are not cached, which bounds the cache's memory.
def _folded_words(token: str) -> tuple[str, ...]:
    return _cached_folded_words(token) if len(token) <= _CACHED_TOKEN else _fold_words(token)


def _fold_words(token: str) -> tuple[str, ...]:
    return tuple(_WORD.findall(fold(token)))


_CACHED_TOKEN = 32
_cached_folded_words = functools.lru_cache(maxsize=1 << 15)(_fold_words)


def signature(text: str) -> bytes:
    """MinHash signature: for each of NUM_PERM hash functions, the smallest hash of the text's shingles, as
    NUM_PERM little-endian uint64 (512 bytes). `EMPTY_SIGNATURE` for a text without words."""
    hashes = shingles(text)
    if not hashes:
        return EMPTY_SIGNATURE
    x = np.fromiter(hashes, dtype=np.uint64, count=len(hashes))
    minima = np.full(NUM_PERM, _EMPTY, dtype=np.uint64)
    for start in range(0, len(x), _CHUNK):
        values = (_A * x[start : start + _CHUNK] + _B) % _PRIME
        np.minimum(minima, values.min(axis=1), out=minima)
    return minima.astype(_DTYPE).tobytes()


def _array(sig: bytes) -> np.ndarray:
    values = np.frombuffer(sig, dtype=_DTYPE)
    if len(values) != NUM_PERM:
        raise ValueError(f"a signature has {NUM_PERM} values, got {len(values)}")
    return values


def _is_empty(values: np.ndarray) -> bool:
    return bool(values[0] == _EMPTY)


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if _is_empty(a) or _is_empty(b):
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def estimate_jaccard(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of the two texts' shingle sets: the share of equal signature positions.
    0.0 when either text had no words."""
    return _jaccard(_array(a), _array(b))


def band_keys(sig: bytes) -> list[str]:
    """One key per band of ROWS values, "07:9f3a5c0e12d4b866": texts sharing any key are candidates.

    The band's values are hashed to 8 bytes to keep the indexed column short; a collision only adds a
    candidate that the signature comparison then rejects. No keys for an empty signature: it matches nothing,
    and all texts without words would otherwise fill one huge bucket."""
    values = _array(sig)
    if _is_empty(values):
        return []
    return [f"{band:02d}:{_digest(values[band * ROWS : (band + 1) * ROWS])}" for band in range(BANDS)]


def _digest(band: np.ndarray) -> str:
    return hashlib.blake2b(band.tobytes(), digest_size=8).hexdigest()


def clusters(items: Sequence[tuple[int, bytes]], threshold: float = 0.5) -> list[list[int]]:
    """Groups of at least two near-duplicate texts among (id, signature) items: ids sorted, largest group
    first (then by first id). Two texts are linked when they share a band key and their estimated Jaccard
    similarity is at least `threshold`; groups are the connected sets, so A~B and B~C group A, B and C."""
    arrays = [_array(sig) for _, sig in items]
    parent = list(range(len(items)))
    for members in _buckets(items).values():
        for i, j in combinations(members, 2):
            root_i, root_j = _find(parent, i), _find(parent, j)
            if root_i != root_j and _jaccard(arrays[i], arrays[j]) >= threshold:
                parent[root_j] = root_i
    groups: dict[int, list[int]] = defaultdict(list)
    for index, (item_id, _) in enumerate(items):
        groups[_find(parent, index)].append(item_id)
    return sorted(
        (sorted(group) for group in groups.values() if len(group) > 1), key=lambda g: (-len(g), g[0])
    )


def _buckets(items: Sequence[tuple[int, bytes]]) -> dict[str, list[int]]:
    buckets: dict[str, list[int]] = defaultdict(list)
    for index, (_, sig) in enumerate(items):
        for key in band_keys(sig):
            buckets[key].append(index)
    return buckets


def _find(parent: list[int], i: int) -> int:
    # Path halving keeps the trees shallow without recursion.
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i
