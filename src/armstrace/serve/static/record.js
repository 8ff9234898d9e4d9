// The record view: a transfer record with every supporting claim, its evidence marked inside
// its paragraph, the source and speaker, quotes, denials, SIPRI match, embargo flags and
// confidence reasons. Article text is untrusted: it only ever becomes text nodes.

import { h, fill, externalLink, fmtPercent } from "./dom.js";
import { statusGroup } from "./data.js";

const PARAGRAPH_MAX = 900;

// Stored offsets count Unicode code points (Python); JavaScript strings count UTF-16 units.
export function codePointIndex(text, codePoints) {
  let index = 0;
  let seen = 0;
  while (seen < codePoints && index < text.length) {
    const unit = text.charCodeAt(index);
    index += unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length ? 2 : 1;
    seen += 1;
  }
  return index;
}

// The paragraph (a run of text between line breaks) holding [start, end), clipped around the
// evidence when it is long. Returns null when the offsets do not fit the text.
export function paragraphAround(text, start, end) {
  if (typeof text !== "string" || !(start >= 0) || !(end > start) || end > text.length) return null;
  let from = text.lastIndexOf("\n", start - 1) + 1;
  let to = text.indexOf("\n", end);
  if (to < 0) to = text.length;
  let head = "";
  let tail = "";
  if (to - from > PARAGRAPH_MAX) {
    const spare = Math.max(0, Math.floor((PARAGRAPH_MAX - (end - start)) / 2));
    if (start - from > spare) { from = start - spare; head = "… "; }
    if (to - end > spare) { to = end + spare; tail = " …"; }
  }
  return { before: head + text.slice(from, start), evidence: text.slice(start, end), after: text.slice(end, to) + tail };
}

function locateEvidence(text, claim) {
  if (typeof text !== "string") return null;
  const start = codePointIndex(text, claim.evidence_start);
  const end = codePointIndex(text, claim.evidence_end);
  if (claim.evidence && text.slice(start, end) === claim.evidence) return paragraphAround(text, start, end);
  const found = claim.evidence ? text.indexOf(claim.evidence) : -1;
  return found >= 0 ? paragraphAround(text, found, found + claim.evidence.length) : null;
}

export function evidenceParagraph(claim, text) {
  let parts = null;
  if (claim.paragraph && typeof claim.paragraph.text === "string") {
    // A report embeds the paragraph itself, with offsets relative to its start.
    const p = claim.paragraph;
    parts = locateEvidence(p.text, { ...claim, evidence_start: claim.evidence_start - p.start, evidence_end: claim.evidence_end - p.start });
  } else {
    parts = locateEvidence(text, claim);
  }
  if (!parts) parts = { before: "", evidence: claim.evidence || "", after: "" };
  return h("blockquote", { class: "evidence" }, parts.before, h("mark", {}, parts.evidence), parts.after);
}

export function normaliseClaim(c) {
  const speaker = c.speaker || {};
  return {
    ...c,
    claim_id: c.claim_id || c.id,
    date: c.date || c.claim_date || c.published || null,
    speaker_name: c.speaker_name ?? speaker.name ?? null,
    speaker_title: c.speaker_title ?? speaker.title ?? null,
    speaker_affiliation: c.speaker_affiliation ?? speaker.affiliation ?? null,
  };
}

function speakerLine(claim) {
  const who = [];
  if (claim.source) who.push(h("span", { class: "source" }, claim.source));
  if (claim.source_kind) who.push(h("span", { class: "tag" }, claim.source_kind));
  const details = [claim.speaker_title, claim.speaker_affiliation].filter(Boolean).join(", ");
  if (claim.speaker_name && claim.speaker_name !== claim.source) who.push(" · ", h("span", { class: "speaker" }, claim.speaker_name));
  if (details) who.push(h("span", { class: "speaker-role" }, ` (${details})`));
  if (!who.length) who.push(h("span", { class: "muted" }, "asserted by the outlet or author"));
  return h("div", { class: "who" }, "Source: ", who);
}

function quoteList(quotes) {
  if (!quotes || !quotes.length) return null;
  return h("details", { class: "quotes" },
    h("summary", {}, `Quotes in this document (${quotes.length})`),
    h("ul", {}, quotes.map((q) => {
      const sp = typeof q.speaker === "string" ? { name: q.speaker } : q.speaker || {};
      const name = q.speaker_name || sp.name;
      const role = [q.speaker_title || sp.title, q.speaker_affiliation || sp.affiliation].filter(Boolean).join(", ");
      return h("li", {}, h("q", {}, q.text || q.quote || ""), name ? h("span", { class: "speaker" }, ` — ${name}${role ? `, ${role}` : ""}`) : null);
    })));
}

function docCache(source) {
  const cache = new Map();
  return (id) => {
    if (!id) return Promise.resolve(null);
    if (!cache.has(id)) cache.set(id, source.document(id).catch(() => null));
    return cache.get(id);
  };
}

async function claimCard(raw, getDoc, { denial = false } = {}) {
  const claim = normaliseClaim(raw);
  const doc = claim.paragraph ? await getDoc(claim.document_id) : await getDoc(claim.document_id);
  const text = doc && typeof doc.text === "string" ? doc.text : null;
  const title = claim.title || (doc && doc.title) || claim.document_name || claim.document_id || "untitled document";
  const url = claim.url || (doc && doc.url);
  return h("article", { class: ["claim", denial ? "denial" : null, `group-${statusGroup(claim.status)}`], "data-claim": claim.claim_id || "" },
    h("header", {},
      h("span", { class: ["status-chip", `group-${statusGroup(claim.status)}`] }, claim.status || "?"),
      " ",
      h("span", { class: "doc-title" }, title),
      h("div", { class: "meta" },
        [claim.outlet || (doc && doc.outlet), claim.date].filter(Boolean).join(" · "),
        url ? " · " : "", url ? externalLink(url, "original article") : null)),
    speakerLine(claim),
    evidenceParagraph(claim, text),
    claim.location ? h("div", { class: "location" }, "In the PDF: ", locationLabel(claim.location)) : null,
    claim.items && claim.items.length ? h("div", { class: "items" }, "Items: ", claim.items.join(", ")) : null,
    claim.quantity ? h("div", { class: "items" }, "Quantity: ", typeof claim.quantity === "string" ? claim.quantity : claim.quantity.text || "") : null,
    quoteList(doc && doc.quotes));
}

function definition(label, ...value) {
  return [h("dt", {}, label), h("dd", {}, ...value)];
}

function embargoList(embargo) {
  if (!embargo || !embargo.length) return null;
  return h("section", { class: "embargo" }, h("h3", {}, "Embargo flags"),
    h("ul", {}, embargo.map((e) => h("li", {},
      h("strong", {}, `${e.regime || "embargo"}`), e.issuer ? ` (${e.issuer})` : "",
      e.target ? ` on ${e.target}` : "", e.side ? ` — ${e.side} side` : "",
      e.reason ? h("div", {}, "Reason: ", e.reason) : null,
      e.legal_basis ? h("div", { class: "muted" }, "Legal basis: ", e.legal_basis) : null,
      e.source ? h("div", { class: "muted" }, "Source: ", externalLink(e.source, e.source)) : null))));
}

function sipriList(sipri) {
  if (!sipri || !sipri.length) return h("section", { class: "sipri" }, h("h3", {}, "SIPRI match"), h("p", { class: "muted" }, "No matching deal in the SIPRI Arms Transfers Database extract."));
  return h("section", { class: "sipri" }, h("h3", {}, "SIPRI match"),
    h("table", {}, h("thead", {}, h("tr", {}, ["Deal", "Designation", "Description", "Ordered", "Delivered", "Number"].map((c) => h("th", {}, c)))),
      h("tbody", {}, sipri.map((d) => h("tr", {},
        h("td", {}, d.deal_id ?? ""), h("td", {}, d.designation ?? ""), h("td", {}, d.description ?? ""),
        h("td", {}, d.order_year ?? ""), h("td", {}, Array.isArray(d.delivery_years) ? d.delivery_years.join(", ") : d.delivery_years ?? ""),
        h("td", {}, d.number ?? ""))))));
}

export function locationLabel(location) {
  const page = `page ${location.page}`;
  return location.paragraph === null || location.paragraph === undefined ? page : `${page}, paragraph ${location.paragraph}`;
}

const GAPS = {
  exporter_only: "declared by the exporter only",
  importer_only: "declared by the importer only",
  different_numbers: "declared by both, with different numbers",
  "": "declared by both, matching",
};

// What the UN Register of Conventional Arms says about the record (armstrace import-unroca).
function unrocaList(unroca) {
  if (!unroca) return null;
  const heading = h("h3", {}, "UN Register (UNROCA)");
  if (!unroca.rows.length) {
    const note = unroca.undeclared
      ? "Undeclared: delivered, but neither the exporter nor the importer declared it to the Register."
      : "No declaration to the Register for this pair, category and years.";
    return h("section", { class: ["unroca", unroca.undeclared ? "undeclared" : null] }, heading, h("p", { class: unroca.undeclared ? "warning" : "muted" }, note));
  }
  return h("section", { class: "unroca" }, heading,
    h("table", {}, h("thead", {}, h("tr", {}, ["Year", "Register category", "Exporter's report", "Importer's report", "Verdict", "Description"].map((c) => h("th", {}, c)))),
      h("tbody", {}, unroca.rows.map((r) => h("tr", { class: r.verdict === "mirror_gap" ? "mirror-gap" : null },
        h("td", {}, String(r.year ?? "")), h("td", {}, r.register_name ?? ""),
        h("td", {}, r.exporter_declared ? String(r.exporter_items ?? "?") : "—"),
        h("td", {}, r.importer_declared ? String(r.importer_items ?? "?") : "—"),
        h("td", {}, GAPS[r.gap] ?? r.verdict), h("td", {}, (r.descriptions || []).join("; ")))))));
}

export async function renderRecord(container, record, source) {
  const getDoc = docCache(source);
  const name = (code, label) => (label && label !== code ? `${label} (${code})` : code || "unknown");
  const quantity = record.quantity ? record.quantity.text || [record.quantity.low, record.quantity.high].filter((v) => v !== null).join("–") : null;
  const head = h("header", { class: "record-head" },
    h("h2", {}, name(record.supplier, record.supplier_name), " → ", name(record.recipient, record.recipient_name)),
    h("div", { class: "chips" },
      h("span", { class: ["status-chip", `group-${statusGroup(record.status)}`] }, record.status || "?"),
      h("span", { class: "tag" }, record.category || ""),
      (record.embargo || []).length ? h("span", { class: "tag embargo-tag" }, "embargo flag") : null));
  const facts = h("dl", { class: "facts" },
    definition("Items", [...(record.designations || []), ...(record.items || [])].filter((v, i, a) => a.indexOf(v) === i).join(", ") || "—"),
    quantity ? definition("Quantity", quantity) : [],
    definition("Seen", [record.first_seen, record.last_seen].filter(Boolean).join(" – ") || "undated"),
    definition("Support", `${record.support ?? (record.claims || []).length} claim(s), ${record.independent_sources ?? "?"} independent source(s)`),
    definition("Confidence", fmtPercent(record.confidence)),
    (record.via || []).length ? definition("Via", record.via.join(", ")) : [],
    (record.route || []).length ? definition("Route", record.route.map((p) => p.name).join(" → ")) : []);
  const reasons = (record.confidence_reasons || []).length
    ? h("section", {}, h("h3", {}, "Why this confidence"), h("ul", { class: "reasons" }, record.confidence_reasons.map((r) => h("li", {}, r))))
    : null;
  const history = (record.status_history || []).length
    ? h("section", {}, h("h3", {}, "Status history"), h("ol", { class: "history" }, record.status_history.map((s) => h("li", {}, `${s.date || "undated"}: ${s.status}`, s.source ? ` (${s.source})` : ""))))
    : null;
  const claims = await Promise.all((record.claims || []).map((c) => claimCard(c, getDoc)));
  const denials = await Promise.all((record.denials || []).map((c) => claimCard(c, getDoc, { denial: true })));
  fill(container,
    head, facts,
    embargoList(record.embargo),
    h("section", {}, h("h3", {}, `Supporting claims (${claims.length})`), claims.length ? claims : h("p", { class: "muted" }, "None.")),
    denials.length ? h("section", {}, h("h3", {}, `Denials (${denials.length})`), denials) : null,
    sipriList(record.sipri), unrocaList(record.unroca), reasons, history);
}

export async function renderClaims(container, heading, claims, source) {
  const getDoc = docCache(source);
  const cards = await Promise.all(claims.map((c) => claimCard(c, getDoc)));
  fill(container, h("header", { class: "record-head" }, h("h2", {}, heading), h("p", { class: "muted" }, "No transfer record yet: these are the claims behind this edge.")),
    cards.length ? cards : h("p", { class: "muted" }, "No claims."));
}

// A whole document, from search: its text paragraph by paragraph, claim evidence marked.
export function renderDocument(container, doc) {
  const text = typeof doc.text === "string" ? doc.text : "";
  const spans = (doc.claims || []).map(normaliseClaim)
    .map((c) => [codePointIndex(text, c.evidence_start), codePointIndex(text, c.evidence_end)])
    .filter(([a, b]) => b > a && b <= text.length)
    .sort((x, y) => x[0] - y[0]);
  const paragraphs = [];
  let offset = 0;
  for (const line of text.split("\n")) {
    const start = offset;
    const end = offset + line.length;
    offset = end + 1;
    if (!line.trim()) continue;
    const parts = [];
    let at = start;
    for (const [a, b] of spans) {
      if (b <= at || a >= end) continue;
      const from = Math.max(a, at);
      const to = Math.min(b, end);
      parts.push(text.slice(at, from), h("mark", {}, text.slice(from, to)));
      at = to;
    }
    parts.push(text.slice(at, end));
    paragraphs.push(h("p", {}, parts));
  }
  fill(container,
    h("header", { class: "record-head" },
      h("h2", { class: "doc-title" }, doc.title || doc.name || doc.id || "untitled document"),
      h("div", { class: "meta" }, [doc.outlet, doc.published].filter(Boolean).join(" · "), doc.url ? " · " : "", doc.url ? externalLink(doc.url, "original article") : null)),
    h("div", { class: "doc-text" }, paragraphs.length ? paragraphs : h("p", { class: "muted" }, "(no text)")),
    quoteList(doc.quotes));
}
