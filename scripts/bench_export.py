"""Former path of `portrait bench export`; kept for old commands and scripts, use `portrait bench export`."""

import sys

from portrait.cli import main

sys.exit(main(["bench", "export", *sys.argv[1:]]))
