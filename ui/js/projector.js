// The projector window: what the room sees. It reads its view from Rust
// (projector_state) and follows the presenter through events; the view
// never carries the facilitator note or counts that are not revealed.

import { h, fill, int } from "./dom.js";

const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function percent(n, total) {
  return total > 0 ? Math.round((n * 100) / total) : 0;
}

/** A bar of `p` percent (the width is set through the CSSOM: the page's
 *  content security policy allows no inline style attribute). */
function bar(p) {
  const fillEl = h("span", { class: "wall-fill" });
  fillEl.style.width = `${p}%`;
  return h("span", { class: "wall-bar", "aria-hidden": "true" }, fillEl);
}

function render(v) {
  const wall = document.getElementById("wall");
  document.body.classList.toggle("blank", v.blank);
  if (v.blank) {
    fill(wall, h("h1", { class: "visually-hidden" }, "Schermo oscurato"));
    return;
  }
  const revealed = Array.isArray(v.counts);
  const options = v.options.map((label, i) => {
    const letter = LETTERS[i] || String(i + 1);
    if (!revealed) {
      return h("li", { class: "wall-option" }, h("span", { class: "wall-letter", "aria-hidden": "true" }, letter), h("span", {}, label));
    }
    const n = v.counts[i] || 0;
    const p = percent(n, v.answers);
    return h("li", { class: "wall-option wall-result" },
      h("span", { class: "wall-letter", "aria-hidden": "true" }, letter),
      h("span", { class: "wall-label" }, label),
      bar(p),
      h("span", { class: "wall-count" }, `${int(n)} (${p}%)`));
  });
  fill(wall,
    h("p", { class: "wall-kicker" }, `Domanda ${v.number} di ${v.total} · ${v.domain}`),
    h("h1", { class: "wall-question" }, v.text),
    h("ol", { class: "wall-options", "aria-label": revealed ? "Risposte del gruppo" : "Risposte possibili" }, options),
    revealed
      ? h("p", { class: "wall-total" }, v.answers === 1 ? "1 risposta" : `${int(v.answers)} risposte`)
      : null);
}

async function start() {
  const t = window.__TAURI__;
  try {
    render(await t.core.invoke("projector_state"));
    await t.event.listen("workshop-projector", (e) => render(e.payload));
    // A clicker or keyboard aimed at this window drives the presenter.
    document.addEventListener("keydown", (ev) => {
      const k = ev.key;
      if (k === "PageDown" || k === "PageUp" || /^[bBrR]$/.test(k)) {
        ev.preventDefault();
        t.event.emitTo("main", "workshop-key", { key: k });
      }
    });
  } catch (e) {
    fill(document.getElementById("wall"), h("h1", { class: "wall-question" }, "Proiezione non disponibile."));
  }
  document.body.dataset.ready = "true";
}

start();
