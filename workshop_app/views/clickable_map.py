"""A blueprint SVG whose steps can be clicked (or focused and Enter pressed) to select them."""

from __future__ import annotations

import param
from panel.custom import JSComponent

__all__ = ["ClickableMap"]


class ClickableMap(JSComponent):
    """Shows `svg`; clicking a step node sets `selected` to the step id (the node's <title>)."""

    svg = param.String(default="")
    selected = param.String(default="")
    label = param.String(default="", doc="Accessible name of the map.")

    _esm = """
    export function render({ model, el }) {
      const box = document.createElement('div');
      box.className = 'mbk-map';
      box.setAttribute('role', 'figure');
      const mark = () => {
        box.querySelectorAll('g.node').forEach((n) => {
          const t = n.querySelector('title');
          if (!t) return;
          n.classList.toggle('mbk-selected', t.textContent === model.selected);
        });
      };
      const draw = () => {
        box.innerHTML = model.svg;
        box.setAttribute('aria-label', model.label);
        box.querySelectorAll('g.node').forEach((n) => {
          const t = n.querySelector('title');
          if (!t || t.textContent.startsWith('lane__')) return;
          const id = t.textContent;
          n.setAttribute('tabindex', '0');
          n.setAttribute('role', 'button');
          n.setAttribute('data-step', id);
          n.style.cursor = 'pointer';
          const pick = () => { model.selected = id; };
          n.addEventListener('click', pick);
          n.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); pick(); } });
        });
        mark();
      };
      draw();
      model.on('svg', draw);
      model.on('selected', mark);
      el.appendChild(box);
    }
    """

    _stylesheets = [
        """
        .mbk-map { width: 100%; overflow: auto; }
        .mbk-map svg { width: 100%; height: auto; }
        .mbk-map g.node:hover polygon, .mbk-map g.node:hover ellipse, .mbk-map g.node:hover path { stroke: #1f5fa8; stroke-width: 3; }
        .mbk-map g.node.mbk-selected polygon, .mbk-map g.node.mbk-selected ellipse, .mbk-map g.node.mbk-selected path { stroke: #1f5fa8; stroke-width: 5; }
        .mbk-map g.node:focus { outline: none; }
        .mbk-map g.node:focus polygon, .mbk-map g.node:focus path { stroke: #1f5fa8; stroke-width: 4; stroke-dasharray: 4 2; }
        """
    ]
