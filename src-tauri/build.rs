//! Generates an `allow-<command>` permission for each of the app's commands,
//! so the capability file can grant them one by one.

/// Every `#[tauri::command]` of `src/commands.rs`, `src/coordination/` and
/// `src/incident.rs`
/// (the list in `lib.rs`).
const COMMANDS: &[&str] = &[
    "app_info",
    "list_assessments",
    "search_comuni",
    "create_assessment",
    "get_assessment",
    "save_context_answer",
    "save_answer",
    "set_position",
    "complete_assessment",
    "reopen_assessment",
    "delete_assessment",
    "get_results",
    "get_history",
    "generate_pdf",
    "signing_key",
    "export_result",
    "coord_overview",
    "coord_import",
    "coord_accept_key",
    "coord_dashboard",
    "coord_export_csv",
    "coord_export_pdf",
    "open_saved",
    "incident_home",
    "get_contacts",
    "save_contacts",
    "open_incident",
    "get_incident",
    "add_log_entry",
    "save_log_typing",
    "mark_incident_item",
    "save_incident_details",
    "close_incident",
    "get_drafts",
    "export_drafts",
    "export_incident_pdf",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        // A build script reports failure by exiting non-zero.
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
