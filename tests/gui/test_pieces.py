"""A value sent in pieces comes back equal, with its shared objects still shared, its small parts whole,
and values kept from earlier jobs standing for themselves."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from newsdedup.gui.pieces import LONG, PieceReader, PieceWriter
from newsdedup.model import Story


@dataclass(frozen=True)
class Held:
    stories: tuple
    again: tuple  # the same stories, as a second field holds them
    names: list
    small: tuple
    kept: tuple  # a value an earlier job returned


def _send(value, kept: dict[int, object]):
    """Pieces and last message as the engine sends them, read as the window reads them."""
    numbers = {id(v): n for n, v in kept.items()}
    writer = PieceWriter(lambda obj: numbers.get(id(obj)))
    pieces = list(writer.pieces(value))
    reader = PieceReader(kept.__getitem__)
    for piece in pieces:
        reader.read_piece(piece)
    return reader.value(writer.final), pieces


def test_a_value_in_pieces_comes_back_equal_with_shared_objects_shared():
    stories = tuple(Story(f"doc{i}.txt#0", f"doc{i}.txt", 0, 0, 500, title=f"Story {i} " + "word " * 200)
                    for i in range(3 * LONG))
    earlier = tuple(range(5 * LONG))
    value = Held(stories, stories, [s.title for s in stories], stories[:3], earlier)
    back, pieces = _send(value, {7: earlier})
    assert back == value
    assert len(pieces) > 2  # long enough to travel in several pieces
    assert back.again is back.stories  # one tuple, as it was
    assert back.small[0] is back.stories[0]  # one story, whichever field names it
    assert back.names[5] is back.stories[5].title
    assert back.kept is earlier  # sent by number, not copied


def test_a_value_with_nothing_long_is_one_message():
    value = Held((), (), [], (1, 2), ())
    back, pieces = _send(value, {})
    assert back == value and pieces == []


def test_a_big_array_travels_in_chunks_beside_the_pickles_and_comes_back_equal():
    from newsdedup.gui.pieces import BUFFER_BYTES

    big = np.arange(BUFFER_BYTES // 8 * 2 + 5, dtype=np.uint64)  # a little over two chunks
    small = np.arange(10, dtype=np.int64)
    value = Held((big,) * LONG, (), [], (small,), ())
    back, pieces = _send(value, {})
    assert [p[0] for p in pieces].count("array") == 3  # once, in three chunks, though named LONG times
    assert np.array_equal(back.stories[0], big) and back.stories[-1] is back.stories[0]
    assert np.array_equal(back.small[0], small)


def test_a_pair_of_values_as_a_rescan_returns_is_sent_in_pieces_too():
    stories = tuple(Story(f"doc{i}.txt#0", f"doc{i}.txt", 0, 0, 9, title=f"{i} " + "word " * 300) for i in range(LONG * 2))
    value = (Held(stories, (), [], (), ()), {"read": 3})
    back, pieces = _send(value, {})
    assert back == value and len(pieces) > 1
