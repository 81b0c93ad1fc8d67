"""What the playground page asks, answered as plain dicts (the web layer only turns them to JSON).

Every answer is computed by the library the command line uses: the count is ``tokstats.count``
(so it equals ``tokstats count -`` on the same text), the coloured boxes are ``split_view``
(the text cut at the tokenizer's own token boundaries), prices come from the shipped price table.
A request is checked before any work: an unknown tokenizer or model, a missing or too long text,
too many tokenizers is an ``ApiError`` carrying the HTTP status and a one-line message.

Which tokenizers a request may name is fixed when the server starts: the installed named ones
(``tokstats encodings``) plus those given to ``tokstats serve --encodings`` (which may be files,
``hf:PATH``); a request can never make the server open a path of its choosing.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence
from typing import Any

from tokstats.defaults import (
    DEFAULT_TOKENIZERS,
    SERVE_MAX_CHARS,
    SERVE_MAX_MODELS,
    SERVE_MAX_TOKENIZERS,
)
from tokstats.errors import TokstatsError

#: Models priced when a request names none.
DEFAULT_MODELS = ("gpt-4-turbo", "gpt-4o")

#: Corpora the language picker offers, in this order.
SAMPLE_CORPORA = ("udhr", "parallel")


class ApiError(Exception):
    """A request the playground refuses: ``status`` (4xx) and a one-line ``message``."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def split_names(value: str | Sequence[str] | None, what: str, limit: int) -> list[str]:
    """Names from ``"a,b"`` or a list, stripped, duplicates dropped; at most ``limit``."""
    if value is None:
        return []
    parts = value.split(",") if isinstance(value, str) else [str(v) for v in value]
    names = list(dict.fromkeys(p.strip() for p in parts if p.strip()))
    if len(names) > limit:
        raise ApiError(400, f"{what}: at most {limit} at once, not {len(names)}")
    return names


class Playground:
    """The answers of the playground for a fixed set of allowed tokenizers.

    ``extra`` are tokenizer specs the person starting the server adds to the installed named
    ones (files such as ``hf:./tokenizer.json``); ``max_chars`` bounds the text of a request.
    """

    def __init__(
        self,
        extra: Iterable[str] = (),
        *,
        defaults: Sequence[str] = DEFAULT_TOKENIZERS,
        models: Sequence[str] = DEFAULT_MODELS,
        max_chars: int = SERVE_MAX_CHARS,
    ) -> None:
        import tokstats

        self.extra = list(dict.fromkeys(extra))
        self.allowed = list(dict.fromkeys([*tokstats.list_tokenizers(), *self.extra]))
        self.defaults = [d for d in defaults if d in self.allowed] or self.allowed[:2]
        self.default_models = list(models)
        self.max_chars = max_chars
        self._tokenizers: dict[str, Any] = {}
        self._lock = threading.Lock()
        self._prices: Any = None

    # -- what the page offers -------------------------------------------------------------
    def options(self) -> dict[str, Any]:
        """Tokenizers that may be chosen, the defaults, priced models and the limits."""
        return {
            "tokenizers": self.allowed,
            "default_tokenizers": self.defaults,
            "models": self._model_names(),
            "default_models": self.default_models,
            "max_chars": self.max_chars,
            "max_tokenizers": SERVE_MAX_TOKENIZERS,
            "max_models": SERVE_MAX_MODELS,
        }

    def languages(self) -> dict[str, Any]:
        """The languages of the built-in corpora the picker loads, by corpus."""
        import tokstats

        out = []
        for name in SAMPLE_CORPORA:
            corpus = tokstats.load_corpus(name)
            langs = corpus.meta.get("languages", [])
            out.append(
                {
                    "corpus": name,
                    "title": corpus.meta.get("title", name),
                    "units": len(corpus.entries),
                    "languages": [{"code": x["code"], "name": x.get("language", x["code"])} for x in langs],
                }
            )
        return {"corpora": out}

    def sample(self, corpus: str | None, language: str | None, unit: str | int | None = None) -> dict[str, Any]:
        """The text of one unit of a built-in corpus in one language (default: its first unit)."""
        import tokstats

        corpus = corpus or SAMPLE_CORPORA[0]
        if corpus not in SAMPLE_CORPORA:
            raise ApiError(400, f"corpus: {corpus!r} is not one of {', '.join(SAMPLE_CORPORA)}")
        if not language:
            raise ApiError(400, "language: give a language code, e.g. language=hi")
        entries = tokstats.load_corpus(corpus).entries
        try:
            index = int(unit) if unit not in (None, "") else 0
        except (TypeError, ValueError):
            raise ApiError(400, f"unit: {unit!r} is not a whole number") from None
        if not 0 <= index < len(entries):
            raise ApiError(400, f"unit: {index} is out of range 0..{len(entries) - 1}")
        entry = entries[index]
        text = entry["text"].get(language)
        if text is None:
            raise ApiError(404, f"language: {corpus} has no text in {language!r}")
        return {"corpus": corpus, "language": language, "unit": index, "id": entry.get("id", ""), "text": text}

    # -- the answer to a text -------------------------------------------------------------
    def tokens(
        self,
        text: Any,
        encodings: str | Sequence[str] | None = None,
        models: str | Sequence[str] | None = None,
    ) -> dict[str, Any]:
        """Each chosen tokenizer's tokens of ``text`` (pieces with their ids), the counts,
        characters per token, and the input cost of the text on each chosen model."""
        import tokstats

        if not isinstance(text, str):
            raise ApiError(400, "text: give the text to tokenize (a string)")
        if len(text) > self.max_chars:
            raise ApiError(
                413,
                f"text: {len(text):,} characters is more than this server takes at once ({self.max_chars:,}); "
                "count long texts with tokstats count",
            )
        names = split_names(encodings, "encodings", SERVE_MAX_TOKENIZERS)
        if encodings is None:
            names = list(self.defaults)
        if not names:
            raise ApiError(400, "encodings: choose at least one tokenizer")
        unknown = [n for n in names if n not in self.allowed]
        if unknown:
            raise ApiError(400, f"encodings: unknown tokenizer {unknown[0]!r}; choose from {', '.join(self.allowed)}")
        chosen_models = split_names(models, "models", SERVE_MAX_MODELS)
        if models is None:
            chosen_models = list(self.default_models)
        results = []
        counts: dict[str, int] = {}
        try:
            for name in names:
                tok = self._tokenizer(name)
                n = tokstats.count(text, tok)
                pieces = tokstats.split_view(text, tok)
                counts[name] = n
                results.append(
                    {
                        "name": name,
                        "tokens": n,
                        "characters_per_token": len(text) / n if n else None,
                        "pieces": [[p.text, list(p.tokens)] for p in pieces],
                    }
                )
            costs = [self._cost(text, m, counts) for m in chosen_models]
        except TokstatsError as e:
            raise ApiError(400, str(e).splitlines()[0] if str(e) else type(e).__name__) from None
        return {
            "characters": len(text),
            "bytes": len(text.encode("utf-8", "surrogatepass")),
            "tokenizers": results,
            "models": costs,
        }

    # -- helpers --------------------------------------------------------------------------
    def _tokenizer(self, name: str) -> Any:
        with self._lock:
            tok = self._tokenizers.get(name)
            if tok is None:
                import tokstats

                tok = self._tokenizers[name] = tokstats.get_tokenizer(name)
            return tok

    def _price_table(self) -> Any:
        with self._lock:
            if self._prices is None:
                import tokstats

                self._prices = tokstats.load_prices()
            return self._prices

    def _model_names(self) -> list[str]:
        try:
            rows = self._price_table().rows()
        except TokstatsError:
            return []
        return sorted({str(r["model"]) for r in rows if r.get("input_per_1m") is not None and r.get("encoding")})

    def _cost(self, text: str, model: str, counts: dict[str, int]) -> dict[str, Any]:
        import tokstats
        from tokstats.tokenizers import spec_for_model

        spec = str(spec_for_model(model))
        quote = self._price_table().quote(model)
        price = getattr(quote, "input_per_1m", None)
        if price is None:
            raise ApiError(400, f"models: {model} has no input price per token ({getattr(quote, 'note', '')})")
        n = counts.get(spec)
        if n is None:
            n = tokstats.count(text, self._tokenizer(spec) if spec in self.allowed else spec)
        return {
            "model": model,
            "tokenizer": spec,
            "tokens": n,
            "input_usd_per_1m_tokens": float(price),
            "cost_usd": n * float(price) / 1e6,
            "as_of": getattr(quote, "as_of", ""),
        }
