"""The scan on a real Dask cluster: a `dask scheduler` and two `dask worker` processes on 127.0.0.1, as a
user starts them on their machines. The cluster scan of the sample plus a few hundred generated articles
must give what the local scan gives, with a worker killed in the middle too (Dask recomputes what it held).
"""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdedup.model import finish
from newsdedup.pipeline import scan
from newsdedup.settings import Settings

distributed = pytest.importorskip("distributed")

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
START_TIMEOUT = 60  # seconds for the scheduler and workers to come up on a loaded machine
STOP_TIMEOUT = 10

OUTLETS = {"wire": "Distributed by the Wire Service. All rights reserved.",
           "daily": "Follow The Daily on social media and sign up for our morning newsletter today.",
           "gazette": "The Gazette welcomes letters from readers about this and every other story."}
WORDS = ("council budget river flood bridge court judge school teacher strike union hospital nurse vaccine "
         "election mayor minister harbour ship cargo storm power grid outage police arrest fraud bank loan "
         "market shares factory workers wages railway train delay airport runway museum painting theft "
         "festival music crowd stadium match goal coach team season drought farmers crops prices").split()
NAMES = ("Alder Brandt Castell Dorsey Ellery Fenwick Garrow Hollis Ingram Jessop Keller Lomax Marlow Norcross "
         "Orwin Pryor Quenby Radley Sorrel Tamsin Underhill Varley Wexford Yelland").split()


def _sentence(rng: random.Random, names: list[str]) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(9, 15))]
    words.insert(rng.randrange(len(words)), rng.choice(names))
    return " ".join(words).capitalize() + "."


def _articles(rng: random.Random, happenings: int) -> list[tuple[str, str, str, dt.date]]:
    """(outlet, title, text, date): reports of each happening, as copies, light edits and rewrites."""
    out = []
    for h in range(happenings):
        names = rng.sample(NAMES, 2)
        day = dt.date(2024, 1, 1) + dt.timedelta(days=rng.randrange(700))
        body = [_sentence(rng, names) for _ in range(rng.randint(6, 10))]
        title = f"{names[0]} and the {rng.choice(WORDS)} {rng.choice(WORDS)} ({h})"
        for r in range(rng.randint(1, 4)):
            text = list(body)
            if r % 3 == 1:  # a light edit: a near-duplicate
                text[rng.randrange(len(text))] = _sentence(rng, names)
            elif r % 3 == 2:  # a rewrite on the wire copy: partial reuse
                text = text[: len(text) // 2] + [_sentence(rng, names) for _ in range(6)]
            when = day + dt.timedelta(days=rng.randrange(3))
            out.append((rng.choice(list(OUTLETS)), title, "\n\n".join(text), when))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The sample, and about three hundred articles of three outlets (each with its sign-off), as .txt
    files in outlet folders and one .jsonl file of records."""
    root = tmp_path_factory.mktemp("corpus")
    for f in SEEDS.glob("*.txt"):
        (root / f.name).write_bytes(f.read_bytes())
    rng = random.Random(21)
    records = []
    for k, (outlet, title, text, when) in enumerate(_articles(rng, 100)):
        if k % 7 == 0:
            records.append({"id": f"r{k}", "title": title, "text": text, "source": outlet, "date": when.isoformat()})
            continue
        folder = root / outlet
        folder.mkdir(exist_ok=True)
        page = f"{title}\n\n{when.strftime('%d %B %Y')}\n\n{text}\n\n{OUTLETS[outlet]}\n"
        (folder / f"{k:04d}.txt").write_text(page, encoding="utf-8")
    (root / "feed.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    return root


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _stop(procs: list[subprocess.Popen]) -> None:
    procs = procs[::-1]  # the workers first: with their scheduler gone they would wait to reconnect
    for p in procs:
        if p.poll() is None:
            p.terminate()
    deadline = time.monotonic() + STOP_TIMEOUT
    for p in procs:
        try:
            p.wait(timeout=max(0.1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(timeout=STOP_TIMEOUT)


@pytest.fixture(scope="module")
def dask_cluster(tmp_path_factory):
    """A `dask scheduler` and two `dask worker` processes (no nanny: a killed worker stays dead), always
    stopped at the end. Yields (address, worker processes)."""
    port = _free_port()
    address = f"tcp://127.0.0.1:{port}"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
    logs = tmp_path_factory.mktemp("dask-logs")
    common = {"env": env, "stderr": subprocess.STDOUT, "cwd": logs}
    procs = [subprocess.Popen([sys.executable, "-m", "dask", "scheduler", "--host", "127.0.0.1", "--port",
                               str(port), "--no-dashboard"], stdout=open(logs / "scheduler.log", "wb"), **common)]
    try:
        for k in range(2):
            procs.append(subprocess.Popen(
                [sys.executable, "-m", "dask", "worker", address, "--nthreads", "1", "--no-nanny", "--no-dashboard",
                 "--host", "127.0.0.1", "--name", f"w{k}", "--local-directory", str(logs)],
                stdout=open(logs / f"worker{k}.log", "wb"), **common))
        with distributed.Client(address, timeout=START_TIMEOUT) as client:
            client.wait_for_workers(2, timeout=START_TIMEOUT)
        yield address, procs[1:]
    finally:
        _stop(procs)


@pytest.fixture(scope="module")
def local_result(corpus):
    return scan([corpus])


def _bcubed_f1(a: dict[str, int], b: dict[str, int]) -> float:
    """B-cubed F1 of clustering ``a`` against ``b`` (story id -> cluster)."""
    from collections import Counter

    both = Counter((a[s], b[s]) for s in a)
    size_a, size_b = Counter(a.values()), Counter(b.values())
    precision = sum(both[(a[s], b[s])] / size_a[a[s]] for s in a) / len(a)
    recall = sum(both[(a[s], b[s])] / size_b[b[s]] for s in a) / len(a)
    return 2 * precision * recall / (precision + recall)


def _event_of(result) -> dict[str, int]:
    return {sid: e.event_id for e in result.events for sid in e.story_ids}


def _assert_same(local, cluster) -> None:
    assert [s for s in cluster.stories] == [s for s in local.stories]
    assert cluster.files == local.files and cluster.problems == local.problems
    assert cluster.relations == local.relations
    assert cluster.groups == local.groups
    assert _bcubed_f1(_event_of(cluster), _event_of(local)) >= 0.99


def test_the_generated_corpus_has_what_the_cluster_must_find(local_result):
    """Guard against a comparison that cannot fail: copies, reuse, outlet sign-offs and dates are there."""
    kinds = {r.kind for r in local_result.relations}
    assert {"near_duplicate", "partial_reuse"} <= kinds
    assert sum(len(g.members) > 1 for g in local_result.groups) >= 20
    assert any(b.kind == "repeated_across_outlet" for s in local_result.stories for b in s.boilerplate)
    assert len(local_result.stories) > 250 and len(local_result.events) > 50


def test_cli_scan_on_the_cluster_writes_the_local_scans_csvs(dask_cluster, corpus, local_result, tmp_path):
    from newsdedup.cli import summary
    from newsdedup.export import write_cluster_csv, write_pairs_csv

    address, _ = dask_cluster
    # a relative path, as typed: the workers run in folders of their own and must still find the files
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO / "src"), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-m", "newsdedup", "scan", corpus.name, "--scheduler", address,
                           "--csv", str(tmp_path / "cluster.csv"), "--pairs-csv", str(tmp_path / "cluster-pairs.csv")],
                          capture_output=True, text=True, timeout=300, cwd=corpus.parent, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == summary(local_result)  # files, stories, events, groups, pairs, boilerplate
    write_cluster_csv(local_result, tmp_path / "local.csv")
    write_pairs_csv(local_result, tmp_path / "local-pairs.csv")
    for suffix in (".csv", "-pairs.csv"):
        assert (tmp_path / f"cluster{suffix}").read_bytes() == (tmp_path / f"local{suffix}").read_bytes()
    with open(tmp_path / "cluster.csv", newline="", encoding="utf-8") as fh:
        assert len(list(csv.DictReader(fh))) > 250


def test_odd_folders_give_the_local_answer_on_the_cluster(dask_cluster, tmp_path):
    """An empty folder; a folder of one short story, an empty file, a broken JSON file and an image, sent
    from the client (--send-texts): the same stories, problems and file list as the local scan."""
    from newsdedup.cluster.driver import run_cluster_scan

    empty, odd = tmp_path / "empty", tmp_path / "odd"
    empty.mkdir()
    odd.mkdir()
    (odd / "short.txt").write_text("Flood closes the bridge.\n", encoding="utf-8")
    (odd / "nothing.txt").write_bytes(b"")
    (odd / "broken.json").write_text("{not json", encoding="utf-8")
    (odd / "photo.jpg").write_bytes(b"\xff\xd8")
    address, _ = dask_cluster
    with distributed.Client(address, timeout=START_TIMEOUT) as client:
        for folder in (empty, odd):
            got = finish(run_cluster_scan([folder], Settings(), client, send_texts=True, part_files=1))
            want = scan([folder])
            assert (got.stories, got.files, got.problems, got.groups) == (want.stories, want.files, want.problems,
                                                                          want.groups)
            assert [e.story_ids for e in got.events] == [e.story_ids for e in want.events]


def test_a_worker_killed_in_the_middle_of_a_scan_is_survived(dask_cluster, corpus, local_result):
    """kill -9 of one worker in the middle of the copies stage (its partitions read, shuffled by outlet,
    signed, and the LSH band shuffle done; verification, run frequencies, the sampled-shingle shuffle and
    the groups still to come): everything it held Dask makes again on the other worker from the tasks that
    made it, and the result is the local scan's. (An outlet map scattered to the workers once made this
    fail: scattered data cannot be made again.)"""
    from newsdedup.cluster.driver import run_cluster_scan

    address, workers = dask_cluster
    killed = []

    def kill_once(progress) -> None:
        if (progress.stage, progress.done) == ("candidates", 200) and not killed:  # step 2: LSH pairs found
            workers[0].send_signal(signal.SIGKILL)
            workers[0].wait(timeout=STOP_TIMEOUT)
            killed.append(progress)

    with distributed.Client(address, timeout=START_TIMEOUT) as client:
        result = finish(run_cluster_scan([corpus], Settings(), client, part_files=40), kill_once)
        assert killed and len(client.scheduler_info()["workers"]) == 1
    _assert_same(local_result, result)


def test_events_made_in_blocks_of_time_on_the_workers_cover_every_story_once(dask_cluster, corpus, local_result):
    """Blocks of 30 dated groups (the default is 20,000): the events stage runs per block on the workers.
    Copies are unchanged, every story is in exactly one event, events are numbered by date and labelled,
    and they stay close to the local events. This corpus is the hard case: 60 words make every story like
    every other, so neighbours reach further than a block's margin (0.85 measured; the shared sets, in the
    README, reach 0.99)."""
    from newsdedup.cluster.driver import run_cluster_scan

    address, _ = dask_cluster
    with distributed.Client(address, timeout=START_TIMEOUT) as client:
        got = finish(run_cluster_scan([corpus], Settings(), client, part_files=40, event_block=30))
    assert (got.stories, got.relations, got.groups) == (local_result.stories, local_result.relations,
                                                        local_result.groups)
    placed = [sid for e in got.events for sid in e.story_ids]
    assert sorted(placed) == sorted(s.story_id for s in local_result.stories)
    assert [e.event_id for e in got.events] == list(range(len(got.events)))
    starts = [e.start for e in got.events if e.start]
    assert starts == sorted(starts) and all(e.label for e in got.events)
    assert _bcubed_f1(_event_of(got), _event_of(local_result)) >= 0.8


def test_without_dask_the_option_says_how_to_get_it(tmp_path):
    stub = tmp_path / "stub" / "distributed"
    stub.mkdir(parents=True)
    (stub / "__init__.py").write_text("raise ImportError('No module named distributed')\n")
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(stub.parent), str(REPO / "src")]))
    proc = subprocess.run([sys.executable, "-m", "newsdedup", "scan", str(SEEDS), "--scheduler", "local:2"],
                          capture_output=True, text=True, env=env, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "pip install 'newsdedup[cluster]'" in proc.stderr


def test_a_scheduler_address_that_is_not_one_is_refused_in_one_line():
    proc = subprocess.run([sys.executable, "-m", "newsdedup", "scan", str(SEEDS), "--scheduler", "my-laptop"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "tcp://HOST:PORT or local:N" in proc.stderr


def _happenings_with_undated_reports(root: Path) -> Path:
    """Happenings over two years, each told in names of its own (so a report's nearest neighbours are the
    reports of its happening, in whatever block of time they are): three dated reports each, most with an
    undated report beside them (no date anywhere in the file), and a few told only undated."""
    rng = random.Random(7)
    root.mkdir()
    for h in range(40):
        names = ["".join(rng.choice("bdfgklmnprstvz") + rng.choice("aeiou") for _ in range(3)).capitalize()
                 for _ in range(6)]
        day = dt.date(2023, 1, 1) + dt.timedelta(days=18 * h)
        dated = 3 if h < 32 else 0
        undated = 1 if h % 4 else 0 if h < 32 else 2
        for r in range(dated + undated):
            title = f"{names[0]} {names[1]} and the {rng.choice(WORDS)} ({h}-{r})"
            text = "\n\n".join(_sentence(rng, names) for _ in range(5))
            when = f"{(day + dt.timedelta(days=r)).strftime('%d %B %Y')}\n\n" if r < dated else ""
            (root / f"h{h:02d}r{r}.txt").write_text(f"{title}\n\n{when}{text}\n", encoding="utf-8")
    return root


def test_undated_reports_join_the_same_dated_events_as_in_the_local_scan(dask_cluster, tmp_path):
    """Blocks of 8 dated groups: the undated reports find their neighbours among every block's stories and
    join the dated events (or each other) as the local scan joins them; the events are the local ones."""
    from newsdedup.cluster.driver import run_cluster_scan

    folder = _happenings_with_undated_reports(tmp_path / "happenings")
    want = scan([folder])
    undated = {s.story_id for s in want.stories if s.published is None}
    dated = {s.story_id for s in want.stories} - undated
    joined = [e for e in want.events if not undated.isdisjoint(e.story_ids) and not dated.isdisjoint(e.story_ids)]
    assert len(undated) >= 30 and len(joined) >= 15  # the local scan does join undated reports to dated events
    address, _ = dask_cluster
    with distributed.Client(address, timeout=START_TIMEOUT) as client:
        got = finish(run_cluster_scan([folder], Settings(), client, part_files=20, event_block=8))
    assert sorted(sorted(e.story_ids) for e in got.events) == sorted(sorted(e.story_ids) for e in want.events)
    assert [e.event_id for e in got.events] == list(range(len(got.events))) and all(e.label for e in got.events)


def test_the_reuse_rules_run_on_the_workers_and_decide_as_the_local_scan(dask_cluster, tmp_path):
    """Two notices of one form, two replies quoting a post not in the folder, and two replies quoting a post
    that is: the three text rules (a series, a shared quote, a common source) drop the pair of each, locally
    and on the workers, which now hold the texts the rules read (a file per partition: every pair crosses
    two partitions)."""
    from newsdedup.cluster.driver import run_cluster_scan

    folder = tmp_path / "rules"
    folder.mkdir()
    notice = ("{0} Metals Inc, a subsidiary of {1} Holdings, said it is lowering its copper cathode price by {2} "
              "cent to {3} cents a lb, effective immediately, and that its rod price falls by the same amount to "
              "{4} cents a lb for delivery in {5}.")
    (folder / "notice-1.txt").write_text(notice.format("Halvard", "Brenn", "0.25", "65.50", "68.75", "May"))
    (folder / "notice-2.txt").write_text(notice.format("Osterby", "Kalmar", "0.50", "66.00", "69.25", "June"))

    def own(k: int, n: int) -> str:
        return " ".join(f"story{k}word{i}" for i in range(n))

    def reply(quoted: str, k: int) -> str:
        quote = "\n".join("> " + line for line in quoted.splitlines())
        return f"In article <{k}@example.org> someone{k} writes:\n{quote}\n\n{own(k, 80)}\n"

    for name, post, keep_post in (("kept", own(1, 60), True), ("gone", own(5, 60), False)):
        if keep_post:
            (folder / f"{name}-post.txt").write_text(post + "\n")
        (folder / f"{name}-reply-1.txt").write_text(reply(post, 10 + len(name)))
        (folder / f"{name}-reply-2.txt").write_text(reply(post, 20 + len(name)))
    want = scan([folder])
    doc = {s.story_id: s.doc_id for s in want.stories}
    paired = {frozenset((doc[r.story_a], doc[r.story_b])) for r in want.relations}
    for a, b in (("notice-1.txt", "notice-2.txt"), ("kept-reply-1.txt", "kept-reply-2.txt"),
                 ("gone-reply-1.txt", "gone-reply-2.txt")):
        assert frozenset((a, b)) not in paired
    assert {frozenset(("kept-post.txt", f"kept-reply-{k}.txt")) for k in (1, 2)} <= paired  # built on the post
    address, _ = dask_cluster
    with distributed.Client(address, timeout=START_TIMEOUT) as client:
        got = finish(run_cluster_scan([folder], Settings(), client, part_files=1))
    assert (got.relations, got.groups) == (want.relations, want.groups)
