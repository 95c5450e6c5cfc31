"""Former path of `portrait bench components`; kept for old commands and scripts, use `portrait bench components`."""

import sys

from portrait.cli import main

sys.exit(main(["bench", "components", *sys.argv[1:]]))
