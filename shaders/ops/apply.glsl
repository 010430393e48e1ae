// Applies one step to a grid, or to each element of a list state (list ops take the list
// whole): every shader runs steps through this; apply_image is the op table's dispatch.
// Elements go through buffers 2 and 3 one by one. Mirrors apply_cpu in
// src/engine/ops/lists.rs.

// One call site of apply_image (the op table's whole switch): a shader compiler inlines
// it wherever it is called, so apply walks a grid (one pass, s to d) and a list's elements
// (a pass each, through buffers 2 and 3) in one loop.
bool apply(uvec4 step, uint s, uint d) {
    bool list = part_count[s] != 0u && !is_list_op(step.x);
    uint n = list ? part_count[s] : 1u;
    if (list) begin_list(d);
    for (uint e = 0; e < n; e++) {
        uint from = s, to = d;
        if (list) {
            uint x = part_hdr[s][e];
            uint h = x & 31u, w = (x >> 5) & 31u, first = x >> 20;
            rows[2] = h;
            cols[2] = w;
            origin_r[2] = (x >> 10) & 31u;
            origin_c[2] = (x >> 15) & 31u;
            part_count[2] = 0u;
            for (uint i = 0; i < h * w; i++) cells[2][i] = cells[s][first + i];
            from = 2u;
            to = 3u;
        } else {
            part_count[d] = 0u;
        }
        if (!apply_image(step, from, to)) return false;
        if (list) {
            uint start = push_element(d, rows[3], cols[3], origin_r[3], origin_c[3]);
            if (start == NONE) return false;
            for (uint i = 0; i < rows[3] * cols[3]; i++) cells[d][start + i] = cells[3][i];
        }
    }
    return true;
}

// The search's free compose and placing steps on buffer s into d, as apply_image runs
// them (the position passed on, then the frame rule) but without a second copy of the
// whole switch. (The free finishing paint is compared in place: search/main.glsl.)
bool apply_finishing(uvec4 step, uint s, uint d) {
    origin_r[d] = origin_r[s];
    origin_c[d] = origin_c[s];
    part_count[d] = 0u;
    bool applied = step.x == OP_COMPOSE ? op_compose(step, s, d) : op_place(step, s, d);
    if (origin_r[d] + rows[d] > MAX_SIDE || origin_c[d] + cols[d] > MAX_SIDE) {
        origin_r[d] = 0u;
        origin_c[d] = 0u;
    }
    return applied;
}
