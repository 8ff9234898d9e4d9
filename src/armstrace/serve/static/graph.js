// The network graph: actors as nodes, transfer records as directed edges, laid out by a small
// deterministic force simulation seeded with each actor's map position (west stays west).

import { s, clear } from "./dom.js";
import { statusGroup } from "./data.js";

const GRAPH_W = 860;
const GRAPH_H = 420;
const GRAPH_PAD = 36;

function seedPositions(nodes) {
  const placed = nodes.filter((n) => typeof n.lat === "number" && typeof n.lon === "number");
  nodes.forEach((node, index) => {
    if (typeof node.lat === "number" && typeof node.lon === "number") {
      node.gx = ((node.lon + 180) / 360) * GRAPH_W;
      node.gy = ((90 - node.lat) / 180) * GRAPH_H;
    } else {
      // Actors without a place (armed groups) start on a circle, in a stable order.
      const angle = (2 * Math.PI * index) / Math.max(1, nodes.length);
      node.gx = GRAPH_W / 2 + (GRAPH_H / 3) * Math.cos(angle);
      node.gy = GRAPH_H / 2 + (GRAPH_H / 3) * Math.sin(angle);
    }
    node.x = node.gx;
    node.y = node.gy;
  });
  return placed.length;
}

export function layoutGraph(nodes, links, iterations = 240) {
  seedPositions(nodes);
  const area = GRAPH_W * GRAPH_H;
  const k = 0.9 * Math.sqrt(area / Math.max(1, nodes.length));
  let temperature = GRAPH_W / 8;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  for (let step = 0; step < iterations; step += 1) {
    for (const n of nodes) { n.dx = 0; n.dy = 0; }
    for (let i = 0; i < nodes.length; i += 1) {
      for (let j = i + 1; j < nodes.length; j += 1) {
        const a = nodes[i];
        const b = nodes[j];
        let dx = a.x - b.x;
        let dy = a.y - b.y;
        let dist = Math.hypot(dx, dy);
        if (dist < 0.01) { dx = 0.01 * (i - j); dy = 0.01; dist = Math.hypot(dx, dy); }
        if (dist > 3 * k) continue; // far clusters need not push each other off the screen
        const force = (k * k) / dist;
        a.dx += (dx / dist) * force; a.dy += (dy / dist) * force;
        b.dx -= (dx / dist) * force; b.dy -= (dy / dist) * force;
      }
    }
    for (const link of links) {
      const a = byId.get(link.source);
      const b = byId.get(link.target);
      if (!a || !b || a === b) continue;
      const dx = a.x - b.x;
      const dy = a.y - b.y;
      const dist = Math.max(0.01, Math.hypot(dx, dy));
      const force = (dist * dist) / k;
      a.dx -= (dx / dist) * force; a.dy -= (dy / dist) * force;
      b.dx += (dx / dist) * force; b.dy += (dy / dist) * force;
    }
    for (const n of nodes) {
      // Gravity keeps separate clusters on one screen; the geographic seed keeps west on the
      // left, since the forces only move nodes from where the map put them.
      n.dx += (GRAPH_W / 2 - n.x) * 0.08 + (n.gx - n.x) * 0.02;
      n.dy += (GRAPH_H / 2 - n.y) * 0.16 + (n.gy - n.y) * 0.02;
      const len = Math.max(0.01, Math.hypot(n.dx, n.dy));
      n.x += (n.dx / len) * Math.min(len, temperature);
      n.y += (n.dy / len) * Math.min(len, temperature);
    }
    temperature *= 0.975;
  }
  fitToBox(nodes);
  return nodes;
}

function fitToBox(nodes) {
  if (!nodes.length) return;
  const xs = nodes.map((n) => n.x);
  const ys = nodes.map((n) => n.y);
  const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const sx = x1 - x0 > 1 ? (GRAPH_W - 2 * GRAPH_PAD) / (x1 - x0) : 1;
  const sy = y1 - y0 > 1 ? (GRAPH_H - 2 * GRAPH_PAD) / (y1 - y0) : 1;
  for (const n of nodes) {
    n.x = x1 - x0 > 1 ? GRAPH_PAD + (n.x - x0) * sx : GRAPH_W / 2;
    n.y = y1 - y0 > 1 ? GRAPH_PAD + (n.y - y0) * sy : GRAPH_H / 2;
  }
}

function edgeWidth(sources) {
  const n = Number(sources) || 1;
  return 1.5 + 1.6 * Math.min(n, 6);
}

function nodeRadius(degree) {
  return 6 + Math.min(12, 2 * Math.sqrt(degree));
}

// A quadratic curve from a to b, bent by `bend` pixels; it ends at the rim of b's circle.
function curve(a, b, bend, radiusB) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const len = Math.max(0.01, Math.hypot(dx, dy));
  const cx = (a.x + b.x) / 2 - (dy / len) * bend;
  const cy = (a.y + b.y) / 2 + (dx / len) * bend;
  const ex = b.x - cx;
  const ey = b.y - cy;
  const elen = Math.max(0.01, Math.hypot(ex, ey));
  const tx = b.x - (ex / elen) * (radiusB + 3);
  const ty = b.y - (ey / elen) * (radiusB + 3);
  const mx = 0.25 * a.x + 0.5 * cx + 0.25 * tx;
  const my = 0.25 * a.y + 0.5 * cy + 0.25 * ty;
  return { d: `M${a.x.toFixed(1)},${a.y.toFixed(1)} Q${cx.toFixed(1)},${cy.toFixed(1)} ${tx.toFixed(1)},${ty.toFixed(1)}`, mx, my };
}

function edgeLabel(edge, nodesById) {
  const name = (code) => (nodesById.get(code) || {}).name || code;
  const parts = [`${name(edge.supplier)} → ${name(edge.recipient)}`, edge.category, edge.status];
  parts.push(`${edge.sources || 1} independent source(s)`);
  if (edge.embargo) parts.push("embargo flag");
  return parts.filter(Boolean).join(" · ");
}

export function renderGraph(svg, graph, { onEdge, selected } = {}) {
  clear(svg);
  svg.setAttribute("viewBox", `0 0 ${GRAPH_W} ${GRAPH_H}`);
  const edges = graph.edges.filter((e) => e.supplier && e.recipient && e.supplier !== e.recipient);
  const nodesById = new Map();
  for (const node of graph.nodes) nodesById.set(node.id, { ...node });
  for (const e of edges) {
    for (const code of [e.supplier, e.recipient]) {
      if (!nodesById.has(code)) nodesById.set(code, { id: code, name: code, kind: "state" });
    }
  }
  const used = new Set(edges.flatMap((e) => [e.supplier, e.recipient]));
  const nodes = [...nodesById.values()].filter((n) => used.has(n.id)).sort((a, b) => (a.id < b.id ? -1 : 1));
  const degree = new Map();
  for (const e of edges) for (const c of [e.supplier, e.recipient]) degree.set(c, (degree.get(c) || 0) + 1);
  // One spring per pair: ten records between two actors must not pull them onto each other.
  const pairs = new Set(edges.map((e) => [e.supplier, e.recipient].sort().join("|")));
  const links = [...pairs].map((key) => { const [source, target] = key.split("|"); return { source, target }; });
  layoutGraph(nodes, links);
  const placed = new Map(nodes.map((n) => [n.id, n]));

  const defs = s("defs");
  for (const group of ["happened", "pending", "unconfirmed", "denied"]) {
    defs.appendChild(
      s("marker", { id: `arrow-${group}`, viewBox: "0 0 10 10", refX: "8", refY: "5", markerWidth: "5", markerHeight: "5", orient: "auto-start-reverse", markerUnits: "strokeWidth" },
        s("path", { d: "M0,0 L10,5 L0,10 z", class: `arrowhead group-${group}` })),
    );
  }
  svg.appendChild(defs);
  if (!edges.length) {
    svg.appendChild(s("text", { x: GRAPH_W / 2, y: GRAPH_H / 2, class: "empty", "text-anchor": "middle", text: "No transfer records match these filters." }));
    return { nodes: 0, edges: 0 };
  }

  const pairCount = new Map();
  const pairIndex = new Map();
  const pairKey = (e) => [e.supplier, e.recipient].sort().join("|");
  for (const e of edges) pairCount.set(pairKey(e), (pairCount.get(pairKey(e)) || 0) + 1);

  const edgeLayer = s("g", { class: "edges" });
  const badgeLayer = s("g", { class: "badges" });
  edges.forEach((edge) => {
    const key = pairKey(edge);
    const index = pairIndex.get(key) || 0;
    pairIndex.set(key, index + 1);
    const count = pairCount.get(key);
    const reverse = edge.supplier > edge.recipient ? -1 : 1;
    const bend = (index - (count - 1) / 2) * 18 * reverse + (count === 1 ? 0 : 0) + 12 * reverse;
    const a = placed.get(edge.supplier);
    const b = placed.get(edge.recipient);
    const { d, mx, my } = curve(a, b, bend, nodeRadius(degree.get(edge.recipient) || 1));
    const group = statusGroup(edge.status);
    const id = edge.record_id || edge.id || "";
    const label = edgeLabel(edge, placed);
    const classes = ["edge", `group-${group}`, `status-${edge.status}`, edge.embargo ? "embargo" : null, selected && id === selected ? "selected" : null];
    const g = s("g", { class: classes, "data-record": id, "data-pair": `${edge.supplier}>${edge.recipient}`, "data-category": edge.category || "", "data-status": edge.status || "", tabindex: "0", role: "button", "aria-label": label },
      s("title", { text: label }),
      s("path", { d, class: "edge-line", "stroke-width": edgeWidth(edge.sources).toFixed(1), "marker-end": `url(#arrow-${group})` }),
      s("path", { d, class: "edge-hit" }));
    const activate = () => onEdge && onEdge(edge);
    g.addEventListener("click", activate);
    g.addEventListener("keydown", (event) => { if (event.key === "Enter" || event.key === " ") { event.preventDefault(); activate(); } });
    edgeLayer.appendChild(g);
    if (edge.embargo) {
      badgeLayer.appendChild(s("g", { class: "embargo-badge", transform: `translate(${mx.toFixed(1)},${my.toFixed(1)})` },
        s("title", { text: `Embargo flag: ${label}` }),
        s("circle", { r: "7" }),
        s("text", { y: "3.5", "text-anchor": "middle", text: "!" })));
    }
  });
  svg.appendChild(edgeLayer);
  svg.appendChild(badgeLayer);

  const nodeLayer = s("g", { class: "nodes" });
  for (const node of nodes) {
    const r = nodeRadius(degree.get(node.id) || 1);
    nodeLayer.appendChild(s("g", { class: ["node", `kind-${node.kind || "state"}`], transform: `translate(${node.x.toFixed(1)},${node.y.toFixed(1)})`, "data-actor": node.id },
      s("title", { text: `${node.name || node.id} (${degree.get(node.id) || 0} record(s))` }),
      s("circle", { r: r.toFixed(1) }),
      s("text", { y: (r + 12).toFixed(1), "text-anchor": "middle", text: node.id })));
  }
  svg.appendChild(nodeLayer);
  return { nodes: nodes.length, edges: edges.length };
}
