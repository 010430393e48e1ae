// The cell-parallel search kernel's declarations (driven by src/engine/vulkan/search.rs
// beside the one-thread kernel of search/main.glsl; its CPU twin is the same
// src/engine/search/cpu.rs). A workgroup takes one step application at a time (one step
// of an op in table::CELL_KERNEL_OPS on one input of one grid state): the source grid and
// the output in shared memory, one cell (or packed word) per thread, the print and the
// match summed over the threads. The bindings keep search/head.glsl's numbers.
#extension GL_EXT_shader_explicit_arithmetic_types_int8 : require

layout(local_size_x_id = 0) in;

const uint MAX_SIDE = 30;
const uint MAX_CELLS = 900;
const uint GRID_WORDS = 1 + MAX_CELLS / 4;
const uint LIST_RECORD = 1u << 30;

layout(std430, set = 0, binding = 0) readonly buffer Steps { uvec4 steps[]; };
layout(std430, set = 0, binding = 1) readonly buffer Frontier { uint frontier_words[]; };
layout(std430, set = 0, binding = 2) readonly buffer Expected { uint expected_words[]; };
layout(std430, set = 0, binding = 3) readonly buffer Segments { uvec4 segments[]; };
layout(std430, set = 0, binding = 8) writeonly buffer ItemPrints { uvec4 item_prints[]; };
layout(std430, set = 0, binding = 9) writeonly buffer ItemWords { uint item_words[]; };
layout(std430, set = 0, binding = 10) readonly buffer FrontierOffsets { uint frontier_offsets[]; };
layout(std430, set = 0, binding = 12) writeonly buffer ItemSizes { uint item_sizes[]; };
// One entry per (segment, step of its alphabet run here): (segment, the step's index in
// the job's alphabet, first unit, units = the segment's states * inputs). Unit u is one
// state's input under that step.
layout(std430, set = 0, binding = 13) readonly buffer Runs { uvec4 runs[]; };

layout(push_constant) uniform Params {
    uint units;
    uint run_count;
} params;

// The source grid and the output, one cell per byte.
shared uint8_t src_cells[MAX_CELLS];
shared uint8_t out_cells[MAX_CELLS];
// Per colour, its cells in the source (for the background).
shared uint colour_counts[10];
// The print's four lanes and the count of cells that differ, summed over the threads.
shared uint sums[5];

// The source grid's size and background, the same in every thread.
uint src_rows, src_cols, bg;
