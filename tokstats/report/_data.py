"""What a report shows, gathered once: the comparison, costs per model, sample texts in tokens.

Everything comes from the public library: ``compare`` for the table (every column it returns is
shown, so a new metric appears without a change here), the price table for the models' input
prices, ``split_view`` for the token boundaries of the samples. The cost of a language is the
price of its text as input, in US dollars per million characters, so languages and models
compare on the same text:

    usd_per_1m_chars(model) = tokens(model's tokenizer) / characters * input price per 1M tokens

and the saving of a model against the first one splits exactly into two parts,

    tokenizer part = (tokens(first) - tokens(model)) / characters * price(first)   (fewer tokens, old price)
    price part     = tokens(model) / characters * (price(first) - price(model))    (new price, new tokens)

which add up to ``usd_per_1m_chars(first) - usd_per_1m_chars(model)``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from tokstats.defaults import DEFAULT_TOKENIZERS
from tokstats.errors import InputError

if TYPE_CHECKING:
    import pandas as pd

#: Characters of each sample text shown in the token view (cut at a space when there is one).
SAMPLE_CHARS = 360

#: Most rows shown in the token view (a 500-language corpus would otherwise make a page of tens of MB).
SAMPLE_ROWS = 60

#: Share of tokens that are UNK from which a row is marked in charts and tables.
UNK_MARK = 0.05


@dataclass
class ReportData:
    """The numbers of one report: ``comparison`` is the DataFrame of ``tokstats.compare``,
    ``tokenizers`` its tokenizer names (column suffixes) in order, ``costs`` one row per
    language and model (empty without models), ``samples`` the token view, ``title`` and
    ``what`` say what was measured on what."""

    comparison: pd.DataFrame
    tokenizers: list[str]
    models: list[str] = field(default_factory=list)
    costs: list[dict[str, Any]] = field(default_factory=list)
    prices: list[dict[str, Any]] = field(default_factory=list)
    samples: list[dict[str, Any]] = field(default_factory=list)
    what: str = ""
    corpus: str | None = None
    units: int | None = None

    @property
    def signature(self) -> Any:
        return self.comparison.attrs.get("signature")


def _num(value: Any) -> float | None:
    """A float, None for a missing value (None, NaN, pandas NA)."""
    try:
        v = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) else v


def tokenizer_columns(df: pd.DataFrame, metric: str = "tokens") -> list[str]:
    """The tokenizer names of a comparison, in its order: the suffixes of ``<metric>.<name>``."""
    prefix = f"{metric}."
    return [c[len(prefix) :] for c in df.columns if c.startswith(prefix)]


def gather(
    paths: Sequence[str | os.PathLike[str]] | None = None,
    *,
    tokenizers: Sequence[Any] | None = None,
    models: Sequence[str] | None = None,
    corpus: Any = None,
    reference: str = "en",
    by: str | None = None,
    text_column: str = "text",
    language_column: str | None = None,
    id_column: str | None = None,
    input_format: str = "auto",
    resamples: int = 2000,
    seed: int = 20261123,
) -> ReportData:
    """Measure what a report shows. ``models`` (priced by the shipped price table) replace
    ``tokenizers`` with their tokenizers and add the cost tables and charts; giving both is an
    ``InputError``. Other parameters are those of ``tokstats.compare``."""
    import tokstats

    models = list(models or [])
    if models and tokenizers:
        raise InputError("give either tokenizers (--encodings) or models (--models), not both")
    specs: list[Any]
    if models:
        from tokstats.tokenizers import spec_for_model

        specs = list(dict.fromkeys(spec_for_model(m) for m in models))
    else:
        specs = list(tokenizers or DEFAULT_TOKENIZERS)
    files: list[str] = [os.fspath(p) for p in paths or []]
    df = tokstats.compare(
        files or None,
        tokenizers=specs,
        by=by,
        reference=reference,
        corpus=corpus if not files else None,
        text_column=text_column,
        language_column=language_column,
        id_column=id_column,
        input_format=input_format,
        resamples=resamples,
        seed=seed,
    )
    names = tokenizer_columns(df)
    data = ReportData(comparison=df, tokenizers=names, models=models)
    units = [_num(v) for v in df["aligned_units"]] if "aligned_units" in df.columns else []
    data.units = int(max(u for u in units if u is not None)) if any(u is not None for u in units) else None
    by_spec = dict(zip([str(s) for s in specs], names))
    if files:
        data.what = "your files: " + ", ".join(files) if len(files) <= 4 else f"your {len(files)} files"
        data.samples = _file_samples(files, specs, names, text_column, language_column, id_column, input_format)
    else:
        loaded = tokstats.load_corpus(corpus or "udhr") if not hasattr(corpus, "entries") else corpus
        data.corpus = str(getattr(loaded, "name", corpus or "udhr"))
        data.what = _corpus_title(loaded)
        data.samples = _corpus_samples(loaded, df, specs, names)
    if models:
        from tokstats.tokenizers import spec_for_model

        tokenizer_of = {m: by_spec.get(str(spec_for_model(m)), str(spec_for_model(m))) for m in models}
        data.prices, data.costs = _costs(df, models, tokenizer_of)
    return data


def _corpus_title(corpus: Any) -> str:
    meta = getattr(corpus, "meta", {}) or {}
    name = getattr(corpus, "name", "")
    if name == "udhr":
        return "the Universal Declaration of Human Rights (udhr corpus: human translations)"
    title = meta.get("title") if isinstance(meta, dict) else None
    return f"the {name} corpus ({title})" if title else f"the {name} corpus"


def _cut(text: str, limit: int = SAMPLE_CHARS, *, first_line: bool = True) -> str:
    """The start of ``text`` (its first line only with ``first_line``), at most ``limit``
    characters, cut at a space when there is one."""
    line = text.strip().split("\n", 1)[0] if first_line else text.strip()
    if len(line) <= limit:
        return line
    space = line.rfind(" ", limit // 2, limit)
    return line[: space if space > 0 else limit] + " …"


def _pieces(text: str, specs: Sequence[Any], names: Sequence[str]) -> list[dict[str, Any]]:
    import tokstats

    out = []
    for spec, name in zip(specs, names):
        pieces = tokstats.split_view(text, spec)
        out.append(
            {
                "tokenizer": name,
                "tokens": sum(len(p.tokens) for p in pieces),
                "characters": len(text),
                "pieces": [[p.text, list(p.tokens)] for p in pieces],
            }
        )
    return out


def _corpus_samples(corpus: Any, df: pd.DataFrame, specs: Sequence[Any], names: Sequence[str]) -> list[dict[str, Any]]:
    """One short unit of the corpus (the one whose English is shortest, at least 60 characters)
    in every language of the comparison, in its order."""
    entries = [e for e in getattr(corpus, "entries", []) if isinstance(e.get("text"), dict)]
    if not entries:
        return []

    def english_length(entry: dict[str, Any]) -> int:
        text = entry["text"].get("en") or next(iter(entry["text"].values()), "")
        n = len(text)
        return n if n >= 60 else 10**9

    entry = min(entries, key=english_length)
    out: list[dict[str, Any]] = []
    for row in df.to_dict("records"):
        if len(out) >= SAMPLE_ROWS:
            break
        text = entry["text"].get(str(row.get("source")))
        if not text:
            continue
        text = _cut(text)
        out.append(
            {
                "source": row.get("source"),
                "label": _label(row),
                "unit": str(entry.get("id", "")),
                "text": text,
                "tokenizers": _pieces(text, specs, names),
            }
        )
    return out


def _file_samples(
    paths: list[str],
    specs: Sequence[Any],
    names: Sequence[str],
    text_column: str,
    language_column: str | None,
    id_column: str | None,
    input_format: str,
) -> list[dict[str, Any]]:
    """The start of the first non-empty text of each input (at most ``SAMPLE_ROWS`` inputs)."""
    from tokstats.sources import Columns, read_inputs

    docs, _ = read_inputs(paths, Columns(text_column, language_column, id_column), input_format)
    seen: dict[str, str] = {}
    for doc in docs:
        if doc.source not in seen and doc.text.strip() and len(seen) < SAMPLE_ROWS:
            seen[doc.source] = _cut(doc.text, first_line=False)
    return [
        {"source": src, "label": src, "unit": "", "text": text, "tokenizers": _pieces(text, specs, names)}
        for src, text in seen.items()
    ]


def _label(row: Mapping[Any, Any]) -> str:
    name, code = row.get("language"), row.get("source")
    name = None if name is None or name != name else str(name)
    return f"{name} ({code})" if name and code and name != code else str(name or code)


def _costs(
    df: pd.DataFrame, models: list[str], tokenizer_of: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The input price of each model and, per row of the comparison and model, the input cost
    of its text in USD per million characters, with the saving against the first model split
    into its tokenizer and price parts (see the module docstring)."""
    import tokstats

    table = tokstats.load_prices()
    prices = []
    per_token: dict[str, float] = {}
    for m in models:
        quote = table.quote(m)
        price = _num(getattr(quote, "input_per_1m", None))
        if price is None:
            raise InputError(f"--models {m}: no input price per token ({getattr(quote, 'note', '') or 'not priced'})")
        per_token[m] = price
        prices.append(
            {
                "model": m,
                "tokenizer": tokenizer_of[m],
                "input_usd_per_1m_tokens": price,
                "as_of": getattr(quote, "as_of", ""),
                "source": getattr(quote, "source", ""),
            }
        )
    first = models[0]
    rows = []
    for row in df.to_dict("records"):
        chars = _num(row.get("characters")) or 0.0
        if chars <= 0:
            continue
        t_first = _num(row.get(f"tokens.{tokenizer_of[first]}")) or 0.0
        for m in models:
            t = _num(row.get(f"tokens.{tokenizer_of[m]}")) or 0.0
            cost = t / chars * per_token[m]
            tok_part = (t_first - t) / chars * per_token[first]
            price_part = t / chars * (per_token[first] - per_token[m])
            rows.append(
                {
                    "source": row.get("source"),
                    "language": row.get("language"),
                    "model": m,
                    "tokenizer": tokenizer_of[m],
                    "tokens": int(t),
                    "characters": int(chars),
                    "usd_per_1m_chars": cost,
                    "saving_vs_first_usd": t_first / chars * per_token[first] - cost,
                    "saving_tokenizer_part_usd": tok_part,
                    "saving_price_part_usd": price_part,
                }
            )
    return prices, rows
