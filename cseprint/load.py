"""Stage 1: read YAML into plain values that remember where each value came from.

Why not ``yaml.safe_load``: it forgets line numbers, silently keeps the last of
two duplicate keys, and expands aliases (a "billion laughs" file can exhaust
memory). Here we compose the node graph with the safe loader ourselves, so:

* every mapping and list records the file:line:column of each key and value;
* a duplicate key is an error;
* anchors and aliases are refused (content files never need them);
* only the safe loader's plain tags are constructed (no Python objects).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import yaml

from .errors import InputError, Location, Problem

MAX_FILE_BYTES = 2_000_000
MAX_DEPTH = 40
PLAIN_TAGS = ("tag:yaml.org,2002:map", "tag:yaml.org,2002:seq")  # content and layouts nest a few levels; a deeper file is hostile or broken
# libyaml's parser when PyYAML was built with it (about 5x faster; the same nodes and marks)
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class LDict(dict):
    """A dict that knows where it, its keys and its values were written."""

    loc: Location
    key_locs: dict[Any, Location]
    value_locs: dict[Any, Location]

    def loc_of(self, key: Any) -> Location:
        return self.value_locs.get(key, self.loc)

    def key_loc(self, key: Any) -> Location:
        return self.key_locs.get(key, self.loc)


class LList(list):
    """A list that knows where it and each of its items were written."""

    loc: Location
    item_locs: list[Location]

    def loc_of(self, index: int) -> Location:
        if 0 <= index < len(self.item_locs):
            return self.item_locs[index]
        return self.loc


def _loc(name: str, node: yaml.Node) -> Location:
    mark = node.start_mark
    return Location(name, mark.line + 1, mark.column + 1)


def display_name(path: Path) -> str:
    """Show paths relative to the working directory when they are inside it."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def load_yaml(path: Path, key: str = "") -> Any:
    """Read one YAML file; raise InputError naming the file, line and key on any fault.

    ``key`` prefixes the key paths in messages (content files: the file's stem,
    so a fault reads ``products.poster_subhead``, as layouts name it).
    """
    name = display_name(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise InputError([Problem(Location(name), "", f"cannot read file: {exc.strerror}")]) from None
    if len(raw) > MAX_FILE_BYTES:
        raise InputError([Problem(Location(name), "", f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,}")])
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError([Problem(Location(name), "", f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")]) from None
    return load_yaml_text(text, name, key)


def load_yaml_text(text: str, name: str, key: str = "") -> Any:
    """Parse YAML text (see module docstring for what is refused)."""
    loader = SafeLoader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            loc = Location(name, mark.line + 1, mark.column + 1) if mark else Location(name)
            what = " ".join(str(x) for x in (exc.context, exc.problem) if x)
            raise InputError([Problem(loc, "", f"YAML syntax error: {what}")]) from None
        except yaml.YAMLError as exc:
            raise InputError([Problem(Location(name), "", f"YAML error: {exc}")]) from None
        except RecursionError:
            raise InputError([Problem(Location(name), "", f"nested too deeply (more than {MAX_DEPTH} levels)")]) from None
        if node is None:
            return None
        problems: list[Problem] = []
        value = _convert(loader, node, name, problems, set(), 0, key)
        if problems:
            raise InputError(problems)
        return value
    finally:
        loader.dispose()


def _convert(loader: Any, node: yaml.Node, name: str, problems: list[Problem], seen: set[int], depth: int,
             key: str) -> Any:
    """Node graph -> LDict/LList/scalars; ``key`` is the path so far, for messages."""
    if depth > MAX_DEPTH:
        problems.append(Problem(_loc(name, node), key, f"nested too deeply (more than {MAX_DEPTH} levels)"))
        return None
    if id(node) in seen:
        problems.append(Problem(_loc(name, node), key,
                                "anchors and aliases (&name / *name) are not allowed; write the value out"))
        return None
    seen.add(id(node))
    if isinstance(node, (yaml.MappingNode, yaml.SequenceNode)) and node.tag not in PLAIN_TAGS:
        problems.append(Problem(_loc(name, node), key, f"cannot read value: the tag {node.tag!r} is not allowed; "
                                "write plain YAML"))
        return None
    if isinstance(node, yaml.MappingNode):
        out = LDict()
        out.loc, out.key_locs, out.value_locs = _loc(name, node), {}, {}
        try:
            loader.flatten_mapping(node)
        except yaml.MarkedYAMLError as exc:
            problems.append(Problem(_loc(name, node), key, f"YAML merge error: {exc.problem}"))
            return out
        for key_node, value_node in node.value:
            k = _convert(loader, key_node, name, problems, seen, depth + 1, key)
            if isinstance(k, (LDict, LList)) or k is None:
                problems.append(Problem(_loc(name, key_node), key, "a key must be plain text"))
                continue
            if not isinstance(k, str):
                k = str(k)
            sub = f"{key}.{k}" if key else k
            if k in out:
                first = out.key_locs[k]
                problems.append(Problem(_loc(name, key_node), sub,
                                        f"duplicate key (first written at line {first.line}); remove one"))
                continue
            out.key_locs[k] = _loc(name, key_node)
            out.value_locs[k] = _loc(name, value_node)
            out[k] = _convert(loader, value_node, name, problems, seen, depth + 1, sub)
        return out
    if isinstance(node, yaml.SequenceNode):
        items = LList()
        items.loc, items.item_locs = _loc(name, node), []
        for child in node.value:
            items.item_locs.append(_loc(name, child))
            items.append(_convert(loader, child, name, problems, seen, depth + 1, f"{key}[{len(items)}]"))
        return items
    try:
        value = loader.construct_object(node, deep=True)
    except yaml.constructor.ConstructorError as exc:
        problems.append(Problem(_loc(name, node), key, f"cannot read value: {exc.problem}"))
        return None
    except (ValueError, OverflowError) as exc:  # a date that does not exist: 2026-02-30, 2026-13-01, 0000-01-01
        problems.append(Problem(_loc(name, node), key, f"{node.value!r} is not a real date ({exc}); write it "
                                "YYYY-MM-DD"))
        return None
    if isinstance(value, float) and not math.isfinite(value):
        problems.append(Problem(_loc(name, node), key, f"{node.value} is not a number that can be printed or "
                                "measured (not-a-number or infinity); write a number, or text in quotes"))
        return None
    return value
