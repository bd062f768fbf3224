"""The blueprint canvas as a Panel component: Cytoscape.js, bundled from npm into the package.

`graph` is what `canvas_data.canvas_graph` computes; `selected` is 'step:<id>', 'flow:<key>'
or ''; what a participant does on the canvas arrives as a message and goes to `on_action`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import param
from panel.custom import JSComponent

__all__ = ["BlueprintCanvas", "BUNDLE"]

#: Built by `make` from workshop_app/frontend (npm: cytoscape, esbuild); nothing comes from a CDN.
BUNDLE = Path(__file__).resolve().parents[1] / "static" / "canvas.bundle.js"


class BlueprintCanvas(JSComponent):
    """Pan, zoom and fit; click to select; drag, connect, delete, undo when `graph['editable']`."""

    graph = param.Dict(default={}, doc="What the canvas draws (Python's side; the browser gets it as `graph_json`).")
    graph_json = param.String(default="{}", doc="`graph` as JSON text: sent to the browser as one string.")
    selected = param.String(default="")
    view = param.List(default=[], doc="The map area shown, [x1, y1, x2, y2] in map units (reported and followed).")

    _esm = BUNDLE
    _stylesheets = [
        """
        .mbk-canvas-wrap { position: relative; }
        .mbk-canvas { width: 100%; height: clamp(360px, calc(100vh - 120px), 980px); border: 1px solid #9e9e9e;
          border-radius: 4px; background: #fff; }
        .mbk-canvas:focus { outline: 3px solid #1f5fa8; outline-offset: 2px; }
        .mbk-canvas-bar { display: flex; gap: 6px; margin: 0 0 6px 0; flex-wrap: wrap; }
        .mbk-canvas-bar button { font: inherit; font-size: 14px; padding: 4px 10px; border: 1px solid #6b6b6b;
          border-radius: 4px; background: #f7f7f7; color: #1b1b1b; cursor: pointer; }
        .mbk-canvas-bar button:hover { background: #e6eef8; }
        .mbk-canvas-bar button:focus-visible { outline: 3px solid #1f5fa8; }
        .mbk-canvas-hint { font-size: 13px; color: #404040; margin: 4px 0 0 0; }
        .mbk-canvas-steps { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
          white-space: nowrap; margin: -1px; padding: 0; }
        """
    ]

    #: The graph goes to the browser as JSON text: Bokeh walks a nested dict for references and
    #: encodes it item by item (a third of the server's time when ten browsers saw an edit).
    _rename = {"graph": None}

    def __init__(self, on_action: Callable[[dict], None] | None = None, **params):
        if "graph" in params:
            params.setdefault("graph_json", json.dumps(params["graph"], separators=(",", ":")))
        super().__init__(**params)
        self.on_action = on_action
        self.param.watch(self._encode, "graph")

    def _encode(self, event) -> None:
        self.graph_json = json.dumps(event.new, separators=(",", ":"))

    def _handle_msg(self, msg) -> None:
        if isinstance(msg, dict) and self.on_action is not None:
            self.on_action(msg)
