"""``python -m reluviz``: the same command line as the ``reluviz`` command."""

import sys

from reluviz.studio.cli.main import main

sys.exit(main())
