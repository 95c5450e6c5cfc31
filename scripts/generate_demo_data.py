"""Former path of `portrait generate`; kept for old commands and scripts, use `portrait generate`."""

import sys

from portrait.cli import main

sys.exit(main(["generate", *sys.argv[1:]]))
