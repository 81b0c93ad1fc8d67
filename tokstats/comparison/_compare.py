"""Comparing encodings on a corpus: per-language or per-source aggregates with bootstrap CIs.

``compare()`` measures every document (see ``tokstats.comparison._metrics``), groups documents by
language or by source file, sums their counts and derives the metrics from the sums. Intervals
are percentile bootstrap intervals over *units* — sentences of the parallel corpus, documents
of a user's file — so that a 60-sentence corpus does not pretend to more precision than it has.

The premium (Petrov et al. 2023) compares a group with the reference language on the units
both have: tokens of the group's text ÷ tokens of the reference text, summed over those units.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from functools import partial
from itertools import chain
from typing import TYPE_CHECKING, Any, NamedTuple

from tokstats._api import check_choice, check_int, check_paths, check_specs, check_str, renamed, shown
from tokstats._executor import MapExecutor, map_ordered
from tokstats.comparison import _isolated as isolated
from tokstats.comparison import _metrics as m
from tokstats.comparison._bootstrap import BootstrapConfig, ratio_ci
from tokstats.comparison._segmenters import segmentation_setting
from tokstats.comparison._vocabulary import vocabulary_size
from tokstats.defaults import DEFAULT_TOKENIZERS, RESAMPLES_RANGE, SEED_RANGE
from tokstats.errors import InputError, ParameterError, TokstatsError, UnknownNameError
from tokstats.output._signature import Signature, build_signature, inputs_setting
from tokstats.sources._corpus import Corpus, load_corpus
from tokstats.sources._inputs import expand, read_inputs, require_local
from tokstats.sources._languages import restrict, select_languages, selection_setting
from tokstats.sources._readers import INPUT_FORMATS, Columns, Document
from tokstats.tokenizers import Tokenizer
from tokstats.tokenizers._registry import TokenizerLike, as_tokenizer, as_tokenizers

if TYPE_CHECKING:
    import pandas as pd

DEFAULT_ENCODINGS = DEFAULT_TOKENIZERS
#: Human-translated (the UDHR); ``parallel`` is machine-translated and stays available by name.
DEFAULT_CORPUS = "udhr"
DEFAULT_REFERENCE = "en"
GROUPINGS = ("language", "source")
#: ISO 639-1 codes of languages written without spaces between words (see tokstats.comparison._words).
UNSEGMENTED_LANGUAGES = frozenset({"zh", "ja", "th", "lo", "km", "my", "bo"})

#: Per-encoding metrics: row key -> (function of summed counts). Each is an object in JSON
#: (``{"cl100k_base": …, "o200k_base": …}``) and ``<key>.<encoding>`` in CSV and the DataFrame.
PER_ENCODING = (
    "tokens",
    "bytes_per_token",
    "characters_per_token",
    "fertility",
    "continued_words",
    "fertility_in_context",
    "continued_words_in_context",
    "byte_token_rate",
    "unk_rate",
    "single_token_pretokens",
    "renyi_efficiency",
    "shannon_efficiency",
    "premium",
    "premium_ci_low",
    "premium_ci_high",
    "ratio_to_first",
    "ratio_to_first_ci_low",
    "ratio_to_first_ci_high",
)
SCALARS_BEFORE = ("source", "language", "documents", "bytes", "characters", "words", "isolated_words")
SCALARS_AFTER = ("ratio", "ratio_ci_low", "ratio_ci_high", "token_reduction_pct", "aligned_units", "word_segmentation")


@dataclass
class _Group:
    key: str
    language: str | None = None
    total: m.TextCounts = field(default_factory=m.TextCounts)
    units: dict[str, m.TextCounts] = field(default_factory=dict)
    # tokens per encoding, per unit, of the group's non-reference text (for the premium)
    premium_units: dict[str, dict[str, int]] = field(default_factory=dict)


def _segmented(doc: Document, corpus_flags: dict[str, bool]) -> bool | None:
    if doc.language is None:
        return None
    if doc.language in corpus_flags:
        return corpus_flags[doc.language]
    base = doc.language.replace("-", "_").split("_")[0].lower()
    return False if base in UNSEGMENTED_LANGUAGES else None


def corpus_documents(corpus: Corpus) -> list[Document]:
    """The documents of a parallel corpus: one per entry and language, the entry id as unit."""
    docs: list[Document] = []
    for entry in corpus.entries:
        texts = entry.get("text")
        if not isinstance(texts, dict):
            raise InputError(f"corpus {corpus.name}: entry {entry.get('id')!r} has no per-language 'text' object")
        if "id" not in entry or not all(isinstance(t, str) for t in texts.values()):
            raise InputError(
                f'corpus {corpus.name}: entry {entry.get("id")!r} needs an "id" and texts that are strings'
            )
        for lang, text in texts.items():
            docs.append(Document(text, corpus.name, lang, str(entry["id"])))
    return docs


def load_tokenizers(encodings: Sequence[TokenizerLike]) -> list[Tokenizer]:
    """The tokenizers, each loaded (and verified) once: a bad spec fails here, naming it."""
    if not encodings:
        raise InputError("no encodings given; use e.g. --encodings cl100k_base,o200k_base")
    toks = as_tokenizers(encodings)  # UnknownTokenizerError names the known ones; missing extras all at once
    names = [t.name for t in toks]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise InputError(f"encoding listed twice: {', '.join(dupes)}")
    return toks


def _check_encodings(encodings: Sequence[TokenizerLike]) -> list[str]:
    """The names of the tokenizers (the keys of every per-tokenizer metric), checked as above."""
    return [t.name for t in load_tokenizers(encodings)]


def _ci(units: Iterable[tuple[float, float]], config: BootstrapConfig) -> tuple[float | None, float | None]:
    pairs = list(units)
    ci = ratio_ci([a for a, _ in pairs], [b for _, b in pairs], config)
    return (None, None) if ci is None else ci


def _row(
    g: _Group,
    encodings: list[str],
    ref_units: dict[str, dict[str, int]],
    config: BootstrapConfig,
    vocabulary_sizes: Mapping[str, int] | None = None,
    alpha: float = m.RENYI_ALPHA,
) -> dict[str, Any]:
    t = g.total
    sizes = vocabulary_sizes or {}
    enc = {n: t.encodings.get(n, m.EncodingCounts()) for n in encodings}
    ids = {n: c.id_counts() for n, c in enc.items()}
    row: dict[str, Any] = {
        "source": g.key,
        "language": g.language,
        "documents": t.documents,
        "bytes": t.bytes,
        "characters": t.characters,
        "words": t.words,
        "tokens": {n: c.tokens for n, c in enc.items()},
        "bytes_per_token": {n: m.bytes_per_token(t.bytes, c.tokens) for n, c in enc.items()},
        "characters_per_token": {n: m.characters_per_token(t.characters, c.tokens) for n, c in enc.items()},
        # Rust et al. (2021): each word tokenized alone (tokstats.comparison._isolated); then the in-context variants
        "isolated_words": next(iter(enc.values())).isolated.words if enc else None,
        "fertility": {n: isolated.fertility(c.isolated) for n, c in enc.items()},
        "continued_words": {n: isolated.continued_words(c.isolated) for n, c in enc.items()},
        "fertility_in_context": {n: m.fertility_in_context(c.word_text_tokens, t.words) for n, c in enc.items()},
        "continued_words_in_context": {
            n: m.continued_word_share_in_context(c.continued_words, t.words) for n, c in enc.items()
        },
        "word_segmentation": "; ".join(t.word_methods) or None,
        "byte_token_rate": {n: m.byte_token_rate(c.byte_tokens, c.tokens) for n, c in enc.items()},
        "unk_rate": {n: m.unk_rate(c.unk_tokens, c.tokens) for n, c in enc.items()},
        "single_token_pretokens": {
            n: m.single_token_pretoken_share(c.single_token_pretokens, c.pretokens) for n, c in enc.items()
        },
        # Zouhar et al. (2023): entropy of the token-id distribution over log |V|
        "renyi_efficiency": {n: m.renyi_efficiency(ids[n], sizes.get(n), alpha) for n in enc},
        "shannon_efficiency": {n: m.renyi_efficiency(ids[n], sizes.get(n), 1.0) for n in enc},
    }
    aligned = [u for u in g.premium_units if u in ref_units]
    row["premium"], row["premium_ci_low"], row["premium_ci_high"] = {}, {}, {}
    for n in encodings:
        num = [g.premium_units[u][n] for u in aligned]
        den = [ref_units[u][n] for u in aligned]
        row["premium"][n] = m.premium(sum(num), sum(den)) if aligned else None
        row["premium_ci_low"][n], row["premium_ci_high"][n] = _ci(zip(num, den), config)
    # tokens of the first tokenizer / tokens of each other one (None for the first itself);
    # ``ratio`` is the value for the second, the old/new figure of two encodings
    row["ratio_to_first"], row["ratio_to_first_ci_low"], row["ratio_to_first_ci_high"] = {}, {}, {}
    first = encodings[0]
    for n in encodings:
        if n == first:
            value, lo, hi = None, None, None
        else:
            value = m.compression_ratio(enc[first].tokens, enc[n].tokens)
            units = [(u.encodings[first].tokens, u.encodings[n].tokens) for u in g.units.values()]
            lo, hi = _ci(units, config)
        row["ratio_to_first"][n], row["ratio_to_first_ci_low"][n], row["ratio_to_first_ci_high"][n] = value, lo, hi
    if len(encodings) >= 2:
        new = encodings[1]
        row["ratio"] = row["ratio_to_first"][new]
        row["ratio_ci_low"], row["ratio_ci_high"] = (
            row["ratio_to_first_ci_low"][new],
            row["ratio_to_first_ci_high"][new],
        )
        row["token_reduction_pct"] = m.token_reduction_pct(enc[first].tokens, enc[new].tokens)
    else:
        row.update(ratio=None, token_reduction_pct=None, ratio_ci_low=None, ratio_ci_high=None)
    row["aligned_units"] = len(aligned)
    return {k: row[k] for k in json_columns()}


#: A measured document: (source, language or None, aligned unit id, its counts). The source is
#: ``None`` for reference-only text (a catalog's msgids): the premium's reference and part of its
#: language's row, but no part of a file's row when grouping by source.
Record = tuple["str | None", "str | None", str, m.TextCounts]


#: Corpus documents measured per work item (the parallel corpus has 1,200).
CORPUS_BATCH = 100

#: One document of an input, measured: (language or None, aligned unit id, its counts, whether
#: it is reference-only text). See ``Record`` for the reference-only case.
Measured = tuple["str | None", str, m.TextCounts, bool]


class MeasuredInput(NamedTuple):
    """One input file measured: the sha256 of its bytes (for the signature) and its documents."""

    sha256: str
    documents: list[Measured]


#: Gives a local path holding a copy of an input (e.g. of a URL, on a Dask worker).
LocalCopy = Callable[[str], AbstractContextManager[str]]


def measure_texts(
    items: Sequence[tuple[str, bool | None]], tokenizers: Sequence[TokenizerLike], words: bool = True
) -> list[m.TextCounts]:
    """One work item: the counts of each ``(text, segmented)`` of a batch of corpus texts
    (``words=False``: without word metrics, see ``tokstats.comparison._metrics.measure``).

    A work item is a door (it may run on a Dask worker, given tokenizer names): its tokenizers
    are resolved once, here."""
    toks = [as_tokenizer(e) for e in tokenizers]
    return [m.measure(text, toks, seg, words) for text, seg in items]


#: A corpus run with more texts than this is measured on every core (a process pool) when no
#: executor is given; below it, starting the processes costs more than it saves.
POOL_MIN_TEXTS = 6000


def _pool_map(fn: Callable[[Any], Any], items: Sequence[Any], progress: bool) -> list[Any]:
    """``[fn(item) for item in items]`` on a process pool of one worker per core, in order, with
    a one-line progress count on stderr when ``progress``."""
    import multiprocessing
    import sys
    from concurrent.futures import ProcessPoolExecutor

    workers = min(os.cpu_count() or 1, len(items))
    out: list[Any] = []
    # fork where the platform has it (Linux): the workers start with the tokenizers already loaded
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [pool.submit(fn, item) for item in items]
        for k, future in enumerate(futures, 1):
            out.append(future.result())
            if progress:
                print(f"\rtokstats: measured {k}/{len(items)} batches of texts", end="", file=sys.stderr, flush=True)
    if progress:
        print("\r\033[K", end="", file=sys.stderr, flush=True)
    return out


def _counted(results: Iterable[Any], total: int, progress: bool) -> Iterator[Any]:
    """``results`` as they come, with the same one-line progress count as ``_pool_map``."""
    import sys

    for k, result in enumerate(results, 1):
        if progress:
            print(f"\rtokstats: measured {k}/{total} batches of texts", end="", file=sys.stderr, flush=True)
        yield result
    if progress:
        print("\r\033[K", end="", file=sys.stderr, flush=True)


def measure_documents(docs: Sequence[Document], tokenizers: Sequence[TokenizerLike]) -> list[Measured]:
    """Each document of one input measured (its language's word segmentation detected); the
    tokenizers are resolved once, here."""
    toks = [as_tokenizer(e) for e in tokenizers]
    return [
        (d.language, d.unit or f"{d.source}#{i}", m.measure(d.text, toks, _segmented(d, {})), d.reference_only)
        for i, d in enumerate(docs)
    ]


def measure_input(
    path: str,
    columns: Columns,
    input_format: str,
    tokenizers: Sequence[TokenizerLike],
    local_copy: LocalCopy | None = None,
) -> MeasuredInput:
    """One work item: read the input at ``path`` and measure each of its documents.

    ``local_copy`` (e.g. a Dask worker's copy of a URL) gives the local file to read; units and
    error messages then name ``path``, not the copy.
    """
    local = path
    try:
        with (local_copy or nullcontext)(path) as local:
            docs, [(_, sha)] = read_inputs([local], columns, input_format)
            measured = measure_documents(docs, tokenizers)
            if local != path:
                measured = [(lang, unit.replace(local, path), tc, ref) for lang, unit, tc, ref in measured]
    except TokstatsError as e:
        if local == path:
            raise
        raise InputError(str(e).replace(local, path)) from None
    return MeasuredInput(sha, measured)


def aggregate(
    records: Iterable[Record],
    encodings: Sequence[str],
    *,
    by: str,
    reference: str,
    order: Sequence[str] = (),
    names: dict[str, str] | None = None,
    config: BootstrapConfig = BootstrapConfig(),
    vocabulary_sizes: Mapping[str, int] | None = None,
    alpha: float = m.RENYI_ALPHA,
) -> list[dict[str, Any]]:
    """Rows from already measured documents, grouped ``by`` language or source, in ``order`` first.

    Separate from measuring so that the counts can come from anywhere (this process, or the
    workers of a Dask cluster) and still give identical rows.
    """
    encs = list(encodings)
    groups: dict[str, _Group] = {k: _Group(k) for k in order}
    ref_units: dict[str, dict[str, int]] = {}
    for source, language, unit, counts in records:
        if by == "language" and language is None:
            raise InputError(
                f"{source}: grouping by language needs each document's language: name the field that "
                "holds it with --language-column (language_column= in the API); .po/.mo catalogs carry theirs"
            )
        tokens = {n: counts.encodings[n].tokens for n in encs}
        if language == reference:
            ref = ref_units.setdefault(unit, dict.fromkeys(encs, 0))
            for n in encs:
                ref[n] += tokens[n]
        if source is None and by == "source":
            continue  # reference-only text: the premium's denominator, no row of its own
        key = (language or "und") if by == "language" else (source or "")
        g = groups.setdefault(key, _Group(key))
        if by == "language":
            g.language = (names or {}).get(language or "")
        g.total = g.total + counts
        g.units[unit] = g.units.get(unit, m.TextCounts()) + counts
        if language is not None and (language != reference or by == "language"):
            pu = g.premium_units.setdefault(unit, dict.fromkeys(encs, 0))
            for n in encs:
                pu[n] += tokens[n]
    return [_row(g, encs, ref_units, config, vocabulary_sizes, alpha) for g in groups.values()]


def _check_reference(reference: str, records: Sequence[Record]) -> None:
    """An explicitly chosen reference language must be in the data (else no premium, silently).

    The default reference (``en``) may be absent: the premium is then not shown, and the notes
    say why (texts without a language, or without English).
    """
    present = sorted({lang for _, lang, _, _ in records if lang is not None})
    if reference == DEFAULT_REFERENCE or not present or reference in present:
        return
    listed = ", ".join(present[:30]) + (f", … ({len(present)} in all)" if len(present) > 30 else "")
    raise InputError(f"reference language {reference!r} is not in the data; languages present: {listed}")


@dataclass(frozen=True)
class Comparison:
    """The rows of a comparison, in JSON shape, and the signature they carry."""

    rows: list[dict[str, Any]]
    signature: Signature
    encodings: list[str]


@renamed(encodings="tokenizers")
def compare_rows(
    paths: Sequence[str] | None = None,
    *,
    tokenizers: Sequence[TokenizerLike] = DEFAULT_ENCODINGS,
    by: str | None = None,
    reference: str = DEFAULT_REFERENCE,
    corpus: str | Corpus | None = None,
    columns: Columns = Columns(),
    input_format: str = "auto",
    config: BootstrapConfig = BootstrapConfig(),
    executor: MapExecutor | None = None,
    local_copy: LocalCopy | None = None,
    measured: Mapping[str, MeasuredInput] | None = None,
    documents: Sequence[Document] = (),
    languages: str | Sequence[str] | None = None,
    script: str | None = None,
    family: str | None = None,
    renyi_alpha: float = m.RENYI_ALPHA,
    words: bool = True,
    progress: bool = False,
) -> Comparison:
    """Compare tokenizers on user files (``paths``) or, with none, on a corpus (default: udhr).

    Each input file, or each batch of ``CORPUS_BATCH`` corpus texts, is one work item
    (``measure_input``, ``measure_texts``), run in this thread or by ``executor``
    (a ``concurrent.futures.Executor``, or ``tokstats.scale.DaskExecutor``; with one,
    the tokenizers are passed by name, so each worker process loads each once). The counts are
    aggregated here, in input order, so the rows are the same wherever the items ran. The first
    bad input in order fails the whole run with an error naming it, and nothing is reported as
    if it had been counted.

    ``local_copy`` gives each item a local copy of its input (URLs on Dask workers); ``measured``
    holds inputs already measured elsewhere (Parquet datasets on a cluster), by path.
    ``documents`` are texts in memory (``frame_documents``, ``mapping_documents``), all
    of one source, measured in this process instead of ``paths`` or a corpus.

    ``languages`` (codes, or ``"all"``), ``script`` and ``family`` choose the corpus languages
    (``tokstats.sources._languages.select_languages``; default: the corpus' default set).
    ``renyi_alpha`` is the order α of ``renyi_efficiency`` (default 2.5). ``words=False`` leaves
    out the word metrics (n/a) and never loads a word segmenter. A large corpus run without an
    executor is measured on every core (``POOL_MIN_TEXTS``). ``progress`` counts a corpus run's
    batches on one stderr line (the CLI asks for it when stderr is a terminal).
    """
    toks = load_tokenizers(tokenizers)
    alpha = check_alpha(renyi_alpha)
    encs = [t.name for t in toks]
    if by is not None and by not in GROUPINGS:
        raise UnknownNameError("grouping", by, GROUPINGS)
    work: list[TokenizerLike] = list(toks) if executor is None else list(encs)
    settings = {"count": "encode_ordinary", "reference": reference, **config.settings()}
    if alpha != m.RENYI_ALPHA:
        settings["renyi_alpha"] = f"{alpha:g}"
    chosen: list[str] | None = None
    if (languages or script or family) and (documents or paths):
        raise InputError("--languages, --script and --family choose languages of a corpus, not of input files")
    loaded = None
    names: dict[str, str] = {}
    records: list[Record] = []
    if documents:
        if paths or corpus is not None:
            raise InputError("give either texts, input files or a corpus, not two of them")
        source = documents[0].source
        measured_docs = measure_documents(documents, toks)
        records = [(None if ref else source, lang, unit, tc) for lang, unit, tc, ref in measured_docs]
        by = by or "language"
        order = [source] if by == "source" else []
        settings["inputs"] = inputs_setting([(source, documents_sha256(documents))])
    elif paths:
        if corpus is not None:
            raise InputError("give either input files or a corpus, not both")
        if input_format not in INPUT_FORMATS:
            raise UnknownNameError("input format", input_format, INPUT_FORMATS)
        paths = expand(paths).paths
        done = dict(measured or {})
        todo = [p for p in paths if p not in done]
        if local_copy is None:
            require_local(todo)
        measure = partial(
            measure_input, columns=columns, input_format=input_format, tokenizers=work, local_copy=local_copy
        )
        done.update(zip(todo, map_ordered(executor, measure, todo)))
        for p in paths:
            records += [(None if ref else p, lang, unit, tc) for lang, unit, tc, ref in done[p].documents]
        by = by or "source"
        order = paths if by == "source" else []
        settings["inputs"] = inputs_setting([(p, done[p].sha256) for p in paths])
    else:
        loaded = load_corpus(corpus or DEFAULT_CORPUS) if not isinstance(corpus, Corpus) else corpus
        chosen = select_languages(loaded, languages, script=script, family=family)
        chosen_setting = selection_setting(loaded, chosen)
        if chosen_setting:
            settings["languages"] = chosen_setting
        loaded = restrict(loaded, chosen, reference)
        docs = corpus_documents(loaded)
        by = by or "language"
        langs = loaded.meta.get("languages") or []
        order = [lang["code"] for lang in langs] if by == "language" else [loaded.name]
        flags = {lang["code"]: bool(lang["segmented_by_spaces"]) for lang in langs if "segmented_by_spaces" in lang}
        names = {lang["code"]: lang.get("language", lang["code"]) for lang in langs}
        batches = [
            [(d.text, _segmented(d, flags)) for d in docs[i : i + CORPUS_BATCH]]
            for i in range(0, len(docs), CORPUS_BATCH)
        ]
        item = partial(measure_texts, tokenizers=work, words=words)
        if executor is None and len(docs) > POOL_MIN_TEXTS and (os.cpu_count() or 1) > 1 and _by_name(tokenizers):
            item = partial(measure_texts, tokenizers=encs, words=words)  # each process loads each once
            counts = chain.from_iterable(_pool_map(item, batches, progress))
        else:
            counts = chain.from_iterable(_counted(map_ordered(executor, item, batches), len(batches), progress))
        records = [
            (None if d.reference_only else d.source, d.language, d.unit or f"{d.source}#{i}", tc)
            for i, (d, tc) in enumerate(zip(docs, counts))
        ]
    settings["by"] = by
    _check_reference(reference, records)
    sizes = {t.name: size for t in toks if (size := _vocabulary_size(t)) is not None}
    rows = aggregate(
        records,
        encs,
        by=by,
        reference=reference,
        order=order,
        names=names,
        config=config,
        vocabulary_sizes=sizes,
        alpha=alpha,
    )
    if by == "language":
        rows = [r for r in rows if r["documents"]]  # languages a partial corpus lacks
        if chosen is not None:
            wanted = set(chosen)
            rows = [r for r in rows if r["source"] in wanted]  # the reference only when chosen
    settings["words"] = (
        segmentation_setting([m for r in rows for m in (r["word_segmentation"] or "").split("; ")]) if words else "off"
    )
    signature = build_signature(toks, loaded, **settings)
    return Comparison(rows, signature, encs)


def _by_name(tokenizers: Sequence[TokenizerLike]) -> bool:
    """Whether every tokenizer was given by its spec (a str), so another process can load it."""
    return all(isinstance(t, str) for t in tokenizers)


def _vocabulary_size(tok: Tokenizer) -> int | None:
    """``|V|`` of the Rényi efficiency, or ``None`` for a kind whose vocabulary cannot be listed."""
    try:
        return vocabulary_size(tok)
    except InputError:
        return None


def check_alpha(alpha: Any) -> float:
    """The order α of the Rényi efficiency: a number above 0 (1 is Shannon's entropy)."""
    if isinstance(alpha, bool) or not isinstance(alpha, int | float) or not 0 < alpha < 1e6 or alpha != alpha:
        raise ParameterError("renyi_alpha", f"renyi_alpha must be a number above 0, not {shown(alpha)}")
    return float(alpha)


def flatten(row: dict[str, Any], encodings: Sequence[str]) -> dict[str, Any]:
    """A JSON-shaped row with per-encoding objects spread into ``<metric>.<encoding>`` keys."""
    flat: dict[str, Any] = {}
    for k, v in row.items():
        if isinstance(v, dict):
            for n in encodings:
                flat[f"{k}.{n}"] = v.get(n)
        else:
            flat[k] = v
    return flat


def flat_columns(encodings: Sequence[str]) -> list[str]:
    """Column names of the flat form (CSV, DataFrame), in order."""
    return [*SCALARS_BEFORE, *(f"{k}.{n}" for k in PER_ENCODING for n in encodings), *SCALARS_AFTER]


def json_columns() -> list[str]:
    """Keys of a JSON row, in order."""
    return [*SCALARS_BEFORE, *PER_ENCODING, *SCALARS_AFTER]


#: The source name of texts given in memory, by kind (rows per source and the signature name it).
FRAME_SOURCE = "<dataframe>"
MAPPING_SOURCE = "<mapping>"


def documents_sha256(documents: Sequence[Document]) -> str:
    """One sha256 over texts in memory (language and text of each, in order), for the signature."""
    import hashlib

    digest = hashlib.sha256()
    for d in documents:
        for part in (d.language or "", d.unit or "", d.text):
            data = part.encode("utf-8", "surrogatepass")
            digest.update(len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ParameterError(name.split("[")[0], f"{name} must be a text (a str), not {shown(value)}")
    return value


def frame_documents(frame: Any, columns: Columns) -> list[Document]:
    """One ``Document`` per row of a pandas DataFrame: the text in ``columns.text``, the
    language in ``columns.language`` (default ``language``), the aligned unit in ``columns.id``."""
    language = columns.language or "language"
    for column in (columns.text, language, columns.id):
        if column is not None and column not in frame.columns:
            raise ParameterError(
                "paths",
                f"paths: the DataFrame has no column {column!r} (its columns: {shown(list(frame.columns))}); "
                "name the columns with text_column=, language_column=, id_column=",
            )
    ids = frame[columns.id].tolist() if columns.id is not None else [None] * len(frame)
    docs = []
    for i, (text, lang, unit) in enumerate(zip(frame[columns.text].tolist(), frame[language].tolist(), ids)):
        where = f"paths[{i}]"
        lang = check_str(f"{where}.{language}", lang, what="a language code (a non-empty str)")
        unit = None if unit is None else str(unit)
        docs.append(Document(_text(f"{where}.{columns.text}", text), FRAME_SOURCE, lang, unit))
    return docs


def mapping_documents(texts: Mapping[Any, Any]) -> list[Document]:
    """One ``Document`` per text of a mapping ``{language: text or list of texts}``."""
    docs = []
    for lang, value in texts.items():
        check_str("paths", lang, what="a mapping whose keys are language codes (non-empty str)")
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list | tuple):
            raise ParameterError("paths", f"paths[{lang!r}] must be a text or a list of texts, not {shown(value)}")
        docs += [Document(_text(f"paths[{lang!r}][{i}]", t), MAPPING_SOURCE, lang) for i, t in enumerate(items)]
    return docs


@renamed(encodings="tokenizers")
def compare(
    paths: str | os.PathLike[str] | Sequence[str | os.PathLike[str]] | Mapping[str, Any] | pd.DataFrame | None = None,
    *,
    tokenizers: Sequence[TokenizerLike] = DEFAULT_ENCODINGS,
    by: str | None = None,
    reference: str = DEFAULT_REFERENCE,
    corpus: str | Corpus | None = None,
    text_column: str = "text",
    language_column: str | None = None,
    id_column: str | None = None,
    input_format: str = "auto",
    resamples: int = BootstrapConfig.resamples,
    seed: int = BootstrapConfig.seed,
    languages: str | Sequence[str] | None = None,
    script: str | None = None,
    family: str | None = None,
    renyi_alpha: float = m.RENYI_ALPHA,
) -> pd.DataFrame:
    """Compare tokenizers on files or a corpus; one row per language or per input file.

    Columns are those of ``tokstats compare --format csv`` (per-encoding metrics as
    ``tokens.cl100k_base`` …, as ``pandas.json_normalize`` gives for the JSON rows);
    ``df.attrs["signature"]`` holds the ``Signature``. ``ratio`` is tokens of the first
    encoding ÷ tokens of the second (old/new).

    ``paths`` is one of: None (the ``corpus``, default udhr); a path or a list of paths (a list of
    strings is always paths, never texts); texts in memory as a pandas DataFrame with a ``text``
    and a ``language`` column (``text_column=``, ``language_column=``, ``id_column=`` name
    others) or as a mapping ``{"en": "Hello", "fr": ["Bonjour", "Salut"]}``. Texts in memory give
    one row per language; their source is ``<dataframe>`` or ``<mapping>``, and the signature's
    ``inputs`` names it with a sha256 of the texts.

    Raises ``ParameterError`` (an ``InputError``)
    naming the parameter for a value of the wrong type or out of range (``resamples`` 1-100,000,
    ``seed`` 0-2**63-1, a DataFrame without the text or language column, ``renyi_alpha`` not
    above 0); ``InputError``
    for an input that cannot be read or a ``reference`` other than ``en`` that no text's
    language matches (the message lists the languages present); ``UnknownNameError`` for an unknown
    tokenizer, corpus, grouping, input format or language code.

    ``languages`` (codes, a comma-separated str, or ``"all"``), ``script`` (ISO 15924, ``"Deva"``)
    and ``family`` (``"Dravidian"``) choose the corpus languages; by default the corpus' default
    set (udhr: its 45 curated translations). ``renyi_alpha`` is α of ``renyi_efficiency``.
    """
    import pandas as pd

    documents: list[Document] = []
    if isinstance(paths, pd.DataFrame | Mapping):
        check_str("text_column", text_column, what="a column name (a non-empty str)")
        check_str("language_column", language_column, what="a column name (a non-empty str)", none=True)
        check_str("id_column", id_column, what="a column name (a non-empty str)", none=True)
        if isinstance(paths, pd.DataFrame):
            documents = frame_documents(paths, Columns(text_column, language_column, id_column))
        else:
            documents = mapping_documents(paths)
        if not documents:
            raise ParameterError("paths", f"paths holds no texts: {shown(paths)}")
        paths = None
    files = None if paths is None else [os.fspath(p) for p in check_paths("paths", paths)]
    tokenizers = check_specs("tokenizers", tokenizers)
    if by is not None:
        check_choice("by", by, GROUPINGS)
    check_str("reference", reference, what="a language code (a non-empty str)")
    if corpus is not None and not isinstance(corpus, Corpus):
        check_str("corpus", corpus, what="a corpus name (a str), a Corpus or None")
    check_str("text_column", text_column, what="a column name (a non-empty str)")
    check_str("language_column", language_column, what="a column name (a non-empty str)", none=True)
    check_str("id_column", id_column, what="a column name (a non-empty str)", none=True)
    check_choice("input_format", input_format, INPUT_FORMATS)
    check_int("resamples", resamples, RESAMPLES_RANGE)
    check_int("seed", seed, SEED_RANGE)
    result = compare_rows(
        files,
        tokenizers=tokenizers,
        by=by,
        reference=reference,
        corpus=corpus,
        columns=Columns(text_column, language_column, id_column),
        input_format=input_format,
        config=BootstrapConfig(resamples=resamples, seed=seed),
        documents=documents,
        languages=languages,
        script=script,
        family=family,
        renyi_alpha=renyi_alpha,
    )
    cols = flat_columns(result.encodings)
    df = pd.DataFrame([flatten(r, result.encodings) for r in result.rows], columns=cols)
    df.attrs["signature"] = result.signature
    return df
