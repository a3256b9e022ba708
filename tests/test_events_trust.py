"""Events on news nobody tuned for: dates trusted by where they came from, undated stories that join one
event at most, template briefs kept apart by what differs, and the outlet a story names itself.

Every case is a folder of article files scanned as a user scans one.
"""

from __future__ import annotations

import csv
import io
import json

from newsdedup.events.subjects import joined_names, names_seen, subject_ids
from newsdedup.export import CLUSTER_COLUMNS, cluster_rows, csv_text
from newsdedup.model import SourceProvenance
from newsdedup.pipeline import scan
from newsdedup.workspace.rescan import rescan
from newsdedup.workspace.store import Workspace

# a running story: a shutdown's first day and its second week, each told by two outlets on the day
DAY_ONE = [
    "Government shuts down as Senate talks collapse. Federal agencies closed on Saturday after senators failed "
    "to pass a spending bill; 800,000 federal workers face furloughs, and the White House blamed Democrats.",
    "Shutdown begins after Congress misses deadline. The federal government shut down at midnight when the "
    "Senate vote on the spending bill failed; furloughs start for 800,000 workers as both parties trade blame.",
]
WEEK_TWO = [
    "Shutdown enters second week with no deal. Federal workers missed their first paycheck on Friday as the "
    "shutdown dragged on; the Senate adjourned without a vote and the White House and Democrats traded blame.",
    "No end in sight as shutdown drags into second week. Airports report long lines as unpaid federal workers "
    "call in sick; Senate leaders said talks on the spending bill would resume after the weekend.",
]
BOTH = ("Shutdown: what it means for federal workers. The spending bill failed in the Senate, the government shut "
        "down, federal workers are furloughed, and the White House and Democrats blame each other.")


def _records(tmp_path, records) -> list:
    lines = [json.dumps({"id": f"r{n}", "source": f"Outlet {n}", **rec}) for n, rec in enumerate(records)]
    (tmp_path / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = scan([tmp_path])
    ids = {s.story_id: s.doc_id.split("#")[1] for s in result.stories}
    return [{ids[sid] for sid in e.story_ids} for e in result.events]


def test_two_episodes_of_a_running_story_a_week_apart_are_two_events(tmp_path):
    events = _records(tmp_path, [{"date": "2018-12-22", "text": t} for t in DAY_ONE]
                      + [{"date": "2018-12-29", "text": t} for t in WEEK_TWO])
    assert sorted(map(sorted, events)) == [["r0", "r1"], ["r2", "r3"]]


def test_a_story_without_a_date_does_not_join_two_dated_events_into_one(tmp_path):
    events = _records(tmp_path, [{"date": "2018-12-22", "text": t} for t in DAY_ONE]
                      + [{"date": "2018-12-29", "text": t} for t in WEEK_TWO] + [{"date": None, "text": BOTH}])
    assert not any({"r0", "r2"} <= e or {"r1", "r3"} <= e for e in events)  # the episodes stay apart
    assert sum("r4" in e for e in events) == 1



def test_two_undated_reports_of_a_later_episode_stay_their_own_event(tmp_path):
    """Two undated reports of a shutdown's second week are far more alike to each other than to the dated
    reports of its first day: they are a happening of their own, not the first day's event (pac_train: an
    undated pair on 22 states suing over a power-plant rule joined the dated reports of the EPA's rule)."""
    week_two = [
        "Shutdown enters second week as federal workers miss first paycheck. Federal workers missed their first "
        "paycheck on Friday as the shutdown entered its second week; airports reported long security lines and "
        "the Senate adjourned without a vote on the spending bill.",
        "Federal workers miss first paycheck as shutdown enters second week. Unpaid federal workers missed their "
        "first paycheck on Friday, airports reported long security lines, and the Senate left without voting on "
        "the spending bill as the shutdown entered its second week.",
    ]
    events = _records(tmp_path, [{"date": "2018-12-22", "text": t} for t in DAY_ONE]
                      + [{"date": None, "text": t} for t in week_two])
    assert sorted(map(sorted, events)) == [["r0", "r1"], ["r2", "r3"]]


# two happenings of one attorney general, months apart, each reported by a dated and an undated story
CRACKDOWN = [
    "Marijuana industry braces for federal crackdown. Attorney General Jeff Sessions rescinded the Cole memo on "
    "Thursday, letting federal prosecutors pursue marijuana cases in states where cannabis is legal; growers "
    "and dispensaries in Colorado and Oregon fear raids.",
    "Sessions is leading America back into Reefer Madness. By rescinding the Cole memo on Thursday, Jeff "
    "Sessions freed federal prosecutors to raid marijuana growers and dispensaries in states where cannabis is "
    "legal, from Colorado to Oregon; the crackdown ignores what voters decided.",
]
SANCTUARY = [
    "Sessions likens California sanctuary laws to secession. Attorney General Jeff Sessions sued California "
    "over three sanctuary laws that limit cooperation with immigration agents, and told police officers in "
    "Sacramento that the state obstructs federal law.",
    "Sessions targets California immigrants. The Justice Department lawsuit filed by Attorney General Jeff "
    "Sessions asks a judge to strike down California's sanctuary laws, which bar police from helping "
    "immigration agents detain immigrants.",
]


def test_undated_stories_each_join_the_dated_report_they_match_not_each_other(tmp_path):
    """Two undated stories of one attorney general share his name and title, but each matches a dated report
    of its own happening far better: each joins that report, rather than the two forming an event of their
    own that neither happening's report can take in."""
    events = _records(tmp_path, [{"date": "2018-01-04", "text": CRACKDOWN[0]}, {"date": None, "text": CRACKDOWN[1]},
                                 {"date": "2018-03-07", "text": SANCTUARY[0]}, {"date": None, "text": SANCTUARY[1]}])
    assert sorted(map(sorted, events)) == [["r0", "r1"], ["r2", "r3"]]


# a veto reported by a dated and an undated story, and three dated reports of another veto months before
DEFENSE_VETO = [
    "Trump vetoes $740 billion defense bill. President Trump vetoed the National Defense Authorization Act on "
    "Wednesday, objecting to its plan to rename military bases honouring Confederate generals and to its "
    "silence on Section 230; the House and Senate passed it with veto-proof majorities.",
    "Trump vetoes defense bill. The president vetoed the defense bill the Congress passed, over its renaming "
    "of bases honouring Confederate generals; House and Senate leaders said they would vote to override the "
    "veto.",
]
YEMEN_VETO = [
    "Trump vetoes resolution to end US support for Saudi war in Yemen. The president vetoed a bipartisan "
    "resolution of the Congress; Democrats said the House would try to override the veto.",
    "Second veto of his presidency: Trump rejects Yemen war powers resolution. Congress lacks the votes to "
    "override, leaders of the House said after the president vetoed the bill.",
    "President vetoes Yemen measure. Trump used his veto against a Congress resolution on the Saudi-led war "
    "in Yemen; an override vote in the House is expected to fail.",
]


def test_an_undated_story_joins_the_report_it_matches_over_an_event_of_many_weaker_matches(tmp_path):
    """What an undated story matches best is one report: its strong match with the dated report of its own
    veto outweighs its weak matches with the three reports of another veto, though these add up."""
    events = _records(tmp_path, [{"date": "2020-12-23", "text": DEFENSE_VETO[0]}, {"date": None, "text": DEFENSE_VETO[1]}]
                      + [{"date": "2019-04-16", "text": t} for t in YEMEN_VETO])
    assert sorted(map(sorted, events)) == [["r0", "r1"], ["r2", "r3", "r4"]]


def test_a_story_whose_nearest_neighbour_is_barely_alike_stays_on_its_own(tmp_path):
    """Seen in the BBC folder: "Comic Morris returns with sitcom" has no other report; its nearest stories
    (a report on ethnic producers, cosine 0.10; "UKIP's secret weapon?", 0.10) took it in, since all of its
    little link weight went to them."""
    texts = [
        "Comic returns with new sitcom. The satirist behind Brass Eye returns to Channel 4 with Nathan Barley, a sitcom "
        "about a London media hipster written with Charlie Brooker, starring Nicholas Burns and Claire Keelan, "
        "which the broadcaster hopes will win back younger television viewers; its producers won funding.",
        "Ethnic producers face barriers. Black and Asian producers find it harder to get funding for films and television "
        "programmes, a report for the UK Film Council says, calling on broadcasters such as Channel 4 to do more.",
        "Minority producers held back, report says. Producers from ethnic minorities struggle to win funding for film and "
        "television work, according to a UK Film Council study that urges broadcasters to act.",
    ]
    events = _records(tmp_path, [{"date": None, "text": t} for t in texts])
    assert sorted(map(sorted, events)) == [["r0"], ["r1", "r2"]]

BRIEFS = {
    "svc.txt": "SERVICE CORP INTERNATIONAL <SRV> 3RD QTR NET\nQtr ended Jan 31\nShr 33 cts vs 29 cts\n"
               "Net 14.8 mln vs 11 mln\nRevs 108.6 mln vs 70.0 mln\nAvg shrs 45.2 mln vs 37.6 mln\nReuter\n",
    "dds.txt": "DILLARD DEPARTMENT STORES INC <DDS> 4TH QTR NET\nQtr ended Jan 31\nShr 1.16 dlrs vs 1.15 dlrs\n"
               "Net 32.4 mln vs 33.5 mln\nRevs 629.0 mln vs 538.6 mln\nAvg shrs 32.1 mln vs 29.2 mln\nReuter\n",
    "dlog.txt": "DISTRIBUTED LOGIC CORP <DLOG> 1ST QTR LOSS\nQtr ended Jan 31\nShr loss nine cts vs profit 13 cts\n"
                "Net loss 231,256 vs profit 341,730\nRevs 2,793,677 vs 3,676,296\nReuter\n",
}


def test_earnings_briefs_of_different_companies_are_different_events(tmp_path):
    for name, text in BRIEFS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    result = scan([tmp_path])
    assert len(result.events) == 3
    # their outlet is named in their own text: the sign-off only Reuters writes
    assert {(s.source, s.source_provenance) for s in result.stories} == {("Reuters", SourceProvenance.TEXT)}



def test_template_briefs_without_a_ticker_are_told_apart_by_their_names_and_figures(tmp_path):
    """Briefs of companies without a ticker: by the name the wire puts in brackets, and, where no name is
    bracketed, by their figures: two heads of three figures or more that share none are two items."""
    briefs = {
        "ivaco.txt": "<IVACO INC> YEAR NET\nShr 1.11 dlrs vs 1.04 dlrs\nNet 48.2 mln vs 41.6 mln\n"
                     "Revs 1.94 billion vs 1.34 billion\nReuter\n",
        "trimac.txt": "<TRIMAC LTD> YEAR NET\nShr 1.11 dlrs vs 1.04 dlrs\nNet 12.2 mln vs 9.6 mln\n"
                      "Revs 294.0 mln vs 351.5 mln\nReuter\n",
        "walmart.txt": "WAL-MART STORES INC 4TH QTR NET\nShr 65 cts vs 47 cts\nNet 327.5 mln vs 251.2 mln\n"
                       "Revs 4.67 billion vs 3.93 billion\nReuter\n",
        "morse.txt": "MORSE SHOE INC 4TH QTR NET\nShr 59 cts vs 48 cts\nNet 8.4 mln vs 6.8 mln\n"
                     "Revs 169.3 mln vs 156.0 mln\nReuter\n",
    }
    for name, text in briefs.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert len(scan([tmp_path]).events) == 4

def test_dividend_notices_of_one_fund_family_are_told_apart_by_the_names_in_their_headlines(tmp_path):
    """Two funds of one family declare the same monthly payout on one day: one or two figures each and no
    ticker, so only the names their headlines give tell them apart. The same company's split, told once
    with its ticker and once without, stays one event."""
    notices = [
        "FRANKLIN OHIO INSURED TAX-FREE SETS PAYOUT\nMthly div 5.8 cts vs 5.8 cts prior\n    Pay March 13\n"
        "    Record March Two\n Reuter",
        "FRANKLIN MINNESOTA INSURED SETS PAYOUT\nMthly div 5.9 cts vs 5.8 cts prior\n    Pay March 13\n"
        "    Record March Two\n Reuter",
        "NORTHERN TELECOM PROPOSES TWO-FOR-ONE STOCK SPLIT\nNorthern Telecom Ltd said its board proposed a "
        "two-for-one stock split, subject to shareholder approval at the annual meeting on April 22.\n Reuter",
        "NORTHERN TELECOM LTD <NT> DECLARES STOCK SPLIT\nNorthern Telecom Ltd said its board declared a "
        "two-for-one split of its common shares, to be voted on by shareholders at the annual meeting April 22.\n Reuter",
    ]
    events = _records(tmp_path, [{"date": "1987-03-02", "text": t} for t in notices])
    assert sorted(map(sorted, events)) == [["r0"], ["r1"], ["r2", "r3"]]


def test_a_headline_name_stands_for_the_ticker_seen_beside_it_in_another_part_of_the_folder():
    """A cluster scan makes events a block at a time: a brief naming its company only in its headline is
    still that company's when the ticker was seen beside the name in another block, as in a local scan."""
    other_part = ["NORTHERN TELECOM LTD <NT> YEAR NET\nShr 1.26 dlrs vs 1.09 dlrs\n Reuter"]
    this_part = ["NORTHERN TELECOM PROPOSES TWO-FOR-ONE STOCK SPLIT\nNorthern Telecom Ltd said its board proposed a "
                 "split.\n Reuter",
                 "BCE SAYS UNIT SELLS STAKE\nBCE Inc said Northern Telecom Ltd <NT> sold part of its stake.\n Reuter"]
    whole = subject_ids(other_part + this_part)[1:]
    alone = subject_ids(this_part)
    joined = subject_ids(this_part, joined_names(names_seen(other_part), names_seen(this_part)))
    assert whole[0] == whole[1] and alone[0] != alone[1]  # the case: only the other part says NORTHERN TELECOM is <NT>
    assert joined[0] == joined[1]


def test_a_story_with_an_ap_dateline_gets_its_outlet_from_it_and_says_so_in_the_csv(tmp_path):
    (tmp_path / "txt").mkdir()
    (tmp_path / "txt" / "nato.txt").write_text(
        "BRUSSELS (AP) — NATO Secretary-General Mark Rutte on Tuesday sidestepped questions about Ukraine's "
        "membership, saying allies must first send more air defence systems.\n", encoding="utf-8")
    (tmp_path / "txt" / "note.txt").write_text(
        "Ministers met in Brussels on Tuesday to talk about air defence for Ukraine.\n", encoding="utf-8")
    (tmp_path / "txt" / "guardian.txt").write_text(
        "Ministers agreed new air defence aid for Ukraine.\n\n© 2024 Guardian News & Media Limited\n",
        encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(csv_text(CLUSTER_COLUMNS, cluster_rows(scan([tmp_path]))))))
    got = {row["path"]: (row["source"], row["source_provenance"]) for row in rows}
    assert got == {"txt/nato.txt": ("AP", "text"), "txt/note.txt": ("txt", "folder"),
                   "txt/guardian.txt": ("Guardian News & Media Limited", "text")}


def test_a_folder_named_for_an_agency_names_the_outlet_as_its_stories_do(tmp_path):
    from newsdedup.pipeline import scan

    folder = tmp_path / "reuters"
    folder.mkdir()
    (folder / "signed.txt").write_text("Acme Corp sees higher profit\n\nAcme Corp said on Monday its profit "
                                       "would rise in the second quarter on strong demand for its tools.\n Reuter\n")
    (folder / "unsigned.txt").write_text("Widget maker cuts jobs\n\nThe widget maker said on Tuesday it "
                                         "would cut 300 jobs at its plant as orders fell for a third month.\n")
    sources = {s.doc_id: (s.source, s.source_provenance.value) for s in scan([folder]).stories}
    assert sources == {"signed.txt": ("Reuters", "text"), "unsigned.txt": ("Reuters", "folder")}


def test_two_undated_reports_do_not_join_a_dated_brief_over_one_shared_name(tmp_path):
    """Seen in a folder of BBC and Reuters files: two undated stories on a video-game league ("CPL") joined a
    dated earnings brief of CPL Real Estate Investment Trust. They share a rare name and nothing else."""
    brief = ("CPL REIT <CNTRS> 4TH QTR NET\nShr 24 cts\nNet 412,737\nRevs 605,321\nYear\nShr 93 cts\n"
             "Net 1,577,892\nRevs 2,345,261\nNOTE: Full name CPL Real Estate Investment Trust.")
    gamers = [
        "World tour for top video gamers. The CPL, the Cyberathlete Professional League, will take its world "
        "tour of gaming tournaments to ten cities this year, with the best players of Painkiller competing for "
        "prize money in front of crowds of fans.",
        "Players sought for $1m prize. Gamers who play Painkiller are being sought for the CPL world tour, the "
        "Cyberathlete Professional League said, with a million dollars in prize money for the best players at "
        "its tournaments in ten cities.",
    ]
    events = _records(tmp_path, [{"date": "1987-03-02", "text": brief}] + [{"date": None, "text": t} for t in gamers])
    assert sorted(map(sorted, events)) == [["r0"], ["r1", "r2"]]


def test_a_page_or_file_names_its_outlet_in_its_furniture_and_the_csv_says_where_it_came_from(tmp_path):
    """A page without a site-name field still names its site: in its footer's copyright line or after the
    headline in its title; a text file in a copyright line, or the agency in brackets in its dateline.
    A template's "Copyright News." names nobody: the folder's name stays."""
    story = "<p>The dollar rose against the euro on Friday after the Federal Reserve chairman spoke in Washington.</p>"
    pages = {
        "footer.html": f"<html><head><title>Dollar gains</title></head><body><article><h1>Dollar gains</h1>{story}"
                       "</article><footer>&copy; 2016 The Washington Post</footer></body></html>",
        "title.html": "<html><head><title>Dollar gains on speech - BBC News</title></head><body><article>"
                      f"<h1>Dollar gains on speech</h1>{story}</article></body></html>",
        # trafilatura guesses the site name of this one from its title, and takes the headline
        "guessed.html": "<html><head><title>Texas abortion law Supreme Court ruling Dec. 10, 2021 - CNN (Online News)"
                        "</title></head><body><article><h1>Texas abortion law Supreme Court ruling Dec. 10, 2021</h1>"
                        f"{story}</article><footer>Copyright CNN (Online News). All rights reserved.</footer></body>"
                        "</html>",
        "template.html": "<html><head><title>Dollar gains again</title></head><body><article><h1>Dollar gains again"
                         f"</h1>{story}</article><footer>Copyright News. All rights reserved.</footer></body></html>",
    }
    folder = tmp_path / "saved"
    folder.mkdir()
    for name, page in pages.items():
        (folder / name).write_text(page, encoding="utf-8")
    (folder / "wire.txt").write_text(
        "Rutte sidesteps Ukraine question\n\nBrussels, December 2 (European Press) – NATO Secretary General Mark "
        "Rutte said on Tuesday that any part of a peace deal touching NATO would be settled by the allies.\n",
        encoding="utf-8")
    (folder / "copy.txt").write_text("Euro slips\n\nThe euro slipped against the dollar on Friday.\n\n"
                                     "Copyright 2005 The Guardian. All rights reserved.\n", encoding="utf-8")
    expected = {"footer.html": ("The Washington Post", "text"), "title.html": ("BBC News", "text"),
                "guessed.html": ("CNN", "text"), "template.html": ("saved", "folder"),
                "wire.txt": ("European Press", "text"), "copy.txt": ("The Guardian", "text")}
    assert _sources(scan([folder])) == expected
    # a workspace keeps where each outlet came from: reopened, the CSV says the same
    workspace = tmp_path / "desk.newsdedup"
    rescan(workspace, [folder])
    with Workspace.open(workspace) as ws:
        assert _sources(ws.load()) == expected


def _sources(result) -> dict:
    rows = csv.DictReader(io.StringIO(csv_text(CLUSTER_COLUMNS, cluster_rows(result))))
    return {row["path"]: (row["source"], row["source_provenance"]) for row in rows}


# two happenings of each of two topics, years apart, each reported by two outlets in plain text files that
# carry no date: the topic's words (Keystone XL, pipeline, permit; gun, Senate, 60 votes) run through all four
# reports of a topic, the names and the deed tell the happenings apart
UNDATED_PAIRS = {
    "gun_filibuster": [
        "Senators vow filibuster of gun control bill\nRepublican senators Rand Paul, Mike Lee and Ted Cruz said on "
        "Tuesday they would filibuster the gun control bill, forcing Majority Leader Harry Reid to find 60 votes. "
        "Paul wrote to Reid that the three would block any motion to proceed. Reid called the filibuster threat an "
        "outrage to the families of Newtown.",
        "Paul, Lee and Cruz threaten to block gun legislation\nThree conservative senators, Rand Paul of Kentucky, "
        "Mike Lee of Utah and Ted Cruz of Texas, threatened a filibuster against gun legislation, saying the motion "
        "to proceed must clear 60 votes. Harry Reid said the Newtown families deserve a vote and condemned the "
        "filibuster threat."],
    "gun_checks": [
        "Senate rejects expanded background checks for gun sales\nThe Senate on Wednesday defeated the "
        "Manchin-Toomey amendment to expand background checks to gun shows and online sales, 54 to 46, short of "
        "the 60 votes needed. President Obama, standing with Gabby Giffords, called it a shameful day for "
        "Washington.",
        "Background check amendment fails as Obama calls vote shameful\nAn amendment by Joe Manchin and Pat Toomey "
        "requiring background checks for sales at gun shows and online fell six votes short, 54 to 46. Obama, "
        "joined by Gabby Giffords and Newtown parents in the Rose Garden, said it was a pretty shameful day."],
    "keystone_cancelled": [
        "Biden revokes Keystone XL pipeline permit on first day\nPresident Joe Biden revoked the permit for the "
        "Keystone XL pipeline hours after his inauguration, halting construction by TC Energy. Alberta premier "
        "Jason Kenney called the decision an insult, and Canadian officials warned of lost jobs across the border.",
        "TC Energy suspends Keystone XL work after Biden cancels permit\nTC Energy said it would suspend work on "
        "Keystone XL after President Biden cancelled the pipeline's permit by executive order on inauguration day. "
        "Jason Kenney, the Alberta premier, said the move was a gut punch and an insult to Canada."],
    "keystone_veto": [
        "Obama vetoes bill approving Keystone XL pipeline\nPresident Barack Obama vetoed a bill approving the "
        "Keystone XL pipeline on Tuesday, the third veto of his presidency, saying Congress had tried to cut short "
        "the State Department review. Mitch McConnell said the Senate would try to override the veto by March.",
        "Keystone XL bill vetoed as McConnell plans override vote\nObama used his veto pen for only the third time "
        "to reject Republican legislation authorizing the Keystone XL pipeline, citing the unfinished State "
        "Department review. Senate Majority Leader Mitch McConnell scheduled an override vote for early March."],
}


def test_undated_reports_of_two_happenings_of_one_topic_are_two_events(tmp_path):
    """Seen in a folder of plain-text political news (no dates): one event "Keystone XL" held the reports of
    Biden cancelling the pipeline and of Obama's veto six years before, and others the pairs of several gun
    votes. Each happening's two reports are more alike to each other than to the topic's other happening,
    and that is what the folder shows: each pair is an event of its own."""
    for happening, texts in UNDATED_PAIRS.items():
        for n, text in enumerate(texts):
            (tmp_path / f"{happening}_{n}.txt").write_text(text + "\n", encoding="utf-8")
    result = scan([tmp_path])
    assert not any(s.published for s in result.stories)
    name = {s.story_id: s.doc_id.rsplit("_", 1)[0] for s in result.stories}
    events = sorted(sorted(name[sid] for sid in e.story_ids) for e in result.events)
    assert events == [[h, h] for h in sorted(UNDATED_PAIRS)]
