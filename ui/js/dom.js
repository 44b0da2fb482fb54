// Building the page: every string goes in as text (a Text node or
// textContent), never as HTML, so nothing typed by a user or read from a
// file can become markup or script.

const SVG_NS = "http://www.w3.org/2000/svg";

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k === "class") el.setAttribute("class", v);
    else if (k === "text") el.textContent = String(v);
    else if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), v);
    else if (v === true) el.setAttribute(k, "");
    else el.setAttribute(k, String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** An HTML element: h("p", {class: "x"}, "text", child, ...). */
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

/** An SVG element. */
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG_NS, tag), attrs, children);
}

/** Replace the content of an element. */
export function fill(el, ...children) {
  el.replaceChildren();
  build(el, {}, children);
  return el;
}

const nf1 = new Intl.NumberFormat("it-IT", { minimumFractionDigits: 0, maximumFractionDigits: 1 });
const nf0 = new Intl.NumberFormat("it-IT");

/** 54.3 → "54,3". */
export function num(x) {
  return x === null || x === undefined ? "–" : nf1.format(x);
}

const nfScore = new Intl.NumberFormat("it-IT", { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** One rounding rule for every score on screen, as in the PDF: one decimal,
 *  always shown (35 → "35,0", 1.26 → "1,3"). */
export function score(x) {
  return x === null || x === undefined ? "–" : nfScore.format(round1(x));
}

/** A score rounded as it is shown. */
export function round1(x) {
  return Math.round(x * 10) / 10;
}

/** The difference of two shown scores, from the shown (rounded) figures,
 *  so that "da 35,0 a 1,3" says "−33,7" and the numbers add up. */
export function shownDelta(before, after) {
  if (before === null || before === undefined || after === null || after === undefined) return null;
  return round1(round1(after) - round1(before));
}

/** 12345 → "12.345". */
export function int(x) {
  return nf0.format(x);
}

/** "2026-11-24" → "24/11/2026". */
export function date(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso || "");
  return m ? `${m[3]}/${m[2]}/${m[1]}` : "";
}

/** A signed difference: "+4,5", "−2", "0". */
export function delta(x) {
  if (x === null || x === undefined) return "–";
  if (x > 0) return "+" + nf1.format(x);
  if (x < 0) return "−" + nf1.format(-x);
  return "0";
}

/** "1 domanda" / "3 domande". */
export function plural(n, one, many) {
  return `${int(n)} ${n === 1 ? one : many}`;
}
