"""phones.check_pair: the printed and dialled forms of a number agree and are valid UK numbers."""

from __future__ import annotations

import pytest

from cseprint.phones import check_pair


@pytest.mark.parametrize("printed, dialled", [
    ("0808 800 5000", "08088005000"),  # NSPCC helpline
    ("0808 800 5000", "+448088005000"),  # dialled in international form
    ("0800 1111", "08001111"),  # Childline
    ("0800 555 111", "0800555111"),  # Crimestoppers
    ("020 7946 0000", "02079460000"),  # a geographic (London drama-range) number
    ("999", "999"),
    ("112", "112"),
    ("101", "101"),
    ("111", "111"),
    ("116 123", "116123"),  # a 116 harmonised service
])
def test_valid_pairs(printed: str, dialled: str):
    assert check_pair(printed, dialled) is None


def test_valid_textphone():
    assert check_pair("18001 101", "18001101", textphone=True) is None


@pytest.mark.parametrize("printed, dialled, fragment", [
    ("0800 1111", "08001112", "are different numbers"),
    ("0808 800 5000", "+448088005001", "are different numbers"),
    ("0808 800 5000", "0808800500", "are different numbers"),
    ("0800 1112", "08001112", "not a valid UK phone number"),
    ("0808 800 500", "0808800500", "not a valid UK phone number"),
    ("44 808", "44808", "not a valid UK short number"),
    ("0808  800 5000", "08088005000", "not printed as digits in groups separated by single spaces"),
    ("0808-800-5000", "08088005000", "not printed as digits"),
    ("0808 800 5000 ", "08088005000", "not printed as digits"),
    (" 0808 800 5000", "08088005000", "not printed as digits"),
    ("+44 808 800 5000", "+448088005000", "not printed as digits"),
    ("0808 800 5OOO", "08088005000", "not printed as digits"),  # letter O for zero
    ("", "", "not printed as digits"),
])
def test_invalid_pairs(printed: str, dialled: str, fragment: str):
    why = check_pair(printed, dialled)
    assert why is not None and fragment in why
    if printed.strip():
        assert repr(printed)[1:-1] in why or printed in why  # the message quotes what was typed


def test_textphone_needs_relay_prefix():
    why = check_pair("101", "101", textphone=True)
    assert why is not None and "Relay UK" in why and "18001" in why


def test_textphone_relay_prefix_then_a_valid_number():
    assert check_pair("18001 0808 800 5000", "1800108088005000", textphone=True) is None
    why = check_pair("18001 0800 1112", "1800108001112", textphone=True)
    assert why is not None and "not a valid UK phone number" in why


def test_returns_none_or_a_sentence():
    assert check_pair("0808 800 5000", "08088005000") is None
    assert isinstance(check_pair("0808 800 5000", "08088005001"), str)
