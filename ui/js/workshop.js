// "Modalità formazione": the trainer's screens. The session list and setup
// ("workshop"), and the presenter ("presenter") that drives the projector
// window. Every change goes through Rust, which saves it at once and
// updates the projector; the projector never gets the facilitator note or
// counts that are not revealed.

import { call } from "./api.js";
import { register, go, onLeave, currentScreen, confirmDialog, showError, announce } from "./app.js";
import { h, fill, int, plural } from "./dom.js";

const ws = {
  home: () => call("workshop_home"),
  create: (input) => call("workshop_create", { input }),
  get: (id) => call("workshop_get", { id }),
  step: (id, step) => call("workshop_step", { id, step }),
  blank: (id, blank) => call("workshop_blank", { id, blank }),
  remove: (id) => call("workshop_delete", { id }),
  projector: (id) => call("workshop_projector", { id }),
  swap: () => call("workshop_swap"),
  debriefPdf: (id) => call("workshop_debrief_pdf", { id }),
  exportFile: (id) => call("workshop_export", { id }),
  phonesStart: (id, address) => call("workshop_phones_start", { id, address }),
  phonesStop: (id) => call("workshop_phones_stop", { id }),
};

// ---- "Voto dai telefoni" --------------------------------------------------

/** "Nessun telefono ha ancora votato" / "1 telefono ha votato" / "3 telefoni hanno votato". */
function phonesVoted(n) {
  if (n === 0) return "Nessun telefono ha ancora votato";
  return n === 1 ? "1 telefono ha votato" : `${int(n)} telefoni hanno votato`;
}

/** "1 telefono collegato" / "4 telefoni collegati". */
function phonesJoined(n) {
  return n === 1 ? "1 telefono collegato" : `${int(n)} telefoni collegati`;
}

/** "ACD347" → "ACD 347" (read out more easily; phones accept both). */
function spacedCode(code) {
  return code.length === 6 ? `${code.slice(0, 3)} ${code.slice(3)}` : code;
}

/** The Windows firewall: the short hint and, on request, the full text
 *  (the same as docs/voting.md, "L'avviso di Windows Firewall"). */
let firewallOpen = false;
function firewallHint() {
  const details = h("details", { open: firewallOpen, ontoggle: () => { firewallOpen = details.open; } },
      h("summary", {}, "Istruzioni complete sull'avviso di Windows Firewall"),
      h("p", {}, "L'avviso ha un titolo come «Windows Defender Firewall ha bloccato alcune funzionalità di questa app» (le parole cambiano un po' tra le versioni di Windows). È normale: Sentinella chiede di ricevere le risposte dei telefoni collegati alla stessa rete Wi-Fi della sala."),
      h("ul", {},
        h("li", {}, "Spunta solo «Reti private» (la rete dell'ufficio o il router della sala) e premi «Consenti accesso». Se Windows chiede la password di un amministratore e non l'hai, premi «Annulla» e chiedi al fornitore informatico di consentire Sentinella sulle reti private."),
        h("li", {}, "Non spuntare «Reti pubbliche» (alberghi, bar, stazioni): non serve e lascerebbe entrare richieste da reti che non controlli."),
        h("li", {}, "Se la rete della sala risulta «pubblica» sul portatile e i telefoni non riescono a collegarsi, chiedi a chi gestisce la rete di impostarla come privata, oppure usa il punto di accesso del tuo telefono o un piccolo router portatile."),
        h("li", {}, "Se hai premuto «Annulla» per errore, si rimedia da Impostazioni → Privacy e sicurezza → Sicurezza di Windows → Firewall e protezione rete → Consenti app attraverso il firewall, spuntando Sentinella solo per le reti private."),
        h("li", {}, "Le reti Wi-Fi «ospiti» spesso isolano i dispositivi tra loro: in quel caso i telefoni non vedono il portatile. Serve una rete in cui i dispositivi si vedono, oppure un punto di accesso dedicato alla sala.")));
  return h("div", { class: "ws-firewall" },
    h("p", { id: "ws-ph-firewall" }, "Su Windows, la prima volta può comparire l'avviso di Windows Defender Firewall: spunta ",
      h("strong", {}, "solo «Reti private»"), " e premi «Consenti accesso». Non spuntare «Reti pubbliche»."),
    details);
}

/** The panel: choose the address and start, or what runs and how many voted. */
function phonePanel(v, run) {
  const p = v.phone_vote;
  const title = h("h2", { class: "h5", id: "ws-ph-title" }, "Voto dai telefoni");
  const rule = h("p", { class: "muted", id: "ws-ph-rule" },
    "Quando mostri i risultati di una domanda, se almeno un telefono ha votato, i voti dei telefoni prendono il posto dei conteggi scritti a mano (non si sommano). Se nessun telefono ha votato, restano quelli scritti a mano. Se dopo salvi dei conteggi a mano, questi sostituiscono quelli dei telefoni.");
  const note = p.note ? h("p", { class: "info-box", id: "ws-ph-note" }, p.note) : null;
  const s = p.status;
  if (s) {
    const closed = s.state !== "open";
    return h("section", { class: "ws-phones", id: "ws-phones", "aria-labelledby": "ws-ph-title" },
      title,
      h("p", { class: "ws-ph-where" }, "I telefoni si collegano a ",
        h("strong", { id: "ws-ph-url" }, s.url), " con il codice ",
        h("strong", { id: "ws-ph-code", "data-code": s.code }, spacedCode(s.code)), "."),
      h("p", { class: "muted" }, `Indirizzo ${s.address}, porta ${s.port}. ${v.projector_open ? "Il codice QR è sul proiettore." : "Apri la finestra del proiettore per mostrare il codice QR."}`),
      h("p", { class: "ws-ph-voted", id: "ws-ph-voted", "aria-live": "polite" }, phonesVoted(s.voted)),
      h("p", { id: "ws-ph-joined" }, `${phonesJoined(s.joined)}.${closed ? " Il voto su questa domanda è chiuso." : " Chi ha votato può cambiare idea finché non mostri i risultati."}`),
      rule,
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-outline-danger", id: "ws-ph-stop", onclick: () => run(() => ws.phonesStop(v.id), () => "Voto dai telefoni fermato.") }, "Ferma il voto dai telefoni")),
      firewallHint());
  }
  if (p.addresses.length === 0) {
    return h("section", { class: "ws-phones", id: "ws-phones", "aria-labelledby": "ws-ph-title" },
      title, note,
      h("p", { id: "ws-ph-none" }, "Questo computer non è collegato a nessuna rete locale, quindi i telefoni non possono raggiungerlo. Collegalo alla rete Wi-Fi della sala (la stessa dei telefoni dei partecipanti) oppure al punto di accesso di un telefono o a un piccolo router portatile, poi aggiorna l'elenco."),
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-outline-primary", id: "ws-ph-refresh", onclick: () => run(() => ws.get(v.id), () => "Elenco degli indirizzi aggiornato.") }, "Aggiorna l'elenco")),
      firewallHint());
  }
  const select = h("select", { class: "form-select", id: "ws-ph-address" },
    p.addresses.map((a) => h("option", { value: a }, a)));
  return h("section", { class: "ws-phones", id: "ws-phones", "aria-labelledby": "ws-ph-title" },
    title, note,
    h("p", {}, "I partecipanti rispondono dal proprio telefono, collegati alla stessa rete Wi-Fi di questo computer: inquadrano il codice QR sul proiettore. Niente esce dalla sala e non si registrano nomi."),
    h("div", { class: "ws-ph-choose" },
      h("label", { for: "ws-ph-address" }, "Rete su cui ricevere i voti (indirizzo di questo computer)"),
      select),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary", id: "ws-ph-start", onclick: () => run(() => ws.phonesStart(v.id, select.value),
        (nv) => (nv.phone_vote.status ? `Voto dai telefoni avviato. Codice ${spacedCode(nv.phone_vote.status.code)}.` : "")) }, "Avvia il voto dai telefoni"),
      h("button", { type: "button", class: "btn btn-outline-primary", id: "ws-ph-refresh", onclick: () => run(() => ws.get(v.id), () => "Elenco degli indirizzi aggiornato.") }, "Aggiorna l'elenco")),
    rule,
    firewallHint());
}

function setupForm(home, errorBox) {
  const qs = home.questionnaires;
  const domainBox = h("div", { id: "ws-domains" });
  const showDomains = (qid) => {
    const q = qs.find((x) => x.id === qid);
    fill(domainBox, q ? q.domains.map((d) =>
      h("div", { class: "check" },
        h("input", { type: "checkbox", id: `ws-d-${d.id}`, name: "domain", value: d.id }),
        h("label", { for: `ws-d-${d.id}` }, `${d.title} (${plural(d.questions, "domanda", "domande")})`))) : null);
  };
  const radios = qs.map((q, i) => h("label", { class: "choice" },
    h("input", { type: "radio", name: "ws-q", id: `ws-q-${q.id}`, value: q.id, checked: i === 0,
      onchange: () => showDomains(q.id) }),
    h("span", {}, q.title)));
  const minutes = h("input", { class: "form-control", type: "number", id: "ws-minutes", min: "10", max: "480", value: "90", required: true });
  const room = h("input", { class: "form-control", type: "number", id: "ws-room", min: "1", max: "500", value: "30", required: true });
  const form = h("form", { id: "ws-setup", class: "ws-setup", novalidate: true },
    h("fieldset", {}, h("legend", { class: "h5" }, "Questionario"), radios),
    h("fieldset", {}, h("legend", { class: "h5" }, "Argomenti (facoltativo)"),
      h("p", { class: "muted", id: "ws-domains-help" }, "Se non ne scegli nessuno, la sessione li copre tutti."),
      domainBox),
    h("div", { class: "ws-numbers" },
      h("div", {}, h("label", { for: "ws-minutes" }, "Durata dell'incontro, in minuti"), minutes),
      h("div", {}, h("label", { for: "ws-room" }, "Partecipanti in aula"), room)),
    h("div", { class: "button-row" }, h("button", { type: "submit", class: "btn btn-primary", id: "ws-start" }, "Inizia la sessione")));
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    fill(errorBox);
    const checked = form.querySelector("input[name=ws-q]:checked");
    const domains = [...form.querySelectorAll("input[name=domain]:checked")].map((c) => c.value);
    const m = Number.parseInt(minutes.value, 10);
    const r = Number.parseInt(room.value, 10);
    if (!checked || !Number.isFinite(m) || !Number.isFinite(r)) {
      showError(errorBox, new Error("Scegli il questionario e indica durata e partecipanti."));
      return;
    }
    try {
      const id = await ws.create({ questionnaire: checked.value, domains, minutes: m, room_size: r });
      await go("presenter", { id });
    } catch (e) {
      showError(errorBox, e);
    }
  });
  if (qs.length) showDomains(qs[0].id);
  return form;
}

function sessionRow(row, errorBox) {
  const label = `sessione ${row.id}, ${row.title}`;
  const tr = h("tr", { "data-id": row.id });
  return fill(tr,
    h("th", { scope: "row" }, row.title),
    h("td", {}, `${int(row.answered)} di ${plural(row.questions, "domanda", "domande")}`),
    h("td", {}, `domanda ${int(row.current + 1)}`),
    h("td", {}, row.updated),
    h("td", {}, h("div", { class: "button-row row-actions" },
      h("button", { type: "button", class: "btn btn-primary btn-sm", "aria-label": `Riprendi: ${label}`, onclick: () => go("presenter", { id: row.id }) }, "Riprendi"),
      h("button", { type: "button", class: "btn btn-outline-danger btn-sm", "aria-label": `Elimina: ${label}`, onclick: async () => {
        const ok = await confirmDialog("Eliminare questa sessione?", "Si cancellano i conteggi raccolti in questa sessione di formazione. Le autovalutazioni non sono toccate.", "Elimina");
        if (!ok) return;
        try {
          await ws.remove(row.id);
          tr.remove();
          announce("Sessione eliminata.");
        } catch (e) {
          showError(errorBox, e);
        }
      } }, "Elimina"))));
}

register("workshop", async (main) => {
  const errorBox = h("div", {});
  const home = await ws.home();
  fill(main,
    h("h1", {}, "Modalità formazione"),
    h("p", { class: "lead-text" }, "Per chi conduce un incontro: le domande del questionario una alla volta sul proiettore, le risposte del gruppo contate per alzata di mano e mostrate solo quando lo decidi tu, e alla fine un resoconto in PDF per i partecipanti. Si contano solo i numeri, mai i nomi. Le sessioni restano separate dalle autovalutazioni."),
    errorBox,
    h("section", { "aria-labelledby": "ws-new-title" },
      h("h2", { id: "ws-new-title", class: "h4" }, "Nuova sessione"),
      setupForm(home, errorBox)),
    h("section", { "aria-labelledby": "ws-list-title" },
      h("h2", { id: "ws-list-title", class: "h4" }, "Sessioni salvate"),
      home.sessions.length === 0
        ? h("p", { id: "ws-empty" }, "Non c'è ancora nessuna sessione di formazione.")
        : h("table", { class: "table", id: "ws-sessions" },
            h("caption", { class: "visually-hidden" }, "Sessioni di formazione, dalla più recente"),
            h("thead", {}, h("tr", {},
              h("th", { scope: "col" }, "Questionario"),
              h("th", { scope: "col" }, "Risposte raccolte"),
              h("th", { scope: "col" }, "Dove eri rimasto"),
              h("th", { scope: "col" }, "Ultima modifica"),
              h("th", { scope: "col" }, h("span", { class: "visually-hidden" }, "Azioni")))),
            h("tbody", {}, home.sessions.map((r) => sessionRow(r, errorBox))))));
});

// ---- Presenter ----------------------------------------------------------

/** "01:05". */
function clock(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

let keyHandler = null;
let presenterKey = null;
let presenterUpdate = null;
let timer = null;

register("presenter", async (main, params) => {
  const id = params.id;
  let view = await ws.get(id);
  let shownAt = Date.now();
  let busy = false;
  const errorBox = h("div", { id: "ws-error" });
  const status = h("p", { id: "ws-status", class: "visually-hidden", "aria-live": "polite" });

  const savedBox = h("div", { id: "ws-saved", "aria-live": "polite" });
  async function saveFile(fn, what) {
    fill(errorBox);
    fill(savedBox, h("p", {}, "Preparazione del file…"));
    try {
      const r = await fn();
      fill(savedBox, r.path ? h("p", { class: "info-box" }, `${what} ${r.path}.`) : null);
    } catch (e) {
      fill(savedBox);
      showError(errorBox, e);
    }
  }
  const counts = () => [...main.querySelectorAll("input[data-option]")];
  const dirty = () => counts().some((i) => i.value !== i.dataset.saved);

  async function run(fn, message) {
    if (busy) return;
    busy = true;
    fill(errorBox);
    try {
      const before = view.number;
      view = await fn();
      if (view.number !== before) shownAt = Date.now();
      render();
      if (message) announce(message(view));
    } catch (e) {
      showError(errorBox, e);
    } finally {
      busy = false;
    }
  }

  async function saveCounts() {
    const values = counts().map((i) => (i.value.trim() === "" ? 0 : Number(i.value)));
    if (values.some((v) => !Number.isInteger(v))) {
      showError(errorBox, new Error("I conteggi devono essere numeri interi."));
      return false;
    }
    await run(() => ws.step(id, { step: "counts", question: view.question, counts: values, source: "hands" }),
      (v) => `Conteggi salvati: ${plural(v.answers, "risposta", "risposte")}.`);
    return !dirty();
  }

  async function move(step) {
    if (dirty() && !(await saveCounts())) return;
    await run(() => ws.step(id, { step }), (v) => `Domanda ${v.number} di ${v.total}.`);
  }
  async function reveal() {
    // Counts typed and not saved yet are saved first: the room sees them.
    if (dirty() && !(await saveCounts())) return;
    await run(() => ws.step(id, { step: "reveal", question: view.question, revealed: !view.revealed }),
      (v) => (v.revealed ? "Risultati mostrati in aula." : "Risultati nascosti."));
  }
  const blank = () => run(() => ws.blank(id, !view.blank),
    (v) => (v.blank ? "Proiettore oscurato." : "Proiettore di nuovo acceso."));

  function render() {
    const v = view;
    // The content is rebuilt: keep the keyboard where it was.
    const focusId = document.activeElement && document.activeElement.id;
    const inputs = v.options.map((o, i) => h("div", { class: "ws-count" },
      h("label", { for: `ws-c-${i}` }, o.label),
      h("input", { class: "form-control", type: "number", id: `ws-c-${i}`, min: "0", max: String(v.room_size), inputmode: "numeric",
        value: String(o.count), "data-option": String(i), "data-saved": String(o.count) })));
    const form = h("form", { id: "ws-counts", novalidate: true },
      h("fieldset", {}, h("legend", { class: "h5" }, "Quante persone hanno scelto ciascuna risposta"), inputs),
      h("div", { class: "button-row" }, h("button", { type: "submit", class: "btn btn-primary", id: "ws-save" }, "Salva i conteggi")));
    form.addEventListener("submit", (ev) => { ev.preventDefault(); saveCounts(); });
    const typical = v.typical
      ? h("p", { id: "ws-typical" }, "Risposta più frequente: ", h("strong", {}, v.typical))
      : h("p", { id: "ws-typical", class: "muted" }, "Ancora nessuna risposta contata.");
    fill(main,
      h("div", { class: "ws-top" },
        h("h1", { class: "h3" }, `Domanda ${v.number} di ${v.total}`),
        h("p", { class: "muted" }, `${v.title} · ${v.domain}`)),
      errorBox, status,
      h("div", { class: "ws-presenter" },
        h("section", { class: "ws-main", "aria-labelledby": "ws-q" },
          h("h2", { id: "ws-q", class: "h4 ws-question" }, v.text),
          form,
          h("p", { id: "ws-answers" }, `${plural(v.answers, "risposta", "risposte")} su ${plural(v.room_size, "partecipante", "partecipanti")}${v.phones ? " (dai telefoni)" : ""}`),
          typical,
          v.phone_vote.status
            ? h("p", { id: "ws-ph-live", class: "ws-ph-live" }, `Voto dai telefoni: ${phonesVoted(v.phone_vote.status.voted).toLowerCase()}.`)
            : null,
          h("div", { class: "button-row ws-controls" },
            h("button", { type: "button", class: "btn btn-outline-primary", id: "ws-prev", disabled: v.number === 1, onclick: () => move("previous") }, "Precedente (Pag ↑)"),
            h("button", { type: "button", class: "btn btn-primary", id: "ws-next", disabled: v.number === v.total, onclick: () => move("next") }, "Successiva (Pag ↓)"),
            h("button", { type: "button", class: "btn btn-outline-primary", id: "ws-reveal", "aria-pressed": String(v.revealed), onclick: reveal },
              v.revealed ? "Nascondi i risultati (R)" : "Mostra i risultati (R)"),
            h("button", { type: "button", class: "btn btn-outline-primary", id: "ws-blank", "aria-pressed": String(v.blank), onclick: blank },
              v.blank ? "Riaccendi il proiettore (B)" : "Schermo nero (B)")),
          phonePanel(v, run)),
        h("aside", { class: "ws-side", "aria-label": "Per chi conduce" },
          h("p", { class: "ws-timer" }, "Tempo su questa domanda: ", h("strong", { id: "ws-clock" }, "00:00"), ` di circa ${clock(v.seconds_per_question)}`),
          h("h2", { class: "h5" }, "Perché conta"),
          h("p", { id: "ws-help" }, v.help),
          h("h2", { class: "h5" }, "Nota per chi conduce"),
          h("p", { id: "ws-note" }, v.note || "Nessuna nota per questa domanda."),
          h("h2", { class: "h5" }, "Comuni di esempio"),
          h("ul", { id: "ws-examples", class: "ws-examples" }, v.examples.map((e) =>
            h("li", {}, h("strong", {}, `${e.name} (${e.profile}): `), e.answer))),
          h("h2", { class: "h5" }, "Poi"),
          h("p", { id: "ws-next-text" }, v.next || "È l'ultima domanda: chiudi con il resoconto."),
          h("p", { class: "muted" }, `${plural(v.answered, "domanda", "domande")} con risposte su ${v.total}.`))),
      h("form", { id: "ws-room-form", class: "ws-room", novalidate: true, onsubmit: (ev) => {
        ev.preventDefault();
        const n = Number(document.getElementById("ws-room").value);
        if (!Number.isInteger(n)) { showError(errorBox, new Error("Il numero di partecipanti deve essere un numero intero.")); return; }
        run(() => ws.step(id, { step: "room_size", size: n }), (nv) => `Partecipanti in aula: ${nv.room_size}.`);
      } },
        h("label", { for: "ws-room" }, "Partecipanti in aula"),
        h("input", { class: "form-control", type: "number", id: "ws-room", min: "1", max: "500", value: String(v.room_size) }),
        h("button", { type: "submit", class: "btn btn-outline-primary", id: "ws-room-save" }, "Aggiorna")),
      savedBox,
      h("div", { class: "button-row ws-bottom" },
        h("button", { type: "button", class: "btn btn-primary", id: "ws-debrief", onclick: () => saveFile(() => ws.debriefPdf(id), "Resoconto salvato in") }, "Salva il resoconto in PDF"),
        h("button", { type: "button", class: "btn btn-outline-primary", id: "ws-export", onclick: () => saveFile(() => ws.exportFile(id), "Sessione salvata in") }, "Salva la sessione in un file"),
        h("button", { type: "button", class: "btn btn-outline-primary", id: "ws-projector", onclick: () => run(() => ws.projector(id), () => "Finestra del proiettore aperta.") },
          v.projector_open ? "Porta avanti il proiettore" : "Apri la finestra del proiettore"),
        h("button", { type: "button", class: "btn btn-outline-primary", id: "ws-swap", disabled: !v.projector_open, onclick: async () => {
          try { await ws.swap(); } catch (e) { showError(errorBox, e); }
        } }, "Scambia le finestre"),
        h("button", { type: "button", class: "btn btn-outline-danger", id: "ws-reset", onclick: async () => {
          const ok = await confirmDialog("Azzerare i conteggi?", "Tutti i conteggi di questa sessione tornano a zero e i risultati vengono nascosti, per ricominciare con un altro gruppo.", "Azzera");
          if (ok) run(() => ws.step(id, { step: "reset" }), () => "Conteggi azzerati.");
        } }, "Azzera i conteggi"),
        h("button", { type: "button", class: "btn btn-outline-primary", id: "ws-back", onclick: () => go("workshop") }, "Torna alle sessioni")));
    const again = focusId && document.getElementById(focusId);
    if (again && !again.disabled) again.focus({ preventScroll: true });
    tick();
  }

  function tick() {
    const el = document.getElementById("ws-clock");
    if (el) el.textContent = clock((Date.now() - shownAt) / 1000);
  }

  // Leaving the presenter closes the session: phone voting stops.
  onLeave(() => { ws.phonesStop(id).catch(() => {}); });

  // A view pushed by Rust: shown unless counts are being typed here.
  presenterUpdate = (v) => {
    const screen = currentScreen();
    if (!screen || screen.name !== "presenter" || screen.params !== params) return;
    if (v.id !== id || busy || dirty()) return;
    if (v.number !== view.number) shownAt = Date.now();
    view = v;
    render();
  };

  // The presentation keys: Page Down / Page Up, B (blank), R (reveal).
  // Returns whether the key was one of them.
  presenterKey = (key, typing) => {
    const screen = currentScreen();
    if (!screen || screen.name !== "presenter" || screen.params !== params) return false;
    if (document.querySelector("dialog[open]")) return false;
    if (key === "PageDown") move("next");
    else if (key === "PageUp") move("previous");
    else if (!typing && (key === "b" || key === "B")) blank();
    else if (!typing && (key === "r" || key === "R")) reveal();
    else return false;
    return true;
  };
  if (!keyHandler) {
    keyHandler = (ev) => {
      if (ev.ctrlKey || ev.altKey || ev.metaKey) return;
      const typing = ev.target instanceof HTMLInputElement || ev.target instanceof HTMLTextAreaElement;
      if (presenterKey && presenterKey(ev.key, typing)) ev.preventDefault();
    };
    document.addEventListener("keydown", keyHandler);
    // Keys pressed while the projector window is in front.
    const t = window.__TAURI__;
    if (t && t.event) {
      t.event.listen("workshop-key", (e) => {
        if (presenterKey && e.payload && typeof e.payload.key === "string") presenterKey(e.payload.key, false);
      }).catch(() => {});
      // Counts that arrive from elsewhere (phones).
      t.event.listen("workshop-presenter", (e) => {
        if (presenterUpdate && e.payload) presenterUpdate(e.payload);
      }).catch(() => {});
    }
  }
  if (timer) clearInterval(timer);
  timer = setInterval(() => {
    const screen = currentScreen();
    if (!screen || screen.name !== "presenter") { clearInterval(timer); timer = null; return; }
    tick();
  }, 1000);
  render();
});
