"""Imported at start-up by every Python process that tools/mutate.py's test runs start
(it puts this folder first on PYTHONPATH): installs the mutant named in the environment."""

import _mutant_hook

_mutant_hook.install_from_env()
