"""Where a tokenizer cuts a text: its tokens as pieces of the text, for ``tokstats show``.

A token is a run of bytes, and may end in the middle of a character (cl100k_base writes most
Devanagari letters as two or three byte tokens; a byte-fallback SentencePiece model writes a
rare character as its UTF-8 bytes). Such tokens cannot be shown one by one, so
consecutive tokens are grouped until their bytes end on a character boundary: each
``Piece`` is a whole number of characters and says how many tokens it took. Joined, the
pieces are the text again, exactly.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from tokstats._api import check_spec, check_str, renamed, shown
from tokstats.errors import ParameterError
from tokstats.sources._textio import utf8_offsets
from tokstats.tokenizers._base import Tokenizer
from tokstats.tokenizers._chunking import split_text
from tokstats.tokenizers._registry import TokenizerLike, as_tokenizer

#: Background colours cycled over pieces in a terminal (ANSI 256-colour codes, readable with
#: both light and dark text themes).
_COLOURS = (153, 186, 217, 158, 223, 189)
_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
#: Other C0/C1 controls and DEL (ESC, BEL, CSI U+009B …): written as ``\xNN`` in every view, so
#: a text cannot move the cursor, recolour or retitle the terminal it is shown on.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _hex(m: re.Match[str]) -> str:
    return f"\\x{ord(m.group()):02x}"


@dataclass(frozen=True)
class Piece:
    """A piece of the text and the token ids it was encoded as (more than one: byte tokens)."""

    text: str
    tokens: tuple[int, ...]


#: A text longer than this (characters) is viewed in parts cut at stable boundaries (where the
#: tokenizer allows it), so the per-character index below never covers more than one part.
VIEW_PART = 1 << 18


@renamed(encoding="tokenizer")
def split_view(text: str, tokenizer: TokenizerLike) -> list[Piece]:
    """The text cut at the token boundaries of a tokenizer (its own ids of the text), as pieces.

    Tokens whose spans overlap or end inside a character (byte pieces) are grouped into one
    piece. Text no token stands for (whitespace a WordPiece tokenizer drops) joins the next piece,
    at the end the last one, so the pieces always join to ``text``.

    Raises ``ParameterError`` (an ``InputError``) for
    a ``text`` that is not a str or a bad ``tokenizer``,
    ``UnknownTokenizerError`` for an unknown spec.
    """
    check_str("text", text, what="a str", empty=True)
    check_spec("tokenizer", tokenizer)
    return list(iter_split_view(text, tokenizer))


def iter_split_view(text: str, tokenizer: TokenizerLike) -> Iterator[Piece]:
    """``split_view`` as a stream: a long text is cut where the tokenizer's pre-tokenizer cuts
    anyway (``tokstats.tokenizers._chunking``), which tokens never cross, and viewed part by part."""
    tok = as_tokenizer(tokenizer)
    rule = tok.cut_rule
    parts = split_text(text, VIEW_PART, rule) if len(text) > 2 * VIEW_PART and rule is not None else [text]
    for part in parts:
        yield from _view(part, tok)


def _view(text: str, tok: Tokenizer) -> list[Piece]:
    ids, spans = tok.token_spans(text)
    char_at = {offset: i for i, offset in enumerate(utf8_offsets(text))}
    pieces: list[Piece] = []
    pending: list[int] = []
    start_char = start_byte = cur_end = 0
    for t, (a, b) in zip(ids, spans):
        if pending and a >= cur_end > start_byte and cur_end in char_at:
            end_char = char_at[cur_end]
            pieces.append(Piece(text[start_char:end_char], tuple(pending)))
            pending, start_char, start_byte = [], end_char, cur_end
        pending.append(t)
        cur_end = max(cur_end, b)
    if pending:
        pieces.append(Piece(text[start_char:], tuple(pending)))
    elif text[start_char:]:
        if pieces:
            last = pieces.pop()
            pieces.append(Piece(last.text + text[start_char:], last.tokens))
        else:  # no tokens at all (only whitespace a tokenizer drops)
            pieces.append(Piece(text, ()))
    return pieces


def _visible(s: str) -> str:
    return _CONTROLS.sub(_hex, "".join(_ESCAPES.get(c, c) for c in s))


def bracketed(pieces: Iterable[Piece]) -> str:
    """Pieces in brackets: ``[Hello][ world]``; a piece of k byte tokens as ``[न]{k}``.

    Newline, carriage return and tab are shown as ``\\n``, ``\\r``, ``\\t`` so each view is one line;
    other control characters (ESC, BEL, U+009B …) as ``\\x1b``, ``\\x07``, ``\\x9b``.

    Raises ``ParameterError`` (an ``InputError``) for
    ``pieces`` that are not an iterable of ``Piece`` (as ``split_view`` gives).
    """
    if isinstance(pieces, str | bytes) or not isinstance(pieces, Iterable):
        raise ParameterError("pieces", f"pieces must be a list of Piece (from split_view), not {shown(pieces)}")
    pieces = list(pieces)
    for i, p in enumerate(pieces):
        if not isinstance(p, Piece):
            raise ParameterError(f"pieces[{i}]", f"pieces[{i}] must be a Piece (from split_view), not {shown(p)}")
    return "".join(
        (f"[{_visible(p.text)}]" if p.tokens else _visible(p.text))
        + (f"{{{len(p.tokens)}}}" if len(p.tokens) > 1 else "")
        for p in pieces
    )


def coloured(pieces: Iterable[Piece], start: int = 0) -> str:
    """Pieces on alternating background colours (ANSI); byte-token pieces also underlined.

    A newline is shown as ``↵`` followed by a real line break, so the text keeps its shape; other
    control characters as in ``bracketed`` (``\\x1b``), so only the view's own colour codes reach
    the terminal.
    """
    out: list[str] = []
    for i, p in enumerate(pieces, start):
        style = f"\x1b[30;48;5;{_COLOURS[i % len(_COLOURS)]}m" + ("\x1b[4m" if len(p.tokens) > 1 else "")
        body = _CONTROLS.sub(_hex, p.text).replace("\r", "␍").replace("\t", "⇥").replace("\n", "↵\x1b[0m\n" + style)
        out.append(f"{style}{body}\x1b[0m")
    return "".join(out)
