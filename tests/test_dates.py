"""Where a story's date comes from: its record's date field, else its own head or page stamps, else nothing.

Every case is a file on disk scanned as a user scans a folder; the texts follow real pages of ecbplus.
"""

from __future__ import annotations

import datetime as dt
import json

from newsdedup.model import DateProvenance
from newsdedup.pipeline import scan
from newsdedup.settings import Settings

LEDE = ("Superior Court Judge James Bodiford on Saturday suggested that Nichols should serve his time in the "
        "federal maximum security prison known as Supermax, where the most dangerous inmates are held.\n")
FILLER = "".join(f"The judge said the decision was not his to make, and that the prison authorities would weigh "
                 f"the {n} request with the usual care before any transfer could take place this year.\n"
                 for n in ("first", "second", "third", "fourth"))


def _dates(tmp_path, files: dict[str, str]) -> dict[str, tuple[dt.date | None, DateProvenance]]:
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = scan([tmp_path], Settings(today=dt.date(2026, 1, 1)))
    return {s.story_id.split("#")[0]: (s.published, s.date_provenance) for s in result.stories}


def test_a_records_date_field_wins_over_dates_in_its_text(tmp_path):
    record = {"id": "a", "date": "2013-05-03", "title": "Lohan checks in",
              "text": "June 13, 2013\n" + LEDE + FILLER}
    (tmp_path / "feed.jsonl").write_text(json.dumps(record), encoding="utf-8")
    story = scan([tmp_path]).stories[0]
    assert (story.published, story.date_provenance) == (dt.date(2013, 5, 3), DateProvenance.METADATA)


def test_a_date_deep_in_the_story_is_about_something_else(tmp_path):
    body = LEDE + FILLER + "The prison holds shoe bomber Richard Reid, and men convicted over Sept. 11, 2001.\n"
    got = _dates(tmp_path, {"nichols.txt": body})
    assert got["nichols.txt"] == (None, DateProvenance.NONE)


def test_a_stamp_or_dateline_at_the_top_dates_the_story(tmp_path):
    got = _dates(tmp_path, {
        "posted.txt": "Posted Oct 26, 2011 8:57 AM CDT\n" + LEDE + FILLER + "He was first jailed on May 30, 2005.\n",
        "capitals.txt": "10: 55 P. M. FEB. 2, 2009\n" + LEDE + FILLER,
    })
    assert got["posted.txt"] == (dt.date(2011, 10, 26), DateProvenance.EXPLICIT)
    assert got["capitals.txt"] == (dt.date(2009, 2, 2), DateProvenance.EXPLICIT)


def test_a_photo_caption_dates_a_story_whose_head_has_no_date(tmp_path):
    caption = ("Rutte arrives at the Annual Meeting of World Economic Forum in Davos, Switzerland, Wednesday, "
               "Jan. 22, 2025. (AP Photo/Markus Schreiber)\n")
    got = _dates(tmp_path, {"davos.txt": LEDE + FILLER + caption + "More Images\n" + caption})
    assert got["davos.txt"] == (dt.date(2025, 1, 22), DateProvenance.EXPLICIT)


def test_a_weekday_next_to_a_day_and_month_takes_its_year_from_the_folder_not_from_years_it_mentions(tmp_path):
    gaza = ("Pressure to obtain a ceasefire in Gaza has been mounting, while Israeli forces on Tuesday "
            "(6 January) killed at least 40 people at a school.\n" + FILLER
            + "Israel broke the cease-fire agreed on 19 June 2008 on 4 November 2008.\n")
    alone = tmp_path / "alone"
    alone.mkdir()
    # the dates the story mentions are about other things: alone, nothing tells its year
    assert _dates(alone, {"gaza.txt": gaza})["gaza.txt"] == (None, DateProvenance.NONE)
    folder = tmp_path / "folder"
    folder.mkdir()
    got = _dates(folder, {"gaza.txt": gaza, "un.txt": "Jan. 5, 2009\nThe UN Security Council met on Gaza.\n"})
    assert got["gaza.txt"] == (dt.date(2009, 1, 6), DateProvenance.INFERRED)  # not 2015, also a Tuesday


def test_a_date_inside_a_sentence_at_the_top_is_not_the_publication_date(tmp_path):
    got = _dates(tmp_path, {
        "hailey.txt": "Novelist Arthur Hailey, who has died at the age of 84, was born in Luton on 5 April 1920 "
                      "and wrote Airport.\n" + FILLER,
        "deadline.txt": "Foreign firms have until 15 July 2006 to meet the new rules, the watchdog said.\n" + FILLER,
        "results.txt": "Reporting its results for the three months to 31 December 2004, the airline said fuel "
                       "costs rose.\n" + FILLER,
    })
    assert all(value == (None, DateProvenance.NONE) for value in got.values())


def test_a_match_preview_with_a_kick_off_time_and_an_old_record_gets_no_wrong_year(tmp_path):
    preview = ("Lansdowne Road, Dublin\n\nSunday, 27 February\n\n1500 GMT\n\nBBC1, Radio 4 LW and this website\n\n"
               "Ireland are going for their first Grand Slam since 1948 after beating Italy and Scotland.\n" + FILLER)
    kick_off = "Ewood Park\n\nTuesday, 1 March\n\n2000 GMT\n\nHoward Webb (South Yorkshire)\n\n" + FILLER
    alone = tmp_path / "alone"
    alone.mkdir()
    got = _dates(alone, {"preview.txt": preview, "kickoff.txt": kick_off})
    assert got == {"preview.txt": (None, DateProvenance.NONE), "kickoff.txt": (None, DateProvenance.NONE)}
    # with the folder's other stories published in February 2005, the weekday gives 2005
    folder = tmp_path / "folder"
    folder.mkdir()
    got = _dates(folder, {"preview.txt": preview, "kickoff.txt": kick_off,
                          "news.txt": "Published: 25 February 2005\nThe Six Nations resumes this weekend.\n"})
    assert got["preview.txt"] == (dt.date(2005, 2, 27), DateProvenance.INFERRED)
    assert got["kickoff.txt"] == (dt.date(2005, 3, 1), DateProvenance.INFERRED)


def test_a_day_and_month_that_merely_share_a_paragraph_with_a_weekday_infer_nothing(tmp_path):
    escape = ("The Texas Department of Criminal Justice made sweeping changes at a prison, the agency announced "
              "Tuesday. The Nov. 30 escape by Arcade Comeaux embarrassed officials.\n" + FILLER)
    got = _dates(tmp_path, {"escape.txt": escape})
    assert got["escape.txt"] == (None, DateProvenance.NONE)


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


def test_a_date_far_from_every_other_date_of_the_folder_needs_a_stamp(tmp_path):
    news = {f"n{k}.txt": f"Dec. {k}, 2024\nMinisters met in Brussels on the alliance's budget.\n" for k in (2, 3, 4)}
    plain = tmp_path / "plain"
    plain.mkdir()
    got = _dates(plain, {**news, "old.txt": "5 April 1920\nA novelist was born in Luton, and wrote Airport.\n"})
    assert got["old.txt"] == (None, DateProvenance.NONE)  # a date line alone, decades from the rest
    assert got["n3.txt"] == (dt.date(2024, 12, 3), DateProvenance.EXPLICIT)
    stamped = tmp_path / "stamped"
    stamped.mkdir()
    got = _dates(stamped, {**news, "old.txt": "Published: 5 April 1998\nAn archive page from the paper.\n"})
    assert got["old.txt"] == (dt.date(1998, 4, 5), DateProvenance.EXPLICIT)


def test_a_short_sentence_on_a_line_of_its_own_does_not_date_the_story():
    """A Reuters brief's note "Company was formed Dec 30, 1985." is about the company, not the brief."""
    from newsdedup.stories.dates import explicit_date

    brief = ("CPL REIT <CNTRS> 4TH QTR NET\nShr 24 cts\nNet 412,737\nNOTE: Full name CPL Real Estate Investment "
             "Trust.\nCompany was formed Dec 30, 1985.\n")
    assert explicit_date(brief) is None
    assert explicit_date("Markets rally on rate hopes\nBy Jane Smith, Reuters\nDec 30, 1985\n\nStocks rose.") \
        == __import__("datetime").date(1985, 12, 30)  # a byline's date line still dates the story
