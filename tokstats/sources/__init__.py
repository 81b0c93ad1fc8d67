"""Text in: the built-in corpora, users' files and folders, read exactly.

The corpora registry (``._corpus``), choosing a corpus' languages by code, script or family
(``._languages``), the readers of text, JSONL, CSV/TSV, Parquet and gettext
catalogs (``._readers``, ``._catalogs``), what a PATH on the command line names
(``._inputs``), the folder walk that git and ripgrep would do (``._discovery``) and exact
UTF-8 decoding with one-line errors (``._textio``). Nothing here knows about tokens.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokstats._api import lazy_exports

_EXPORTS: dict[str, str] = {
    "Corpus": "tokstats.sources._corpus",
    "corpus_summary": "tokstats.sources._corpus",
    "list_corpora": "tokstats.sources._corpus",
    "load_corpus": "tokstats.sources._corpus",
    "load_corpus_file": "tokstats.sources._corpus",
    "select_languages": "tokstats.sources._languages",
    "Columns": "tokstats.sources._readers",
    "Document": "tokstats.sources._readers",
    "INPUT_FORMATS": "tokstats.sources._readers",
    "detect_format": "tokstats.sources._readers",
    "file_sha256": "tokstats.sources._readers",
    "read_documents": "tokstats.sources._readers",
    "expand": "tokstats.sources._inputs",
    "is_url": "tokstats.sources._inputs",
    "local_path": "tokstats.sources._inputs",
    "read_inputs": "tokstats.sources._inputs",
    "require_local": "tokstats.sources._inputs",
    "WalkOptions": "tokstats.sources._discovery",
    "walk": "tokstats.sources._discovery",
    "read_mo": "tokstats.sources._catalogs",
    "read_po": "tokstats.sources._catalogs",
    "STDIN": "tokstats.sources._textio",
    "decode_exact": "tokstats.sources._textio",
    "read_bytes": "tokstats.sources._textio",
    "read_text_exact": "tokstats.sources._textio",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

if TYPE_CHECKING:
    from tokstats.sources._catalogs import read_mo, read_po
    from tokstats.sources._corpus import (
        Corpus,
        corpus_summary,
        list_corpora,
        load_corpus,
        load_corpus_file,
    )
    from tokstats.sources._discovery import WalkOptions, walk
    from tokstats.sources._inputs import (
        expand,
        is_url,
        local_path,
        read_inputs,
        require_local,
    )
    from tokstats.sources._languages import select_languages
    from tokstats.sources._readers import (
        INPUT_FORMATS,
        Columns,
        Document,
        detect_format,
        file_sha256,
        read_documents,
    )
    from tokstats.sources._textio import (
        STDIN,
        decode_exact,
        read_bytes,
        read_text_exact,
    )
