// The only door to Rust: the app's own commands (see src-tauri/capabilities).

function tauriInvoke() {
  const t = window.__TAURI__;
  if (!t || !t.core || typeof t.core.invoke !== "function") {
    throw new Error("Questa pagina funziona solo dentro l'applicazione Sentinella.");
  }
  return t.core.invoke;
}

/** Call a command; errors come back as Italian messages (Error.message). */
export async function call(cmd, args = {}) {
  try {
    return await tauriInvoke()(cmd, args);
  } catch (e) {
    const msg = typeof e === "string" ? e : (e && e.message) || "Errore imprevisto.";
    throw new Error(msg);
  }
}

export const api = {
  appInfo: () => call("app_info"),
  list: () => call("list_assessments"),
  searchComuni: (query) => call("search_comuni", { query }),
  create: (input) => call("create_assessment", { input }),
  get: (id) => call("get_assessment", { id }),
  saveContext: (id, question, option) => call("save_context_answer", { id, question, option }),
  saveAnswer: (id, question, option, note) => call("save_answer", { id, question, option, note }),
  setPosition: (id, position) => call("set_position", { id, position }),
  complete: (id) => call("complete_assessment", { id }),
  reopen: (id) => call("reopen_assessment", { id }),
  remove: (id) => call("delete_assessment", { id }),
  results: (id) => call("get_results", { id }),
  history: (organization_id) => call("get_history", { organization_id }),
  pdf: (id) => call("generate_pdf", { id }),
  blankForm: (questionnaireId) => call("blank_form", { questionnaire_id: questionnaireId }),
  signingKey: () => call("signing_key"),
  exportResult: (id, with_notes) => call("export_result", { id, with_notes }),
  coordOverview: () => call("coord_overview"),
  /** `onProgress({done, total})` is called while files are verified. */
  coordImport: (source, onProgress) => {
    const ch = new window.__TAURI__.core.Channel();
    ch.onmessage = onProgress;
    return call("coord_import", { source, on_progress: ch });
  },
  coordAcceptKey: (istatCode, kind, fingerprint) =>
    call("coord_accept_key", { istat_code: istatCode, kind, fingerprint }),
  coordDashboard: (scope) => call("coord_dashboard", { scope }),
  coordVerifyArchive: () => call("coord_verify_archive"),
  coordExportCsv: (scope, table) => call("coord_export_csv", { scope, table }),
  coordExportPdf: (scope) => call("coord_export_pdf", { scope }),
  /** `action`: "open" (default program) or "reveal" (its folder). */
  openSaved: (path, action) => call("open_saved", { path, action }),
  incidentHome: () => call("incident_home"),
  getContacts: (organization_id) => call("get_contacts", { organization_id }),
  saveContacts: (organization_id, contacts) => call("save_contacts", { organization_id, contacts }),
  openIncident: (input) => call("open_incident", { input }),
  getIncident: (id) => call("get_incident", { id }),
  addLogEntry: (id, kind, text, contact) => call("add_log_entry", { id, kind, text, contact }),
  saveTyping: (id, text) => call("save_log_typing", { id, text }),
  markItem: (id, item, done) => call("mark_incident_item", { id, item, done }),
  saveIncidentDetails: (id, details) => call("save_incident_details", { id, details }),
  closeIncident: (id) => call("close_incident", { id }),
  drafts: (id) => call("get_drafts", { id }),
  exportDrafts: (id) => call("export_drafts", { id }),
  exportIncidentPdf: (id) => call("export_incident_pdf", { id }),
  packHome: (kind) => call("pack_home", { kind }),
  packImport: () => call("pack_import"),
  packConfirm: (fingerprint) => call("pack_confirm", { fingerprint }),
  packPreview: (draft) => call("pack_preview", { draft }),
  packSign: (draft) => call("pack_sign", { draft }),
  packHistory: () => call("pack_history"),
};
