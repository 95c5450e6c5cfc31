"""Former path of `portrait explain identity`; kept for old commands and scripts, use `portrait explain identity`."""

import sys

from portrait.cli import main

sys.exit(main(["explain", "identity", *sys.argv[1:]]))
