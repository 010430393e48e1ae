// The symmetry family (src/engine/ops/symmetry.rs): output (r, c) reads source index
// start + r * dr + c * dc.

bool walk(uint s, uint d, bool swap, int start, int dr, int dc) {
    uint h = rows[s], w = cols[s];
    uint oh = swap ? w : h, ow = swap ? h : w;
    if (!sized(d, oh, ow)) return false;
    for (uint r = 0; r < oh; r++) {
        int row_start = start + int(r) * dr;
        for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = cells[s][uint(row_start + int(c) * dc)];
    }
    return true;
}

bool op_identity(uvec4 step, uint s, uint d) { int w = int(cols[s]); return walk(s, d, false, 0, w, 1); }
bool op_rot90(uvec4 step, uint s, uint d) { int h = int(rows[s]), w = int(cols[s]); return walk(s, d, true, (h - 1) * w, 1, -w); }
bool op_rot180(uvec4 step, uint s, uint d) { int h = int(rows[s]), w = int(cols[s]); return walk(s, d, false, (h - 1) * w + w - 1, -w, -1); }
bool op_rot270(uvec4 step, uint s, uint d) { int w = int(cols[s]); return walk(s, d, true, w - 1, -1, w); }
bool op_flip_updown(uvec4 step, uint s, uint d) { int h = int(rows[s]), w = int(cols[s]); return walk(s, d, false, (h - 1) * w, -w, 1); }
bool op_flip_leftright(uvec4 step, uint s, uint d) { int w = int(cols[s]); return walk(s, d, false, w - 1, w, -1); }
bool op_transpose(uvec4 step, uint s, uint d) { int w = int(cols[s]); return walk(s, d, true, 0, 1, w); }
bool op_antitranspose(uvec4 step, uint s, uint d) { int h = int(rows[s]), w = int(cols[s]); return walk(s, d, true, (h - 1) * w + w - 1, -1, -w); }
