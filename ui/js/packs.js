// The coordinator's packs: the alerts shown to the comune, "Importa
// aggiornamenti dal coordinamento" (with the fingerprint confirmed by phone),
// and the coordinator's form to write, preview, sign and save a pack.

import { api } from "./api.js";
import { app, register, go, showError, announce, saveFile } from "./app.js";
import { h, fill, date, plural } from "./dom.js";

/** The active alerts, most urgent first; nothing when there are none. */
export function alertsSection(alerts, headingLevel = "h2") {
  if (!alerts || alerts.length === 0) return null;
  return h("section", { class: "pack-alerts", id: "pack-alerts", "aria-labelledby": "pack-alerts-title" },
    h(headingLevel, { id: "pack-alerts-title", class: "h4" }, "Avvisi del coordinamento"),
    h("ul", { class: "pack-alert-list" },
      alerts.map((a) => h("li", { class: `pack-alert severity-${a.severity}` },
        h("p", { class: "pack-alert-title" }, h("strong", {}, `${a.severity_label}: ${a.title}`)),
        a.text.split("\n").map((line) => h("p", {}, line)),
        h("p", { class: "muted" }, `Del ${date(a.date)}, valido fino al ${date(a.expires_on)} · per: ${a.audience_label}`)))));
}

/** Fill `box` with the active alerts (for `kind`, or for this
 *  installation's organisations); a failure leaves it empty. */
export async function showAlerts(box, kind = null, headingLevel = "h2") {
  try {
    const home = await api.packHome(kind);
    fill(box, alertsSection(home.alerts, headingLevel));
  } catch (e) {
    fill(box);
  }
}

function summaryView(s) {
  return h("div", { class: "pack-summary" },
    h("p", {}, `Pacchetto numero ${s.sequence} di `, h("strong", {}, s.issuer), ` (${s.territory}), del ${date(s.issued_on)}.`),
    h("p", {}, `Contiene ${plural(s.alerts.length, "avviso", "avvisi")}, ${plural(s.contacts.length, "recapito del territorio", "recapiti del territorio")}${s.questionnaires.length ? ` e ${plural(s.questionnaires.length, "nuova versione", "nuove versioni")} del questionario (per le prossime autovalutazioni)` : ""}.`),
    s.alerts.length ? h("ul", {}, s.alerts.map((a) => h("li", {}, `${a.severity_label}: ${a.title}`))) : null);
}

register("packs", async (main) => {
  const home = await api.packHome(null);
  const result = h("div", { id: "pack-result", "aria-live": "polite" });
  const errorBox = h("div", { id: "pack-error" });
  const status = h("p", { id: "pack-status" }, home.coordinator
    ? `Coordinamento registrato: ${home.coordinator}, impronta della chiave ${home.fingerprint}. Ultimo pacchetto applicato: numero ${home.last_sequence}.`
    : "Non è ancora stato importato nessun pacchetto: al primo ti chiederemo di verificare l'impronta della chiave del coordinamento.");

  const applied = async (v) => {
    // New questionnaire versions are offered from the next assessment on.
    try { app.info = await api.appInfo(); } catch (e) { /* the old list stays */ }
    fill(result, h("div", { class: "info-box", id: "pack-applied" },
      h("p", {}, h("strong", {}, "Aggiornamenti applicati.")),
      summaryView(v.summary),
      v.summary.replaces_key ? h("p", {}, `La chiave del coordinamento è cambiata: prima era ${v.summary.replaces_key}.`) : null,
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-primary", id: "pack-done", onclick: () => go("home") }, "Torna all'elenco"))));
    announce("Aggiornamenti del coordinamento applicati.");
  };

  const confirmBox = (v) => {
    const input = h("input", { type: "text", id: "pack-fingerprint", class: "form-control", autocomplete: "off", spellcheck: "false", "aria-describedby": "pack-fingerprint-hint" });
    const confirm = async (ev) => {
      const btn = ev.currentTarget;
      btn.disabled = true;
      fill(errorBox);
      try {
        await applied(await api.packConfirm(input.value));
      } catch (e) {
        showError(errorBox, e);
        btn.disabled = false;
      }
    };
    fill(result, h("div", { class: "pack-confirm", id: "pack-confirm" },
      h("h2", { class: "h4" }, "Verifica la chiave del coordinamento"),
      summaryView(v.summary),
      h("p", {}, "È il primo pacchetto di questo coordinamento. Prima di applicarlo, telefona al coordinamento (a un numero che conosci già, non a uno scritto nel pacchetto) e fatti leggere l'impronta della sua chiave. Deve essere:"),
      h("p", { class: "fingerprint", id: "pack-fingerprint-shown" }, v.summary.fingerprint),
      h("div", { class: "field" },
        h("label", { for: "pack-fingerprint" }, "Scrivi l'impronta che ti hanno letto al telefono"),
        h("p", { class: "hint", id: "pack-fingerprint-hint" }, "16 caratteri, per esempio 3F2A-9C01-77DE-B410."),
        input),
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-primary", id: "pack-confirm-btn", onclick: confirm }, "Conferma e applica"),
        h("button", { type: "button", class: "btn btn-outline-primary", onclick: () => { fill(result); announce("Pacchetto non applicato."); } }, "Non applicare"))));
    input.focus();
  };

  const pick = async (ev) => {
    const btn = ev.currentTarget;
    btn.disabled = true;
    fill(errorBox);
    fill(result);
    try {
      const v = await api.packImport();
      if (!v.done) fill(result, h("p", {}, "Nessun file scelto."));
      else if (v.outcome === "needs_confirmation") confirmBox(v);
      else await applied(v);
    } catch (e) {
      showError(errorBox, e);
    } finally {
      btn.disabled = false;
    }
  };

  fill(main,
    h("h1", {}, "Aggiornamenti dal coordinamento"),
    h("section", { class: "intro", "aria-label": "A cosa serve" },
      h("p", {}, "Il coordinamento territoriale (ANCI, Regione, Unione di comuni) può inviarti un pacchetto firmato con avvisi sulle minacce in corso, i recapiti del territorio (come il COSC della Polizia Postale) e nuove versioni del questionario. Lo ricevi per PEC o su chiavetta e lo importi qui."),
      h("p", {}, "Sentinella controlla la firma: un pacchetto alterato, vecchio o firmato da un'altra chiave non viene applicato.")),
    status,
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary", id: "pack-pick", onclick: pick }, "Scegli il file del pacchetto")),
    errorBox,
    result,
    alertsSection(home.alerts));
});

// --- The coordinator's form -------------------------------------------

const SEVERITIES = [["critical", "Urgente"], ["warning", "Attenzione"], ["info", "Informazione"]];
const AUDIENCES = [["both", "Comuni e uffici Polis"], ["comuni", "Comuni"], ["polis", "Uffici Polis"]];
const ROLES = [["cosc", "Polizia Postale e per la Sicurezza Cibernetica (COSC regionale)"], ["regional_csirt", "CSIRT regionale"], ["referent", "Referente ANCI o regionale per la sicurezza informatica"]];

function select(id, options, value) {
  return h("select", { id, class: "form-select" }, options.map(([v, label]) => h("option", { value: v, selected: v === value ? "selected" : null }, label)));
}

function inDays(n) {
  const d = new Date();
  d.setDate(d.getDate() + n);
  return d.toISOString().slice(0, 10);
}

let alertCount = 0;

function alertFieldset(list) {
  const n = ++alertCount;
  const fs = h("fieldset", { class: "pack-alert-form", "data-alert": n },
    h("legend", {}, "Avviso"),
    h("div", { class: "field" }, h("label", { for: `alert-title-${n}` }, "Titolo"), h("input", { type: "text", id: `alert-title-${n}`, class: "form-control alert-title", maxlength: 140 })),
    h("div", { class: "field" }, h("label", { for: `alert-text-${n}` }, "Testo"), h("textarea", { id: `alert-text-${n}`, class: "form-control alert-text", rows: 4, maxlength: 3000 })),
    h("div", { class: "field-row" },
      h("div", { class: "field" }, h("label", { for: `alert-severity-${n}` }, "Gravità"), select(`alert-severity-${n}`, SEVERITIES, "warning")),
      h("div", { class: "field" }, h("label", { for: `alert-audience-${n}` }, "Per chi"), select(`alert-audience-${n}`, AUDIENCES, "both")),
      h("div", { class: "field" }, h("label", { for: `alert-expires-${n}` }, "Valido fino al"), h("input", { type: "date", id: `alert-expires-${n}`, class: "form-control alert-expires", value: inDays(30) }))),
    h("button", { type: "button", class: "btn btn-outline-danger btn-sm", onclick: () => { fs.remove(); } }, "Togli questo avviso"));
  list.append(fs);
  return fs;
}

function readForm(form) {
  const v = (sel) => form.querySelector(sel).value;
  return {
    issuer: v("#pack-issuer"),
    territory: v("#pack-territory"),
    alerts: [...form.querySelectorAll(".pack-alert-form")].map((fs) => {
      const n = fs.dataset.alert;
      return {
        title: v(`#alert-title-${n}`),
        text: v(`#alert-text-${n}`),
        severity: v(`#alert-severity-${n}`),
        audience: v(`#alert-audience-${n}`),
        expires_on: v(`#alert-expires-${n}`),
      };
    }),
    contacts: ROLES.map(([role]) => ({
      role,
      name: v(`#contact-${role}-name`),
      phone: v(`#contact-${role}-phone`),
      email: v(`#contact-${role}-email`),
    })),
  };
}

function historyTable(list) {
  if (list.length === 0) return h("p", { class: "muted", id: "pack-history-empty" }, "Nessun pacchetto firmato finora.");
  return h("table", { class: "table", id: "pack-history" },
    h("caption", { class: "visually-hidden" }, "Pacchetti firmati, dal più recente"),
    h("thead", {}, h("tr", {},
      h("th", { scope: "col" }, "Numero"), h("th", { scope: "col" }, "Data"), h("th", { scope: "col" }, "Contenuto"), h("th", { scope: "col" }, "File"))),
    h("tbody", {}, list.map((p) => h("tr", {},
      h("th", { scope: "row" }, String(p.sequence)),
      h("td", {}, date(p.issued_on)),
      h("td", {}, `${plural(p.alerts, "avviso", "avvisi")}, ${plural(p.contacts, "recapito", "recapiti")}`),
      h("td", {}, p.written_to)))));
}

register("coord-pack", async (main) => {
  const history = h("div", {}, historyTable(await api.packHistory()));
  const list = h("div", { id: "pack-alert-forms" });
  const preview = h("div", { id: "pack-preview", "aria-live": "polite" });
  const errorBox = h("div", { id: "pack-form-error" });
  const saveBox = h("div", { id: "pack-save", "aria-live": "polite" });
  const form = h("form", { id: "pack-form", onsubmit: (e) => e.preventDefault() },
    h("fieldset", {},
      h("legend", {}, "Chi invia il pacchetto"),
      h("div", { class: "field-row" },
        h("div", { class: "field" }, h("label", { for: "pack-issuer" }, "Coordinamento"), h("input", { type: "text", id: "pack-issuer", class: "form-control", placeholder: "per esempio ANCI Lazio" })),
        h("div", { class: "field" }, h("label", { for: "pack-territory" }, "Territorio"), h("input", { type: "text", id: "pack-territory", class: "form-control", placeholder: "per esempio Lazio" })))),
    h("h2", { class: "h4" }, "Avvisi"),
    list,
    h("button", { type: "button", class: "btn btn-outline-primary", id: "pack-add-alert", onclick: () => { alertFieldset(list).querySelector("input").focus(); } }, "Aggiungi un avviso"),
    h("h2", { class: "h4" }, "Recapiti del territorio"),
    h("p", { class: "hint" }, "Lascia vuoto ciò che non conosci: Sentinella non inventa numeri. Per ogni recapito serve un telefono o un indirizzo e-mail."),
    ROLES.map(([role, label]) => h("fieldset", { class: "pack-contact-form" },
      h("legend", {}, label),
      h("div", { class: "field-row" },
        h("div", { class: "field" }, h("label", { for: `contact-${role}-name` }, "Ufficio o persona"), h("input", { type: "text", id: `contact-${role}-name`, class: "form-control" })),
        h("div", { class: "field" }, h("label", { for: `contact-${role}-phone` }, "Telefono"), h("input", { type: "tel", id: `contact-${role}-phone`, class: "form-control" })),
        h("div", { class: "field" }, h("label", { for: `contact-${role}-email` }, "E-mail o PEC"), h("input", { type: "email", id: `contact-${role}-email`, class: "form-control" }))))));
  alertFieldset(list);

  const showPreview = async () => {
    fill(errorBox);
    fill(saveBox);
    try {
      const p = await api.packPreview(readForm(form));
      fill(preview, h("div", { class: "info-box", id: "pack-preview-box" },
        h("p", {}, h("strong", {}, `Anteprima del pacchetto numero ${p.sequence}`), ` del ${date(p.issued_on)}: ${plural(p.alerts.length, "avviso", "avvisi")}, ${plural(p.contacts.length, "recapito", "recapiti")}.`),
        alertsSection(p.alerts, "h3"),
        p.contacts.length ? h("ul", {}, p.contacts.map((c) => h("li", {}, `${c.role_label}: ${c.name}${c.phone ? ", tel. " + c.phone : ""}${c.email ? ", " + c.email : ""}`))) : null));
      return true;
    } catch (e) {
      fill(preview);
      showError(errorBox, e);
      return false;
    }
  };
  const sign = async (ev) => {
    const res = await saveFile(ev, saveBox, "Firma del pacchetto…", () => api.packSign(readForm(form)),
      (r) => `Pacchetto numero ${r.sequence} firmato con la chiave ${r.fingerprint}: invialo ai comuni per PEC o su chiavetta. Al primo pacchetto ti telefoneranno per verificare questa impronta.`);
    if (res && res.path) fill(history, historyTable(await api.packHistory()));
  };

  fill(main,
    h("h1", {}, "Avvisi e recapiti per i comuni"),
    h("section", { class: "intro", "aria-label": "A cosa serve" },
      h("p", {}, "Scrivi gli avvisi e i recapiti del territorio, guarda l'anteprima, poi firma e salva il pacchetto: i comuni lo importano con «Importa aggiornamenti dal coordinamento». Un nuovo pacchetto sostituisce avvisi e recapiti del precedente.")),
    form,
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-outline-primary", id: "pack-preview-btn", onclick: showPreview }, "Anteprima"),
      h("button", { type: "button", class: "btn btn-primary", id: "pack-sign", onclick: sign }, "Firma e salva"),
      h("button", { type: "button", class: "btn btn-outline-primary", onclick: () => go("coord") }, "Torna al coordinamento")),
    errorBox,
    preview,
    saveBox,
    h("section", { "aria-labelledby": "pack-history-title" },
      h("h2", { id: "pack-history-title", class: "h4" }, "Pacchetti firmati"),
      history));
});
