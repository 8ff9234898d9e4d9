// DOM helpers: every piece of data reaches the page as a text node or an attribute value,
// never as markup, and no helper accepts an event-handler attribute.

const SVG_NS = "http://www.w3.org/2000/svg";

function applyAttrs(node, attrs) {
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (/^on/i.test(name)) throw new Error(`refusing event attribute ${name}`);
    if (name === "text") node.textContent = String(value);
    else if (name === "class") node.setAttribute("class", Array.isArray(value) ? value.filter(Boolean).join(" ") : String(value));
    else node.setAttribute(name, value === true ? "" : String(value));
  }
}

function appendAll(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

export function h(tag, attrs, ...children) {
  const node = document.createElement(tag);
  applyAttrs(node, attrs);
  return appendAll(node, children);
}

export function s(tag, attrs, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  applyAttrs(node, attrs);
  return appendAll(node, children);
}

export function clear(node) {
  while (node.firstChild) node.removeChild(node.firstChild);
  return node;
}

export function fill(node, ...children) {
  return appendAll(clear(node), children);
}

// An http(s) URL as a string, or null: javascript:, data: and the rest never become links.
export function safeUrl(value) {
  if (typeof value !== "string" || !value) return null;
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch (error) {
    return null;
  }
}

export function externalLink(url, label) {
  const href = safeUrl(url);
  if (!href) return h("span", { class: "nolink" }, label || url || "");
  return h("a", { href, rel: "noopener noreferrer", target: "_blank" }, label || href);
}

export function fmtPercent(value) {
  return typeof value === "number" ? `${Math.round(value * 100)}%` : "–";
}
