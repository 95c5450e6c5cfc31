"""`python -m portrait ...` runs the `portrait` command."""

import sys

from portrait.cli import main

sys.exit(main())
