"""``llama3`` and ``llama4``: Meta's tokenizers, read from the ``llama-models`` wheel.

The files are ``llama_models/llama3/tokenizer.model`` (128,000 ranks; Llama 3, 3.1, 3.2, 3.3)
and ``llama_models/llama4/tokenizer.model`` (200,000 ranks; Llama 4 Scout and Maverick), in
tiktoken's rank format. The split patterns and special tokens below are copied from Meta's
``Tokenizer`` classes in the same wheel (``llama_models/llama3/tokenizer.py``,
``llama_models/llama4/tokenizer.py``); ``tests/test_model_families.py`` checks the copies
against that code and the ids against Meta's ``Tokenizer.encode(text, bos=False, eos=False)``.

One difference, on purpose: Meta's ``encode`` cuts very long inputs (every 400,000 characters,
and inside runs of more than 25,000), tokstats encodes the text whole, as the models' Hugging
Face tokenizers do; below those lengths the ids are identical (docs/model-families.md, "Exact:
same ids as the publisher's encoder").
"""

from __future__ import annotations

from tokstats.tokenizers import _chunking as chunking
from tokstats.tokenizers._named import NamedTokenizer
from tokstats.tokenizers._published import PublishedFile, library_version, verify
from tokstats.tokenizers._rank_bpe import RanksTokenizer
from tokstats.tokenizers._rank_files import parse_rank_lines

#: ``llama_models.llama3.tokenizer.Tokenizer.pat_str`` (defined beside the patterns whose cuts
#: tokstats knows, in ``tokstats.tokenizers._chunking``; ``tests/test_model_families.py`` checks it is Meta's).
LLAMA3_PATTERN = chunking.LLAMA3_PATTERN

#: ``llama_models.llama4.tokenizer.Tokenizer.O200K_PATTERN`` (o200k_base's pattern).
LLAMA4_PATTERN = "|".join(
    [
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+"
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*"
        r"(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
        r"\p{N}{1,3}",
        r" ?[^\s\p{L}\p{N}]+[\r\n/]*",
        r"\s*[\r\n]+",
        r"\s+(?!\S)",
        r"\s+",
    ]
)


def llama3_specials() -> list[str]:
    """Llama 3's 256 special tokens in id order, from 128,000 (Meta's ``Tokenizer.__init__``)."""
    named = [
        "<|begin_of_text|>",
        "<|end_of_text|>",
        "<|reserved_special_token_0|>",
        "<|reserved_special_token_1|>",
        "<|finetune_right_pad_id|>",
        "<|step_id|>",
        "<|start_header_id|>",
        "<|end_header_id|>",
        "<|eom_id|>",
        "<|eot_id|>",
        "<|python_tag|>",
        "<|image|>",
    ]
    return named + [f"<|reserved_special_token_{2 + i}|>" for i in range(256 - len(named))]


def _reserved(kind: str, count: int, start: int) -> list[str]:
    return [f"<|{kind}_reserved_special_token_{i}|>" for i in range(start, start + count)]


def llama4_specials() -> list[str]:
    """Llama 4's 2,048 special tokens in id order, from 200,000 (Meta's ``llama4/tokenizer.py``)."""
    text = [
        "<|header_start|>",
        "<|header_end|>",
        "<|eom|>",
        "<|eot|>",
        "<|step|>",
        *_reserved("text_post_train", 6, 0),
        "<|python_start|>",
        "<|python_end|>",
        "<|finetune_right_pad|>",
        *_reserved("text_post_train", 61, 8),
    ]
    vision = [
        "<|image_start|>",
        "<|image_end|>",
        *_reserved("vision", 2, 0),
        "<|tile_x_separator|>",
        "<|tile_y_separator|>",
        *_reserved("vision", 4, 2),
        "<|image|>",
        *_reserved("vision", 1, 6),
        "<|patch|>",
        *_reserved("vision", 1041, 7),
    ]
    reasoning = [*_reserved("reasoning", 8, 0), "<|reasoning_thinking_start|>", "<|reasoning_thinking_end|>"]
    basic = ["<|begin_of_text|>", "<|end_of_text|>", "<|fim_prefix|>", "<|fim_middle|>", "<|fim_suffix|>"]
    named = basic + text + vision + reasoning
    return named + [f"<|reserved_special_token_{i}|>" for i in range(2048 - len(named))]


#: The wheel the pins were taken from (``pip download --no-deps llama-models==0.3.0``).
_WHEEL = (
    "0.3.0",
    "llama_models-0.3.0-py3-none-any.whl",
    "7f77f78ff13fca09f70d76a376aff6414cd901623fb9d57e69c2f8367a73032f",
)

PINS = {
    "llama3": PublishedFile(
        "llama-models",
        "llama",
        "llama_models/llama3/tokenizer.model",
        "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
        *_WHEEL,
        "Llama 3 Community License Agreement (header of llama_models/llama3/tokenizer.py); the "
        "wheel's LICENSE points to github.com/meta-llama/llama-models",
    ),
    "llama4": PublishedFile(
        "llama-models",
        "llama",
        "llama_models/llama4/tokenizer.model",
        "d0bdbaf59b0762c8c807617e2d8ea51420eb1b1de266df2495be755c8e0ed6ed",
        *_WHEEL,
        "Llama 4 Community License Agreement (github.com/meta-llama/llama-models, "
        "models/llama4/LICENSE); the wheel's LICENSE points there",
    ),
}

_RECIPES = {
    "llama3": (LLAMA3_PATTERN, llama3_specials, "llama_models.llama3.tokenizer.Tokenizer"),
    "llama4": (LLAMA4_PATTERN, llama4_specials, "llama_models.llama4.tokenizer.Tokenizer"),
}


def load(name: str) -> RanksTokenizer:
    """The ``llama3`` or ``llama4`` tokenizer, from the verified file in ``llama-models``."""
    pattern, specials_of, meta_class = _RECIPES[name]
    found = verify(name, PINS[name])
    ranks = parse_rank_lines(found.path.read_bytes(), str(found.path), pinned=True)
    specials = {s: len(ranks) + i for i, s in enumerate(specials_of())}
    first = specials_of()[:2]
    info = found.tokenizer_info(
        "tiktoken",
        library_version("tiktoken"),
        f"none added (no {first[0]} / {first[1]}); special-token strings such as {first[0]} "
        "are counted as ordinary text",
        pattern_and_specials=f"copied from {meta_class}",
        normalization="none",
        reference_encoder=f"{meta_class}.encode(text, bos=False, eos=False)",
    )
    return RanksTokenizer(name, ranks=ranks, pattern=pattern, specials=specials, info=info)


TOKENIZERS = (
    # Llama 3, 3.1, 3.2 and 3.3 share one file.
    NamedTokenizer(
        "llama3",
        load,
        PINS["llama3"],
        model_prefixes=(
            "llama-3",
            "llama-3.1",
            "llama-3.2",
            "llama-3.3",
            "meta-llama-3",
            "meta-llama-3.1",
            "llama3",
            "llama-guard-3",
            "deepseek-r1-distill-llama",
        ),
    ),
    # Llama 4 (Scout, Maverick).
    NamedTokenizer("llama4", load, PINS["llama4"], model_prefixes=("llama-4", "llama4", "llama-guard-4")),
)
