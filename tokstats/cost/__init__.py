"""What a workload costs: dated prices, chat framing, and the monthly forecast per model.

``._prices`` is the price table (a shipped genai-prices snapshot, ``._price_source``, and
the user's own CSV); ``._messages`` counts a chat request as the provider bills it;
``._forecast`` turns a sample or a language mix into a month's cost per model and splits a
saving into its tokenizer and price parts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from tokstats._api import lazy_exports

_EXPORTS: dict[str, str] = {
    "Request": "tokstats.cost._forecast",
    "forecast": "tokstats.cost._forecast",
    "forecast_language_mix": "tokstats.cost._forecast",
    "forecast_rows": "tokstats.cost._forecast",
    "parse_language_mix": "tokstats.cost._forecast",
    "read_sample": "tokstats.cost._forecast",
    "count_message_tokens": "tokstats.cost._messages",
    "count_tool_tokens": "tokstats.cost._messages",
    "MessageRules": "tokstats.cost._messages",
    "rules_for_model": "tokstats.cost._messages",
    "PriceUnavailableError": "tokstats.cost._prices",
    "load_prices": "tokstats.cost._prices",
}

__all__ = sorted(_EXPORTS)
__getattr__, __dir__ = lazy_exports(globals(), _EXPORTS)

if TYPE_CHECKING:
    from tokstats.cost._forecast import (
        Request,
        forecast,
        forecast_language_mix,
        forecast_rows,
        parse_language_mix,
        read_sample,
    )
    from tokstats.cost._messages import MessageRules, count_message_tokens, count_tool_tokens, rules_for_model
    from tokstats.cost._prices import PriceUnavailableError, load_prices
