// The cell-parallel search kernel's entry point: workgroup g takes units g, g + groups, …;
// each is one step on one input of one grid state, scored as search/main.glsl's score_item
// scores it (the same item words, record sizes and prints, which the score dispatch then
// folds). Every branch below depends only on the unit, so the workgroup takes it together
// and its barriers are reached by every thread.

// The run holding unit u: the last whose first unit is <= u.
uint find_run(uint u) {
    uint lo = 0, hi = params.run_count;
    while (hi - lo > 1) {
        uint mid = (lo + hi) / 2;
        if (runs[mid].z <= u) lo = mid; else hi = mid;
    }
    return lo;
}

// Cells wi*4 .. wi*4+3 of the output (n cells), one per byte, 0 past the end.
uint out_word(uint wi, uint n) {
    uint word = 0;
    for (uint k = 0; k < 4; k++) {
        uint i = wi * 4 + k;
        if (i < n) word |= uint(out_cells[i]) << (8 * k);
    }
    return word;
}

void main() {
    uint tid = gl_LocalInvocationID.x, threads = gl_WorkGroupSize.x;
    for (uint u = gl_WorkGroupID.x; u < params.units; u += gl_NumWorkGroups.x) {
        uvec4 run = runs[find_run(u)];
        uint k = run.x;
        uvec4 seg = segments[3 * k], where = segments[3 * k + 1], extra = segments[3 * k + 2];
        uint c = u - run.z;
        uint state = c / where.y, input_index = c % where.y;
        uint item = extra.x + (state * seg.z + run.y) * where.y + input_index;
        uint record = where.x + state * where.y + input_index;
        uvec4 step = steps[seg.w + run.y];
        uint base = frontier_offsets[record];
        uint header = frontier_words[base];
        // the previous unit's threads are done with the shared grids and sums
        barrier();
        if ((header & LIST_RECORD) != 0u) continue; // a list state: the one-thread kernel's
        src_rows = header & 31u;
        src_cols = (header >> 5) & 31u;
        uint target_rows = (header >> 10) & 31u, target_cols = (header >> 15) & 31u;
        uint origin_r = (header >> 20) & 31u, origin_c = (header >> 25) & 31u;
        uint n = src_rows * src_cols;
        for (uint wi = tid; wi < (n + 3u) / 4u; wi += threads) {
            uint w = frontier_words[base + 1u + wi];
            for (uint b = 0; b < 4u; b++) {
                uint i = wi * 4u + b;
                if (i < n) src_cells[i] = uint8_t((w >> (8u * b)) & 0xFFu);
            }
        }
        if (tid < 10u) colour_counts[tid] = 0u;
        if (tid < 5u) sums[tid] = 0u;
        barrier();
        bg = 0u;
        if (cell_needs_background(step.x)) {
            for (uint i = tid; i < n; i += threads) atomicAdd(colour_counts[uint(src_cells[i])], 1u);
            barrier();
            // 0 when the grid has a 0 cell, else the most common colour (ties: the smallest)
            if (colour_counts[0] == 0u) {
                uint best_count = 0u;
                for (uint colour = 1u; colour < 10u; colour++) {
                    if (colour_counts[colour] > best_count) { bg = colour; best_count = colour_counts[colour]; }
                }
            }
        }
        uint oh, ow;
        if (!cell_size(step, oh, ow) || oh < 1u || ow < 1u || oh > MAX_SIDE || ow > MAX_SIDE) {
            if (tid == 0u) {
                item_words[item] = 0u;
                item_sizes[item] = 0u;
            }
            continue;
        }
        uint on = oh * ow;
        for (uint i = tid; i < on; i += threads) out_cells[i] = uint8_t(cell_value(step, i / ow, i % ow));
        barrier();
        // the frame rule: an output reaching past the 30x30 frame from its position lies at 0, 0
        if (origin_r + oh > MAX_SIDE || origin_c + ow > MAX_SIDE) {
            origin_r = 0u;
            origin_c = 0u;
        }
        uint words = (on + 3u) / 4u;
        uvec4 h = uvec4(0u);
        for (uint wi = tid; wi < words; wi += threads) h += print_word(out_word(wi, on), 1u + wi);
        if (tid == 0u) h += print_word(oh | (ow << 8) | ((origin_r | (origin_c << 5)) << 16), 0u);
        bool train = input_index < extra.y;
        uint e = (where.z + input_index) * GRID_WORDS;
        uint expected_rows = 0u, expected_cols = 0u, compared_rows = oh, compared_cols = ow, r0 = 0u, c0 = 0u;
        bool placed = false;
        if (train) {
            uint expected = expected_words[e];
            expected_rows = expected & 0xFFu;
            expected_cols = (expected >> 8) & 0xFFu;
            // the free placing step (SearchJob::place_finish), as search/main.glsl runs it
            bool positioned = (origin_r | origin_c) != 0u;
            if (extra.w != 0u && positioned && (expected_rows != oh || expected_cols != ow) && target_rows != 0u && target_cols != 0u) {
                bool same = oh == target_rows && ow == target_cols;
                r0 = same ? 0u : origin_r;
                c0 = same ? 0u : origin_c;
                if (r0 + oh <= target_rows && c0 + ow <= target_cols) {
                    placed = true;
                    compared_rows = target_rows;
                    compared_cols = target_cols;
                }
            }
        }
        bool same_shape = train && expected_rows == compared_rows && expected_cols == compared_cols;
        uint cn = compared_rows * compared_cols;
        uint differ = 0u;
        if (same_shape) {
            // the free finishing paint (SearchJob::paint_finish): non-zero cells made c
            uint finish = extra.z;
            for (uint wi = tid; wi < (cn + 3u) / 4u; wi += threads) {
                uint expected_word = expected_words[e + 1u + wi];
                for (uint b = 0; b < 4u; b++) {
                    uint i = wi * 4u + b;
                    if (i >= cn) break;
                    uint v;
                    if (placed) {
                        uint r = i / compared_cols, cc = i % compared_cols;
                        bool inside = r >= r0 && r < r0 + oh && cc >= c0 && cc < c0 + ow;
                        v = inside ? uint(out_cells[(r - r0) * ow + cc - c0]) : 0u;
                    } else {
                        v = uint(out_cells[i]);
                    }
                    if (finish != 0u && v != 0u) v = finish - 1u;
                    differ += v != ((expected_word >> (8u * b)) & 0xFFu) ? 1u : 0u;
                }
            }
        }
        atomicAdd(sums[0], h.x);
        atomicAdd(sums[1], h.y);
        atomicAdd(sums[2], h.z);
        atomicAdd(sums[3], h.w);
        atomicAdd(sums[4], differ);
        barrier();
        if (tid == 0u) {
            item_sizes[item] = 1u + words;
            item_prints[item] = print_finish(PRINT_SEED + uvec4(sums[0], sums[1], sums[2], sums[3]), 1u + words);
            if (!train) {
                item_words[item] = 0xC0000000u; // a test input: only its print counts
            } else {
                uint matched = same_shape ? cn - sums[4] : 0u;
                bool exact = same_shape && sums[4] == 0u;
                item_words[item] = 0x80000000u | (exact ? 0x40000000u : 0u) | (matched * where.w / (expected_rows * expected_cols));
            }
        }
    }
}
