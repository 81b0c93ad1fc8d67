"""The playground on the web: a Starlette application and the uvicorn server that runs it.

Routes (all answers JSON but ``/``; errors are ``{"error": "one line"}`` with a 4xx status):

* ``GET /`` — the page (``._page``), self-contained: nothing else is loaded.
* ``GET /api/options`` — tokenizers that may be chosen, the defaults, priced models, the limits.
* ``GET /api/languages`` — the languages of the built-in corpora the picker offers.
* ``GET /api/sample?corpus=udhr&language=hi&unit=0`` — one text of a built-in corpus.
* ``GET /api/tokens?text=…&encodings=a,b&models=m,n`` and ``POST /api/tokens`` with the JSON
  body ``{"text": …, "encodings": [...], "models": [...]}`` — the tokens, counts, characters
  per token and costs (``._api.Playground.tokens``).

Trust model: a tool for one person on their own machine. It listens on 127.0.0.1, has no
accounts or authentication, keeps nothing (no log of texts, no files written), and answers only
requests addressed to the host name it was started on (``localhost``/``127.0.0.1`` by default),
so a web page elsewhere cannot reach it by DNS rebinding. A request body is read up to a bound,
so a huge paste is refused with 413, not held in memory.
"""

from __future__ import annotations

import json
from typing import Any

from tokstats.defaults import SERVE_HOST, SERVE_PORT
from tokstats.errors import InputError
from tokstats.serve._api import ApiError, Playground

#: What to install when Starlette or uvicorn is missing.
INSTALL_HINT = "pip install 'tokstats[serve]'"

#: Security headers sent with every answer: the page may load nothing from anywhere else.
HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
    "connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def _require() -> None:
    try:
        import starlette  # noqa: F401
        import uvicorn  # noqa: F401
    except ImportError:
        raise InputError(f"tokstats serve needs Starlette and uvicorn: {INSTALL_HINT}") from None


def create_app(playground: Playground | None = None, *, hosts: list[str] | None = None) -> Any:
    """The Starlette application of the playground. ``hosts`` are the Host header values it
    answers (default: ``127.0.0.1``, ``localhost`` and, for tests, ``testserver``)."""
    _require()
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.requests import Request
    from starlette.responses import HTMLResponse, JSONResponse, Response
    from starlette.routing import Route

    from tokstats.serve._page import PAGE

    play = playground or Playground()
    body_limit = play.max_chars * 4 + 65_536  # UTF-8 is at most 4 bytes a character, plus JSON

    def answer(data: Any, status: int = 200) -> Response:
        return JSONResponse(data, status_code=status, headers=HEADERS)

    def error(e: ApiError) -> Response:
        return answer({"error": e.message}, e.status)

    async def page(request: Request) -> Response:
        return HTMLResponse(PAGE, headers=HEADERS)

    async def options(request: Request) -> Response:
        return answer(play.options())

    async def languages(request: Request) -> Response:
        return answer(play.languages())

    async def sample(request: Request) -> Response:
        q = request.query_params
        try:
            return answer(play.sample(q.get("corpus"), q.get("language"), q.get("unit")))
        except ApiError as e:
            return error(e)

    async def tokens(request: Request) -> Response:
        from starlette.concurrency import run_in_threadpool

        try:
            if request.method == "POST":
                body = await _read_body(request, body_limit, play.max_chars)
                try:
                    data = json.loads(body.decode("utf-8"))
                except (UnicodeDecodeError, ValueError):
                    raise ApiError(400, 'body: not JSON; send {"text": …, "encodings": […]}') from None
                if not isinstance(data, dict):
                    raise ApiError(400, "body: a JSON object is expected")
                text, encs, models = data.get("text"), data.get("encodings"), data.get("models")
                for key, value in (("encodings", encs), ("models", models)):
                    if value is not None and not (
                        isinstance(value, str) or (isinstance(value, list) and all(isinstance(v, str) for v in value))
                    ):
                        raise ApiError(400, f"{key}: a list of names or a comma-separated string is expected")
            else:
                q = request.query_params
                text, encs, models = q.get("text"), q.get("encodings"), q.get("models")
            result = await run_in_threadpool(play.tokens, text, encs, models)
        except ApiError as e:
            return error(e)
        return answer(result)

    async def not_found(request: Request, exc: Exception) -> Response:
        status = getattr(exc, "status_code", 404)
        detail = getattr(exc, "detail", None) or "not found"
        return answer({"error": f"{request.method} {request.url.path}: {detail}"}, status)

    routes = [
        Route("/", page),
        Route("/api/options", options),
        Route("/api/languages", languages),
        Route("/api/sample", sample),
        Route("/api/tokens", tokens, methods=["GET", "POST"]),
    ]
    allowed = hosts or ["127.0.0.1", "localhost", "::1", "testserver"]
    return Starlette(
        routes=routes,
        middleware=[Middleware(_HostCheck, allowed=allowed)],
        exception_handlers={404: not_found, 405: not_found},
    )


class _HostCheck:
    """Answer only requests whose Host header names an allowed host (port ignored): a page on
    another site that rebinds its own name to 127.0.0.1 is refused with a 400 JSON error."""

    def __init__(self, app: Any, allowed: list[str]) -> None:
        self.app = app
        self.allowed = {h.lower() for h in allowed}

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] in ("http", "websocket"):
            host = ""
            for key, value in scope.get("headers", []):
                if key == b"host":
                    host = value.decode("latin-1")
            name = host[1 : host.find("]")] if host.startswith("[") else host.rsplit(":", 1)[0]
            name = name.lower()
            if name not in self.allowed:
                from starlette.responses import JSONResponse

                msg = f"host: {host or '(none)'} is not this server's name; open http://127.0.0.1 or http://localhost"
                await JSONResponse({"error": msg}, status_code=400, headers=HEADERS)(scope, receive, send)
                return
        await self.app(scope, receive, send)


async def _read_body(request: Any, limit: int, max_chars: int) -> bytes:
    """The request body, refused with 413 past ``limit`` bytes (checked as it arrives)."""
    too_big = ApiError(413, f"text: more than this server takes at once ({max_chars:,} characters)")
    length = request.headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > limit:
        raise too_big
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise too_big
        chunks.append(chunk)
    return b"".join(chunks)


def run_server(
    playground: Playground | None = None, *, host: str = SERVE_HOST, port: int = SERVE_PORT, quiet: bool = False
) -> None:
    """Serve the playground until interrupted (uvicorn, one process)."""
    _require()
    import uvicorn

    hosts = list(dict.fromkeys(["127.0.0.1", "localhost", "::1", host]))
    app = create_app(playground, hosts=hosts)
    uvicorn.run(app, host=host, port=port, log_level="warning" if quiet else "info", access_log=not quiet)
