// Results: score, tier, domain chart and table, baseline gates, the six
// priority measures, the "Non so" list, the PDF, and what changed since the
// previous assessment.

import { api } from "./api.js";
import { showAlerts } from "./packs.js";
import { app, register, go, showError, announce, saveFile } from "./app.js";
import { h, fill, score, date, delta, shownDelta, plural, int } from "./dom.js";
import { domainBars, targetSentence, tierScale, nextStepSentence } from "./charts.js";

/** "Iniziale (sotto 40), In sviluppo (40–64), …, Avanzato (85 e oltre)": the ranges come from Rust. */
function tierRanges(tiers) {
  return tiers.map((t, i) => {
    if (i === 0) return `${t.label} (sotto ${int(t.below)})`;
    if (t.below === null) return `${t.label} (${int(t.from)} e oltre)`;
    return `${t.label} (${int(t.from)}–${int(t.below - 1)})`;
  }).join(", ");
}


function measure(a, i) {
  return h("li", { class: "measure" + (a.gate_failed ? " gate" : "") },
    h("h3", {}, `${i + 1}. ${a.title}`),
    // A neutral mark, not an alarm: what kind of measure it is.
    a.gate_failed
      ? h("p", { class: "gate-mark" }, a.gate === "essential" ? "Misura essenziale" : "Obbligo AgID (misura minima)")
      : null,
    h("p", {}, a.why),
    h("dl", {},
      h("div", {}, h("dt", {}, "Chi:"), h("dd", {}, a.owner)),
      h("div", {}, h("dt", {}, "Quando:"), h("dd", {}, a.horizon)),
      h("div", {}, h("dt", {}, "Impegno:"), h("dd", {}, a.effort)),
      h("div", {}, h("dt", {}, "Costo:"), h("dd", {}, a.cost)),
      h("div", {}, h("dt", {}, "Argomento:"), h("dd", {}, a.domain))));
}

/** Weakest first, the ones that do not apply last: the order to act in. */
function weakestFirst(domains) {
  return [...domains].sort((a, b) => {
    if (a.score === null || b.score === null) return (a.score === null) - (b.score === null);
    return a.score - b.score || a.title.localeCompare(b.title, "it");
  });
}

function domainTable(domains) {
  return h("table", { class: "table table-sm", id: "domain-table" },
    h("caption", {}, "Punteggio per argomento, dal più debole (da 0 a 100)"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Argomento"),
      h("th", { scope: "col", class: "num" }, "Punteggio"),
      h("th", { scope: "col", class: "num" }, "Domande"))),
    h("tbody", {}, domains.map((d) => h("tr", {},
      h("th", { scope: "row" }, d.title),
      h("td", { class: "num" }, d.score === null ? "non applicabile" : score(d.score)),
      h("td", { class: "num" }, `${d.answered}/${d.applicable}`)))));
}

function previousSection(p) {
  const overallDelta = shownDelta(p.overall_before, p.overall_after);
  const cls = overallDelta > 0 ? "delta-up" : overallDelta < 0 ? "delta-down" : "";
  return h("section", { "aria-labelledby": "prev-title", id: "previous" },
    h("h2", { id: "prev-title" }, `Cosa è cambiato dal ${date(p.assessed_on)}`),
    h("p", { class: "lead-text" },
      `Punteggio complessivo: da ${score(p.overall_before)} a ${score(p.overall_after)} `,
      h("span", { class: cls }, `(${delta(overallDelta)} ${Math.abs(overallDelta) === 1 ? "punto" : "punti"})`), "."),
    h("table", { class: "table table-sm" },
      h("caption", {}, "Punteggio per argomento, prima e adesso"),
      h("thead", {}, h("tr", {},
        h("th", { scope: "col" }, "Argomento"),
        h("th", { scope: "col", class: "num" }, "Prima"),
        h("th", { scope: "col", class: "num" }, "Adesso"),
        h("th", { scope: "col", class: "num" }, "Differenza"))),
      h("tbody", {}, p.domains.map((d) => {
        const dd = shownDelta(d.before, d.after);
        return h("tr", {},
          h("th", { scope: "row" }, d.title),
          h("td", { class: "num" }, score(d.before)),
          h("td", { class: "num" }, score(d.after)),
          h("td", { class: "num " + (dd > 0 ? "delta-up" : dd < 0 ? "delta-down" : "") }, delta(dd)));
      }))),
    versionsChanged(p),
    h("div", { class: "two-col" },
      h("div", {}, h("h3", {}, "Azioni non più necessarie"),
        p.closed.length ? h("ul", {}, p.closed.map((t) => h("li", {}, t))) : h("p", {}, "Nessuna.")),
      h("div", {}, h("h3", {}, "Nuove azioni da fare"),
        p.new_gaps.length ? h("ul", {}, p.new_gaps.map((t) => h("li", {}, t))) : h("p", {}, "Nessuna."))),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-outline-primary", id: "open-previous", onclick: () => go("results", { id: p.id }) },
        `Apri l'autovalutazione del ${date(p.assessed_on)}`)));
}

/** The previous assessment used another questionnaire version: say so, and name the new questions. */
function versionsChanged(p) {
  if (!p.new_questions.length && !p.removed_questions) return null;
  let text = "La valutazione precedente usava un'altra versione del questionario: il confronto riguarda le domande comuni alle due versioni.";
  if (p.removed_questions) {
    text += ` Non ${p.removed_questions === 1 ? "c'è" : "ci sono"} più ${plural(p.removed_questions, "domanda", "domande")} della versione precedente.`;
  }
  return h("div", { id: "previous-versions" },
    h("h3", {}, "Versioni diverse del questionario"),
    h("p", {}, text),
    p.new_questions.length
      ? [h("p", {}, p.new_questions.length === 1 ? "La domanda nuova:" : "Le domande nuove:"),
        h("ul", {}, p.new_questions.map((t) => h("li", {}, t)))]
      : null);
}

/** "Invia i risultati al coordinamento": the signed result file. */
function resultExport(hd, isDraft) {
  const status = h("div", { id: "export-result-status", "aria-live": "polite" });
  const keyLine = h("p", { id: "key-fingerprint" });
  if (isDraft) {
    return h("section", { class: "export-box", "aria-labelledby": "export-result-title", id: "export-result" },
      h("h2", { id: "export-result-title", class: "h4" }, "Invia i risultati al coordinamento"),
      h("p", {}, "Quando avrai concluso l'autovalutazione potrai esportare un file dei risultati firmato da inviare al coordinamento regionale o all'ANCI."));
  }
  const notes = h("input", { type: "checkbox", id: "with-notes" });
  const run = async (ev) => {
    const res = await saveFile(ev, status, "Preparazione del file…",
      () => api.exportResult(hd.id, notes.checked),
      (r) => `File salvato. ${r.notes_included ? "Contiene anche le note. " : r.notes ? "Le note non sono incluse. " : ""}Invialo al coordinamento e comunica, per telefono o di persona, il codice di riconoscimento qui sopra: servirà a riconoscere i tuoi file.`);
    if (res) keyLine.textContent = `Codice di riconoscimento di questo computer: ${res.fingerprint}`;
  };
  api.signingKey()
    .then((k) => { keyLine.textContent = `Codice di riconoscimento di questo computer: ${k.fingerprint}`; })
    .catch((e) => showError(status, e));
  return h("section", { class: "export-box", "aria-labelledby": "export-result-title", id: "export-result" },
    h("h2", { id: "export-result-title", class: "h4" }, "Invia i risultati al coordinamento"),
    h("p", {}, "Il file contiene le risposte e i punteggi, firmati da questo computer: chi lo riceve può verificare che nessuno lo abbia modificato. Le note restano fuori, a meno che tu non scelga di includerle."),
    keyLine,
    h("div", { class: "check" }, notes,
      h("label", { for: "with-notes" }, "Includi le note (possono descrivere nel dettaglio i punti deboli dell'ente)")),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-outline-primary", id: "export-result-btn", onclick: run }, "Esporta risultati")),
    status);
}

/** The failed gates grouped by when the plan schedules them. */
function byDeadline(failed, sourcesLabel) {
  const groups = [];
  for (const f of [...failed].sort((a, b) => a.horizon_rank - b.horizon_rank)) {
    const last = groups[groups.length - 1];
    if (last && last.horizon === f.horizon) last.items.push(f);
    else groups.push({ horizon: f.horizon, items: [f] });
  }
  return groups.map((grp) => [
    h("h3", { class: "h6 gate-deadline" }, grp.horizon || "Senza scadenza"),
    h("ul", { class: "gate-list" }, grp.items.map((f) => h("li", {},
      h("strong", {}, f.question), h("br"),
      `Risposta: ${f.answer}. Argomento: ${f.domain}. ${sourcesLabel}: ${f.controls.join(", ")}.`)))]);
}

/** What fixing the failed gates costs, from the plan's cost bands. */
function costSentence(failed) {
  const none = failed.filter((f) => f.cost_band === 0).length;
  const small = failed.filter((f) => f.cost_band === 1).length;
  if (none + small === 0) return null;
  const parts = [];
  if (none) parts.push(`${none === 1 ? "una non richiede" : `${int(none)} non richiedono`} spese oltre al tempo del personale o del fornitore`);
  if (small) parts.push(`${small === 1 ? "una costa" : `${int(small)} costano`} meno di 1.000 euro`);
  const all = none + small === failed.length;
  return h("p", { id: "gates-cost" },
    `${all ? "Buona notizia: di queste misure" : "Di queste misure"} ${parts.join(" e ")}, secondo le stime del piano.`);
}

// "Mostra la misura da sistemare" / "Mostra le 4 misure da sistemare".
function showFailed(n, one, many) {
  return n === 1 ? `Mostra la ${one} da sistemare` : `Mostra le ${int(n)} ${many} da sistemare`;
}

register("results", async (main, params) => {
  const r = await api.results(params.id);
  const hd = r.header;
  const pdfBox = h("div", { id: "pdf-status", "aria-live": "polite" });
  const errorBox = h("div", {});
  const isDraft = hd.status === "draft";

  const makePdf = (ev) => saveFile(ev, pdfBox, "Preparazione del piano…",
    () => api.pdf(hd.id), () => "Piano salvato: portalo alla Giunta e mandalo al fornitore informatico.");

  const reopen = async () => {
    try {
      await api.reopen(hd.id);
      await go("questionnaire", { id: hd.id });
    } catch (e) {
      showError(errorBox, e);
    }
  };

  const exportSection = resultExport(hd, isDraft);
  const alertsBox = h("div", { id: "results-alerts" });
  await showAlerts(alertsBox, hd.kind);
  const g = r.baseline;
  const missing = r.progress.total - r.progress.answered;
  fill(main,
    h("h1", {}, `Risultati: ${hd.organization}`),
    h("p", { class: "muted" }, `${hd.questionnaire_title} · ${date(hd.assessed_on)} · ${hd.status_label}${hd.assessor_role ? " · ruolo: " + hd.assessor_role : ""}`),
    errorBox,
    alertsBox,
    isDraft ? h("div", { class: "alert-box" }, h("p", {}, `Autovalutazione non ancora conclusa: ${plural(missing, "domanda", "domande")} senza risposta contano come zero.`)) : null,
    // The honest headline (docs/scoring.md): when a gate caps the tier, the
    // tier comes first with its reason, and the average is labelled as such.
    r.capped
      ? h("section", { class: "score-box", "aria-label": "Livello di maturità" },
          h("p", { class: "score-big", id: "tier" }, r.tier_label),
          h("div", { class: "score-meaning" },
            h("p", { class: "tier", id: "cap-reason" }, `Livello limitato: ${r.cap_reason}.`),
            tierScale(r.tiers, r.overall),
            h("p", { id: "overall" }, `Media delle risposte: ${score(r.overall)} su 100. Da sola varrebbe il livello «${r.uncapped_tier_label}», ma il livello resta «${r.tier_label}» finché non sono rispettati tutti i controlli di base.`)))
      : h("section", { class: "score-box", "aria-label": "Punteggio complessivo" },
          h("p", { class: "score-big", id: "overall" }, score(r.overall), h("small", {}, " su 100")),
          h("div", { class: "score-meaning" },
            h("p", { class: "tier", id: "tier" }, `Livello: ${r.tier_label}`),
            tierScale(r.tiers, r.overall),
            h("p", { id: "next-step" }, nextStepSentence(r.tiers, r.overall)),
            h("p", { class: "muted small-print" }, `Livelli: ${tierRanges(r.tiers)}.`))),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary", id: "make-pdf", onclick: makePdf }, "Genera piano PDF"),
      isDraft
        ? h("button", { type: "button", class: "btn btn-outline-primary", id: "continue", onclick: () => go("questionnaire", { id: hd.id }) }, "Continua il questionario")
        : h("button", { type: "button", class: "btn btn-outline-primary", id: "reopen", onclick: reopen }, "Riapri per cambiare le risposte"),
      h("button", { type: "button", class: "btn btn-outline-primary", id: "history", onclick: () => go("history", { organizationId: hd.organization_id }) }, "Storico dell'ente")),
    pdfBox,
    h("section", { "aria-labelledby": "prio-title", id: "priorities" },
      h("h2", { id: "prio-title" }, "Le sei misure da fare per prime"),
      r.priorities.length
        ? h("ol", { class: "list-unstyled" }, r.priorities.map(measure))
        : h("p", {}, "Nessuna azione necessaria: complimenti."),
      h("p", { class: "muted" }, `Il piano completo contiene ${plural(r.actions_total, "azione", "azioni")}.`)),
    h("section", { "aria-labelledby": "domains-title" },
      h("h2", { id: "domains-title" }, "Punteggio per argomento"),
      h("p", {}, `Dal più debole al più forte. ${targetSentence(r.tiers)}`),
      domainBars(weakestFirst(r.domains), r.tiers),
      h("details", { id: "domain-figures" },
        h("summary", {}, "Mostra i punteggi in una tabella"),
        domainTable(weakestFirst(r.domains)))),
    h("section", { "aria-labelledby": "gates-title", id: "gates" },
      h("h2", { id: "gates-title" }, "Misure minime obbligatorie"),
      g.met
        ? h("div", { class: "info-box" }, h("p", {}, `Tutte le misure minime obbligatorie verificate sono soddisfatte (${g.passed}).`))
        : [h("p", {}, `${plural(g.passed, "misura soddisfatta", "misure soddisfatte")}, ${plural(g.failed.length, "non soddisfatta", "non soddisfatte")}. Sono obblighi per ogni pubblica amministrazione (AgID, misure minime di sicurezza ICT): vanno sistemate per prime.`),
           costSentence(g.failed),
           h("details", {},
             h("summary", {}, showFailed(g.failed.length, "misura", "misure")),
             byDeadline(g.failed, "Riferimenti"))]),
    r.essential.met
      ? null
      : h("section", { "aria-labelledby": "essential-title", id: "essential" },
          h("h2", { id: "essential-title" }, "Misure essenziali"),
          h("p", {}, `${plural(r.essential.failed.length, "misura essenziale non rispettata", "misure essenziali non rispettate")}: senza queste nessuna organizzazione può dirsi consolidata, qualunque sia la media.`),
          h("details", { open: r.essential.failed.length <= 3 },
            h("summary", {}, showFailed(r.essential.failed.length, "misura essenziale", "misure essenziali")),
            byDeadline(r.essential.failed, "Fonti"))),
    h("section", { "aria-labelledby": "unknown-title", id: "unknown" },
      h("h2", { id: "unknown-title" }, `Risposte «Non so»: ${r.unknown_title.charAt(0).toLowerCase()}${r.unknown_title.slice(1)}`),
      r.unknown.length
        ? h("ul", { class: "unknown-list" }, r.unknown.map((u) => h("li", {},
            h("strong", {}, u.question), h("br"), `Da chiedere ${hd.unknown_addressee}: ${u.supplier_question}`)))
        : h("p", {}, "Nessuna risposta «Non so».")),
    exportSection,
    r.previous ? previousSection(r.previous) : h("p", { class: "muted mt-4" }, "Non c'è un'autovalutazione precedente conclusa di questo ente da confrontare."),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-outline-primary", onclick: () => go("home") }, "Torna all'elenco")));
  if (app.info && !app.info.pdf_available) {
    // Tell it before the click too: honest about what this version can do.
    const b = document.getElementById("make-pdf");
    b.setAttribute("aria-describedby", "pdf-note");
    b.after(h("span", { class: "muted", id: "pdf-note" }, "(non ancora disponibile in questa versione)"));
  }
  announce(r.capped
    ? `Livello ${r.tier_label}, limitato: ${r.cap_reason}. Media delle risposte ${score(r.overall)} su 100.`
    : `Punteggio ${score(r.overall)} su 100, livello ${r.tier_label}.`);
});
