// The scale family (src/engine/ops/scale.rs): sizes changed by a rule on rows and
// columns, to a target size or by a ring, and cells shifted.

bool op_upscale(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], a = step.y;
    if (!sized(d, h * a, w * a)) return false;
    uint ow = w * a;
    for (uint sr = 0; sr < h; sr++)
        for (uint sc = 0; sc < w; sc++) {
            uint8_t v = cells[s][sr * w + sc];
            for (uint dr = 0; dr < a; dr++)
                for (uint dc = 0; dc < a; dc++) cells[d][(sr * a + dr) * ow + sc * a + dc] = v;
        }
    return true;
}

bool op_downscale(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], a = step.y;
    uint oh = (h + a - 1) / a, ow = (w + a - 1) / a;
    if (!sized(d, oh, ow)) return false;
    for (uint r = 0; r < oh; r++)
        for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = cells[s][(r * a) * w + c * a];
    return true;
}

bool tile_copies(uvec4 step, uint s, uint d, bool mirrored) {
    uint h = rows[s], w = cols[s], a = step.y, b = step.z;
    uint oh = h * a, ow = w * b;
    if (!sized(d, oh, ow)) return false;
    for (uint r = 0; r < oh; r++) {
        uint copy_r = r / h, sr = r - copy_r * h;
        if (mirrored && copy_r % 2 == 1) sr = h - 1 - sr;
        for (uint copy_c = 0; copy_c < b; copy_c++) {
            bool flip = mirrored && copy_c % 2 == 1;
            for (uint c = 0; c < w; c++)
                cells[d][r * ow + copy_c * w + c] = cells[s][sr * w + (flip ? w - 1 - c : c)];
        }
    }
    return true;
}

bool op_tile(uvec4 step, uint s, uint d) { return tile_copies(step, s, d, false); }
bool op_tile_mirrored(uvec4 step, uint s, uint d) { return tile_copies(step, s, d, true); }

bool op_half(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], a = step.y;
    uint oh = a < 2 ? h / 2 : h, ow = a < 2 ? w : w / 2;
    if (!sized(d, oh, ow)) return false;
    uint r0 = a == 1 ? h - oh : 0, c0 = a == 3 ? w - ow : 0;
    moved_by(s, d, r0, c0);
    for (uint r = 0; r < oh; r++)
        for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = cells[s][(r + r0) * w + c + c0];
    return true;
}

// Keeps rows and columns in order: those that differ from the one before (dedupe), or
// those with a non-background cell (blank = true, drop_blank).
bool keep_lines(uint s, uint d, bool blank) {
    uint h = rows[s], w = cols[s];
    uint bg = blank ? background(s) : 0;
    uint keep_rows[MAX_SIDE], keep_cols[MAX_SIDE];
    uint oh = 0, ow = 0;
    for (uint r = 0; r < h; r++) {
        bool keep = !blank && r == 0;
        for (uint c = 0; c < w && !keep; c++) keep = blank ? atw(s, w, r, c) != bg : atw(s, w, r, c) != atw(s, w, r - 1, c);
        if (keep) keep_rows[oh++] = r;
    }
    for (uint c = 0; c < w; c++) {
        bool keep = !blank && c == 0;
        for (uint r = 0; r < h && !keep; r++) keep = blank ? atw(s, w, r, c) != bg : atw(s, w, r, c) != atw(s, w, r, c - 1);
        if (keep) keep_cols[ow++] = c;
    }
    if (!sized(d, oh, ow)) return false;
    for (uint r = 0; r < oh; r++)
        for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = cells[s][keep_rows[r] * w + keep_cols[c]];
    return true;
}

bool op_dedupe(uvec4 step, uint s, uint d) { return keep_lines(s, d, false); }

bool op_drop_blank(uvec4 step, uint s, uint d) { return keep_lines(s, d, true); }

// rows x cols copies of the source read at (r mod h, c mod w), odd copies mirrored when asked.
bool repeat_copies(uvec4 step, uint s, uint d, bool mirrored) {
    uint h = rows[s], w = cols[s], oh = step.y, ow = step.z;
    if (!sized(d, oh, ow)) return false;
    for (uint r = 0; r < oh; r++) {
        uint copy_r = r / h, sr = r - copy_r * h;
        if (mirrored && copy_r % 2 == 1) sr = h - 1 - sr;
        for (uint c = 0; c < ow; c++) {
            uint copy_c = c / w, sc = c - copy_c * w;
            if (mirrored && copy_c % 2 == 1) sc = w - 1 - sc;
            cells[d][r * ow + c] = cells[s][sr * w + sc];
        }
    }
    return true;
}

bool op_repeat_to(uvec4 step, uint s, uint d) { return repeat_copies(step, s, d, false); }
bool op_mirror_to(uvec4 step, uint s, uint d) { return repeat_copies(step, s, d, true); }

bool op_embed(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], oh = step.y, ow = step.z;
    uint bg = background(s);
    if (!sized(d, oh, ow)) return false;
    for (uint r = 0; r < oh; r++)
        for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = uint8_t(r < h && c < w ? atw(s, w, r, c) : bg);
    return true;
}

bool op_resize_to(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], oh = step.y, ow = step.z;
    if (!sized(d, oh, ow)) return false;
    for (uint r = 0; r < oh; r++)
        for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = cells[s][(r * h / oh) * w + c * w / ow];
    return true;
}

bool op_wrap_to(uvec4 step, uint s, uint d) {
    uint n = rows[s] * cols[s], oh = step.y, ow = step.z;
    uint bg = background(s);
    if (!sized(d, oh, ow)) return false;
    for (uint k = 0; k < oh * ow; k++) cells[d][k] = k < n ? cells[s][k] : uint8_t(bg);
    return true;
}

bool op_pad(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s];
    if (!sized(d, h + 2, w + 2)) return false;
    for (uint r = 0; r < h + 2; r++) {
        for (uint c = 0; c < w + 2; c++) {
            bool ring = r == 0 || c == 0 || r == h + 1 || c == w + 1;
            cells[d][r * (w + 2) + c] = ring ? uint8_t(step.y) : cells[s][(r - 1) * w + c - 1];
        }
    }
    return true;
}

bool op_unpad(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s];
    if (h < 3 || w < 3 || !sized(d, h - 2, w - 2)) return false;
    moved_by(s, d, 1, 1);
    for (uint r = 0; r < h - 2; r++)
        for (uint c = 0; c < w - 2; c++) cells[d][r * (w - 2) + c] = cells[s][(r + 1) * w + c + 1];
    return true;
}

bool op_shift(uvec4 step, uint s, uint d) {
    int h = int(rows[s]), w = int(cols[s]);
    int dr = int(step.y) - 2, dc = int(step.z) - 2; // offsets stored as value + 2
    uint bg = background(s);
    if (!sized(d, rows[s], cols[s])) return false;
    for (int r = 0; r < h; r++) {
        for (int c = 0; c < w; c++) {
            int sr = r - dr, sc = c - dc;
            bool inside = sr >= 0 && sc >= 0 && sr < h && sc < w;
            cells[d][r * w + c] = inside ? cells[s][sr * w + sc] : uint8_t(bg);
        }
    }
    return true;
}

// The sized op fit names (embed, resize_to, repeat_to, mirror_to, wrap_to) at the pair's
// output size; no output when it is unknown.
bool op_to_output_size(uvec4 step, uint s, uint d) {
    if (target_rows == 0u || target_cols == 0u) return false;
    uvec4 sized_step = uvec4(0u, target_rows, target_cols, 0u);
    switch (step.y) {
    case 0u: return op_embed(sized_step, s, d);
    case 1u: return op_resize_to(sized_step, s, d);
    case 2u: return op_repeat_to(sized_step, s, d);
    case 3u: return op_mirror_to(sized_step, s, d);
    default: return op_wrap_to(sized_step, s, d);
    }
}

// to_origin: the cells unchanged, at row 0, column 0.
bool op_to_origin(uvec4 step, uint s, uint d) {
    if (!sized(d, rows[s], cols[s])) return false;
    uint n = rows[s] * cols[s];
    for (uint i = 0; i < n; i++) cells[d][i] = cells[s][i];
    origin_r[d] = 0u;
    origin_c[d] = 0u;
    return true;
}

// place (mirrors place and placed_at in scale.rs): the grid at its position (at 0 when it
// already has the size) on a background-0 canvas of its pair's output size; false when the
// size is unknown or the grid does not fit there.
bool op_place(uvec4 step, uint s, uint d) {
    uint th = target_rows, tw = target_cols, h = rows[s], w = cols[s];
    if (th == 0u || tw == 0u) return false;
    bool same = h == th && w == tw;
    uint r0 = same ? 0u : origin_r[s], c0 = same ? 0u : origin_c[s];
    if (r0 + h > th || c0 + w > tw) return false;
    if (!sized(d, th, tw)) return false;
    for (uint i = 0; i < th * tw; i++) cells[d][i] = uint8_t(0);
    for (uint r = 0; r < h; r++)
        for (uint c = 0; c < w; c++) cells[d][(r + r0) * tw + c + c0] = cells[s][r * w + c];
    origin_r[d] = 0u;
    origin_c[d] = 0u;
    return true;
}

// The cell of a grid n cells long whose copies are laid so that one starts at origin that
// lands at i, every other copy read backwards when mirrored (mirrors copy_index in
// scale.rs: 60 copies added keep the offset positive and the copies' parity).
uint copy_index(uint i, uint origin, uint n, bool mirrored) {
    uint offset = i + 60u * n - origin;
    uint copy = offset / n, within = offset % n;
    return mirrored && (copy & 1u) == 1u ? n - 1u - within : within;
}

// repeat_around (mirrors repeat_around in scale.rs): copies of the grid over a canvas of
// its pair's output size, one of them where the grid lies; false when the size is unknown.
bool op_repeat_around(uvec4 step, uint s, uint d) {
    uint th = target_rows, tw = target_cols, h = rows[s], w = cols[s];
    if (th == 0u || tw == 0u || !sized(d, th, tw)) return false;
    bool mirrored = step.y == 1u;
    for (uint r = 0; r < th; r++) {
        uint sr = copy_index(r, origin_r[s], h, mirrored);
        for (uint c = 0; c < tw; c++) cells[d][r * tw + c] = cells[s][sr * w + copy_index(c, origin_c[s], w, mirrored)];
    }
    origin_r[d] = 0u;
    origin_c[d] = 0u;
    return true;
}
