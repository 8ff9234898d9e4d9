// Where the views get their data: the HTTP API of `armstrace serve`, or the JSON embedded in a
// report file. Both sources answer the same questions with the same shapes.

// Mirrors armstrace.records.CATEGORIES / STATUSES / STATUS_GROUPS (a test keeps them equal).
export const CATEGORIES = ["aircraft", "uav", "missile", "air_defence", "artillery", "ammunition", "armoured_vehicle", "ship", "small_arms", "sensor", "engine", "dual_use_components", "technology", "military_equipment_unspecified", "other"];
export const STATUSES = ["delivered", "ongoing", "agreed", "planned", "requested", "attempted", "alleged", "denied", "speculated"];
export const STATUS_GROUPS = { delivered: "happened", ongoing: "happened", agreed: "pending", planned: "pending", requested: "pending", attempted: "pending", alleged: "unconfirmed", speculated: "unconfirmed", denied: "denied" };
export const GROUP_ORDER = ["happened", "pending", "unconfirmed", "denied"];

export function statusGroup(status) {
  return STATUS_GROUPS[status] || "unconfirmed";
}

const FILTER_KEYS = ["actor", "supplier", "recipient", "category", "status", "since", "until"];

function listOf(payload, ...keys) {
  if (Array.isArray(payload)) return payload;
  for (const key of keys) if (payload && Array.isArray(payload[key])) return payload[key];
  return [];
}

function num(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

// ---- normalisers: the API's JSON into the shapes the views draw -------------------------

export function normaliseGraph(payload) {
  const nodes = listOf(payload, "nodes").map((n) => ({ id: n.id || n.code, name: n.name || n.id || n.code, kind: n.kind, lat: num(n.lat), lon: num(n.lon) }));
  const edges = listOf(payload, "edges").map((e) => {
    const pair = Array.isArray(e.pair) ? e.pair : null;
    const embargo = Array.isArray(e.embargo) ? e.embargo.length > 0 : Boolean(e.embargo);
    return {
      record_id: e.record_id || null,
      pair,
      supplier: e.supplier || (pair && pair[0]) || e.source,
      recipient: e.recipient || (pair && pair[1]) || e.target,
      status: e.status,
      category: e.category,
      sources: e.sources ?? e.independent_sources ?? e.documents ?? 1,
      embargo,
      claims: e.claims ?? e.support ?? null,
    };
  });
  return { nodes, edges };
}

function pointOf(p) {
  if (!p) return null;
  if (Array.isArray(p)) return p.length >= 2 && num(p[0]) !== null ? { lat: p[0], lon: p[1] } : null;
  const lat = num(p.lat);
  const lon = num(p.lon);
  return lat === null || lon === null ? null : { lat, lon, name: p.name || p.id || p.code };
}

const ROLE_RANK = ["supplier", "recipient", "transit", "route"];

export function normaliseMap(payload) {
  const points = listOf(payload, "points").map((p) => {
    const roles = Array.isArray(p.roles) && p.roles.length ? p.roles : [p.role || "route"];
    return {
      name: p.name || p.id || p.code || "",
      code: p.kind === "place" ? null : p.code || p.id || null,
      role: ROLE_RANK.find((r) => roles.includes(r)) || roles[0],
      roles,
      lat: num(p.lat),
      lon: num(p.lon),
    };
  }).filter((p) => p.lat !== null && p.lon !== null);
  const lines = listOf(payload, "lines").map((l) => {
    const raw = l.points || l.path || l.coordinates || [l.from, ...(l.via || []), l.to];
    return {
      coords: raw.map(pointOf).filter(Boolean),
      supplier: l.supplier || null,
      recipient: l.recipient || null,
      status: l.status || null,
      record_id: l.record_id || null,
      claims: l.claims ?? null,
    };
  }).filter((l) => l.coords.length >= 2);
  return { points, lines };
}

export function normaliseTimeline(payload) {
  const rows = [];
  for (const row of listOf(payload, "months", "timeline", "rows", "items")) {
    if (row.status) rows.push({ month: row.month ?? null, status: row.status, count: row.count ?? row.claims ?? row.n ?? 0 });
    else if (row.counts || row.by_status) {
      for (const [status, count] of Object.entries(row.counts || row.by_status)) rows.push({ month: row.month ?? null, status, count });
    }
  }
  const undated = payload && payload.undated;
  if (undated && undated.by_status) {
    for (const [status, count] of Object.entries(undated.by_status)) rows.push({ month: null, status, count });
  }
  return rows;
}

// ---- the HTTP API ---------------------------------------------------------------------

function query(filters) {
  const params = new URLSearchParams();
  for (const key of FILTER_KEYS) if (filters && filters[key]) params.set(key, filters[key]);
  const text = params.toString();
  return text ? `?${text}` : "";
}

export function apiSource(base, worldUrl) {
  const get = async (path) => {
    const response = await fetch(`${base}${path}`, { headers: { Accept: "application/json" } });
    if (!response.ok) {
      let detail = `${response.status} ${response.statusText}`;
      try { const body = await response.json(); if (body && body.detail) detail = typeof body.detail === "string" ? body.detail : JSON.stringify(body.detail); } catch (error) { /* not JSON */ }
      if (response.status === 401 || response.status === 403) detail += " (sign in again at /login)";
      throw new Error(detail);
    }
    return response.json();
  };
  return {
    kind: "api",
    stats: () => get("/stats"),
    actors: () => get("/actors?limit=500").catch(() => []),
    graph: async (f) => normaliseGraph(await get(`/graph${query(f)}`)),
    map: async (f) => normaliseMap(await get(`/map${query(f)}`)),
    timeline: async (f) => normaliseTimeline(await get(`/timeline${query(f)}`)),
    world: async () => {
      const response = await fetch(worldUrl, { headers: { Accept: "application/json" } });
      if (!response.ok) throw new Error(`world map: ${response.status}`);
      return response.json();
    },
    record: (id) => get(`/transfers/${encodeURIComponent(id)}`),
    claimsForPair: async (supplier, recipient, category) => {
      const f = { supplier, recipient };
      const params = new URLSearchParams(f);
      if (category) params.set("category", category);
      params.set("limit", "100");
      return listOf(await get(`/claims?${params}`), "items", "claims", "results");
    },
    document: (id) => get(`/documents/${encodeURIComponent(id)}`),
    search: async (q) => listOf(await get(`/search?q=${encodeURIComponent(q)}`), "items", "hits", "results")
      .map((hit) => ({ document: hit.document || hit, snippet: hit.snippet || "" })),
  };
}

// ---- the JSON embedded in a report ---------------------------------------------------

function recordDate(record) {
  return record.last_seen || record.first_seen || null;
}

export function matchesFilters(record, f) {
  if (!f) return true;
  if (f.actor && record.supplier !== f.actor && record.recipient !== f.actor) return false;
  if (f.supplier && record.supplier !== f.supplier) return false;
  if (f.recipient && record.recipient !== f.recipient) return false;
  if (f.category && record.category !== f.category) return false;
  if (f.status && record.status !== f.status) return false;
  const seen = recordDate(record);
  if (f.since && (!seen || seen < f.since)) return false;
  if (f.until && (!record.first_seen || record.first_seen > f.until)) return false;
  return true;
}

export function embeddedSource(data) {
  const records = data.records || [];
  const nodes = new Map((data.nodes || []).map((n) => [n.id, n]));
  const places = data.places || {};
  const byId = new Map(records.map((r) => [r.id, r]));
  const pick = (f) => records.filter((r) => matchesFilters(r, f));
  const nodeFor = (code, name) => nodes.get(code) || { id: code, name: name || code, kind: "state", lat: null, lon: null };
  return {
    kind: "embedded",
    stats: async () => data.stats || {},
    actors: async () => [...nodes.values()],
    graph: async (f) => {
      const chosen = pick(f);
      const used = new Map();
      for (const r of chosen) {
        if (r.supplier) used.set(r.supplier, nodeFor(r.supplier, r.supplier_name));
        if (r.recipient) used.set(r.recipient, nodeFor(r.recipient, r.recipient_name));
      }
      return {
        nodes: [...used.values()],
        edges: chosen.map((r) => ({ record_id: r.id, supplier: r.supplier, recipient: r.recipient, status: r.status, category: r.category, sources: r.independent_sources, embargo: (r.embargo || []).length > 0, claims: r.support })),
      };
    },
    map: async (f) => {
      const points = new Map();
      const lines = [];
      const add = (key, point) => { if (point && num(point.lat) !== null && num(point.lon) !== null && !points.has(key)) points.set(key, point); };
      for (const r of pick(f)) {
        const a = nodeFor(r.supplier, r.supplier_name);
        const b = nodeFor(r.recipient, r.recipient_name);
        add(`s:${r.supplier}`, { name: a.name, code: a.id, role: "supplier", lat: a.lat, lon: a.lon });
        add(`r:${r.recipient}`, { name: b.name, code: b.id, role: "recipient", lat: b.lat, lon: b.lon });
        const stops = [];
        for (const code of r.via || []) {
          const node = nodes.get(code) || places[code];
          if (node) { add(`t:${code}`, { name: node.name || code, code, role: "transit", lat: node.lat, lon: node.lon }); stops.push(node); }
        }
        for (const point of r.route || []) { add(`p:${point.name}`, { name: point.name, role: "route", lat: point.lat, lon: point.lon }); stops.push(point); }
        const coords = [a, ...stops, b].map(pointOf).filter(Boolean);
        if (coords.length >= 2) lines.push({ coords, supplier: r.supplier, recipient: r.recipient, status: r.status, record_id: r.id });
      }
      return { points: [...points.values()], lines };
    },
    timeline: async (f) => {
      const counts = new Map();
      const seen = new Set();
      for (const r of pick(f)) {
        for (const c of [...(r.claims || []), ...(r.denials || [])]) {
          if (seen.has(c.claim_id)) continue;
          seen.add(c.claim_id);
          const key = `${c.date ? c.date.slice(0, 7) : ""}|${c.status}`;
          counts.set(key, (counts.get(key) || 0) + 1);
        }
      }
      return [...counts.entries()].map(([key, count]) => {
        const [month, status] = key.split("|");
        return { month: month || null, status, count };
      });
    },
    world: async () => data.world,
    record: async (id) => {
      const record = byId.get(id);
      if (!record) throw new Error(`no transfer record ${id} in this report`);
      return record;
    },
    claimsForPair: async () => [],
    document: async (id) => (data.documents || {})[id] || { id, quotes: [] },
    search: async (q) => {
      const words = q.toLowerCase().split(/\s+/).filter(Boolean);
      const hits = [];
      for (const doc of Object.values(data.documents || {})) {
        const hay = `${doc.title || ""} ${doc.name || ""} ${(doc.paragraphs || []).map((p) => p.text).join(" ")}`.toLowerCase();
        if (words.length && words.every((w) => hay.includes(w))) hits.push({ document: doc, snippet: (doc.paragraphs || [])[0] ? doc.paragraphs[0].text.slice(0, 200) : "" });
      }
      return hits;
    },
  };
}
