// The search shader's entry point: apply (one step on one input of one state), score (a
// candidate's items into its score word and print) or materialise (write the chosen
// candidates' grids as the next frontier). Mirrors src/engine/search/cpu.rs. A frontier
// record's header is rows | cols << 8 | the pair's output size (target_rows << 16 |
// target_cols << 24, 0 when unknown), carried from the input to every state made from it.

#include <search/print.glsl>

void load_frontier(uint record) {
    uint base = frontier_offsets[record];
    uint header = frontier_words[base];
    rows[0] = header & 0xFFu;
    cols[0] = (header >> 8) & 0xFFu;
    target_rows = (header >> 16) & 0xFFu;
    target_cols = (header >> 24) & 0xFFu;
    uint n = rows[0] * cols[0];
    for (uint wi = 0; wi < (n + 3) / 4; wi++) {
        uint w = frontier_words[base + 1 + wi];
        for (uint k = 0; k < 4; k++) {
            uint i = wi * 4 + k;
            if (i < n) cells[0][i] = uint8_t((w >> (8 * k)) & 0xFFu);
        }
    }
}

// Cells wi*4 .. wi*4+3 of buffer s, one per byte, 0 past the end.
uint packed_word(uint s, uint wi, uint n) {
    uint word = 0;
    for (uint k = 0; k < 4; k++) {
        uint i = wi * 4 + k;
        if (i < n) word |= uint(cells[s][i]) << (8 * k);
    }
    return word;
}

// The segment holding thread t: the last whose first thread (field `field` of its entry
// `part`) is <= t.
uint find_segment(uint t, uint part) {
    uint lo = 0, hi = params.segment_count;
    while (hi - lo > 1) {
        uint mid = (lo + hi) / 2;
        uint first = part == 0 ? segments[3 * mid].x : segments[3 * mid + 2].x;
        if (first <= t) lo = mid; else hi = mid;
    }
    return lo;
}

// Item t: one step on one input of one state. Neighbouring threads take the same step
// (one op per warp) on the inputs of neighbouring states.
void apply_item(uint t) {
    uint k = find_segment(t, 2);
    uvec4 seg = segments[3 * k], where = segments[3 * k + 1];
    uint c = t - segments[3 * k + 2].x;
    uint step, state, input_index = c % where.y;
    if (params.thread_order == 0) {
        uint per_step = seg.y * where.y;
        step = c / per_step;
        state = (c % per_step) / where.y;
    } else {
        state = c / (seg.z * where.y);
        step = (c / where.y) % seg.z;
    }
    uint item = segments[3 * k + 2].x + (state * seg.z + step) * where.y + input_index;
    load_frontier(where.x + state * where.y + input_index);
    if (!apply(steps[seg.w + step], 0, 1)) {
        item_words[item] = 0;
        item_sizes[item] = 0;
        return;
    }
    uint n = rows[1] * cols[1], nw = (n + 3) / 4;
    item_sizes[item] = 1 + nw;
    if (input_index >= segments[3 * k + 2].y) {
        // a test input: only its print counts (valid and neutral for exactness, key 0)
        uvec4 ht = print_absorb(PRINT_SEED, rows[1] | (cols[1] << 8));
        for (uint wi = 0; wi < nw; wi++) ht = print_absorb(ht, packed_word(1, wi, n));
        item_prints[item] = print_finish(ht, 1 + nw);
        item_words[item] = 0xC0000000u;
        return;
    }
    uint e = (where.z + input_index) * GRID_WORDS;
    uint expected = expected_words[e];
    bool same_shape = (expected & 0xFFu) == rows[1] && ((expected >> 8) & 0xFFu) == cols[1];
    // the free finishing step (SearchJob::paint_finish): the output with every non-zero
    // colour made c, by the permute op itself (table 0ccccccccc) into buffer 0 (the state's
    // grid is no longer needed), is what is compared
    uint finish = segments[3 * k + 2].z;
    if (finish != 0u && same_shape) {
        uint c = finish - 1u;
        apply(uvec4(OP_PERMUTE, (c * 0x11111111u) & ~0xFu, c * 0x11u, 0u), 1, 0);
    }
    uint compared = finish != 0u ? 0u : 1u;
    uint differ = 0;
    uvec4 h = print_absorb(PRINT_SEED, rows[1] | (cols[1] << 8));
    for (uint wi = 0; wi < nw; wi++) {
        uint word = packed_word(1, wi, n);
        h = print_absorb(h, word);
        if (same_shape) {
            uint x = packed_word(compared, wi, n) ^ expected_words[e + 1 + wi];
            for (uint b = 0; b < 4; b++) differ += ((x >> (8 * b)) & 0xFFu) != 0 ? 1 : 0;
        }
    }
    uint expected_cells = (expected & 0xFFu) * ((expected >> 8) & 0xFFu);
    uint matched = same_shape ? n - differ : 0;
    bool exact = same_shape && differ == 0;
    item_prints[item] = print_finish(h, 1 + nw);
    item_words[item] = 0x80000000u | (exact ? 0x40000000u : 0u) | (matched * where.w / expected_cells);
}

// Candidate t: its items folded into one score word and one state print.
void score_candidate(uint t) {
    uint k = find_segment(t, 0);
    uvec4 where = segments[3 * k + 1];
    uint first = segments[3 * k + 2].x + (t - segments[3 * k].x) * where.y;
    uvec4 h = PRINT_SEED;
    uint key = 0;
    bool exact = true, produced = true;
    for (uint i = 0; i < where.y; i++) {
        uint w = item_words[first + i];
        produced = produced && w != 0;
        exact = exact && (w & 0x40000000u) != 0;
        key += w & 0x3FFFFFFFu;
        uvec4 g = item_prints[first + i];
        h = print_absorb(print_absorb(print_absorb(print_absorb(h, g.x), g.y), g.z), g.w);
    }
    scores[t] = produced ? (0x80000000u | (exact ? 0x40000000u : 0u) | key) : 0u;
    prints[t] = produced ? print_finish(h, 4 * where.y) : uvec4(0);
}

// Thread t writes one record of the next frontier (chosen entry t).
void materialise(uint t) {
    uvec4 ch = chosen[t];
    load_frontier(ch.x);
    next_offsets[ch.z] = ch.w;
    if (!apply(steps[ch.y], 0, 1)) {
        next_words[ch.w] = 0; // never chosen: the host keeps only candidates with outputs
        return;
    }
    uint n = rows[1] * cols[1];
    next_words[ch.w] = rows[1] | (cols[1] << 8) | (target_rows << 16) | (target_cols << 24);
    for (uint wi = 0; wi < (n + 3) / 4; wi++) next_words[ch.w + 1 + wi] = packed_word(1, wi, n);
}

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint t = gl_GlobalInvocationID.x; t < params.count; t += stride) {
        if (params.mode == MODE_APPLY) apply_item(t);
        else if (params.mode == MODE_SCORE) score_candidate(t);
        else materialise(t);
    }
}
