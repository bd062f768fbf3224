"""Parse YAML and remember the line of every value, so errors can point at it."""

from __future__ import annotations

from typing import Any

import yaml

__all__ = ["parse_with_lines", "line_of", "YamlProblem"]


class YamlProblem(ValueError):
    """Broken YAML: carries the 1-based line and a plain explanation."""

    def __init__(self, line: int | None, message: str):
        self.line = line
        self.message = message
        super().__init__(message)


class _Loader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys (PyYAML silently keeps the last one)."""


def _construct_mapping(loader: _Loader, node: yaml.MappingNode, deep: bool = False) -> dict:
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in seen:
            raise YamlProblem(
                key_node.start_mark.line + 1,
                f"duplicate key {key!r} (first given on line {seen[key]})",
            )
        seen[key] = key_node.start_mark.line + 1
    return yaml.SafeLoader.construct_mapping(loader, node, deep=deep)


_Loader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


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

    Raises YamlProblem for broken YAML, duplicate keys or more than one document.
    """
    loader = _Loader(text)
    try:
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
        loader.dispose()


def line_of(lines: dict[tuple, int], path: tuple) -> int | None:
    """The line of the deepest known prefix of `path`."""
    for end in range(len(path), -1, -1):
        if path[:end] in lines:
            return lines[path[:end]]
    return None
