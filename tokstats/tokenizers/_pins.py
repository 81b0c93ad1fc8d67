"""The pin table: every tokenizer file tokstats loads from a publisher's PyPI wheel.

Data only (the mechanism is :mod:`tokstats.tokenizers._published`). Each entry says which
installed distribution holds the file, where inside it, and the sha256 the file must have; a
file whose hash differs is refused. ``wheel`` and ``wheel_sha256`` record the wheel the pin was
taken from (``pip download --no-deps NAME==VERSION``, ``sha256sum``), so anyone can re-derive
the file hash from PyPI.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PublishedFile:
    """One tokenizer file inside a publisher's wheel, pinned by sha256."""

    #: Distribution name as pip knows it (``pip install DIST``).
    dist: str
    #: The tokstats extra that installs it (``pip install 'tokstats[EXTRA]'``).
    extra: str
    #: Path of the file inside the installed distribution (relative to site-packages).
    path: str
    #: sha256 of the file.
    sha256: str
    #: Version of ``dist`` the pin was taken from.
    version: str
    #: The wheel file the pin was taken from, and its sha256.
    wheel: str
    wheel_sha256: str
    #: Licence the publisher ships the file under.
    licence: str


_LLAMA_WHEEL = (
    "0.3.0",
    "llama_models-0.3.0-py3-none-any.whl",
    "7f77f78ff13fca09f70d76a376aff6414cd901623fb9d57e69c2f8367a73032f",
)
_QWEN_WHEEL = (
    "2.0.2",
    "dashscope-2.0.2-py3-none-any.whl",
    "0602d1800f7433bdb7953560986eaf5146454ed3988636c0a91963ba24e74258",
)
_MISTRAL_WHEEL = (
    "1.13.1",
    "mistral_common-1.13.1-py3-none-any.whl",
    "98b4d0755b8d90bf4691fa8f1b70cb3b4a8cd4dc1653c4ed08ef3d1c7d2c29af",
)

_LLAMA_LICENCE = (
    "Llama 3 Community License Agreement (header of llama_models/llama3/tokenizer.py); the "
    "wheel's LICENSE points to github.com/meta-llama/llama-models"
)
_LLAMA4_LICENCE = (
    "Llama 4 Community License Agreement (github.com/meta-llama/llama-models, "
    "models/llama4/LICENSE); the wheel's LICENSE points there"
)
_APACHE = "Apache-2.0 (the wheel's LICENSE)"


def _llama(path: str, sha256: str, licence: str) -> PublishedFile:
    version, wheel, wheel_sha256 = _LLAMA_WHEEL
    return PublishedFile("llama-models", "llama", path, sha256, version, wheel, wheel_sha256, licence)


def _qwen(path: str, sha256: str) -> PublishedFile:
    version, wheel, wheel_sha256 = _QWEN_WHEEL
    return PublishedFile("dashscope", "qwen", path, sha256, version, wheel, wheel_sha256, _APACHE)


def _mistral(path: str, sha256: str) -> PublishedFile:
    version, wheel, wheel_sha256 = _MISTRAL_WHEEL
    return PublishedFile("mistral-common", "mistral", path, sha256, version, wheel, wheel_sha256, _APACHE)


#: Named tokenizer -> the file it is built from.
PINS: dict[str, PublishedFile] = {
    "llama3": _llama(
        "llama_models/llama3/tokenizer.model",
        "82e9d31979e92ab929cd544440f129d9ecd797b69e327f80f17e1c50d5551b55",
        _LLAMA_LICENCE,
    ),
    "llama4": _llama(
        "llama_models/llama4/tokenizer.model",
        "d0bdbaf59b0762c8c807617e2d8ea51420eb1b1de266df2495be755c8e0ed6ed",
        _LLAMA4_LICENCE,
    ),
    "qwen": _qwen(
        "dashscope/resources/qwen.tiktoken", "b2b1b8dfb5cc5f024bafc373121c6aba3f66f9a5a0269e243470a1de16a33186"
    ),
    "mistral-v1": _mistral(
        "mistral_common/data/tokenizer.model.v1", "dadfd56d766715c61d2ef780a525ab43b8e6da4de6865bda3d95fdef5e134055"
    ),
    "mistral-v2": _mistral(
        "mistral_common/data/mistral_instruct_tokenizer_240216.model.v2",
        "37f00374dea48658ee8f5d0f21895b9bc55cb0103939607c8185bfd1c6ca1f89",
    ),
    "mistral-v3": _mistral(
        "mistral_common/data/mistral_instruct_tokenizer_240323.model.v3",
        "9addc8bdce5988448ae81b729336f43a81262160ae8da760674badab9d4c7d33",
    ),
    "mistral-v7": _mistral(
        "mistral_common/data/mistral_instruct_tokenizer_241114.model.v7",
        "1b968b8dc352f42192367337c78ccc61e1eaddc6d641a579372d4f20694beb7a",
    ),
    "tekken": _mistral(
        "mistral_common/data/tekken_240718.json", "eccd1665d2e477697c33cb7f0daa6f6dfefc57a0a6bceb66d4be52952f827516"
    ),
}
