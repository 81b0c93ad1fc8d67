"""The tokenizer playground: a local web page that colours tokens as you type.

``._api`` answers the page's JSON requests (tokens of a text under each chosen tokenizer, the
counts, characters per token, the cost on chosen models, sample sentences of the built-in
corpora), checked and limited (``._limits``); ``._page`` is the page itself, one HTML file with
its script and styles inline; ``._app`` puts them on a Starlette application that
``tokstats serve`` runs with uvicorn on 127.0.0.1. Starlette and uvicorn are the optional
extra ``serve`` (``pip install 'tokstats[serve]'``), imported only here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokstats._api import lazy_exports

_EXPORTS: dict[str, str] = {
    "ApiError": "tokstats.serve._api",
    "Playground": "tokstats.serve._api",
    "create_app": "tokstats.serve._app",
    "run_server": "tokstats.serve._app",
    "PAGE": "tokstats.serve._page",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

if TYPE_CHECKING:
    from tokstats.serve._api import ApiError, Playground
    from tokstats.serve._app import create_app, run_server
    from tokstats.serve._page import PAGE
