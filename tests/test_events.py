"""Events as a user sees them: grouped by happening, corrected by the user's decisions, labelled like tags."""

from __future__ import annotations

import re
import shutil

import numpy as np

from newsdedup.events.cluster import EventSettings, cluster_events
from newsdedup.events.idf import blended_idf
from newsdedup.model import DateProvenance, finish
from newsdedup.pipeline import run_scan, scan

DEC_2024 = "001_290fdad124de14e5.txt#0"
DAVOS = "001_290fdad124de14e5.txt#1"
DEC_2025 = "004_f3dada96465da5af.txt#0"


def _regroup(result, must_link=(), cannot_link=()):
    texts = [result.clean_text(s) for s in result.stories]
    return finish(cluster_events(list(result.stories), texts, list(result.groups), EventSettings(),
                                 must_link=list(must_link), cannot_link=list(cannot_link)))


def _event_of(events, story_id):
    return next(e for e in events if story_id in e.story_ids)


def test_every_story_is_in_exactly_one_event(seeds_result):
    ids = [sid for e in seeds_result.events for sid in e.story_ids]
    assert sorted(ids) == sorted(s.story_id for s in seeds_result.stories)


def test_must_link_joins_stories_that_dates_would_keep_apart(seeds_result):
    events = _regroup(seeds_result, must_link=[(DAVOS, DEC_2025)])
    assert DEC_2025 in _event_of(events, DAVOS).story_ids


def test_cannot_link_splits_stories_that_words_would_join(seeds_result):
    other = "002_109866a445957986.txt#0"
    events = _regroup(seeds_result, cannot_link=[(DEC_2024, other)])
    assert other not in _event_of(events, DEC_2024).story_ids
    assert sorted(sid for e in events for sid in e.story_ids) == sorted(s.story_id for s in seeds_result.stories)


def test_labels_read_like_tags_with_their_date_range(seeds_result):
    outlets = {w.lower() for s in seeds_result.stories for w in re.findall(r"\w+", s.source)}
    for event in seeds_result.events:
        assert event.terms, event.label
        words = {w.lower() for term in event.terms for w in term.split()}
        assert not words & ({"said", "says", "saying", "tuesday", "thursday"} | outlets), event.label
        if event.start:
            assert event.label.endswith(f"{event.end.year}"), event.label
    dec_2024 = _event_of(seeds_result.events, DEC_2024)
    assert "Dec 2024" in dec_2024.label
    # names keep the capitals the stories give them
    assert any(w[0].isupper() for term in dec_2024.terms for w in term.split())


def test_forty_reprints_stay_one_voice_in_their_event(seeds_dir, tmp_path):
    for f in seeds_dir.glob("*.txt"):
        shutil.copy(f, tmp_path / f.name)
    for n in range(40):
        shutil.copy(seeds_dir / "004_f3dada96465da5af.txt", tmp_path / f"reprint_{n:02d}.txt")
    result = scan([tmp_path])
    reprints = {s.story_id for s in result.stories if s.doc_id.startswith("reprint_")}
    event_2025 = _event_of(result.events, DEC_2025)
    assert reprints <= set(event_2025.story_ids)
    dec_2024 = _event_of(result.events, DEC_2024)
    assert {"000_8d0c082b0df052da.txt#0", "002_109866a445957986.txt#0", "003_b2d0903adc2ffcae.txt#0"} <= set(
        dec_2024.story_ids)
    assert len(result.events) == 3


def test_small_folders_still_tell_common_words_from_names():
    # two documents that both carry both words: the folder alone cannot tell them apart, the background can
    idf = blended_idf(["said", "rutte"], np.array([2, 2]), n_documents=2, mean_length=300)
    assert idf[0] < idf[1]


def _wire_folder(folder, happenings: int = 40, reports: int = 8):
    """A folder of short dated wire reports: ``reports`` different write-ups of each of ``happenings``."""
    rng = np.random.default_rng(7)
    places = ["Lisbon", "Oslo", "Quito", "Hanoi", "Accra", "Perth", "Tunis", "Riga", "Lima", "Baku"]
    things = ["bridge collapse", "port strike", "museum fire", "dam flood", "rail crash", "mine rescue",
              "power cut", "ferry sinking"]
    common = ("officials said the authorities were still assessing the situation and residents were asked "
              "to stay away while the investigation continued on the site").split()
    for h in range(happenings):
        place, thing = places[h % len(places)], things[h // len(places) % len(things)]
        day = 1 + h % 27
        names = [f"{w.capitalize()}" for w in rng.choice(["marek", "ilse", "tomas", "anouk", "rafael", "leila",
                                                         "jonas", "mireille", "oskar", "yara"], 3, replace=False)]
        for r in range(reports):
            filler = " ".join(rng.choice(common, 30))
            text = (f"{place} {thing} leaves {h + 3} hurt\n\n{place.upper()}, March {day}, 2023 - "
                    f"A {thing} in {place} on March {day}, 2023 was confirmed by {names[0]} and {names[1]}. "
                    f"{filler}. {names[2]} spoke about the {thing} in {place}. Report number {r}.\n")
            (folder / f"h{h:02d}_r{r}.txt").write_text(text, encoding="utf-8")


def test_grouping_reports_progress_all_along_and_stops_when_told(tmp_path):
    _wire_folder(tmp_path)
    result = scan([tmp_path])
    assert len(result.stories) == 320
    texts = [result.clean_text(s) for s in result.stories]
    steps = cluster_events(list(result.stories), texts, list(result.groups), EventSettings())
    seen = []
    for item in steps:
        seen.append(item)
        if len(seen) == 12:
            break
    # a dozen reports and not yet done: the stage moves in many small steps, not 0 of 4 then 4 of 4
    assert all(p.stage == "events" and p.total == 1280 for p in seen)
    done = [p.done for p in seen]
    assert done == sorted(done) and done[-1] < 1280
    steps.close()  # what the GUI's Cancel does: stop iterating
    assert next(steps, "stopped") == "stopped"
    # run to the end, the same input gives every story an event, with progress up to the total
    progress: list = []
    events = finish(cluster_events(list(result.stories), texts, list(result.groups), EventSettings()),
                    progress.append)
    assert len(progress) > 12 and progress[-1].done == progress[-1].total
    counts = [p.done for p in progress]
    assert counts == sorted(counts)  # the bar never goes back, from the words through the search to the labels
    assert sorted(sid for e in events for sid in e.story_ids) == sorted(s.story_id for s in result.stories)


def test_a_scan_can_be_stopped_while_it_groups_events(tmp_path):
    _wire_folder(tmp_path, happenings=20)
    gen = run_scan([tmp_path])
    for p in gen:
        if p.stage == "events" and 0 < p.done < p.total:
            break
    else:
        raise AssertionError("the events stage never reported a step between its start and its end")
    gen.close()
    assert next(gen, "stopped") == "stopped"


def test_two_grab_bags_of_unrelated_briefs_do_not_become_one_event():
    # Two events the user built by hand (must-links), each of twenty one-line briefs on twenty different
    # companies. Pairwise, a brief of one bag matches one brief of the other at most, so the bags are not
    # one happening, although every brief's links go to its twin in the other bag: exactly how a chain forms.
    from newsdedup.model import DuplicateGroup, Story

    names = [f"{a}{b}" for a in ("Kor", "Val", "Mis", "Tren", "Bol") for b in ("dex", "sa", "tron", "vik")]
    stories, texts = [], []
    for bag in ("a", "b"):
        for i, name in enumerate(names):
            stories.append(Story(story_id=f"{bag}{i}", doc_id=f"{bag}{i}", story_index=0, start=0, end=1))
            texts.append(f"{name} {name} {name}")
    groups = [DuplicateGroup(i, s.story_id, (s.story_id,)) for i, s in enumerate(stories)]
    chain = [(f"{bag}{i}", f"{bag}{i + 1}") for bag in "ab" for i in range(len(names) - 1)]

    def events_of(settings):
        out = finish(cluster_events(stories, texts, groups, settings, must_link=chain))
        return {frozenset(e.story_ids) for e in out}

    bags = {frozenset(f"a{i}" for i in range(20)), frozenset(f"b{i}" for i in range(20))}
    assert events_of(EventSettings()) == bags
    # without the guard (links alone), the two bags merge: the test sees the difference
    assert len(events_of(EventSettings(mean_similarity=0.0))) == 1



def _reports(days, extra=(), provenance=DateProvenance.EXPLICIT):
    """Reports of one happening in the same words, one per entry of ``days`` (a day offset, or None); the
    first ones each add the word of ``extra`` at their place."""
    import datetime as dt

    from newsdedup.model import DuplicateGroup, Story

    stories = [Story(story_id=f"r{i}", doc_id=f"r{i}", story_index=0, start=0, end=1,
                     published=None if d is None else dt.date(2024, 12, 3) + dt.timedelta(days=d),
                     date_provenance=DateProvenance.NONE if d is None else provenance)
               for i, d in enumerate(days)]
    texts = [f"Kordex agrees Valsa takeover after Bolvik shareholders vote {x}".strip()
             for x in (*extra, *[""] * (len(days) - len(extra)))]
    groups = [DuplicateGroup(i, s.story_id, (s.story_id,)) for i, s in enumerate(stories)]
    return stories, texts, groups


def test_reports_joining_one_event_together_keep_a_cannot_linked_pair_apart():
    # all six read alike, so they join one event in the same round: the two the user split must not
    stories, texts, groups = _reports([0] * 6)
    events = finish(cluster_events(stories, texts, groups, EventSettings(), cannot_link=[("r2", "r3")]))
    assert _event_of(events, "r2") is not _event_of(events, "r3")
    assert {"r0", "r1", "r4", "r5"} <= set(_event_of(events, "r0").story_ids)


def test_reports_joining_one_event_together_keep_within_its_date_window():
    # r0 and r1 are one event by the user's word, r2 reads exactly like them; r3 (a week before) and r4
    # (near the window's end) each fit that event's dates, but together they would span more than the window
    w = EventSettings().window_days
    stories, texts, groups = _reports([0, w - 11, (w - 11) // 2, -7, w - 4, None],
                                      extra=["", "", "", "Tuesday", "Friday"])
    events = finish(cluster_events(stories, texts, groups, EventSettings(), must_link=[("r0", "r1")]))
    day = {s.story_id: s.published for s in stories}
    for e in events:
        dated = [day[sid] for sid in e.story_ids if day[sid]]
        assert (max(dated) - min(dated)).days <= w
    assert {"r0", "r1", "r2", "r5"} <= set(_event_of(events, "r0").story_ids)  # r5 undated: joins by words
    assert ({"r3", "r4"} & set(_event_of(events, "r0").story_ids))  # one of the two does join


def test_a_follow_up_in_the_same_words_joins_its_event_and_the_same_words_two_months_on_do_not():
    # three reports of a takeover vote dated from their text, the takeover closing a week later: one event
    # (dates read from text are loose); the same words two months on are another happening of the kind
    stories, texts, groups = _reports([0, 1, 2, 9, 2 + EventSettings().window_days + 20])
    events = finish(cluster_events(stories, texts, groups, EventSettings()))
    assert set(_event_of(events, "r0").story_ids) == {"r0", "r1", "r2", "r3"}
    assert _event_of(events, "r4").story_ids == ("r4",)
    # a user who wants each burst of coverage on its own sets a limit on the silence within an event
    events = finish(cluster_events(stories, texts, groups, EventSettings(gap_days=5)))
    assert set(_event_of(events, "r0").story_ids) == {"r0", "r1", "r2"}


# Two happenings of one kind, undated, each told by five outlets in their own words; the topic words (navy,
# pirates, Gulf of Aden, merchant vessel) are the same, the names are not.
_ATTACKS = {
    "mysore": [
        "Indian navy foils pirate attack in the Gulf of Aden. The warship INS Mysore answered a distress call "
        "from the Ethiopian-flagged MV Gibe and captured 23 pirates, navy spokesman Nirad Sinha said.",
        "INS Mysore captures 23 pirates. Pirates in two skiffs fired on the merchant ship Gibe before the "
        "destroyer Mysore reached it, Commander Sinha told reporters. Rifles and a grenade launcher were seized.",
        "Navy stops hijacking of Ethiopian ship. Sinha said the crew of the Gibe sent a mayday as pirates "
        "closed in; Mysore launched its Chetak helicopter with marines and the Yemeni suspects surrendered.",
        "Pirates arrested after attack on MV Gibe. The Indian navy said the Mysore detained 12 Somalis and 11 "
        "Yemenis who had tried to seize the Ethiopian merchant vessel in the Gulf of Aden.",
        "23 pirates held by Indian destroyer. Mysore, on anti-piracy patrol, rescued the Gibe from pirates "
        "firing from boats, according to Commander Nirad Sinha. The navy seized weapons and ammunition.",
    ],
    "sukanya": [
        "Patrol vessel INS Sukanya intercepts three pirate boats while escorting five merchant vessels through "
        "the transit corridor of the Gulf of Aden; 26 Somali pirates were detained, the Western Naval Command said.",
        "Sukanya thwarts multi-boat attack. The Indian navy frigate spotted skiffs closing on a convoy it was "
        "escorting, fired warning shots and took 26 Somali pirates aboard, a Western Naval Command statement said.",
        "Warship foils piracy attempt on convoy. INS Sukanya found herself facing five pirate skiffs in the "
        "Internationally Recognised Transit Corridor; the navy confiscated arms and 26 brigands were held.",
        "Navy nabs 26 Somali pirates. The crew of Sukanya noticed the boats approaching the convoy at dawn "
        "and gave chase; a dhow serving as mother ship was seized, the defence spokesman in Mumbai said.",
        "Somali pirate attack on five merchant ships foiled by INS Sukanya, deployed by the Western Naval "
        "Command on anti-piracy patrols; 26 pirates and three boats were captured.",
    ],
}


def test_two_happenings_of_one_kind_told_in_the_same_words_stay_two_events(tmp_path):
    for name, reports in _ATTACKS.items():
        for r, text in enumerate(reports):
            (tmp_path / f"{name}_{r}.txt").write_text(text + "\n", encoding="utf-8")
    result = scan([tmp_path])
    events = {frozenset(s.split("_")[0] for s in (result.story(sid).doc_id for sid in e.story_ids))
              for e in result.events}
    assert events == {frozenset({"mysore"}), frozenset({"sukanya"})}


def test_a_stopped_neighbour_search_leaves_no_work_running():
    import threading

    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from newsdedup.events.neighbours import neighbour_edges

    matrix = normalize(sp.random(2000, 300, density=0.05, format="csr", random_state=3, dtype=np.float32))
    search = neighbour_edges(matrix, 5)
    assert next(search) < next(search) < 2000  # moving, not done
    search.close()  # what Cancel does
    assert not [t for t in threading.enumerate() if t.name.startswith("neighbours")]
    # and run to the end, every row has its neighbours
    a, b, _ = finish(neighbour_edges(matrix, 5))
    assert set(np.concatenate([a, b]).tolist()) == set(range(2000))


def test_labels_keep_whole_names_without_the_titles_before_them():
    from newsdedup.model import DuplicateGroup, Story

    texts = [
        "The quarterback of the San Diego Chargers was arrested on Tuesday, said Secretary General Mark Ellison.",
        "Police arrested a player of the San Diego Chargers after a traffic stop, Secretary General Mark Ellison said.",
        "A San Diego Chargers player was held for drunk driving; Secretary General Mark Ellison declined to comment.",
    ]
    stories = [Story(story_id=f"c{i}", doc_id=f"c{i}", story_index=0, start=0, end=1) for i in range(3)]
    groups = [DuplicateGroup(i, s.story_id, (s.story_id,)) for i, s in enumerate(stories)]
    events = finish(cluster_events(stories, texts, groups, EventSettings()))
    assert len(events) == 1
    label = events[0].label
    assert "San Diego Chargers" in label, label  # not "Diego Chargers"
    assert "Mark Ellison" in label and "General Mark Ellison" not in label, label  # a title is not the name


def test_the_neighbour_search_finds_the_links_an_exhaustive_one_finds_with_their_exact_similarity():
    # stories of 150 happenings, each told with a dozen of its own words among sixty common ones of the
    # language (Zipf-distributed, many and light): the search looks with each story's heaviest terms only
    # and must still find what comparing every pair finds, with the true cosine on every link
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from newsdedup.events.neighbours import neighbour_edges

    rng = np.random.default_rng(7)
    n, vocab, happenings = 1500, 5000, 150
    own_words = [rng.choice(vocab, 40, replace=False) for _ in range(happenings)]
    rows, cols = [], []
    for i in range(n):
        words = np.concatenate([rng.zipf(1.3, 60) % vocab, rng.choice(own_words[i % happenings], 12)])
        rows += [i] * len(words)
        cols += words.tolist()
    counts = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, vocab))
    idf = np.log((1 + n) / (1 + np.bincount(counts.indices, minlength=vocab))) + 1
    matrix = normalize(sp.csr_matrix(counts.multiply(idf))).astype(np.float32)
    assert _share_of_exhaustive_links(matrix, finish(neighbour_edges(matrix, 5))) >= 0.97


def _share_of_exhaustive_links(matrix, found) -> float:
    """The share of the links comparing every pair finds (each story's 5 nearest, at least 0.1 alike) that
    the search's ``found`` (a, b, similarity) holds; every found link must carry its exact cosine."""
    a, b, similarity = found
    every_pair = (matrix @ matrix.T).toarray()
    np.fill_diagonal(every_pair, -1)
    np.testing.assert_allclose(similarity, every_pair[a, b], atol=1e-5)
    nearest = np.argpartition(-every_pair, 4, axis=1)[:, :5]
    links = {(min(i, j), max(i, j)) for i in range(len(nearest)) for j in nearest[i] if every_pair[i, j] >= 0.1}
    return len(links & set(zip(a.tolist(), b.tolist()))) / len(links)


def test_a_headline_in_capitals_does_not_make_every_word_a_name():
    # wire and web headlines are often shouted; their capitals must not weigh "arrested" and "suspicion" as
    # names, or two reports of one kind with shouted headlines would look alike for their headline alone
    from newsdedup.events.cluster import story_vectors

    body = "\nThe defensive tackle was stopped by police in San Diego early on Sunday, the team said."
    docs = ["CHARGERS' WILLIAMS ARRESTED ON SUSPICION OF DUI" + body,
            "chargers' williams arrested on suspicion of dui" + body,
            "Chargers' Williams arrested on suspicion of DUI" + body]
    matrix, _ = story_vectors(docs)
    rows = matrix.toarray()
    np.testing.assert_allclose(rows[0], rows[1], atol=1e-6)  # shouted: read as plain words
    assert not np.allclose(rows[0], rows[2])  # written as a sentence: its capitals do mark names
    # a line of one word in capitals may be a name ("NATO"): it is one where the story confirms it
    one = story_vectors(["NATO\nAllies met NATO ministers.", "nato\nAllies met NATO ministers."])[0].toarray()
    assert not np.allclose(one[0], one[1])


def test_a_capital_that_every_line_or_sentence_starts_with_does_not_make_a_name():
    # the rows of an earnings table all start "Shr", "Net", "Revs": a capital the line requires says
    # nothing, so two companies' tables are not alike for their row labels' "names"
    from newsdedup.events.cluster import story_vectors

    table = "Acme Corp first quarter\nShr profit seven cts vs five cts\nNet profit up\nRevs higher"
    plain = "Acme Corp first quarter\nshr profit seven cts vs five cts\nnet profit up\nrevs higher"
    rows = story_vectors([table, plain])[0].toarray()
    np.testing.assert_allclose(rows[0], rows[1], atol=1e-6)
    # a name that opens a sentence is still a name when the story writes it with a capital elsewhere
    # (the same words, "Williams" once opening a sentence and once inside one, or twice inside one)
    opening = "Williams was arrested. Police stopped Williams early on Sunday."
    inside = "Was arrested Williams. Police stopped Williams early on Sunday."
    rows = story_vectors([opening, inside])[0].toarray()
    np.testing.assert_allclose(rows[0], rows[1], atol=1e-6)
    # and is not one when the story never writes it with a capital where none is required
    lower = "Williams was arrested. Police stopped williams early on Sunday."
    rows = story_vectors([opening, lower])[0].toarray()
    assert not np.allclose(rows[0], rows[1])


def test_a_common_word_costs_the_search_a_few_stories_and_the_links_are_still_found(monkeypatch):
    # an archive where a few hundred common words stand in most stories and each happening has names of
    # its own: the index keeps only each word's heaviest stories (what a search looks at stays bounded as
    # the archive grows), and the search still finds the links comparing every pair finds
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from newsdedup.events import neighbours

    rng = np.random.default_rng(11)
    n, common, happenings = 3000, 300, 300
    weights = 1.0 / np.arange(1, common + 1)
    rows, cols = [], []
    for i in range(n):
        own = common + 16 * (i % happenings) + rng.choice(16, 12)
        words = np.concatenate([rng.choice(common, 50, p=weights / weights.sum()), own])
        rows += [i] * len(words)
        cols += words.tolist()
    vocab = common + 16 * happenings
    counts = sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(n, vocab))
    idf = np.log((1 + n) / (1 + np.bincount(counts.indices, minlength=vocab))) + 1
    matrix = normalize(sp.csr_matrix(counts.multiply(idf))).astype(np.float32)
    monkeypatch.setattr(neighbours, "POSTINGS", 100)
    monkeypatch.setattr(neighbours, "WHOLE_INDEX_BELOW", 1000)  # the cut index from 1,000 stories, not 10,000
    transposed = matrix.T.tocsr()
    index = neighbours.postings(transposed, 100)
    assert np.diff(transposed.indptr).max() > 2000  # common words stand in most stories
    assert np.diff(index.indptr).max() == 100  # the index holds 100 of them a word
    word = int(np.argmax(np.diff(transposed.indptr)))  # and they are its heaviest stories
    kept = set(index.indices[index.indptr[word]:index.indptr[word + 1]].tolist())
    weight = dict(zip(transposed.indices[transposed.indptr[word]:transposed.indptr[word + 1]].tolist(),
                      transposed.data[transposed.indptr[word]:transposed.indptr[word + 1]].tolist()))
    assert min(weight[s] for s in kept) >= max(w for s, w in weight.items() if s not in kept)
    assert _share_of_exhaustive_links(matrix, finish(neighbours.neighbour_edges(matrix, 5))) >= 0.98


def test_events_carried_from_round_to_round_equal_events_built_again_from_their_stories():
    # the merge keeps each event's summed vector, links, weight and days from round to round and sums anew
    # only the events a round merged: what it carries must be what building the events from their stories
    # gives, or later rounds would merge on stale sums
    import scipy.sparse as sp
    from sklearn.preprocessing import normalize

    from newsdedup.events.links import link_graph
    from newsdedup.events.merge import _events_of, _merged
    from newsdedup.events.neighbours import neighbour_edges

    rng = np.random.default_rng(3)
    n = 600
    matrix = normalize(sp.random(n, 400, density=0.04, format="csr", random_state=4, dtype=np.float32))
    graph = link_graph(finish(neighbour_edges(matrix, 5)), n, EventSettings(), matrix, rng.integers(-1, 3, n))
    day = np.where(rng.random(n) < 0.2, np.nan, rng.integers(0, 90, n).astype(float))
    labels = rng.integers(0, 300, n)  # stories already in events of one or a few
    labels = np.unique(labels, return_inverse=True)[1]
    events = _events_of(matrix, graph, labels, day, day)
    into = np.unique(rng.integers(0, 120, len(events.sizes)), return_inverse=True)[1]  # a round's merges
    carried = _merged(events, into)
    again = _events_of(matrix, graph, into[labels], day, day)
    np.testing.assert_allclose(carried.sums.toarray(), again.sums.toarray(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(carried.links.toarray(), again.links.toarray(), rtol=1e-9)
    for field in ("sizes", "degree", "lo", "hi", "sub_lo", "sub_hi"):
        np.testing.assert_allclose(getattr(carried, field), getattr(again, field), rtol=1e-9, err_msg=field)
