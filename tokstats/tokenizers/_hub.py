"""``hf:org/name``: a model's ``tokenizer.json`` from the Hugging Face Hub cache on this machine.

A user who has run ``transformers`` or ``huggingface-cli download`` has the file already; tokstats
finds it through ``huggingface_hub`` itself (``try_to_load_from_cache``), which knows the cache
layout and honours ``HF_HOME``, ``HF_HUB_CACHE`` and ``HF_HUB_OFFLINE``, rather than guessing
paths. ``hf:org/name@REVISION`` picks a branch, tag or commit (default ``main``). A file that is not
cached is downloaded (``hf_hub_download``) only when ``HF_HUB_OFFLINE`` is unset and the network
allows; otherwise the error says how to get it.

A local path always wins: ``hf:org/name`` is read from the Hub cache only when no file or folder
of that name exists.
"""

from __future__ import annotations

import re

from tokstats.errors import MissingDependencyError, TokenizerError

#: ``org/name`` or ``name``, optionally ``@revision``: the shape of a Hub repository id.
REPO_ID = re.compile(r"(?P<repo>[A-Za-z0-9][\w.-]*/[\w.-]+)(?:@(?P<revision>[\w./-]+))?")


def looks_like_repo_id(path: str) -> bool:
    """Whether ``path`` has the shape ``org/name`` (``@revision`` allowed) of a Hub repository."""
    return REPO_ID.fullmatch(path) is not None and not path.startswith((".", "~"))


def hub_file(spec: str, path: str, filename: str) -> str:
    """The local path of ``filename`` of the Hub repository ``path`` (``org/name[@revision]``):
    from the cache, else downloaded where allowed; a one-line ``TokenizerError`` otherwise."""
    match = REPO_ID.fullmatch(path)
    if match is None:
        raise TokenizerError(f"{spec}: no such file {path}")
    repo, revision = match["repo"], match["revision"]
    try:
        import huggingface_hub
        from huggingface_hub import constants
    except ImportError as e:
        raise MissingDependencyError(
            f"{spec}: no such file {path}; reading it from the Hugging Face Hub cache needs huggingface_hub: "
            "pip install 'tokstats[hf]'"
        ) from e
    cached = huggingface_hub.try_to_load_from_cache(repo, filename, revision=revision)
    if isinstance(cached, str):
        return cached
    where = f"the Hugging Face cache ({constants.HF_HUB_CACHE})"
    if cached is not None:  # the cache records that the repository has no such file
        raise TokenizerError(f"{spec}: {repo} has no {filename} (as recorded in {where})")
    if constants.HF_HUB_OFFLINE:
        raise TokenizerError(
            f"{spec}: no such file {path}, and {filename} of {repo} is not in {where}; HF_HUB_OFFLINE is set "
            f"(download it first: huggingface-cli download {repo} {filename})"
        )
    try:
        return str(huggingface_hub.hf_hub_download(repo, filename, revision=revision, etag_timeout=5))
    except Exception as e:  # offline, unknown repository, gated model, no such revision …
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise TokenizerError(
            f"{spec}: no such file {path}, and {filename} of {repo} is neither in {where} nor downloadable "
            f"({type(e).__name__}: {first})"
        ) from e
