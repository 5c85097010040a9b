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


# --- numbers a school may print as its own -------------------------------------------------------

@pytest.mark.parametrize("typed, printed", [
    ("0113 496 0102", "0113 496 0102"),  # geographic, 01
    ("020 7946 0999", "020 7946 0999"),  # geographic, 02
    ("0300 123 1113", "0300 123 1113"),  # 03: charged as a geographic call
    ("0345 000 0000", "0345 000 0000"),
    ("0800 1111", "0800 1111"),  # freephone
    ("0808 800 5000", "0808 800 5000"),
    ("07400 123456", "07400 123456"),  # mobile
    ("+44 7512 345678", "07512 345678"),
    ("+44 (0)113 496 0102", "0113 496 0102"),
    ("0044 113 496 0102", "0113 496 0102"),
])
def test_numbers_a_school_may_print(typed: str, printed: str):
    from cseprint.phones import normalise

    assert normalise(typed) == (printed, None, False)


@pytest.mark.parametrize("typed, reason", [
    ("999", "is the emergency number"),
    ("112", "is the emergency number"),
    ("101", "is the police non-emergency number"),
    ("111", "is the NHS non-emergency number"),
    ("116 123", "is a national helpline (116 xxx)"),
    ("116000", "is a national helpline (116 xxx)"),
    ("118 118", "is a directory enquiries number (118)"),
    ("118500", "is a directory enquiries number (118)"),
    ("0901 123 4567", "is a premium-rate number (09)"),
    ("09011234567", "is a premium-rate number (09)"),
    ("9011234567", "is a premium-rate number (09)"),  # the 0 a spreadsheet dropped changes nothing
    ("070 0012 3456", "is a personal number (070)"),
    ("0871 234 5678", "is a service-charge number (087x)"),
    ("0870 000 0000", "is a service-charge number (087x)"),
    ("0845 123 4567", "is a service-charge number (084x)"),
    ("07600 123456", "is a pager number (076)"),
    ("0561 234 5678", "is an internet-phone number (056)"),
    ("0551 234 5678", "is a corporate number (055)"),
    ("1571", "is a short code"),
    ("+33 1 23 45 67 89", "is not a UK number"),
    ("07911 123456", "is not a valid UK phone number"),  # a mobile range with no numbers in it
])
def test_numbers_a_school_may_not_print_are_refused_with_the_reason(typed: str, reason: str):
    from cseprint.phones import normalise

    printed, why, _ = normalise(typed)
    assert printed is None and reason in why and f"'{typed}'" in why
    if "not a" not in reason:  # a refusal by kind says what to give instead
        assert "01, 02, 03, 0800, 0808 or a mobile" in why


def test_a_batch_refuses_each_unsafe_school_number_naming_its_cell(ws, tmp_path):
    """The CLI: each bad number fails its own school, with the file, row, column, key and reason."""
    header = "id,name,nation,checked_on,dsl_name,dsl_phone,council_name,council_phone,council_hours,council_out_of_hours\n"
    rows = ["good-school,Good School,england,2026-11-01,Ann,0113 496 0102,Council,0113 496 0000,Mon-Fri,020 7946 0999\n",
            "bad-999,Bad One,england,2026-11-01,Ann,999,Council,0113 496 0000,Mon-Fri,020 7946 0999\n",
            "bad-0871,Bad Two,england,2026-11-01,Ann,0113 496 0102,Council,0871 234 5678,Mon-Fri,020 7946 0999\n",
            "bad-118,Bad Three,england,2026-11-01,Ann,0113 496 0102,Council,0113 496 0000,Mon-Fri,118 118\n"]
    path = tmp_path / "schools.csv"
    path.write_text(header + "".join(rows), encoding="utf-8")
    r = ws.check("--schools", str(path), "--jobs", "1", "--layout", "who-to-tell-a4")
    assert r.code == 1
    assert "schools.csv:3:6: dsl.phone: '999' is the emergency number" in r.err
    assert "schools.csv:4:8: council.phone: '0871 234 5678' is a service-charge number (087x)" in r.err
    assert "schools.csv:5:10: council.out_of_hours: '118 118' is a directory enquiries number" in r.err
    assert "1 ok, 3 with problems" in r.out and "FAILED row 2" not in r.err
