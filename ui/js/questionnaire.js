// The questionnaire: first the context questions, then one question at a
// time, domain by domain. Every change is saved at once; "Salvato" appears
// only when Rust has returned from the committed save.

import { api } from "./api.js";
import { register, go, confirmDialog, progressBar, announce } from "./app.js";
import { h, fill, int, plural } from "./dom.js";

const CONTEXT = "__context";

/** Saves run one after the other, in the order they were made. */
let queue = Promise.resolve();
function enqueue(task) {
  const run = queue.then(task, task);
  queue = run.catch(() => {});
  return run;
}

/** Timings of the last save, read by the bench script. */
window.__sentinellaSaves = window.__sentinellaSaves || [];

function steps(view) {
  const out = [{ kind: "context", id: CONTEXT }];
  view.domains.forEach((d, di) => d.questions.forEach((q, qi) => {
    if (q.applies) out.push({ kind: "question", id: q.id, domain: d, di, question: q, qi });
  }));
  return out;
}

/** "Mancano circa 35 minuti.": a minute a question, rounded up to 5. */
export function timeLeft(missing) {
  if (missing <= 0) return "Hai risposto a tutto.";
  const minutes = Math.ceil(missing / 5) * 5;
  return minutes <= 5 ? "Mancano pochi minuti." : `Mancano circa ${int(minutes)} minuti.`;
}

function domainCounts(d) {
  const qs = d.questions.filter((q) => q.applies);
  return { answered: qs.filter((q) => q.answer).length, total: qs.length };
}

function saveStatus() {
  return h("p", { class: "save-status", id: "save-status", role: "status", "aria-live": "polite" });
}

/** Run a save and report it in the status line. */
async function save(statusEl, task) {
  const started = performance.now();
  statusEl.className = "save-status saving";
  statusEl.textContent = "Salvataggio in corso…";
  try {
    const r = await enqueue(task);
    statusEl.className = "save-status";
    statusEl.textContent = `Salvato alle ${r.saved_at}`;
    window.__sentinellaSaves.push({ started, saved: performance.now() });
    return r;
  } catch (e) {
    statusEl.className = "save-status failed";
    statusEl.textContent = `Non salvato: ${e.message}`;
    throw e;
  }
}

function radioGroup(name, options, checked, onPick) {
  return h("div", { class: "choices" }, options.map((o) => {
    const input = h("input", { type: "radio", name, value: o.id, checked: o.id === checked });
    input.addEventListener("change", () => {
      input.closest(".choices").querySelectorAll(".choice").forEach((c) => c.classList.toggle("checked", c.querySelector("input").checked));
      onPick(o.id);
    });
    return h("label", { class: "choice" + (o.id === checked ? " checked" : "") + (o.kind ? " special" : "") },
      input, h("span", {}, o.label));
  }));
}

register("questionnaire", async (main, params) => {
  let view = await api.get(params.id);
  if (view.header.status === "completed") {
    await go("results", { id: params.id });
    return;
  }
  const id = view.header.id;
  let all = steps(view);
  let start = params.step || view.last_position || CONTEXT;
  if (view.context.some((c) => c.id === start)) start = CONTEXT;
  let index = Math.max(0, all.findIndex((s) => s.id === start));
  if (all.findIndex((s) => s.id === start) < 0) {
    // A question now out of scope: go to the first one still open.
    index = Math.max(0, all.findIndex((s) => s.kind === "question" && !s.question.answer));
  }

  const nav = h("nav", { class: "q-nav", "aria-label": "Argomenti del questionario" });
  const body = h("div", { class: "q-body" });
  const overall = h("div", { id: "overall-progress" });

  // One progress for the whole questionnaire, the questions about the
  // organisation included, with the time left (docs/app.md: about a minute
  // a question, rounded up to five minutes).
  const refreshOverall = () => {
    const ctxDone = view.context.filter((c) => c.answer).length;
    const answered = view.progress.answered + ctxDone;
    const total = view.progress.total + view.context.length;
    fill(overall, progressBar(
      `${plural(answered, "risposta data", "risposte date")} su ${int(total)}. ${timeLeft(total - answered)}`,
      answered, total));
  };

  const renderNav = () => {
    const cur = all[index];
    const ctxDone = view.context.filter((c) => c.answer).length;
    fill(nav, h("h2", { class: "h3" }, "Argomenti"), h("ol", {},
      h("li", { class: ctxDone === view.context.length ? "done" : "" },
        h("button", { type: "button", "aria-current": cur.kind === "context" ? "step" : null,
          onclick: () => show(0, true) },
          h("span", {}, "Informazioni sull'ente"),
          h("span", { class: "count" }, `${ctxDone} di ${view.context.length}`))),
      view.domains.map((d, di) => {
        const c = domainCounts(d);
        const first = all.findIndex((s) => s.kind === "question" && s.di === di);
        if (first < 0) return null;
        return h("li", { class: c.answered === c.total ? "done" : "" },
          h("button", { type: "button", "aria-current": cur.kind === "question" && cur.di === di ? "step" : null,
            onclick: () => {
              const open = all.findIndex((s) => s.kind === "question" && s.di === di && !s.question.answer);
              show(open >= 0 ? open : first, true);
            } },
            h("span", {}, d.title),
            h("span", { class: "count" }, `${c.answered} di ${c.total}`)));
      })),
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-outline-primary", id: "finish", onclick: finish }, "Concludi e vedi i risultati")));
  };

  const finish = async () => {
    const missing = view.progress.total - view.progress.answered;
    const unknown = all.filter((st) => st.kind === "question" && st.question.answer &&
      st.question.options.some((o) => o.id === st.question.answer.option && o.kind === "unknown")).length;
    const parts = [];
    if (missing > 0) parts.push(`${missing === 1 ? "Resta" : "Restano"} ${plural(missing, "domanda", "domande")} senza risposta: nel punteggio ${missing === 1 ? "conta" : "contano"} zero.`);
    else parts.push("Hai risposto a tutte le domande.");
    if (unknown > 0) parts.push(`${unknown === 1 ? "Una risposta è" : `${int(unknown)} risposte sono`} «Non so»: nel punteggio ${unknown === 1 ? "vale" : "valgono"} zero e, se ${unknown === 1 ? "riguarda" : "riguardano"} una misura obbligatoria, la ${unknown === 1 ? "conta" : "contano"} come non soddisfatta. Nel piano ${unknown === 1 ? "diventa una domanda" : "diventano domande"} da fare ${view.header.unknown_addressee}.`);
    parts.push("Concludendo vedrai il punteggio e potrai generare il piano; le risposte restano salvate e potrai sempre riaprire l'autovalutazione per cambiarle.");
    const text = parts.join(" ");
    const ok = await confirmDialog("Concludere l'autovalutazione?", text, "Concludi");
    if (!ok) return;
    await enqueue(() => api.complete(id));
    await go("results", { id });
  };

  const reload = async () => {
    view = await api.get(id);
    const curId = all[index].id;
    all = steps(view);
    index = Math.max(0, all.findIndex((s) => s.id === curId));
  };

  const showContext = () => {
    const status = saveStatus();
    fill(body,
      h("h2", { class: "q-text", id: "step-title", tabindex: "-1", "data-autofocus": true }, "Informazioni sull'ente"),
      h("p", { class: "lead-text" }, "Queste risposte non danno punti: servono a mostrarti solo le domande che ti riguardano e a capire chi deve fare cosa."),
      view.context.map((c) => h("fieldset", { class: "mb-4", "data-question": c.id },
        h("legend", {}, c.text),
        h("p", { class: "hint" }, c.help),
        radioGroup(`ctx-${c.id}`, c.options, c.answer, async (opt) => {
          c.answer = opt;
          try {
            await save(status, () => api.saveContext(id, c.id, opt));
            renderNav();
            refreshOverall();
          } catch (e) { /* shown in the status line */ }
        }))),
      status,
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-primary", id: "next", onclick: async () => {
          await queue;
          await reload();
          show(1, true);
        } }, "Inizia le domande")));
  };

  const showQuestion = (st) => {
    const q = st.question;
    const d = st.domain;
    const status = saveStatus();
    const note = h("textarea", { id: "note", rows: "3", maxlength: "4000", "aria-describedby": "note-hint" });
    note.value = (q.answer && q.answer.note) || "";
    const noteHint = h("p", { class: "hint", id: "note-hint" }, "Per esempio chi hai sentito o cosa devi verificare. Resta su questo computer.");
    const saveNote = async () => {
      const text = note.value;
      if (!q.answer) {
        noteHint.textContent = "Scegli prima una risposta: la nota si salva insieme alla risposta.";
        return;
      }
      if ((q.answer.note || "") === text) return;
      try {
        const r = await save(status, () => api.saveAnswer(id, q.id, q.answer.option, text));
        q.answer.note = text;
        return r;
      } catch (e) { /* shown */ }
    };
    let timer = null;
    note.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(saveNote, 700);
    });
    note.addEventListener("change", () => { clearTimeout(timer); saveNote(); });

    const isLast = index === all.length - 1;
    // «Non so» on a gated question: said at once, calmly, with what follows.
    const gateNote = h("p", { class: "gate-note", id: "gate-note", role: "status", hidden: true });
    const showGateNote = (opt) => {
      const picked = q.options.find((o) => o.id === opt);
      const unknown = picked && picked.kind === "unknown";
      gateNote.hidden = !(unknown && q.gate);
      gateNote.textContent = !q.gate ? "" : q.gate === "minimum"
        ? "Va bene rispondere «Non so». Questa è una misura minima che AgID chiede a ogni ente pubblico: finché non si sa se c'è, conta come non rispettata e limita il livello. Nel piano diventa una domanda da fare a chi gestisce i computer."
        : "Va bene rispondere «Non so». Questa è una delle misure essenziali: finché non si sa se c'è, conta come non rispettata e limita il livello. Nel piano diventa una domanda da fare a chi gestisce i computer.";
    };
    showGateNote(q.answer && q.answer.option);
    fill(body,
      h("p", { class: "q-domain", id: "domain-name" }, `Argomento: ${d.title}`),
      h("div", { class: "q-grid" },
        h("fieldset", { "data-question": q.id, "aria-describedby": "why-text" },
          h("legend", { class: "q-text", id: "step-title", tabindex: "-1", "data-autofocus": true }, q.text),
          radioGroup(`q-${q.id}`, q.options, q.answer && q.answer.option, async (opt) => {
            showGateNote(opt);
            const text = note.value;
            try {
              await save(status, () => api.saveAnswer(id, q.id, opt, text));
              q.answer = { option: opt, note: text };
              noteHint.textContent = "Per esempio chi hai sentito o cosa devi verificare. Resta su questo computer.";
              view.progress.answered = all.filter((s) => s.kind === "question" && s.question.answer).length;
              refreshOverall();
              renderNav();
            } catch (e) { /* shown */ }
          })),
        h("div", { class: "q-side" },
          h("div", { class: "why" }, h("h3", {}, "Perché conta"), h("p", { id: "why-text" }, q.help)),
          h("div", { class: "field" },
            h("label", { for: "note" }, "Nota (facoltativa)"),
            noteHint,
            note)),
        h("div", { class: "q-controls" },
      gateNote,
      h("div", { class: "button-row" },
        h("button", { type: "button", class: "btn btn-outline-primary", id: "prev", onclick: async () => { await saveNote(); show(index - 1, true); } }, "← Indietro"),
        isLast
          ? h("button", { type: "button", class: "btn btn-primary", id: "next", onclick: async () => { await saveNote(); await finish(); } }, "Concludi e vedi i risultati")
          : h("button", { type: "button", class: "btn btn-primary", id: "next", onclick: async () => { await saveNote(); show(index + 1, true); } }, "Avanti →"),
        h("span", { class: "spacer" }),
        h("button", { type: "button", class: "btn btn-outline-secondary", id: "leave", onclick: async () => { await saveNote(); await queue; go("home"); } }, "Esci: riprenderai da qui")),
      status)));
  };

  const show = (i, focus) => {
    index = Math.max(0, Math.min(i, all.length - 1));
    const st = all[index];
    if (st.kind === "context") showContext(); else showQuestion(st);
    renderNav();
    refreshOverall();
    enqueue(() => api.setPosition(id, st.kind === "context" ? view.context[0].id : st.id)).catch(() => {});
    if (focus) {
      // Start each question from the top of the screen, focus on it.
      window.scrollTo(0, 0);
      const target = body.querySelector("#step-title");
      if (target) target.focus({ preventScroll: true });
      announce(st.kind === "context" ? "Informazioni sull'ente" : st.question.text);
    }
  };

  fill(main,
    h("h1", { class: "h-compact" }, view.header.organization),
    h("p", { class: "muted q-meta" }, `${view.header.questionnaire_title} · iniziata il ${view.header.assessed_on.split("-").reverse().join("/")}${view.header.assessor_role ? " · ruolo: " + view.header.assessor_role : ""}`),
    h("div", { class: "q-layout" }, h("div", {}, overall, nav), body));
  show(index, false);
});
