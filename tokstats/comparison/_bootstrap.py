"""Percentile bootstrap confidence intervals for ratios of sums, seeded so numbers reproduce.

Every aggregate tokstats reports is a ratio of sums over units (sentences, documents):
``sum(a) / sum(b)``. Its 95% interval is found by resampling the units with replacement
``resamples`` times and taking the 2.5th and 97.5th percentiles of the resampled ratios
(Efron & Tibshirani 1993, *An Introduction to the Bootstrap*, ch. 13, the percentile
interval). Numerator and denominator are resampled together, unit by unit, so the pairing of a
sentence with its translation is kept.

Below ``MIN_UNITS`` units no interval is given (``None``, printed as n/a): with two or
three documents the resampled ratios take only a handful of values, and their percentiles
describe the resampling, not the uncertainty.

The generator is NumPy's PCG64 seeded with ``DEFAULT_SEED``; the seed and the number of
resamples go into the signature (``settings``), so a printed interval can be reproduced.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from tokstats.defaults import (
    DEFAULT_LEVEL,
    DEFAULT_RESAMPLES,
    DEFAULT_SEED,
    MAX_RESAMPLES,
)
from tokstats.errors import InputError

#: Fewest units (sentences, documents) an interval is computed from; below it: ``None`` (n/a).
MIN_UNITS = 5
#: Resampled index matrices are built in blocks of at most this many cells to bound memory.
_BLOCK_CELLS = 4_000_000


@dataclass(frozen=True)
class BootstrapConfig:
    """How intervals are computed: number of resamples, seed and confidence level."""

    resamples: int = DEFAULT_RESAMPLES
    seed: int = DEFAULT_SEED
    level: float = DEFAULT_LEVEL

    def __post_init__(self) -> None:
        for name, value, low, high in (
            ("resamples", self.resamples, 1, MAX_RESAMPLES),
            ("seed", self.seed, 0, 2**63 - 1),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
                raise InputError(f"{name} must be a whole number from {low:,} to {high:,}, not {value!r}")
        if not isinstance(self.level, float | int) or not 0 < self.level < 1:
            raise InputError(f"level must be between 0 and 1, not {self.level!r}")

    def settings(self) -> dict[str, str]:
        """The signature setting that records this configuration."""
        return {"ci": f"percentile-bootstrap,level={self.level:g},resamples={self.resamples},seed={self.seed}"}


def ratio_ci(
    numerators: Sequence[float], denominators: Sequence[float], config: BootstrapConfig = BootstrapConfig()
) -> tuple[float, float] | None:
    """Percentile bootstrap interval of ``sum(numerators) / sum(denominators)`` over units.

    ``None`` when there are fewer than ``MIN_UNITS`` units (too few for the percentiles to
    mean anything) or the total denominator is zero. Resamples whose denominator sums to zero are dropped.
    """
    import numpy as np

    a = np.asarray(numerators, dtype=float)
    b = np.asarray(denominators, dtype=float)
    if a.shape != b.shape:
        raise ValueError("numerators and denominators differ in length")
    n = len(a)
    if n < MIN_UNITS or b.sum() == 0:
        return None
    rng = np.random.default_rng(config.seed)
    block = max(1, _BLOCK_CELLS // n)
    ratios: list[np.ndarray] = []
    done = 0
    while done < config.resamples:
        size = min(block, config.resamples - done)
        idx = rng.integers(0, n, size=(size, n))
        num, den = a[idx].sum(axis=1), b[idx].sum(axis=1)
        keep = den != 0
        ratios.append(num[keep] / den[keep])
        done += size
    r = np.concatenate(ratios)
    if len(r) == 0:
        return None
    tail = (1 - config.level) / 2 * 100
    lo, hi = np.percentile(r, [tail, 100 - tail])
    return float(lo), float(hi)
