// The search's cell-parallel ops (table::CELL_KERNEL_OPS), the twins of the symmetry and
// colour families' kernels (shaders/ops/symmetry.glsl, color.glsl; src/engine/ops/): for
// each op, cell_size_<name> gives the output's size from the source's (false: no output)
// and cell_<name> the output's cell at (r, c), read from src_cells. `bg` is the source's
// background (cell_needs_background says which ops read it).

bool cell_needs_background(uint op) { return op == OP_PAINT || op == OP_ERASE || op == OP_KEEP_COLOR; }

bool same_size(out uint oh, out uint ow) { oh = src_rows; ow = src_cols; return true; }
bool swapped_size(out uint oh, out uint ow) { oh = src_cols; ow = src_rows; return true; }
uint src_at(uint r, uint c) { return uint(src_cells[r * src_cols + c]); }

bool cell_size_identity(uvec4 step, out uint oh, out uint ow) { return same_size(oh, ow); }
bool cell_size_rot90(uvec4 step, out uint oh, out uint ow) { return swapped_size(oh, ow); }
bool cell_size_rot180(uvec4 step, out uint oh, out uint ow) { return same_size(oh, ow); }
bool cell_size_rot270(uvec4 step, out uint oh, out uint ow) { return swapped_size(oh, ow); }
bool cell_size_flip_updown(uvec4 step, out uint oh, out uint ow) { return same_size(oh, ow); }
bool cell_size_flip_leftright(uvec4 step, out uint oh, out uint ow) { return same_size(oh, ow); }
bool cell_size_transpose(uvec4 step, out uint oh, out uint ow) { return swapped_size(oh, ow); }
bool cell_size_antitranspose(uvec4 step, out uint oh, out uint ow) { return swapped_size(oh, ow); }

uint cell_identity(uvec4 step, uint r, uint c) { return src_at(r, c); }
uint cell_rot90(uvec4 step, uint r, uint c) { return src_at(src_rows - 1u - c, r); }
uint cell_rot180(uvec4 step, uint r, uint c) { return src_at(src_rows - 1u - r, src_cols - 1u - c); }
uint cell_rot270(uvec4 step, uint r, uint c) { return src_at(c, src_cols - 1u - r); }
uint cell_flip_updown(uvec4 step, uint r, uint c) { return src_at(src_rows - 1u - r, c); }
uint cell_flip_leftright(uvec4 step, uint r, uint c) { return src_at(r, src_cols - 1u - c); }
uint cell_transpose(uvec4 step, uint r, uint c) { return src_at(c, r); }
uint cell_antitranspose(uvec4 step, uint r, uint c) { return src_at(src_rows - 1u - c, src_cols - 1u - r); }

// A colour through a table of 10 nibbles: colours 0-7 in lo, 8-9 in hi (color.glsl's).
uint mapped(uint v, uint lo, uint hi) { return v < 8u ? (lo >> (4u * v)) & 0xFu : (hi >> (4u * (v - 8u))) & 0xFu; }

bool cell_size_recolor(uvec4 step, out uint oh, out uint ow) { return same_size(oh, ow); }
bool cell_size_paint(uvec4 step, out uint oh, out uint ow) { return same_size(oh, ow); }
bool cell_size_permute(uvec4 step, out uint oh, out uint ow) { return same_size(oh, ow); }
bool cell_size_erase(uvec4 step, out uint oh, out uint ow) { return same_size(oh, ow); }
bool cell_size_keep_color(uvec4 step, out uint oh, out uint ow) { return same_size(oh, ow); }

uint cell_recolor(uvec4 step, uint r, uint c) { uint v = src_at(r, c); return v == step.y ? step.z : v; }
uint cell_paint(uvec4 step, uint r, uint c) { uint v = src_at(r, c); return v == bg ? bg : step.y; }
uint cell_permute(uvec4 step, uint r, uint c) { return mapped(src_at(r, c), step.y, step.z); }
uint cell_erase(uvec4 step, uint r, uint c) { uint v = src_at(r, c); return v == step.y ? bg : v; }
uint cell_keep_color(uvec4 step, uint r, uint c) { uint v = src_at(r, c); return v == step.y ? v : bg; }
