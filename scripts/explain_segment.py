"""Former path of `portrait explain segment`; kept for old commands and scripts, use `portrait explain segment`."""

import sys

from portrait.cli import main

sys.exit(main(["explain", "segment", *sys.argv[1:]]))
