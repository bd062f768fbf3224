"""Limits no real model, scenario or session comes near; input beyond them is refused at once.

A library model is about 15 kB, nests 7 levels, has some 1,400 YAML nodes and 40 steps; the
limits leave a hundredfold room and still keep every command's answer under a second or two,
so a hostile file (a billion-laughs alias bomb, a 13 MB file, thousands of nested brackets)
gets a message naming the limit instead of minutes of work or a RecursionError.
"""

from __future__ import annotations

__all__ = [
    "MAX_YAML_BYTES",
    "MAX_JSON_BYTES",
    "MAX_DEPTH",
    "MAX_ALIASES",
    "MAX_NODES",
    "MAX_ITEMS",
    "MAX_WEEKLY_VISITORS",
    "MAX_CAPACITY",
    "MAX_MESSAGE_INPUT",
]

#: bytes of a YAML file (model, scenario): a library model is about 15 kB
MAX_YAML_BYTES = 2_000_000
#: bytes of a JSON file (workshop session with its results, requirements master)
MAX_JSON_BYTES = 64_000_000
#: levels of nested mappings and lists in a YAML file: a model uses 7
MAX_DEPTH = 50
#: aliases (`*name`) in a YAML file
MAX_ALIASES = 10_000
#: YAML nodes after aliases are expanded: a library model has about 1,400
MAX_NODES = 250_000
#: items in each list of a model; a library model has at most 40 steps, 60 flows, 12 errands, 6 segments
#: (errands x segments are simulated as combinations, hence their tighter bounds)
MAX_ITEMS = {
    "lanes": 50,
    "pools": 500,
    "steps": 5_000,
    "flows": 10_000,
    "errands": 200,
    "segments": 100,
    "annotations": 5_000,
}
#: visitors a week: the largest office in the brief has 2,000, a city a few times that; the engine is linear
#: up to a hundred Skärholmens (200,000 a week: some 5 s and under 1 GiB), beyond is a slip of the keyboard
MAX_WEEKLY_VISITORS = 250_000
#: units of one pool (staff, computers, rooms) at once
MAX_CAPACITY = 1_000
#: characters of a user's value quoted back in an error message
MAX_MESSAGE_INPUT = 80
