"""Parse YAML and remember the line of every value, so errors can point at it.

Also the one place that turns a YAML file into data or a user error (`read_yaml`): the
file's text, then the limits no person reaches (depth, aliases, nodes after expansion),
then the document, each refusal naming the file and line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from .errors import FileError
from .limits import MAX_ALIASES, MAX_DEPTH, MAX_NODES, MAX_YAML_BYTES
from .text_file import control_character, read_text

__all__ = ["parse_with_lines", "line_of", "YamlProblem", "read_yaml"]

# libyaml parses ten times faster than pure Python; the marks (lines) are the same
_BASE = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class YamlProblem(ValueError):
    """Broken YAML: carries the 1-based line and a plain explanation."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


class _Loader(_BASE):
    """SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""

    def construct_yaml_timestamp(self, node):
        try:
            return super().construct_yaml_timestamp(node)
        except (ValueError, OverflowError) as exc:  # 2026-13-45 matches the pattern but is no date
            raise yaml.constructor.ConstructorError(None, None, f"{node.value!r} is not a date ({exc})",
                                                    node.start_mark) from None


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        try:
            first = seen.get(key)
        except TypeError:  # an unhashable key: the base constructor says so with its line
            break
        if first is not None:
            raise YamlProblem(key_node.start_mark.line + 1, f"duplicate key {key!r} (first given on line {first})")
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)


def _check_limits(text: str) -> None:
    """Refuse control characters, nesting, aliases and expanded size no real file has, before building anything.

    Walks the parser's events (no recursion): each closed node's size, aliases add the
    size of what they point at, so a billion-laughs bomb is caught before it expands.
    """
    bad = control_character(text)
    if bad is not None:
        line, column, code = bad
        raise YamlProblem(line, f"column {column}: control character {code}; expected text, not a binary file")
    sizes: list[int] = []  # open collections: nodes inside so far
    anchors: list[str | None] = []
    anchored: dict[str, int] = {}
    total = aliases = 0
    for event in yaml.parse(text, Loader=_BASE):
        line = event.start_mark.line + 1
        if isinstance(event, _STARTS):
            if len(sizes) >= MAX_DEPTH:
                raise YamlProblem(line, f"nested more than {MAX_DEPTH} levels deep, the most MBK Studio reads; "
                                        "a model needs about 7")
            sizes.append(1)
            anchors.append(event.anchor)
            continue
        if isinstance(event, _ENDS):
            size, anchor = sizes.pop(), anchors.pop()
        elif isinstance(event, yaml.ScalarEvent):
            size, anchor = 1, event.anchor
        elif isinstance(event, yaml.AliasEvent):
            aliases += 1
            if aliases > MAX_ALIASES:
                raise YamlProblem(line, f"more than {MAX_ALIASES:,} aliases, the most MBK Studio reads")
            if event.anchor in anchors:
                raise YamlProblem(line, f"alias *{event.anchor} points into itself; expected a value that ends")
            size, anchor = anchored.get(event.anchor, 1), None
        else:
            continue
        if anchor is not None:
            anchored[anchor] = size
        if sizes:
            sizes[-1] += size
        else:
            total += size
        if total + sum(sizes) > MAX_NODES:
            raise YamlProblem(line, f"more than {MAX_NODES:,} values once aliases are expanded, the most "
                                    "MBK Studio reads; a model has about 1,500")


def _index_lines(node: yaml.Node, path: tuple, lines: dict[tuple, int], loader: _Loader) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node)
            lines[path + (key,)] = key_node.start_mark.line + 1
            _index_lines(value_node, path + (key,), lines, loader)
            lines[path + (key,)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            _index_lines(item, path + (i,), lines, loader)


def parse_with_lines(text: str) -> tuple[Any, dict[tuple, int]]:
    """Return the parsed document and a map from each value's path to its line.

    Raises YamlProblem for broken YAML, duplicate keys, more than one document, control
    characters, or nesting, aliases or size beyond the limits in `limits.py`.
    """
    loader = None
    try:
        _check_limits(text)
        loader = _Loader(text)
        node = loader.get_single_node()
        if node is None:
            return None, {}
        data = loader.construct_document(node)
        lines: dict[tuple, int] = {}
        _index_lines(node, (), lines, loader)
        return data, lines
    except YamlProblem:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else None
        what = exc.problem or str(exc)
        if exc.context:
            what = f"{what} ({exc.context})"
        raise YamlProblem(line, f"broken YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(None, f"broken YAML: {exc}") from None
    finally:
        if loader is not None:
            loader.dispose()


def read_yaml(path: str | Path, what: str) -> tuple[Any, dict[tuple, int]]:
    """The document in the YAML file at `path` and the line of each value; `what` names it ("scenario file").

    Raises FileError (a UserError) naming the file and line: missing, unreadable, too big,
    not UTF-8, broken or hostile YAML.
    """
    text = read_text(path, what, MAX_YAML_BYTES)
    try:
        return parse_with_lines(text)
    except YamlProblem as exc:
        raise FileError(str(path), exc.message, exc.line, check="yaml") from None


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of the deepest known prefix of `path`."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
