// What the op kernels share, mirroring src/engine/ops/mod.rs: background, output sizing,
// crops, object labelling and the reach of the border through background.

// The count of each colour in buffer s, in vector registers (dynamic component indexing,
// not a local-memory array): colours 0-3 in c0, 4-7 in c1, 8-9 in c2.
void count_colours(uint s, out uvec4 c0, out uvec4 c1, out uvec2 c2) {
    c0 = uvec4(0); c1 = uvec4(0); c2 = uvec2(0);
    uint n = rows[s] * cols[s];
    for (uint i = 0; i < n; i++) {
        uint v = uint(cells[s][i]);
        if (v < 4) c0[v]++;
        else if (v < 8) c1[v - 4]++;
        else c2[v - 8]++;
    }
}

uint colour_count(uvec4 c0, uvec4 c1, uvec2 c2, uint c) { return c < 4 ? c0[c] : (c < 8 ? c1[c - 4] : c2[c - 8]); }

// The background an op reads: 0 when the grid has a 0 cell, else the most common colour
// (ties: the smallest); mirrors background in mod.rs.
uint background(uint s) {
    uvec4 c0, c1;
    uvec2 c2;
    count_colours(s, c0, c1, c2);
    if (c0.x > 0) return 0;
    uint best = 0, best_count = c0.x;
    for (uint c = 1; c < 10; c++) {
        uint k = colour_count(c0, c1, c2, c);
        if (k > best_count) { best = c; best_count = k; }
    }
    return best;
}

// The most common non-background colour (ties: the smallest), NONE when every cell is
// background; mirrors majority_foreground in mod.rs.
uint majority_foreground(uint s, uint bg) {
    uvec4 c0, c1;
    uvec2 c2;
    count_colours(s, c0, c1, c2);
    uint best = NONE, best_count = 0;
    for (uint c = 0; c < 10; c++) {
        uint k = colour_count(c0, c1, c2, c);
        if (c != bg && k > best_count) { best = c; best_count = k; }
    }
    return best;
}

// Sets the output size; false when the result cannot exist (a side of 0 or over 30).
bool sized(uint d, uint h, uint w) {
    rows[d] = h;
    cols[d] = w;
    return h >= 1 && w >= 1 && h <= MAX_SIDE && w <= MAX_SIDE;
}

// The crop's position: buffer s's moved down dr rows and across dc columns (mirrors
// moved_by in src/engine/ops/mod.rs).
void moved_by(uint s, uint d, uint dr, uint dc) {
    origin_r[d] = origin_r[s] + dr;
    origin_c[d] = origin_c[s] + dc;
}

// Copies the `bbox` part of buffer s into buffer d, at its position.
bool crop(uint s, uint d) {
    uint h = bbox[2] - bbox[0] + 1, w = bbox[3] - bbox[1] + 1;
    if (!sized(d, h, w)) return false;
    moved_by(s, d, bbox[0], bbox[1]);
    for (uint r = 0; r < h; r++)
        for (uint c = 0; c < w; c++)
            cells[d][r * w + c] = cells[s][(r + bbox[0]) * cols[s] + c + bbox[1]];
    return true;
}

// Labels objects (one colour, 4-connected, without background) in row-major order of their
// first cell and picks the largest or smallest (first on ties); sets `bbox`. Returns its
// label, or NONE when there is no object. Queue entries are r << 5 | c (no divisions).
uint pick_object(uint s, uint bg, bool largest) {
    uint w = cols[s], h = rows[s], n = h * w;
    for (uint i = 0; i < n; i++) label[i] = NO_LABEL;
    uint best = NONE, best_size = 0, next_label = 0;
    for (uint r0 = 0; r0 < h; r0++) {
        for (uint c0 = 0; c0 < w; c0++) {
            uint start = r0 * w + c0;
            if (label[start] != NO_LABEL || uint(cells[s][start]) == bg) continue;
            uint8_t color = cells[s][start];
            uint16_t id = uint16_t(next_label++);
            label[start] = id;
            queue[0] = uint16_t((r0 << 5) | c0);
            uint head = 0, tail = 1;
            uint b0 = r0, b1 = c0, b2 = r0, b3 = c0;
            while (head < tail) {
                uint rc = uint(queue[head++]);
                uint r = rc >> 5, c = rc & 31u, i = r * w + c;
                b0 = min(b0, r); b1 = min(b1, c); b2 = max(b2, r); b3 = max(b3, c);
                if (r > 0 && label[i - w] == NO_LABEL && cells[s][i - w] == color) { label[i - w] = id; queue[tail++] = uint16_t(rc - 32); }
                if (r + 1 < h && label[i + w] == NO_LABEL && cells[s][i + w] == color) { label[i + w] = id; queue[tail++] = uint16_t(rc + 32); }
                if (c > 0 && label[i - 1] == NO_LABEL && cells[s][i - 1] == color) { label[i - 1] = id; queue[tail++] = uint16_t(rc - 1); }
                if (c + 1 < w && label[i + 1] == NO_LABEL && cells[s][i + 1] == color) { label[i + 1] = id; queue[tail++] = uint16_t(rc + 1); }
            }
            uint size = tail;
            bool better = best == NONE || (largest ? size > best_size : size < best_size);
            if (better) {
                best = uint(id); best_size = size;
                bbox[0] = b0; bbox[1] = b1; bbox[2] = b2; bbox[3] = b3;
            }
        }
    }
    return best;
}

// Marks in `label` (1 = reached) background cells 4-connected to the border through background.
void reach_border(uint s, uint bg) {
    uint w = cols[s], h = rows[s];
    uint tail = 0;
    for (uint r = 0; r < h; r++) {
        for (uint c = 0; c < w; c++) {
            uint i = r * w + c;
            bool edge = uint(cells[s][i]) == bg && (r == 0 || c == 0 || r == h - 1 || c == w - 1);
            label[i] = uint16_t(edge ? 1 : 0);
            if (edge) queue[tail++] = uint16_t((r << 5) | c);
        }
    }
    uint head = 0;
    while (head < tail) {
        uint rc = uint(queue[head++]);
        uint r = rc >> 5, c = rc & 31u, i = r * w + c;
        if (r > 0 && label[i - w] == uint16_t(0) && uint(cells[s][i - w]) == bg) { label[i - w] = uint16_t(1); queue[tail++] = uint16_t(rc - 32); }
        if (r + 1 < h && label[i + w] == uint16_t(0) && uint(cells[s][i + w]) == bg) { label[i + w] = uint16_t(1); queue[tail++] = uint16_t(rc + 32); }
        if (c > 0 && label[i - 1] == uint16_t(0) && uint(cells[s][i - 1]) == bg) { label[i - 1] = uint16_t(1); queue[tail++] = uint16_t(rc - 1); }
        if (c + 1 < w && label[i + 1] == uint16_t(0) && uint(cells[s][i + 1]) == bg) { label[i + 1] = uint16_t(1); queue[tail++] = uint16_t(rc + 1); }
    }
}

// Whether a cell other than (r, c) among its 8 neighbours is not background.
bool touches_foreground(uint s, uint h, uint w, uint bg, uint r, uint c) {
    uint r0 = r > 0 ? r - 1 : 0, r1 = min(r + 1, h - 1);
    uint c0 = c > 0 ? c - 1 : 0, c1 = min(c + 1, w - 1);
    for (uint rr = r0; rr <= r1; rr++)
        for (uint cc = c0; cc <= c1; cc++)
            if ((rr != r || cc != c) && uint(cells[s][rr * w + cc]) != bg) return true;
    return false;
}
