// The search shader's entry point: apply (one step on one input of one state), score (a
// candidate's items into its score word and print) or materialise (write the chosen
// candidates' grids as the next frontier). Mirrors src/engine/search/cpu.rs. A frontier
// record's header is rows | cols << 5 | the pair's output size (target_rows << 10 |
// target_cols << 15, 0 when unknown, carried from the input to every state made from it) |
// the grid's position (origin_r << 20 | origin_c << 25): every field is below 32. A list
// state's record (ops/lists.glsl) is LIST_RECORD | its element count | the output size as
// above, then each element's header (part_hdr), then all its cells.

#include <search/print.glsl>

const uint LIST_RECORD = 1u << 30;

// The cells a state in buffer s holds: a grid's, or a list's elements' together.
uint state_cells(uint s) {
    if (part_count[s] == 0u) return rows[s] * cols[s];
    uint x = part_hdr[s][part_count[s] - 1u];
    return (x >> 20) + (x & 31u) * ((x >> 5) & 31u);
}

void load_frontier(uint record) {
    uint base = frontier_offsets[record];
    uint header = frontier_words[base];
    target_rows = (header >> 10) & 31u;
    target_cols = (header >> 15) & 31u;
    clear_buffers();
    uint first = base + 1;
    if ((header & LIST_RECORD) != 0u) {
        uint k = header & 31u;
        rows[0] = 0u;
        cols[0] = 0u;
        origin_r[0] = 0u;
        origin_c[0] = 0u;
        part_count[0] = k;
        for (uint e = 0; e < k; e++) part_hdr[0][e] = frontier_words[base + 1 + e];
        first += k;
    } else {
        part_count[0] = 0u;
        rows[0] = header & 31u;
        cols[0] = (header >> 5) & 31u;
        origin_r[0] = (header >> 20) & 31u;
        origin_c[0] = (header >> 25) & 31u;
    }
    uint n = state_cells(0);
    for (uint wi = 0; wi < (n + 3) / 4; wi++) {
        uint w = frontier_words[first + wi];
        for (uint k = 0; k < 4; k++) {
            uint i = wi * 4 + k;
            if (i < n) cells[0][i] = uint8_t((w >> (8 * k)) & 0xFFu);
        }
    }
}

// The first word a grid's print absorbs: rows | cols << 8 | its position << 16 (origin_r |
// origin_c << 5; `Canvas::origin_word`).
uint print_header(uint s) {
    return rows[s] | (cols[s] << 8) | ((origin_r[s] | (origin_c[s] << 5)) << 16);
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

// Words a state's print absorbs (mirrors print::canvas_print): a grid's header word (or
// LIST_RECORD | count, then each element's header), then its cells packed.
uvec4 print_state(uint s) {
    uint n = state_cells(s), words = 1u + (n + 3u) / 4u;
    uvec4 h = PRINT_SEED;
    uint position = 1u;
    if (part_count[s] == 0u) {
        h += print_word(print_header(s), 0u);
    } else {
        h += print_word(LIST_RECORD | part_count[s], 0u);
        for (uint e = 0; e < part_count[s]; e++) h += print_word(part_hdr[s][e], position++);
        words += part_count[s];
    }
    for (uint wi = 0; wi < (n + 3u) / 4u; wi++) h += print_word(packed_word(s, wi, n), position + wi);
    return print_finish(h, words);
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
// (one op per warp) on the inputs of neighbouring states. Finds its segment k, its item
// index, its input, the frontier record it reads and the step it applies.
void locate_item(uint t, out uint k, out uint item, out uint input_index, out uint record, out uint step_index) {
    k = find_segment(t, 2);
    uvec4 seg = segments[3 * k], where = segments[3 * k + 1];
    uint c = t - segments[3 * k + 2].x;
    uint step, state;
    input_index = c % where.y;
    if (params.thread_order == 0) {
        uint per_step = seg.y * where.y;
        step = c / per_step;
        state = (c % per_step) / where.y;
    } else {
        state = c / (seg.z * where.y);
        step = (c / where.y) % seg.z;
    }
    item = segments[3 * k + 2].x + (state * seg.z + step) * where.y + input_index;
    record = where.x + state * where.y + input_index;
    step_index = seg.w + step;
}

// The cells of packed word w (under the finishing paint: each non-zero byte made c, `paint`
// = c in every byte, when finish != 0) that differ from the expected word's.
uint differing_cells(uint w, uint paint, uint finish, uint expected_word) {
    if (finish != 0u) {
        // each non-zero byte becomes c: a byte's mask is 0xFF where it is non-zero
        uint nz = w | (w >> 4);
        nz |= nz >> 2;
        nz |= nz >> 1;
        nz = (nz & 0x01010101u) * 0xFFu;
        w = paint & nz;
    }
    uint x = w ^ expected_word;
    uint differ = 0u;
    for (uint b = 0; b < 4; b++) differ += ((x >> (8 * b)) & 0xFFu) != 0 ? 1 : 0;
    return differ;
}

// Item `item`'s results, its step applied (`applied`) into buffer 1: its record size, its
// print and, on a train input, its match against the expected output.
void score_item(bool applied, uint k, uint item, uint input_index) {
    uvec4 where = segments[3 * k + 1];
    if (!applied) {
        item_words[item] = 0;
        item_sizes[item] = 0;
        return;
    }
    uint n = state_cells(1);
    item_sizes[item] = 1 + part_count[1] + (n + 3) / 4;
    if (input_index >= segments[3 * k + 2].y) {
        // a test input: only its print counts (valid and neutral for exactness, key 0)
        item_prints[item] = print_state(1);
        item_words[item] = 0xC0000000u;
        return;
    }
    uint e = (where.z + input_index) * GRID_WORDS;
    uint expected = expected_words[e];
    uint expected_rows = expected & 0xFFu, expected_cols = (expected >> 8) & 0xFFu;
    // the free finishing step (SearchJob::paint_finish): the output with every non-zero
    // colour made c (the permute op's table 0ccccccccc) is what is compared, each cell
    // painted as it is read (no second grid written)
    uint finish = segments[3 * k + 2].z;
    uint paint = finish != 0u ? (finish - 1u) * 0x01010101u : 0u;
    uint differ = 0;
    bool same_shape;
    uint cn;
    if (part_count[1] == 0u && expected_rows == rows[1] && expected_cols == cols[1]) {
        // a grid of the train output's shape (no compose, no placing): its print and its
        // match in one pass over its cells
        same_shape = true;
        cn = n;
        uvec4 h = PRINT_SEED + print_word(print_header(1), 0u);
        uint words = (n + 3u) / 4u;
        for (uint wi = 0; wi < words; wi++) {
            uint w = packed_word(1, wi, n);
            h += print_word(w, 1u + wi);
            differ += differing_cells(w, paint, finish, expected_words[e + 1 + wi]);
        }
        item_prints[item] = print_finish(h, 1u + words);
    } else {
        item_prints[item] = print_state(1);
        // the free compose: a list state is compared as the compose op lays it out, into
        // buffer 0 (the state's own grids are no longer needed)
        uint compared = 1u;
        if (part_count[1] != 0u && apply_finishing(uvec4(OP_COMPOSE, 0u, 0u, 0u), 1, 0)) compared = 0u;
        // the free placing step (SearchJob::place_finish): an output of another shape that
        // lies at a position other than 0, 0 (a crop's) is compared where the place op puts
        // it, into the other buffer, or as it is when it does not fit
        bool positioned = (origin_r[compared] | origin_c[compared]) != 0u;
        if (segments[3 * k + 2].w != 0u && part_count[compared] == 0u && positioned && (expected_rows != rows[compared] || expected_cols != cols[compared])) {
            // (into buffer 2 when the output is in 1: a pick group's source stays in buffer 0)
            uint placed = compared == 1u ? 2u : 1u;
            if (apply_finishing(uvec4(OP_PLACE, 0u, 0u, 0u), compared, placed)) compared = placed;
        }
        same_shape = part_count[compared] == 0u && expected_rows == rows[compared] && expected_cols == cols[compared];
        cn = rows[compared] * cols[compared];
        if (same_shape) {
            for (uint wi = 0; wi < (cn + 3) / 4; wi++) differ += differing_cells(packed_word(compared, wi, cn), paint, finish, expected_words[e + 1 + wi]);
        }
    }
    uint expected_cells = expected_rows * expected_cols;
    uint matched = same_shape ? cn - differ : 0;
    bool exact = same_shape && differ == 0;
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
        h += print_word(g.x, 4u * i) + print_word(g.y, 4u * i + 1u) + print_word(g.z, 4u * i + 2u) + print_word(g.w, 4u * i + 3u);
    }
    scores[t] = produced ? (0x80000000u | (exact ? 0x40000000u : 0u) | key) : 0u;
    prints[t] = produced ? print_finish(h, 4 * where.y) : uvec4(0);
}

// Chosen entry ch's record of the next frontier, its step applied (`applied`) into buffer 1.
void write_record(bool applied, uvec4 ch) {
    next_offsets[ch.z] = ch.w;
    if (!applied) {
        next_words[ch.w] = 0; // never chosen: the host keeps only candidates with outputs
        return;
    }
    uint n = state_cells(1), first = ch.w + 1;
    if (part_count[1] == 0u) {
        next_words[ch.w] = rows[1] | (cols[1] << 5) | (target_rows << 10) | (target_cols << 15) | (origin_r[1] << 20) | (origin_c[1] << 25);
    } else {
        next_words[ch.w] = LIST_RECORD | part_count[1] | (target_rows << 10) | (target_cols << 15);
        for (uint e = 0; e < part_count[1]; e++) next_words[first + e] = part_hdr[1][e];
        first += part_count[1];
    }
    for (uint wi = 0; wi < (n + 3) / 4; wi++) next_words[first + wi] = packed_word(1, wi, n);
}

// The pick run holding unit t: the last whose first unit is <= t.
uint find_pick_run(uint t) {
    uint lo = 0, hi = params.run_count;
    while (hi - lo > 1) {
        uint mid = (lo + hi) / 2;
        if (pick_runs[mid].w <= t) lo = mid; else hi = mid;
    }
    return lo;
}

// Apply (one step on one state's input), pick groups (one state's input split once into
// pick's parts of a run's kind, every criterion's best kept apart, then each step of the
// run made from that split's recorded parts: ops/objects.glsl's pick_reuse) and materialise all go through
// one call of apply and one of score_item (a shader compiler inlines the whole op switch
// at each call: one call site keeps the pipeline's compile time down, on lavapipe most).
void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint t = gl_GlobalInvocationID.x; t < params.count; t += stride) {
        if (params.mode == MODE_SCORE) {
            score_candidate(t);
            continue;
        }
        uint k = 0, item = 0, input_index = 0, record, step_index, steps_here = 1u, state = 0u;
        uvec4 ch = uvec4(0);
        bool group = params.mode == MODE_PICK_GROUPS;
        if (group) {
            uvec4 run = pick_runs[find_pick_run(t)];
            k = run.x;
            uvec4 where = segments[3 * k + 1];
            uint c = t - run.w;
            state = c / where.y;
            input_index = c % where.y;
            record = where.x + state * where.y + input_index;
            step_index = segments[3 * k].w + run.y;
            steps_here = run.z;
        } else if (params.mode == MODE_APPLY) {
            locate_item(t, k, item, input_index, record, step_index);
            uint op = steps[step_index].x;
            if (params.only_op != 0u && op + 1u != params.only_op) continue;
            bool grid_state = (frontier_words[frontier_offsets[record]] & LIST_RECORD) == 0u;
            if (params.cell_kernel != 0u && in_cell_kernel(op) && grid_state) continue;
            if (params.pick_groups != 0u && (op == OP_PICK || op == OP_ISOLATE) && grid_state) continue;
        } else {
            ch = chosen[t];
            record = ch.x;
            step_index = ch.y;
        }
        load_frontier(record);
        if (group) {
            if (part_count[0] != 0u) continue; // a list state: apply's
            pick_reuse = 1u;
            group_memo_count = 0u;
        }
        for (uint j = 0; j < steps_here; j++) {
            if (group) {
                uvec4 seg = segments[3 * k];
                item = segments[3 * k + 2].x + (state * seg.z + (step_index - seg.w) + j) * segments[3 * k + 1].y + input_index;
                group_repeat = NONE;
            }
            bool applied = apply(steps[step_index + j], 0, 1);
            if (params.mode == MODE_MATERIALISE) {
                write_record(applied, ch);
            } else if (group && applied && group_repeat != NONE) {
                // a part an earlier step of the group chose: the same output, scored there
                uint earlier = group_memo_item[group_repeat];
                item_prints[item] = item_prints[earlier];
                item_words[item] = item_words[earlier];
                item_sizes[item] = group_memo_size[group_repeat];
            } else {
                score_item(applied, k, item, input_index);
                if (group && applied && group_memo_count < GROUP_MEMO) {
                    group_memo_part[group_memo_count] = group_part;
                    group_memo_item[group_memo_count] = item;
                    group_memo_size[group_memo_count] = 1u + part_count[1] + (state_cells(1) + 3u) / 4u;
                    group_memo_count++;
                }
            }
        }
        pick_reuse = 0u;
    }
}
