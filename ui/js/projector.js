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

/** "ACD347" → "ACD 347". */
function spacedCode(code) {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

/** How phones join: the QR code (made in Rust, shown as an image: no
 *  markup from outside enters the page), the address and the code. */
function joinPanel(j, compact) {
  if (!j) return null;
  // With the results on the wall, the chart needs the width: one line.
  if (compact) {
    return h("aside", { class: "wall-join-line", id: "wall-join", "aria-label": "Rispondi dal telefono" },
      "Rispondi dal telefono: ", h("strong", { id: "wall-url" }, j.url), " · codice ",
      h("strong", { class: "wall-code-inline", id: "wall-code" }, spacedCode(j.code)));
  }
  return h("aside", { class: "wall-join", id: "wall-join", "aria-label": "Rispondi dal telefono" },
    h("p", { class: "wall-join-title" }, "Rispondi dal telefono"),
    h("img", { class: "wall-qr", id: "wall-qr", alt: `Codice QR per collegarsi a ${j.url}`,
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(j.qr)}` }),
    h("p", { class: "wall-join-label" }, "oppure apri"),
    h("p", { class: "wall-url", id: "wall-url" }, j.url),
    h("p", { class: "wall-join-label" }, "codice"),
    h("p", { class: "wall-code", id: "wall-code" }, spacedCode(j.code)));
}

function render(v) {
  const wall = document.getElementById("wall");
  document.body.classList.toggle("blank", v.blank);
  const revealed = Array.isArray(v.counts);
  wall.classList.toggle("with-join", !v.blank && !!v.join && !revealed);
  wall.classList.toggle("with-join-line", !v.blank && !!v.join && revealed);
  if (v.blank) {
    fill(wall, h("h1", { class: "visually-hidden" }, "Schermo oscurato"));
    return;
  }
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
    h("div", { class: "wall-body" },
      h("p", { class: "wall-kicker" }, `Domanda ${v.number} di ${v.total} · ${v.domain}`),
      h("h1", { class: "wall-question" }, v.text),
      h("ol", { class: "wall-options", "aria-label": revealed ? "Risposte del gruppo" : "Risposte possibili" }, options),
      revealed
        ? h("p", { class: "wall-total" }, v.answers === 1 ? "1 risposta" : `${int(v.answers)} risposte`)
        : null),
    joinPanel(v.join, revealed));
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
