"""The named tokenizers of model families, one module each: Llama, Qwen, Mistral.

Each module loads its publisher's file from an installed PyPI wheel, verified by sha256, and
builds a ``Tokenizer`` from it; the registry finds the loader by name.
"""
