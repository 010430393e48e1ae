// The colour family (src/engine/ops/color.rs): every colour through a table of 10 nibbles
// held in two registers, colours 0-7 in lo, 8-9 in hi; the majority colour.

const uint IDENTITY_LO = 0x76543210u, IDENTITY_HI = 0x98u;

bool map_colors(uint s, uint d, uint lo, uint hi) {
    uint h = rows[s], w = cols[s];
    if (!sized(d, h, w)) return false;
    for (uint i = 0; i < h * w; i++) {
        uint v = uint(cells[s][i]);
        cells[d][i] = uint8_t(v < 8 ? (lo >> (4 * v)) & 0xFu : (hi >> (4 * (v - 8))) & 0xFu);
    }
    return true;
}

// The identity table with colour `from` mapped to `to`.
bool map_one_color(uint s, uint d, uint lo, uint hi, uint from, uint to) {
    if (from < 8) lo = (lo & ~(0xFu << (4 * from))) | (to << (4 * from));
    else hi = (hi & ~(0xFu << (4 * (from - 8)))) | (to << (4 * (from - 8)));
    return map_colors(s, d, lo, hi);
}

bool op_recolor(uvec4 step, uint s, uint d) { return map_one_color(s, d, IDENTITY_LO, IDENTITY_HI, step.y, step.z); }

bool op_paint(uvec4 step, uint s, uint d) {
    uint bg = background(s);
    return map_one_color(s, d, step.y * 0x11111111u, step.y * 0x11u, bg, bg);
}

bool op_permute(uvec4 step, uint s, uint d) { return map_colors(s, d, step.y, step.z); }

bool op_erase(uvec4 step, uint s, uint d) { return map_one_color(s, d, IDENTITY_LO, IDENTITY_HI, step.y, background(s)); }

// Every colour to the background, then `colour` back to itself.
bool op_keep_color(uvec4 step, uint s, uint d) {
    uint bg = background(s);
    return map_one_color(s, d, bg * 0x11111111u, bg * 0x11u, step.y, step.y);
}

bool op_majority_color(uvec4 step, uint s, uint d) {
    uint color = majority_foreground(s, 0u); // every colour but 0 counts (mirrors color.rs)
    if (color == NONE) return false;
    sized(d, 1, 1);
    cells[d][0] = uint8_t(color);
    return true;
}
