"""Per-document stages on worker processes: the same answer as one process, problems still listed, a dead
worker said plainly, Cancel ends the workers, and a pool starts inside a spawned child process."""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdedup import batches
from newsdedup.events import labels
from newsdedup.export import write_cluster_csv, write_json, write_pairs_csv
from newsdedup.model import finish
from newsdedup.pipeline import run_scan, scan
from newsdedup.pool import Pool, WorkerLost


@pytest.fixture()
def folder(tmp_path, seeds_dir):
    """The seeds, a .jsonl of records (copies among them), an HTML page and two files that cannot be read."""
    root = tmp_path / "articles"
    shutil.copytree(seeds_dir, root / "seeds")
    rng = random.Random(7)
    vocabulary = ("council budget harbour strike vote ferry museum election court river police mayor school "
                  "hospital bridge storm market festival airport rail").split()
    texts = [" ".join(rng.choice(vocabulary) for _ in range(80)) + "." for _ in range(25)]
    with open(root / "wire.jsonl", "w", encoding="utf-8") as fh:
        for i in range(40):  # records 25..39 repeat records 0..14: copies
            fh.write(json.dumps({"id": i, "title": f"Item {i % 25}", "text": texts[i % 25],
                                 "date": f"2024-03-{1 + i % 20:02d}", "source": "Wire"}) + "\n")
    (root / "page.html").write_text("<html><head><title>Ferry vote</title></head><body><article><p>"
                                    + "The ferry vote passed after a long night in the council. " * 8
                                    + "</p></article></body></html>", encoding="utf-8")
    (root / "broken.json").write_text("{not json", encoding="utf-8")
    (root / "empty.txt").write_text("", encoding="utf-8")
    return root


def _exports(result, out):
    out.mkdir()
    write_cluster_csv(result, out / "c.csv")
    write_pairs_csv(result, out / "p.csv")
    write_json(result, out / "r.json")
    return [(out / name).read_bytes() for name in ("c.csv", "p.csv", "r.json")]


def test_workers_give_the_one_process_result_byte_for_byte(folder, tmp_path, monkeypatch):
    monkeypatch.setattr(batches, "BATCH_FILES", 2)  # many batches, so the cut and the order are tested
    monkeypatch.setattr(batches, "BATCH_STORIES", 3)
    monkeypatch.setattr(labels, "POOL_EVENTS", 1)  # the events' labels on the workers too, two at a time
    monkeypatch.setattr(labels, "STEP_EVENTS", 2)
    alone = scan([folder], workers=1)
    shared = scan([folder], workers=2)
    assert len(alone.stories) > 40 and len(alone.groups) < len(alone.stories)
    assert _exports(shared, tmp_path / "two") == _exports(alone, tmp_path / "one")
    reasons = {p.path: p.reason for p in shared.problems}
    assert "broken.json" in reasons and reasons["empty.txt"] == "empty file"


def test_a_worker_that_dies_is_an_error_not_a_hang():
    started = time.monotonic()
    with Pool(2) as pool, pytest.raises(WorkerLost, match="worker process ended unexpectedly"):
        finish(pool.map("read", os._exit, [3, 3, 3]))
    assert time.monotonic() - started < 60


def test_chunks_made_as_the_workers_go_come_back_in_their_order():
    # the labels' chunks are made while the workers work on the last ones: at most two a worker wait, and
    # the answers keep the chunks' order whichever worker finishes first
    made = []

    def chunks():
        for k in range(8):
            made.append(k)
            yield range(k, 3 * 10**6 if k % 2 == 0 else 10 + k), 1  # even chunks take longer

    with Pool(2) as pool:
        steps = pool.stream("labels", sum, chunks(), 8)
        assert next(steps).done == 0 and made == []  # nothing made before it is wanted
        next(steps)
        assert len(made) <= 4
        reports = []
        results = finish(steps, reports.append)
    assert results == [sum(range(k, 3 * 10**6 if k % 2 == 0 else 10 + k)) for k in range(8)]
    assert reports[-1].done == reports[-1].total == 8


def test_cancel_ends_the_workers_at_once():
    pool = Pool(2)
    steps = pool.map("read", time.sleep, [120, 120, 120, 120])
    next(steps)
    next(steps)  # the workers have their chunks now
    processes = list(pool._executor._processes.values())  # type: ignore[union-attr]
    assert processes
    started = time.monotonic()
    steps.close()  # what the GUI's Cancel does: it stops iterating
    pids = [p.pid for p in processes]
    while any(_running(pid) for pid in pids) and time.monotonic() - started < 30:
        time.sleep(0.1)
    assert not any(_running(pid) for pid in pids)
    assert time.monotonic() - started < 30  # not the 120 s the chunks would take


def _running(pid: int) -> bool:
    """Asked of the system, not of the Process object: the executor's own thread reaps its workers too,
    and a Process whose exit another thread collected can say it is alive for good (a race in
    multiprocessing's poll)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"  # a zombie has ended
    except (OSError, IndexError):
        return True


def _scan_in_child(folder, queue) -> None:
    result = scan([folder], workers=2)
    queue.put((len(result.stories), len(result.groups), len(result.events)))


def test_a_spawned_child_process_runs_the_pool(folder, monkeypatch):
    """The GUI scans in a child process: the pool inside it must start its own workers (spawn, not fork)."""
    monkeypatch.setattr(batches, "BATCH_FILES", 2)
    expected = scan([folder], workers=1)
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_scan_in_child, args=(folder, queue))
    child.start()
    got = queue.get(timeout=300)
    child.join(60)
    assert child.exitcode == 0
    assert got == (len(expected.stories), len(expected.groups), len(expected.events))


def test_no_workers_for_one_batch(folder):
    steps = run_scan([folder / "seeds"], workers=2)
    result = finish(steps)
    assert len(result.stories) >= 5


def test_the_command_line_on_workers(folder, tmp_path):
    """``python -m newsdedup scan --workers 2``: spawned workers start from the command line's own main."""
    rng = random.Random(3)
    vocabulary = "harbour strike vote ferry museum election court river police mayor school".split()
    for i in range(batches.BATCH_FILES + 4):  # more files than one read batch holds: the workers read
        (folder / "notes" / f"{i:03d}.txt").parent.mkdir(exist_ok=True)
        (folder / "notes" / f"{i:03d}.txt").write_text(f"Note {i}\n\n" + " ".join(
            rng.choice(vocabulary) for _ in range(40)) + ".\n", encoding="utf-8")
    out = {}
    for n in ("1", "2"):
        run = subprocess.run([sys.executable, "-m", "newsdedup", "scan", str(folder), "--workers", n, "--quiet",
                              "--csv", str(tmp_path / f"w{n}.csv")], capture_output=True, text=True, timeout=600,
                             env={**os.environ, "PYTHONPATH": str(Path(batches.__file__).parents[1])})
        assert run.returncode == 0, run.stderr
        out[n] = (tmp_path / f"w{n}.csv").read_bytes()
    assert out["1"] == out["2"]
    bad = subprocess.run([sys.executable, "-m", "newsdedup", "scan", str(folder), "--workers", "0"],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--workers" in bad.stderr


def _pool_then_wait(queue) -> None:
    pool = Pool(2)
    steps = pool.map("read", time.sleep, [120, 120, 120])
    next(steps)
    next(steps)
    queue.put([p.pid for p in pool._executor._processes.values()])  # type: ignore[union-attr]
    time.sleep(120)


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads process states from /proc")
def test_workers_end_when_the_scan_process_is_killed():
    """A GUI may end its scan's process outright on Cancel: the workers must not live on as orphans."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    scan_process = context.Process(target=_pool_then_wait, args=(queue,))
    scan_process.start()
    workers = queue.get(timeout=300)
    scan_process.kill()
    scan_process.join(30)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.2)
    assert workers and not any(_alive(pid) for pid in workers)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().split()[2] != "Z"
    except FileNotFoundError:
        return False
