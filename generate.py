#!/usr/bin/env python3
"""Make print-ready CSE awareness materials. Run ``python generate.py --help``."""

import sys

from cseprint.cli import main

if __name__ == "__main__":
    sys.exit(main())
