"""The command line: ``newsdedup scan PATH...`` runs a scan headless; ``newsdedup gui`` opens the app."""

from __future__ import annotations

import argparse
import logging
import os
import re
import sys
from collections import Counter
from pathlib import Path
from typing import NoReturn

from newsdedup import __version__
from newsdedup.terminal import progress_reporter

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130  # as a shell reports a command ended by Ctrl-C
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def terminal_safe(text: str) -> str:
    """``text`` with what a terminal would obey instead of show (escape sequences in a file name, bidi
    overrides) written as backslash escapes; line breaks kept."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                        else f"\\u{ord(m.group()):04x}", text)


def say(text: str, file=None) -> None:
    print(terminal_safe(text), file=file or sys.stdout)


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad invocation in one line, with what to do, and exits 2."""

    def error(self, message: str) -> NoReturn:  # noqa: D102 - argparse hook
        self.exit(EXIT_USAGE, f"{self.prog}: {message} (see '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="newsdedup", description=(
        "Find copies of wire stories, page furniture, stories about the same event and shared "
        "passages in folders of news articles."))
    parser.add_argument("--version", action="version", version=f"newsdedup {__version__}")
    parser.add_argument("-v", "--verbose", action="count", default=0,
                        help="log what each stage does on stderr (-vv: every file's problem in detail)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    scan = sub.add_parser("scan", help="scan folders or files and write CSV/JSON/HTML results",
                          description="Scan folders or files (a .jsonl file holds one article per line).")
    scan.add_argument("paths", nargs="*", metavar="PATH",
                      help="a folder of articles or a single file (optional with --workspace: its folders)")
    scan.add_argument("--csv", type=Path, metavar="FILE", help="write the cluster CSV (one row per story)")
    scan.add_argument("--pairs-csv", type=Path, metavar="FILE", help="write the pairs CSV (related stories)")
    scan.add_argument("--json", type=Path, metavar="FILE", help="write the whole result as JSON")
    scan.add_argument("--report", type=Path, metavar="FILE",
                      help="write a report to read and send: one HTML file with the events, the copies and "
                           "the shared passages side by side (no script, nothing fetched)")
    scan.add_argument("--workspace", type=Path, metavar="FILE",
                      help="project workspace file (.newsdedup): created if missing, else updated; a rescan "
                           "reads only new and changed files and keeps your decisions")
    scan.add_argument("--remove-folder", type=Path, action="append", default=[], metavar="PATH",
                      help="with --workspace: take a folder out of the workspace, with its stories (a folder "
                           "that is unavailable keeps its stories until it is removed)")
    scan.add_argument("--follow-links", action="store_true",
                      help="read links that lead out of the given folders (by default they are listed as "
                           "problems and not read)")
    scan.add_argument("--quiet", action="store_true", help="print nothing but errors")
    scan.add_argument("--workers", type=_workers, default=None, metavar="N",
                      help="processes for reading and per-story work (default: one per core; 1: all in this "
                           "process); the result is the same however many")
    scan.add_argument("--scheduler", metavar="ADDRESS",
                      help="run the scan on a Dask cluster: tcp://HOST:PORT of a running scheduler, or local:N to "
                           "start N worker processes on this machine (needs pip install 'newsdedup[cluster]')")
    scan.add_argument("--send-texts", action="store_true",
                      help="with --scheduler: read the files here and send them to the workers, for workers that "
                           "do not see this machine's files")
    gui = sub.add_parser("gui", help="open the desktop app", description="Open the desktop app.")
    gui.add_argument("paths", nargs="*", metavar="PATH", help="folders or files to scan on opening")
    return parser


def _check_output(parser: argparse.ArgumentParser, option: str, path: Path | None) -> None:
    if path is None:
        return
    folder = path.parent if str(path.parent) else Path(".")
    from newsdedup.export import not_a_plain_file

    what = not_a_plain_file(path)
    if what and option != "--workspace":
        parser.error(f"{option} {path} is {what}, not a regular file; it is left as it is: give a file name")
    if path.is_dir():
        parser.error(f"{option} {path} is a folder; give a file name")
    if not folder.is_dir():
        parser.error(f"{option} {path}: the folder {folder} does not exist; create it or choose another")
    if not os.access(folder, os.W_OK):
        parser.error(f"{option} {path}: the folder {folder} is not writable; choose another place")


def summary(result) -> str:
    read = sum(1 for f in result.files if f.status.value == "read")
    skipped = sum(1 for f in result.files if f.status.value == "skipped")
    multi = sum(1 for g in result.groups if len(g.members) > 1)
    boiler_lines = sum(len(s.boilerplate) for s in result.stories)
    kinds = Counter(r.kind for r in result.relations)
    lines = [
        f"files read:        {read}" + (f" ({skipped} skipped: not article formats)" if skipped else ""),
        f"stories:           {len(result.stories)}",
        f"events:            {len(result.events)}",
        f"duplicate groups:  {multi} (stories with copies)",
        "related pairs:     " + (", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "0"),
        f"boilerplate lines: {boiler_lines}",
        f"problems:          {len(result.problems)}",
    ]
    # by reason, its particulars (sizes, line numbers) set aside so that like problems count together
    for reason, n in Counter(p.reason.split(" (")[0] for p in result.problems).most_common():
        lines.append(f"  {n} x {reason}")
    for p in result.problems[:20]:
        lines.append(f"  problem: {p.path}: {p.reason}")
    return terminal_safe("\n".join(lines))


def _check_cluster(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.scheduler is None:
        parser.error("--send-texts goes with --scheduler ADDRESS")
    if args.workspace is not None:
        parser.error("--scheduler does not update a workspace yet; scan to --csv/--json files instead")
    if not args.paths:
        parser.error("give the folders or files to scan on the cluster")
    from newsdedup.cluster import ClusterUnavailable, require_dask
    from newsdedup.cluster.connect import check_spec

    wrong = check_spec(args.scheduler)
    if wrong:
        parser.error(f"--scheduler: {wrong}")
    try:
        require_dask()
    except ClusterUnavailable as exc:
        parser.exit(EXIT_USAGE, f"{parser.prog}: {exc}\n")


def _scan(parser: argparse.ArgumentParser, args: argparse.Namespace) -> int:
    if not args.paths and args.workspace is None:
        parser.error("give a folder or file to scan, or --workspace FILE to rescan a workspace's folders")
    for p in args.paths:
        if not Path(p).exists():
            parser.error(f"no such file or folder: {p}; give a folder of articles or a file")
    for option, path in (("--csv", args.csv), ("--pairs-csv", args.pairs_csv), ("--json", args.json),
                         ("--report", args.report)):
        _check_output(parser, option, path)
    if args.workspace is not None:
        _check_output(parser, "--workspace", args.workspace)
        if not args.paths and not args.workspace.exists():
            parser.error(f"--workspace {args.workspace} does not exist; give folders to scan into a new one")
    if args.scheduler is not None or args.send_texts:
        _check_cluster(parser, args)
    from newsdedup.export import ExportError, write_cluster_csv, write_json, write_pairs_csv

    update, close = progress_reporter() if not args.quiet else (None, lambda: None)
    counts = None
    try:
        if args.scheduler is not None:
            from newsdedup.cluster import ClusterLost, ClusterUnavailable
            from newsdedup.cluster.run import scan_on_cluster
            from newsdedup.settings import Settings

            try:
                result = scan_on_cluster([Path(p) for p in args.paths], args.scheduler,
                                         Settings(follow_links=args.follow_links), send_texts=args.send_texts,
                                         keep_texts=args.json is not None or args.report is not None,
                                         on_progress=update)
            except (ClusterUnavailable, ClusterLost) as exc:
                close()
                print(f"newsdedup: {exc}", file=sys.stderr)
                return EXIT_USAGE if isinstance(exc, ClusterUnavailable) else 1
        elif args.workspace is None:
            from newsdedup.pipeline import scan
            from newsdedup.pool import WorkerLost
            from newsdedup.settings import Settings

            try:
                result = scan([Path(p) for p in args.paths], Settings(follow_links=args.follow_links),
                              on_progress=update, workers=args.workers)
            except WorkerLost as exc:
                close()
                say(f"newsdedup: {exc}", sys.stderr)
                return 1
        else:
            from newsdedup.workspace.rescan import RescanCounts
            from newsdedup.workspace.store import WorkspaceError

            counts = RescanCounts()
            try:
                result = _rescan(args, counts, update)
            except WorkspaceError as exc:
                close()
                say(f"newsdedup: {exc}", sys.stderr)
                return EXIT_USAGE
    finally:
        close()
    try:
        if args.csv:
            write_cluster_csv(result, args.csv)
        if args.pairs_csv:
            write_pairs_csv(result, args.pairs_csv)
        if args.json:
            write_json(result, args.json)
        if args.report:
            from newsdedup.report.html import write_report

            write_report(result, args.report, folders=list(args.paths) or None)
    except ExportError as exc:
        say(f"newsdedup: {exc}", sys.stderr)
        return 1
    if not args.quiet:
        if counts is not None:
            say(f"workspace:         {args.workspace}")
            say(f"  {counts.line()}")
        print(summary(result))
    return 0


def _rescan(args: argparse.Namespace, counts, update):
    """Rescan the workspace with its own settings, links followed only if asked this time."""
    import dataclasses

    from newsdedup.workspace.rescan import rescan
    from newsdedup.workspace.store import Workspace

    settings = None
    if args.workspace.exists():
        with Workspace.open(args.workspace) as ws:
            settings = dataclasses.replace(ws.settings(), follow_links=args.follow_links)
            if args.remove_folder:
                gone = {Path(p).resolve() for p in args.remove_folder}
                ws.set_folders([f for f in ws.folders() if f.resolve() not in gone])
    return rescan(args.workspace, [Path(p) for p in args.paths], settings, counts=counts, on_progress=update)


def _workers(value: str) -> int:
    try:
        n = int(value)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"give a whole number of processes, 1 or more (not {value!r})")
    return n


def _crash_log() -> Path | None:
    """Where the details of an unexpected error (its traceback) go: a log file, never the terminal."""
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "newsdedup"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handler = logging.FileHandler(folder / "newsdedup.log", encoding="utf-8", errors="backslashreplace")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    _crash.addHandler(handler)
    return folder / "newsdedup.log"


_crash = logging.getLogger("newsdedup.crash")
_crash.propagate = False  # its tracebacks go to the file alone, whatever -v says


def main(argv: list[str] | None = None) -> int:
    try:
        return _main(argv)
    except KeyboardInterrupt:
        say("newsdedup: interrupted; nothing of this run was saved (a workspace keeps its last saved state)",
            sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        return 1  # the reader of our output went away (| head): nothing more to say
    except Exception as exc:  # a bug of ours: one plain line, the details in the log file
        log = _crash_log()
        _crash.error("newsdedup failed", exc_info=True)
        where = f"; details are in {log}" if log else ""
        say(f"newsdedup: something went wrong ({type(exc).__name__}: {exc}){where}. Please report it",
            sys.stderr)
        return 1



def _main(argv: list[str] | None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=(logging.WARNING, logging.INFO, logging.DEBUG)[min(args.verbose, 2)],
                        format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    if args.command == "scan":
        return _scan(parser, args)
    if args.command == "gui":
        from newsdedup.gui.app import main as gui_main

        return gui_main([str(p) for p in args.paths])
    parser.print_help()
    return EXIT_USAGE


if __name__ == "__main__":
    sys.exit(main())
