#!/usr/bin/env python3
"""Make print-ready CSE awareness materials. Run ``python3 generate.py --help``.

Works with whichever ``python3`` you type: if it lacks the packages and the
project's ``.venv`` has them, the program runs itself again with ``.venv``'s
Python (see cseprint/bootstrap.py); if nothing is set up yet, it says to run
``python3 generate.py setup``.
"""

import sys
from pathlib import Path

if sys.version_info < (3, 11):  # noqa: UP036  (an older python3 must get a sentence, not a SyntaxError)
    sys.stderr.write(f"generate.py needs Python 3.11 or newer; this is Python {sys.version.split()[0]}.\n")
    sys.exit(2)

from cseprint.bootstrap import ensure_packages  # noqa: E402  (the version check must come first)
from cseprint.cli import main  # noqa: E402

if __name__ == "__main__":
    status = ensure_packages(sys.argv[1:], Path(__file__))
    sys.exit(main() if status is None else status)
