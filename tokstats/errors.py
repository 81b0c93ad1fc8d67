"""Named exceptions raised by the tokstats library.

The library raises; only the command line turns an exception into one line on stderr and an
exit code (2 for bad input or configuration). Every message names the bad value and, where there
is one, the fix.
"""

from __future__ import annotations

from collections.abc import Iterable

#: How to install what ``--scheduler`` needs (named in its ``--help`` and in its errors).
DASK_INSTALL_HINT = "pip install 'tokstats[dask]'"


class TokstatsError(Exception):
    """Base class for every error tokstats raises on purpose."""


class UnknownNameError(TokstatsError, KeyError):
    """A name (encoding, model, corpus, format …) that tokstats does not know."""

    def __init__(self, kind: str, name: str, known: Iterable[str], plural: str | None = None) -> None:
        self.kind = kind
        self.name = name
        self.known = sorted(known)
        super().__init__(f"unknown {kind} {name!r}; known {plural or kind + 's'}: {', '.join(self.known)}")

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0])


class UnknownEncodingError(UnknownNameError):
    """An encoding name that neither tokstats nor any installed tiktoken plugin defines."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        super().__init__("encoding", name, known)


class UnknownModelError(UnknownNameError):
    """A model name that tiktoken's model map cannot resolve to an encoding."""

    def __init__(self, name: str, known: Iterable[str]) -> None:
        super().__init__("model", name, known)


class RankFileError(TokstatsError):
    """A BPE rank file that cannot be used: missing, unreadable, or not the genuine one."""


class RankFileHashError(RankFileError):
    """A rank file whose sha256 differs from the hash tiktoken pins: corrupt or substituted."""

    def __init__(self, encoding: str, path: str, expected: str, actual: str) -> None:
        self.encoding = encoding
        self.path = path
        self.expected = expected
        self.actual = actual
        super().__init__(
            f"refusing rank file {path} for {encoding}: sha256 {actual} does not match the "
            f"expected {expected} (the file is corrupt or substituted; reinstall tokstats)"
        )


class EncodingUnavailableError(RankFileError):
    """An encoding tokstats does not ship whose rank file could not be fetched or found cached."""


class InputError(TokstatsError):
    """User input (a file, a line of it, an option value) that cannot be processed as given."""


class UnknownTokenizerError(UnknownEncodingError):
    """A tokenizer spec that is no tiktoken encoding, no named tokenizer and no ``prefix:PATH``."""

    def __init__(self, name: str, known: Iterable[str], prefixes: Iterable[str] = (), suggestion: str = "") -> None:
        UnknownNameError.__init__(self, "tokenizer", name, known)
        hint = " or a file: " + ", ".join(f"{p}:PATH" for p in sorted(prefixes)) if prefixes else ""
        self.args = (f"{self.args[0]}{hint} (tokstats encodings lists them){suggestion}",)


class TokenizerError(InputError):
    """A tokenizer file that cannot be used (missing, not a tokenizer), or its library is missing."""


class MissingDependencyError(TokenizerError):
    """A tokenizer whose library (an optional extra of tokstats) is not installed; ``extra``
    names the extra that installs it, so that several missing ones are named in one message."""

    def __init__(self, message: str, extra: str | None = None) -> None:
        self.extra = extra
        super().__init__(message)


class ParameterError(InputError):
    """A public function's argument of the wrong type or out of range; the message names the
    parameter, the value given (shortened) and what is accepted (``tokstats._api``)."""

    def __init__(self, parameter: str, message: str) -> None:
        self.parameter = parameter
        super().__init__(message)


class UsageError(InputError):
    """A command line the argument parser rejects (unknown option, missing or malformed value)."""


class OutputError(TokstatsError):
    """Output that cannot be written: standard output closed or failing (a full disk), a chart file."""


class UnknownChatFramingError(InputError):
    """A chat model whose chat framing (template) tokstats does not know, so its prompt cannot be counted."""

    def __init__(self, model: str, why: str = "") -> None:
        self.model = model
        super().__init__(
            f"no known chat framing for model {model!r}{': ' + why if why else ''}; known: OpenAI models, gpt-oss, "
            "Llama 3.0-3.3 and 4, Qwen 1.5/2/2.5/3 and QwQ, DeepSeek-R1-Distill-Llama/-Qwen, Mistral"
        )
