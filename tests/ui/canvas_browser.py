"""Helpers for driving the blueprint canvas in a real browser: where a step is, click, drag, read.

The canvas is Cytoscape.js; its instance per canvas is `window.mbkCanvas[name]`, and its
hidden step list (`.mbk-canvas-steps li`) says what a screen reader hears of each step.
"""

from __future__ import annotations

import time

__all__ = ["CANVAS", "step_point", "click_step", "click_flow", "drag_step_to_lane", "drag_note_to_step", "steps_on_canvas",
           "wait_for_steps", "node_classes", "keyboard_focus", "select_option"]

CANVAS = "editor"


def step_point(page, step_id: str, canvas: str = CANVAS) -> tuple[float, float]:
    """The page coordinates of a step's centre on the canvas."""
    return tuple(page.evaluate(
        """([name, id]) => { const cy = window.mbkCanvas[name]; const n = cy.getElementById(id);
           const r = cy.container().getBoundingClientRect(); const p = n.renderedPosition();
           return [r.left + p.x, r.top + p.y]; }""", [canvas, step_id]))


def _in_view(page, step_id: str, canvas: str) -> None:
    """Scroll the page so the whole canvas shows, and pan the canvas so the step does."""
    page.evaluate("""([name, id]) => { const cy = window.mbkCanvas[name]; const n = cy.getElementById(id);
                     cy.container().scrollIntoView({ block: 'center' });
                     const e = cy.extent(); const p = n.position();
                     if (p.x < e.x1 + 60 || p.x > e.x2 - 60 || p.y < e.y1 + 30 || p.y > e.y2 - 30) cy.center(n); }""",
                  [canvas, step_id])
    page.wait_for_timeout(120)


def click_step(page, step_id: str, canvas: str = CANVAS) -> None:
    _in_view(page, step_id, canvas)
    x, y = step_point(page, step_id, canvas)
    page.mouse.click(x, y)


def click_flow(page, source: str, target: str, canvas: str = CANVAS) -> None:
    """Click the middle of the arrow from `source` to `target`."""
    _in_view(page, source, canvas)
    x, y = page.evaluate(
        """([name, a, b]) => { const cy = window.mbkCanvas[name];
           const e = cy.edges().filter((x) => x.data('source') === a && x.data('target') === b)[0];
           const r = cy.container().getBoundingClientRect(); const p = e.renderedMidpoint();
           return [r.left + p.x, r.top + p.y]; }""", [canvas, source, target])
    page.mouse.click(x, y)


def drag_step_to_lane(page, step_id: str, lane_id: str, canvas: str = CANVAS) -> None:
    """Drag a step with the mouse straight up or down into another lane."""
    _in_view(page, step_id, canvas)
    x, y = step_point(page, step_id, canvas)
    ly = page.evaluate(
        """([name, lane]) => { const cy = window.mbkCanvas[name]; const n = cy.getElementById('lane:' + lane);
           const r = cy.container().getBoundingClientRect(); return r.top + n.renderedPosition().y; }""",
        [canvas, lane_id])
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x, y + (ly - y) * i / 10)
    page.mouse.up()


def drag_note_to_step(page, note_id: str, step_id: str, canvas: str = CANVAS) -> None:
    """Drag a note card with the mouse and drop it on another step."""
    _in_view(page, step_id, canvas)
    page.evaluate("""([name, id]) => { const cy = window.mbkCanvas[name]; cy.center(cy.getElementById('note:' + id)); }""",
                  [canvas, note_id])
    page.wait_for_timeout(120)
    x, y = step_point(page, "note:" + note_id, canvas)
    tx, ty = step_point(page, step_id, canvas)
    page.mouse.move(x, y)
    page.mouse.down()
    for i in range(1, 11):
        page.mouse.move(x + (tx - x) * i / 10, y + (ty - y) * i / 10)
    page.mouse.up()


def steps_on_canvas(page) -> dict[str, str]:
    """Step id -> what the hidden list says of it (label, lane, kind, problems); not removed steps' ghosts."""
    pairs = page.locator(".mbk-canvas-steps li:not([data-diff='removed'])").evaluate_all(
        "els => els.map((e) => [e.dataset.id, e.textContent])")  # one read: the list is redrawn as it is read
    return {sid[5:]: text for sid, text in pairs}


def wait_for_steps(page, predicate, timeout: float = 1.0) -> float:
    """Seconds until `predicate(steps_on_canvas(page))` holds; AssertionError after `timeout`."""
    t0 = time.monotonic()
    while True:
        if predicate(steps_on_canvas(page)):
            return time.monotonic() - t0
        if time.monotonic() - t0 > timeout:
            raise AssertionError(f"not on the canvas within {timeout} s: {steps_on_canvas(page)}")
        page.wait_for_timeout(25)


def node_classes(page, step_id: str, canvas: str = CANVAS) -> list[str]:
    return page.evaluate("([name, id]) => window.mbkCanvas[name].getElementById(id).classes()", [canvas, step_id])


def keyboard_focus(page, locator, limit: int = 250) -> None:
    """Press Tab until `locator` has the focus (the way a keyboard user gets there)."""
    for _ in range(limit):
        if locator.evaluate("el => el.matches(':focus') || el.contains(el.getRootNode().activeElement)"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {locator}")


def select_option(page, label: str, option: str) -> None:
    """Pick `option` in the select named `label` (Panel's Select is a native <select>)."""
    page.get_by_label(label, exact=True).last.select_option(label=option)
