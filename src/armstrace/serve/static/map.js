// The map: an equirectangular projection of the shipped Natural Earth countries, with the
// suppliers, recipients, transit countries and route points of the records, and route lines.

import { s, clear } from "./dom.js";
import { statusGroup } from "./data.js";

const MAP_SCALE = 2; // SVG units per degree
const MAP_TOP = 85;
const MAP_BOTTOM = -58;

export function project(lon, lat) {
  return [(lon + 180) * MAP_SCALE, (90 - lat) * MAP_SCALE];
}

function ringPath(ring) {
  let d = "";
  ring.forEach(([lon, lat], index) => {
    const [x, y] = project(lon, lat);
    d += `${index ? "L" : "M"}${x.toFixed(1)} ${y.toFixed(1)}`;
  });
  return `${d}Z`;
}

export function countryPath(geometry) {
  const polygons = geometry.type === "Polygon" ? [geometry.coordinates] : geometry.coordinates || [];
  return polygons.map((polygon) => polygon.map(ringPath).join("")).join("");
}

// A gentle arc between consecutive stops so that lines sharing a pair of countries stay apart.
function linePath(coords) {
  const pts = coords.map((c) => project(c.lon, c.lat));
  let d = `M${pts[0][0].toFixed(1)} ${pts[0][1].toFixed(1)}`;
  for (let i = 1; i < pts.length; i += 1) {
    const [x0, y0] = pts[i - 1];
    const [x1, y1] = pts[i];
    const len = Math.hypot(x1 - x0, y1 - y0);
    const cx = (x0 + x1) / 2 + ((y1 - y0) / Math.max(len, 1)) * len * 0.15;
    const cy = (y0 + y1) / 2 - ((x1 - x0) / Math.max(len, 1)) * len * 0.15;
    d += ` Q${cx.toFixed(1)} ${cy.toFixed(1)} ${x1.toFixed(1)} ${y1.toFixed(1)}`;
  }
  return d;
}

const ROLE_ORDER = ["route", "transit", "recipient", "supplier"];

export function renderMap(svg, world, data, { onLine } = {}) {
  clear(svg);
  const [, top] = project(0, MAP_TOP);
  const [, bottom] = project(0, MAP_BOTTOM);
  svg.setAttribute("viewBox", `0 ${top} ${360 * MAP_SCALE} ${bottom - top}`);
  svg.appendChild(s("rect", { class: "sea", x: 0, y: top, width: 360 * MAP_SCALE, height: bottom - top }));

  const roles = new Map();
  for (const p of data.points) {
    if (!p.code) continue;
    const set = roles.get(p.code) || new Set();
    for (const role of p.roles || [p.role]) set.add(role);
    roles.set(p.code, set);
  }
  const countries = s("g", { class: "countries" });
  let drawn = 0;
  for (const feature of (world && world.features) || []) {
    const props = feature.properties || {};
    const code = props.iso_a3;
    const involved = code && roles.get(code);
    const classes = ["country", involved && involved.has("supplier") ? "is-supplier" : null, involved && involved.has("recipient") ? "is-recipient" : null, involved && involved.has("transit") ? "is-transit" : null];
    countries.appendChild(s("path", { class: classes, d: countryPath(feature.geometry), "data-iso": code || "" }, s("title", { text: props.name || code || "" })));
    drawn += 1;
  }
  svg.appendChild(countries);

  const lines = s("g", { class: "routes" });
  for (const line of data.lines) {
    const label = [line.supplier, "→", line.recipient, line.status ? `(${line.status})` : ""].filter(Boolean).join(" ");
    const g = s("g", { class: ["route-line", line.status ? `group-${statusGroup(line.status)}` : null], "data-record": line.record_id || "" },
      s("title", { text: label }),
      s("path", { d: linePath(line.coords) }));
    if (onLine && line.record_id) {
      g.classList.add("clickable");
      g.addEventListener("click", () => onLine(line));
    }
    lines.appendChild(g);
  }
  svg.appendChild(lines);

  const points = s("g", { class: "points" });
  const sorted = [...data.points].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role));
  for (const p of sorted) {
    const [x, y] = project(p.lon, p.lat);
    const radius = p.role === "route" ? 2.2 : 3.6;
    points.appendChild(s("g", { class: ["point", `role-${p.role}`], transform: `translate(${x.toFixed(1)},${y.toFixed(1)})` },
      s("title", { text: `${p.name} (${(p.roles || [p.role]).join(", ")})` }),
      s("circle", { r: radius })));
  }
  svg.appendChild(points);
  return { countries: drawn, points: data.points.length, lines: data.lines.length };
}
