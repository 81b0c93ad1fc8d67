"""A monthly cost forecast per model, and how much of a saving is the tokenizer's and the price's.

A workload is a list of requests: chat messages and, optionally, the completion that came back.
It comes from the user's sample (JSONL lines ``{"messages": [...], "completion": "..."}``, or
plain text files, each one prompt sent as one user message) or from the built-in parallel corpus
mixed by language (``hi=0.6,en=0.4``). Every request is counted with each model's own encoding
and chat framing (``tokstats.cost._messages``), and

    input_cost  = requests × mean input tokens  × input_per_1m  / 1e6
    output_cost = requests × mean output tokens × output_per_1m / 1e6
    monthly_cost = input_cost + output_cost

Output tokens are the completion's tokens in the model's encoding, or ``output_tokens`` (the same
K for every model) for a request without a completion.

Prices (``tokstats.cost._prices``) are those of ``as_of`` (today by default), standard or batch.
A request's input price is ``(1 − s) × input + s × cached input`` with ``s`` the cached share
(a model without a cached-input rate charges cached tokens at its input rate), and a request whose
input exceeds a model's long-context threshold pays its long-context rates on all its tokens. So
a model's prices can differ from request to request; the forecast uses the token-weighted mean
price (``effective_input_per_1m`` = Σ tokens × price / Σ tokens), and the formulas below hold
with ``p`` the effective prices.

Saving against the first model (the baseline b), for model m, with per-request mean tokens
``t`` and prices ``p`` (input and output alike, summed over both, times requests / 1e6)::

    saving           = cost_b − cost_m
    saving_tokenizer = Σ (t_b − t_m) × p_b      the baseline's price applied to the token difference
    saving_price     = Σ t_m × (p_b − p_m)      the price difference applied to m's own tokens

and ``saving_tokenizer + saving_price == saving`` exactly, since
``t_b p_b − t_m p_m = (t_b − t_m) p_b + t_m (p_b − p_m)``. A fixed ``output_tokens`` K is the
same for every model, so it adds nothing to the tokenizer part.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tokstats._api import check_bool, check_int, check_names, check_number, check_path, check_paths, shown
from tokstats.cost._messages import CHAT_KINDS, check_chat_model, count_message_tokens, rules_for_model, text_tokens
from tokstats.cost._prices import (
    Price,
    PriceTable,
    PriceUnavailableError,
    load_prices,
    parse_day,
)
from tokstats.defaults import OUTPUT_TOKENS_RANGE, REASONING_TOKENS_RANGE, REQUESTS_RANGE
from tokstats.errors import InputError, ParameterError
from tokstats.output._signature import Signature, build_signature
from tokstats.sources._corpus import Corpus, load_corpus
from tokstats.sources._textio import decode_exact, iter_jsonl_objects, read_bytes
from tokstats.tokenizers._base import Tokenizer
from tokstats.tokenizers._registry import get_tokenizer, known_specs

if TYPE_CHECKING:
    import pandas as pd

JSONL_SUFFIXES = (".jsonl", ".ndjson")
COLUMNS = [
    "model",
    "provider",
    "tokenizer",
    "approximate",
    "encoding",
    "requests",
    "input_tokens",
    "output_tokens",
    "reasoning_tokens",
    "input_per_1m",
    "cached_input_per_1m",
    "output_per_1m",
    "effective_input_per_1m",
    "effective_output_per_1m",
    "input_cost",
    "output_cost",
    "monthly_cost",
    "saving",
    "saving_tokenizer",
    "saving_price",
    "context_window",
    "over_context",
    "as_of",
    "since",
    "priced_as",
    "source",
    "message_rules",
    "note",
]

#: A model named for each stand-in tokenizer, whose chat framing an approximate row borrows.
STAND_IN_FRAMING = {
    "o200k_base": "gpt-4o",
    "cl100k_base": "gpt-4",
    "o200k_harmony": "gpt-oss-120b",
    "llama3": "llama-3.3-70b-instruct",
    "llama4": "llama-4-scout-17b-16e-instruct",
    "qwen": "qwen2.5-72b-instruct",
    "mistral-v1": "mistral-medium-2312",
    "mistral-v2": "mistral-large-2402",
    "mistral-v3": "mistral-large-2407",
    "mistral-v7": "mistral-large-2411",
    "tekken": "open-mistral-nemo-2407",
}


@dataclass(frozen=True)
class Request:
    """One chat request of a workload: its messages, the completion if known, and where it is from."""

    messages: list[dict[str, Any]]
    completion: str | None
    where: str
    prompt: str | None = None  #: the plain text, when the request is one prompt (non-chat models count it)
    tools: list[dict[str, Any]] | None = None  #: the request's tool definitions, charged as input
    reasoning_tokens: int | None = None  #: ``usage.completion_tokens_details.reasoning_tokens``, if given


def _request(obj: dict[str, Any], where: str) -> Request:
    messages = obj.get("messages")
    if messages is None:
        raise InputError(f'{where}: no "messages" (expected {{"messages": [...], "completion": "..."}})')
    if not isinstance(messages, list) or not messages:
        raise InputError(f'{where}: "messages" must be a non-empty list of message objects')
    completion = obj.get("completion")
    if completion is not None and not isinstance(completion, str):
        raise InputError(f'{where}: "completion" must be a string, not {type(completion).__name__}')
    tools = obj.get("tools")
    if tools is not None and (not isinstance(tools, list) or not all(isinstance(t, dict) and t for t in tools)):
        raise InputError(f'{where}: "tools" must be a list of tool definition objects')
    return Request(messages, completion, where, tools=tools or None, reasoning_tokens=_reasoning(obj, where))


def _reasoning(obj: dict[str, Any], where: str) -> int | None:
    """``usage.completion_tokens_details.reasoning_tokens`` of a JSONL record, if present."""
    usage = obj.get("usage")
    details = usage.get("completion_tokens_details") if isinstance(usage, dict) else None
    value = details.get("reasoning_tokens") if isinstance(details, dict) else None
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= REASONING_TOKENS_RANGE[1]:
        raise InputError(
            f"{where}: usage.completion_tokens_details.reasoning_tokens must be a whole number "
            f"from 0 to {REASONING_TOKENS_RANGE[1]:,}, not {value!r}"
        )
    return value


def iter_sample(paths: Sequence[str | os.PathLike[str]], digest: Any = None) -> Iterator[Request]:
    """The requests in ``paths``, one at a time, each checked as it is read.

    ``*.jsonl`` / ``*.ndjson`` files hold one request per line (blank lines are skipped) and are
    read as they are consumed: a bad record is reported, naming its file and line, as soon as it
    is reached, and only the current request is held in memory. Any other file is one prompt,
    its exact text sent as a single user message. ``digest`` (a ``hashlib`` object), if given,
    is fed the sha256 of each file's bytes in turn (the sample's signature hash).
    """
    found = False
    for path in paths:
        name = os.fspath(path)
        file_digest = hashlib.sha256()
        if Path(path).suffix.lower() in JSONL_SUFFIXES:
            for n, obj in iter_jsonl_objects(path, digest=file_digest):
                found = True
                yield _request(obj, f"{name}:{n}")
        else:
            data = read_bytes(path)
            file_digest.update(data)
            text = decode_exact(data, path)
            found = True
            yield Request([{"role": "user", "content": text}], None, name, prompt=text)
        if digest is not None:
            digest.update(file_digest.digest())
    if not found:
        raise InputError(f"{', '.join(os.fspath(p) for p in paths) or 'sample'}: no requests found")


def read_sample(paths: Sequence[str | os.PathLike[str]]) -> tuple[list[Request], str]:
    """The requests in ``paths`` (see ``iter_sample``) and the sha256 over their bytes (for the
    signature). ``forecast`` streams the files instead of holding every request."""
    digest = hashlib.sha256()
    requests = list(iter_sample(paths, digest))
    return requests, digest.hexdigest()


def parse_language_mix(text: str) -> dict[str, float]:
    """``"hi=0.6,en=0.4"`` -> ``{"hi": 0.6, "en": 0.4}``; weights non-negative, summing to 1."""
    mix: dict[str, float] = {}
    for item in text.split(","):
        code, sep, weight = item.strip().partition("=")
        code = code.strip()
        if not sep or not code:
            raise InputError(f"--language-mix {text!r}: {item.strip()!r} is not CODE=WEIGHT (e.g. hi=0.6,en=0.4)")
        try:
            value = float(weight)
        except ValueError:
            raise InputError(f"--language-mix {text!r}: weight {weight!r} of {code} is not a number") from None
        if not math.isfinite(value) or value < 0:
            raise InputError(f"--language-mix {text!r}: weight of {code} must be a non-negative number")
        if code in mix:
            raise InputError(f"--language-mix {text!r}: {code} given twice")
        mix[code] = value
    total = sum(mix.values())
    if abs(total - 1) > 1e-6:
        raise InputError(f"--language-mix {text!r}: weights sum to {total:g}, not 1")
    return mix


def language_mix_requests(mix: Mapping[str, float], corpus: Corpus) -> list[tuple[float, Request]]:
    """Weighted requests from a parallel corpus: one user message per entry and language.

    Only entries that have a text in every language of the mix are used, so each language is
    measured on the same content. The weights of one language's requests sum to its mix weight.
    """
    known = {lang.get("code") for lang in corpus.meta.get("languages", [])}
    known |= {code for e in corpus.entries for code in (e.get("text") or {})}
    for code in mix:
        if code not in known:
            raise InputError(
                f"--language-mix: unknown language {code!r} in corpus {corpus.name}; "
                f"known: {', '.join(sorted(c for c in known if c))}"
            )
    used = [e for e in corpus.entries if all((e.get("text") or {}).get(code) for code in mix)]
    if not used:
        raise InputError(
            f"--language-mix: corpus {corpus.name} has no entry with a text in every one of {', '.join(mix)}"
        )
    weighted: list[tuple[float, Request]] = []
    for code, weight in mix.items():
        for e in used:
            message = {"role": "user", "content": e["text"][code]}
            where = f"{corpus.name}:{e.get('id')}:{code}"
            weighted.append((weight / len(used), Request([message], None, where, prompt=e["text"][code])))
    return weighted


@dataclass(frozen=True)
class _Usage:
    """A model's workload: mean tokens, token-weighted effective prices, requests over its window
    (tokens and prices as exact decimals)."""

    input_tokens: Decimal
    output_tokens: Decimal
    reasoning_tokens: Decimal
    input_price: Decimal
    output_price: Decimal
    over_context: int | None
    reasoning_known: bool


def _dec(value: float | None) -> Decimal | None:
    """A price as the decimal it was written as (``0.59``, not its binary neighbour)."""
    return None if value is None else Decimal(repr(value))


@dataclass(frozen=True)
class _Counter:
    """How one model's requests are counted: its tokenizer and the name its framing is chosen by."""

    model: str
    framing_model: str
    kind: str
    tokenizer: Tokenizer

    def input_tokens(self, request: Request) -> int:
        try:
            if self.kind in CHAT_KINDS:
                return count_message_tokens(
                    request.messages, self.framing_model, tools=request.tools, tokenizer=self.tokenizer
                )
            if request.prompt is not None:
                return text_tokens(request.prompt, self.tokenizer)
            check_chat_model(self.model)
            raise AssertionError("unreachable")  # pragma: no cover
        except InputError as e:
            raise InputError(f"{request.where}: {e}") from None


def _request_tokens(
    request: Request, counter: _Counter, price: Price, output_tokens: int | None, reasoning_tokens: int | None
) -> tuple[int, int, int | None]:
    """(input, visible output, reasoning) tokens of one request; reasoning None when unknown."""
    n_in = counter.input_tokens(request)
    if price.output_per_1m is None:  # embeddings: input only
        return n_in, 0, 0
    reasoning = request.reasoning_tokens if request.reasoning_tokens is not None else reasoning_tokens
    if request.completion is not None:
        return n_in, text_tokens(request.completion, counter.tokenizer), reasoning
    if output_tokens is not None:
        return n_in, output_tokens, reasoning
    raise InputError(
        f'{request.where}: no "completion" to count output tokens from; add --output-tokens K '
        "(the output tokens to charge per request without a completion)"
    )


class _Tally:
    """One model's running totals over a workload read once: tokens and what they cost, never
    the requests themselves (so a sample streams through in flat memory).

    A request given without a weight counts 1 and the totals are scaled by the weight 1/N once N
    is known, which equals weighting each request by 1/N as it comes (the sums are exact)."""

    def __init__(
        self,
        counter: _Counter,
        price: Price,
        output_tokens: int | None,
        reasoning_tokens: int | None,
        cached_share: float,
    ) -> None:
        assert price.input_per_1m is not None
        self.counter, self.price = counter, price
        self.output_tokens, self.reasoning_tokens = output_tokens, reasoning_tokens
        self.share = Decimal(repr(cached_share))
        zero = Decimal(0)
        self.total_in = self.total_out = self.total_reasoning = self.cost_in = self.cost_out = zero
        self.over = 0
        self.known = True
        self.p_base_in = _dec(price.input_per_1m) or zero
        self.p_base_cached = _dec(price.cached_input_per_1m)
        self.p_base_out = _dec(price.output_per_1m) or zero

    def add(self, request: Request, weight: float | None = None) -> None:
        """Count ``request`` (with its weight, if the workload gives one)."""
        price, share = self.price, self.share
        n_in, n_out, reasoning = _request_tokens(
            request, self.counter, price, self.output_tokens, self.reasoning_tokens
        )
        self.known = self.known and reasoning is not None
        n_out += reasoning or 0
        long = price.long_context_from is not None and n_in > price.long_context_from
        p_in = _dec(price.long_input_per_1m) if long and price.long_input_per_1m is not None else self.p_base_in
        p_cached = _dec(price.long_cached_input_per_1m) if long else self.p_base_cached
        p_out = _dec(price.long_output_per_1m) if long and price.long_output_per_1m is not None else self.p_base_out
        assert p_in is not None and p_out is not None
        p_in_mixed = (1 - share) * p_in + share * (p_in if p_cached is None else p_cached)
        w = Decimal(1) if weight is None else Decimal(repr(weight))
        self.total_in += w * n_in
        self.total_out += w * n_out
        self.total_reasoning += w * (reasoning or 0)
        self.cost_in += w * n_in * p_in_mixed
        self.cost_out += w * n_out * p_out
        if price.context_window is not None and n_in > price.context_window:
            self.over += 1

    def usage(self, scale: Decimal = Decimal(1)) -> _Usage:
        """The totals, each times ``scale`` (1/N for an unweighted workload of N requests)."""
        total_in, total_out = scale * self.total_in, scale * self.total_out
        cost_in, cost_out = scale * self.cost_in, scale * self.cost_out
        share, p_base_in, p_base_cached = self.share, self.p_base_in, self.p_base_cached
        base_in = (1 - share) * p_base_in + share * (p_base_in if p_base_cached is None else p_base_cached)
        return _Usage(
            input_tokens=total_in,
            output_tokens=total_out,
            reasoning_tokens=scale * self.total_reasoning,
            input_price=cost_in / total_in if total_in else base_in,
            output_price=cost_out / total_out if total_out else self.p_base_out,
            over_context=self.over if self.price.context_window is not None else None,
            reasoning_known=self.known,
        )


def _money(value: Decimal) -> float:
    """A decimal amount as a float that prints as the decimal (no 0.8580000000000001)."""
    return float(value)  # the float nearest the exact decimal: its repr is the short decimal


def _check_share(cached_share: float) -> float:
    if (
        isinstance(cached_share, bool)
        or not isinstance(cached_share, (int, float))
        or not (math.isfinite(cached_share) and 0 <= cached_share <= 1)
    ):
        raise InputError(f"cached share must be a number from 0 to 1, not {cached_share!r}")
    return float(cached_share)


def _standins(tokenizer_for: Mapping[str, str] | None) -> dict[str, str]:
    """``tokenizer_for`` checked: model names to known tokenizer specs."""
    out: dict[str, str] = {}
    for model, spec in (tokenizer_for or {}).items():
        if not isinstance(model, str) or not model.strip() or not isinstance(spec, str) or not spec.strip():
            raise InputError(f"tokenizer_for: give MODEL=TOKENIZER pairs of names, not {model!r}={spec!r}")
        if spec not in known_specs() and not spec.startswith(("hf:", "sp:")):
            raise InputError(
                f"tokenizer_for: unknown tokenizer {spec!r} for {model}; known: {', '.join(known_specs())}"
            )
        out[model.strip()] = spec.strip()
    return out


def parse_tokenizer_for(items: Sequence[str]) -> dict[str, str]:
    """``["claude-3-5-sonnet=o200k_base", ...]`` (``--tokenizer-for``) -> a dict."""
    out: dict[str, str] = {}
    for item in items:
        model, sep, spec = item.rpartition("=")
        if not sep or not model.strip() or not spec.strip():
            raise InputError(
                f"--tokenizer-for {item!r} is not MODEL=TOKENIZER (e.g. anthropic:claude-3-5-sonnet=o200k_base)"
            )
        out[model.strip()] = spec.strip()
    return _standins(out)


def _grouped(models: Sequence[str], prices: Sequence[Price]) -> list[int]:
    """Row order: the baseline (first model) first, then its provider's models, then the other
    providers' in alphabetical order, each provider's models in the order given."""
    first = prices[0].provider
    return [0] + sorted(range(1, len(models)), key=lambda i: (prices[i].provider != first, prices[i].provider, i))


def forecast_rows(
    workload: Iterable[Request] | Iterable[tuple[float, Request]],
    requests: int,
    models: Sequence[str],
    *,
    output_tokens: int | None = None,
    prices: PriceTable | None = None,
    as_of: dt.date | str | None = None,
    cached_share: float = 0.0,
    batch: bool = False,
    reasoning_tokens: int | None = None,
    tokenizer_for: Mapping[str, str] | None = None,
) -> list[dict[str, Any]]:
    """One row per model (see ``COLUMNS``): mean tokens per request, costs, and the saving
    against the first model split into its tokenizer and price parts (module docstring).

    ``workload`` is a list of requests (equal weight) or of ``(weight, request)`` pairs whose
    weights sum to 1; any iterable of them will do (it is read once, so a sample streamed from
    files by ``iter_sample`` is never held in memory). ``as_of`` (a date or ``YYYY-MM-DD``; default today) picks the day's prices,
    ``cached_share`` the share of input tokens served from the prompt cache, ``batch`` the batch
    rates. ``reasoning_tokens`` K adds K hidden reasoning tokens per request (charged as output)
    where a request does not give its own. ``tokenizer_for`` names a stand-in tokenizer for a
    model tokstats has none for (rows priced so are ``approximate``). A model that cannot be
    priced so, or has no known tokenizer and no stand-in, is refused with one line.
    Rows come grouped by provider, the first model (the baseline) first.
    """
    if isinstance(requests, bool) or not isinstance(requests, int) or requests < 0:
        raise InputError(f"requests must be a non-negative whole number, not {requests!r}")
    if output_tokens is not None and (
        isinstance(output_tokens, bool) or not isinstance(output_tokens, int) or output_tokens < 0
    ):
        raise InputError(f"output tokens must be a non-negative whole number, not {output_tokens!r}")
    if reasoning_tokens is not None and (
        isinstance(reasoning_tokens, bool) or not isinstance(reasoning_tokens, int) or reasoning_tokens < 0
    ):
        raise InputError(f"reasoning tokens must be a non-negative whole number, not {reasoning_tokens!r}")
    share = _check_share(cached_share)
    standins = _standins(tokenizer_for)
    if not models:
        raise InputError("no models given")
    if len(set(models)) != len(models):
        raise InputError(f"a model is listed twice in {', '.join(models)}")
    if isinstance(workload, Sequence) and not workload:
        raise InputError("the workload has no requests")
    day = parse_day(as_of, "as_of") if isinstance(as_of, str) else as_of
    table = prices or load_prices()
    model_prices = [table.lookup(model, day, batch=batch) for model in models]  # fail before counting
    approximate = []
    for model, price in zip(models, model_prices):
        standin = standins.get(model) or standins.get(table.source.split(model)[1])
        approximate.append(standin is not None and price.encoding is None)
        if price.encoding is None and standin is None:
            raise PriceUnavailableError(
                f"{model}: priced by {price.source}, but tokstats has no tokenizer for it; name a stand-in to "
                f"price it approximately: --tokenizer-for {model}=o200k_base (API: tokenizer_for={{...}})"
            )
    order = _grouped(models, model_prices)
    specs: dict[int, str] = {}
    framings: dict[int, str] = {}
    tokenizers: dict[int, Tokenizer] = {}
    tallies: dict[int, _Tally] = {}
    for i in order:
        model, price = models[i], model_prices[i]
        spec = price.encoding or standins.get(model) or standins[table.source.split(model)[1]]
        bare = table.source.split(model)[1]
        specs[i] = spec
        framings[i] = STAND_IN_FRAMING.get(spec, bare) if approximate[i] else bare
        tokenizers[i] = get_tokenizer(spec)  # once per model; every text is counted through it
        counter = _Counter(model, framings[i], price.kind, tokenizers[i])
        tallies[i] = _Tally(counter, price, output_tokens, reasoning_tokens, share)
    count = 0
    weighted = False
    for item in workload:  # one pass: each request is counted for every model, then dropped
        weight, request = item if isinstance(item, tuple) else (None, item)
        weighted = weight is not None
        for i in order:
            tallies[i].add(request, weight)
        count += 1
    if not count:
        raise InputError("the workload has no requests")
    scale = Decimal(1) if weighted else Decimal(repr(1 / count))
    rows: list[dict[str, Any]] = []
    exact: list[_Usage] = []
    for i in order:
        model, price, spec, framing, tokenizer = models[i], model_prices[i], specs[i], framings[i], tokenizers[i]
        use = tallies[i].usage(scale)
        exact.append(use)
        n = Decimal(requests)
        input_cost = n * use.input_tokens * use.input_price / 1_000_000
        output_cost = n * use.output_tokens * use.output_price / 1_000_000
        notes = [price.note] if price.note else []
        if approximate[i]:
            notes = [n for n in notes if not n.startswith("no tokenizer known")]
            notes.append(f"approximate: counted with the stand-in tokenizer {spec}")
        if price.kind == "reasoning" and not use.reasoning_known and price.output_per_1m is not None:
            notes.append("hidden reasoning tokens not counted (give --reasoning-tokens K or usage in the sample)")
        rows.append(
            {
                "model": model,
                "provider": price.provider,
                "tokenizer": spec,
                "approximate": approximate[i],
                "encoding": spec,
                "requests": requests,
                "input_tokens": float(use.input_tokens),
                "output_tokens": float(use.output_tokens),
                "reasoning_tokens": float(use.reasoning_tokens),
                "input_per_1m": price.input_per_1m,
                "cached_input_per_1m": price.cached_input_per_1m,
                "output_per_1m": price.output_per_1m,
                "effective_input_per_1m": _money(use.input_price),
                "effective_output_per_1m": _money(use.output_price),
                "input_cost": _money(input_cost),
                "output_cost": _money(output_cost),
                "monthly_cost": _money(input_cost + output_cost),
                "_cost": input_cost + output_cost,
                "context_window": price.context_window,
                "over_context": use.over_context,
                "as_of": price.as_of,
                "since": price.since,
                "priced_as": price.priced_as,
                "source": price.source,
                "message_rules": _rules_basis(framing, tokenizer)
                if price.kind in CHAT_KINDS
                else f"{price.kind} model: text only, no chat framing",
                "note": "; ".join(notes),
            }
        )
    b = exact[0]
    scale = Decimal(requests) / 1_000_000
    costs = [row.pop("_cost") for row in rows]
    for row, use, cost in zip(rows, exact, costs):
        row["saving"] = _money(costs[0] - cost)
        row["saving_tokenizer"] = _money(
            scale
            * (
                (b.input_tokens - use.input_tokens) * b.input_price
                + (b.output_tokens - use.output_tokens) * b.output_price
            )
        )
        row["saving_price"] = _money(
            scale
            * (
                use.input_tokens * (b.input_price - use.input_price)
                + use.output_tokens * (b.output_price - use.output_price)
            )
        )
    return rows


def _rules_basis(model: str, tokenizer: Tokenizer) -> str:
    """``message_rules``: where the chat framing of ``model`` comes from."""
    try:
        rules = rules_for_model(model, tokenizer=tokenizer)  # type: ignore[call-arg]
    except TypeError:  # the rules take the encoding's name
        rules = rules_for_model(model, tokenizer.name)
    return str(rules.basis)


def forecast_signature(
    rows: Sequence[Mapping[str, Any]],
    prices: PriceTable,
    settings: Mapping[str, str],
    corpus: Corpus | None = None,
) -> Signature:
    """The signature of a forecast: encodings, corpus, price table files, how tokens were counted,
    and ``settings`` (requests, sample hash, output tokens, language mix)."""
    encodings = list(dict.fromkeys(str(r["encoding"]) for r in rows))
    return build_signature(
        encodings,
        corpus,
        count="encode_ordinary",
        messages=_messages_basis(rows),
        prices=prices.describe(),
        **settings,
    )


def _messages_basis(rows: Sequence[Mapping[str, Any]]) -> str:
    """How chat requests were framed: ``openai-cookbook`` when every row follows it, else
    ``per-model`` (each row's ``message_rules`` says which)."""
    bases = {str(r["message_rules"]) for r in rows}
    return "openai-cookbook" if all("cookbook" in b or "text only" in b for b in bases) else "per-model"


def _price_settings(
    rows: Sequence[Mapping[str, Any]],
    cached_share: float,
    batch: bool,
    reasoning_tokens: int | None = None,
    tokenizer_for: Mapping[str, str] | None = None,
) -> dict[str, str]:
    """Signature settings for the prices' day, cached share, batch, reasoning tokens and
    stand-in tokenizers (only when used)."""
    settings = {"as_of": str(rows[0]["as_of"])}
    if reasoning_tokens is not None:
        settings["reasoning_tokens"] = str(reasoning_tokens)
    if tokenizer_for:
        settings["tokenizer_for"] = ",".join(f"{m}={t}" for m, t in sorted(tokenizer_for.items()))
    if cached_share:
        settings["cached_share"] = f"{cached_share:g}"
    if batch:
        settings["batch"] = "yes"
    return settings


def _frame(rows: list[dict[str, Any]], signature: Signature) -> pd.DataFrame:
    import pandas as pd

    df = pd.DataFrame(rows, columns=COLUMNS)
    for column in ("context_window", "over_context"):  # whole numbers, missing where unknown
        df[column] = df[column].astype("Int64")
    df.attrs["signature"] = signature
    return df


def _check_door(
    requests: Any,
    models: Any,
    output_tokens: Any,
    prices: Any,
    as_of: Any,
    cached_share: Any,
    batch: Any,
    reasoning_tokens: Any = None,
    tokenizer_for: Any = None,
) -> list[str]:
    """The checks ``forecast`` and ``forecast_language_mix`` share, at their entry: the
    models as a list (one name is one model, never its characters)."""
    check_int("requests", requests, REQUESTS_RANGE)
    names = check_names("models", models, "model name")
    check_int("output_tokens", output_tokens, OUTPUT_TOKENS_RANGE, none=True)
    if not isinstance(prices, PriceTable):
        check_path("prices", prices, none=True)
    if as_of is not None and not isinstance(as_of, dt.date | str):
        raise ParameterError("as_of", f"as_of must be a date, a YYYY-MM-DD str or None, not {shown(as_of)}")
    check_number("cached_share", cached_share, 0, 1)
    check_bool("batch", batch)
    check_int("reasoning_tokens", reasoning_tokens, REASONING_TOKENS_RANGE, none=True)
    if tokenizer_for is not None and not isinstance(tokenizer_for, Mapping):
        raise ParameterError(
            "tokenizer_for", f"tokenizer_for must be a dict of model name -> tokenizer spec, not {shown(tokenizer_for)}"
        )
    return names


def _sample(sample: Any) -> list[Any]:
    """``sample`` as a list: one path, a list of paths, one ``Request`` or a list of them."""
    if isinstance(sample, Request):
        return [sample]
    if isinstance(sample, Sequence) and not isinstance(sample, str) and all(isinstance(s, Request) for s in sample):
        return list(sample)
    if isinstance(sample, Sequence) and not isinstance(sample, str):
        mixed = [i for i, s in enumerate(sample) if isinstance(s, Request)]
        if mixed:
            raise ParameterError("sample", "sample: give either files or Request objects, not both")
    return check_paths("sample", sample)


def forecast(
    sample: Sequence[str | os.PathLike[str]] | Sequence[Request],
    requests: int,
    models: Sequence[str],
    *,
    output_tokens: int | None = None,
    prices: PriceTable | str | os.PathLike[str] | None = None,
    as_of: dt.date | str | None = None,
    cached_share: float = 0.0,
    batch: bool = False,
    reasoning_tokens: int | None = None,
    tokenizer_for: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Forecast a month of ``requests`` requests like those in ``sample`` on each of ``models``.

    A model is ``provider:model`` (``groq:llama-3.3-70b-versatile``) or a bare name its maker's
    API serves (``gpt-4o``); ``reasoning_tokens`` and ``tokenizer_for`` as for ``forecast_rows``.

    ``sample`` is a list of files (see ``read_sample``) or of ``Request``. ``prices`` is
    a ``PriceTable`` or a price file overriding the shipped prices; ``as_of``,
    ``cached_share`` and ``batch`` as for ``forecast_rows``. Returns a DataFrame with
    ``COLUMNS``; ``df.attrs["signature"]`` holds the ``Signature``. One path, one
    Request or one model name may be given instead of a list.

    Raises ``ParameterError`` (an ``InputError``)
    naming the parameter for a value of the wrong type or out of range (``requests`` 0-10**12,
    ``output_tokens`` 0-10**7, ``cached_share`` 0-1); ``InputError`` for a sample or price
    file that cannot be read, or a model that cannot be priced;
    ``UnknownModelError`` for a model with no known tokenizer.
    """
    models = _check_door(
        requests, models, output_tokens, prices, as_of, cached_share, batch, reasoning_tokens, tokenizer_for
    )
    items = _sample(sample)
    table = prices if isinstance(prices, PriceTable) else load_prices(prices)
    given = [s for s in items if isinstance(s, Request)]
    paths = [s for s in items if not isinstance(s, Request)]
    digest = hashlib.sha256()
    workload: Iterable[Request] = given
    if not given:
        stream = iter_sample(paths, digest)
        first = next(stream)  # a bad first record is reported before any tokenizer is loaded
        workload = itertools.chain([first], stream)
    rows = forecast_rows(
        workload,
        requests,
        models,
        output_tokens=output_tokens,
        prices=table,
        as_of=as_of,
        cached_share=cached_share,
        batch=batch,
        reasoning_tokens=reasoning_tokens,
        tokenizer_for=tokenizer_for,
    )
    settings: dict[str, str] = {"requests": str(requests)}
    if not given:  # the files have been read through: their hash is complete
        settings["sample"] = digest.hexdigest()[:12]
    if output_tokens is not None:
        settings["output_tokens"] = str(output_tokens)
    settings.update(_price_settings(rows, cached_share, batch, reasoning_tokens, tokenizer_for))
    return _frame(rows, forecast_signature(rows, table, settings))


def forecast_language_mix(
    mix: Mapping[str, float] | str,
    requests: int,
    models: Sequence[str],
    *,
    output_tokens: int,
    prices: PriceTable | str | os.PathLike[str] | None = None,
    corpus: Corpus | str = "parallel",
    as_of: dt.date | str | None = None,
    cached_share: float = 0.0,
    batch: bool = False,
    reasoning_tokens: int | None = None,
    tokenizer_for: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Forecast from the built-in parallel corpus, mixed by language (e.g. ``"hi=0.6,en=0.4"``).

    Each corpus text is one request (a single user message); output is ``output_tokens`` per
    request. The signature records the corpus and its sha256.

    Raises ``ParameterError`` (an ``InputError``)
    naming the parameter for a value of the wrong type or out of range (as ``forecast``;
    ``output_tokens`` is required); ``InputError`` for a malformed mix, a price file that
    cannot be read or a model that cannot be priced; ``UnknownNameError``
    for an unknown corpus, ``UnknownModelError`` for an unknown model.
    """
    check_int("output_tokens", output_tokens, OUTPUT_TOKENS_RANGE)
    models = _check_door(
        requests, models, output_tokens, prices, as_of, cached_share, batch, reasoning_tokens, tokenizer_for
    )
    if not isinstance(mix, Mapping | str):
        raise ParameterError("mix", f"mix must be a str such as 'hi=0.6,en=0.4' or a mapping, not {shown(mix)}")
    if isinstance(mix, Mapping):
        for code, weight in mix.items():
            check_names("mix", code, "language code")
            check_number(f"mix[{code!r}]", weight, 0, 1)
    if not isinstance(corpus, Corpus | str):
        raise ParameterError("corpus", f"corpus must be a corpus name (a str) or a Corpus, not {shown(corpus)}")
    parsed = parse_language_mix(mix) if isinstance(mix, str) else dict(mix)
    if isinstance(mix, Mapping):
        parse_language_mix(",".join(f"{k}={v!r}" for k, v in parsed.items()))
    loaded = load_corpus(corpus) if isinstance(corpus, str) else corpus
    table = prices if isinstance(prices, PriceTable) else load_prices(prices)
    workload = language_mix_requests(parsed, loaded)
    rows = forecast_rows(
        workload,
        requests,
        models,
        output_tokens=output_tokens,
        prices=table,
        as_of=as_of,
        cached_share=cached_share,
        batch=batch,
        reasoning_tokens=reasoning_tokens,
        tokenizer_for=tokenizer_for,
    )
    mix_text = ",".join(f"{k}={v:g}" for k, v in parsed.items())
    settings = {"requests": str(requests), "language_mix": mix_text, "output_tokens": str(output_tokens)}
    settings.update(_price_settings(rows, cached_share, batch, reasoning_tokens, tokenizer_for))
    signature = forecast_signature(rows, table, settings, loaded)
    return _frame(rows, signature)


__all__ = [
    "COLUMNS",
    "Request",
    "forecast",
    "forecast_language_mix",
    "forecast_rows",
    "iter_sample",
    "language_mix_requests",
    "parse_language_mix",
    "parse_tokenizer_for",
    "read_sample",
]
