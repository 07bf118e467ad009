"""``python -m bot`` runs the ``dxlab`` command line."""

import sys

from bot.cli import main

sys.exit(main())
