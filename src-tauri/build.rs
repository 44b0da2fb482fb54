//! Generates an `allow-<command>` permission for each of the app's commands,
//! so the capability file can grant them one by one.

/// Every `#[tauri::command]` of `src/commands.rs`, `src/coordination/` and
/// `src/incident.rs`, `src/packs.rs` and `src/workshop.rs`
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
    "blank_form",
    "signing_key",
    "export_result",
    "coord_overview",
    "coord_import",
    "coord_accept_key",
    "coord_dashboard",
    "coord_verify_archive",
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
    "pack_home",
    "pack_import",
    "pack_confirm",
    "pack_preview",
    "pack_sign",
    "pack_history",
    "workshop_home",
    "workshop_create",
    "workshop_get",
    "workshop_step",
    "workshop_blank",
    "workshop_delete",
    "workshop_projector",
    "workshop_swap",
    "workshop_debrief_pdf",
    "workshop_export",
    "workshop_phones_start",
    "workshop_phones_stop",
    "projector_state",
];

/// The files `scripts/ui-vendor.sh` copies into `ui/vendor/` (git-ignored):
/// without them the embedded UI has no Bootstrap Italia and no Titillium Web.
const VENDORED: &[&str] = &[
    "css/bootstrap-italia.min.css",
    "fonts/titillium-web-v10-latin-ext_latin-regular.woff2",
    "fonts/titillium-web-v10-latin-ext_latin-italic.woff2",
    "fonts/titillium-web-v10-latin-ext_latin-600.woff2",
    "fonts/titillium-web-v10-latin-ext_latin-700.woff2",
];

/// Refuse to build an unstyled app: the UI is embedded at compile time, so a
/// binary built before the assets are vendored would ship without them.
fn check_vendored_ui() {
    let vendor = std::path::Path::new("../ui/vendor");
    println!("cargo:rerun-if-changed=../ui/vendor");
    let missing: Vec<&str> = VENDORED
        .iter()
        .copied()
        .filter(|f| {
            let path = vendor.join(f);
            println!("cargo:rerun-if-changed={}", path.display());
            std::fs::metadata(&path)
                .map(|m| m.len() == 0)
                .unwrap_or(true)
        })
        .collect();
    if !missing.is_empty() {
        eprintln!(
            "\nerror: the app's UI assets are missing from ui/vendor/ ({}).\n\
             Run ./scripts/ui-vendor.sh (it fetches Bootstrap Italia and the\n\
             Titillium Web font from npm), then build again. Without them the\n\
             app would open unstyled.\n",
            missing.join(", ")
        );
        std::process::exit(1);
    }
}

fn main() {
    check_vendored_ui();
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(e) = tauri_build::try_build(attributes) {
        // A build script reports failure by exiting non-zero.
        eprintln!("tauri-build failed: {e:#}");
        std::process::exit(1);
    }
}
