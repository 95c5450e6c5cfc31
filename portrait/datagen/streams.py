"""Randomness that does not depend on how people are chunked.

People are numbered 0..n-1 and grouped in fixed blocks of BLOCK consecutive people (people who
arrive after --end get one block per arrival day). Every random draw about people, or about rows
that belong to them, comes from a numpy stream keyed by (seed, purpose, block): a block's draws are
the same whichever chunk it is generated in, because a chunk is always a run of whole blocks and a
block's draws never depend on another block's rows.

Draws about a raw row that must not depend on which other rows exist (noise, duplicate distance)
hash the row's identity instead (`row_unit`, `row_bits`), and identifiers that must be unique
across all people are a keyed bijection of the person's global number (`permute`).
"""

import zlib

import numpy as np

from .idcodes import mix64

BLOCK = 2000  # people per block: the unit of random streams and of chunks


def purpose_key(name: str) -> int:
    """A stable integer for a purpose name (CRC-32)."""
    return zlib.crc32(name.encode())


class Streams:
    """One numpy Generator per block for one purpose, created on first use."""

    def __init__(self, seed: int, purpose: str):
        self.key = [int(seed), purpose_key(purpose)]
        self._generators = {}

    def block(self, block: int) -> np.random.Generator:
        """The generator of one block."""
        generator = self._generators.get(block)
        if generator is None:
            generator = np.random.default_rng([*self.key, int(block)])
            self._generators[block] = generator
        return generator

    def rows(self, block: np.ndarray) -> "RowDraws":
        """Draws for rows whose blocks are `block` (one block id per row)."""
        return RowDraws(self, np.asarray(block, dtype=np.int64))

    def draw(self, block: np.ndarray, method: str, *per_row, **constants) -> np.ndarray:
        """`Generator.<method>` for every row, each row's value drawn from its block's stream.

        block: block id per row (length n). per_row: arguments of length n (sliced per block; a
        2-D array gives a 2-D result) or scalars; constants: keyword arguments passed unchanged
        (`p=`, `a=`, `replace=`). Rows of one block are drawn in their order in `block`.
        """
        n = len(block)
        sorted_rows = n < 2 or not np.any(block[1:] < block[:-1])
        order = None if sorted_rows else np.argsort(block, kind="stable")
        keys = block if order is None else block[order]
        args = [a if np.ndim(a) == 0 or order is None else np.asarray(a)[order] for a in per_row]
        has_rows = any(np.ndim(a) > 0 for a in args)
        if n == 0:
            empty = [np.asarray(a)[:0] if np.ndim(a) > 0 else a for a in args]
            sample = getattr(np.random.default_rng(0), method)
            return sample(*empty, **constants) if has_rows else sample(*empty, size=0, **constants)
        starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
        ends = np.r_[starts[1:], n]
        parts = []
        for s, e in zip(starts, ends, strict=True):
            sample = getattr(self.block(int(keys[s])), method)
            sliced = [a[s:e] if np.ndim(a) > 0 else a for a in args]
            parts.append(sample(*sliced, **constants) if has_rows else sample(*sliced, size=e - s, **constants))
        values = np.concatenate(parts)
        if order is None:
            return values
        out = np.empty_like(values)
        out[order] = values
        return out


class RowDraws:
    """Draws for a fixed set of rows (numpy Generator methods without `size`: one value per row)."""

    def __init__(self, streams: Streams, block: np.ndarray):
        self.streams = streams
        self.block = block

    def __len__(self) -> int:
        return len(self.block)

    def sub(self, rows) -> "RowDraws":
        """Draws for a subset of the rows (an index array or a boolean mask)."""
        return RowDraws(self.streams, self.block[rows])

    def repeat(self, counts: np.ndarray) -> "RowDraws":
        """Draws for rows repeated `counts` times each (np.repeat)."""
        return RowDraws(self.streams, np.repeat(self.block, counts))

    def _draw(self, method, *per_row, **constants):
        return self.streams.draw(self.block, method, *per_row, **constants)

    def random(self) -> np.ndarray:
        """Uniform floats in [0, 1), one per row."""
        return self._draw("random")

    def uniform(self, low, high) -> np.ndarray:
        """Uniform floats in [low, high) (scalars or one bound per row)."""
        return self._draw("uniform", low, high)

    def integers(self, low, high) -> np.ndarray:
        """Whole numbers (int64) in [low, high)."""
        return self._draw("integers", low, high)

    def normal(self, loc, scale) -> np.ndarray:
        """Normal draws with mean loc and standard deviation scale."""
        return self._draw("normal", loc, scale)

    def exponential(self, scale=1.0) -> np.ndarray:
        """Exponential draws with mean scale."""
        return self._draw("exponential", scale)

    def gamma(self, shape, scale=1.0) -> np.ndarray:
        """Gamma draws (mean shape * scale); a 2-D shape gives one row of draws per row."""
        return self._draw("gamma", shape, scale)

    def beta(self, a, b) -> np.ndarray:
        """Beta(a, b) draws in (0, 1)."""
        return self._draw("beta", a, b)

    def poisson(self, lam) -> np.ndarray:
        """Poisson counts with mean lam."""
        return self._draw("poisson", lam)

    def lognormal(self, mean, sigma) -> np.ndarray:
        """exp(normal(mean, sigma)) draws."""
        return self._draw("lognormal", mean, sigma)

    def zipf(self, a) -> np.ndarray:
        """Zipf draws (whole numbers from 1) with exponent a."""
        return self._draw("zipf", a)

    def choice(self, a, p=None) -> np.ndarray:
        """One of `a` (a count or a list of values) per row, with probabilities p."""
        return self._draw("choice", a=a, p=p)


# ------------------------------------------------------------------ row hashing
_ROW_KEY = 0x7A3B_91C4_55E2_0D1F


def row_bits(uid: np.ndarray, purpose: str) -> np.ndarray:
    """64 pseudo-random bits per row identity (uint64), from the seed, the purpose and the uid."""
    return mix64(mix64(uid, _ROW_KEY ^ purpose_key(purpose)), purpose_key(purpose))


def row_unit(uid: np.ndarray, purpose: str) -> np.ndarray:
    """A uniform number in [0, 1) per row identity."""
    return (row_bits(uid, purpose) >> np.uint64(11)).astype(np.float64) * 2.0**-53


# ------------------------------------------------------------------ unique codes
def permute(x: np.ndarray, size: int, purpose: str) -> np.ndarray:
    """A keyed bijection of [0, size) applied to x (int64 values in [0, size)): distinct inputs
    give distinct outputs that look random. A 4-round Feistel network on the smallest even number
    of bits that holds `size`, walking cycles until the value falls below `size`."""
    x = np.asarray(x, dtype=np.int64)
    if len(x) and (x.min() < 0 or x.max() >= size):
        raise ValueError(f"permute: value outside [0, {size})")
    bits = max(2, int(size - 1).bit_length())
    bits += bits % 2
    half = np.uint64(bits // 2)
    mask = np.uint64((1 << (bits // 2)) - 1)
    key = purpose_key(purpose)
    out = x.astype(np.uint64)
    todo = np.arange(len(out))
    while len(todo):
        value = out[todo]
        left, right = value >> half, value & mask
        for round_ in range(4):
            left, right = right, left ^ (mix64(right, key + 0x9E37 * (round_ + 1)) & mask)
        value = (left << half) | right
        out[todo] = value
        todo = todo[value >= np.uint64(size)]
    return out.astype(np.int64)
