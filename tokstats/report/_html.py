"""The report as one HTML file: everything inline, nothing fetched, opens from disk offline.

The page holds the Plotly.js bundle read from the installed ``plotly`` package (no CDN), the
chart specifications and table rows as JSON, a short script that draws the charts and makes the
tables sortable (click a header) and filterable (type in the box above), the signature as text,
and the token view: each sample text cut at its token boundaries, one coloured box per token.
JSON placed in the page has ``<`` escaped, so a text holding ``</script>`` cannot end a script.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import math
import os
from typing import Any

from tokstats.errors import InputError
from tokstats.report._data import ReportData

#: What to install when Plotly is missing.
INSTALL_HINT = "pip install 'tokstats[report]'"

#: Columns of the main table: everything but the interval bounds (shown in the full table).
HIDDEN_IN_MAIN = ("_ci_low", "_ci_high")


def plotly_js() -> str:
    """The minified Plotly.js bundle shipped inside the installed ``plotly`` package."""
    try:
        from plotly.offline import get_plotlyjs
    except ImportError:
        raise InputError(f"the HTML report needs Plotly: {INSTALL_HINT}") from None
    return get_plotlyjs()


def _json(value: Any) -> str:
    """JSON safe inside ``<script>``: NaN as null, ``<``, ``>`` and ``&`` escaped."""
    text = json.dumps(_clean(value), ensure_ascii=False, separators=(",", ":"), default=_default)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _default(value: Any) -> Any:
    if hasattr(value, "item"):  # NumPy scalars
        return _clean(value.item())
    if hasattr(value, "tolist"):
        return _clean(value.tolist())
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


def _clean(value: Any) -> Any:
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_clean(v) for v in value]
    if value is not None and not isinstance(value, str | int | float | bool) and hasattr(value, "item"):
        return _clean(value.item())
    try:
        if value is not None and not isinstance(value, str | int | float | bool | dict | list) and value != value:
            return None  # pandas NA and friends
    except (TypeError, ValueError):
        pass
    return value


def _table(table_id: str, title: str, note: str, columns: list[str], rows: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "id": table_id,
        "title": title,
        "note": note,
        "columns": columns,
        "rows": [[r.get(c) for c in columns] for r in rows],
    }


def tables(data: ReportData) -> list[dict[str, Any]]:
    """The report's tables: the comparison (main columns, then every column), costs and prices."""
    df = data.comparison
    rows = [_clean(r) for r in df.to_dict("records")]
    every = [str(c) for c in df.columns]
    main = [c for c in every if not any(h in c for h in HIDDEN_IN_MAIN) and any(r.get(c) is not None for r in rows)]
    out = [
        _table(
            "table-main",
            "Per row: counts and metrics",
            f"On {data.what}. Interval bounds are in the full table below.",
            main,
            rows,
        ),
    ]
    if data.costs:
        cols = list(data.costs[0])
        out.append(
            _table(
                "table-cost",
                "Cost per model: input cost of each row's text, USD per 1M characters",
                "saving_* columns compare each model with the first one; tokenizer part + price part = saving.",
                cols,
                data.costs,
            )
        )
        out.append(
            _table("table-prices", "Input prices used", "USD per 1M input tokens.", list(data.prices[0]), data.prices)
        )
    out.append(
        _table(
            "table-all", "Every column of the comparison", "As tokstats compare --format csv writes them.", every, rows
        )
    )
    return out


def _signature_html(sig: Any) -> str:
    if sig is None:
        return "<p>(no signature)</p>"
    short = sig.short() if hasattr(sig, "short") else str(sig)
    items = "".join(f"<li><code>{html.escape(part)}</code></li>" for part in short.split("|"))
    return (
        f'<ul class="sig">{items}</ul>'
        f'<p>As one line (the same as under every tokstats table):</p><pre id="signature-line">{html.escape(short)}</pre>'
    )


def _token_view(samples: list[dict[str, Any]], total: int) -> str:
    """Each sample text in every tokenizer's tokens, one box per token, colours alternating."""
    if not samples:
        return "<p>No sample text.</p>"
    blocks = []
    if total > len(samples):
        blocks.append(f'<p class="note">The first {len(samples)} of the {total} rows.</p>')
    for s in samples:
        rows = []
        for t in s["tokenizers"]:
            spans = []
            for i, (text, ids) in enumerate(t["pieces"]):
                shown = html.escape(text).replace("\n", "↵\n")
                spans.append(f'<span class="t t{i % 5}" title="{html.escape(" ".join(map(str, ids)))}">{shown}</span>')
            cpt = t["characters"] / t["tokens"] if t["tokens"] else float("nan")
            rows.append(
                f'<div class="tokrow"><div class="tokname">{html.escape(t["tokenizer"])}<br>'
                f"<b>{t['tokens']}</b> tokens · {cpt:.2f} chars/token</div>"
                f'<div class="toks">{"".join(spans)}</div></div>'
            )
        blocks.append(
            f'<div class="sample" data-source="{html.escape(str(s["source"]))}"><h3>{html.escape(str(s["label"]))}'
            f"{' · ' + html.escape(s['unit']) if s.get('unit') else ''}</h3>{''.join(rows)}</div>"
        )
    return "".join(blocks)


def build_report(data: ReportData, *, title: str | None = None) -> str:
    """The report of ``data`` (from ``gather``) as one self-contained HTML page."""
    from tokstats.report._charts import charts

    js = plotly_js()
    chart_list = charts(data)
    table_list = tables(data)
    title = title or f"tokstats: {', '.join(data.tokenizers)} on {data.what}"
    chart_divs = "".join(f'<div class="chart" id="{c["id"]}"></div>' for c in chart_list)
    table_divs = "".join(
        f'<section class="tablebox" id="{t["id"]}"><h3>{html.escape(t["title"])}</h3>'
        f'<p class="note">{html.escape(t["note"])}</p>'
        f'<input class="filter" type="search" placeholder="filter rows…" aria-label="filter {html.escape(t["title"])}">'
        f'<div class="scroll"><table></table></div></section>'
        for t in table_list
    )
    models = f" and the models {', '.join(data.models)}" if data.models else ""
    return PAGE.format(
        title=html.escape(title),
        heading=html.escape(title),
        lead=html.escape(
            f"The tokenizers {', '.join(data.tokenizers)}{models} measured on {data.what}. "
            "Hover a bar for its value; click a table header to sort, type to filter; "
            "hover a token for its ids."
        ),
        nav=" · ".join(
            f'<a href="#{a}">{b}</a>'
            for a, b in (("charts", "charts"), ("tables", "tables"), ("tokens", "tokens"), ("signature", "signature"))
        ),
        charts=chart_divs,
        tables=table_divs,
        tokens=_token_view(data.samples, len(data.comparison)),
        signature=_signature_html(data.signature),
        plotly=js.replace("</script", "<\\/script"),
        chart_data=_json([{"id": c["id"], "figure": c["figure"]} for c in chart_list]),
        table_data=_json(table_list),
        script=SCRIPT,
        style=STYLE,
    )


def write_report(path: str | os.PathLike[str], data: ReportData, *, title: str | None = None) -> str:
    """Write the report of ``data`` to ``path`` (a missing folder is created) atomically;
    returns the path. Raises ``InputError`` naming the path when it cannot be written."""
    import tempfile

    name = os.fspath(path)
    if os.path.lexists(name) and not os.path.isfile(name):
        raise InputError(f"--output {name}: exists and is not a regular file; give a file name")
    page = build_report(data, title=title)
    folder = os.path.dirname(os.path.abspath(name))
    try:
        os.makedirs(folder, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(name)}.", suffix=".tmp")
    except OSError as e:
        raise InputError(f"--output {name}: cannot write the report: {e.strerror or e}") from None
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(page)
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)
        os.replace(tmp, name)
    except OSError as e:
        _remove(tmp)
        raise InputError(f"--output {name}: cannot write the report: {e.strerror or e}") from None
    except BaseException:
        _remove(tmp)
        raise
    return name


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass


STYLE = """
:root { --fg:#1a1a1a; --muted:#555; --line:#ddd; --bg:#fff; --accent:#0072B2; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg);
       margin: 0 auto; max-width: 1200px; padding: 1rem 1.5rem 4rem; line-height: 1.45; }
h1 { font-size: 1.5rem; margin: .5rem 0; } h2 { margin-top: 2.5rem; border-bottom: 1px solid var(--line); }
h3 { margin: 1.2rem 0 .3rem; font-size: 1.05rem; }
nav { color: var(--muted); } a { color: var(--accent); }
.lead, .note { color: var(--muted); } .note { margin: .2rem 0 .4rem; font-size: .9rem; }
.chart { margin: 1rem 0 2rem; border: 1px solid var(--line); border-radius: 6px; padding: .3rem; }
.scroll { overflow: auto; max-height: 34rem; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; font-size: .85rem; font-variant-numeric: tabular-nums; }
th, td { padding: .25rem .5rem; border-bottom: 1px solid #eee; white-space: nowrap; }
td.num { text-align: right; }
th { position: sticky; top: 0; background: #f5f7fa; cursor: pointer; user-select: none; text-align: left; }
th[aria-sort="ascending"]::after { content: " ▲"; } th[aria-sort="descending"]::after { content: " ▼"; }
tr:hover td { background: #f0f6fb; }
.filter { padding: .3rem .5rem; margin: .2rem 0 .4rem; width: 18rem; max-width: 100%; }
.sig { columns: 2; font-size: .9rem; } pre { white-space: pre-wrap; word-break: break-all; background: #f5f7fa;
  padding: .6rem; border-radius: 6px; font-size: .85rem; }
.sample { margin: 1rem 0; } .tokrow { display: flex; gap: .8rem; margin: .3rem 0; align-items: flex-start; }
.tokname { flex: 0 0 11rem; font-size: .85rem; color: var(--muted); }
.toks { flex: 1; white-space: pre-wrap; word-break: break-word; font-size: 1rem; line-height: 1.9; }
.t { border-radius: 3px; padding: 1px 0; box-shadow: inset -1px 0 0 rgba(0,0,0,.35); }
.t0 { background:#cfe3f3; } .t1 { background:#fbe3bf; } .t2 { background:#c9eadf; } .t3 { background:#f2d4e6; }
.t4 { background:#e5e5e5; }
"""

SCRIPT = r"""
(function () {
  "use strict";
  var charts = JSON.parse(document.getElementById("chart-data").textContent);
  charts.forEach(function (c) {
    Plotly.newPlot(c.id, c.figure.data, c.figure.layout, {displaylogo: false, responsive: true});
  });
  function fmt(v) {
    if (v === null || v === undefined) return "n/a";
    if (typeof v === "number") {
      if (Number.isInteger(v)) return v.toLocaleString("en-US");
      var a = Math.abs(v);
      return v.toFixed(a >= 100 ? 1 : a >= 1 ? 3 : 4);
    }
    return String(v);
  }
  var tables = JSON.parse(document.getElementById("table-data").textContent);
  tables.forEach(function (t) {
    var box = document.getElementById(t.id), table = box.querySelector("table");
    var thead = document.createElement("thead"), tbody = document.createElement("tbody"), hr = document.createElement("tr");
    t.columns.forEach(function (c, i) {
      var th = document.createElement("th");
      th.textContent = c; th.dataset.col = i; th.title = "sort by " + c;
      hr.appendChild(th);
    });
    thead.appendChild(hr);
    var trs = t.rows.map(function (r) {
      var tr = document.createElement("tr");
      r.forEach(function (v) {
        var td = document.createElement("td");
        td.textContent = fmt(v);
        if (typeof v === "number") td.className = "num";
        tr.appendChild(td);
      });
      tr._values = r;
      tr._text = r.map(fmt).join(" ").toLowerCase();
      return tr;
    });
    trs.forEach(function (tr) { tbody.appendChild(tr); });
    table.appendChild(thead); table.appendChild(tbody);
    hr.addEventListener("click", function (ev) {
      var th = ev.target.closest("th"); if (!th) return;
      var col = +th.dataset.col, asc = th.getAttribute("aria-sort") !== "ascending";
      hr.querySelectorAll("th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", asc ? "ascending" : "descending");
      var sorted = trs.slice().sort(function (a, b) {
        var x = a._values[col], y = b._values[col];
        if (x === null || x === undefined) return (y === null || y === undefined) ? 0 : 1;
        if (y === null || y === undefined) return -1;
        var d = (typeof x === "number" && typeof y === "number") ? x - y : String(x).localeCompare(String(y));
        return asc ? d : -d;
      });
      sorted.forEach(function (tr) { tbody.appendChild(tr); });
    });
    box.querySelector(".filter").addEventListener("input", function (ev) {
      var q = ev.target.value.trim().toLowerCase();
      trs.forEach(function (tr) { tr.hidden = q !== "" && tr._text.indexOf(q) < 0; });
    });
  });
})();
"""

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data: blob:; font-src data:">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<h1>{heading}</h1>
<p class="lead">{lead}</p>
<nav>{nav}</nav>
<h2 id="charts">Charts</h2>
{charts}
<h2 id="tables">Tables</h2>
{tables}
<h2 id="tokens">Tokens of a sample text</h2>
<p class="note">The same passage in each language, cut at each tokenizer's token boundaries: one box per token
(a box holding several ids is a character spread over byte tokens). ↵ marks a line break.</p>
{tokens}
<h2 id="signature">Signature</h2>
<p class="note">What these numbers were measured with: versions, tokenizer files by sha256, corpus by sha256, settings.</p>
{signature}
<script>{plotly}</script>
<script type="application/json" id="chart-data">{chart_data}</script>
<script type="application/json" id="table-data">{table_data}</script>
<script>{script}</script>
</body>
</html>
"""
