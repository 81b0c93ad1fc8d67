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

_COOKBOOK_DOCS = "https://github.com/openai/openai-cookbook/blob/main/examples/data/oai_docs"
#: OpenAI's models page of mid-2024, as copied into the openai-cookbook repository.
_MODELS_2024 = f"{_COOKBOOK_DOCS}/models.txt"
#: OpenAI's API changelog of mid-2024, as copied into the openai-cookbook repository.
_CHANGELOG_2024 = f"{_COOKBOOK_DOCS}/changelog.txt"
_JUNE_2023 = (
    "https://openai.com/index/function-calling-and-other-api-updates/ (2023-06-13): "
    '"Applications using the stable model names (gpt-3.5-turbo, gpt-4, and gpt-4-32k) will '
    'automatically be upgraded to the new models listed above on June 27th"'
)
_GPT_4_1 = "https://openai.com/index/gpt-4-1/ (2025-04-14): GPT-4.1, GPT-4.1 mini and GPT-4.1 nano launched in the API"
_O3_O4 = "https://openai.com/index/introducing-o3-and-o4-mini/ (2025-04-16): o3 and o4-mini released"
_O1_SEPT = (
    'https://aiwiki.ai/wiki/o1_mini: o1-mini "released by OpenAI on September 12, 2024, alongside o1-preview" '
    "(citing OpenAI's https://openai.com/index/openai-o1-mini-advancing-cost-efficient-reasoning/); both were in "
    "the API (tier 5) from launch, snapshots o1-preview-2024-09-12 and o1-mini-2024-09-12"
)


@dataclass(frozen=True)
class AliasStep:
    """From ``start`` on (to ``until`` if set, inclusive), the alias meant ``snapshot``."""

    start: dt.date
    snapshot: str
    source: str
    until: dt.date | None = None


def _step(start: str, snapshot: str, source: str, until: str | None = None) -> AliasStep:
    return AliasStep(dt.date.fromisoformat(start), snapshot, source, dt.date.fromisoformat(until) if until else None)


#: alias -> its steps, oldest first. Each ``source`` says where the date is stated and what it says.
ALIASES: dict[str, tuple[AliasStep, ...]] = {
    "gpt-4o": (
        _step(
            "2024-05-13",
            "gpt-4o-2024-05-13",
            f'{_CHANGELOG_2024}: "May 13th, 2024: Released GPT-4o in the API"; {_MODELS_2024}: '
            'gpt-4o "Currently points to gpt-4o-2024-05-13"',
        ),
        _step(
            "2024-10-02",
            "gpt-4o-2024-08-06",
            "https://github.com/ogkalu2/comic-translate/issues/138 quotes OpenAI's e-mail to API users: "
            '"On Wednesday, October 2nd, the default version of GPT-4o will be updated to the latest '
            'GPT-4o model, gpt-4o-2024-08-06"',
        ),
    ),
    "gpt-4o-mini": (
        _step(
            "2024-07-18",
            "gpt-4o-mini-2024-07-18",
            "https://openai.com/index/gpt-4o-mini-advancing-cost-efficient-intelligence/ (2024-07-18): "
            "GPT-4o mini released in the API, snapshot gpt-4o-mini-2024-07-18 (launch day also given by "
            'https://www.elliotgate.com/models/openai/gpt-4o-mini/: "Jul 18, 2024")',
        ),
    ),
    "gpt-4-turbo": (
        _step(
            "2024-04-09",
            "gpt-4-turbo-2024-04-09",
            f'{_CHANGELOG_2024}: "Apr 9th, 2024: Released GPT-4 Turbo with Vision in general availability '
            f'in the API"; {_MODELS_2024}: gpt-4-turbo "Currently points to gpt-4-turbo-2024-04-09"',
        ),
    ),
    "gpt-4-turbo-preview": (
        _step(
            "2024-01-25",
            "gpt-4-0125-preview",
            "https://openai.com/index/new-embedding-models-and-api-updates/ (2024-01-25): releases "
            'gpt-4-0125-preview and "a new gpt-4-turbo-preview model name alias, which will always point to '
            f'our latest GPT-4 Turbo preview model"; {_MODELS_2024}: "Currently points to gpt-4-0125-preview"',
        ),
    ),
    "gpt-4": (
        _step(
            "2023-03-14",
            "gpt-4-0314",
            f"https://openai.com/index/gpt-4-research/ (2023-03-14); {_MODELS_2024}: gpt-4-0314 "
            '"Legacy Snapshot of gpt-4 from March 14th 2023"',
        ),
        _step("2023-06-27", "gpt-4-0613", _JUNE_2023),
    ),
    "gpt-3.5-turbo": (
        _step(
            "2023-03-01",
            "gpt-3.5-turbo-0301",
            "https://openai.com/index/introducing-chatgpt-and-whisper-apis/ (2023-03-01): gpt-3.5-turbo in the "
            "API, its snapshot gpt-3.5-turbo-0301",
        ),
        # The move to -1106 announced for 2023-12-11 did not happen: on 2024-01-25 the alias
        # still meant -0613 (next step's sources).
        _step("2023-06-27", "gpt-3.5-turbo-0613", _JUNE_2023, until="2024-02-15"),
        _step(
            "2024-02-16",
            "gpt-3.5-turbo-0125",
            'https://openai.com/index/new-embedding-models-and-api-updates/ (2024-01-25): "Customers using the '
            "pinned gpt-3.5-turbo model alias will be automatically upgraded from gpt-3.5-turbo-0613 to "
            'gpt-3.5-turbo-0125 two weeks after this model launches"; OpenAI\'s models page then: "will be '
            'automatically upgraded from gpt-3.5-turbo-0613 to gpt-3.5-turbo-0125 on February 16th" (quoted in '
            "https://github.com/langchain-ai/langchain/commit/3894b4d9a57989f155e79a6dddfdb376bdeffd6b: "
            '"gpt-3.5-turbo points at gpt-3.5-turbo-0613 until Feb 16, 2024. Switches to gpt-3.5-turbo-0125 after.")',
        ),
    ),
    "gpt-4.1": (_step("2025-04-14", "gpt-4.1-2025-04-14", _GPT_4_1),),
    "gpt-4.1-mini": (_step("2025-04-14", "gpt-4.1-mini-2025-04-14", _GPT_4_1),),
    "gpt-4.1-nano": (_step("2025-04-14", "gpt-4.1-nano-2025-04-14", _GPT_4_1),),
    "o1-preview": (_step("2024-09-12", "o1-preview-2024-09-12", _O1_SEPT),),
    "o1-mini": (_step("2024-09-12", "o1-mini-2024-09-12", _O1_SEPT),),
    "o1": (
        _step(
            "2024-12-17",
            "o1-2024-12-17",
            "https://openai.com/index/o1-and-new-tools-for-developers/ (2024-12-17): o1 in the API; "
            "https://www.cometapi.com/models/openai/o1-2024-12-17/: \"OpenAI's December 17, 2024 snapshot of the o1 "
            'reasoning model"',
        ),
    ),
    "o3-mini": (
        _step(
            "2025-01-31",
            "o3-mini-2025-01-31",
            "https://openai.com/index/openai-o3-mini/ (2025-01-31): \"We're releasing OpenAI o3-mini ... available "
            'in both ChatGPT and the API today"',
        ),
    ),
    "o3": (_step("2025-04-16", "o3-2025-04-16", _O3_O4),),
    "o4-mini": (_step("2025-04-16", "o4-mini-2025-04-16", _O3_O4),),
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
