"""Model names of the Llama, Qwen and Mistral families -> the named tokenizer they use.

``--model`` resolves OpenAI model names through tiktoken's table; this one covers the other
families. Names are matched case-insensitively, an ``org/`` prefix is dropped
(``meta-llama/Llama-3.1-8B-Instruct`` -> ``llama-3.1-8b-instruct``), and a family prefix
matches when the name equals it or continues with ``-`` or ``.`` (``qwen3-8b``,
``llama-3.1-8b``). The Mistral names are exactly those of ``mistral_common``'s
``MODEL_NAME_TO_TOKENIZER_CLS`` (mistral-common 1.13.1).
"""

from __future__ import annotations

#: Family prefix -> named tokenizer.
FAMILY_PREFIXES: dict[str, str] = {
    # Meta: Llama 3, 3.1, 3.2, 3.3 share llama3's file; Llama 4 (Scout, Maverick) has its own.
    "llama-3": "llama3",
    "llama-3.1": "llama3",
    "llama-3.2": "llama3",
    "llama-3.3": "llama3",
    "meta-llama-3": "llama3",
    "meta-llama-3.1": "llama3",
    "llama3": "llama3",
    "llama-4": "llama4",
    "llama4": "llama4",
    # Alibaba: Qwen, Qwen1.5, Qwen2, Qwen2.5, Qwen3 and the hosted qwen-turbo/plus/max.
    "qwen": "qwen",
    "qwen1.5": "qwen",
    "qwen2": "qwen",
    "qwen2.5": "qwen",
    "qwen3": "qwen",
}

#: Exact Mistral model name -> named tokenizer (mistral_common's table; v7m1 is v7's file,
#: Pixtral's tekken_240911.json has tekken_240718.json's ranks).
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


def family_spec_for_model(model: str) -> str | None:
    """The named tokenizer of a Llama, Qwen or Mistral model name, or ``None`` if not one."""
    name = model.strip().lower().rsplit("/", 1)[-1]
    if name in MISTRAL_MODELS:
        return MISTRAL_MODELS[name]
    for prefix in sorted(FAMILY_PREFIXES, key=len, reverse=True):
        if name == prefix or name.startswith((prefix + "-", prefix + ".")):
            return FAMILY_PREFIXES[prefix]
    return None
