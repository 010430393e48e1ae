// What every op kernel works on, in every shader that runs ops (eval.comp, search.comp):
// two private 30x30 grid buffers, the scratch space of objects and fills, and the grid
// record layout shared with the host. Mirrors `Canvas` and `Scratch` in
// src/engine/ops/mod.rs.
#extension GL_EXT_shader_explicit_arithmetic_types_int8 : require
#extension GL_EXT_shader_explicit_arithmetic_types_int16 : require

const uint MAX_STEPS = 7;
const uint MAX_SIDE = 30;
const uint MAX_CELLS = 900;
// A grid record: word 0 = rows | cols << 8, then one colour per byte, 4 per word.
const uint GRID_WORDS = 1 + MAX_CELLS / 4;
const uint NONE = 0xFFFFFFFFu;
const uint16_t NO_LABEL = uint16_t(0xFFFF);

// Private to each invocation: four grid buffers (0 and 1 hold a program's states; 2 and 3
// take a list's elements one by one, ops/apply.glsl) and the scratch space of objects and
// fills.
uint8_t cells[4][MAX_CELLS];
uint rows[4], cols[4];
uint16_t label[MAX_CELLS];
uint16_t queue[MAX_CELLS];
uint bbox[4]; // top, left, bottom, right of the last picked object
// The output size of the pair whose input is being run (to_output_size), 0 when unknown:
// a search input record carries it in its header's upper half; the evaluation shader
// never knows it (it sets 0 before each item). Mirrors `Canvas::target`.
uint target_rows, target_cols;
// Each buffer's position: where its top-left cell lies in the input (row, column). A crop
// moves it (moved_by), to_origin sets 0, every other op keeps it; apply puts a grid reaching
// past the 30x30 frame at 0. Mirrors `Canvas::origin`.
uint origin_r[4], origin_c[4];
// A list state (ops/lists.glsl; `Canvas::parts`): buffer s (0 or 1) holds part_count[s]
// elements (0: one grid), element e's header part_hdr[s][e] (rows | cols << 5 | origin row
// << 10 | origin column << 15 | first cell << 20), their cells one after another.
uint part_count[4];
uint part_hdr[2][MAX_PARTS];

// Every buffer's size, position and element count set to 0: each item (evaluation) and each
// frontier state (search) starts from here, so nothing the invocation's previous item left
// in them is read.
void clear_buffers() {
    for (uint b = 0u; b < 4u; b++) {
        rows[b] = 0u;
        cols[b] = 0u;
        origin_r[b] = 0u;
        origin_c[b] = 0u;
        part_count[b] = 0u;
    }
}

uint at(uint s, uint r, uint c) { return uint(cells[s][r * cols[s] + c]); }
// Like at() with the width in a register (cols[] is indexed dynamically: local memory).
uint atw(uint s, uint w, uint r, uint c) { return uint(cells[s][r * w + c]); }
