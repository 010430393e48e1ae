// The search shader's declarations (driven by src/engine/vulkan/search.rs; its CPU twin is
// src/engine/search/cpu.rs). One level of many tasks' searches is one expand: an apply
// dispatch, where thread t applies one step of a task's alphabet to one state of its
// frontier on one train input and keeps the output's print and match in device memory,
// then a score dispatch, where thread t folds one candidate's inputs into its integer
// score word and 128-bit print (all that comes back). A materialise dispatch re-applies
// the chosen candidates and writes their grids as the next frontier, which never leaves
// the device. A pick-groups dispatch (MODE_PICK_GROUPS) and the cell kernel
// (search/cells.glsl) take some of apply's items: see search/main.glsl's main.

// local_size_x: WORKGROUP_SIZE (64), set by the host (Context::pipeline in
// src/engine/vulkan/context.rs).
layout(local_size_x_id = 0) in;

layout(std430, set = 0, binding = 0) readonly buffer Steps { uvec4 steps[]; };
// Grid records (ops/state.glsl, as long as their cells need) of the frontier, packed:
// record r (state-major, one per train input) starts at word frontier_offsets[r].
layout(std430, set = 0, binding = 1) readonly buffer Frontier { uint frontier_words[]; };
layout(std430, set = 0, binding = 2) readonly buffer Expected { uint expected_words[]; };
// Three uvec4 per segment (a range of one task's states): (first candidate, states, steps,
// first step), (record of its first state's input 0, inputs, first expected record, key
// scale), (first item, train inputs, finish, place): finish = 1 + c compares each output
// with its non-zero cells made c (the free finishing step, SearchJob::paint_finish), 0
// compares it as it is; place = 1 compares an output of another shape than its train
// output where the place op puts it (SearchJob::place_finish). Candidates are state-major; item = candidate * inputs + input. Inputs are
// the task's train inputs, then its test inputs (not scored).
layout(std430, set = 0, binding = 3) readonly buffer Segments { uvec4 segments[]; };
// Per candidate: 0 when a step gives no output on some input, else
// 1 << 31 | exact on every pair << 30 | sum over pairs of cells matched * scale / cells.
layout(std430, set = 0, binding = 4) writeonly buffer Scores { uint scores[]; };
layout(std430, set = 0, binding = 5) writeonly buffer Prints { uvec4 prints[]; };
// Materialise, one entry per record written: (source record, step, record written, its
// first word); the host places the records from the sizes the apply dispatch wrote.
layout(std430, set = 0, binding = 6) readonly buffer Chosen { uvec4 chosen[]; };
layout(std430, set = 0, binding = 7) writeonly buffer Next { uint next_words[]; };
// Per item (apply, then score): its output's grid print, and 0 for no output, else
// 1 << 31 | exact << 30 | cells matched * scale / cells.
layout(std430, set = 0, binding = 8) buffer ItemPrints { uvec4 item_prints[]; };
layout(std430, set = 0, binding = 9) buffer ItemWords { uint item_words[]; };
layout(std430, set = 0, binding = 10) readonly buffer FrontierOffsets { uint frontier_offsets[]; };
layout(std430, set = 0, binding = 11) writeonly buffer NextOffsets { uint next_offsets[]; };
// Per item: the words of its output's record (0 for no output), for placing the next frontier.
layout(std430, set = 0, binding = 12) writeonly buffer ItemSizes { uint item_sizes[]; };

// Per pick group (MODE_PICK_GROUPS in search/main.glsl): (segment, its first step's index in the
// job's alphabet, steps, first unit); unit u is one state's input under the whole group.
layout(std430, set = 0, binding = 13) readonly buffer PickRuns { uvec4 pick_runs[]; };

const uint MODE_APPLY = 0;
const uint MODE_SCORE = 1;
const uint MODE_MATERIALISE = 2;
// pick groups: each thread splits one state's input once and applies every step of a run
// of pick (or isolate) steps of one part kind to it
const uint MODE_PICK_GROUPS = 3;

// thread_order (apply): 0 = neighbouring threads take one step on neighbouring states
// (one op per warp); 1 = neighbouring threads take neighbouring steps on one state.
layout(push_constant) uniform Params {
    uint mode;
    uint count;
    uint segment_count;
    uint thread_order;
    // 1: the items whose step is in table::CELL_KERNEL_OPS on a grid state are the cell
    // kernel's (search/cells.glsl) and apply leaves them
    uint cell_kernel;
    // 0, or 1 + the only op whose items apply runs (BATT_SEARCH_OP_PROFILE: one dispatch per op)
    uint only_op;
    // 1: the pick and isolate items on a grid state are MODE_PICK_GROUPS's and apply leaves them
    uint pick_groups;
    // pick runs (MODE_PICK_GROUPS)
    uint run_count;
} params;
