"""``tokstats compare`` on a Dask cluster: workers read and measure, this machine aggregates.

Each input file is one task: the worker reads it with :func:`tokstats.sources._readers.read_documents`
(an fsspec URL is first copied to a local temporary file, so every reader works unchanged) and
measures every document with :func:`tokstats.comparison._metrics.measure`. Only counts come back — one
:class:`~tokstats.comparison._metrics.TextCounts` per document, which the bootstrap intervals need — and they
are aggregated here in input order, exactly as :func:`tokstats.comparison._compare.compare_documents`
does, so rows, intervals included, are identical to the local run.

A Parquet *dataset* (a folder of Parquet files, local or an fsspec URL) is read with
``dask.dataframe.read_parquet``: each partition is measured where it was loaded.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from tokstats.comparison import _metrics as m
from tokstats.comparison._bootstrap import BootstrapConfig
from tokstats.comparison._compare import (
    DEFAULT_CORPUS,
    DEFAULT_ENCODINGS,
    DEFAULT_REFERENCE,
    GROUPINGS,
    Comparison,
    Record,
    _check_encodings,
    _segmented,
    aggregate,
    corpus_documents,
    flat_columns,
    flatten,
)
from tokstats.comparison._segmenters import segmentation_setting
from tokstats.errors import InputError, TokstatsError, UnknownNameError
from tokstats.output._signature import build_signature, inputs_setting
from tokstats.scale._cluster import (
    _ERROR,
    _client,
    expand_inputs,
    prepare_workers,
    run_ordered,
)
from tokstats.sources._corpus import Corpus, load_corpus
from tokstats.sources._inputs import dataset_listing_hash, is_url
from tokstats.sources._readers import (
    INPUT_FORMATS,
    Columns,
    Document,
    file_sha256,
    read_documents,
)
from tokstats.tokenizers._registry import TokenizerLike

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client

#: Corpus documents measured per task (the parallel corpus has 1,200).
CORPUS_BATCH = 100


# --- on the workers ----------------------------------------------------------------------------


@contextmanager
def _local_copy(path: str) -> Iterator[str]:
    """``path`` itself, or for a URL a temporary local copy keeping its last three path parts
    (the suffix picks the reader; ``<lang>/LC_MESSAGES/x.mo`` gives a catalog its language)."""
    if not is_url(path):
        yield path
        return
    import fsspec

    from tokstats.scale._cluster import check_url
    from tokstats.sources._textio import describe_os_error

    check_url(path)
    tail = [p for p in PurePosixPath(path.split("://", 1)[1]).parts[-3:] if p not in ("/", "")]
    with tempfile.TemporaryDirectory(prefix="tokstats-") as tmp:
        local = os.path.normpath(os.path.join(tmp, *tail))
        if os.path.commonpath([tmp, local]) != tmp or local == tmp:  # never outside the folder
            raise InputError(f"{path}: cannot make a local copy of this URL inside a temporary folder")
        os.makedirs(os.path.dirname(local), exist_ok=True)
        try:
            with fsspec.open(path, "rb") as src, open(local, "wb") as dst:
                while block := src.read(1 << 20):
                    dst.write(block)
        except OSError as e:
            raise InputError(describe_os_error(path, e)) from None
        yield local


def measure_file_task(path: str, columns: Columns, input_format: str, encodings: list[str]) -> dict[str, Any]:
    """On a worker: the file's sha256 and ``(language, unit, counts)`` of each of its documents."""
    local = path
    try:
        with _local_copy(path) as local:
            docs = read_documents(local, columns, input_format)
            sha = file_sha256(local)
            records = [
                (
                    d.language,
                    (d.unit or f"#{i}").replace(local, path),
                    m.measure(d.text, encodings, _segmented(d, {})),
                    d.reference_only,
                )
                for i, d in enumerate(docs)
            ]
    except TokstatsError as e:
        return {_ERROR: str(e).replace(local, path)}
    return {"sha256": sha, "records": records}


def measure_texts_task(items: list[tuple[str, bool | None]], encodings: list[str]) -> list[m.TextCounts]:
    """On a worker: counts of each ``(text, segmented)``."""
    return [m.measure(text, encodings, seg) for text, seg in items]


def measure_partition_task(
    item: tuple[int, pd.DataFrame], source: str, columns: Columns, encodings: list[str]
) -> list[tuple[str | None, str, m.TextCounts]] | dict[str, str]:
    """On a worker: ``(language, unit, counts)`` of each row of one partition of a Parquet dataset."""
    part, pdf = item
    out = []
    names = [c for c in (columns.text, columns.language, columns.id) if c]
    for i, values in enumerate(pdf[names].itertuples(index=False, name=None)):
        rec = dict(zip(names, values))
        where = f"partition {part} row {i + 1}"
        for c in names:
            v = rec[c]
            if not isinstance(v, str):
                kind = "null" if v is None or (isinstance(v, float) and math.isnan(v)) else type(v).__name__
                return {_ERROR: f"{source}: {where}: column {c!r} is {kind}, not a string"}
        doc = Document(rec[columns.text], source, rec.get(columns.language or ""), None)
        unit = f"id:{rec[columns.id]}" if columns.id else f"{source}#{where}"
        out.append((doc.language, unit, m.measure(doc.text, encodings, _segmented(doc, {}))))
    return out


# --- on this machine ---------------------------------------------------------------------------


def _is_dataset(path: str, input_format: str) -> bool:
    if input_format not in ("auto", "parquet"):
        return False
    if not is_url(path):
        return os.path.isdir(path)
    import fsspec

    fs, stripped = fsspec.core.url_to_fs(path)
    return bool(fs.isdir(stripped))


def _dataset_parts(client: Client, path: str, columns: Columns) -> list[tuple[int, Any]]:
    """``(number, future)`` of the dataset's partitions, loaded on the workers, wanted columns only."""
    try:
        import dask.dataframe as dd
    except ImportError:
        raise InputError(
            f"{path}: reading a Parquet dataset needs dask.dataframe: pip install 'tokstats[dask]'"
        ) from None
    try:
        ddf = dd.read_parquet(path)
    except Exception as e:  # pyarrow / fsspec raise many types for an unreadable dataset
        raise InputError(f"{path}: not a readable Parquet dataset: {str(e).splitlines()[0]}") from None
    found = list(ddf.columns)
    wanted = [c for c in (columns.text, columns.language, columns.id) if c]
    for c in wanted:
        if c not in found:
            raise InputError(f"{path}: no column {c!r}; columns found: {', '.join(map(str, found)) or 'none'}")
    return list(enumerate(client.compute(ddf[list(dict.fromkeys(wanted))].to_delayed())))


def compare_rows(
    paths: Sequence[str] | None = None,
    *,
    encodings: Sequence[TokenizerLike] = DEFAULT_ENCODINGS,
    by: str | None = None,
    reference: str = DEFAULT_REFERENCE,
    corpus: str | Corpus | None = None,
    columns: Columns = Columns(),
    input_format: str = "auto",
    config: BootstrapConfig = BootstrapConfig(),
    scheduler: str | None = None,
    client: Client | None = None,
    progress: bool | None = None,
) -> Comparison:
    """:func:`tokstats.comparison._compare.compare_rows` on a Dask cluster: the same rows and signature.

    ``paths`` may also hold globs, fsspec URLs and Parquet dataset folders. Give ``client`` (an
    existing ``distributed.Client``) or ``scheduler`` (an address or ``local:N``).
    """
    encs = _check_encodings(encodings)
    if by is not None and by not in GROUPINGS:
        raise UnknownNameError("grouping", by, GROUPINGS)
    if input_format not in INPUT_FORMATS:
        raise UnknownNameError("input format", input_format, INPUT_FORMATS)
    settings = {"count": "encode_ordinary", "reference": reference, **config.settings()}
    loaded = None
    if paths:
        if corpus is not None:
            raise InputError("give either input files or a corpus, not both")
        files = expand_inputs(paths)
        by = by or "source"
        order, names = (files if by == "source" else []), {}
    else:
        loaded = load_corpus(corpus or DEFAULT_CORPUS) if not isinstance(corpus, Corpus) else corpus
        by = by or "language"
        langs = loaded.meta.get("languages") or []
        order = [lang["code"] for lang in langs] if by == "language" else [loaded.name]
        names = {lang["code"]: lang.get("language", lang["code"]) for lang in langs}
    with _client(client, scheduler) as c:
        workers = prepare_workers(c, encs)
        if loaded is not None:
            records = _corpus_records(c, loaded, encs, workers, progress)
        else:
            records, hashes = _file_records(c, files, columns, input_format, encs, workers, progress)
            settings["inputs"] = inputs_setting([(p, hashes[p]) for p in files])
    settings["by"] = by
    rows = aggregate(records, encs, by=by, reference=reference, order=order, names=names, config=config)
    if by == "language":
        rows = [r for r in rows if r["documents"]]
    settings["words"] = segmentation_setting([m for r in rows for m in (r["word_segmentation"] or "").split("; ")])
    return Comparison(rows, build_signature(encs, loaded, **settings), encs)


def _corpus_records(c: Client, corpus: Corpus, encs: list[str], workers: int, progress: bool | None) -> list[Record]:
    langs = corpus.meta.get("languages") or []
    flags = {lang["code"]: bool(lang["segmented_by_spaces"]) for lang in langs if "segmented_by_spaces" in lang}
    docs = corpus_documents(corpus)
    batches = [docs[i : i + CORPUS_BATCH] for i in range(0, len(docs), CORPUS_BATCH)]
    items = [[(d.text, _segmented(d, flags)) for d in b] for b in batches]
    counts = run_ordered(
        c, measure_texts_task, items, encs, label="tokstats-compare", workers=workers, progress=progress
    )
    return [
        (d.source, d.language, d.unit or f"#{i}", tc)
        for i, (d, tc) in enumerate(zip(docs, (tc for batch in counts for tc in batch)))
    ]


def _file_records(
    c: Client,
    files: list[str],
    columns: Columns,
    input_format: str,
    encs: list[str],
    workers: int,
    progress: bool | None,
) -> tuple[list[Record], dict[str, str]]:
    """Records of every input in order (files one task each, datasets one task per partition)."""
    records: list[Record] = []
    hashes: dict[str, str] = {}
    plain = [p for p in files if not _is_dataset(p, input_format)]
    measured = dict(
        zip(
            plain,
            run_ordered(
                c,
                measure_file_task,
                plain,
                columns,
                input_format,
                encs,
                label="tokstats-compare",
                workers=workers,
                progress=progress,
            ),
        )
    )
    for p in files:
        if p in measured:
            hashes[p] = measured[p]["sha256"]
            records += [(None if ref else p, lang, unit, tc) for lang, unit, tc, ref in measured[p]["records"]]
        else:
            parts = _dataset_parts(c, p, columns)
            for part in run_ordered(
                c,
                measure_partition_task,
                parts,
                p,
                columns,
                encs,
                label="tokstats-dataset",
                workers=workers,
                progress=progress,
            ):
                records += [(p, lang, unit, tc) for lang, unit, tc in part]
            hashes[p] = "listing:" + dataset_listing_hash(p)
    return records, hashes


def compare(
    paths: str | Sequence[str] | None = None,
    *,
    encodings: Sequence[TokenizerLike] = DEFAULT_ENCODINGS,
    by: str | None = None,
    reference: str = DEFAULT_REFERENCE,
    corpus: str | Corpus | None = None,
    text_column: str = "text",
    language_column: str | None = None,
    id_column: str | None = None,
    input_format: str = "auto",
    resamples: int = BootstrapConfig.resamples,
    seed: int = BootstrapConfig.seed,
    scheduler: str | None = None,
    client: Client | None = None,
) -> pd.DataFrame:
    """:func:`tokstats.compare` on a Dask cluster: the same DataFrame, signature in ``attrs``."""
    import pandas as pd

    result = compare_rows(
        [paths] if isinstance(paths, str) else paths,
        encodings=encodings,
        by=by,
        reference=reference,
        corpus=corpus,
        columns=Columns(text_column, language_column, id_column),
        input_format=input_format,
        config=BootstrapConfig(resamples=resamples, seed=seed),
        scheduler=scheduler,
        client=client,
    )
    df = pd.DataFrame([flatten(r, result.encodings) for r in result.rows], columns=flat_columns(result.encodings))
    df.attrs["signature"] = result.signature
    return df


__all__ = ["compare", "compare_rows"]
