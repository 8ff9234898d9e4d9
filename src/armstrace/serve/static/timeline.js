// The timeline: claims per month, stacked by status group (happened, pending, unconfirmed,
// denied); undated claims are counted apart rather than guessed into a month.

import { s, clear } from "./dom.js";
import { GROUP_ORDER, statusGroup } from "./data.js";

const TL_W = 430;
const TL_H = 200;
const TL_LEFT = 28;
const TL_BOTTOM = 22;

function monthsBetween(first, last) {
  const out = [];
  let [y, m] = first.split("-").map(Number);
  const [ly, lm] = last.split("-").map(Number);
  while (y < ly || (y === ly && m <= lm)) {
    out.push(`${y}-${String(m).padStart(2, "0")}`);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
    if (out.length > 600) break; // fifty years is enough for one chart
  }
  return out;
}

export function renderTimeline(svg, rows) {
  clear(svg);
  svg.setAttribute("viewBox", `0 0 ${TL_W} ${TL_H}`);
  const dated = rows.filter((r) => r.month && /^\d{4}-\d{2}$/.test(r.month));
  const undated = rows.filter((r) => !r.month).reduce((n, r) => n + r.count, 0);
  if (!dated.length) {
    svg.appendChild(s("text", { x: TL_W / 2, y: TL_H / 2, class: "empty", "text-anchor": "middle", text: "No dated claims match these filters." }));
    return { bars: 0, undated };
  }
  const monthsSorted = dated.map((r) => r.month).sort();
  const months = monthsBetween(monthsSorted[0], monthsSorted[monthsSorted.length - 1]);
  const stacks = new Map(months.map((m) => [m, Object.fromEntries(GROUP_ORDER.map((g) => [g, 0]))]));
  for (const r of dated) stacks.get(r.month)[statusGroup(r.status)] += r.count;
  const max = Math.max(1, ...[...stacks.values()].map((st) => GROUP_ORDER.reduce((n, g) => n + st[g], 0)));
  const plotW = TL_W - TL_LEFT - 6;
  const plotH = TL_H - TL_BOTTOM - 8;
  const step = plotW / months.length;
  const barW = Math.max(1, step * 0.8);
  const axis = s("g", { class: "axis" },
    s("line", { x1: TL_LEFT, y1: 8 + plotH, x2: TL_W - 6, y2: 8 + plotH }),
    s("text", { x: TL_LEFT - 4, y: 12, "text-anchor": "end", text: String(max) }),
    s("text", { x: TL_LEFT - 4, y: 8 + plotH, "text-anchor": "end", text: "0" }));
  svg.appendChild(axis);
  const bars = s("g", { class: "bars" });
  let count = 0;
  months.forEach((month, index) => {
    const stack = stacks.get(month);
    let y = 8 + plotH;
    const x = TL_LEFT + index * step + (step - barW) / 2;
    for (const group of GROUP_ORDER) {
      const n = stack[group];
      if (!n) continue;
      const height = (n / max) * plotH;
      y -= height;
      bars.appendChild(s("rect", { class: ["bar", `group-${group}`], x: x.toFixed(2), y: y.toFixed(2), width: barW.toFixed(2), height: height.toFixed(2), "data-month": month }, s("title", { text: `${month}: ${n} ${group} claim(s)` })));
      count += 1;
    }
    if (month.endsWith("-01") || index === 0) {
      axis.appendChild(s("text", { x: (TL_LEFT + index * step).toFixed(1), y: TL_H - 6, text: month.slice(0, 4) }));
    }
  });
  svg.appendChild(bars);
  return { bars: count, undated };
}
