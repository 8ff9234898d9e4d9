// Wires the views of the dashboard (and of a report file) to a data source: filter bar,
// network graph, map, timeline, records table, search and the record view.

import { h, fill, fmtPercent } from "./dom.js";
import { CATEGORIES, STATUSES, GROUP_ORDER, statusGroup } from "./data.js";
import { renderGraph } from "./graph.js";
import { renderMap } from "./map.js";
import { renderTimeline } from "./timeline.js";
import { renderRecord, renderClaims, renderDocument } from "./record.js";

const FILTER_FIELDS = ["actor", "category", "status", "since", "until"];
const TABLE_ROWS = 50;

function $(root, selector) {
  return root.querySelector(selector);
}

function fillSelect(select, values) {
  for (const value of values) select.appendChild(h("option", { value }, value.replace(/_/g, " ")));
}

function readFilters(form) {
  const filters = {};
  for (const name of FILTER_FIELDS) {
    const field = form.elements.namedItem(name);
    if (field && field.value.trim()) filters[name] = field.value.trim();
  }
  return filters;
}

function legend() {
  return h("div", { class: "legend" },
    GROUP_ORDER.map((g) => h("span", { class: "legend-item" }, h("span", { class: ["swatch", `group-${g}`] }), g)),
    h("span", { class: "legend-item" }, h("span", { class: "swatch embargo-swatch" }), "embargo flag (dashed, !)"),
    h("span", { class: "legend-item muted" }, "width = independent sources"));
}

function recordRow(edge, onOpen) {
  const label = `${edge.supplier} → ${edge.recipient}`;
  const open = h("button", { type: "button", class: "linklike", "data-record": edge.record_id || "" }, label);
  open.addEventListener("click", () => onOpen(edge));
  return h("tr", { class: `group-${statusGroup(edge.status)}` },
    h("td", {}, open), h("td", {}, edge.category || ""),
    h("td", {}, h("span", { class: ["status-chip", `group-${statusGroup(edge.status)}`] }, edge.status || "")),
    h("td", { class: "num" }, String(edge.sources ?? "")),
    h("td", { class: "num" }, edge.confidence === undefined || edge.confidence === null ? "" : fmtPercent(edge.confidence)),
    h("td", {}, edge.embargo ? "yes" : ""));
}

export async function boot(source, root) {
  const form = $(root, "#filters");
  const say = (text, isError = false) => {
    const line = $(root, "#status-line");
    fill(line, text);
    line.classList.toggle("error", isError);
  };
  fillSelect(form.elements.namedItem("category"), CATEGORIES);
  fillSelect(form.elements.namedItem("status"), STATUSES);
  fill($(root, "#graph-legend"), legend());
  const recordPanel = $(root, "#record");
  let world = null;
  let selected = null;

  const openEdge = async (edge) => {
    selected = edge.record_id || null;
    root.querySelectorAll(".edge.selected").forEach((node) => node.classList.remove("selected"));
    if (selected) root.querySelectorAll(`.edge[data-record="${CSS.escape(selected)}"]`).forEach((node) => node.classList.add("selected"));
    fill(recordPanel, h("p", { class: "muted" }, "Loading…"));
    try {
      if (edge.record_id) {
        await renderRecord(recordPanel, await source.record(edge.record_id), source);
        if (history.replaceState) history.replaceState(null, "", `#record=${encodeURIComponent(edge.record_id)}`);
      } else {
        const claims = await source.claimsForPair(edge.supplier, edge.recipient, edge.category);
        await renderClaims(recordPanel, `${edge.supplier} → ${edge.recipient} · ${edge.category || ""}`, claims, source);
      }
      const side = recordPanel.closest(".side") || recordPanel;
      if (side.scrollHeight > side.clientHeight) side.scrollTop = Math.max(0, recordPanel.offsetTop - 8);
      const box = side.getBoundingClientRect();
      // Opened from a table far down the page: bring the record into view.
      if (box.top < 0 || box.top > window.innerHeight - 60) side.scrollIntoView({ block: "start" });
    } catch (error) {
      fill(recordPanel, h("p", { class: "error" }, `Could not load this transfer: ${error.message}`));
    }
  };

  const refresh = async () => {
    const filters = readFilters(form);
    say("Loading…");
    try {
      // Every request at once: the outlines are fetched once, beside the first views.
      if (!world) world = source.world().catch(() => null);
      const [graph, map, timeline, outlines] = await Promise.all([source.graph(filters), source.map(filters), source.timeline(filters), world]);
      const g = renderGraph($(root, "#graph"), graph, { onEdge: openEdge, selected });
      const m = renderMap($(root, "#map"), outlines, map, { onLine: openEdge });
      const t = renderTimeline($(root, "#timeline"), timeline);
      const rows = graph.edges.slice(0, TABLE_ROWS).map((e) => recordRow(e, openEdge));
      fill($(root, "#records-body"), rows.length ? rows : h("tr", {}, h("td", { colspan: "6", class: "muted" }, "No transfers match these filters.")));
      const more = graph.edges.length > TABLE_ROWS ? ` (first ${TABLE_ROWS} in the table)` : "";
      say(`${g.edges} transfer(s) between ${g.nodes} actor(s)${more}; ${m.points} map point(s); ${t.undated ? `${t.undated} undated claim(s) not in the timeline` : "all claims dated"}.`);
      root.dataset.ready = "true";
    } catch (error) {
      say(`Could not load the views: ${error.message}`, true);
      root.dataset.ready = "error";
    }
  };

  form.addEventListener("submit", (event) => { event.preventDefault(); refresh(); });
  form.addEventListener("reset", () => setTimeout(refresh, 0));

  const actorList = $(root, "#actor-list");
  source.actors().then((actors) => {
    const items = Array.isArray(actors) ? actors : actors.items || [];
    fill(actorList, items.map((a) => h("option", { value: a.id || a.code }, a.name || a.id || a.code)));
  }).catch(() => {});

  const searchForm = $(root, "#search");
  const results = $(root, "#search-results");
  searchForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    const q = searchForm.elements.namedItem("q").value.trim();
    if (!q) return;
    try {
      const hits = await source.search(q);
      fill(results, hits.length ? hits.map((hit) => {
        const doc = hit.document;
        const button = h("button", { type: "button", class: "linklike hit-title", "data-document": doc.id }, doc.title || doc.name || doc.id);
        button.addEventListener("click", async () => {
          try { renderDocument(recordPanel, await source.document(doc.id)); } catch (error) { fill(recordPanel, h("p", { class: "error" }, error.message)); }
        });
        return h("li", {}, button, hit.snippet ? h("div", { class: "snippet" }, hit.snippet) : null);
      }) : h("li", { class: "muted" }, "No document matches."));
    } catch (error) {
      fill(results, h("li", { class: "error" }, error.message));
    }
  });

  // A link to #record=ID (the report's tables, a shared address) opens that record.
  const openFromHash = () => {
    const wanted = /^#record=(.+)$/.exec(window.location.hash);
    if (wanted && decodeURIComponent(wanted[1]) !== selected) openEdge({ record_id: decodeURIComponent(wanted[1]) });
  };
  window.addEventListener("hashchange", openFromHash);
  await refresh();
  openFromHash();
}
