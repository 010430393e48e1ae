// The lists family (src/engine/ops/lists.rs): a list state in buffer s (0 or 1) is
// part_count[s] grids with their positions (ops/state.glsl); split makes one from pick's
// parts, keep_best and drop_best filter it, compose lays it back into one grid. Every
// other op maps over the elements (ops/apply.glsl).

uint part_word(uint h, uint w, uint r0, uint c0, uint start) {
    return h | (w << 5) | (r0 << 10) | (c0 << 15) | (start << 20);
}

// Makes buffer d an empty list.
void begin_list(uint d) {
    part_count[d] = 0u;
    rows[d] = 0u;
    cols[d] = 0u;
    origin_r[d] = 0u;
    origin_c[d] = 0u;
}

// Appends an element header to the list in buffer d; its first cell, or NONE past
// MAX_PARTS elements or MAX_CELLS cells in all (mirrors Canvas::push_element).
uint push_element(uint d, uint h, uint w, uint r0, uint c0) {
    uint start = 0u;
    if (part_count[d] > 0u) {
        uint x = part_hdr[d][part_count[d] - 1u];
        start = (x >> 20) + (x & 31u) * ((x >> 5) & 31u);
    }
    if (part_count[d] >= MAX_PARTS || start + h * w > MAX_CELLS) return NONE;
    part_hdr[d][part_count[d]] = part_word(h, w, r0, c0, start);
    part_count[d]++;
    return start;
}

// split: pick's parts as a list, each cropped to its box with only its own cells.
bool op_split(uvec4 step, uint s, uint d) {
    if (part_count[s] != 0u) return false;
    uint w = cols[s];
    uint bg = background(s);
    collect_parts = true;
    bool any = offer_parts(step.y, s, bg, 0u);
    collect_parts = false;
    uint n = pick_parts;
    if (!any || n == 0u || n > MAX_PARTS) return false;
    uint r0 = origin_r[s], c0 = origin_c[s];
    begin_list(d);
    for (uint e = 0; e < n; e++) {
        uvec4 b = collected_box[e];
        uint mark = collected_mark[e];
        uint ph = b.z - b.x + 1u, pw = b.w - b.y + 1u;
        uint start = push_element(d, ph, pw, r0 + b.x, c0 + b.y);
        if (start == NONE) return false;
        for (uint r = 0; r < ph; r++) {
            for (uint c = 0; c < pw; c++) {
                uint i = (r + b.x) * w + c + b.y;
                bool own = step.y >= 3u || (step.y == 2u ? uint(cells[s][i]) == mark : uint(label[i]) == mark);
                cells[d][start + r * pw + c] = own ? cells[s][i] : uint8_t(0);
            }
        }
    }
    return true;
}

// compose: the elements laid in order (0 is clear) on a canvas of 0 spanning their boxes.
bool op_compose(uvec4 step, uint s, uint d) {
    uint n = part_count[s];
    if (n == 0u) return false;
    uint top = MAX_SIDE, left = MAX_SIDE, bottom = 0u, right = 0u;
    for (uint e = 0; e < n; e++) {
        uint x = part_hdr[s][e];
        uint r0 = (x >> 10) & 31u, c0 = (x >> 15) & 31u;
        top = min(top, r0);
        left = min(left, c0);
        bottom = max(bottom, r0 + (x & 31u));
        right = max(right, c0 + ((x >> 5) & 31u));
    }
    uint oh = bottom - top, ow = right - left;
    if (!sized(d, oh, ow)) return false;
    for (uint i = 0; i < oh * ow; i++) cells[d][i] = uint8_t(0);
    for (uint e = 0; e < n; e++) {
        uint x = part_hdr[s][e];
        uint h = x & 31u, w = (x >> 5) & 31u, r0 = (x >> 10) & 31u, c0 = (x >> 15) & 31u, start = x >> 20;
        for (uint r = 0; r < h; r++) {
            for (uint c = 0; c < w; c++) {
                uint8_t v = cells[s][start + r * w + c];
                if (v != uint8_t(0)) cells[d][(r + r0 - top) * ow + c + c0 - left] = v;
            }
        }
    }
    origin_r[d] = top;
    origin_c[d] = left;
    part_count[d] = 0u;
    return true;
}

// The elements keep_best(criterion) keeps, a bit each (mirrors best_elements in lists.rs).
uint best_elements(uint s, uint criterion) {
    uint n = part_count[s];
    int keys[MAX_PARTS];
    pick_begin();
    for (uint e = 0; e < n; e++) {
        uint x = part_hdr[s][e];
        uint h = x & 31u, w = (x >> 5) & 31u, r0 = (x >> 10) & 31u, c0 = (x >> 15) & 31u, start = x >> 20;
        uint count = 0u, colors = 0u;
        for (uint i = 0; i < h * w; i++) {
            uint v = uint(cells[s][start + i]);
            if (v != 0u) { count++; colors |= 1u << v; }
        }
        pick_offer(criterion, count, uvec4(r0, c0, r0 + h - 1u, c0 + w - 1u), colors, e);
        keys[e] = pick_key(criterion, count, r0, c0, r0 + h - 1u, c0 + w - 1u, bitCount(colors));
    }
    if (criterion == UNIQUE_COLOR) return pick_chosen(criterion) ? (1u << pick_mark) : 0u;
    int best = keys[0];
    for (uint e = 1; e < n; e++) best = max(best, keys[e]);
    uint chosen = 0u;
    for (uint e = 0; e < n; e++) if (keys[e] == best) chosen |= 1u << e;
    return chosen;
}

// The elements of buffer s whose bit is set in `keep`, in order; false when none is.
bool keep_elements(uint s, uint d, uint keep) {
    uint n = part_count[s];
    begin_list(d);
    for (uint e = 0; e < n; e++) {
        if (((keep >> e) & 1u) == 0u) continue;
        uint x = part_hdr[s][e];
        uint h = x & 31u, w = (x >> 5) & 31u, from = x >> 20;
        uint start = push_element(d, h, w, (x >> 10) & 31u, (x >> 15) & 31u);
        for (uint i = 0; i < h * w; i++) cells[d][start + i] = cells[s][from + i];
    }
    return part_count[d] > 0u;
}

bool op_keep_best(uvec4 step, uint s, uint d) {
    return part_count[s] != 0u && keep_elements(s, d, best_elements(s, step.y));
}

bool op_drop_best(uvec4 step, uint s, uint d) {
    return part_count[s] != 0u && keep_elements(s, d, ~best_elements(s, step.y));
}
