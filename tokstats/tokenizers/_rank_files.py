"""tiktoken's rank-file format (one ``BASE64TOKEN RANK`` per line), read by one parser.

OpenAI's shipped ``.tiktoken`` files, Meta's ``tokenizer.model`` files and dashscope's
``qwen.tiktoken`` all use it. A file whose sha256 was checked against a pin takes the fast path;
any other file is parsed line by line and a bad line is named.
"""

from __future__ import annotations

import base64
import binascii
import gc

from tokstats.errors import RankFileError


def parse_rank_lines(data: bytes, source: str, *, pinned: bool = False) -> dict[bytes, int]:
    """The ranks of a rank file's bytes; ``source`` names the file in errors.

    ``pinned``: the bytes passed a sha256 pin, and in every pinned file line ``i`` holds rank
    ``i`` (the tests check each pinned file), so the file is split once, the tokens decoded with
    binascii and the ranks not parsed, with the cyclic garbage collector paused (it would scan
    the 100,000-200,000 new objects several times over): start-up matters, a tiny file's count is
    mostly this. Otherwise strict, unlike a loader that skips bad lines: blank lines are skipped
    and a line that does not parse raises ``RankFileError`` naming the file
    and the line number.
    """
    if pinned:
        paused = gc.isenabled()
        gc.disable()
        try:
            tokens = data.split()[0::2]
            return dict(zip(map(binascii.a2b_base64, tokens), range(len(tokens))))
        finally:
            if paused:
                gc.enable()
    ranks: dict[bytes, int] = {}
    for number, line in enumerate(data.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            token, rank = line.split()
            ranks[base64.b64decode(token, validate=True)] = int(rank)
        except (ValueError, binascii.Error):
            raise RankFileError(f"{source}: line {number} is not 'BASE64TOKEN RANK'") from None
    return ranks
