// The evaluation shader's entry point (mirrors src/engine/cpu.rs): each thread takes items
// (a grid-stride loop), loads the input grid, applies the program's steps through the
// generated `apply` dispatch, scores the result and writes the packed result word and,
// when asked, the output grid.

void main() {
    uint stride = gl_NumWorkGroups.x * gl_WorkGroupSize.x;
    for (uint item_index = gl_GlobalInvocationID.x; item_index < params.item_count; item_index += stride) {
        uvec4 item;
        if (params.cross_inputs == 0) {
            item = items[item_index];
        } else {
            uint i = item_index % params.cross_inputs;
            item = uvec4(item_index / params.cross_inputs, i,
                         params.expected_base == NONE ? NONE : params.expected_base + i,
                         params.want_outputs != 0 ? item_index : NONE);
        }
        uint header = grid_words[item.y * GRID_WORDS];
        target_rows = 0u;
        target_cols = 0u;
        clear_buffers();
        rows[0] = header & 0xFFu;
        cols[0] = (header >> 8) & 0xFFu;
        uint n = rows[0] * cols[0];
        for (uint i = 0; i < n; i++) cells[0][i] = uint8_t(grid_cell(item.y, i));
        Program p = programs[item.x];
        uint cur = 0;
        bool ok = true;
        for (uint k = 0; k < p.len && ok; k++) {
            ok = apply(p.steps[k], cur, 1 - cur);
            cur = 1 - cur;
        }
        // a program's output is a grid: one whose result is a list has none
        ok = ok && part_count[cur] == 0u;
        if (!ok) {
            results[item_index] = 0;
            continue;
        }
        n = rows[cur] * cols[cur];
        uint flags = 1, matched = 0;
        if (item.z != NONE) {
            uint expected = grid_words[item.z * GRID_WORDS];
            if ((expected & 0xFFu) == rows[cur] && ((expected >> 8) & 0xFFu) == cols[cur]) {
                flags |= 2;
                for (uint i = 0; i < n; i++) if (uint(cells[cur][i]) == grid_cell(item.z, i)) matched++;
                if (matched == n) flags |= 4;
            }
        }
        if (item.w != NONE) {
            uint base = item.w * GRID_WORDS;
            output_words[base] = rows[cur] | (cols[cur] << 8);
            for (uint wi = 0; wi < (n + 3) / 4; wi++) {
                uint word = 0;
                for (uint k = 0; k < 4; k++) {
                    uint i = wi * 4 + k;
                    if (i < n) word |= uint(cells[cur][i]) << (8 * k);
                }
                output_words[base + 1 + wi] = word;
            }
        }
        results[item_index] = flags | (matched << 3) | (rows[cur] << 13) | (cols[cur] << 18);
    }
}
