// Home: the assessments on this computer.

import { api } from "./api.js";
import { register, go, confirmDialog, showError, announce } from "./app.js";
import { h, fill, num, date, int } from "./dom.js";

function intro() {
  return h("section", { class: "intro", "aria-labelledby": "intro-title" },
    h("h2", { id: "intro-title", class: "h3" }, "Come funziona"),
    h("p", {}, "Sentinella ti aiuta a capire quanto è protetto dagli attacchi informatici il tuo Comune o il tuo Sportello Polis, con domande semplici a cui rispondi in circa un'ora."),
    h("p", {}, "Alla fine ottieni un punteggio e un piano in PDF con le cose da fare per prime, da portare alla Giunta e al fornitore informatico."),
    h("p", {}, "Le risposte restano solo su questo computer: nulla viene inviato in rete, a meno che tu non decida di esportarle."));
}

async function remove(row, errorBox) {
  const ok = await confirmDialog(
    "Eliminare questa autovalutazione?",
    `Stai per eliminare l'autovalutazione di ${row.organization} del ${date(row.assessed_on)} con tutte le sue risposte. L'operazione non si può annullare.`,
    "Elimina");
  if (!ok) return;
  try {
    await api.remove(row.id);
    await go("home");
    announce("Autovalutazione eliminata.");
  } catch (e) {
    showError(errorBox, e);
  }
}

function rowView(row, errorBox) {
  const isDraft = row.status === "draft";
  const label = `${row.organization}, ${date(row.assessed_on)}`;
  const state = isDraft
    ? `${int(row.progress.answered)} di ${int(row.progress.total)} risposte`
    : `${num(row.overall)} su 100 – ${row.tier_label || ""}`;
  return h("tr", { "data-id": row.id },
    h("th", { scope: "row" }, row.organization, h("br"), h("span", { class: "muted" }, `${row.province} · ISTAT ${row.istat_code}`)),
    h("td", {}, row.questionnaire_title),
    h("td", {}, h("span", { class: `status-badge status-${row.status}` }, row.status_label)),
    h("td", {}, date(row.assessed_on)),
    h("td", {}, state),
    h("td", {},
      h("div", { class: "button-row row-actions" },
        isDraft
          ? h("button", { type: "button", class: "btn btn-primary btn-sm", "aria-label": `Continua: ${label}`, onclick: () => go("questionnaire", { id: row.id }) }, "Continua")
          : h("button", { type: "button", class: "btn btn-primary btn-sm", "aria-label": `Apri i risultati: ${label}`, onclick: () => go("results", { id: row.id }) }, "Apri"),
        h("button", { type: "button", class: "btn btn-outline-primary btn-sm", "aria-label": `Storico: ${row.organization}`, onclick: () => go("history", { organizationId: row.organization_id }) }, "Storico"),
        h("button", { type: "button", class: "btn btn-outline-danger btn-sm", "aria-label": `Elimina: ${label}`, onclick: () => remove(row, errorBox) }, "Elimina"))));
}

register("home", async (main) => {
  const errorBox = h("div", {});
  let rows = [];
  let loadError = null;
  try {
    rows = await api.list();
  } catch (e) {
    loadError = e;
  }
  const newBtn = h("button", { type: "button", class: "btn btn-primary btn-lg", id: "new-assessment", onclick: () => go("new") }, "Nuova autovalutazione");
  fill(main,
    h("h1", {}, "Le autovalutazioni su questo computer"),
    rows.length === 0 ? intro() : null,
    errorBox,
    h("div", { class: "button-row" }, newBtn),
    rows.length === 0
      ? h("p", { class: "lead-text", id: "empty-list" }, "Non c'è ancora nessuna autovalutazione. Per cominciare scegli «Nuova autovalutazione».")
      : h("table", { class: "table mt-3", id: "assessments" },
          h("caption", { class: "visually-hidden" }, "Elenco delle autovalutazioni, dalla più recente"),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, "Ente"),
            h("th", { scope: "col" }, "Questionario"),
            h("th", { scope: "col" }, "Stato"),
            h("th", { scope: "col" }, "Data"),
            h("th", { scope: "col" }, "Avanzamento o punteggio"),
            h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Azioni")))),
          h("tbody", {}, rows.map((r) => rowView(r, errorBox)))));
  if (loadError) showError(errorBox, loadError);
});
