//! The join QR code, made here (no service): the URL with the session code
//! in its fragment, as an SVG image for the projector.

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// The QR code could not be made (the text is too long for a QR code).
#[derive(Debug, thiserror::Error)]
#[error("cannot make a QR code: {0}")]
pub struct QrError(String);

/// The address a phone opens: the server's URL with the code in the
/// fragment (a fragment never leaves the phone in a request).
pub fn join_url(base_url: &str, code: &str) -> String {
    format!("{}/#{}", base_url.trim_end_matches('/'), code)
}

/// An SVG of the QR code for `text` (medium error correction, quiet zone
/// included, black on white), at least `min_px` pixels wide.
pub fn qr_svg(text: &str, min_px: u32) -> Result<String, QrError> {
    let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .map_err(|e| QrError(e.to_string()))?;
    Ok(code
        .render::<svg::Color<'_>>()
        .min_dimensions(min_px, min_px)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn svg_of_a_join_url() {
        let url = join_url("http://192.168.1.20:40123/", "ACD347");
        assert_eq!(url, "http://192.168.1.20:40123/#ACD347");
        let svg = qr_svg(&url, 240).unwrap();
        assert!(svg.starts_with("<?xml"));
        assert!(svg.contains("<svg"));
        assert!(svg.contains("<path"));
        assert!(qr_svg(&"x".repeat(5000), 240).is_err());
    }
}
