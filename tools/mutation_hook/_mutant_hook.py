"""Load one mutated module in place of the real one (used by tools/mutate.py only).

The mutant is a code object compiled from the mutated syntax tree, stored with
``marshal`` (same interpreter, so the same bytecode format). The test process
forked by tools/mutate.py installs it directly; Python processes that the
tests start in turn (a build in a subprocess, a batch worker) install it from
the environment through ``sitecustomize.py`` beside this file, so a mutant is
live wherever the code under test runs.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import marshal
import os
import sys

ENV_MODULE = "CSEPRINT_MUTANT_MODULE"  # e.g. cseprint.preflight
ENV_PATH = "CSEPRINT_MUTANT_PATH"  # the real file, for __file__ (pdfx finds icc/ from it)
ENV_CODE = "CSEPRINT_MUTANT_CODE"  # the marshalled code object


class MutantFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Finds exactly one module name and executes the mutated code for it."""

    def __init__(self, name: str, path: str, code) -> None:
        self.name, self.path, self.code = name, path, code

    def find_spec(self, fullname, path=None, target=None):
        if fullname != self.name:
            return None
        package = os.path.basename(self.path) == "__init__.py"
        return importlib.util.spec_from_file_location(
            fullname, self.path, loader=self,
            submodule_search_locations=[os.path.dirname(self.path)] if package else None)

    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        exec(self.code, module.__dict__)


def install(name: str, path: str, code) -> None:
    sys.meta_path.insert(0, MutantFinder(name, path, code))


def install_from_env() -> None:
    name, path, code_file = (os.environ.get(k) for k in (ENV_MODULE, ENV_PATH, ENV_CODE))
    if name and path and code_file:
        with open(code_file, "rb") as f:
            install(name, path, marshal.load(f))
