"""The bundle's command line: newsdedup scan PATH... (and newsdedup gui)."""

import multiprocessing
import sys

from newsdedup.cli import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen app must not rerun itself if a library starts processes
    sys.exit(main())
