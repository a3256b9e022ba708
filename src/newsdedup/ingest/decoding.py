"""Bytes to text: which encoding a file without a declared one was written in.

Byte-order marks (UTF-32 checked before UTF-16: its mark begins with UTF-16's) and valid UTF-8 settle it.
A file of UTF-8 with a few lines in another encoding (a Latin-1 paragraph pasted in) is read as UTF-8
line by line, and only the lines that are not UTF-8 are read as the rest of this explains. Otherwise charset-normalizer guesses, and its guess is
checked against Windows-1252, the code page of most older Western news files (and a superset of
latin-1's letters): on short texts charset-normalizer readily reads French or German as a Baltic or
Central European code page ("façade" coming out as "faēade"). Windows-1252 wins when its reading looks
like Western text (few non-ASCII letters) and shows no more signs of mis-decoding than the guess:
symbols written against letters ("gê¶l¹" is Polish read wrongly), or the Icelandic eth and thorn
(Turkish read wrongly).
"""

from __future__ import annotations

import re

from charset_normalizer import from_bytes


class Unreadable(Exception):
    """Why a file could not be read, in a user's words."""


WESTERN = "cp1252"
MAX_WESTERN_NON_ASCII = 0.3  # share of letters; Cyrillic or Greek read as cp1252 is nearly all non-ASCII
_LETTER = r"[A-Za-z\u00c0-\u024f]"
# Symbols that Western text hardly ever writes against a letter, but that Central European, Baltic or
# Turkish letters turn into when read as Windows-1252 ("gê¶l¹", "¾e"), and the Icelandic eth and thorn
# that stand for Turkish letters ("Dýþiþleri"). Spanish ¡ and ¿ do stand against letters, so they are not odd.
_ODD_SYMBOL = "\u00a2\u00a4\u00a5\u00a6\u00a8\u00ac\u00af\u00b1\u00b2\u00b3\u00b6\u00b8\u00b9\u00bc\u00bd\u00be\u00d7\u00f7\u2020\u2021\u2030\u2039\u203a\u02c6\u02dc\u0192"
_MOJIBAKE = re.compile(
    rf"(?<={_LETTER})[{_ODD_SYMBOL}]|[{_ODD_SYMBOL}](?={_LETTER})|[\u00d0\u00f0\u00de\u00fe]"
)
_NON_ASCII_LETTER = re.compile(r"[^\W\d_a-zA-Z]")
_ASCII_LETTER = re.compile(r"[a-zA-Z]")


def decode(data: bytes) -> tuple[str, str]:
    """The text of ``data`` and the name of the encoding it was read with; Unreadable if it is not text."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _utf8_mostly(data[3:], "utf-8-sig")
    if data.startswith((b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")):
        try:
            return data.decode("utf-32"), "utf-32"
        except UnicodeDecodeError as exc:
            raise Unreadable("not valid UTF-32 despite its byte-order mark") from exc
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise Unreadable("not valid UTF-16 despite its byte-order mark") from exc
    if b"\x00" in data[:8192]:
        raise Unreadable("binary file (contains NUL bytes), not text")
    return _utf8_mostly(data, "utf-8")


def _utf8_mostly(data: bytes, name: str) -> tuple[str, str]:
    """UTF-8; or, when only some lines are not UTF-8 and others are UTF-8 beyond ASCII, UTF-8 with those
    lines read in the encoding they look like (so one pasted Latin-1 line does not turn the whole file into
    mojibake); else the encoding the whole file looks like."""
    try:
        return data.decode("utf-8"), name
    except UnicodeDecodeError:
        pass
    lines = data.split(b"\n")
    bad = [i for i, line in enumerate(lines) if not _is_utf8(line)]
    if not any(not line.isascii() and _is_utf8(line) for line in lines):
        return _not_utf8(data)
    try:
        other, encoding = _not_utf8(b"\n".join(lines[i] for i in bad))
        repaired = other.split("\n")
    except Unreadable:
        repaired = []
    if len(repaired) != len(bad):  # an encoding that does not keep line ends as they were
        repaired, encoding = [lines[i].decode(WESTERN, "replace") for i in bad], WESTERN
    text = [line.decode("utf-8", "replace") for line in lines]
    for i, fixed in zip(bad, repaired):
        text[i] = fixed
    return "\n".join(text), f"{name} ({len(bad)} line(s) {encoding})"


def _is_utf8(line: bytes) -> bool:
    try:
        line.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def _not_utf8(data: bytes) -> tuple[str, str]:
    best = from_bytes(data).best()
    guess = (str(best), best.encoding) if best is not None else None
    western = _western(data)
    if western is not None and (guess is None or _mojibake(western) <= _mojibake(guess[0])):
        return western, WESTERN
    if guess is None:
        raise Unreadable("could not work out the text encoding")
    return guess


def _western(data: bytes) -> str | None:
    """``data`` read as Windows-1252, if that reading looks like Western European text."""
    try:
        text = data.decode(WESTERN)
    except UnicodeDecodeError:
        return None
    non_ascii = len(_NON_ASCII_LETTER.findall(text))
    letters = non_ascii + len(_ASCII_LETTER.findall(text))
    if letters == 0 or non_ascii > MAX_WESTERN_NON_ASCII * letters:
        return None
    return text


def _mojibake(text: str) -> int:
    return len(_MOJIBAKE.findall(text))
