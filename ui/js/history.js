// History: one organization's assessments over time.

import { api } from "./api.js";
import { register, go } from "./app.js";
import { h, fill, score, date } from "./dom.js";
import { trendLine } from "./charts.js";

register("history", async (main, params) => {
  const v = await api.history(params.organizationId);
  const rows = v.rows;
  fill(main,
    h("h1", {}, `Storico: ${v.organization}`),
    h("p", { class: "lead-text" }, rows.length === 1
      ? "Per ora c'è una sola autovalutazione: ripetila tra qualche mese per vedere i progressi."
      : `${rows.length} autovalutazioni, dalla più vecchia alla più recente.`),
    h("section", { "aria-labelledby": "trend-title" },
      h("h2", { id: "trend-title" }, "Andamento del punteggio complessivo"),
      trendLine(rows),
      h("table", { class: "table", id: "history-table" },
        h("caption", {}, "Autovalutazioni e punteggio complessivo"),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Data"),
          h("th", { scope: "col" }, "Questionario"),
          h("th", { scope: "col" }, "Stato"),
          h("th", { scope: "col", class: "num" }, "Punteggio"),
          h("th", { scope: "col" }, "Livello"),
          h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Azioni")))),
        h("tbody", {}, rows.map((r) => h("tr", {},
          h("th", { scope: "row" }, date(r.assessed_on)),
          h("td", {}, r.questionnaire_title),
          h("td", {}, r.status_label),
          h("td", { class: "num" }, score(r.overall)),
          h("td", {}, r.tier_label || "–"),
          h("td", {}, h("button", { type: "button", class: "btn btn-outline-primary btn-sm",
            "aria-label": `Apri i risultati del ${date(r.assessed_on)}`,
            onclick: () => go("results", { id: r.id }) }, "Apri"))))))),
    h("section", { "aria-labelledby": "dom-title" },
      h("h2", { id: "dom-title" }, "Punteggio per argomento nel tempo"),
      h("div", { class: "table-responsive" },
        h("table", { class: "table table-sm", id: "history-domains" },
          h("caption", {}, "Ogni colonna è un'autovalutazione"),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, "Argomento"),
            rows.map((r) => h("th", { scope: "col", class: "num" }, date(r.assessed_on))))),
          h("tbody", {}, v.domains.map((d) => h("tr", {},
            h("th", { scope: "row" }, d.title),
            rows.map((r) => h("td", { class: "num" }, score(r.domains[d.id]))))))))),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-outline-primary", onclick: () => go("home") }, "Torna all'elenco")));
});
