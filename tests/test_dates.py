"""Publication dates read from story text, as a user would check them against the page."""

from __future__ import annotations

import datetime as dt

from newsdedup.pipeline import scan

TODAY = dt.date(2026, 1, 1)


def _dates(folder, articles: dict[str, str]) -> dict[str, tuple]:
    for name, text in articles.items():
        (folder / name).write_text(text, encoding="utf-8")
    result = scan([folder])
    return {s.doc_id: (s.published, s.date_provenance.value) for s in result.stories}


def test_shouted_and_dashed_datelines_are_read(tmp_path):
    got = _dates(tmp_path, {
        "a.txt": "WEDNESDAY, APRIL 24TH, 2013 AT 10:40 AM\nBlackBerry's new phone reaches T-Mobile stores.",
        "b.txt": "10:55 P.M. FEB. 2, 2009\nChargers lineman Jamal Williams was arrested early Sunday.",
        "c.txt": "Sunday, November 27 - 2005 at 16:12\nAn earthquake shook southern Iran on Sunday.",
    })
    assert got["a.txt"] == (dt.date(2013, 4, 24), "explicit")
    assert got["b.txt"] == (dt.date(2009, 2, 2), "explicit")
    assert got["c.txt"] == (dt.date(2005, 11, 27), "explicit")


def test_a_weekday_gives_the_year_only_when_the_folder_s_dates_agree_on_one(tmp_path):
    near = tmp_path / "near"
    near.mkdir()
    got = _dates(near, {
        "a.txt": "Dec. 3, 2024\nMinisters met in Brussels on the alliance's budget.",
        "b.txt": "Jan. 10, 2025\nMinisters met again in Brussels.",
        "c.txt": "On Tuesday, December 2, ministers met in Brussels for the third time.",
    })
    assert got["c.txt"] == (dt.date(2025, 12, 2), "inferred")
    spread = tmp_path / "spread"
    spread.mkdir()
    got = _dates(spread, {
        "a.txt": "May 3, 2001\nA court heard the case.",
        "b.txt": "May 3, 2007\nA court heard another case.",
        "c.txt": "May 3, 2013\nA court heard a third case.",
        "d.txt": "On Tuesday, December 2, a court heard the appeal.",
    })
    # 2008, 2014 and 2003 all put 2 December on a Tuesday: with dates over twelve years, none is the answer
    assert got["d.txt"] == (None, "none")
