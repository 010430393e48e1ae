// The lists family (src/engine/ops/lists.rs): a list state in buffer s (0 or 1) is
// part_count[s] grids with their positions (ops/state.glsl); split makes one from pick's
// parts, keep_best and drop_best filter it, compose and compose_growing lay it back into one
// grid, stack lays its elements side by side. Every
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
                bool own = is_rectangle_kind(step.y) || (step.y == 2u ? uint(cells[s][i]) == mark : uint(label[i]) == mark);
                cells[d][start + r * pw + c] = own ? cells[s][i] : uint8_t(0);
            }
        }
    }
    return true;
}

// The elements of buffer s laid in the order order[0..n) (later over earlier, 0 clear) on a
// canvas of 0 spanning their boxes, lying at the boxes' top-left (mirrors lay_elements).
bool lay_elements(uint s, uint d, uint order[MAX_PARTS], uint n) {
    uint top = MAX_SIDE, left = MAX_SIDE, bottom = 0u, right = 0u;
    for (uint k = 0; k < n; k++) {
        uint x = part_hdr[s][order[k]];
        uint r0 = (x >> 10) & 31u, c0 = (x >> 15) & 31u;
        top = min(top, r0);
        left = min(left, c0);
        bottom = max(bottom, r0 + (x & 31u));
        right = max(right, c0 + ((x >> 5) & 31u));
    }
    uint oh = bottom - top, ow = right - left;
    if (!sized(d, oh, ow)) return false;
    for (uint i = 0; i < oh * ow; i++) cells[d][i] = uint8_t(0);
    for (uint k = 0; k < n; k++) {
        uint x = part_hdr[s][order[k]];
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

// Element indices 0..n sorted by key, smallest first, stable (mirrors ordered_by: the same
// insertion sort).
void sort_elements(inout uint order[MAX_PARTS], uint key[MAX_PARTS], uint n) {
    for (uint i = 0; i < n; i++) order[i] = i;
    for (uint i = 1; i < n; i++) {
        uint j = i;
        while (j > 0u && key[order[j - 1u]] > key[order[j]]) {
            uint t = order[j - 1u];
            order[j - 1u] = order[j];
            order[j] = t;
            j--;
        }
    }
}

// compose: the elements laid in order (0 is clear) on a canvas of 0 spanning their boxes.
bool op_compose(uvec4 step, uint s, uint d) {
    uint n = part_count[s];
    if (n == 0u) return false;
    uint order[MAX_PARTS];
    for (uint e = 0; e < n; e++) order[e] = e;
    return lay_elements(s, d, order, n);
}

// compose_growing: the elements laid by their non-zero cells, most first.
bool op_compose_growing(uvec4 step, uint s, uint d) {
    uint n = part_count[s];
    if (n == 0u) return false;
    uint key[MAX_PARTS];
    for (uint e = 0; e < n; e++) {
        uint x = part_hdr[s][e];
        uint count = 0u, start = x >> 20, size = (x & 31u) * ((x >> 5) & 31u);
        for (uint i = 0; i < size; i++) if (cells[s][start + i] != uint8_t(0)) count++;
        key[e] = MAX_CELLS - count;
    }
    uint order[MAX_PARTS];
    sort_elements(order, key, n);
    return lay_elements(s, d, order, n);
}

// The least gap between neighbouring values of v[0..n) once sorted (MAX_SIDE for one).
uint least_gap(uint v[MAX_PARTS], uint n) {
    uint order[MAX_PARTS];
    sort_elements(order, v, n);
    uint gap = MAX_SIDE;
    for (uint k = 1; k < n; k++) gap = min(gap, v[order[k]] - v[order[k - 1u]]);
    return gap;
}

// stack: the elements side by side in order's sense (STACKINGS), the first's position kept.
bool op_stack(uvec4 step, uint s, uint d) {
    uint n = part_count[s];
    if (n == 0u) return false;
    uint tops[MAX_PARTS], lefts[MAX_PARTS], key[MAX_PARTS];
    for (uint e = 0; e < n; e++) {
        uint x = part_hdr[s][e];
        tops[e] = (x >> 10) & 31u;
        lefts[e] = (x >> 15) & 31u;
        key[e] = (x & 31u) * ((x >> 5) & 31u);
    }
    bool across = step.y == 1u;
    if (step.y == 0u) {
        across = least_gap(lefts, n) >= least_gap(tops, n);
        for (uint e = 0; e < n; e++) key[e] = across ? lefts[e] : tops[e];
    }
    uint order[MAX_PARTS];
    sort_elements(order, key, n);
    uint oh = 0u, ow = 0u;
    for (uint k = 0; k < n; k++) {
        uint x = part_hdr[s][order[k]];
        uint h = x & 31u, w = (x >> 5) & 31u;
        if (across) { oh = max(oh, h); ow += w; } else { oh += h; ow = max(ow, w); }
    }
    if (!sized(d, oh, ow)) return false;
    for (uint i = 0; i < oh * ow; i++) cells[d][i] = uint8_t(0);
    uint at = 0u;
    for (uint k = 0; k < n; k++) {
        uint x = part_hdr[s][order[k]];
        uint h = x & 31u, w = (x >> 5) & 31u, start = x >> 20;
        uint r0 = across ? 0u : at, c0 = across ? at : 0u;
        for (uint r = 0; r < h; r++) {
            for (uint c = 0; c < w; c++) cells[d][(r0 + r) * ow + c0 + c] = cells[s][start + r * w + c];
        }
        at += across ? w : h;
    }
    uint first = part_hdr[s][order[0]];
    origin_r[d] = (first >> 10) & 31u;
    origin_c[d] = (first >> 15) & 31u;
    part_count[d] = 0u;
    return true;
}

// keep_best's criteria past pick's (table::LIST_CRITERIA; mirrors lists.rs).
const uint MOST_ENCLOSED = 13u;
const uint FEWEST_ENCLOSED = 14u;

// The 0 cells of the h x w element at `start` of buffer s that no 4-connected path of 0
// cells joins to its edge (mirrors enclosed_cells in lists.rs; label and queue as scratch).
uint enclosed_cells(uint s, uint start, uint h, uint w) {
    uint n = h * w, tail = 0u;
    for (uint i = 0u; i < n; i++) {
        uint r = i / w, c = i % w;
        bool edge = cells[s][start + i] == uint8_t(0) && (r == 0u || c == 0u || r == h - 1u || c == w - 1u);
        label[i] = edge ? uint16_t(1) : uint16_t(0);
        if (edge) queue[tail++] = uint16_t(i);
    }
    uint head = 0u;
    while (head < tail) {
        uint i = uint(queue[head++]);
        int r = int(i / w), c = int(i % w);
        for (uint k = 0u; k < 4u; k++) {
            int nr = r + (k == 0u ? -1 : (k == 1u ? 1 : 0));
            int nc = c + (k == 2u ? -1 : (k == 3u ? 1 : 0));
            if (nr < 0 || nc < 0 || nr >= int(h) || nc >= int(w)) continue;
            uint j = uint(nr) * w + uint(nc);
            if (label[j] == uint16_t(0) && cells[s][start + j] == uint8_t(0)) {
                label[j] = uint16_t(1);
                queue[tail++] = uint16_t(j);
            }
        }
    }
    uint enclosed = 0u;
    for (uint i = 0u; i < n; i++) if (label[i] == uint16_t(0) && cells[s][start + i] == uint8_t(0)) enclosed++;
    return enclosed;
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
        if (criterion == MOST_ENCLOSED || criterion == FEWEST_ENCLOSED) {
            int enclosed = int(enclosed_cells(s, start, h, w));
            keys[e] = criterion == MOST_ENCLOSED ? enclosed : -enclosed;
        } else {
            keys[e] = pick_key(criterion, count, r0, c0, r0 + h - 1u, c0 + w - 1u, bitCount(colors));
        }
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
