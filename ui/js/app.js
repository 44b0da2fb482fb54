// Shared by the screens: navigation, announcements, confirmation, errors.

import { h, fill } from "./dom.js";
import { api } from "./api.js";

const screens = {};
let current = null;
/** Info from Rust (questionnaires, data folder...), set at start. */
export const app = { info: null };

export function register(name, render) {
  screens[name] = render;
}

let leaving = [];

/** Run `fn` once, when the screen on show is left for another one. */
export function onLeave(fn) {
  leaving.push(fn);
}

/** Show a screen. `params` go to its render function. */
export async function go(name, params = {}) {
  const main = document.getElementById("main");
  const left = leaving;
  leaving = [];
  for (const fn of left) {
    try { fn(); } catch (e) { console.error(e); }
  }
  current = { name, params };
  document.body.dataset.screen = "";
  try {
    await screens[name](main, params);
  } catch (e) {
    showFatal(main, e);
  }
  // A screen may have moved on to another one (a completed questionnaire
  // opens its results): only the last one marks the page.
  if (current.name !== name || current.params !== params) return;
  document.body.dataset.screen = name;
  // The header says where we are: the guide, the incident section or the
  // assessments. The coordinators' area has no header button (a secretary
  // has no business there): it is reached from the bottom of the home screen.
  const section = name === "help" ? "nav-help"
    : name.startsWith("incident") || name === "contacts" ? "nav-incident"
    : name === "coord" ? null : "nav-home";
  for (const id of ["nav-home", "nav-help", "nav-incident"]) {
    const b = document.getElementById(id);
    if (!b) continue;
    if (id === section) b.setAttribute("aria-current", "page");
    else b.removeAttribute("aria-current");
  }
  // Move focus to the screen title, so keyboard and screen-reader users start
  // from the top of the new screen.
  // A screen may name a better starting point (the current question).
  const title = main.querySelector("h1");
  const start = main.querySelector("[data-autofocus]") || title;
  if (title) {
    document.title = `${title.textContent} – Sentinella`;
    announce(title.textContent);
  }
  if (start) {
    start.setAttribute("tabindex", "-1");
    start.focus({ preventScroll: true });
  }
  window.scrollTo(0, 0);
}

export function currentScreen() {
  return current;
}

/** Say something to screen readers (polite). */
export function announce(text) {
  const a = document.getElementById("announcer");
  a.textContent = "";
  setTimeout(() => { a.textContent = text; }, 50);
}

function showFatal(main, e) {
  fill(main,
    h("h1", {}, "Qualcosa non ha funzionato"),
    h("div", { class: "alert-box", role: "alert" }, h("p", {}, e.message || String(e))),
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-primary", onclick: () => go("home") }, "Torna all'elenco")));
}

/** An inline error box (role=alert) inside `box`. */
export function showError(box, e) {
  fill(box, h("div", { class: "alert-box", role: "alert" }, h("p", {}, e.message || String(e))));
}

/**
 * Save a file through one of the app's commands (the dialog and the write
 * happen in Rust): the clicked button is disabled meanwhile, `box` says
 * `waiting`, then where the file went (`saved(res)`: the sentence), that the
 * dialog was closed, or the error. Resolves to the command's answer, or
 * null on error.
 */
export async function saveFile(ev, box, waiting, save, saved) {
  const btn = ev.currentTarget;
  btn.disabled = true;
  fill(box, h("p", { class: "muted" }, waiting));
  try {
    const res = await save();
    fill(box, res.path
      ? h("div", { class: "info-box saved-box" },
          h("p", {}, saved(res)),
          savedWhere(res.path),
          openButtons(res.path))
      : h("p", {}, "Salvataggio annullato."));
    return res;
  } catch (e) {
    showError(box, e);
    return null;
  } finally {
    btn.disabled = false;
    btn.focus();
  }
}

/** "Nome del file: … / Cartella: …", so the file can be found again. */
function savedWhere(path) {
  const cut = Math.max(path.lastIndexOf("/"), path.lastIndexOf("\\"));
  const name = cut >= 0 ? path.slice(cut + 1) : path;
  const dir = cut > 0 ? path.slice(0, cut) : "";
  return h("p", { class: "saved-where" },
    "Nome del file: ", h("strong", {}, name),
    dir ? [h("br"), "Cartella: ", dir] : null);
}

/** "Apri il file" and "Mostra nella cartella" for a file just saved. */
function openButtons(path) {
  const note = h("p", { class: "muted open-status", "aria-live": "polite" });
  const run = async (action) => {
    note.textContent = "";
    try {
      await api.openSaved(path, action);
    } catch (e) {
      note.textContent = e.message || String(e);
    }
  };
  return [
    h("div", { class: "button-row" },
      h("button", { type: "button", class: "btn btn-outline-primary btn-sm open-saved", onclick: () => run("open") }, "Apri il file"),
      h("button", { type: "button", class: "btn btn-outline-primary btn-sm reveal-saved", onclick: () => run("reveal") }, "Mostra nella cartella")),
    note,
  ];
}

/** Ask for confirmation in a modal dialog; resolves true or false. */
export function confirmDialog(title, text, yesLabel) {
  const dlg = document.getElementById("confirm");
  document.getElementById("confirm-title").textContent = title;
  document.getElementById("confirm-text").textContent = text;
  const yes = document.getElementById("confirm-yes");
  const no = document.getElementById("confirm-no");
  yes.textContent = yesLabel;
  const opener = document.activeElement;
  return new Promise((resolve) => {
    const done = (v) => {
      yes.onclick = no.onclick = null;
      dlg.onclose = null;
      if (dlg.open) dlg.close();
      if (opener && opener.isConnected) opener.focus();
      resolve(v);
    };
    yes.onclick = () => done(true);
    no.onclick = () => done(false);
    dlg.onclose = () => done(false);
    dlg.showModal();
    no.focus();
  });
}

/** A progress bar with its text label (the bar itself is decorative). */
export function progressBar(label, answered, total) {
  const pct = total > 0 ? Math.round((100 * answered) / total) : 0;
  const fillDiv = h("div", {});
  fillDiv.style.width = `${pct}%`;
  return h("div", { class: "progress-wrap" },
    h("p", { class: "progress-label" }, label),
    h("div", { class: "bar", "aria-hidden": "true" }, fillDiv));
}
