//! Before the window opens: is the system's web view there?
//!
//! On Windows the window is drawn by Microsoft Edge WebView2, a runtime that
//! Windows 11 ships and Windows 10 receives with its updates. Where it is
//! missing (an old or stripped-down installation) Tauri would show an English
//! error; the user gets instead an Italian message saying what to ask for.
//! On Linux the web view (WebKitGTK) is a dependency of the package.

/// The message shown when WebView2 is missing.
pub const MISSING_WEBVIEW2: &str = "Per mostrare la sua finestra Sentinella usa \
Microsoft Edge WebView2, un componente di Windows che su questo computer non è \
stato trovato.\n\nChiedete a chi gestisce i vostri computer di installare \
«Microsoft Edge WebView2 Runtime»: è gratuito, lo distribuisce Microsoft \
(developer.microsoft.com/microsoft-edge/webview2) e si può installare anche \
senza diritti di amministratore. Poi riaprite Sentinella.\n\nI vostri dati non \
sono stati toccati.";

/// Stop with a clear message if the web view cannot be created here.
#[cfg(windows)]
pub fn ensure_available() {
    if let Err(e) = tauri::webview_version() {
        eprintln!(
            "sentinella-app: WebView2 runtime not found ({e}); showing the message and exiting"
        );
        eprintln!("{MISSING_WEBVIEW2}");
        rfd::MessageDialog::new()
            .set_level(rfd::MessageLevel::Error)
            .set_title("Sentinella non può aprirsi")
            .set_description(MISSING_WEBVIEW2)
            .set_buttons(rfd::MessageButtons::Ok)
            .show();
        std::process::exit(2);
    }
}

/// Stop with a clear message if the web view cannot be created here.
#[cfg(not(windows))]
pub fn ensure_available() {}

/// Linux: the main window draws its page without WebKitGTK's accelerated
/// compositing, unless the user set `WEBKIT_DISABLE_COMPOSITING_MODE`
/// (`=0` keeps it on).
///
/// Measured with `scripts/bench-package.sh` on the installed `.deb` (Xvfb,
/// software GL): the app and its web processes take 364 MB (PSS) with
/// compositing and 262 MB without, for about 230 ms more of cold start (860
/// ms in all). The main window shows forms and simple charts: nothing there
/// needs the GPU path. Only the main window: turned off for the whole
/// process (the environment variable), the workshop's projector window
/// stopped responding to WebDriver (`e2e_workshop` hung).
#[cfg(target_os = "linux")]
pub fn tune_main_window<R: tauri::Runtime>(window: &tauri::WebviewWindow<R>) {
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_some() {
        return;
    }
    let result = window.with_webview(|webview| {
        use webkit2gtk::{SettingsExt, WebViewExt};
        if let Some(settings) = WebViewExt::settings(&webview.inner()) {
            settings
                .set_hardware_acceleration_policy(webkit2gtk::HardwareAccelerationPolicy::Never);
        }
    });
    if let Err(e) = result {
        eprintln!("sentinella-app: cannot set the web view's drawing mode: {e}");
    }
}

/// Linux: the main window draws its page without accelerated compositing.
#[cfg(not(target_os = "linux"))]
pub fn tune_main_window<R: tauri::Runtime>(_window: &tauri::WebviewWindow<R>) {}
