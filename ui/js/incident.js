// "Incidente in corso": triage, the first-hour checklist with timed ticks,
// the contacts one click away, the running log (each entry committed before
// "Salvato" is shown), the deadlines as countdowns, the ready drafts; and
// "Contatti per le emergenze". Exercises are marked on every screen.

import { api } from "./api.js";
import { register, go, showError, announce, saveFile, confirmDialog } from "./app.js";
import { h, fill, plural } from "./dom.js";

const timeFmt = new Intl.DateTimeFormat("it-IT", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "Europe/Rome" });
const hourFmt = new Intl.DateTimeFormat("it-IT", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/Rome" });

/** "01/12/2026, 15:30" in Italian time. */
function when(iso) {
  return iso ? timeFmt.format(new Date(iso)) : "";
}

function exerciseBanner(exercise) {
  return exercise
    ? h("p", { class: "exercise-banner", id: "exercise-banner" }, "ESERCITAZIONE – non è un incidente reale. Nulla di quanto scrivi qui finisce tra gli incidenti veri.")
    : null;
}

/** Now in Italian time: ["01/12/2026", "15:30"]. */
function italianNow() {
  const parts = Object.fromEntries(new Intl.DateTimeFormat("it-IT", { day: "2-digit", month: "2-digit", year: "numeric", hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: "Europe/Rome" })
    .formatToParts(new Date()).map((p) => [p.type, p.value]));
  return [`${parts.day}/${parts.month}/${parts.year}`, `${parts.hour}:${parts.minute}`];
}

function radios(name, options, onPick) {
  return h("div", { class: "choices" }, options.map((o) => {
    const input = h("input", { type: "radio", name, value: o.id, required: true });
    input.addEventListener("change", () => {
      input.closest(".choices").querySelectorAll(".choice").forEach((c) => c.classList.toggle("checked", c.querySelector("input").checked));
      if (onPick) onPick(o.id);
    });
    return h("label", { class: "choice" }, input, h("span", {}, o.label));
  }));
}

function incidentRows(list, exercise) {
  if (list.length === 0) return h("p", { class: "muted" }, exercise ? "Nessuna esercitazione." : "Nessun incidente registrato.");
  return h("ul", { class: "incident-list" }, list.map((s) =>
    h("li", {},
      h("button", { type: "button", class: "btn btn-outline-primary btn-sm", "aria-label": `Apri: ${s.organization}, ${when(s.discovered_at)}`, onclick: () => go("incident-run", { id: s.id }) }, "Apri"),
      " ", h("span", {}, `${s.organization} – scoperto il ${when(s.discovered_at)} – ${plural(s.entries, "voce", "voci")} nel registro${s.closed_at ? " – chiuso" : ""}`))));
}

register("incident", async (main) => {
  const home = await api.incidentHome();
  const errorBox = h("div", { id: "triage-error" });
  if (home.organizations.length === 0) {
    fill(main,
      h("h1", {}, "Incidente in corso"),
      h("div", { class: "alert-box" }, h("p", {}, "Per usare questa sezione serve l'ente (Comune o ufficio postale): crealo una volta con «Nuova autovalutazione», anche senza rispondere alle domande. Nel frattempo, se state subendo un attacco: staccate dalla rete il computer colpito senza spegnerlo e chiamate il vostro supporto informatico.")),
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-primary", id: "incident-new-org", onclick: () => go("new") }, "Nuova autovalutazione")));
    return;
  }
  const orgSelect = h("select", { id: "triage-org" }, home.organizations.map((o) => h("option", { value: o.id }, o.name)));
  const [today, nowTime] = italianNow();
  const discDate = h("input", { type: "text", id: "triage-date", value: today, inputmode: "numeric", autocomplete: "off", required: true, "aria-describedby": "triage-when-hint", size: 10 });
  const discTime = h("input", { type: "text", id: "triage-time", value: nowTime, inputmode: "numeric", autocomplete: "off", required: true, "aria-describedby": "triage-when-hint", size: 5 });
  const summary = h("textarea", { id: "triage-summary", maxlength: 2000 });
  const exercise = h("input", { type: "checkbox", id: "triage-exercise" });
  const submit = h("button", { type: "submit", class: "btn btn-danger btn-lg", id: "triage-go" }, "Mostra i passi da fare ora");
  const form = h("form", { id: "triage", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "triage-org" }, "Ente"), orgSelect),
    h("fieldset", { id: "triage-case" }, h("legend", {}, "Che cosa sta succedendo?"), radios("case", home.cases)),
    h("fieldset", { id: "triage-pd" }, h("legend", {}, "Sono coinvolti dati personali (di cittadini o dipendenti)?"),
      radios("personal_data", [{ id: "yes", label: "Sì" }, { id: "no", label: "No" }, { id: "unknown", label: "Non lo so ancora" }])),
    h("fieldset", { id: "triage-when" }, h("legend", {}, "Quando ve ne siete accorti?"),
      h("p", { class: "hint", id: "triage-when-hint" }, "Da quest'ora partono le scadenze. Se non la sapete con precisione, lasciate la data e l'ora attuali."),
      h("div", { class: "when-row" },
        h("div", { class: "field" }, h("label", { for: "triage-date" }, "Data (gg/mm/aaaa)"), discDate),
        h("div", { class: "field" }, h("label", { for: "triage-time" }, "Ora (hh:mm)"), discTime))),
    h("div", { class: "field" }, h("label", { for: "triage-summary" }, "Che cosa avete visto (facoltativo)"), summary),
    h("div", { class: "check mb-3" }, exercise, h("label", { for: "triage-exercise" }, "È un'esercitazione, non un incidente reale")),
    errorBox,
    h("div", { class: "button-row" }, submit));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    const c = form.querySelector("input[name=case]:checked");
    const pd = form.querySelector("input[name=personal_data]:checked");
    if (!c) { showError(errorBox, new Error("Scegli che cosa sta succedendo.")); form.querySelector("input[name=case]").focus(); return; }
    if (!pd) { showError(errorBox, new Error("Indica se sono coinvolti dati personali (anche «Non lo so ancora»).")); form.querySelector("input[name=personal_data]").focus(); return; }
    submit.disabled = true;
    try {
      const id = await api.openIncident({
        organization_id: Number(orgSelect.value), exercise: exercise.checked, case: c.value,
        personal_data: pd.value, discovered_date: discDate.value, discovered_time: discTime.value, summary: summary.value,
      });
      await go("incident-run", { id });
    } catch (e) {
      submit.disabled = false;
      showError(errorBox, e);
    }
  });
  fill(main,
    h("h1", {}, "Incidente in corso"),
    h("p", { class: "lead-text" }, "Tre domande, poi i passi da fare subito, in ordine, con i vostri contatti e le scadenze."),
    form,
    h("h2", {}, "Contatti per le emergenze"),
    h("p", {}, "Chi chiamare: responsabile, fornitore informatico, DPO, Polizia Postale. Si inseriscono una volta e finiscono anche sulla scheda incidente del piano PDF."),
    h("div", { class: "button-row" }, h("button", { type: "button", class: "btn btn-outline-primary", id: "open-contacts", onclick: () => go("contacts", { organizationId: Number(orgSelect.value) }) }, "Contatti per le emergenze")),
    h("h2", {}, "Incidenti registrati"),
    incidentRows(home.incidents, false),
    h("h2", {}, "Esercitazioni"),
    incidentRows(home.exercises, true));
});

// ---------------------------------------------------------------- contacts

register("contacts", async (main, params) => {
  const home = await api.incidentHome();
  const orgId = params.organizationId || (home.organizations[0] && home.organizations[0].id);
  if (!orgId) { await go("incident"); return; }
  const view = await api.getContacts(orgId);
  const status = h("div", { id: "contacts-status", "aria-live": "polite" });
  const rows = view.rows.map((r) => {
    const c = r.contact || {};
    const id = r.role;
    return h("fieldset", { class: "contact-row", "data-role": r.role },
      h("legend", {}, r.label),
      h("div", { class: "contact-fields" },
        h("div", { class: "field" }, h("label", { for: `c-${id}-name` }, "Nome o ufficio"), h("input", { type: "text", id: `c-${id}-name`, value: c.name || "", maxlength: 120, autocomplete: "off" })),
        h("div", { class: "field" }, h("label", { for: `c-${id}-phone` }, "Telefono"), h("input", { type: "tel", id: `c-${id}-phone`, value: c.phone || "", maxlength: 32, autocomplete: "off" })),
        h("div", { class: "field" }, h("label", { for: `c-${id}-email` }, "E-mail o PEC"), h("input", { type: "email", id: `c-${id}-email`, value: c.email || "", maxlength: 254, autocomplete: "off" }))));
  });
  const orgPick = home.organizations.length > 1
    ? h("div", { class: "field" }, h("label", { for: "contacts-org" }, "Ente"),
        h("select", { id: "contacts-org", onchange: (ev) => go("contacts", { organizationId: Number(ev.target.value) }) },
          home.organizations.map((o) => h("option", { value: o.id, selected: o.id === orgId }, o.name))))
    : null;
  const save = h("button", { type: "submit", class: "btn btn-primary", id: "contacts-save" }, "Salva i contatti");
  const form = h("form", { id: "contacts-form", novalidate: true }, rows, status, h("div", { class: "button-row" }, save,
    h("button", { type: "button", class: "btn btn-outline-primary", onclick: () => go("incident") }, "Torna a «Incidente in corso»")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    save.disabled = true;
    const contacts = view.rows.map((r) => ({
      role: r.role,
      name: document.getElementById(`c-${r.role}-name`).value,
      phone: document.getElementById(`c-${r.role}-phone`).value,
      email: document.getElementById(`c-${r.role}-email`).value,
    }));
    try {
      const saved = await api.saveContacts(orgId, contacts);
      const n = saved.rows.filter((r) => r.contact).length;
      fill(status, h("div", { class: "info-box", role: "status" }, h("p", {}, `Salvato: ${plural(n, "contatto", "contatti")} di ${saved.rows.length}. Quelli mancanti restano righe vuote sulla scheda incidente.`)));
    } catch (e) {
      showError(status, e);
    } finally {
      save.disabled = false;
    }
  });
  fill(main,
    h("h1", {}, "Contatti per le emergenze"),
    h("p", {}, `${view.name}: chi chiamare quando succede qualcosa. Sentinella non fornisce numeri: scriveteli voi, verificati. Il numero del COSC regionale della Polizia Postale e per la Sicurezza Cibernetica ve lo può dare il vostro coordinamento o la Questura.`),
    orgPick,
    form);
});

// ---------------------------------------------------------------- the incident

function countdownText(d, now) {
  if (d.done_at) return `Fatto il ${when(d.done_at)}`;
  if (!d.deadline_due) return d.duty === "voluntary" ? "Nessuna scadenza: volontaria e consigliata" : "Subito, senza ingiustificato ritardo";
  const ms = new Date(d.deadline_due) - now;
  const abs = Math.abs(ms);
  const hours = Math.floor(abs / 3600000);
  const minutes = Math.floor((abs % 3600000) / 60000);
  const parts = [];
  if (hours > 0) parts.push(plural(hours, "ora", "ore"));
  if (minutes > 0 || hours === 0) parts.push(plural(minutes, "minuto", "minuti"));
  const span = parts.join(" e ");
  // "Manca 1 ora", "Mancano 3 ore e 1 minuto": the verb agrees with the first number.
  const verb = (hours > 0 ? hours : minutes) === 1 ? "Manca" : "Mancano";
  return ms >= 0 ? `${verb} ${span} (entro il ${when(d.deadline_due)})` : `Scaduta da ${span} (era entro il ${when(d.deadline_due)})`;
}

const DUTY = { required: "Obbligatoria", to_assess: "Da valutare", voluntary: "Volontaria" };

function contactBlock(contacts, role, label) {
  const c = contacts.find((x) => x.role === role);
  if (!c) return h("p", { class: "contact-missing" }, `${label}: contatto non inserito.`);
  return h("p", { class: "contact-inline" },
    h("strong", {}, `${label}: `), c.name,
    c.phone ? [" – tel. ", h("span", { class: "phone" }, c.phone)] : null,
    c.email ? [" – ", c.email] : null);
}

register("incident-run", async (main, params) => {
  const id = params.id;
  let v = await api.getIncident(id);
  const inc = v.incident;
  const roleLabel = Object.fromEntries(v.roles);
  const offset = new Date(v.now) - new Date(); // server clock minus page clock
  const serverNow = () => new Date(Date.now() + offset);
  const closed = !!inc.closed_at;

  // Deadlines
  const deadlineBox = h("section", { class: "deadlines", "aria-labelledby": "deadlines-title" });
  const renderDeadlines = () => {
    const now = serverNow();
    fill(deadlineBox,
      h("h2", { id: "deadlines-title" }, "Scadenze dalla scoperta"),
      v.deadlines.length === 0 ? h("p", {}, "Per quanto indicato, nessuna notifica ha una scadenza.") : null,
      h("ul", { class: "deadline-list" }, v.deadlines.map((d) => {
        const dd = { ...d, deadline_due: d.due };
        const overdue = !d.done_at && d.due && new Date(d.due) < now;
        const box = h("input", { type: "checkbox", id: `dl-${d.kind}`, checked: !!d.done_at, disabled: closed });
        box.addEventListener("change", () => mark(d.item, box.checked, box));
        return h("li", { class: `deadline ${d.done_at ? "done" : overdue ? "overdue" : "open"}`, "data-kind": d.kind },
          h("p", { class: "deadline-title" }, h("strong", {}, d.title), ` – ${DUTY[d.duty]}`),
          h("p", { class: "countdown", id: `cd-${d.kind}` }, countdownText(dd, now)),
          h("p", { class: "hint" }, d.explanation),
          h("p", { class: "source" }, `Fonte: ${d.source}`),
          h("div", { class: "check" }, box, h("label", { for: `dl-${d.kind}` }, "Fatto (inviata)")));
      })));
  };

  // Checklist
  const stepStatus = h("p", { class: "visually-hidden", "aria-live": "polite", id: "step-status" });
  const mark = async (item, done, box) => {
    box.disabled = true;
    try {
      const at = await api.markItem(id, item, done);
      if (done) inc.done[item] = at; else delete inc.done[item];
      const d = v.deadlines.find((x) => x.item === item);
      if (d) d.done_at = done ? at : null;
      const t = document.getElementById(`t-${item}`);
      if (t) t.textContent = done ? `fatto alle ${hourFmt.format(new Date(at))}` : "";
      stepStatus.textContent = done ? `Segnato come fatto alle ${hourFmt.format(new Date(at))}.` : "Segno tolto.";
      renderDeadlines();
    } catch (e) {
      box.checked = !done;
      showError(logError, e);
    } finally {
      box.disabled = closed;
    }
  };
  const steps = h("ol", { class: "steps", id: "steps" }, v.checklist.steps.map((s, i) => {
    const at = inc.done[s.id];
    const box = h("input", { type: "checkbox", id: `s-${s.id}`, checked: !!at, disabled: closed });
    box.addEventListener("change", () => mark(s.id, box.checked, box));
    return h("li", { class: "step", "data-step": s.id },
      h("span", { class: "step-n", "aria-hidden": "true" }, `${i + 1}.`),
      h("div", { class: "check" }, box, h("label", { for: `s-${s.id}` }, s.text)),
      h("p", { class: "step-time", id: `t-${s.id}` }, at ? `fatto alle ${hourFmt.format(new Date(at))}` : ""),
      s.call ? h("div", { class: "step-call" },
        contactBlock(v.contacts, s.call, roleLabel[s.call]),
        closed ? null : h("button", { type: "button", class: "btn btn-outline-primary btn-sm", "data-call": s.call,
          onclick: () => addEntry("call", `Chiamato: ${roleLabel[s.call]}`, s.call) }, "Annota la chiamata")) : null);
  }));

  // Log
  const logList = h("ol", { class: "log-list", id: "log-list" });
  const renderLog = () => fill(logList, inc.log.length === 0
    ? h("li", { class: "muted" }, "Il registro è vuoto.")
    : inc.log.map((e) => h("li", {},
        h("span", { class: "log-time" }, when(e.at)), " ",
        h("strong", {}, { fact: "Fatto", decision: "Decisione", call: "Chiamata" }[e.kind]), e.contact ? ` (${roleLabel[e.contact] || e.contact})` : "", ": ",
        h("span", { class: "log-text" }, e.text))));
  const logError = h("div", { id: "log-error" });
  const saveStatus = h("p", { class: "save-status", id: "log-status", role: "status" }, "");
  const kind = h("select", { id: "log-kind" },
    h("option", { value: "fact" }, "Fatto o osservazione"),
    h("option", { value: "decision" }, "Decisione"),
    h("option", { value: "call" }, "Chiamata"));
  const contact = h("select", { id: "log-contact" }, h("option", { value: "" }, "—"), v.roles.map(([r, l]) => h("option", { value: r }, l)));
  const text = h("textarea", { id: "log-text", maxlength: 4000, "aria-describedby": "log-hint" }, v.unsent || "");
  const typingStatus = h("p", { class: "hint", id: "typing-status" }, v.unsent ? "Testo non ancora aggiunto al registro, ritrovato dopo la chiusura." : "");
  // What is typed is kept in the database at every pause, so a crash or a
  // power cut loses nothing; adding the entry clears it.
  let typingTimer = null;
  let typingSeq = 0;
  const saveTyping = async () => {
    clearTimeout(typingTimer);
    typingTimer = null;
    const mine = ++typingSeq;
    try {
      await api.saveTyping(id, text.value);
      if (mine === typingSeq) typingStatus.textContent = text.value.trim() ? "Bozza della voce salvata." : "";
    } catch (e) {
      if (mine === typingSeq) typingStatus.textContent = `Bozza non salvata: ${e.message}`;
    }
  };
  text.addEventListener("input", () => {
    clearTimeout(typingTimer);
    typingTimer = setTimeout(saveTyping, 400);
  });
  text.addEventListener("blur", () => { if (typingTimer) saveTyping(); });
  const addEntry = async (k, t, who) => {
    fill(logError);
    saveStatus.textContent = "Salvataggio…";
    saveStatus.classList.add("saving");
    try {
      const e = await api.addLogEntry(id, k, t, who || null);
      inc.log.push(e);
      renderLog();
      saveStatus.textContent = `Salvato alle ${hourFmt.format(new Date(e.at))}`;
      return true;
    } catch (err) {
      saveStatus.textContent = "Non salvato";
      showError(logError, err);
      return false;
    } finally {
      saveStatus.classList.remove("saving");
    }
  };
  const logForm = h("form", { id: "log-form", novalidate: true },
    h("div", { class: "log-row" },
      h("div", { class: "field" }, h("label", { for: "log-kind" }, "Tipo di voce"), kind),
      h("div", { class: "field" }, h("label", { for: "log-contact" }, "Chi è stato chiamato"), contact)),
    h("div", { class: "field" }, h("label", { for: "log-text" }, "Che cosa è successo, che cosa avete deciso o chi avete chiamato"),
      h("p", { class: "hint", id: "log-hint" }, "Ctrl+Invio aggiunge la voce al registro. L'ora viene registrata da Sentinella; quello che scrivi è conservato anche prima."), text, typingStatus),
    logError,
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "btn btn-primary", id: "log-save" }, "Salva nel registro"), saveStatus));
  const submitLog = async () => {
    clearTimeout(typingTimer);
    typingTimer = null;
    typingSeq++;
    if (await addEntry(kind.value, text.value, kind.value === "call" ? contact.value : null)) {
      text.value = "";
      typingStatus.textContent = "";
      text.focus();
    }
  };
  logForm.addEventListener("submit", (ev) => { ev.preventDefault(); submitLog(); });
  text.addEventListener("keydown", (ev) => { if (ev.key === "Enter" && ev.ctrlKey) { ev.preventDefault(); submitLog(); } });

  // Details the notification needs (editable until the incident is closed).
  const t = inc.triage;
  const dStatus = h("div", { id: "details-status" });
  const dSummary = h("textarea", { id: "d-summary", maxlength: 2000 }, t.summary);
  const dCats = h("input", { type: "text", id: "d-categories", value: t.data_categories, maxlength: 500, autocomplete: "off", "aria-describedby": "d-categories-hint" });
  const dPeople = h("input", { type: "text", id: "d-people", value: t.people_estimate ?? "", inputmode: "numeric", autocomplete: "off", size: 10 });
  const dRecords = h("input", { type: "text", id: "d-records", value: t.records_estimate ?? "", inputmode: "numeric", autocomplete: "off", size: 10 });
  const number = (input, what) => {
    const raw = input.value.trim().replace(/\./g, "");
    if (raw === "") return null;
    if (!/^\d{1,12}$/.test(raw)) throw new Error(`${what}: scrivi un numero intero, anche approssimativo.`);
    return Number(raw);
  };
  const detailsForm = h("form", { id: "details-form", novalidate: true },
    h("div", { class: "field" }, h("label", { for: "d-summary" }, "Che cosa è successo"), dSummary),
    h("div", { class: "field" }, h("label", { for: "d-categories" }, "Tipi di dati personali coinvolti"),
      h("p", { class: "hint", id: "d-categories-hint" }, "Per esempio anagrafe, tributi, servizi sociali, documenti d'identità."), dCats),
    h("div", { class: "when-row" },
      h("div", { class: "field" }, h("label", { for: "d-people" }, "Persone coinvolte (circa)"), dPeople),
      h("div", { class: "field" }, h("label", { for: "d-records" }, "Registrazioni coinvolte (circa)"), dRecords)),
    dStatus,
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "btn btn-primary", id: "details-save" }, "Salva i dati per la notifica")));
  detailsForm.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const saved = await api.saveIncidentDetails(id, {
        summary: dSummary.value, data_categories: dCats.value,
        people_estimate: number(dPeople, "Persone coinvolte"), records_estimate: number(dRecords, "Registrazioni coinvolte"),
      });
      Object.assign(inc.triage, saved);
      fill(dStatus, h("div", { class: "info-box", role: "status" }, h("p", {}, "Dati salvati: le bozze li usano.")));
    } catch (e) {
      showError(dStatus, e);
    }
  });

  const closeBtn = h("button", { type: "button", class: "btn btn-outline-danger", id: "incident-close", onclick: async () => {
    const ok = await confirmDialog(
      inc.exercise ? "Chiudere l'esercitazione?" : "Chiudere l'incidente?",
      "Dopo la chiusura il registro, i passi e le scadenze non si possono più modificare. Le bozze e il rapporto PDF restano disponibili.",
      "Chiudi");
    if (!ok) return;
    try { await api.closeIncident(id); await go("incident-run", { id }); announce("Chiuso."); } catch (e) { showError(logError, e); }
  } }, inc.exercise ? "Chiudi l'esercitazione" : "Chiudi l'incidente");

  renderLog();
  renderDeadlines();
  const title = `${inc.exercise ? "Esercitazione" : "Incidente"}: ${v.case_label}`;
  fill(main,
    exerciseBanner(inc.exercise),
    h("h1", {}, title),
    h("p", { class: "lead-text" }, `${inc.organization.name} – scoperto il ${when(inc.triage.discovered_at)}${closed ? ` – chiuso il ${when(inc.closed_at)}` : ""}.`),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary", id: "to-drafts", onclick: () => go("incident-drafts", { id }) }, "Documenti pronti (bozze)"),
      h("button", { type: "button", class: "btn btn-outline-primary", onclick: () => go("contacts", { organizationId: inc.organization_id }) }, "Contatti per le emergenze"),
      closed ? null : closeBtn),
    h("div", { class: "incident-grid" },
      h("section", { "aria-labelledby": "steps-title" },
        h("h2", { id: "steps-title", "data-autofocus": true }, "Nella prima ora"),
        h("p", { class: "hint" }, "Spunta ogni passo quando è fatto: Sentinella annota l'ora."),
        steps, stepStatus),
      deadlineBox),
    closed ? null : h("section", { "aria-labelledby": "log-title" }, h("h2", { id: "log-title" }, "Registro"), logForm),
    closed ? h("h2", {}, "Registro") : null,
    logList,
    closed ? null : h("section", { "aria-labelledby": "details-title" },
      h("h2", { id: "details-title" }, "Dati per la notifica"),
      h("p", { class: "hint" }, "Servono alle bozze per il Garante e per la denuncia: si possono completare con calma, anche dopo la prima ora."),
      detailsForm));
  const timer = setInterval(() => {
    if (!document.body.contains(deadlineBox)) { clearInterval(timer); return; }
    const now = serverNow();
    for (const d of v.deadlines) {
      const el = document.getElementById(`cd-${d.kind}`);
      if (el) el.textContent = countdownText({ ...d, deadline_due: d.due }, now);
    }
  }, 30000);
});

// ---------------------------------------------------------------- drafts

register("incident-drafts", async (main, params) => {
  const id = params.id;
  const v = await api.getIncident(id);
  const drafts = await api.drafts(id);
  const box = h("div", { id: "drafts-status" });
  const copy = async (pre, label) => {
    let ok = false;
    try {
      await navigator.clipboard.writeText(pre.textContent);
      ok = true;
    } catch (e) {
      ok = false;
    }
    if (!ok) {
      // Select the text so Ctrl+C copies it.
      const sel = window.getSelection();
      sel.removeAllRanges();
      const range = document.createRange();
      range.selectNodeContents(pre);
      sel.addRange(range);
    }
    announce(ok ? `${label}: testo copiato.` : `${label}: testo selezionato, copialo con Ctrl+C.`);
  };
  fill(main,
    exerciseBanner(v.incident.exercise),
    h("h1", {}, "Documenti pronti"),
    h("p", { class: "lead-text" }, "Bozze compilate con i dati del registro. Sentinella non invia nulla: controllate, completate le parti tra parentesi quadre e copiatele nel canale indicato."),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary", id: "drafts-save", onclick: (ev) => saveFile(ev, box, "Salvataggio delle bozze…", () => api.exportDrafts(id), (r) => `Bozze salvate in ${r.path}.`) }, "Salva tutte le bozze in un file di testo"),
      h("button", { type: "button", class: "btn btn-primary", id: "report-pdf", onclick: (ev) => saveFile(ev, box, "Preparazione del rapporto PDF…", () => api.exportIncidentPdf(id), (r) => `Rapporto salvato in ${r.path}.`) }, "Salva il rapporto d'incidente in PDF"),
      h("button", { type: "button", class: "btn btn-outline-primary", id: "drafts-back", onclick: () => go("incident-run", { id }) }, "Torna all'incidente")),
    box,
    drafts.map((d) => {
      const pre = h("pre", { id: `draft-${d.kind}`, class: "draft-text", "aria-labelledby": `draft-${d.kind}-title` }, d.text);
      return h("section", { class: "draft", "aria-labelledby": `draft-${d.kind}-title` },
        h("h2", { id: `draft-${d.kind}-title` }, d.title),
        h("p", {}, d.destination),
        pre,
        h("div", { class: "button-row" }, h("button", { type: "button", class: "btn btn-outline-primary btn-sm", onclick: () => copy(pre, d.title) }, `Copia: ${d.title}`)));
    }));
});
