// The workshop app's blueprint canvas: Cytoscape.js over the layout Python computes.
// Python sends `graph_json` (lanes, steps, flows, notes, problems, waits, diff); the canvas
// draws it, and sends what a participant does (select, move, connect, delete, undo) back
// as messages. Every action also has a key, and a hidden list mirrors the steps for
// screen readers and for the tests.
import cytoscape from "cytoscape";

const KIND = {
  start: { shape: "round-rectangle", bg: "#1f5fa8", fg: "#ffffff", style: "solid" },
  end: { shape: "round-rectangle", bg: "#1f5fa8", fg: "#ffffff", style: "solid" },
  task: { shape: "round-rectangle", bg: "#ffffff", fg: "#1b1b1b", style: "solid" },
  queue: { shape: "round-rectangle", bg: "#fff4d6", fg: "#1b1b1b", style: "dashed" },
  decision: { shape: "diamond", bg: "#fffbe6", fg: "#1b1b1b", style: "solid" },
  self_service: { shape: "round-rectangle", bg: "#dff3e4", fg: "#1b1b1b", style: "solid" },
};
const LANE_BG = { visitor: "#e8f1fb", frontstage: "#eaf6ea", backstage: "#f3ecf8", support: "#f2f2f2" };
const DIFF = { added: "#2e7d32", removed: "#c62828", changed: "#ef6c00" };
const NOTE_BG = { pain_point: "#fde2e1", idea: "#fff3bf", question: "#e1ecfb" };
const NOTE_MARK = { pain_point: "⚠", idea: "★", question: "?" };
const PROBLEM = "#c62828";
const MIN_ZOOM = 12 / 14; // step labels are 14 px at zoom 1: never below 12 px at the start
const LAPTOP_HOME_ZOOM = 0.9; // 12.6 px type at the start on a laptop: more of the journey in view
const PROJECTOR_HOME_ZOOM = 1.2; // a projector's wide box: larger type for the back of the room
const PROJECTOR_PX = 1400; // a canvas box at least this wide is taken for a projector
const SELECTED = "#1f5fa8";

function elements(g) {
  const out = [];
  for (const lane of g.lanes) {
    out.push({ group: "nodes", data: { id: `lane:${lane.id}`, label: "", kind: "lane", bg: LANE_BG[lane.kind] || "#f5f5f5",
      w: g.width, h: lane.h - 2 }, position: { x: g.width / 2, y: lane.y + lane.h / 2 }, classes: "lane",
      selectable: false, grabbable: false, locked: true });
    out.push({ group: "nodes", data: { id: `lanelabel:${lane.id}`, label: lane.label, kind: "lanelabel", w: 160, h: lane.h - 12 },
      position: { x: 86, y: lane.y + lane.h / 2 }, classes: "lanelabel", selectable: false, grabbable: false, locked: true });
  }
  for (const n of g.nodes) {
    const k = KIND[n.kind] || KIND.task;
    let label = n.label;
    if (n.badge) label += `\n${n.badge}`;
    if (n.problems.length) label = `⚠ ${label}`;
    out.push({ group: "nodes", data: { id: n.id, label, kind: n.kind, w: n.w, h: n.h, bg: n.fill || k.bg, fg: n.fill ? "#1b1b1b" : k.fg,
      border: n.problems.length ? PROBLEM : (DIFF[n.diff] || "#555555"), bw: n.problems.length || n.diff ? 4 : 1.5,
      bstyle: n.diff === "removed" ? "dashed" : k.style, shape: k.shape, problems: n.problems, diff: n.diff || "" },
      position: { x: n.x, y: n.y }, classes: `step ${n.diff ? "diff-" + n.diff : ""} ${n.problems.length ? "problem" : ""}`,
      grabbable: !!(g.editable && n.diff !== "removed"), selectable: true });
    if (g.show_notes) {
      n.notes.slice(0, 3).forEach((note, i) => {
        const text = note.text.length > 46 ? note.text.slice(0, 44) + "…" : note.text;
        const votes = note.votes ? `  ● ${note.votes}` : "";
        out.push({ group: "nodes", data: { id: `note:${note.id}`, label: `${NOTE_MARK[note.kind]} ${text}${votes}`, kind: "note",
          bg: NOTE_BG[note.kind], step: n.id, note: note.id },
          position: { x: n.x + n.w / 2 + 4, y: n.y - n.h / 2 - 2 + i * 24 }, classes: "note", grabbable: !!g.editable });
      });
      if (n.notes.length > 3) {
        out.push({ group: "nodes", data: { id: `notemore:${n.id}`, label: `+${n.notes.length - 3}`, kind: "note", bg: "#ffffff", step: n.id },
          position: { x: n.x + n.w / 2 + 4, y: n.y - n.h / 2 - 2 + 3 * 24 }, classes: "note", grabbable: false });
      }
    }
  }
  g.edges.forEach((e) => {
    out.push({ group: "edges", data: { id: e.id, key: e.key, source: e.source, target: e.target, label: e.label || "",
      label_offset: e.label_offset || 62,
      colour: e.problems.length ? PROBLEM : (DIFF[e.diff] || "#5a5a5a"), width: e.problems.length || e.diff ? 3 : 1.6,
      problems: e.problems }, classes: `${e.branch ? "branch" : ""} ${e.back ? "back" : ""} ${e.problems.length ? "problem" : ""}` });
  });
  return out;
}

const STYLE = [
  { selector: "node", style: { "font-family": "DejaVu Sans, Noto Sans, Arial, sans-serif", "font-size": 14, "text-wrap": "wrap",
    "text-valign": "center", "text-halign": "center", "min-zoomed-font-size": 0 } },
  { selector: "node.lane", style: { shape: "rectangle", width: "data(w)", height: "data(h)", "background-color": "data(bg)",
    "border-width": 0, events: "no", "z-index": 0, "z-compound-depth": "bottom" } },
  { selector: "node.lanelabel", style: { shape: "rectangle", width: "data(w)", height: "data(h)", "background-opacity": 0,
    label: "data(label)", "text-max-width": 150, "font-weight": "bold", "font-size": 14, color: "#2b2b2b", events: "no" } },
  { selector: "node.step", style: { shape: "data(shape)", width: "data(w)", height: "data(h)", label: "data(label)",
    "background-color": "data(bg)", color: "data(fg)", "border-color": "data(border)", "border-width": "data(bw)",
    "border-style": "data(bstyle)", "text-max-width": (n) => (n.data("kind") === "decision" ? n.data("w") * 0.62 : n.data("w") - 16),
    "z-index": 10 } },
  { selector: "node.step[kind = 'start'], node.step[kind = 'end']", style: { "font-weight": "bold", "corner-radius": 24 } },
  { selector: "node.diff-removed", style: { opacity: 0.7, "background-color": "#fde0e0" } },
  { selector: "node.note", style: { shape: "round-rectangle", label: "data(label)", "background-color": "data(bg)", "font-size": 12,
    "text-wrap": "ellipsis", "text-max-width": 190, width: "label", height: 16, padding: 4, "border-width": 1, "border-color": "#b0a070",
    "text-halign": "center", "z-index": 20, color: "#1b1b1b" } },
  { selector: "edge", style: { width: "data(width)", "line-color": "data(colour)", "target-arrow-color": "data(colour)",
    "target-arrow-shape": "triangle", "curve-style": "bezier", "arrow-scale": 1.1, "font-size": 12, "font-family": "DejaVu Sans, Arial, sans-serif",
    color: "#2b2b2b", "text-wrap": "wrap", "text-max-width": 150, "text-background-color": "#ffffff",
    "text-background-opacity": 0.92, "text-background-padding": 2, "text-border-opacity": 0, "z-index": 5 } },
  { selector: "edge[label != '']", style: { label: "data(label)" } },
  { selector: "edge.branch[label != '']", style: { label: "", "source-label": "data(label)", "source-text-offset": "data(label_offset)" } },
  { selector: "edge.back", style: { "line-style": "dashed", "curve-style": "unbundled-bezier", "control-point-distances": [-60], "control-point-weights": [0.5] } },
  { selector: "node.step:selected", style: { "border-color": SELECTED, "border-width": 5, "overlay-opacity": 0 } },
  { selector: "edge:selected", style: { "line-color": SELECTED, "target-arrow-color": SELECTED, width: 4 } },
  { selector: "node.connect-from", style: { "border-color": "#7b1fa2", "border-width": 6, "border-style": "double" } },
  { selector: "node.step.focused", style: { "overlay-color": SELECTED, "overlay-opacity": 0.12, "overlay-padding": 6 } },
];

export function render({ model, el }) {
  const wrap = document.createElement("div");
  wrap.className = "mbk-canvas-wrap";
  const box = document.createElement("div");
  box.className = "mbk-canvas";
  box.tabIndex = 0;
  box.setAttribute("role", "application");
  const hint = document.createElement("p");
  hint.className = "mbk-canvas-hint";
  const list = document.createElement("ol");
  list.className = "mbk-canvas-steps";
  const bar = document.createElement("div");
  bar.className = "mbk-canvas-bar";
  wrap.append(bar, box, hint, list);
  el.appendChild(wrap);

  let cy = null;
  let order = [];
  // the graph arrives as JSON text (one string for Bokeh to send, not a nested dict to walk)
  let graph = null;
  const parse = () => { try { graph = JSON.parse(model.graph_json || "{}"); } catch (e) { graph = {}; } };
  parse();
  let connectFrom = "";
  const send = (msg) => model.send_msg(msg);

  const button = (key, action) => {
    const b = document.createElement("button");
    b.type = "button";
    b.dataset.key = key;
    b.addEventListener("click", action);
    bar.appendChild(b);
    return b;
  };
  const zoomBy = (f) => cy && cy.zoom({ level: cy.zoom() * f, renderedPosition: { x: box.clientWidth / 2, y: box.clientHeight / 2 } });
  const fit = () => cy && cy.fit(cy.nodes(".lane, .step"), 12);
  // the start view: the whole map if it fits, else every lane from the journey's start; never
  // smaller than 12 px type, never larger than the laptop's or the projector's cap
  const home = () => {
    if (!cy) return;
    const bb = cy.nodes(".lane").boundingBox();
    const cap = box.clientWidth >= PROJECTOR_PX ? PROJECTOR_HOME_ZOOM : LAPTOP_HOME_ZOOM;
    const tall = (box.clientHeight - 8) / bb.h;
    const wide = (box.clientWidth - 8) / bb.w;
    const zoom = wide >= MIN_ZOOM ? Math.min(cap, tall, wide) : Math.max(MIN_ZOOM, Math.min(cap, tall));
    cy.zoom(zoom);
    cy.pan({ x: -bb.x1 * zoom + 4, y: -bb.y1 * zoom + 4 });
  };
  // the map area shown, as the facilitator's browser reports it and a following browser shows it
  const showView = (v) => {
    if (!cy || !v || v.length !== 4) return false;
    const [x1, y1, x2, y2] = v;
    const W = box.clientWidth, H = box.clientHeight;
    if (!(x2 > x1 && y2 > y1 && W > 0 && H > 0)) return false;
    const zoom = Math.max(0.15, Math.min(3, Math.min(W / (x2 - x1), H / (y2 - y1))));
    cy.viewport({ zoom, pan: { x: W / 2 - zoom * (x1 + x2) / 2, y: H / 2 - zoom * (y1 + y2) / 2 } });
    return true;
  };
  let reportTimer = null;
  const reportView = () => {
    clearTimeout(reportTimer);
    reportTimer = setTimeout(() => {
      if (!cy) return;
      const e = cy.extent();
      const v = [e.x1, e.y1, e.x2, e.y2].map((x) => Math.round(x));
      const old = model.view || [];
      if (v.some((x, i) => Math.abs(x - (old[i] ?? NaN)) > 2 || Number.isNaN(x - (old[i] ?? NaN)))) model.view = v;
    }, 250);
  };
  const buttons = {
    zoom_in: button("zoom_in", () => zoomBy(1.25)),
    zoom_out: button("zoom_out", () => zoomBy(0.8)),
    fit: button("fit", fit),
    home: button("home", home),
    connect: button("connect", () => { const s = selectedStep(); if (s && graph.editable) setConnect(connectFrom ? "" : s); box.focus(); }),
  };

  const select = (id) => {
    if (!cy) return;
    cy.elements().unselect();
    cy.nodes(".focused").removeClass("focused");
    const el = id ? cy.getElementById(id.replace(/^step:/, "")) : null;
    if (el && el.nonempty()) {
      el.select();
      el.addClass("focused");
      const ext = cy.extent();
      const p = el.isNode() ? el.position() : el.midpoint();
      if (p.x < ext.x1 || p.x > ext.x2 || p.y < ext.y1 || p.y > ext.y2) cy.center(el);
    }
    list.querySelectorAll("li").forEach((li) => li.setAttribute("aria-current", li.dataset.id === id ? "true" : "false"));
  };
  const selectedStep = () => (model.selected.startsWith("step:") ? model.selected.slice(5) : "");
  const setSelected = (id) => { model.selected = id; };

  const setConnect = (id) => {
    connectFrom = id;
    if (cy) { cy.nodes(".connect-from").removeClass("connect-from"); if (id) cy.getElementById(id).addClass("connect-from"); }
    hint.textContent = id ? graph.texts.connect_hint : graph.texts.hint;
  };

  let drawnName = null;
  const create = (g) => {
    drawnName = g.name || "main";
    cy = cytoscape({ container: box, elements: elements(g), style: STYLE, layout: { name: "preset", fit: false },
      minZoom: 0.15, maxZoom: 3, boxSelectionEnabled: false, autoungrabify: !g.editable });
    window.mbkCanvas = window.mbkCanvas || {};
    window.mbkCanvas[drawnName] = cy;
    cy.on("viewport", reportView);
    cy.on("tap", "node.step", (e) => {
      const id = e.target.id();
      if (connectFrom && connectFrom !== id) { send({ action: "connect", source: connectFrom, target: id }); setConnect(""); return; }
      setSelected(`step:${id}`);
    });
    cy.on("tap", "node.note", (e) => setSelected(`step:${e.target.data("step")}`));
    cy.on("tap", "edge", (e) => setSelected(`flow:${e.target.data("key")}`));
    cy.on("tap", (e) => { if (e.target === cy) { setSelected(""); setConnect(""); } });
    cy.on("dbltap", "node.step", (e) => send({ action: "open", step: e.target.id() }));
    cy.on("cxttap", "node.step", (e) => { setSelected(`step:${e.target.id()}`); send({ action: "menu", step: e.target.id() }); });
    cy.on("dragfree", "node.step", (e) => {
      const p = e.target.position();
      send({ action: "drop", step: e.target.id(), x: p.x, y: p.y });
    });
    // a note dragged onto another step moves there (the server decides: one's own notes, or the
    // proposal's); it goes back at once, and the server's next drawing puts it where it now belongs
    let noteFrom = null;
    cy.on("grab", "node.note", (e) => { noteFrom = { ...e.target.position() }; });
    cy.on("dragfree", "node.note", (e) => {
      const note = e.target;
      const p = note.position();
      const onto = cy.nodes(".step").filter((n) => {
        const bb = n.boundingBox();
        return n.data("diff") !== "removed" && p.x >= bb.x1 && p.x <= bb.x2 && p.y >= bb.y1 && p.y <= bb.y2;
      })[0];
      if (noteFrom) note.position(noteFrom);
      noteFrom = null;
      if (onto && onto.id() !== note.data("step") && note.data("note")) {
        send({ action: "move_note", note: note.data("note"), step: onto.id() });
      }
    });
  };
  // the graph's elements onto the drawn ones: add, remove, and change only what differs
  const update = (g) => {
    const next = elements(g);
    const wanted = new Set(next.map((e) => e.data.id));
    cy.batch(() => {
      cy.elements().filter((e) => !wanted.has(e.id())).remove();
      for (const e of next) {
        let old = cy.getElementById(e.data.id);
        const moved = old.nonempty() && (old.group() !== e.group ||
          (e.group === "edges" && (old.data("source") !== e.data.source || old.data("target") !== e.data.target)));
        if (moved) { old.remove(); old = cy.collection(); }
        if (old.empty()) { cy.add(e); continue; }
        const changed = {};
        for (const [k, v] of Object.entries(e.data)) {
          const was = old.data(k);
          if (typeof v === "object" ? JSON.stringify(v) !== JSON.stringify(was) : v !== was) changed[k] = v;
        }
        if (Object.keys(changed).length) old.data(changed);
        if (e.position) {
          const p = old.position();
          if (p.x !== e.position.x || p.y !== e.position.y) {
            const locked = old.locked();
            if (locked) old.unlock();
            old.position({ x: e.position.x, y: e.position.y });
            if (locked) old.lock();
          }
        }
        const cls = (e.classes || "").split(/\s+/).filter(Boolean).sort().join(" ");
        if (old.classes().slice().sort().join(" ") !== cls) old.classes(cls);
        if (e.group === "nodes" && e.grabbable !== undefined && old.grabbable() !== e.grabbable) {
          if (e.grabbable) old.grabify(); else old.ungrabify();
        }
      }
    });
  };

  const draw = () => {
    const g = graph;
    if (!g || !g.nodes) return;
    const started = performance.now();
    const t = g.texts;
    box.setAttribute("aria-label", t.label);
    for (const [k, b] of Object.entries(buttons)) { b.textContent = t[k]; b.setAttribute("aria-label", t[k + "_long"] || t[k]); }
    hint.textContent = t.hint;
    if (cy && drawnName === (g.name || "main")) {
      update(g);  // in place: what did not change keeps its drawing (a new instance redrew every element)
    } else {
      const pan = cy ? cy.pan() : null;
      const zoom = cy ? cy.zoom() : null;
      if (cy) cy.destroy();
      create(g);
      if (pan) { cy.zoom(zoom); cy.pan(pan); } else if (!showView(model.view)) home();
    }
    cy.autoungrabify(!g.editable);
    order = g.nodes.filter((n) => n.diff !== "removed").map((n) => n.id);
    // the hidden list: one item per step, with its problems, in journey order
    list.innerHTML = "";
    list.setAttribute("aria-label", t.list);
    for (const n of g.nodes) {
      const li = document.createElement("li");
      li.dataset.id = `step:${n.id}`;
      li.dataset.problems = String(n.problems.length);
      li.dataset.diff = n.diff || "";
      li.textContent = `${n.label} (${n.lane_label}, ${n.kind_label})` + (n.badge ? ` · ${n.badge}` : "") +
        (n.diff ? ` · ${t["diff_" + n.diff]}` : "") +
        (n.problems.length ? ` · ${t.problems}: ${n.problems.join("; ")}` : "") +
        (n.notes.length ? ` · ${n.notes.length} ${n.notes.length === 1 ? t.note : t.notes}` : "");
      list.appendChild(li);
    }
    setConnect(connectFrom && order.includes(connectFrom) ? connectFrom : "");
    select(model.selected);
    // tells whoever listens (the benchmark, a test) what was just drawn, and when
    window.dispatchEvent(new CustomEvent("mbk-canvas-drawn", { detail: { name: g.name || "main", at: Date.now(),
      ms: performance.now() - started, steps: g.nodes.map((n) => ({ id: n.id, problems: n.problems.length })) } }));
  };

  const move = (delta) => {
    if (!order.length) return;
    const cur = order.indexOf(selectedStep());
    const next = cur < 0 ? 0 : Math.max(0, Math.min(order.length - 1, cur + delta));
    setSelected(`step:${order[next]}`);
  };
  box.addEventListener("keydown", (e) => {
    const ctrl = e.ctrlKey || e.metaKey;
    const step = selectedStep();
    const g = graph;
    let handled = true;
    if (ctrl && (e.key === "z" || e.key === "Z")) send({ action: e.shiftKey ? "redo" : "undo" });
    else if (ctrl && (e.key === "y" || e.key === "Y")) send({ action: "redo" });
    else if (e.key === "ArrowRight" && !e.altKey) move(1);
    else if (e.key === "ArrowLeft" && !e.altKey) move(-1);
    else if (e.altKey && step && g.editable && ["ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"].includes(e.key)) {
      send({ action: "nudge", step, key: e.key });
    } else if ((e.key === "Delete" || e.key === "Backspace") && model.selected && g.editable) send({ action: "delete", selected: model.selected });
    else if (e.key === "c" && step && g.editable) setConnect(connectFrom ? "" : step);
    else if (e.key === "Enter" && step && connectFrom && connectFrom !== step) { send({ action: "connect", source: connectFrom, target: step }); setConnect(""); }
    else if (e.key === "Enter" && step) send({ action: "open", step });
    else if (e.key === "Escape") { setConnect(""); setSelected(""); }
    else if (e.key === "+" || e.key === "=") zoomBy(1.25);
    else if (e.key === "-") zoomBy(0.8);
    else if (e.key === "0") fit();
    else if (e.key === "1") home();
    else handled = false;
    if (handled) e.preventDefault();
  });
  box.addEventListener("focus", () => { if (!model.selected && order.length) setSelected(`step:${order[0]}`); });

  // Cytoscape caches where its box is on the page; any scroll (of the page or a panel) moves it
  let pending = false;
  window.addEventListener("scroll", () => {
    if (pending) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; if (cy) cy.resize(); });
  }, { passive: true, capture: true });
  model.on("graph_json", () => { parse(); draw(); });
  model.on("selected", () => select(model.selected));
  model.on("view", () => {
    if (!cy) return;
    const e = cy.extent(), v = model.view || [];
    const same = v.length === 4 && [e.x1, e.y1, e.x2, e.y2].every((x, i) => Math.abs(x - v[i]) <= 3);
    if (!same) showView(v);
  });
  requestAnimationFrame(draw);
}
