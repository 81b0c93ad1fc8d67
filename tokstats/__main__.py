"""``python -m tokstats`` runs the command line."""

import sys

from tokstats.cli import main

sys.exit(main())
