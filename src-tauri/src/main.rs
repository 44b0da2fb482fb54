// Prevents an extra console window on Windows in release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    // A page of forms needs no GPU compositing. Without it WebKitGTK's web
    // process uses about 75 MB less (measured under Xvfb: 187 → 111 MB PSS)
    // and some GPU drivers can no longer leave the window blank. Set before
    // GTK starts, while the process has one thread; a value given by the
    // user wins.
    #[cfg(target_os = "linux")]
    if std::env::var_os("WEBKIT_DISABLE_COMPOSITING_MODE").is_none() {
        std::env::set_var("WEBKIT_DISABLE_COMPOSITING_MODE", "1");
    }
    sentinella_app::run();
}
