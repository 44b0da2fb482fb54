//! Colours, sizes and the page geometry of the reports.
//!
//! The palette follows the Designers Italia one used by Italian public
//! administrations (blue `#0066CC`, dark slate text), with status colours
//! dark enough for text on white (contrast at least 4.5:1).

/// An sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red, 0–255.
    pub r: u8,
    /// Green, 0–255.
    pub g: u8,
    /// Blue, 0–255.
    pub b: u8,
}

impl Color {
    /// A colour from its components.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b }
    }
}

/// Body text.
pub const TEXT: Color = Color::rgb(0x1A, 0x26, 0x33);
/// Secondary text (captions, header, footer).
pub const MUTED: Color = Color::rgb(0x5C, 0x6F, 0x82);
/// The PA blue: headings, rules, bars.
pub const PRIMARY: Color = Color::rgb(0x00, 0x66, 0xCC);
/// Dark blue: cover band, table headers.
pub const DARK: Color = Color::rgb(0x17, 0x32, 0x4D);
/// Very light blue: table header and card backgrounds.
pub const TINT: Color = Color::rgb(0xE6, 0xF0, 0xFA);
/// Light grey: rules and zebra rows.
pub const RULE: Color = Color::rgb(0xC5, 0xCF, 0xD9);
/// Very light grey background.
pub const SHADE: Color = Color::rgb(0xF3, 0xF5, 0xF7);
/// Good / passed.
pub const GOOD: Color = Color::rgb(0x00, 0x80, 0x55);
/// Partial / warning (dark amber, readable as text).
pub const WARN: Color = Color::rgb(0xA6, 0x63, 0x00);
/// Bad / failed.
pub const BAD: Color = Color::rgb(0xCC, 0x33, 0x4D);
/// White.
pub const WHITE: Color = Color::rgb(0xFF, 0xFF, 0xFF);
/// Light red background for alert cards.
pub const BAD_TINT: Color = Color::rgb(0xFB, 0xEB, 0xEE);
/// Light amber background.
pub const WARN_TINT: Color = Color::rgb(0xFD, 0xF3, 0xE3);
/// Light green background.
pub const GOOD_TINT: Color = Color::rgb(0xE6, 0xF5, 0xEF);

/// Millimetres to points.
pub const fn mm(v: f32) -> f32 {
    v * 72.0 / 25.4
}

/// A4 width in points.
pub const PAGE_WIDTH: f32 = 595.276;
/// A4 height in points.
pub const PAGE_HEIGHT: f32 = 841.89;
/// Left and right margins.
pub const MARGIN_X: f32 = mm(20.0);
/// Top of the body (below the running header).
pub const MARGIN_TOP: f32 = mm(24.0);
/// Bottom of the body (above the footer).
pub const MARGIN_BOTTOM: f32 = mm(20.0);

/// Body text size.
pub const BODY_SIZE: f32 = 10.5;
/// Line height as a multiple of the size.
pub const LEADING: f32 = 1.38;
/// Table text size.
pub const TABLE_SIZE: f32 = 9.0;
