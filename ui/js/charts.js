// Inline SVG charts. They are pictures of figures that are also given as
// tables, so they are hidden from screen readers (aria-hidden) and the
// tables carry the data.

import { s, score, date } from "./dom.js";

/** Colours of the tiers (the thresholds come from Rust with the tiers). */
const TIER_COLORS = { initial: "#a61c32", developing: "#995c00", established: "#0066cc", advanced: "#00573a" };

/** The tier a score falls in: `tiers` as the results screen receives them, lowest first. */
export function tierOf(tiers, v) {
  return tiers.filter((t) => v >= t.from).pop() || tiers[0];
}

/** The sentence under a domain chart, naming the target line. */
export function targetSentence(tiers) {
  const t = tiers.find((x) => x.target) || tiers[0];
  return `La linea tratteggiata indica ${t.from}, la soglia del livello ${t.label}.`;
}

/** The four tiers as bands of one 0–100 scale, with a marker at `value`
 *  (the average of the answers). A picture of what the sentence beside it
 *  says, so hidden from screen readers. */
export function tierScale(tiers, value) {
  const width = 560, left = 10, barW = 540, top = 18, barH = 22;
  const x = (v) => left + (barW * Math.max(0, Math.min(100, v))) / 100;
  const bands = tiers.map((t) => {
    const from = t.from, to = t.below === null ? 100 : t.below;
    const mid = (x(from) + x(to)) / 2;
    return [
      s("rect", { x: x(from), y: top, width: x(to) - x(from), height: barH, fill: TIER_COLORS[t.id], "fill-opacity": 0.18 }),
      s("rect", { x: x(from), y: top + barH - 4, width: x(to) - x(from), height: 4, fill: TIER_COLORS[t.id] }),
      s("text", { x: mid, y: top + 15, "text-anchor": "middle", "font-size": 12, "font-weight": 600, fill: "#1a1a1a" }, t.label),
      from > 0 ? s("text", { x: x(from), y: top + barH + 16, "text-anchor": "middle", "font-size": 12, fill: "#4d5b69" }, String(from)) : null,
      from > 0 ? s("line", { x1: x(from), x2: x(from), y1: top, y2: top + barH, stroke: "#ffffff", "stroke-width": 2 }) : null,
    ];
  });
  const m = x(value);
  const marker = [
    s("path", { d: `M${m - 7},2 L${m + 7},2 L${m},${top - 2} Z`, fill: "#17324d" }),
    s("line", { x1: m, x2: m, y1: top - 2, y2: top + barH + 2, stroke: "#17324d", "stroke-width": 3 }),
  ];
  return s("svg", { class: "tier-scale", id: "tier-scale", viewBox: `0 0 ${width} ${top + barH + 22}`, "aria-hidden": "true", focusable: "false" },
    bands, marker);
}

/** "Mancano 7,6 punti per il livello «In sviluppo»." or, at the top, how to keep it. */
export function nextStepSentence(tiers, value) {
  const next = tiers.find((t) => t.from > value);
  if (!next) return "È il livello più alto: ora si tratta di mantenerlo, rifacendo l'autovalutazione ogni anno.";
  const gap = Math.max(0.1, Math.round((next.from - value) * 10) / 10);
  return `${gap === 1 ? "Manca 1 punto" : `Mancano ${score(gap)} punti`} per il livello «${next.label}»: le misure qui sotto sono la strada più breve.`;
}

/** Horizontal bars, one per domain, 0–100, coloured by tier, with a target line at the target tier. */
export function domainBars(domains, tiers) {
  const target = (tiers.find((t) => t.target) || tiers[0]).from;
  const rowH = 30, labelW = 330, barW = 470, top = 28, right = 60;
  const height = top + rowH * domains.length + 10;
  const width = labelW + barW + right;
  const x = (v) => labelW + (barW * v) / 100;
  const grid = [0, 25, 50, 75, 100].map((v) => [
    s("line", { x1: x(v), x2: x(v), y1: top - 6, y2: height - 8, stroke: "#c5c7c9", "stroke-width": 1 }),
    s("text", { x: x(v), y: top - 10, "text-anchor": "middle", "font-size": 13, fill: "#4d5b69" }, String(v)),
  ]);
  const bars = domains.map((d, i) => {
    const y = top + i * rowH;
    const v = d.score;
    const color = v === null ? "#c5c7c9" : TIER_COLORS[tierOf(tiers, v).id];
    return [
      s("text", { x: labelW - 10, y: y + 19, "text-anchor": "end", "font-size": 15, fill: "#1a1a1a" }, d.title),
      s("rect", { x: labelW, y: y + 5, width: v === null ? 0 : Math.max(2, (barW * v) / 100), height: rowH - 10, fill: color, rx: 2 }),
      s("text", { x: (v === null ? labelW : x(v)) + 6, y: y + 19, "font-size": 14, "font-weight": 600, fill: "#1a1a1a" }, v === null ? "n.a." : score(v)),
    ];
  });
  const targetLine = [
    s("line", { x1: x(target), x2: x(target), y1: top - 6, y2: height - 8, stroke: "#17324d", "stroke-width": 2, "stroke-dasharray": "5 4" }),
  ];
  return s("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, "aria-hidden": "true", focusable: "false" },
    grid, bars, targetLine);
}

/** A line of overall scores over time. */
export function trendLine(rows) {
  const pts = rows.filter((r) => r.overall !== null);
  const width = 800, height = 260, left = 60, right = 60, top = 20, bottom = 50;
  const innerW = width - left - right, innerH = height - top - bottom;
  const x = (i) => left + (pts.length <= 1 ? innerW / 2 : (innerW * i) / (pts.length - 1));
  const y = (v) => top + innerH - (innerH * v) / 100;
  const grid = [0, 25, 50, 75, 100].map((v) => [
    s("line", { x1: left, x2: width - right, y1: y(v), y2: y(v), stroke: "#dfe3e8" }),
    s("text", { x: left - 8, y: y(v) + 5, "text-anchor": "end", "font-size": 13, fill: "#4d5b69" }, String(v)),
  ]);
  const path = pts.map((p, i) => `${i === 0 ? "M" : "L"}${x(i)},${y(p.overall)}`).join(" ");
  return s("svg", { class: "chart", viewBox: `0 0 ${width} ${height}`, "aria-hidden": "true", focusable: "false" },
    grid,
    pts.length > 1 ? s("path", { d: path, fill: "none", stroke: "#0066cc", "stroke-width": 3 }) : null,
    pts.map((p, i) => [
      s("circle", { cx: x(i), cy: y(p.overall), r: 6, fill: "#0066cc" }),
      s("text", { x: x(i), y: y(p.overall) - 12, "text-anchor": "middle", "font-size": 14, "font-weight": 600, fill: "#1a1a1a" }, score(p.overall)),
      s("text", { x: x(i), y: height - 20, "text-anchor": "middle", "font-size": 13, fill: "#4d5b69" }, date(p.assessed_on)),
    ]));
}
