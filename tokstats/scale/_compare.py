"""``tokstats compare`` on a Dask cluster: the one ``tokstats.comparison._compare.compare_rows``,
run with a ``DaskExecutor``.

Each input file (or batch of corpus texts) is one task running the same work item as the local
run (``tokstats.comparison._compare.measure_input``); here are only the parts that are the
cluster's own: an fsspec URL is first copied to a local temporary file on the worker
(``_local_copy``, so every reader works unchanged), and a Parquet *dataset* (a folder of
Parquet files, local or an fsspec URL) is read with ``dask.dataframe.read_parquet``, each
partition measured where it was loaded. Only counts come back, and they are aggregated on this
machine in input order, so rows, intervals included, are identical to the local run.
"""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Any

from tokstats._api import renamed
from tokstats.comparison._bootstrap import BootstrapConfig
from tokstats.comparison._compare import (
    DEFAULT_ENCODINGS,
    DEFAULT_REFERENCE,
    GROUPINGS,
    Comparison,
    Measured,
    MeasuredInput,
    _check_encodings,
    flat_columns,
    flatten,
    measure_documents,
)
from tokstats.comparison._compare import compare_rows as base_compare_rows
from tokstats.errors import InputError, UnknownNameError
from tokstats.scale._cluster import (
    _ERROR,
    DaskExecutor,
    _client,
    check_url,
    expand_inputs,
    prepare_workers,
    run_ordered,
)
from tokstats.sources._corpus import Corpus
from tokstats.sources._inputs import dataset_listing_hash, is_url
from tokstats.sources._readers import INPUT_FORMATS, Columns, Document
from tokstats.sources._textio import describe_os_error
from tokstats.tokenizers._registry import TokenizerLike

if TYPE_CHECKING:
    import pandas as pd
    from distributed import Client


# --- on the workers ----------------------------------------------------------------------------


@contextmanager
def _local_copy(path: str) -> Iterator[str]:
    """``path`` itself, or for a URL a temporary local copy keeping its last three path parts
    (the suffix picks the reader; ``<lang>/LC_MESSAGES/x.mo`` gives a catalog its language)."""
    if not is_url(path):
        yield path
        return
    import fsspec

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


def measure_partition_task(
    item: tuple[int, pd.DataFrame], source: str, columns: Columns, encodings: list[str]
) -> list[Measured] | dict[str, str]:
    """On a worker: each row of one partition of a Parquet dataset, measured as a document."""
    part, pdf = item
    docs = []
    names = [c for c in (columns.text, columns.language, columns.id) if c]
    for i, values in enumerate(pdf[names].itertuples(index=False, name=None)):
        rec = dict(zip(names, values))
        where = f"partition {part} row {i + 1}"
        for c in names:
            v = rec[c]
            if not isinstance(v, str):
                kind = "null" if v is None or (isinstance(v, float) and math.isnan(v)) else type(v).__name__
                return {_ERROR: f"{source}: {where}: column {c!r} is {kind}, not a string"}
        unit = f"id:{rec[columns.id]}" if columns.id else f"{source}#{where}"
        docs.append(Document(rec[columns.text], source, rec.get(columns.language or ""), unit))
    return measure_documents(docs, encodings)


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
    scheduler: str | None = None,
    client: Client | None = None,
    progress: bool | None = None,
    languages: str | Sequence[str] | None = None,
    script: str | None = None,
    family: str | None = None,
    renyi_alpha: float = 2.5,
    words: bool = True,
) -> Comparison:
    """``tokstats.comparison._compare.compare_rows`` on a Dask cluster: the same rows and signature.

    ``paths`` may also hold globs, fsspec URLs and Parquet dataset folders. Give ``client`` (an
    existing ``distributed.Client``) or ``scheduler`` (an address or ``local:N``).
    """
    # what the one compare_rows checks, checked again here: a bad argument fails before a cluster starts
    encs = _check_encodings(tokenizers)
    if by is not None and by not in GROUPINGS:
        raise UnknownNameError("grouping", by, GROUPINGS)
    if input_format not in INPUT_FORMATS:
        raise UnknownNameError("input format", input_format, INPUT_FORMATS)
    if paths and corpus is not None:
        raise InputError("give either input files or a corpus, not both")
    files = expand_inputs(paths) if paths else None
    with _client(client, scheduler) as c:
        workers = prepare_workers(c, encs)
        on = DaskExecutor(c, label="tokstats-compare", workers=workers, progress=progress)
        datasets = {p: _measure_dataset(on, p, columns, encs) for p in files or [] if _is_dataset(p, input_format)}
        return base_compare_rows(
            files,
            tokenizers=tokenizers,
            by=by,
            reference=reference,
            corpus=corpus,
            columns=columns,
            input_format=input_format,
            config=config,
            executor=on,
            local_copy=_local_copy,
            measured=datasets,
            languages=languages,
            script=script,
            family=family,
            renyi_alpha=renyi_alpha,
            words=words,
        )


def _measure_dataset(on: DaskExecutor, path: str, columns: Columns, encs: list[str]) -> MeasuredInput:
    """A Parquet dataset measured on the cluster, one task per partition."""
    parts = _dataset_parts(on.client, path, columns)
    documents: list[Measured] = []
    for measured in run_ordered(
        on.client,
        measure_partition_task,
        parts,
        path,
        columns,
        encs,
        label="tokstats-dataset",
        workers=on.workers,
        progress=on.progress,
    ):
        documents += measured
    return MeasuredInput("listing:" + dataset_listing_hash(path), documents)


@renamed(encodings="tokenizers")
def compare(
    paths: str | Sequence[str] | None = None,
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
    scheduler: str | None = None,
    client: Client | None = None,
) -> pd.DataFrame:
    """``tokstats.compare`` on a Dask cluster: the same DataFrame, signature in ``attrs``."""
    import pandas as pd

    result = compare_rows(
        [paths] if isinstance(paths, str) else paths,
        tokenizers=tokenizers,
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
