"""``tokstats serve``: the tokenizer playground, a local web page that colours tokens as you type."""

from __future__ import annotations

import argparse
import sys

from tokstats.cli._options import HelpFormatter, add_encodings_option
from tokstats.defaults import SERVE_HOST, SERVE_MAX_CHARS, SERVE_PORT

ORDER = 66

EPILOG = f"""\
Open the address it prints (http://127.0.0.1:{SERVE_PORT}/ by default) and type or paste text:
each chosen tokenizer's tokens are coloured side by side, with the count (the same as tokstats
count), characters per token and the cost of the text as input on the chosen models. A language
picker loads sentences of the built-in corpora. Ctrl-C stops the server.

Trust model: for one person on their own machine. It listens on {SERVE_HOST} only, has no
authentication, stores nothing, and answers only requests addressed to its own host name. A
text longer than {SERVE_MAX_CHARS:,} characters is refused (413); count long files with tokstats
count. The page and its JSON API are described in the docs (serve). Needs the serve extra:
pip install 'tokstats[serve]'.

Examples:
  tokstats serve
  tokstats serve --port 9000
  tokstats serve --encodings hf:./tokenizer.json
"""


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port number (0..65535; 0: any free port)")
    return port


def _check_port(host: str, port: int) -> None:
    """Refuse, in one line, an address that cannot be listened on (a port in use, a bad host)."""
    import socket

    from tokstats.errors import InputError

    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as e:
        raise InputError(f"--host {host}: cannot listen there: {e.strerror or e}") from None
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as e:
            raise InputError(f"--port {port}: cannot listen on {host}:{port}: {e.strerror or e}") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "serve",
        help="a local web page that colours each tokenizer's tokens as you type, with counts and costs",
        description="Run the tokenizer playground on this machine.",
        epilog=EPILOG,
        formatter_class=HelpFormatter,
    )
    p.add_argument("--port", type=_port, default=SERVE_PORT, help=f"port to listen on (default: {SERVE_PORT})")
    p.add_argument(
        "--host",
        default=SERVE_HOST,
        help=f"address to listen on (default: {SERVE_HOST}, this machine only; anything else exposes an "
        "unauthenticated server to your network)",
    )
    add_encodings_option(
        p, "tokenizers to offer besides the installed named ones, e.g. your own files", defaults_shown=False
    )
    p.add_argument("--open", action="store_true", help="open the page in the default web browser")
    p.add_argument("--quiet", action="store_true", help="do not log each request")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from tokstats.serve._app import _require

    _require()  # a missing extra is said before anything is loaded
    from tokstats.serve import Playground, run_server
    from tokstats.tokenizers import get_tokenizer

    extra = args.encodings or []
    for spec in extra:  # a bad file is one line now, not an error on the page later
        get_tokenizer(spec)
    _check_port(args.host, args.port)
    play = Playground(extra)
    url = f"http://{'localhost' if args.host in ('127.0.0.1', 'localhost') else args.host}:{args.port}/"
    if args.host not in ("127.0.0.1", "localhost", "::1"):
        print(
            f"tokstats serve: listening on {args.host}: anyone who can reach it can use it (no authentication)",
            file=sys.stderr,
        )
    print(f"tokstats serve: the playground is at {url} (Ctrl-C to stop)", file=sys.stderr, flush=True)
    if args.open:
        import threading
        import webbrowser

        threading.Timer(1.0, webbrowser.open, (url,)).start()
    run_server(play, host=args.host, port=args.port, quiet=args.quiet)
    return 0
