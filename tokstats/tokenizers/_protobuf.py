"""Reading a serialized protobuf message field by field, as a SentencePiece ``.model`` holds one.

Enough of the wire format for what tokstats reads from a model (its pieces, their types, the
normalizer and trainer settings): varints and length-delimited fields; fixed-width fields are
skipped. No protobuf library is needed for that.
"""

from __future__ import annotations


def varint(data: bytes, i: int) -> tuple[int, int]:
    """The varint at ``data[i:]`` and the index after it."""
    value = shift = 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        if b < 0x80:
            return value, i
        shift += 7


def fields(data: bytes) -> list[tuple[int, int | bytes]]:
    """``(field number, value)`` of a serialized protobuf message (varints and bytes only)."""
    out: list[tuple[int, int | bytes]] = []
    i = 0
    while i < len(data):
        key, i = varint(data, i)
        wire = key & 7
        if wire == 0:
            value, i = varint(data, i)
            out.append((key >> 3, value))
        elif wire == 2:
            n, i = varint(data, i)
            out.append((key >> 3, data[i : i + n]))
            i += n
        elif wire == 5:
            i += 4
        elif wire == 1:
            i += 8
        else:
            raise ValueError(f"unexpected protobuf wire type {wire}")
    return out
