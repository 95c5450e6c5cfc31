"""Former path of `portrait bench tags`; kept for old commands and scripts, use `portrait bench tags`."""

import sys

from portrait.cli import main

sys.exit(main(["bench", "tags", *sys.argv[1:]]))
