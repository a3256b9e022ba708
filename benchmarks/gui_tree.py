"""Showing a big result in the desktop app: the tree, the timeline and a click on a story.

Builds a made-up result of ``--stories`` stories (events of many sizes, some with copies, one undated
event), then times ``show_result`` and a story click at a tenth of that size and at full size, in the
same invocation. Work that grows with the number of stories gives a ratio near 10; a ratio near 100 means
something scales with its square (as re-measuring every row on each expand once did).

    QT_QPA_PLATFORM=offscreen python benchmarks/gui_tree.py [--stories 5000]
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from newsdedup.model import Document, DuplicateGroup, Event, Relation, ScanResult, Story  # noqa: E402


def made_up_result(n: int, seed: int = 7) -> ScanResult:
    rng = random.Random(seed)
    docs, stories, groups, events, relations = [], [], [], [], []
    day0 = dt.date(2024, 1, 1)
    i = 0
    while i < n:
        size = min(n - i, max(1, int(rng.paretovariate(1.2))))
        when = None if not events else day0 + dt.timedelta(days=rng.randrange(365))
        ids = []
        while len(ids) < size:
            copies = min(size - len(ids), rng.choice((1, 1, 1, 2, 3)))
            members = []
            for _ in range(copies):
                sid = f"f{i:06d}.txt#0"
                text = f"Headline {i}\n\n" + " ".join(rng.choice(("harbour", "council", "vote", "road", "storm"))
                                                     for _ in range(150))
                docs.append(Document(doc_id=f"f{i:06d}.txt", path=f"f{i:06d}.txt", root="/desk", record_id="",
                                     text=text))
                stories.append(Story(story_id=sid, doc_id=f"f{i:06d}.txt", story_index=0, start=0,
                                     end=len(text), title=f"Headline {i}", source=f"Outlet {i % 40}",
                                     published=when, words=151))
                members.append(sid)
                i += 1
            groups.append(DuplicateGroup(group_id=len(groups), canonical=members[0], members=tuple(members),
                                         scores=(("canonical", 1.0, 1.0),) + tuple(
                                             ("near_duplicate", 0.9, 0.95) for _ in members[1:])))
            relations += [Relation(members[0], m, "near_duplicate", 0.9, 0.95, 0.95, 140) for m in members[1:]]
            ids += members
        events.append(Event(event_id=len(events), label=f"topic{len(events)} · words", start=when, end=when,
                            story_ids=tuple(ids)))
    return ScanResult(documents=tuple(docs), stories=tuple(stories), relations=tuple(relations),
                      groups=tuple(groups), events=tuple(events))


def timed(window, app, result) -> tuple[float, float]:
    t = time.perf_counter()
    window.show_result(result)
    app.processEvents()
    shown = time.perf_counter() - t
    story = next(r.story_a for r in result.relations)
    t = time.perf_counter()
    window.select("story", story)
    app.processEvents()
    return shown, time.perf_counter() - t


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stories", type=int, default=5000)
    args = parser.parse_args()
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp())
    from newsdedup.gui import create_window

    rows = []
    for n in (args.stories // 10, args.stories):
        result = made_up_result(n)
        window = create_window()
        window.resize(1280, 820)
        window.show()
        app = QApplication.instance()
        app.processEvents()
        rows.append((n, len(result.events), *timed(window, app, result)))
        window.close()
    for n, events, shown, click in rows:
        print(f"{n:6d} stories, {events:5d} events: show result {shown:6.3f} s, click a story {click:6.3f} s")
    (small, _, s_show, s_click), (big, _, b_show, b_click) = rows
    print(f"ratio for {big / small:.0f}x the stories: show result {b_show / s_show:.1f}x, "
          f"click {b_click / max(s_click, 1e-6):.1f}x")


if __name__ == "__main__":
    main()
