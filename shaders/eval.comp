#version 450
// Evaluates candidate programs on grids: one workgroup per item (program x input grid),
// its 64 threads sharing the current grid in shared memory and working cell-parallel.
// The meaning of every op is defined by src/engine/cpu.rs; this shader must give the same
// outputs and scores bit for bit. Structs mirror src/engine/program.rs (GpuProgram) and
// src/engine/vulkan.rs (grid records, items, results).

layout(local_size_x = 64) in;

const uint MAX_STEPS = 4;
const uint MAX_SIDE = 30;
const uint MAX_CELLS = 900;
// A grid record: word 0 = rows | cols << 8, then one colour per byte, 4 per word.
const uint GRID_WORDS = 1 + MAX_CELLS / 4;
const uint NONE = 0xFFFFFFFFu;

struct Program {
    uvec4 steps[MAX_STEPS]; // op, a, b, c
    uint len;
    uint pad0, pad1, pad2;
};

layout(std430, set = 0, binding = 0) readonly buffer Programs { Program programs[]; };
layout(std430, set = 0, binding = 1) readonly buffer Grids { uint grid_words[]; };
// x: program, y: input grid, z: expected grid or NONE, w: output slot or NONE
layout(std430, set = 0, binding = 2) readonly buffer Items { uvec4 items[]; };
// x: flags (1 produced, 2 shape matched, 4 exact), y: cells matched, z: rows | cols << 8
layout(std430, set = 0, binding = 3) writeonly buffer Results { uvec4 results[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Outputs { uint output_words[]; };

layout(push_constant) uniform Params { uint item_count; } params;

shared uint cur[MAX_CELLS];
shared uint nxt[MAX_CELLS];
shared uint aux[MAX_CELLS];     // object labels, reach flags, line maps
shared uint rows, cols;         // current grid size
shared uint new_rows, new_cols; // size the step produces
shared bool failed;
shared bool changed;
shared uint counts[10];
shared uint box[4];             // top, left, bottom, right
shared uint best_key;
shared uint matched;

const uint OP_IDENTITY = 0, OP_ROT90 = 1, OP_ROT180 = 2, OP_ROT270 = 3, OP_FLIP_UD = 4,
           OP_FLIP_LR = 5, OP_TRANSPOSE = 6, OP_ANTITRANSPOSE = 7, OP_CROP_CONTENT = 8,
           OP_CROP_LARGEST = 9, OP_CROP_SMALLEST = 10, OP_KEEP_LARGEST = 11,
           OP_RECOLOR = 12, OP_PAINT = 13, OP_PERMUTE = 14, OP_ERASE = 15, OP_UPSCALE = 16,
           OP_DOWNSCALE = 17, OP_TILE = 18, OP_TILE_MIRRORED = 19, OP_HALF = 20,
           OP_DEDUPE = 21, OP_GRAVITY = 22, OP_FILL_ENCLOSED = 23, OP_OUTLINE = 24,
           OP_SYMMETRIZE = 25, OP_SPLIT_COMBINE = 26, OP_DENOISE = 27;

uint lid() { return gl_LocalInvocationID.x; }

uint grid_cell(uint grid, uint i) {
    uint w = grid_words[grid * GRID_WORDS + 1 + i / 4];
    return (w >> (8 * (i % 4))) & 0xFFu;
}

// The most common colour of `cur` (ties: the smallest colour).
uint background() {
    if (lid() < 10) counts[lid()] = 0;
    barrier();
    uint n = rows * cols;
    for (uint i = lid(); i < n; i += 64) atomicAdd(counts[cur[i]], 1);
    barrier();
    uint best = 0;
    for (uint c = 1; c < 10; c++) if (counts[c] > counts[best]) best = c;
    barrier();
    return best;
}

// Source cell of output cell (r, c) under symmetry `op` of a rows x cols grid.
uvec2 symmetry_source(uint op, uint r, uint c) {
    switch (op) {
        case OP_ROT90: return uvec2(rows - 1 - c, r);
        case OP_ROT180: return uvec2(rows - 1 - r, cols - 1 - c);
        case OP_ROT270: return uvec2(c, cols - 1 - r);
        case OP_FLIP_UD: return uvec2(rows - 1 - r, c);
        case OP_FLIP_LR: return uvec2(r, cols - 1 - c);
        case OP_TRANSPOSE: return uvec2(c, r);
        case OP_ANTITRANSPOSE: return uvec2(rows - 1 - c, cols - 1 - r);
        default: return uvec2(r, c);
    }
}

bool foreground_at(int r, int c, uint bg) {
    if (r < 0 || c < 0 || r >= int(rows) || c >= int(cols)) return false;
    return cur[uint(r) * cols + uint(c)] != bg;
}

bool touches_foreground(uint i, uint bg) {
    int r = int(i / cols), c = int(i % cols);
    for (int dr = -1; dr <= 1; dr++)
        for (int dc = -1; dc <= 1; dc++)
            if ((dr != 0 || dc != 0) && foreground_at(r + dr, c + dc, bg)) return true;
    return false;
}

// Labels each object (univalued, 4-connected, without background) in `aux` with the
// smallest cell index in it; background cells get NONE.
void label_objects(uint bg) {
    uint n = rows * cols;
    for (uint i = lid(); i < n; i += 64) aux[i] = cur[i] != bg ? i : NONE;
    barrier();
    while (true) {
        if (lid() == 0) changed = false;
        barrier();
        for (uint i = lid(); i < n; i += 64) {
            uint m = aux[i];
            if (m == NONE) continue;
            uint v = cur[i], r = i / cols, c = i % cols;
            if (r > 0 && cur[i - cols] == v) m = min(m, aux[i - cols]);
            if (r + 1 < rows && cur[i + cols] == v) m = min(m, aux[i + cols]);
            if (c > 0 && cur[i - 1] == v) m = min(m, aux[i - 1]);
            if (c + 1 < cols && cur[i + 1] == v) m = min(m, aux[i + 1]);
            m = min(m, aux[m]);
            if (m < aux[i]) { atomicMin(aux[i], m); changed = true; }
        }
        barrier();
        bool again = changed;
        barrier();
        if (!again) break;
    }
}

// Picks the largest (or smallest) object, first in row-major order on ties, and sets `box`
// to its bounding box; returns its label, or NONE when there is no object.
uint pick_object(bool largest) {
    uint n = rows * cols;
    for (uint i = lid(); i < n; i += 64) nxt[i] = 0;
    if (lid() == 0) { best_key = 0; box[0] = MAX_SIDE; box[1] = MAX_SIDE; box[2] = 0; box[3] = 0; }
    barrier();
    for (uint i = lid(); i < n; i += 64) if (aux[i] != NONE) atomicAdd(nxt[aux[i]], 1);
    barrier();
    for (uint i = lid(); i < n; i += 64) {
        if (aux[i] == i) {
            uint size = nxt[i];
            uint key = ((largest ? size : 1023 - size) << 10) | (1023 - i);
            atomicMax(best_key, key);
        }
    }
    barrier();
    uint root = best_key == 0 ? NONE : 1023 - (best_key & 1023u);
    if (root != NONE) {
        for (uint i = lid(); i < n; i += 64) {
            if (aux[i] == root) {
                uint r = i / cols, c = i % cols;
                atomicMin(box[0], r); atomicMin(box[1], c);
                atomicMax(box[2], r); atomicMax(box[3], c);
            }
        }
    }
    barrier();
    return root;
}

// Marks in `aux` the background cells 4-connected to the border through background.
void reach_border(uint bg) {
    uint n = rows * cols;
    for (uint i = lid(); i < n; i += 64) {
        uint r = i / cols, c = i % cols;
        aux[i] = (cur[i] == bg && (r == 0 || c == 0 || r == rows - 1 || c == cols - 1)) ? 1 : 0;
    }
    barrier();
    while (true) {
        if (lid() == 0) changed = false;
        barrier();
        for (uint i = lid(); i < n; i += 64) {
            if (aux[i] != 0 || cur[i] != bg) continue;
            uint r = i / cols, c = i % cols;
            if ((r > 0 && aux[i - cols] != 0) || (r + 1 < rows && aux[i + cols] != 0) ||
                (c > 0 && aux[i - 1] != 0) || (c + 1 < cols && aux[i + 1] != 0)) {
                aux[i] = 1;
                changed = true;
            }
        }
        barrier();
        bool again = changed;
        barrier();
        if (!again) break;
    }
}

bool logic(uint op, bool x, bool y) {
    if (op == 0) return x && y;
    if (op == 1) return x || y;
    if (op == 2) return x != y;
    return !(x || y);
}

// Applies one step from `cur` into `nxt`, then copies back; sets `failed` when it cannot.
void apply(uvec4 step) {
    uint op = step.x, a = step.y, b = step.z, color = step.w;
    bool needs_bg = op == OP_ERASE || op == OP_CROP_CONTENT || op == OP_CROP_LARGEST ||
        op == OP_CROP_SMALLEST || op == OP_KEEP_LARGEST || op == OP_PAINT || op == OP_GRAVITY ||
        op == OP_FILL_ENCLOSED || op == OP_OUTLINE || op == OP_SYMMETRIZE || op == OP_DENOISE;
    uint bg = needs_bg ? background() : 0;
    uint root = NONE;
    if (op == OP_CROP_CONTENT) {
        if (lid() == 0) { box[0] = MAX_SIDE; box[1] = MAX_SIDE; box[2] = 0; box[3] = 0; }
        barrier();
        uint n = rows * cols;
        for (uint i = lid(); i < n; i += 64) {
            if (cur[i] != bg) {
                uint r = i / cols, c = i % cols;
                atomicMin(box[0], r); atomicMin(box[1], c);
                atomicMax(box[2], r); atomicMax(box[3], c);
            }
        }
        barrier();
    } else if (op == OP_CROP_LARGEST || op == OP_CROP_SMALLEST || op == OP_KEEP_LARGEST) {
        label_objects(bg);
        root = pick_object(op != OP_CROP_SMALLEST);
    } else if (op == OP_FILL_ENCLOSED) {
        reach_border(bg);
    } else if (op == OP_DEDUPE) {
        // aux[0..30): kept rows' sources, aux[32..62): kept columns' sources
        if (lid() == 0) {
            uint k = 0;
            for (uint r = 0; r < rows; r++) {
                bool keep = r == 0;
                for (uint c = 0; c < cols && !keep; c++) keep = cur[r * cols + c] != cur[(r - 1) * cols + c];
                if (keep) { aux[k] = r; k++; }
            }
            new_rows = k;
        } else if (lid() == 1) {
            uint k = 0;
            for (uint c = 0; c < cols; c++) {
                bool keep = c == 0;
                for (uint r = 0; r < rows && !keep; r++) keep = cur[r * cols + c] != cur[r * cols + c - 1];
                if (keep) { aux[32 + k] = c; k++; }
            }
            new_cols = k;
        }
        barrier();
    }
    if (lid() == 0) {
        uint h = rows, w = cols;
        bool swap = op == OP_ROT90 || op == OP_ROT270 || op == OP_TRANSPOSE || op == OP_ANTITRANSPOSE;
        if (swap) { h = cols; w = rows; }
        if (op == OP_UPSCALE) { h = rows * a; w = cols * a; }
        if (op == OP_DOWNSCALE) { h = (rows + a - 1) / a; w = (cols + a - 1) / a; }
        if (op == OP_TILE || op == OP_TILE_MIRRORED) { h = rows * a; w = cols * b; }
        if (op == OP_HALF) { if (a < 2) h = rows / 2; else w = cols / 2; }
        if (op == OP_CROP_CONTENT || op == OP_CROP_LARGEST || op == OP_CROP_SMALLEST) {
            if (box[0] == MAX_SIDE) { h = 0; w = 0; }
            else { h = box[2] - box[0] + 1; w = box[3] - box[1] + 1; }
        }
        if (op == OP_KEEP_LARGEST && root == NONE) { h = 0; }
        if (op == OP_DEDUPE) { h = new_rows; w = new_cols; }
        if (op == OP_SPLIT_COMBINE) {
            if (a == 0) {
                w = cols / 2;
                if (w > 0 && cols % 2 == 1)
                    for (uint r = 0; r < rows; r++) if (cur[r * cols + w] != cur[w]) h = 0;
            } else {
                h = rows / 2;
                if (h > 0 && rows % 2 == 1)
                    for (uint c = 0; c < cols; c++) if (cur[h * cols + c] != cur[h * cols]) w = 0;
            }
        }
        new_rows = h; new_cols = w;
        failed = failed || h == 0 || w == 0 || h > MAX_SIDE || w > MAX_SIDE;
    }
    barrier();
    if (failed) return;
    uint n = new_rows * new_cols;
    if (op == OP_GRAVITY) {
        bool vertical = a < 2;
        uint lines = vertical ? cols : rows, len = vertical ? rows : cols;
        if (lid() < lines) {
            uint t = lid(), count = 0;
            for (uint k = 0; k < len; k++) nxt[vertical ? k * cols + t : t * cols + k] = bg;
            for (uint step_k = 0; step_k < len; step_k++) {
                uint k = (a == 0 || a == 2) ? step_k : len - 1 - step_k;
                uint v = cur[vertical ? k * cols + t : t * cols + k];
                if (v != bg) {
                    uint to = (a == 0 || a == 2) ? count : len - 1 - count;
                    nxt[vertical ? to * cols + t : t * cols + to] = v;
                    count++;
                }
            }
        }
    } else {
        for (uint i = lid(); i < n; i += 64) {
            uint r = i / new_cols, c = i % new_cols;
            uint v = cur[min(i, rows * cols - 1)];
            if (op <= OP_ANTITRANSPOSE) {
                uvec2 s = symmetry_source(op, r, c);
                v = cur[s.x * cols + s.y];
            } else if (op == OP_CROP_CONTENT || op == OP_CROP_LARGEST || op == OP_CROP_SMALLEST) {
                v = cur[(r + box[0]) * cols + c + box[1]];
            } else if (op == OP_KEEP_LARGEST) {
                v = aux[i] == root ? cur[i] : bg;
            } else if (op == OP_RECOLOR) {
                if (v == a) v = b;
            } else if (op == OP_PAINT) {
                if (v != bg) v = a;
            } else if (op == OP_PERMUTE) {
                v = v < 8 ? (a >> (4 * v)) & 0xFu : (b >> (4 * (v - 8))) & 0xFu;
            } else if (op == OP_ERASE) {
                if (v == a) v = bg;
            } else if (op == OP_UPSCALE) {
                v = cur[(r / a) * cols + c / a];
            } else if (op == OP_DOWNSCALE) {
                v = cur[(r * a) * cols + c * a];
            } else if (op == OP_TILE) {
                v = cur[(r % rows) * cols + c % cols];
            } else if (op == OP_TILE_MIRRORED) {
                uint sr = r % rows, sc = c % cols;
                if ((r / rows) % 2 == 1) sr = rows - 1 - sr;
                if ((c / cols) % 2 == 1) sc = cols - 1 - sc;
                v = cur[sr * cols + sc];
            } else if (op == OP_HALF) {
                uint r0 = a == 1 ? rows - new_rows : 0;
                uint c0 = a == 3 ? cols - new_cols : 0;
                v = cur[(r + r0) * cols + c + c0];
            } else if (op == OP_DEDUPE) {
                v = cur[aux[r] * cols + aux[32 + c]];
            } else if (op == OP_FILL_ENCLOSED) {
                if (v == bg && aux[i] == 0) v = a;
            } else if (op == OP_OUTLINE) {
                if (v == bg && touches_foreground(i, bg)) v = a;
            } else if (op == OP_DENOISE) {
                if (v != bg && !touches_foreground(i, bg)) v = bg;
            } else if (op == OP_SYMMETRIZE) {
                if (v == bg) {
                    uint lr = cur[r * cols + cols - 1 - c];
                    uint ud = cur[(rows - 1 - r) * cols + c];
                    uint both = cur[(rows - 1 - r) * cols + cols - 1 - c];
                    if (a == 0) { if (lr != bg) v = lr; }
                    else if (a == 1) { if (ud != bg) v = ud; }
                    else { if (lr != bg) v = lr; else if (ud != bg) v = ud; else if (both != bg) v = both; }
                }
            } else if (op == OP_SPLIT_COMBINE) {
                bool x, y;
                if (a == 0) { x = cur[r * cols + c] != 0; y = cur[r * cols + cols - new_cols + c] != 0; }
                else { x = cur[r * cols + c] != 0; y = cur[(rows - new_rows + r) * cols + c] != 0; }
                v = logic(b, x, y) ? color : 0;
            }
            nxt[i] = v;
        }
    }
    barrier();
    for (uint i = lid(); i < n; i += 64) cur[i] = nxt[i];
    if (lid() == 0) { rows = new_rows; cols = new_cols; }
    barrier();
}

void main() {
    for (uint item_index = gl_WorkGroupID.x; item_index < params.item_count; item_index += gl_NumWorkGroups.x) {
        uvec4 item = items[item_index];
        uint input_grid = item.y;
        if (lid() == 0) {
            uint header = grid_words[input_grid * GRID_WORDS];
            rows = header & 0xFFu;
            cols = (header >> 8) & 0xFFu;
            failed = false;
            matched = 0;
        }
        barrier();
        uint n = rows * cols;
        for (uint i = lid(); i < n; i += 64) cur[i] = grid_cell(input_grid, i);
        barrier();
        Program p = programs[item.x];
        for (uint s = 0; s < p.len; s++) {
            apply(p.steps[s]);
            if (failed) break;
        }
        barrier();
        uint flags = 0;
        if (!failed) {
            flags = 1;
            n = rows * cols;
            if (item.z != NONE) {
                uint header = grid_words[item.z * GRID_WORDS];
                if ((header & 0xFFu) == rows && ((header >> 8) & 0xFFu) == cols) {
                    uint mine = 0;
                    for (uint i = lid(); i < n; i += 64) if (cur[i] == grid_cell(item.z, i)) mine++;
                    atomicAdd(matched, mine);
                    flags |= 2;
                }
            }
            if (item.w != NONE) {
                uint base = item.w * GRID_WORDS;
                if (lid() == 0) output_words[base] = rows | (cols << 8);
                for (uint wi = lid(); wi < (n + 3) / 4; wi += 64) {
                    uint word = 0;
                    for (uint k = 0; k < 4; k++) {
                        uint i = wi * 4 + k;
                        if (i < n) word |= cur[i] << (8 * k);
                    }
                    output_words[base + 1 + wi] = word;
                }
            }
        }
        barrier();
        if (lid() == 0) {
            if ((flags & 2u) != 0 && matched == rows * cols) flags |= 4;
            results[item_index] = uvec4(flags, (flags & 2u) != 0 ? matched : 0, failed ? 0 : (rows | (cols << 8)), 0);
        }
        barrier();
    }
}
