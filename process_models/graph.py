"""Convert a ProcessModel to a networkx DiGraph and back, without loss.

Steps are nodes (in model order), flows are edges. Several flows may join the same two
steps under different conditions, so each edge carries the list of its flows with their
position in the model; everything that is not a step or flow rides in `graph.graph`.
"""

from __future__ import annotations

import networkx as nx

from .schema import ProcessModel

__all__ = ["to_graph", "from_graph", "journey_order"]

_NODE_FIELDS = "steps"
_EDGE_FIELDS = "flows"


def to_graph(model: ProcessModel) -> nx.DiGraph:
    """A DiGraph with one node per step and one edge per pair of steps joined by flows."""
    data = model.model_dump(mode="json", by_alias=True)
    steps = data.pop(_NODE_FIELDS)
    flows = data.pop(_EDGE_FIELDS)
    g = nx.DiGraph(**{"model": data})
    for step in steps:
        g.add_node(step["id"], **step)
    for position, flow in enumerate(flows):
        key = (flow["from"], flow["to"])
        if g.has_edge(*key):
            g.edges[key]["flows"].append({**flow, "position": position})
        else:
            g.add_edge(*key, flows=[{**flow, "position": position}])
        g.edges[key]["probability"] = sum(f["probability"] for f in g.edges[key]["flows"])
    return g


def from_graph(g: nx.DiGraph) -> ProcessModel:
    """Rebuild the model that `to_graph` converted; round trip is the identity."""
    data = dict(g.graph["model"])
    data[_NODE_FIELDS] = [dict(attrs) for _, attrs in g.nodes(data=True)]
    flows = [f for _, _, attrs in g.edges(data=True) for f in attrs["flows"]]
    flows.sort(key=lambda f: f["position"])
    data[_EDGE_FIELDS] = [{k: v for k, v in f.items() if k != "position"} for f in flows]
    return ProcessModel.model_validate(data)


def journey_order(model: ProcessModel) -> dict[str, int]:
    """Rank of each step along the visitor's journey: longest path from a start, ignoring loops.

    Used to place steps left to right in the blueprint.
    """
    g = nx.DiGraph()
    g.add_nodes_from(s.id for s in model.steps)
    g.add_edges_from((f.source_step, f.target_step) for f in model.flows)
    # Break loops (a visitor sent back to a queue) by dropping one edge per cycle found.
    dag = g.copy()
    while True:
        try:
            cycle = nx.find_cycle(dag)
        except nx.NetworkXNoCycle:
            break
        dag.remove_edge(*cycle[-1][:2])
    rank: dict[str, int] = {}
    for node in nx.topological_sort(dag):
        preds = list(dag.predecessors(node))
        rank[node] = 1 + max((rank[p] for p in preds), default=-1)
    return rank
