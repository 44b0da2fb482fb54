// Start: load the app info, then show the home screen.

import { api } from "./api.js";
import { app, go } from "./app.js";
import "./home.js";
import "./new.js";
import "./questionnaire.js";
import "./results.js";
import "./history.js";
import "./coord.js";
import "./help.js";
import "./incident.js";
import "./packs.js";
import "./workshop.js";

async function start() {
  document.getElementById("nav-home").addEventListener("click", () => go("home"));
  document.getElementById("nav-help").addEventListener("click", () => go("help"));
  document.getElementById("nav-incident").addEventListener("click", () => go("incident"));
  try {
    app.info = await api.appInfo();
    document.getElementById("footer-data").textContent =
      `I dati restano su questo computer, nella cartella ${app.info.data_dir}. Sentinella ${app.info.version}.`;
    document.getElementById("footer-istat").textContent = app.info.comuni_attribution;
  } catch (e) {
    // go("home") shows the error of the list below.
  }
  await go("home");
  document.body.dataset.ready = "true";
}

start();
