"""Mistral's tokenizers, read from the ``mistral-common`` wheel (``mistral_common/data/``).

==============  ==============================================  ===================================
name            file                                            mistral-common loader
==============  ==============================================  ===================================
``mistral-v1``  ``tokenizer.model.v1`` (SentencePiece, 32,000)  ``MistralTokenizer.v1()``
``mistral-v2``  ``mistral_instruct_tokenizer_240216.model.v2``  ``MistralTokenizer.v2()``
``mistral-v3``  ``mistral_instruct_tokenizer_240323.model.v3``  ``MistralTokenizer.v3()``
``mistral-v7``  ``mistral_instruct_tokenizer_241114.model.v7``  ``MistralTokenizer.v7()``
``tekken``      ``tekken_240718.json`` (tiktoken ranks)         ``MistralTokenizer.v3(is_tekken=True)``
==============  ==============================================  ===================================

The SentencePiece models (32,768 pieces from v2 on, byte fallback) encode with the
``sentencepiece`` library exactly as ``mistral_common``'s ``SentencePieceTokenizer.encode(text,
bos=False, eos=False)`` does: ``SentencePieceProcessor.encode(text)``. The ``.model.v7m1`` file
of the wheel is byte-identical to ``.model.v7``.

Tekken is byte-level BPE over tiktoken: the JSON holds 150,000 ranks, the split pattern and the
vocabulary size; ``mistral_common``'s ``Tekkenizer`` keeps the first ``default_vocab_size -
default_num_special_tokens`` ranks (130,072) and puts 1,000 special-token ids first, so a
token's id is its rank + 1,000. ``tekken_240911.json`` (Pixtral) holds the same 130,072 ranks
and pattern (a test checks it), so it gives the same ids.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

from tokstats.errors import MissingDependencyError, RankFileError
from tokstats.sources._textio import utf8_offsets
from tokstats.tokenizers import _quicktok_data
from tokstats.tokenizers._backends import Plan, QuicktokVocabulary
from tokstats.tokenizers._base import Tokenizer, TokenizerInfo
from tokstats.tokenizers._named import NamedTokenizer
from tokstats.tokenizers._published import PublishedFile, library_version, verify
from tokstats.tokenizers._rank_bpe import RanksTokenizer
from tokstats.tokenizers._sp_cuts import sentencepiece_plan

#: ``mistral_common``'s ``Tekkenizer.DEPRECATED_SPECIAL_TOKENS``: the first special tokens of
#: a Tekken file that lists none (ids 0-19); ids 20-999 are ``<SPECIAL_{id}>`` fillers.
#: The wheel the pins were taken from (``pip download --no-deps mistral-common==1.13.1``).
_WHEEL = (
    "1.13.1",
    "mistral_common-1.13.1-py3-none-any.whl",
    "98b4d0755b8d90bf4691fa8f1b70cb3b4a8cd4dc1653c4ed08ef3d1c7d2c29af",
    "Apache-2.0 (the wheel's LICENSE)",
)


def _pin(path: str, sha256: str) -> PublishedFile:
    return PublishedFile("mistral-common", "mistral", path, sha256, *_WHEEL)


PINS = {
    "mistral-v1": _pin(
        "mistral_common/data/tokenizer.model.v1", "dadfd56d766715c61d2ef780a525ab43b8e6da4de6865bda3d95fdef5e134055"
    ),
    "mistral-v2": _pin(
        "mistral_common/data/mistral_instruct_tokenizer_240216.model.v2",
        "37f00374dea48658ee8f5d0f21895b9bc55cb0103939607c8185bfd1c6ca1f89",
    ),
    "mistral-v3": _pin(
        "mistral_common/data/mistral_instruct_tokenizer_240323.model.v3",
        "9addc8bdce5988448ae81b729336f43a81262160ae8da760674badab9d4c7d33",
    ),
    "mistral-v7": _pin(
        "mistral_common/data/mistral_instruct_tokenizer_241114.model.v7",
        "1b968b8dc352f42192367337c78ccc61e1eaddc6d641a579372d4f20694beb7a",
    ),
    "tekken": _pin(
        "mistral_common/data/tekken_240718.json", "eccd1665d2e477697c33cb7f0daa6f6dfefc57a0a6bceb66d4be52952f827516"
    ),
}

#: Exact Mistral model name -> named tokenizer: mistral_common's ``MODEL_NAME_TO_TOKENIZER_CLS``
#: (mistral-common 1.13.1; v7m1 is v7's file, Pixtral's tekken_240911.json has
#: tekken_240718.json's ranks). tests/test_model_families.py checks it against the package.
MISTRAL_MODELS: dict[str, str] = {
    "mistral-medium-2312": "mistral-v1",
    "mistral-tiny-2312": "mistral-v2",
    "mistral-small-2312": "mistral-v2",
    "mistral-small-2402": "mistral-v2",
    "mistral-large-2402": "mistral-v2",
    "mistral-tiny-2407": "mistral-v3",
    "open-mixtral-8x22b-2404": "mistral-v3",
    "mistral-large-2407": "mistral-v3",
    "codestral-2405": "mistral-v3",
    "codestral-mamba-2407": "mistral-v3",
    "mistral-large-2411": "mistral-v7",
    "pixtral-large-2411": "mistral-v7",
    "ministral-8b-2410": "tekken",
    "open-mistral-nemo-2407": "tekken",
    "mistral-small-2409": "tekken",
    "pixtral-12b-2409": "tekken",
}

TEKKEN_DEFAULT_SPECIALS = (
    "<unk>",
    "<s>",
    "</s>",
    "[INST]",
    "[/INST]",
    "[AVAILABLE_TOOLS]",
    "[/AVAILABLE_TOOLS]",
    "[TOOL_RESULTS]",
    "[/TOOL_RESULTS]",
    "[TOOL_CALLS]",
    "[IMG]",
    "<pad>",
    "[IMG_BREAK]",
    "[IMG_END]",
    "[PREFIX]",
    "[MIDDLE]",
    "[SUFFIX]",
    "[SYSTEM_PROMPT]",
    "[/SYSTEM_PROMPT]",
    "[TOOL_CONTENT]",
)

_ENCODE = ".instruct_tokenizer.tokenizer.encode(text, bos=False, eos=False)"

_SPECIALS_TEXT = "none added (no <s> / </s>); special-token strings such as <s> and [INST] are counted as ordinary text"


class SentencePieceModel(Tokenizer):
    """A Mistral SentencePiece model: ids exactly as ``SentencePieceProcessor.encode``."""

    def __init__(self, name: str, path: Path, info: TokenizerInfo) -> None:
        import sentencepiece

        self.name = name
        self._info = info
        self._sp = sentencepiece.SentencePieceProcessor(model_file=str(path))

    def encode(self, text: str) -> list[int]:
        ids: list[int] = self._sp.encode(text)
        return ids

    def count_batch(self, texts: list[str]) -> list[int]:
        batch: list[list[int]] = self._sp.encode(texts, num_threads=os.cpu_count() or 1)
        return [len(ids) for ids in batch]

    def plan(self, backend: str, nbytes: int) -> Plan:
        """Cut after newlines (and at spaces between letters), later chunks encoded without the
        dummy-prefix space: exact for these models (``tokstats.tokenizers._sp_cuts``)."""
        self.check_backend(backend)
        return sentencepiece_plan(self.name, self._info.library, self._sp)

    def token_spans(self, text: str) -> tuple[list[int], list[tuple[int, int]]]:
        """Ids and the UTF-8 byte span of ``text`` each stands for, from SentencePiece's own
        offsets: the added ``▁`` shares the first character's span, the byte pieces of one
        character all get that character's span."""
        mapping = self._sp.EncodeAsOffsetMapping(text)
        ids: list[int] = list(mapping["ids"])
        starts = utf8_offsets(text)
        spans = [(starts[a], starts[b]) for a, b in mapping["offsets"]]
        following: tuple[int, int] | None = None
        for k in range(len(spans) - 1, -1, -1):  # byte pieces before a character's last one
            a, b = spans[k]
            if a == b and following is not None and following[0] == a and self._sp.is_byte(ids[k]):
                spans[k] = following
            following = spans[k]
        return ids, spans

    def token_bytes(self, token: int) -> bytes:
        piece: str = self._sp.id_to_piece(token)
        if self._sp.is_byte(token):  # "<0x0A>"
            return bytes([int(piece[3:5], 16)])
        if self._sp.is_control(token) or self._sp.is_unknown(token):
            return piece.encode("utf-8")
        return piece.replace("\u2581", " ").encode("utf-8")

    def is_byte_token(self, token: int) -> bool:
        """Whether the token is a byte-fallback piece (``<0x..>``)."""
        return bool(self._sp.is_byte(token))

    @property
    def unk_id(self) -> int | None:
        return int(self._sp.unk_id())

    @property
    def info(self) -> TokenizerInfo:
        return self._info


def load_sentencepiece(name: str) -> SentencePieceModel:
    """``mistral-v1`` … ``mistral-v7``, from the verified ``.model`` file in ``mistral-common``."""
    found = verify(name, PINS[name])
    try:
        library = library_version("sentencepiece")
    except ImportError:  # importlib.metadata.PackageNotFoundError is an ImportError
        raise MissingDependencyError(
            f"tokenizer {name!r} needs the sentencepiece library, which is not installed: "
            "pip install 'tokstats[mistral]'",
            "mistral",
        ) from None
    version = name.rpartition("-")[2]
    info = found.tokenizer_info(
        "sentencepiece",
        library,
        _SPECIALS_TEXT,
        reference_encoder=f"mistral_common MistralTokenizer.{version}(){_ENCODE}",
        normalization="the model's own (stored in the .model file)",
    )
    return SentencePieceModel(name, found.path, info)


def tekken_recipe(data: dict[str, Any], source: str) -> tuple[dict[bytes, int], str, dict[str, int]]:
    """(ranks, pattern, specials) of a Tekken JSON file, as ``Tekkenizer.from_file`` builds them."""
    try:
        config = data["config"]
        n_special = int(config["default_num_special_tokens"])
        n_ranks = int(config["default_vocab_size"]) - n_special
        pattern = str(config["pattern"])
        vocab = data["vocab"][:n_ranks]
        ranks = {base64.b64decode(t["token_bytes"]): int(t["rank"]) for t in vocab}
    except (KeyError, TypeError, ValueError) as exc:
        raise RankFileError(f"{source} is not a Tekken tokenizer file ({exc!r})") from None
    if len(ranks) != n_ranks or set(ranks.values()) != set(range(n_ranks)):
        raise RankFileError(f"{source}: the first {n_ranks} ranks are not 0..{n_ranks - 1}")
    listed = data.get("special_tokens")
    names = [t["token_str"] for t in listed] if listed else list(TEKKEN_DEFAULT_SPECIALS)
    names += [f"<SPECIAL_{i}>" for i in range(len(names), n_special)]
    return ranks, pattern, {s: i for i, s in enumerate(names)}


def _tekken_ranks() -> dict[bytes, int]:
    found = verify("tekken", PINS["tekken"])
    return tekken_recipe(json.loads(found.path.read_bytes()), str(found.path))[0]


#: quicktok scans Tekken's pattern but does not bundle its ranks: tokstats writes them once, from
#: the verified file, into its cache (ids offset by the 1,000 special ids, as tokstats' own), and
#: uses them only after the canary matches. Linear on one huge pre-token, where tiktoken's BPE is
#: superlinear and its regex overflows its stack (a million spaces).
TEKKEN_QUICKTOK: QuicktokVocabulary = QuicktokVocabulary(
    "tokstats-tekken-" + PINS["tekken"].sha256[:12],
    canary=(1895, "0252d158c992e2c1"),
    auto_min_bytes=8 << 20,
    build=lambda: _quicktok_data.data_dir(TEKKEN_QUICKTOK.name, _tekken_ranks, "tekken", 1000),
)


def load_tekken(name: str) -> RanksTokenizer:
    """``tekken``, from the verified JSON file in ``mistral-common``."""
    found = verify(name, PINS[name])
    data = json.loads(found.path.read_bytes())
    ranks, pattern, specials = tekken_recipe(data, str(found.path))
    info = found.tokenizer_info(
        "tekken",
        library_version("tiktoken"),
        _SPECIALS_TEXT,
        reference_encoder=f"mistral_common MistralTokenizer.v3(is_tekken=True){_ENCODE}",
        normalization="none",
        id_offset=str(len(specials)),
    )
    return RanksTokenizer(
        name, ranks=ranks, pattern=pattern, specials=specials, info=info, offset=len(specials), quicktok=True
    )


TOKENIZERS = tuple(
    NamedTokenizer(
        name,
        load_tekken if name == "tekken" else load_sentencepiece,
        pin,
        models=tuple(sorted(m for m, n in MISTRAL_MODELS.items() if n == name)),
        quicktok=TEKKEN_QUICKTOK if name == "tekken" else None,
    )
    for name, pin in PINS.items()
)
