"""Which dated snapshot an OpenAI alias pointed to on a given day, with the source of each step.

genai-prices prices an alias (``gpt-4o``) at today's price of the snapshot it points to now, and
does not record what it pointed to before. OpenAI published some of the moves: the table below
holds those, each with where it was announced, so that ``--as-of`` can price an alias as the
snapshot it was on that day (``priced_as``). A day before an alias's first step is a day the
model did not exist; a day after a step's ``until`` is one this table cannot speak for (the
price table then falls back to its own caution). Aliases with a single snapshot are listed too:
they date the model's release.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

_MODELS_PAGE = "https://platform.openai.com/docs/models"
_JUNE_2023 = "https://openai.com/index/function-calling-and-other-api-updates/ (2023-06-13)"


@dataclass(frozen=True)
class AliasStep:
    """From ``start`` on (to ``until`` if set, inclusive), the alias meant ``snapshot``."""

    start: dt.date
    snapshot: str
    source: str
    until: dt.date | None = None


def _step(start: str, snapshot: str, source: str, until: str | None = None) -> AliasStep:
    return AliasStep(dt.date.fromisoformat(start), snapshot, source, dt.date.fromisoformat(until) if until else None)


#: alias -> its steps, oldest first.
ALIASES: dict[str, tuple[AliasStep, ...]] = {
    "gpt-4o": (
        _step("2024-05-13", "gpt-4o-2024-05-13", "https://openai.com/index/hello-gpt-4o/ (2024-05-13)"),
        _step(
            "2024-10-02",
            "gpt-4o-2024-08-06",
            f"{_MODELS_PAGE} (gpt-4o points to gpt-4o-2024-08-06; the alias moved on 2024-10-02)",
        ),
    ),
    "gpt-4o-mini": (
        _step(
            "2024-07-18",
            "gpt-4o-mini-2024-07-18",
            "https://openai.com/index/gpt-4o-mini-advancing-cost-efficient-intelligence/",
        ),
    ),
    "gpt-4-turbo": (_step("2024-04-09", "gpt-4-turbo-2024-04-09", _MODELS_PAGE),),
    "gpt-4-turbo-preview": (
        _step(
            "2024-01-25",
            "gpt-4-0125-preview",
            "https://openai.com/index/new-embedding-models-and-api-updates/ (2024-01-25)",
        ),
    ),
    "gpt-4": (
        _step("2023-03-14", "gpt-4-0314", "https://openai.com/index/gpt-4-research/ (2023-03-14)"),
        _step("2023-06-27", "gpt-4-0613", _JUNE_2023),
    ),
    "gpt-3.5-turbo": (
        _step("2023-03-01", "gpt-3.5-turbo-0301", "https://openai.com/index/introducing-chatgpt-and-whisper-apis/"),
        # Later moves (to -1106 / -0125) were announced with dates OpenAI then changed: not recorded.
        _step("2023-06-27", "gpt-3.5-turbo-0613", _JUNE_2023, until="2023-12-10"),
    ),
    "gpt-4.1": (_step("2025-04-14", "gpt-4.1-2025-04-14", "https://openai.com/index/gpt-4-1/ (2025-04-14)"),),
    "gpt-4.1-mini": (_step("2025-04-14", "gpt-4.1-mini-2025-04-14", "https://openai.com/index/gpt-4-1/ (2025-04-14)"),),
    "gpt-4.1-nano": (_step("2025-04-14", "gpt-4.1-nano-2025-04-14", "https://openai.com/index/gpt-4-1/ (2025-04-14)"),),
    "o1": (
        _step("2024-12-17", "o1-2024-12-17", "https://openai.com/index/o1-and-new-tools-for-developers/ (2024-12-17)"),
    ),
    "o3-mini": (_step("2025-01-31", "o3-mini-2025-01-31", "https://openai.com/index/openai-o3-mini/ (2025-01-31)"),),
    "o3": (_step("2025-04-16", "o3-2025-04-16", "https://openai.com/index/introducing-o3-and-o4-mini/ (2025-04-16)"),),
    "o4-mini": (
        _step("2025-04-16", "o4-mini-2025-04-16", "https://openai.com/index/introducing-o3-and-o4-mini/ (2025-04-16)"),
    ),
}


class AliasNotYetError(ValueError):
    """The alias did not exist on the day asked."""


def alias_step(alias: str, day: dt.date) -> AliasStep | None:
    """The step of ``alias`` in force on ``day``; None when the table does not know the alias or
    cannot say for that day. Raises ``AliasNotYetError`` for a day before its first step."""
    steps = ALIASES.get(alias.lower())
    if not steps:
        return None
    if day < steps[0].start:
        raise AliasNotYetError(
            f"{alias} was not released on {day}: its first snapshot, {steps[0].snapshot}, came out on {steps[0].start}"
        )
    current = [s for s in steps if s.start <= day][-1]
    if current.until is not None and day > current.until:
        return None
    return current
