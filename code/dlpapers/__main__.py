"""``python -m dlpapers``: see :mod:`dlpapers.cli`."""

import sys

from dlpapers.cli import main

sys.exit(main())
