"""The comparison as one self-contained HTML file: tables, interactive charts, tokens coloured.

``._data`` gathers what a report shows (the ``compare`` DataFrame, costs per model with the
saving split into its tokenizer and price parts, sample texts cut into tokens); ``._charts``
turns it into Plotly figure specifications; ``._html`` writes the page, with the Plotly.js
bundle of the installed ``plotly`` package, the styles, the table script and the data all
inline, so the file opens from disk with no network. Plotly is an optional extra
(``pip install 'tokstats[report]'``), imported only here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokstats._api import lazy_exports

_EXPORTS: dict[str, str] = {
    "ReportData": "tokstats.report._data",
    "gather": "tokstats.report._data",
    "build_report": "tokstats.report._html",
    "write_report": "tokstats.report._html",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

if TYPE_CHECKING:
    from tokstats.report._data import ReportData, gather
    from tokstats.report._html import build_report, write_report
