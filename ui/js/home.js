// Home: the assessments on this computer.

import { api } from "./api.js";
import { register, go, confirmDialog, showError, announce } from "./app.js";
import { h, fill, score, date, int, plural } from "./dom.js";
import { showAlerts } from "./packs.js";

function intro() {
  return h("section", { class: "intro", "aria-labelledby": "intro-title" },
    h("h2", { id: "intro-title", class: "h3" }, "Benvenuto in Sentinella"),
    h("p", {}, "Sentinella ti aiuta a capire quanto è protetto dagli attacchi informatici il tuo Comune o il tuo Sportello Polis, con domande semplici a cui rispondi in circa un'ora. Puoi fermarti e riprendere quando vuoi: ogni risposta è salvata subito."),
    h("p", {}, "Alla fine ottieni un punteggio e un piano in PDF con le cose da fare per prime, da portare alla Giunta e al fornitore informatico."),
    h("p", {}, "Risponde chi conosce gli uffici (il segretario comunale, il responsabile per la transizione digitale, il responsabile dello sportello): non serve essere esperti. Tieni a portata di mano il contratto del fornitore informatico, la nomina del DPO e l'elenco dei computer."),
    h("p", {}, "Se preferisci raccogliere prima le risposte dagli uffici, in «Nuova autovalutazione» puoi salvare il questionario da stampare, con la lettera per il fornitore."),
    h("p", {}, "Le risposte restano solo su questo computer: nulla viene inviato in rete, a meno che tu non decida di esportarle."),
    h("p", {}, h("button", { type: "button", class: "btn btn-outline-primary", id: "open-help", onclick: () => go("help") }, "Leggi la guida e le parole difficili")));
}

/** The way in for coordinators (ANCI, Regioni, Unioni di comuni), kept
 *  apart from the comune's own work. */
function coordinatorsCorner() {
  return h("section", { class: "coord-corner", "aria-labelledby": "coord-corner-title" },
    h("h2", { id: "coord-corner-title", class: "h4" }, "Per i coordinatori"),
    h("p", {}, "Se raccogli i risultati di molti comuni o sportelli (ANCI, Regione, Unione di comuni), l'area di coordinamento importa i loro file e mostra la situazione del territorio. Chi compila l'autovalutazione del proprio ente non ne ha bisogno."),
    h("button", { type: "button", class: "btn btn-outline-primary", id: "nav-coord", onclick: () => go("coord") }, "Apri l'area di coordinamento"));
}

/** The way in for trainers: workshop sessions live apart from assessments. */
function trainersCorner() {
  return h("section", { class: "coord-corner", "aria-labelledby": "workshop-corner-title" },
    h("h2", { id: "workshop-corner-title", class: "h4" }, "Per chi fa formazione"),
    h("p", {}, "Per condurre un incontro con il proiettore: le domande una alla volta, le risposte del gruppo contate in forma anonima e un resoconto in PDF per i partecipanti."),
    h("button", { type: "button", class: "btn btn-outline-primary", id: "nav-workshop", onclick: () => go("workshop") }, "Modalità formazione"));
}

/** How long "Annulla" stays offered after a deletion, in milliseconds. */
const UNDO_MS = 8000;

/**
 * Delete an assessment: confirm with its consequences, hide the row, and
 * offer "Annulla" for a few seconds before the deletion reaches the
 * database. Closing the app meanwhile deletes nothing.
 */
async function remove(row, tr, errorBox, undoBox) {
  const answers = row.status === "draft"
    ? `le ${plural(row.progress.answered, "risposta data", "risposte date")} finora`
    : "tutte le risposte, il punteggio e il confronto con le autovalutazioni successive";
  const ok = await confirmDialog(
    "Eliminare questa autovalutazione?",
    `Si cancellano l'autovalutazione di ${row.organization} del ${date(row.assessed_on)} e ${answers}. I PDF e i file già salvati restano dove sono. Per qualche secondo potrai ancora annullare.`,
    "Elimina");
  if (!ok) return;
  tr.hidden = true;
  let undone = false;
  const commit = setTimeout(async () => {
    if (undone) return;
    fill(undoBox);
    try {
      await api.remove(row.id);
      tr.remove();
      announce("Autovalutazione eliminata.");
    } catch (e) {
      tr.hidden = false;
      showError(errorBox, e);
    }
  }, UNDO_MS);
  const undo = h("button", { type: "button", class: "btn btn-outline-primary btn-sm", id: "undo-delete", onclick: () => {
    undone = true;
    clearTimeout(commit);
    tr.hidden = false;
    fill(undoBox);
    announce("Eliminazione annullata.");
    const again = tr.querySelector("button");
    if (again) again.focus();
  } }, "Annulla");
  fill(undoBox, h("div", { class: "info-box undo-box", role: "status" },
    h("p", {}, `Autovalutazione di ${row.organization} del ${date(row.assessed_on)} eliminata. `, undo)));
  undo.focus();
}

/** "ultima modifica alle 10:32": tells apart two assessments of one ente on one day. */
function editedAt(row) {
  const t = new Date(row.updated_at);
  return `ultima modifica alle ${t.toLocaleTimeString("it-IT", { hour: "2-digit", minute: "2-digit" })}`;
}

function rowView(row, errorBox, undoBox, sameDay) {
  const isDraft = row.status === "draft";
  const label = `${row.organization}, ${date(row.assessed_on)}${sameDay ? `, ${editedAt(row)}` : ""}`;
  const state = isDraft
    ? `${int(row.progress.answered)} di ${int(row.progress.total)} ${row.progress.total === 1 ? "risposta" : "risposte"}`
    : `${score(row.overall)} su 100 – ${row.tier_label || ""}`;
  const tr = h("tr", { "data-id": row.id });
  return fill(tr,
    h("th", { scope: "row" }, row.organization, h("br"), h("span", { class: "muted" }, `${row.province} · ISTAT ${row.istat_code}`)),
    h("td", {}, row.questionnaire_title),
    h("td", {}, h("span", { class: `status-badge status-${row.status}` }, row.status_label)),
    h("td", {}, date(row.assessed_on), sameDay ? [h("br"), h("span", { class: "muted" }, editedAt(row))] : null),
    h("td", {}, state),
    h("td", {},
      h("div", { class: "button-row row-actions" },
        isDraft
          ? h("button", { type: "button", class: "btn btn-primary btn-sm", "aria-label": `Continua: ${label}`, onclick: () => go("questionnaire", { id: row.id }) }, "Continua")
          : h("button", { type: "button", class: "btn btn-primary btn-sm", "aria-label": `Apri i risultati: ${label}`, onclick: () => go("results", { id: row.id }) }, "Apri"),
        h("button", { type: "button", class: "btn btn-outline-primary btn-sm", "aria-label": `Storico: ${row.organization}`, onclick: () => go("history", { organizationId: row.organization_id }) }, "Storico"),
        h("button", { type: "button", class: "btn btn-outline-danger btn-sm delete-btn", "aria-label": `Elimina: ${label}`, onclick: () => remove(row, tr, errorBox, undoBox) }, "Elimina"))));
}

register("home", async (main) => {
  const errorBox = h("div", {});
  const undoBox = h("div", { id: "undo", "aria-live": "polite" });
  let rows = [];
  let loadError = null;
  try {
    rows = await api.list();
  } catch (e) {
    loadError = e;
  }
  const newBtn = h("button", { type: "button", class: "btn btn-primary btn-lg", id: "new-assessment", onclick: () => go("new") }, "Nuova autovalutazione");
  const packBtn = h("button", { type: "button", class: "btn btn-outline-primary", id: "nav-packs", onclick: () => go("packs") }, "Importa aggiornamenti dal coordinamento");
  const alertsBox = h("div", { id: "home-alerts" });
  await showAlerts(alertsBox);
  fill(main,
    h("h1", {}, "Le autovalutazioni su questo computer"),
    alertsBox,
    rows.length === 0 ? intro() : null,
    errorBox,
    undoBox,
    h("div", { class: "button-row" }, newBtn, packBtn),
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
          h("tbody", {}, rows.map((r) => rowView(r, errorBox, undoBox,
            rows.some((o) => o.id !== r.id && o.organization_id === r.organization_id && o.assessed_on === r.assessed_on))))),
    trainersCorner(),
    coordinatorsCorner());
  if (loadError) showError(errorBox, loadError);
});
