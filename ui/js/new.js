// New assessment: questionnaire, comune (ISTAT type-ahead), office name for
// Polis, role of the person answering.

import { api } from "./api.js";
import { app, register, go, showError, saveFile } from "./app.js";
import { h, fill, int } from "./dom.js";

const ROLES = {
  comune: [
    "Segretario comunale",
    "Responsabile per la transizione digitale",
    "Responsabile di un ufficio",
    "Sindaco o assessore",
    "Impiegato comunale",
  ],
  polis_office: [
    "Direttore dell'ufficio postale",
    "Operatore di sportello",
  ],
};

/** The comune type-ahead: an ARIA 1.2 combobox with a listbox popup. */
function comuneCombo(onChoose) {
  const input = h("input", {
    type: "text", id: "comune", role: "combobox", autocomplete: "off",
    "aria-autocomplete": "list", "aria-expanded": "false", "aria-controls": "comune-list",
    "aria-describedby": "comune-hint",
  });
  const list = h("ul", { id: "comune-list", role: "listbox", class: "combo-list", "aria-label": "Comuni trovati", hidden: true });
  const status = h("p", { class: "visually-hidden", "aria-live": "polite", id: "comune-count" });
  let items = [];
  let active = -1;
  let seq = 0;

  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const highlight = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute("aria-selected", j === i ? "true" : "false"));
    if (i >= 0) {
      input.setAttribute("aria-activedescendant", `comune-opt-${i}`);
      list.children[i].scrollIntoView({ block: "nearest" });
    } else {
      input.removeAttribute("aria-activedescendant");
    }
  };
  const choose = (i) => {
    const c = items[i];
    if (!c) return;
    input.value = `${c.name} (${c.province})`;
    close();
    onChoose(c);
  };
  const search = async () => {
    const q = input.value;
    const mine = ++seq;
    onChoose(null);
    if (q.trim().length < 2) {
      items = [];
      list.replaceChildren();
      close();
      return;
    }
    let found = [];
    try {
      found = await api.searchComuni(q);
    } catch (e) {
      found = [];
    }
    if (mine !== seq) return; // a newer query is on its way
    items = found;
    fill(list, found.map((c, i) =>
      h("li", { id: `comune-opt-${i}`, role: "option", "aria-selected": "false",
        onmousedown: (ev) => { ev.preventDefault(); choose(i); } },
        `${c.name} (${c.province}) – ${c.region}`)));
    status.textContent = found.length === 0 ? "Nessun comune trovato." : `${found.length} comuni trovati: usa le frecce per sceglierne uno.`;
    if (found.length) {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
      highlight(-1);
    } else {
      close();
    }
  };
  input.addEventListener("input", search);
  input.addEventListener("keydown", (ev) => {
    const open = !list.hidden && items.length > 0;
    if (ev.key === "ArrowDown" && open) {
      ev.preventDefault();
      highlight(Math.min(active + 1, items.length - 1));
    } else if (ev.key === "ArrowUp" && open) {
      ev.preventDefault();
      highlight(Math.max(active - 1, 0));
    } else if (ev.key === "Enter" && open) {
      ev.preventDefault();
      choose(active >= 0 ? active : 0);
    } else if (ev.key === "Escape" && open) {
      ev.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
  return h("div", { class: "combo" }, input, list, status);
}

register("new", async (main) => {
  const qs = (app.info && app.info.questionnaires) || [];
  const state = { questionnaire: qs[0] ? qs[0].id : null, comune: null };
  const errorBox = h("div", { id: "form-errors" });
  const chosen = h("div", { id: "comune-chosen", "aria-live": "polite" });
  const officeField = h("div", { class: "field", id: "office-field", hidden: true },
    h("label", { for: "office" }, "Nome dell'ufficio postale"),
    h("p", { class: "hint", id: "office-hint" }, "Come deve comparire nel piano, per esempio «Ufficio postale di Proceno»."),
    h("input", { type: "text", id: "office", maxlength: "120", "aria-describedby": "office-hint" }));
  const roleBox = h("div", { id: "role-box" });
  const roleOther = h("div", { class: "field", id: "role-other-field", hidden: true },
    h("label", { for: "role-other" }, "Scrivi il tuo ruolo"),
    h("input", { type: "text", id: "role-other", maxlength: "120" }));
  const roleValue = () => {
    const r = document.querySelector("input[name=role]:checked");
    if (!r) return "";
    return r.value === "__other" ? document.getElementById("role-other").value : r.value;
  };

  const audienceOf = () => (qs.find((q) => q.id === state.questionnaire) || {}).audience || "comune";
  const refreshRoles = () => {
    const roles = (ROLES[audienceOf()] || []).map((r) => ({ id: r, label: r }));
    roles.push({ id: "__other", label: "Altro (lo scrivo io)" });
    fill(roleBox, h("fieldset", {},
      h("legend", {}, "Il tuo ruolo"),
      h("div", { class: "choices" }, roles.map((r) =>
        h("label", { class: "choice" },
          h("input", { type: "radio", name: "role", value: r.id, onchange: () => {
            roleBox.querySelectorAll(".choice").forEach((c) => c.classList.toggle("checked", c.querySelector("input").checked));
            roleOther.hidden = r.id !== "__other";
          } }),
          h("span", {}, r.label))))));
    roleOther.hidden = true;
    officeField.hidden = audienceOf() !== "polis_office";
  };

  const onChoose = (c) => {
    state.comune = c;
    if (!c) {
      chosen.replaceChildren();
      return;
    }
    fill(chosen, h("p", { class: "chosen" },
      h("strong", {}, c.name), ` – provincia di ${c.province_name} (${c.province}), ${c.region}. `,
      `Codice ISTAT ${c.istat_code}, ${int(c.population)} abitanti.`));
    const office = document.getElementById("office");
    if (office && !office.value.trim()) office.value = `Ufficio postale di ${c.name}`;
  };

  const questionnaireChoice = h("fieldset", {},
    h("legend", {}, "Quale questionario?"),
    h("div", { class: "choices" }, qs.map((q, i) =>
      h("label", { class: "choice" + (i === 0 ? " checked" : "") },
        h("input", { type: "radio", name: "questionnaire", value: q.id, checked: i === 0,
          onchange: (ev) => {
            state.questionnaire = q.id;
            document.querySelectorAll("input[name=questionnaire]").forEach((r) => r.closest(".choice").classList.toggle("checked", r.checked));
            refreshRoles();
            ev.target.focus();
          } }),
        h("span", {}, h("strong", {}, q.audience_label), ` – ${q.title}. ${q.questions} domande in ${q.domains} argomenti.`)))));

  const submit = async (ev) => {
    ev.preventDefault();
    errorBox.replaceChildren();
    const role = roleValue();
    const roleChecked = document.querySelector("input[name=role]:checked");
    const problems = [];
    if (!state.comune) problems.push(["comune", "Scegli il comune dall'elenco: scrivi le prime lettere e seleziona una voce."]);
    if (!role.trim()) problems.push([roleChecked ? "role-other" : "role-first", "Indica il tuo ruolo."]);
    const officeName = audienceOf() === "polis_office" ? document.getElementById("office").value : null;
    if (officeName !== null && !officeName.trim()) problems.push(["office", "Scrivi il nome dell'ufficio postale."]);
    if (problems.length) {
      fill(errorBox, h("div", { class: "alert-box", role: "alert" },
        h("p", {}, "Mancano alcune informazioni:"),
        h("ul", {}, problems.map(([, m]) => h("li", {}, m)))));
      const first = problems[0][0] === "role-first"
        ? document.querySelector("input[name=role]")
        : document.getElementById(problems[0][0]);
      if (first) first.focus();
      return;
    }
    try {
      const id = await api.create({
        questionnaire_id: state.questionnaire,
        istat_code: state.comune.istat_code,
        office_name: officeName,
        assessor_role: role,
      });
      await go("questionnaire", { id });
    } catch (e) {
      showError(errorBox, e);
    }
  };

  // Before starting: the questions on paper, and the letter for the
  // supplier, so answers can be gathered from the offices first.
  const paperBox = h("div", { id: "paper-status", "aria-live": "polite" });
  const paper = h("section", { class: "paper-box", "aria-labelledby": "paper-title" },
    h("h2", { id: "paper-title", class: "h5" }, "Preferisci raccogliere prima le risposte su carta?"),
    h("p", {}, "Puoi stampare tutte le domande del questionario scelto, con le caselle da segnare, e la lettera con le domande per chi gestisce i vostri computer. Quando avrai le risposte, torna qui e riportale."),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-outline-primary", id: "blank-form",
        onclick: (ev) => saveFile(ev, paperBox, "Preparazione del questionario…",
          () => api.blankForm(state.questionnaire),
          () => "Questionario salvato: stampalo e fai segnare una risposta per domanda.") },
        "Salva il questionario da stampare (PDF)")),
    paperBox);

  fill(main,
    h("h1", {}, "Nuova autovalutazione"),
    h("p", { class: "lead-text" }, "Tre scelte e si comincia. Potrai interrompere quando vuoi: ogni risposta viene salvata subito."),
    errorBox,
    h("form", { id: "new-form", novalidate: true, onsubmit: submit },
      questionnaireChoice,
      h("div", { class: "field" },
        h("label", { for: "comune" }, "Comune"),
        h("p", { class: "hint", id: "comune-hint" }, "Scrivi le prime lettere del nome (o il codice ISTAT) e scegli dall'elenco con le frecce e Invio."),
        comuneCombo(onChoose),
        chosen),
      officeField,
      roleBox,
      roleOther,
      h("div", { class: "button-row" },
        h("button", { type: "submit", class: "btn btn-primary", id: "create" }, "Crea e continua"),
        h("button", { type: "button", class: "btn btn-outline-primary", onclick: () => go("home") }, "Annulla"))),
    paper);
  refreshRoles();
});
