"""Former path of `portrait summary`; kept for old commands and scripts, use `portrait summary`."""

import sys

from portrait.cli import main

sys.exit(main(["summary", *sys.argv[1:]]))
