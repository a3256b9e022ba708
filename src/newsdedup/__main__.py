import sys

from newsdedup.cli import main

sys.exit(main())
