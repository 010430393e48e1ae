//! The standard ARC colour palette (the one the ARC testing interface and most ARC tools
//! use), shared by everything that draws grids: the HTML report, `batt show` in the
//! terminal and `batt show --png`.

/// RGB of colours 0-9: black, blue, red, green, yellow, grey, magenta, orange, azure, maroon.
pub const ARC_PALETTE: [[u8; 3]; 10] = [
    [0x00, 0x00, 0x00],
    [0x00, 0x74, 0xD9],
    [0xFF, 0x41, 0x36],
    [0x2E, 0xCC, 0x40],
    [0xFF, 0xDC, 0x00],
    [0xAA, 0xAA, 0xAA],
    [0xF0, 0x12, 0xBE],
    [0xFF, 0x85, 0x1B],
    [0x7F, 0xDB, 0xFF],
    [0x87, 0x0C, 0x25],
];

/// `#rrggbb` of a colour, for CSS.
pub fn css_hex(color: u8) -> String {
    let [r, g, b] = ARC_PALETTE[color as usize % 10];
    format!("#{r:02x}{g:02x}{b:02x}")
}
