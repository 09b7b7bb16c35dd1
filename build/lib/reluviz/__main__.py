"""``python -m reluviz``: the same command line as the ``reluviz`` command."""

import sys

from reluviz.studio.cli import main

sys.exit(main())
