"""Former path of `portrait export`; kept for old commands and scripts, use `portrait export`."""

import sys

from portrait.cli import main

sys.exit(main(["export", *sys.argv[1:]]))
