"""Stage 1, load: YAML to plain values that remember file:line:column; what it refuses."""

from __future__ import annotations

from pathlib import Path

import pytest

from cseprint.errors import InputError, Location
from cseprint.load import LDict, LList, load_yaml, load_yaml_text

DOC = """\
# a comment
title: "Hello"
contacts:
  nspcc:
    phone: "0808 800 5000"
items:
  - first
  -   second
  - {id: third}
"""


def problems(text: str) -> list[str]:
    with pytest.raises(InputError) as exc:
        load_yaml_text(text, "f.yaml")
    return [str(p) for p in exc.value.problems]


def test_mapping_values_and_keys_keep_their_location():
    d = load_yaml_text(DOC, "f.yaml")
    assert isinstance(d, LDict)
    assert d.loc == Location("f.yaml", 2, 1)
    assert d.key_loc("title") == Location("f.yaml", 2, 1)
    assert d.loc_of("title") == Location("f.yaml", 2, 8)
    nspcc = d["contacts"]["nspcc"]
    assert nspcc.key_loc("phone") == Location("f.yaml", 5, 5)
    assert nspcc.loc_of("phone") == Location("f.yaml", 5, 12)
    assert str(nspcc.loc_of("phone")) == "f.yaml:5:12"
    # an unknown key falls back to the mapping's own location
    assert nspcc.loc_of("nope") == nspcc.loc == Location("f.yaml", 5, 5)


def test_list_items_keep_their_location():
    items = load_yaml_text(DOC, "f.yaml")["items"]
    assert isinstance(items, LList)
    assert items == ["first", "second", {"id": "third"}]
    assert items.item_locs == [Location("f.yaml", 7, 5), Location("f.yaml", 8, 7), Location("f.yaml", 9, 5)]
    assert items.loc_of(1) == Location("f.yaml", 8, 7)
    assert items.loc_of(99) == items.loc
    assert items[2].loc_of("id") == Location("f.yaml", 9, 10)


def test_file_location_uses_path_relative_to_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "x.yaml").write_text("a: 1\nb: 2\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    d = load_yaml(tmp_path / "sub" / "x.yaml")
    assert d.loc_of("b") == Location(str(Path("sub") / "x.yaml"), 2, 4)


def test_duplicate_key_names_both_lines():
    got = problems("a: 1\nb: 2\n\na: 3\n")
    assert len(got) == 1
    msg = got[0]
    assert msg.startswith("f.yaml:4:1: a: ")  # where the second one is
    assert "duplicate key" in msg and "line 1" in msg  # and where the first one was


def test_duplicate_key_in_nested_mapping():
    got = problems("x:\n  y: 1\n  z: 2\n  y: 3\n")
    assert got == ["f.yaml:4:3: x.y: duplicate key (first written at line 2); remove one"]  # the full key path


@pytest.mark.parametrize("text", [
    "a: &x 1\nb: *x\n",
    "a: &x [1, 2]\nb: *x\n",
    "base: &b {x: 1}\nc:\n  <<: *b\n  y: 2\n",
])
def test_anchors_and_aliases_are_refused(text: str):
    got = problems(text)
    assert any("anchors and aliases" in p for p in got), got


def test_billion_laughs_is_refused_without_expanding():
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for i in range(1, 10):
        prev, name = chr(ord("a") + i - 1), chr(ord("a") + i)
        lines.append(f"{name}: &{name} [" + ",".join(f"*{prev}" for _ in range(9)) + "]")
    got = problems("\n".join(lines) + "\n")
    assert any("anchors and aliases" in p for p in got)


@pytest.mark.parametrize("text", [
    "a: !!python/object:os.system foo\n",
    "a: !!python/name:os.system\n",
    "a: !!python/object/apply:os.system echo\n",
])
def test_python_tags_on_scalars_are_refused(text: str):
    got = problems(text)
    assert any("cannot read value" in p for p in got), got


@pytest.mark.parametrize("text", [
    "a: !!python/object:os.system {x: 1}\n",
    "a: !!python/object/apply:os.system [echo hi]\n",
    "a: !!python/object/new:os.system [echo hi]\n",
])
def test_python_tags_on_collections_are_refused(text: str):
    with pytest.raises(InputError):
        load_yaml_text(text, "f.yaml")


def test_non_utf8_file_is_refused(tmp_path: Path):
    p = tmp_path / "latin1.yaml"
    p.write_bytes("name: caf\u00e9\n".encode("latin-1"))
    with pytest.raises(InputError) as exc:
        load_yaml(p)
    msg = str(exc.value)
    assert "not UTF-8" in msg and "latin1.yaml" in msg and "byte 9" in msg


def test_utf8_bom_is_accepted(tmp_path: Path):
    p = tmp_path / "bom.yaml"
    p.write_bytes(b"\xef\xbb\xbfname: caf\xc3\xa9\nnext: 2\n")
    d = load_yaml(p)
    assert d == {"name": "caf\u00e9", "next": 2}
    assert d.loc_of("next").line == 2


def test_syntax_error_carries_line_and_column():
    got = problems("a: 1\nb: 2\nc: [1, 2\nd: 4\n")
    assert len(got) == 1
    assert got[0].startswith("f.yaml:4:")
    assert "YAML syntax error" in got[0]


def test_tab_indentation_is_a_syntax_error_at_its_line():
    got = problems("a:\n  b: 1\n\tc: 2\n")
    assert got[0].startswith("f.yaml:3:") and "YAML syntax error" in got[0]


def test_unreadable_and_oversized_files(tmp_path: Path):
    with pytest.raises(InputError, match="cannot read file"):
        load_yaml(tmp_path / "missing.yaml")
    big = tmp_path / "big.yaml"
    big.write_bytes(b"a: " + b"x" * 2_000_001 + b"\n")
    with pytest.raises(InputError, match="the limit is"):
        load_yaml(big)


@pytest.mark.parametrize("depth", [100, 600, 5000])
def test_deep_nesting_is_refused(depth: int):
    got = problems("a: " + "[" * depth + "]" * depth + "\n")
    assert any("nest" in p for p in got), got  # "nested too deeply", or libyaml's "maximum nesting depth"


def test_ordinary_nesting_is_fine():
    assert load_yaml_text("a: " + "[" * 10 + "1" + "]" * 10 + "\n", "f.yaml")["a"][0][0][0][0][0][0][0][0][0] == [1]


def test_empty_file_is_none():
    assert load_yaml_text("# only a comment\n", "f.yaml") is None


def test_non_text_keys_are_refused():
    got = problems("? [1, 2]\n: a\n")
    assert any("a key must be plain text" in p for p in got)
