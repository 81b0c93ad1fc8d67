"""Defaults and limits shared by the command line and the Python API, each defined once.

A default here is what a run uses when the caller names nothing; a limit is the range a
parameter is accepted in, the same at ``tokstats … --option`` and in ``tokstats.function(…)``
(docs/security-and-limits.md lists them). Each limit keeps memory and time finite: a resample
costs a pass over the units, a thread a stack and a chunk in flight.
"""

from __future__ import annotations

import os

#: The tokenizers compared when none are named: the GPT-4o launch pair, old then new.
DEFAULT_TOKENIZERS: tuple[str, ...] = ("cl100k_base", "o200k_base")

#: Bootstrap intervals: seed of NumPy's PCG64, resamples, confidence level.
DEFAULT_SEED = 20261123
DEFAULT_RESAMPLES = 2000
DEFAULT_LEVEL = 0.95

#: Accepted ranges, ``(low, high)`` inclusive.
SEED_RANGE = (0, 2**63 - 1)
RESAMPLES_RANGE = (1, 100_000)
JOBS_RANGE = (1, 256)
REQUESTS_RANGE = (0, 10**12)
OUTPUT_TOKENS_RANGE = (0, 10**7)
REASONING_TOKENS_RANGE = (0, 10**7)
#: A ``--prices`` file larger than this, or with more rows, is refused (a price list of every
#: model genai-prices knows is about 2,300 rows and 300 KB).
MAX_PRICE_FILE_BYTES = 8 << 20
MAX_PRICE_FILE_ROWS = 10_000
#: Bytes read per block by ``count_file`` (API only; a block of text is held per chunk in flight).
BLOCK_SIZE_RANGE = (1, 1 << 30)

#: The most resamples and counting threads accepted (the high ends of the ranges above).
MAX_RESAMPLES = RESAMPLES_RANGE[1]
MAX_JOBS = JOBS_RANGE[1]

#: ``tokstats serve``: the address it listens on (this machine only), its port, and what one
#: request may ask: characters of text, tokenizers and models at once (docs/serve.md).
SERVE_HOST = "127.0.0.1"
SERVE_PORT = 8765
SERVE_MAX_CHARS = 100_000
SERVE_MAX_TOKENIZERS = 8
SERVE_MAX_MODELS = 12


def default_jobs() -> int:
    """How many threads to count with by default: the CPUs this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)
