// What the op kernels share, mirroring src/engine/ops/mod.rs: background, output sizing,
// crops, object labelling (row bitmasks) and the reach of the border through background.

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

// Object labelling by row bitmasks (bit c of a row's word is column c): the cells not yet
// in an object (free_rows), the object being grown (grow_rows, zero outside it) and, for
// one-colour objects, each colour's cells (colour_rows). An object grows from its first cell
// by sweeps down and up its rows, each row widened along its runs in five shifts, until a
// sweep adds nothing: the same objects in the same order (row-major order of their first
// cell) as mod.rs's queue flood fill, with a row's word instead of a queue entry per cell.
uint free_rows[MAX_SIDE];
uint grow_rows[MAX_SIDE];
uint colour_rows[10u * MAX_SIDE];

// The cells of `allowed` joined to `seeds` (within allowed) along the row.
uint fill_along_row(uint seeds, uint allowed) {
    uint up = seeds, pu = allowed, down = seeds, pd = allowed;
    up |= pu & (up << 1); pu &= pu << 1;
    up |= pu & (up << 2); pu &= pu << 2;
    up |= pu & (up << 4); pu &= pu << 4;
    up |= pu & (up << 8); pu &= pu << 8;
    up |= pu & (up << 16);
    down |= pd & (down >> 1); pd &= pd >> 1;
    down |= pd & (down >> 2); pd &= pd >> 2;
    down |= pd & (down >> 4); pd &= pd >> 4;
    down |= pd & (down >> 8); pd &= pd >> 8;
    down |= pd & (down >> 16);
    return up | down;
}

// Row r of the object widened by its neighbour rows (and, with `diagonal`, their
// neighbouring columns) through the free cells of colour `colour` (NONE: any); whether it
// grew.
bool grow_row(uint r, uint h, bool diagonal, uint colour) {
    uint near = (r > 0u ? grow_rows[r - 1u] : 0u) | (r + 1u < h ? grow_rows[r + 1u] : 0u);
    if (diagonal) near |= (near << 1) | (near >> 1);
    uint allowed = free_rows[r] & (colour == NONE ? 0xFFFFFFFFu : colour_rows[colour * MAX_SIDE + r]);
    uint seeds = (grow_rows[r] | near) & allowed;
    if (seeds == grow_rows[r]) return false;
    grow_rows[r] = fill_along_row(seeds, allowed);
    return true;
}

// Grows the object in grow_rows (each of its rows top..bottom already widened along its
// runs) until a sweep adds nothing; top and bottom follow it.
void grow_object(uint h, bool diagonal, uint colour, inout uint top, inout uint bottom) {
    bool down = true;
    while (true) {
        bool changed = false;
        if (down) {
            for (uint r = top > 0u ? top - 1u : 0u; r <= min(bottom + 1u, h - 1u); r++) {
                if (grow_row(r, h, diagonal, colour)) { changed = true; top = min(top, r); bottom = max(bottom, r); }
            }
        } else {
            for (int r = int(min(bottom + 1u, h - 1u)); r >= int(top) - 1 && r >= 0; r--) {
                if (grow_row(uint(r), h, diagonal, colour)) { changed = true; top = min(top, uint(r)); bottom = max(bottom, uint(r)); }
            }
        }
        if (!changed) return;
        down = !down;
    }
}

// Starts labelling buffer s's objects: every cell NO_LABEL, its non-background cells free,
// and with `univalued` each colour's rows.
void begin_objects(uint s, uint bg, bool univalued) {
    uint w = cols[s], h = rows[s];
    for (uint r = 0; r < h; r++) {
        free_rows[r] = 0u;
        grow_rows[r] = 0u;
        if (univalued) for (uint v = 0; v < 10u; v++) colour_rows[v * MAX_SIDE + r] = 0u;
        for (uint c = 0; c < w; c++) {
            uint i = r * w + c, v = uint(cells[s][i]);
            label[i] = NO_LABEL;
            if (v == bg) continue;
            free_rows[r] |= 1u << c;
            if (univalued) colour_rows[v * MAX_SIDE + r] |= 1u << c;
        }
    }
}

// The next object of buffer s (4-connected, or 8 with `diagonal`; one colour with
// `univalued`): the first free cell in row-major order at or after row scan_row, grown,
// its cells labelled id and no longer free; its cell count, box (top, left, bottom, right)
// and colours. False when no free cell is left.
bool next_object(uint s, bool diagonal, bool univalued, uint id, inout uint scan_row, out uint count, out uvec4 box, out uint colors) {
    uint w = cols[s], h = rows[s];
    while (scan_row < h && free_rows[scan_row] == 0u) scan_row++;
    if (scan_row >= h) return false;
    uint top = scan_row, bottom = scan_row, c0 = uint(findLSB(free_rows[top]));
    uint colour = univalued ? uint(cells[s][top * w + c0]) : NONE;
    uint allowed = free_rows[top] & (univalued ? colour_rows[colour * MAX_SIDE + top] : 0xFFFFFFFFu);
    grow_rows[top] = fill_along_row(1u << c0, allowed);
    grow_object(h, diagonal, colour, top, bottom);
    count = 0u;
    colors = 0u;
    uint left = MAX_SIDE, right = 0u;
    for (uint r = top; r <= bottom; r++) {
        uint m = grow_rows[r];
        grow_rows[r] = 0u;
        free_rows[r] &= ~m;
        count += uint(bitCount(m));
        left = min(left, uint(findLSB(m)));
        right = max(right, uint(findMSB(m)));
        while (m != 0u) {
            uint i = r * w + uint(findLSB(m));
            m &= m - 1u;
            label[i] = uint16_t(id);
            colors |= 1u << uint(cells[s][i]);
        }
    }
    box = uvec4(top, left, bottom, right);
    return true;
}

// Labels objects (one colour, 4-connected, without background) in row-major order of their
// first cell and picks the largest or smallest (first on ties); sets `bbox`. Returns its
// label, or NONE when there is no object.
uint pick_object(uint s, uint bg, bool largest) {
    begin_objects(s, bg, true);
    uint best = NONE, best_size = 0, id = 0, scan_row = 0, size, colors;
    uvec4 box;
    while (next_object(s, false, true, id, scan_row, size, box, colors)) {
        bool better = best == NONE || (largest ? size > best_size : size < best_size);
        if (better) {
            best = id; best_size = size;
            bbox[0] = box.x; bbox[1] = box.y; bbox[2] = box.z; bbox[3] = box.w;
        }
        id++;
    }
    return best;
}

// Marks in grow_rows (bit c of row r) the background cells 4-connected to the border
// through background (rows 0..h-1; fill_enclosed sets them to 0 after reading them, though
// every labelling clears its rows first).
void reach_border(uint s, uint bg) {
    uint w = cols[s], h = rows[s];
    for (uint r = 0; r < h; r++) {
        free_rows[r] = 0u;
        for (uint c = 0; c < w; c++) if (uint(cells[s][r * w + c]) == bg) free_rows[r] |= 1u << c;
    }
    uint edges = (1u << (w - 1u)) | 1u;
    for (uint r = 0; r < h; r++) {
        uint seeds = free_rows[r] & (r == 0u || r == h - 1u ? 0xFFFFFFFFu : edges);
        grow_rows[r] = fill_along_row(seeds, free_rows[r]);
    }
    uint top = 0u, bottom = h - 1u;
    grow_object(h, false, NONE, top, bottom);
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
