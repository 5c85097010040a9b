"""The test suite (a package, so test modules share helpers from conftest)."""
