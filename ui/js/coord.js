// Coordinamento: import the result files sent by many comuni, see where the
// territory stands, export tables. Every figure comes from Rust, computed
// from the signed files with the scores recomputed; groups of fewer than
// the minimum size carry no figure at all (not hidden here: never sent).

import { api } from "./api.js";
import { register, go, showError, announce, confirmDialog, saveFile } from "./app.js";
import { h, fill, score, int, date, plural } from "./dom.js";
import { domainBars, targetSentence } from "./charts.js";

/** How many rows of accepted files the import report shows. */
const SHOWN_ROWS = 300;
/** How many names of comuni not yet assessed are listed. */
const SHOWN_MISSING = 400;

/** The territory last looked at, kept while the app runs. */
let lastScope = { kind: "italy", value: null };

function scopeKey(scope) {
  return scope.kind === "italy" ? "italy" : `${scope.kind}:${scope.value}`;
}

function parseScope(key) {
  if (key === "italy") return { kind: "italy", value: null };
  const i = key.indexOf(":");
  return { kind: key.slice(0, i), value: key.slice(i + 1) };
}

function scopeSelect(ov) {
  const byRegion = new Map();
  for (const p of ov.provinces) {
    if (!byRegion.has(p.region)) byRegion.set(p.region, []);
    byRegion.get(p.region).push(p);
  }
  const opt = (key, label) => h("option", { value: key, selected: key === scopeKey(lastScope) }, label);
  return h("select", { id: "scope", "aria-describedby": "scope-hint" },
    opt("italy", "Tutta Italia"),
    h("optgroup", { label: "Regioni" }, ov.regions.map((r) => opt(`region:${r}`, `Regione ${r}`))),
    [...byRegion.keys()].sort((a, b) => a.localeCompare(b, "it")).map((r) =>
      h("optgroup", { label: `Province – ${r}` },
        byRegion.get(r)
          .sort((a, b) => a.name.localeCompare(b.name, "it"))
          .map((p) => opt(`province:${p.abbreviation}`, `Provincia di ${p.name} (${p.abbreviation})`)))));
}

// ---- Import ---------------------------------------------------------------

/** "6 su 8": a count out of a count, both from the library. */
function outOf(k, n) {
  return `${int(k)} su ${int(n)}`;
}

function summaryLine(v) {
  const parts = [
    v.accepted || !(v.replaced || v.unchanged) ? plural(v.accepted, "importato", "importati") : null,
    v.replaced ? `${int(v.replaced)} ${v.replaced === 1 ? "aggiorna" : "aggiornano"} un risultato già presente` : null,
    v.unchanged ? plural(v.unchanged, "già presente", "già presenti") : null,
    v.held_back ? `${plural(v.held_back, "trattenuto", "trattenuti")} in attesa di conferma` : null,
    v.rejected ? plural(v.rejected, "scartato", "scartati") : null,
  ].filter(Boolean);
  return `${plural(v.files, "file letto", "file letti")}: ${parts.join(", ")}.`;
}

function rowOf(r) {
  return h("tr", { class: `outcome-${r.outcome}` },
    h("th", { scope: "row" }, r.file),
    h("td", {}, r.organization ? `${r.organization} (${r.istat_code})` : "–"),
    h("td", {}, h("span", { class: `outcome-badge outcome-${r.outcome}` }, r.label)),
    h("td", {}, r.reason || ""));
}

function fileTable(id, caption, rows) {
  return h("table", { class: "table table-sm import-table", id },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "File"),
      h("th", { scope: "col" }, "Ente"),
      h("th", { scope: "col" }, "Esito"),
      h("th", { scope: "col" }, "Motivo"))),
    h("tbody", {}, rows.map(rowOf)));
}

/** Held-back files grouped by organization and the key that signed them:
 * a key is accepted for one comune or Polis office, never for all. */
function heldSection(rows, onAccept) {
  const bySigner = new Map();
  for (const r of rows) {
    const key = `${r.istat_code}|${r.organization_kind}|${r.signer}`;
    if (!bySigner.has(key)) bySigner.set(key, []);
    bySigner.get(key).push(r);
  }
  return h("section", { class: "alert-box held", role: "alert", id: "held-back", "aria-labelledby": "held-title" },
    h("h3", { id: "held-title", class: "h5" }, rows.length === 1
      ? "Attenzione: un file è stato trattenuto perché firmato con una chiave non ancora accettata per quell'ente"
      : `Attenzione: ${int(rows.length)} file sono stati trattenuti: la chiave che li firma non è ancora accettata per il loro ente`),
    h("p", {}, "Può succedere se il comune ha cambiato computer o ha reinstallato Sentinella, ma anche se qualcuno invia un file a nome suo. Se per un ente senza chiave registrata arrivano file firmati con chiavi diverse, sono trattenuti tutti. Telefona al comune e fatti leggere il codice di riconoscimento che vedono nella schermata dei risultati: accettala solo se coincide. La chiave accettata vale solo per quell'ente."),
    [...bySigner.values()].map((rs) => {
      const signer = rs[0].signer;
      const who = rs[0].organization ? `${rs[0].organization} (${rs[0].istat_code})` : "Ente sconosciuto";
      return h("div", { class: "held-key" },
        h("p", {},
          h("strong", {}, who), h("br"),
          `Codice di riconoscimento nel file: `, h("code", {}, signer), h("br"),
          `Codice registrato finora: `, h("code", {}, rs[0].expected_signer || "nessuno"), h("br"),
          `File: ${rs.map((r) => r.file).join(", ")}`),
        h("button", { type: "button", class: "btn btn-outline-danger btn-sm accept-key", "data-signer": signer, "data-istat": rs[0].istat_code, onclick: () => onAccept(signer, rs[0]) },
          `Ho verificato il codice: accetta la chiave ${signer} per ${who}`));
    }));
}

function importReport(box, v, reload) {
  if (!v.done) {
    fill(box, h("p", {}, "Importazione annullata: nessun file scelto."));
    return;
  }
  const held = v.rows.filter((r) => r.outcome === "held_back");
  const rejected = v.rows.filter((r) => r.outcome === "rejected");
  const ok = v.rows.filter((r) => r.accepted);
  const onAccept = async (signer, r) => {
    const yes = await confirmDialog(
      "Accettare la nuova chiave?",
      `Da ora i file di ${r.organization || "questo ente"} (codice ISTAT ${r.istat_code}) saranno accettati solo se firmati con la chiave ${signer}; i risultati firmati con la chiave precedente passano nello storico e non contano più nei dati. La chiave vale solo per questo ente. Confermi di aver verificato il codice con il comune?`,
      "Accetta la chiave");
    if (!yes) return;
    try {
      const res = await api.coordAcceptKey(r.istat_code, r.organization_kind, signer);
      importReport(box, res, reload);
      announce(summaryLine(res));
      await reload();
    } catch (e) {
      showError(box, e);
    }
  };
  fill(box,
    // Green when something came in; the files to look at are listed below
    // in their own boxes. Red only when nothing could be imported.
    h("div", { class: v.accepted + v.replaced + v.unchanged > 0 || v.files === 0 ? "info-box" : "alert-box", id: "import-summary" },
      h("p", {}, v.folder ? `Cartella ${v.folder}. ` : "", summaryLine(v)),
      v.held_back + v.rejected > 0 && v.accepted + v.replaced + v.unchanged > 0
        ? h("p", {}, "Gli altri file sono elencati qui sotto con il motivo: il resto dell'archivio non ne è toccato.")
        : null),
    held.length ? heldSection(held, onAccept) : null,
    rejected.length
      ? fileTable("rejected-files", `File scartati (${int(rejected.length)}): non sono stati importati e l'archivio non è cambiato`, rejected)
      : null,
    ok.length
      ? h("details", { id: "accepted-files" },
          h("summary", {}, ok.length === 1 ? "Mostra il file accettato" : `Mostra i ${int(ok.length)} file accettati`),
          fileTable("accepted-table", "File accettati", ok.slice(0, SHOWN_ROWS)),
          ok.length > SHOWN_ROWS ? h("p", { class: "muted" }, `… e altri ${int(ok.length - SHOWN_ROWS)}.`) : null)
      : null);
}

// ---- Dashboard ------------------------------------------------------------

function figuresCells(g, min) {
  const f = g.figures;
  if (!f) {
    const why = g.assessed === 0 ? "nessun comune valutato" : `meno di ${min} valutati: cifre non mostrate`;
    return [h("td", { colspan: 3, class: "suppressed" }, why)];
  }
  return [
    h("td", { class: "num" }, score(f.overall.median)),
    h("td", { class: "num" }, `${score(f.overall.q1)}–${score(f.overall.q3)}`),
    h("td", { class: "num" }, outOf(f.baseline_met, g.assessed)),
  ];
}

function groupTable(id, caption, head, groups, min) {
  return h("table", { class: "table table-sm group-table", id },
    h("caption", {}, caption),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, head),
      h("th", { scope: "col", class: "num" }, "Hanno risposto"),
      h("th", { scope: "col", class: "num" }, "Punteggio tipico"),
      h("th", { scope: "col", class: "num" }, "La metà degli enti tra"),
      h("th", { scope: "col", class: "num" }, "Rispettano tutte le misure minime"))),
    h("tbody", {}, groups.map((g) => h("tr", { "data-key": g.key },
      h("th", { scope: "row" }, g.label),
      h("td", { class: "num" }, `${int(g.assessed)} su ${int(g.comuni)}`),
      figuresCells(g, min)))));
}

function questionList(id, items, domains, line) {
  const title = new Map(domains.map((d) => [d.id, d.title]));
  return h("ol", { class: "question-list", id }, items.map((q) => h("li", {},
    h("strong", {}, q.text), h("br"),
    h("span", { class: "muted" }, `${title.get(q.domain) || q.domain} · ${line(q)}`))));
}

function missingSection(r) {
  const m = r.missing;
  if (m.length === 0) {
    return h("p", { class: "info-box", id: "missing" }, "Tutti i comuni del territorio hanno inviato un'autovalutazione.");
  }
  if (r.scope.kind === "italy") {
    return h("p", { id: "missing" }, `${plural(m.length, "comune non ha", "comuni non hanno")} ancora inviato un'autovalutazione: scegli una regione o una provincia per vederne i nomi.`);
  }
  const shown = [...m].sort((a, b) => a.name.localeCompare(b.name, "it")).slice(0, SHOWN_MISSING);
  return h("details", { id: "missing" },
    h("summary", {}, `${plural(m.length, "comune non ha", "comuni non hanno")} ancora inviato un'autovalutazione: mostra l'elenco`),
    h("ul", { class: "missing-list" }, shown.map((c) => h("li", {}, `${c.name} (${c.province}), ${int(c.population)} ab.`))),
    m.length > shown.length ? h("p", { class: "muted" }, `… e altri ${int(m.length - shown.length)}.`) : null);
}

function scopeTitle(scope) {
  if (scope.kind === "region") return `Regione ${scope.name}`;
  if (scope.kind === "province") return `Provincia di ${scope.name}`;
  return "Italia";
}

function reportSection(r, tiers, index) {
  const t = r.total;
  const f = t.figures;
  const min = r.min_group;
  const id = (s) => `${s}-${index}`;
  const bands = groupTable(id("by-band"), "Per numero di abitanti", "Fascia", r.by_band, min);
  return h("section", { class: "report", "aria-labelledby": id("report-title"), "data-questionnaire": r.questionnaire },
    h("h2", { id: id("report-title") }, `${scopeTitle(r.scope)}: ${r.questionnaire === "sportello-polis" ? "Sportelli Polis" : "Comuni"}`),
    h("p", { class: "muted" }, `${r.questionnaire_title} (versione ${r.versions.join(", ")}). Punteggi da 0 a 100, ricalcolati dalle risposte di ogni file.`),
    r.versions_note ? h("div", { class: "info-box", id: id("versions") }, h("p", {}, r.versions_note)) : null,
    h("div", { class: "stat-row" },
      h("div", { class: "stat" }, h("p", { class: "stat-value", id: id("assessed") }, `${int(t.assessed)} su ${int(t.comuni)}`), h("p", {}, "enti hanno inviato un'autovalutazione")),
      f ? h("div", { class: "stat" }, h("p", { class: "stat-value", id: id("median") }, score(f.overall.median)), h("p", {}, `punteggio tipico: metà degli enti sta sopra, metà sotto. La metà centrale degli enti è tra ${score(f.overall.q1)} e ${score(f.overall.q3)}.`)) : null,
      f ? h("div", { class: "stat" }, h("p", { class: "stat-value", id: id("baseline") }, outOf(f.baseline_met, t.assessed)), h("p", {}, "enti rispettano tutte le misure minime obbligatorie")) : null),
    f
      ? h("p", { class: "muted", id: id("tiers") }, "Enti per livello: ", tiers.map((t) => `${t.label} ${int(f.tiers[t.id] || 0)}`).join(", "), ".")
      : h("div", { class: "info-box", id: id("suppressed") }, h("p", {},
          t.assessed === 0
            ? "Nessun ente di questo territorio ha ancora inviato un'autovalutazione."
            : `Meno di ${min} enti valutati in questo territorio: per non renderli riconoscibili, le cifre non vengono mostrate.`)),
    r.by_region.length ? groupTable(id("by-region"), "Per regione", "Regione", r.by_region, min) : null,
    r.by_province.length ? groupTable(id("by-province"), "Per provincia", "Provincia", r.by_province, min) : null,
    bands,
    f ? [
      h("h3", {}, "Punteggio per argomento"),
      h("p", { class: "muted" }, `Il punteggio tipico di ogni argomento, dal più debole. ${targetSentence(tiers)}`),
      domainBars(f.domains
        .map((d) => ({ title: d.title, score: d.scores ? d.scores.median : null }))
        .sort((a, b) => (a.score === null) - (b.score === null) || a.score - b.score), tiers),
      h("table", { class: "table table-sm domain-figures", id: id("domains") },
        h("caption", { class: "visually-hidden" }, "Punteggio per argomento: mediana e metà centrale degli enti"),
        h("thead", {}, h("tr", {},
          h("th", { scope: "col" }, "Argomento"),
          h("th", { scope: "col", class: "num" }, "Punteggio tipico"),
          h("th", { scope: "col", class: "num" }, "La metà degli enti tra"),
          h("th", { scope: "col", class: "num" }, "Enti"))),
        h("tbody", {}, f.domains.map((d) => h("tr", {},
          h("th", { scope: "row" }, d.title),
          d.scores
            ? [h("td", { class: "num" }, score(d.scores.median)), h("td", { class: "num" }, `${score(d.scores.q1)}–${score(d.scores.q3)}`)]
            : h("td", { colspan: 2, class: "suppressed" }, "non mostrato"),
          h("td", { class: "num" }, int(d.comuni)))))),
      h("div", { class: "two-col" },
        h("div", {},
          h("h3", {}, "Dove serve aiuto: le domande più deboli"),
          h("p", { class: "muted" }, "Le pratiche meno diffuse nel territorio: temi per la formazione e per gli acquisti comuni. «Non ancora a posto» vuol dire che la risposta è sotto il livello che il questionario indica come obiettivo per quella domanda."),
          questionList(id("weakest"), f.weakest_questions, f.domains, (q) => `non ancora a posto in ${outOf(q.below_target, q.comuni)} enti`)),
        h("div", {},
          h("h3", {}, "Le risposte «Non so» più frequenti"),
          h("p", { class: "muted" }, "Dove gli enti non conoscono la propria situazione: spesso serve una domanda al fornitore."),
          f.most_unknown.length
            ? questionList(id("unknown"), f.most_unknown, f.domains, (q) => `«Non so» in ${int(q.unknown)} enti su ${int(q.comuni)}`)
            : h("p", {}, "Nessuna risposta «Non so».")))] : null,
    h("h3", {}, "Chi manca"),
    missingSection(r),
    r.unmatched.length
      ? h("div", { class: "alert-box" }, h("p", {}, `${plural(r.unmatched.length, "file ha", "file hanno")} un codice ISTAT che non è nell'elenco dei comuni e non risulta di un comune soppresso: ${r.unmatched.map((u) => `${u.name} (${u.istat_code})`).join(", ")}. Sono contati a parte.`))
      : null,
    r.successions.length
      ? h("div", { class: "info-box", id: "successions" },
          h("p", {}, `${plural(r.successions.length, "file ha", "file hanno")} il codice di un comune che non esiste più (fuso con altri o passato ad altra provincia): ${r.successions.length === 1 ? "è contato" : "sono contati"} con il comune di oggi.`),
          h("ul", {}, r.successions.map((s) => h("li", {},
            `${s.name} (${s.istat_code}), oggi: Comune di ${s.current_name} (${s.current_code})`
            + (s.since ? `, dal ${date(s.since)}` : "")
            + (s.counted ? "" : " — non contato: vale la valutazione più recente o quella con il codice di oggi")))))
      : null);
}

/** Counts dashboard requests: only the latest one may fill the page (a
 * slow refresh of the previous territory must not replace a newer one). */
let dashboardRequest = 0;

async function showDashboard(box, scope, keepFocus) {
  const request = ++dashboardRequest;
  fill(box, h("p", { class: "muted" }, "Calcolo in corso…"));
  try {
    const d = await api.coordDashboard(scope);
    if (request !== dashboardRequest) return;
    lastScope = scope;
    const exportBox = h("div", { id: "export-status", "aria-live": "polite" });
    const exportFile = (ev, what) => saveFile(ev, exportBox, "Preparazione del file…",
      () => (what === "pdf" ? api.coordExportPdf(scope) : api.coordExportCsv(scope, what)),
      () => (what === "pdf" ? "Sintesi salvata." : "Tabella salvata."));
    fill(box,
      d.reports.length === 0
        ? h("p", { class: "lead-text", id: "no-results" }, "Non ci sono ancora risultati importati. Comincia da «Importa una cartella».")
        : d.reports.map((r, i) => reportSection(r, d.tiers, i)),
      d.unverifiable
        ? h("div", { class: "alert-box" }, h("p", {}, `${plural(d.unverifiable, "risultato archiviato non si può più verificare ed è escluso", "risultati archiviati non si possono più verificare e sono esclusi")} (per esempio perché usano un questionario non disponibile in questa installazione).`))
        : null,
      d.reports.length
        ? h("section", { "aria-labelledby": "export-title" },
            h("h2", { id: "export-title" }, "Esporta"),
            h("p", {}, "La sintesi PDF riporta solo cifre aggregate, come questa pagina: si può condividere. Le tabelle CSV contengono i risultati dei singoli enti: trattale come dati riservati."),
            h("div", { class: "button-row" },
              h("button", { type: "button", class: "btn btn-primary", id: "export-pdf", onclick: (ev) => exportFile(ev, "pdf") }, "Sintesi PDF del territorio"),
              h("button", { type: "button", class: "btn btn-outline-primary", id: "export-csv-comuni", onclick: (ev) => exportFile(ev, "comuni") }, "Tabella CSV: un ente per riga"),
              h("button", { type: "button", class: "btn btn-outline-primary", id: "export-csv-answers", onclick: (ev) => exportFile(ev, "answers") }, "Tabella CSV: tutte le risposte")),
            exportBox)
        : null);
    if (!keepFocus) {
      const title = box.querySelector("h2");
      if (title) {
        title.setAttribute("tabindex", "-1");
        title.focus();
      }
    }
    const first = d.reports[0];
    if (first) announce(`${first.scope.name}: ${int(first.total.assessed)} enti valutati su ${int(first.total.comuni)}.`);
  } catch (e) {
    if (request !== dashboardRequest) return;
    showError(box, e);
  }
}

// ---- Screen ---------------------------------------------------------------

function keysSection(keys) {
  return h("details", { id: "keys" },
    h("summary", {}, `Chiavi di firma registrate (${int(keys.length)})`),
    h("p", { class: "muted" }, "La prima chiave ricevuta da ogni ente viene registrata: i file firmati con un'altra chiave vengono trattenuti finché non la accetti."),
    keys.length
      ? h("table", { class: "table table-sm" },
          h("caption", { class: "visually-hidden" }, "Chiavi di firma registrate"),
          h("thead", {}, h("tr", {},
            h("th", { scope: "col" }, "Ente"),
            h("th", { scope: "col" }, "Codice ISTAT"),
            h("th", { scope: "col" }, "Codice di riconoscimento"),
            h("th", { scope: "col" }, "Registrata il"))),
          h("tbody", {}, keys.map((k) => h("tr", {},
            h("th", { scope: "row" }, k.organization || "–"),
            h("td", {}, k.istat_code),
            h("td", {}, h("code", {}, k.fingerprint)),
            h("td", {}, date(k.recorded_at))))))
      : h("p", {}, "Nessuna chiave registrata."));
}

register("coord", async (main) => {
  const ov = await api.coordOverview();
  const importBox = h("div", { id: "import-report" });
  const progress = h("div", { id: "import-progress", hidden: true },
    h("label", { for: "import-bar", id: "import-label" }, "Verifica dei file…"),
    h("progress", { id: "import-bar", max: 1, value: 0 }));
  const dash = h("div", { id: "dashboard" });
  const keysBox = h("div", {}, keysSection(ov.keys));
  const countsLine = h("p", { class: "muted", id: "archive-counts" });
  const setCounts = (o) => {
    countsLine.textContent = o.results === 0
      ? `L'archivio del coordinamento è vuoto. File: ${o.database}`
      : `Archivio del coordinamento: ${plural(o.current, "ente con risultati", "enti con risultati")} (${plural(o.results, "file conservato", "file conservati")}, storico compreso). File: ${o.database}`;
  };
  setCounts(ov);
  const select = scopeSelect(ov);

  const reload = async () => {
    const o = await api.coordOverview();
    setCounts(o);
    fill(keysBox, keysSection(o.keys));
    await showDashboard(dash, lastScope, true);
  };

  const runImport = async (ev, source) => {
    const buttons = main.querySelectorAll(".import-btn");
    buttons.forEach((b) => { b.disabled = true; });
    const bar = document.getElementById("import-bar");
    const label = document.getElementById("import-label");
    fill(importBox);
    bar.value = 0;
    bar.max = 1;
    label.textContent = "Scelta dei file…";
    progress.hidden = false;
    try {
      const v = await api.coordImport(source, (p) => {
        bar.max = Math.max(p.total, 1);
        bar.value = p.done;
        progress.dataset.last = `${p.done}/${p.total}`;
        label.textContent = `Verificati ${int(p.done)} file su ${int(p.total)}`;
      });
      progress.hidden = true;
      importReport(importBox, v, reload);
      if (v.done) {
        announce(summaryLine(v));
        await reload();
      }
    } catch (e) {
      showError(importBox, e);
    } finally {
      progress.hidden = true;
      buttons.forEach((b) => { b.disabled = false; });
      const focusTo = importBox.querySelector("#held-back button, #import-summary") || ev.currentTarget;
      if (focusTo.tagName !== "BUTTON") focusTo.setAttribute("tabindex", "-1");
      focusTo.focus();
    }
  };

  const checkBox = h("div", { id: "archive-check", "aria-live": "polite" });
  const verifyArchive = async (ev) => {
    const button = ev.currentTarget;
    button.disabled = true;
    fill(checkBox, h("p", { class: "muted" }, "Verifica di tutti i risultati dell'archivio…"));
    try {
      const c = await api.coordVerifyArchive();
      fill(checkBox, c.failed.length === 0
        ? h("div", { class: "info-box" }, h("p", {}, c.checked === 0
            ? "L'archivio non contiene ancora risultati da verificare."
            : `${c.checked === 1 ? "Il risultato in uso è stato verificato" : `Tutti i ${int(c.checked)} risultati in uso sono stati verificati`} di nuovo, firma e contenuto: ${c.checked === 1 ? "è integro" : "sono integri"}.`))
        : h("div", { class: "alert-box" },
            h("p", {}, `${plural(c.verified, "risultato integro", "risultati integri")} su ${int(c.checked)}. ${c.failed.length === 1 ? "Questo file non supera" : "Questi file non superano"} più la verifica e ${c.failed.length === 1 ? "resta escluso" : "restano esclusi"} dai riepiloghi:`),
            h("ul", {}, c.failed.map((f) => h("li", {}, `${f.file}: ${f.reason}`)))));
    } catch (e) {
      showError(checkBox, e);
    } finally {
      button.disabled = false;
    }
  };

  fill(main,
    h("h1", {}, "Coordinamento territoriale"),
    h("section", { class: "intro", "aria-label": "A cosa serve" },
      h("p", {}, "Raccogli i file dei risultati che i comuni ti inviano (per e-mail, PEC o chiavetta) e guarda dove il territorio ha bisogno di aiuto e di formazione."),
      h("p", {}, "Ogni file viene controllato prima di entrare nell'archivio: firma, formato, questionario; i punteggi vengono ricalcolati qui, non letti dal file. Nei riepiloghi i gruppi con meno di 5 enti valutati non mostrano cifre, così nessun comune è riconoscibile.")),
    h("section", { "aria-labelledby": "import-title" },
      h("h2", { id: "import-title" }, "Importa i risultati"),
      countsLine,
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-primary import-btn", id: "import-folder", onclick: (ev) => runImport(ev, "folder") }, "Importa una cartella"),
        h("button", { type: "button", class: "btn btn-outline-primary import-btn", id: "import-files", onclick: (ev) => runImport(ev, "files") }, "Scegli singoli file"),
        h("button", { type: "button", class: "btn btn-outline-primary", id: "verify-archive", onclick: verifyArchive }, "Verifica l'archivio")),
      checkBox,
      progress,
      importBox,
      keysBox),
    h("section", { "aria-labelledby": "territory-title" },
      h("h2", { id: "territory-title" }, "Il territorio"),
      h("div", { class: "field scope-field" },
        h("label", { for: "scope" }, "Territorio da esaminare"),
        h("p", { class: "hint", id: "scope-hint" }, "Tutta Italia, una regione o una provincia."),
        h("div", { class: "scope-row" },
          select,
          h("button", { type: "button", class: "btn btn-primary", id: "show-scope", onclick: () => showDashboard(dash, parseScope(select.value), false) }, "Mostra"))),
      dash),
    h("section", { "aria-labelledby": "packs-title" },
      h("h2", { id: "packs-title" }, "Avvisi e recapiti per i comuni"),
      h("p", {}, "Invia ai comuni un pacchetto firmato con gli avvisi sulle minacce in corso e i recapiti del territorio."),
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-outline-primary", id: "nav-coord-pack", onclick: () => go("coord-pack") }, "Scrivi avvisi e recapiti"))));
  await showDashboard(dash, lastScope, true);
});
