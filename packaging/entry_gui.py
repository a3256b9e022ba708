"""The bundle's desktop app: newsdedup-gui [PATH...]."""

import multiprocessing
import sys

from newsdedup.gui.app import main

if __name__ == "__main__":
    multiprocessing.freeze_support()  # a frozen app must not rerun itself if a library starts processes
    sys.exit(main())
