//! Sentinella's desktop app: a window over the core library.
//!
//! The commands ([`commands`]) are the only way the page reaches Rust; the
//! capability file grants the main window those commands and nothing else.

pub mod commands;
pub mod comuni;
pub mod coordination;
pub mod dialogs;
pub mod error;
pub mod incident;
pub mod inputs;
pub mod opener;
pub mod packs;
pub mod state;
pub mod views;
pub mod webview;
pub mod workshop;

use std::path::PathBuf;

use tauri::{Manager, Runtime};

pub use state::{AppState, DATA_DIR_ENV};

/// Register the plugins and commands on a builder (the real one, or the mock
/// one of the tests).
pub fn with_commands<R: Runtime>(builder: tauri::Builder<R>) -> tauri::Builder<R> {
    builder
        .plugin(tauri_plugin_dialog::init())
        .manage(packs::PendingPack::default())
        .invoke_handler(tauri::generate_handler![
            commands::app_info,
            commands::list_assessments,
            commands::search_comuni,
            commands::create_assessment,
            commands::get_assessment,
            commands::save_context_answer,
            commands::save_answer,
            commands::set_position,
            commands::complete_assessment,
            commands::reopen_assessment,
            commands::delete_assessment,
            commands::get_results,
            commands::get_history,
            commands::generate_pdf,
            commands::blank_form,
            commands::signing_key,
            commands::export_result,
            coordination::coord_overview,
            coordination::coord_import,
            coordination::coord_accept_key,
            coordination::coord_dashboard,
            coordination::coord_verify_archive,
            coordination::coord_export_csv,
            coordination::coord_export_pdf,
            opener::open_saved,
            incident::incident_home,
            incident::get_contacts,
            incident::save_contacts,
            incident::open_incident,
            incident::get_incident,
            incident::add_log_entry,
            incident::save_log_typing,
            incident::mark_incident_item,
            incident::save_incident_details,
            incident::close_incident,
            incident::get_drafts,
            incident::export_drafts,
            incident::export_incident_pdf,
            packs::pack_home,
            packs::pack_import,
            packs::pack_confirm,
            packs::pack_preview,
            packs::pack_sign,
            packs::pack_history,
            workshop::workshop_home,
            workshop::workshop_create,
            workshop::workshop_get,
            workshop::workshop_step,
            workshop::workshop_blank,
            workshop::workshop_delete,
            workshop::workshop_projector,
            workshop::workshop_swap,
            workshop::workshop_debrief_pdf,
            workshop::workshop_export,
            workshop::workshop_phones_start,
            workshop::workshop_phones_stop,
            workshop::projector_state,
        ])
}

/// Where the database lives: `$SENTINELLA_DATA_DIR`, else the OS app-data
/// directory (`~/.local/share/it.sentinella.desktop` on Linux).
fn data_dir<R: Runtime>(app: &tauri::App<R>) -> PathBuf {
    if let Some(dir) = std::env::var_os(DATA_DIR_ENV).filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    app.path()
        .app_data_dir()
        .unwrap_or_else(|_| PathBuf::from("sentinella-data"))
}

/// Start the app.
pub fn run() {
    webview::ensure_available();
    let result = with_commands(tauri::Builder::default())
        .setup(|app| {
            // The first plan PDF should not wait for the ISTAT list and the
            // fonts: load them while the window opens.
            std::thread::spawn(sentinella::report::warm_up);
            let dir = data_dir(app);
            app.manage(AppState::open(&dir));
            app.manage(opener::SavedFiles::default());
            // The end-to-end tests vote from 127.0.0.1 and wait for the idle
            // stop: loopback and a short timeout exist only in their builds,
            // when they ask for them.
            #[cfg(feature = "e2e")]
            let phone_options = workshop::stand_in::phone_options_from_env();
            #[cfg(not(feature = "e2e"))]
            let phone_options = sentinella::usecase::phone_vote::StartOptions::default();
            app.manage(workshop::WorkshopState::new(phone_options));
            if let Some(main) = app.get_webview_window("main") {
                webview::tune_main_window(&main);
            }
            #[cfg(feature = "e2e")]
            if let Some(stand_in) = opener::stand_in::OpenerStandIn::from_env() {
                app.manage(stand_in);
            }
            #[cfg(feature = "e2e")]
            app.manage(dialogs::stand_in::DialogStandIn::from_env());
            Ok(())
        })
        .on_window_event(|window, event| {
            if window.label() == "main" && matches!(event, tauri::WindowEvent::Destroyed) {
                workshop::main_closed(window.app_handle());
            }
        })
        .run(tauri::generate_context!());
    if let Err(e) = result {
        eprintln!("sentinella-app: cannot start: {e}");
        std::process::exit(1);
    }
}

#[cfg(test)]
mod tests;
