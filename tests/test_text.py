"""Normalised words point back at the exact original text; signatures are datasketch's own."""

from __future__ import annotations

import numpy as np
from datasketch import MinHash

from newsdedup.signatures import SCHEME, shingle_sets, signatures
from newsdedup.text import normalize, shingles, words


def test_words_slice_the_original_text():
    text = "Ukraine’s “front” — is NOT moving.\r\nCafe\u0301 x\ufb01le"
    w = words(text)
    assert [text[s:e] for s, e in zip(w.starts, w.ends)] == ["Ukraine", "s", "front", "is", "NOT", "moving",
                                                             "Cafe\u0301", "x\ufb01le"]


def test_case_quotes_accents_and_ligatures_do_not_change_a_word():
    a = words("Ukraine’s FRONT café ﬁle")
    b = words("ukraine's front cafe file")
    assert np.array_equal(a.hashes, b.hashes)


def test_normalized_text_maps_every_character_back():
    text = "«Déjà vu» – ﬁnal"
    norm = normalize(text)
    assert len(norm.src_start) == len(norm.text)
    assert norm.text == '"deja vu" - final'
    assert all(0 <= s < e <= len(text) for s, e in zip(norm.src_start, norm.src_end))


def test_shingles_of_a_short_text_is_one_shingle():
    assert len(shingles(words("two words").hashes, 5)) == 1
    assert len(shingles(words("one two three four five six").hashes, 5)) == 2


def test_bulk_signatures_equal_datasketch_update_batch():
    ws = [words("the quick brown fox jumps over the lazy dog again and again"), words(""),
          words("NATO foreign ministers met in Brussels on Tuesday to discuss Ukraine")]
    sets = shingle_sets(ws, 3)
    sig = signatures(sets, num_perm=64, seed=7)
    for i in range(len(ws)):
        m = MinHash(num_perm=64, seed=7, scheme=SCHEME, hashfunc=lambda x: int(x) & 0xFFFFFFFF)
        if len(sets.of(i)):
            m.update_batch(list(sets.of(i)))
        assert np.array_equal(m.hashvalues, sig[i])


def test_signatures_estimate_jaccard():
    base = " ".join(f"w{i}" for i in range(400))
    near = base.replace("w200 ", "x200 ")
    sets = shingle_sets([words(base), words(near), words("something else entirely different here")], 5)
    sig = signatures(sets, 256, 1)
    assert (sig[0] == sig[1]).mean() > 0.9
    assert (sig[0] == sig[2]).mean() < 0.1
