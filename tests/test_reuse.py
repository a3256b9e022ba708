"""Partial reuse rests on text the two stories have of their own; copies are listed against their original."""

from __future__ import annotations

import pytest

from newsdedup.dedup.passages import shared_passages
from newsdedup.dedup.relations import DuplicateSettings, duplicate_groups, find_relations
from newsdedup.model import Story, finish
from newsdedup.pipeline import scan
from newsdedup.signatures import shingle_sets, signatures
from newsdedup.text import words
from newsdedup.workspace.rescan import rescan
from newsdedup.workspace.store import Workspace

FORMULA = ("said it filed a registration statement with the Securities and Exchange Commission covering a "
           "proposed offering of convertible subordinated debentures due 1997 through underwriters led by")
QUOTE = ("the harbour bridge at Lisbon would close for nine days from March three while engineers replace "
         "all one hundred and twelve of its suspension cables")


def _own(k: int, n: int = 30) -> str:
    return " ".join(f"story{k}word{i}" for i in range(n))


@pytest.fixture
def filings(tmp_path):
    """Twelve filings that share one formula sentence, and two reports that share a specific quote."""
    folder = tmp_path / "desk"
    folder.mkdir()
    for k in range(12):
        (folder / f"filing{k:02d}.txt").write_text(f"Company{k} Corp {FORMULA} Bank{k}. {_own(k)}.\n",
                                                      encoding="utf-8")
    (folder / "report-a.txt").write_text(f"{_own(100)}. The minister said {QUOTE}. {_own(101)}.\n",
                                           encoding="utf-8")
    (folder / "report-b.txt").write_text(f"{_own(200)}. Officials confirmed {QUOTE}.\n", encoding="utf-8")
    return folder


def _kinds(result):
    return {frozenset((result.story(r.story_a).doc_id, result.story(r.story_b).doc_id)): r.kind
            for r in result.relations}


def test_a_formula_many_stories_use_is_not_reuse_but_a_specific_quote_is(filings):
    result = scan([filings])
    kinds = _kinds(result)
    # each filing has 20 of its ~45 five-word runs in every other: a containment of 0.4, all of it stock
    assert not any(k == "partial_reuse" for pair, k in kinds.items() if all(p.startswith("filing") for p in pair))
    assert kinds[frozenset(("report-a.txt", "report-b.txt"))] == "partial_reuse"


def test_the_pair_view_passages_mark_the_formula_as_stock_and_the_quote_not(filings):
    result = scan([filings])
    by_doc = {s.doc_id: s for s in result.stories}
    formula = shared_passages(result, by_doc["filing00.txt"], by_doc["filing01.txt"])
    assert formula and all(p.stock for p in formula)
    quote = shared_passages(result, by_doc["report-a.txt"], by_doc["report-b.txt"])
    assert quote and not any(p.stock for p in quote)
    text = result.document("report-a.txt").text
    assert "harbour bridge at Lisbon" in text[quote[0].a_start:quote[0].a_end]


def _found(texts: list[str], settings=DuplicateSettings()):
    stories = [Story(story_id=f"s{k:04d}", doc_id=f"s{k:04d}", story_index=0, start=0, end=len(t))
               for k, t in enumerate(texts)]
    sets = shingle_sets([words(t) for t in texts], settings.shingle_size)
    sigs = signatures(sets, settings.num_perm, settings.seed)
    return stories, sets, finish(find_relations(stories, sets, sigs, settings)).relations


def test_a_copy_with_a_paragraph_added_is_a_copy_with_changes_of_its_original():
    original = _own(1, 100)
    stories, sets, relations = _found([original, original + " " + _own(2, 30), _own(3, 100)])
    [rel] = relations
    assert rel.kind == "copy_with_changes" and rel.containment_a_in_b == 1.0 and 0.5 <= rel.jaccard < 0.8
    groups = duplicate_groups(stories, sets, relations)
    assert sorted(len(g.members) for g in groups) == [1, 2]


@pytest.mark.parametrize("changed", [False, True])
def test_a_big_copy_group_is_listed_once_per_copy_against_its_original(changed):
    # 300 copies (each with one word of its own, or none): 299 rows, not 44,850
    base = _own(7, 200).split()
    texts = []
    for k in range(300):
        copy = list(base)
        if changed:
            copy[(k * 37) % 200] = f"changed{k}"
        texts.append(" ".join(copy))
    stories, sets, relations = _found(texts)
    canonical = duplicate_groups(stories, sets, relations)[0].canonical
    assert len(relations) == 299
    assert all(canonical in (r.story_a, r.story_b) for r in relations)
    assert {r.kind for r in relations} == ({"near_duplicate"} if changed else {"exact"})
    assert [len(g.members) for g in duplicate_groups(stories, sets, relations)] == [300]


def test_a_workspace_keeps_what_tells_stock_phrasing(filings, tmp_path):
    path = tmp_path / "desk.newsdedup"
    result = rescan(path, [filings])
    assert result.common_phrases  # the formula's runs: twelve stories hold them
    with Workspace.open(path) as ws:
        loaded = ws.load()
    assert loaded.common_phrases == result.common_phrases
    by_doc = {s.doc_id: s for s in loaded.stories}
    assert all(p.stock for p in shared_passages(loaded, by_doc["filing00.txt"], by_doc["filing01.txt"]))


def _reply(quoted: str, k: int, n: int = 40) -> str:
    """A mail replying to ``quoted``: its lines quoted with '> ', then a reply of its own."""
    quote = "\n".join("> " + line for line in quoted.splitlines())
    return f"In article <{k}@example.org> someone{k} writes:\n{quote}\n\n{_own(k, n)}\n"


@pytest.fixture
def thread(tmp_path):
    """A thread of quoted replies: B quotes all of A and adds its own, C quotes all of B, D all of C."""
    folder = tmp_path / "thread"
    folder.mkdir()
    posts = [_own(1, 60) + "\n"]
    for k in (2, 3, 4):
        posts.append(_reply(posts[-1], k))
    for name, text in zip("abcd", posts):
        (folder / f"post-{name}.txt").write_text(text, encoding="utf-8")
    return folder


def test_a_thread_of_quoted_replies_is_not_one_copy_group_yet_each_reply_is_built_on_the_last(thread):
    result = scan([thread])
    group_of = {result.story(m).doc_id: g.group_id for g in result.groups for m in g.members}
    assert len(set(group_of.values())) > 1  # A is a fifth of D: the ends of the thread are no copies of one text
    for g in result.groups:  # every member of a group is a copy of the group's original by its own scores
        assert all(kind in ("exact", "near_duplicate", "copy_with_changes") for kind, _j, _c in g.scores[1:])
    kinds = _kinds(result)
    posts = [f"post-{name}.txt" for name in "abcd"]
    for older, newer in zip(posts, posts[1:]):  # each reply is a copy of the last or shown as built on it
        assert group_of[older] == group_of[newer] or kinds.get(frozenset((older, newer))) == "partial_reuse"
    copies = [r for r in result.relations if r.kind != "partial_reuse"]
    assert len(copies) == sum(len(g.members) - 1 for g in result.groups)  # each copy once, against its original


NOTICE = ("{company}, a subsidiary of {parent}, said it is lowering its copper cathode price by {cut} cent to "
          "{price} cents a lb, effective immediately, and that its rod price falls by the same amount to {rod} "
          "cents a lb for delivery in {month}.")
STATEMENT = ("Finance Minister Arnold Vestergaard said the strengthening of the krone against the dollar that has "
             "occurred since the Oslo agreement was within the range agreed on in the Bergen discussions. He added "
             "that the current talks were a reaffirmation of that agreement, indicating that the solidarity seen "
             "in Oslo was still in place.")


@pytest.fixture
def series(tmp_path):
    """Two price notices of one form with other figures and names, and a statement and its re-edited version."""
    folder = tmp_path / "wire"
    folder.mkdir()
    (folder / "notice-1.txt").write_text(NOTICE.format(company="Halvard Copper Co", parent="Brenn Mining Corp",
                                                       cut="0.25", price="65.50", rod="68.75", month="May"))
    (folder / "notice-2.txt").write_text(NOTICE.format(company="Osterby Metals Inc", parent="Kalmar Holdings",
                                                       cut="0.50", price="66.00", rod="69.25", month="June"))
    (folder / "statement.txt").write_text(STATEMENT)
    edited = (STATEMENT.replace("that has occurred ", "").replace("agreed on in", "agreed in")
              .replace("He added", "He said").replace("indicating", "saying"))
    (folder / "statement-edited.txt").write_text(edited)
    return folder


def test_two_items_of_one_series_are_not_reuse_but_an_edited_statement_is(series):
    kinds = _kinds(scan([series]))
    assert frozenset(("notice-1.txt", "notice-2.txt")) not in kinds  # one form, each filled with its own figures
    assert kinds[frozenset(("statement.txt", "statement-edited.txt"))] in ("partial_reuse", "copy_with_changes")


SIGNATURE = ("--\n Halvor Brekke      \"A hacker is any person who derives joy from\n"
             " hb@fjord.example   discovering ways to circumvent limitations.\"\n"
             "-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-=-\n"
             "\"I recognize that a class of criminals has taken to calling themselves hackers,\n"
             "but I consider them irrelevant to the true meaning of the word.\"\n")


def test_two_posts_of_one_sender_sharing_only_a_signature_are_not_reuse_but_a_quoted_reply_is(tmp_path):
    folder = tmp_path / "group"
    folder.mkdir()
    post = _own(1, 60).replace("word30 ", "word30\n") + "\n"
    (folder / "post.txt").write_text(post + SIGNATURE)
    (folder / "other-post.txt").write_text(_own(2, 60) + "\n" + SIGNATURE)
    (folder / "reply.txt").write_text(_reply(post, 3, 80))
    kinds = _kinds(scan([folder]))
    assert frozenset(("post.txt", "other-post.txt")) not in kinds  # the sender's signature: boilerplate
    assert kinds[frozenset(("post.txt", "reply.txt"))] == "partial_reuse"


def _replies(tmp_path, with_post: bool):
    """Two replies quoting one post whole and a reply quoting the first reply; the post itself only
    ``with_post``. Returns the relation kinds and each file's group original (which stands for its copies:
    reply-1 may be a copy with cuts of the reply to it)."""
    folder = tmp_path / "replies"
    folder.mkdir()
    post = _own(1, 60) + "\n"
    first = _reply(post, 2, 80)
    if with_post:
        (folder / "post.txt").write_text(post)
    (folder / "reply-1.txt").write_text(first)
    (folder / "reply-2.txt").write_text(_reply(post, 3, 80))
    (folder / "reply-to-reply-1.txt").write_text(_reply(first, 4, 80))
    result = scan([folder])
    head = {result.story(m).doc_id: result.story(g.canonical).doc_id for g in result.groups for m in g.members}
    return _kinds(result), head


def test_two_replies_quoting_one_post_are_each_built_on_it_not_on_each_other(tmp_path):
    kinds, head = _replies(tmp_path, with_post=True)
    for reply in ("reply-1.txt", "reply-2.txt"):  # each quotes the post whole
        assert kinds[frozenset(("post.txt", head[reply]))] in ("partial_reuse", "copy_with_changes")
    assert frozenset((head["reply-1.txt"], head["reply-2.txt"])) not in kinds  # they share the post's text only
    assert (head["reply-1.txt"] == head["reply-to-reply-1.txt"]
            or kinds[frozenset(("reply-1.txt", "reply-to-reply-1.txt"))] == "partial_reuse")


def test_two_replies_to_a_post_not_in_the_folder_share_only_its_quote_and_are_not_reuse(tmp_path):
    kinds, head = _replies(tmp_path, with_post=False)  # the post is quoted by both replies, not in the folder
    assert frozenset((head["reply-1.txt"], head["reply-2.txt"])) not in kinds  # both quote the post, that is all
    assert (head["reply-1.txt"] == head["reply-to-reply-1.txt"]  # a reply quoting reply-1 is built on it
            or kinds[frozenset(("reply-1.txt", "reply-to-reply-1.txt"))] == "partial_reuse")


def test_the_reuse_rules_decide_alike_on_worker_processes(series, monkeypatch):
    """With many reuse pairs the series and quote rules run on worker processes, a chunk of pairs at a time
    (here every pair count sends them there, one pair a chunk): the same pairs are dropped as in the scan's
    own process, the two notices of one form and the two replies that share only their quote."""
    folder = series
    post = _own(1, 60) + "\n"
    (folder / "reply-1.txt").write_text(_reply(post, 2, 80))
    (folder / "reply-2.txt").write_text(_reply(post, 3, 80))
    here = _kinds(scan([folder], workers=1))
    from newsdedup.dedup import rules
    monkeypatch.setattr(rules, "RULE_PAIRS", 1)
    monkeypatch.setattr(rules, "POOL_PAIRS", 1)
    there = _kinds(scan([folder], workers=2))
    assert there == here
    assert frozenset(("notice-1.txt", "notice-2.txt")) not in there  # one form, each filled with its own figures
    assert frozenset(("reply-1.txt", "reply-2.txt")) not in there  # both quote the post, that is all
    assert there[frozenset(("statement.txt", "statement-edited.txt"))] in ("partial_reuse", "copy_with_changes")


def test_counting_shared_runs_a_pair_at_a_time_grades_every_pair_alike_and_reports_between(filings, tmp_path,
                                                                                             monkeypatch):
    """Shared runs are counted a slice of pairs at a time, each slice sized to take about half a second, with
    a progress report after each: one pair a slice gives the same relations and more reports."""
    folder = filings
    post = _own(1, 60) + "\n"
    (folder / "reply-1.txt").write_text(_reply(post, 2, 80))
    (folder / "reply-2.txt").write_text(_reply(post, 3, 80))

    def scanned():
        reports = []
        result = scan([folder], workers=1, on_progress=lambda p: reports.append(p.stage))
        return _kinds(result), reports.count("candidates")

    whole, reports_whole = scanned()
    from newsdedup.dedup import shared
    monkeypatch.setattr(shared, "FIRST_SLICE", 1)
    monkeypatch.setattr(shared, "SMALLEST_SLICE", 1)
    monkeypatch.setattr(shared, "SLICE_SECONDS", 0.0)
    sliced, reports_sliced = scanned()
    assert sliced == whole
    assert whole[frozenset(("report-a.txt", "report-b.txt"))] == "partial_reuse"  # the specific quote
    assert reports_sliced > reports_whole


def test_gathering_the_shingles_a_few_stories_at_a_time_finds_the_same_copies_reuse_and_events(filings,
                                                                                                 monkeypatch):
    """The bulk passes over every story's shingles (joining the batches, the common phrases, the sampled
    shingles two stories share) run a range of stories at a time with a report after each: ranges of a
    single shingle give the same result as one range, and more reports."""
    (filings / "copy.txt").write_text((filings / "report-a.txt").read_text() + "\nEnds.\n")

    def scanned():
        reports = []
        result = scan([filings], workers=1, on_progress=lambda p: reports.append(p.stage))
        groups = sorted(sorted(g.members) for g in result.groups)
        return (_kinds(result), groups, sorted(e.story_ids for e in result.events), result.common_phrases,
                len(reports))

    *whole, reports_whole = scanned()
    from newsdedup.dedup import shared
    monkeypatch.setattr(shared, "VALUES_AT_ONCE", 1)
    *ranged, reports_ranged = scanned()
    assert ranged == whole
    kinds = whole[0]
    assert kinds[frozenset(("report-a.txt", "copy.txt"))] in ("exact", "near_duplicate", "copy_with_changes")
    assert "partial_reuse" in {k for pair, k in kinds.items() if "report-b.txt" in pair}, "the specific quote"
    assert any(len(g) == 2 for g in whole[1]), "the copy is in a group with its original"
    assert reports_ranged > reports_whole
