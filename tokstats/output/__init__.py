"""Results out: the signature every table carries, and tables as text, Markdown, CSV or JSON.

``._signature`` records what a reader needs to reproduce a number; ``._render`` prints rows
in each format; ``._fit`` fits a table into 100 columns. Charts are ``tokstats.plots``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokstats._api import lazy_exports

_EXPORTS: dict[str, str] = {
    "Signature": "tokstats.output._signature",
    "build_signature": "tokstats.output._signature",
    "FORMATS": "tokstats.output._render",
    "dumps": "tokstats.output._render",
    "printable": "tokstats.output._render",
    "render": "tokstats.output._render",
    "WIDTH": "tokstats.output._fit",
    "fit_table": "tokstats.output._fit",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

if TYPE_CHECKING:
    from tokstats.output._fit import WIDTH, fit_table
    from tokstats.output._render import FORMATS, dumps, printable, render
    from tokstats.output._signature import Signature, build_signature
