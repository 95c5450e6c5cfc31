"""Former path of `portrait bench`; kept for old commands and scripts, use `portrait bench`."""

import sys

from portrait.cli import main

sys.exit(main(["bench", *sys.argv[1:]]))
