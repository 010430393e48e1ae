#version 450
// Evaluates candidate programs on grids, one GPU thread per item (program x input grid),
// each running the program's steps as plain sequential loops on two private 30x30
// buffers. It mirrors src/engine/cpu.rs line for line, and must give the same outputs and
// scores bit for bit (tests/engine_equivalence.rs). The host sorts items by program so the
// threads of a warp run the same steps. Structs mirror src/engine/program.rs (GpuProgram)
// and src/engine/vulkan.rs (grid records, items, results).
#extension GL_EXT_shader_explicit_arithmetic_types_int8 : require
#extension GL_EXT_shader_explicit_arithmetic_types_int16 : require

layout(local_size_x = 64) in;

const uint MAX_STEPS = 4;
const uint MAX_SIDE = 30;
const uint MAX_CELLS = 900;
// A grid record: word 0 = rows | cols << 8, then one colour per byte, 4 per word.
const uint GRID_WORDS = 1 + MAX_CELLS / 4;
const uint NONE = 0xFFFFFFFFu;
const uint16_t NO_LABEL = uint16_t(0xFFFF);

struct Program {
    uvec4 steps[MAX_STEPS]; // op, a, b, c
    uint len;
    uint pad0, pad1, pad2;
};

layout(std430, set = 0, binding = 0) readonly buffer Programs { Program programs[]; };
layout(std430, set = 0, binding = 1) readonly buffer Grids { uint grid_words[]; };
// x: program, y: input grid, z: expected grid or NONE, w: output slot or NONE
layout(std430, set = 0, binding = 2) readonly buffer Items { uvec4 items[]; };
// One word per item: bits 0-2 flags (1 produced, 2 shape matched, 4 exact), 3-12 cells
// matched, 13-17 rows, 18-22 cols (see unpack_result in src/engine/vulkan.rs).
layout(std430, set = 0, binding = 3) writeonly buffer Results { uint results[]; };
layout(std430, set = 0, binding = 4) writeonly buffer Outputs { uint output_words[]; };

// cross_inputs == 0: items come from the Items buffer. Otherwise item k is program
// k / cross_inputs on grid k % cross_inputs, scored against grid expected_base + k %
// cross_inputs (unless expected_base is NONE), its output in slot k when want_outputs.
layout(push_constant) uniform Params {
    uint item_count;
    uint cross_inputs;
    uint expected_base;
    uint want_outputs;
} params;

const uint OP_IDENTITY = 0, OP_ROT90 = 1, OP_ROT180 = 2, OP_ROT270 = 3, OP_FLIP_UD = 4,
           OP_FLIP_LR = 5, OP_TRANSPOSE = 6, OP_ANTITRANSPOSE = 7, OP_CROP_CONTENT = 8,
           OP_CROP_LARGEST = 9, OP_CROP_SMALLEST = 10, OP_KEEP_LARGEST = 11,
           OP_RECOLOR = 12, OP_PAINT = 13, OP_PERMUTE = 14, OP_ERASE = 15, OP_UPSCALE = 16,
           OP_DOWNSCALE = 17, OP_TILE = 18, OP_TILE_MIRRORED = 19, OP_HALF = 20,
           OP_DEDUPE = 21, OP_GRAVITY = 22, OP_FILL_ENCLOSED = 23, OP_OUTLINE = 24,
           OP_SYMMETRIZE = 25, OP_SPLIT_COMBINE = 26, OP_DENOISE = 27;

// Private to each invocation: two grid buffers and the scratch space of objects and fills.
uint8_t cells[2][MAX_CELLS];
uint rows[2], cols[2];
uint16_t label[MAX_CELLS];
uint16_t queue[MAX_CELLS];
uint bbox[4]; // top, left, bottom, right of the last picked object

uint at(uint s, uint r, uint c) { return uint(cells[s][r * cols[s] + c]); }
// Like at() with the width in a register (cols[] is indexed dynamically: local memory).
uint atw(uint s, uint w, uint r, uint c) { return uint(cells[s][r * w + c]); }

uint grid_cell(uint grid, uint i) {
    uint w = grid_words[grid * GRID_WORDS + 1 + i / 4];
    return (w >> (8 * (i % 4))) & 0xFFu;
}

// The most common colour (ties: the smallest). Counts live in vector registers (dynamic
// component indexing), not in a local-memory array.
uint background(uint s) {
    uvec4 c0 = uvec4(0), c1 = uvec4(0);
    uvec2 c2 = uvec2(0);
    uint n = rows[s] * cols[s];
    for (uint i = 0; i < n; i++) {
        uint v = uint(cells[s][i]);
        if (v < 4) c0[v]++;
        else if (v < 8) c1[v - 4]++;
        else c2[v - 8]++;
    }
    uint best = 0, best_count = c0.x;
    for (uint c = 1; c < 10; c++) {
        uint k = c < 4 ? c0[c] : (c < 8 ? c1[c - 4] : c2[c - 8]);
        if (k > best_count) { best = c; best_count = k; }
    }
    return best;
}

bool sized(uint d, uint h, uint w) {
    rows[d] = h;
    cols[d] = w;
    return h >= 1 && w >= 1 && h <= MAX_SIDE && w <= MAX_SIDE;
}

// Labels objects (univalued, 4-connected, without background) in row-major order of their
// first cell and picks the largest or smallest (first on ties); sets `bbox`. Returns its
// label, or NONE when there is no object. Queue entries are r << 5 | c (no divisions).
uint pick_object(uint s, uint bg, bool largest) {
    uint w = cols[s], h = rows[s], n = h * w;
    for (uint i = 0; i < n; i++) label[i] = NO_LABEL;
    uint best = NONE, best_size = 0, next_label = 0;
    for (uint r0 = 0; r0 < h; r0++) {
        for (uint c0 = 0; c0 < w; c0++) {
            uint start = r0 * w + c0;
            if (label[start] != NO_LABEL || uint(cells[s][start]) == bg) continue;
            uint8_t color = cells[s][start];
            uint16_t id = uint16_t(next_label++);
            label[start] = id;
            queue[0] = uint16_t((r0 << 5) | c0);
            uint head = 0, tail = 1;
            uint b0 = r0, b1 = c0, b2 = r0, b3 = c0;
            while (head < tail) {
                uint rc = uint(queue[head++]);
                uint r = rc >> 5, c = rc & 31u, i = r * w + c;
                b0 = min(b0, r); b1 = min(b1, c); b2 = max(b2, r); b3 = max(b3, c);
                if (r > 0 && label[i - w] == NO_LABEL && cells[s][i - w] == color) { label[i - w] = id; queue[tail++] = uint16_t(rc - 32); }
                if (r + 1 < h && label[i + w] == NO_LABEL && cells[s][i + w] == color) { label[i + w] = id; queue[tail++] = uint16_t(rc + 32); }
                if (c > 0 && label[i - 1] == NO_LABEL && cells[s][i - 1] == color) { label[i - 1] = id; queue[tail++] = uint16_t(rc - 1); }
                if (c + 1 < w && label[i + 1] == NO_LABEL && cells[s][i + 1] == color) { label[i + 1] = id; queue[tail++] = uint16_t(rc + 1); }
            }
            uint size = tail;
            bool better = best == NONE || (largest ? size > best_size : size < best_size);
            if (better) {
                best = uint(id); best_size = size;
                bbox[0] = b0; bbox[1] = b1; bbox[2] = b2; bbox[3] = b3;
            }
        }
    }
    return best;
}

// Marks in `label` (1 = reached) background cells 4-connected to the border through background.
void reach_border(uint s, uint bg) {
    uint w = cols[s], h = rows[s];
    uint tail = 0;
    for (uint r = 0; r < h; r++) {
        for (uint c = 0; c < w; c++) {
            uint i = r * w + c;
            bool edge = uint(cells[s][i]) == bg && (r == 0 || c == 0 || r == h - 1 || c == w - 1);
            label[i] = uint16_t(edge ? 1 : 0);
            if (edge) queue[tail++] = uint16_t((r << 5) | c);
        }
    }
    uint head = 0;
    while (head < tail) {
        uint rc = uint(queue[head++]);
        uint r = rc >> 5, c = rc & 31u, i = r * w + c;
        if (r > 0 && label[i - w] == uint16_t(0) && uint(cells[s][i - w]) == bg) { label[i - w] = uint16_t(1); queue[tail++] = uint16_t(rc - 32); }
        if (r + 1 < h && label[i + w] == uint16_t(0) && uint(cells[s][i + w]) == bg) { label[i + w] = uint16_t(1); queue[tail++] = uint16_t(rc + 32); }
        if (c > 0 && label[i - 1] == uint16_t(0) && uint(cells[s][i - 1]) == bg) { label[i - 1] = uint16_t(1); queue[tail++] = uint16_t(rc - 1); }
        if (c + 1 < w && label[i + 1] == uint16_t(0) && uint(cells[s][i + 1]) == bg) { label[i + 1] = uint16_t(1); queue[tail++] = uint16_t(rc + 1); }
    }
}

bool touches_foreground(uint s, uint h, uint w, uint bg, uint r, uint c) {
    uint r0 = r > 0 ? r - 1 : 0, r1 = min(r + 1, h - 1);
    uint c0 = c > 0 ? c - 1 : 0, c1 = min(c + 1, w - 1);
    for (uint rr = r0; rr <= r1; rr++)
        for (uint cc = c0; cc <= c1; cc++)
            if ((rr != r || cc != c) && uint(cells[s][rr * w + cc]) != bg) return true;
    return false;
}

bool logic(uint op, bool x, bool y) {
    if (op == 0) return x && y;
    if (op == 1) return x || y;
    if (op == 2) return x != y;
    return !(x || y);
}

bool crop(uint s, uint d) {
    uint h = bbox[2] - bbox[0] + 1, w = bbox[3] - bbox[1] + 1;
    if (!sized(d, h, w)) return false;
    for (uint r = 0; r < h; r++)
        for (uint c = 0; c < w; c++)
            cells[d][r * w + c] = cells[s][(r + bbox[0]) * cols[s] + c + bbox[1]];
    return true;
}

// Applies one step from buffer s into buffer d; false when it cannot apply.
bool apply(uvec4 step, uint s, uint d) {
    uint op = step.x, a = step.y, b = step.z;
    uint h = rows[s], w = cols[s];
    if (op <= OP_ANTITRANSPOSE) {
        bool swap = op == OP_ROT90 || op == OP_ROT270 || op == OP_TRANSPOSE || op == OP_ANTITRANSPOSE;
        uint oh = swap ? w : h, ow = swap ? h : w;
        if (!sized(d, oh, ow)) return false;
        int hi = int(h), wi = int(w);
        int start = 0, dr = 0, dc = 1;
        if (op == OP_IDENTITY) { start = 0; dr = wi; dc = 1; }
        else if (op == OP_ROT90) { start = (hi - 1) * wi; dr = 1; dc = -wi; }
        else if (op == OP_ROT180) { start = (hi - 1) * wi + wi - 1; dr = -wi; dc = -1; }
        else if (op == OP_ROT270) { start = wi - 1; dr = -1; dc = wi; }
        else if (op == OP_FLIP_UD) { start = (hi - 1) * wi; dr = -wi; dc = 1; }
        else if (op == OP_FLIP_LR) { start = wi - 1; dr = wi; dc = -1; }
        else if (op == OP_TRANSPOSE) { start = 0; dr = 1; dc = wi; }
        else { start = (hi - 1) * wi + wi - 1; dr = -1; dc = -wi; }
        for (uint r = 0; r < oh; r++) {
            int row_start = start + int(r) * dr;
            for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = cells[s][uint(row_start + int(c) * dc)];
        }
        return true;
    }
    if (op == OP_CROP_CONTENT) {
        uint bg = background(s);
        bbox[0] = MAX_SIDE; bbox[1] = MAX_SIDE; bbox[2] = 0; bbox[3] = 0;
        for (uint r = 0; r < h; r++)
            for (uint c = 0; c < w; c++)
                if (atw(s, w, r, c) != bg) {
                    bbox[0] = min(bbox[0], r); bbox[1] = min(bbox[1], c);
                    bbox[2] = max(bbox[2], r); bbox[3] = max(bbox[3], c);
                }
        if (bbox[0] == MAX_SIDE) return false;
        return crop(s, d);
    }
    if (op == OP_CROP_LARGEST || op == OP_CROP_SMALLEST) {
        uint bg = background(s);
        if (pick_object(s, bg, op == OP_CROP_LARGEST) == NONE) return false;
        return crop(s, d);
    }
    if (op == OP_KEEP_LARGEST) {
        uint bg = background(s);
        uint id = pick_object(s, bg, true);
        if (id == NONE) return false;
        if (!sized(d, h, w)) return false;
        for (uint i = 0; i < h * w; i++) cells[d][i] = uint(label[i]) == id ? cells[s][i] : uint8_t(bg);
        return true;
    }
    if (op == OP_RECOLOR || op == OP_PAINT || op == OP_PERMUTE || op == OP_ERASE) {
        // A colour table of 10 nibbles in two registers: colours 0-7 in lo, 8-9 in hi.
        uint lo = 0x76543210u, hi = 0x98u;
        uint from = a, to = b;
        if (op == OP_PERMUTE) { lo = a; hi = b; from = NONE; }
        else if (op == OP_ERASE) { to = background(s); }
        else if (op == OP_PAINT) {
            uint bg = background(s);
            lo = a * 0x11111111u; hi = a * 0x11u; from = bg; to = bg;
        }
        if (from != NONE) {
            if (from < 8) lo = (lo & ~(0xFu << (4 * from))) | (to << (4 * from));
            else hi = (hi & ~(0xFu << (4 * (from - 8)))) | (to << (4 * (from - 8)));
        }
        if (!sized(d, h, w)) return false;
        for (uint i = 0; i < h * w; i++) {
            uint v = uint(cells[s][i]);
            cells[d][i] = uint8_t(v < 8 ? (lo >> (4 * v)) & 0xFu : (hi >> (4 * (v - 8))) & 0xFu);
        }
        return true;
    }
    if (op == OP_UPSCALE) {
        if (!sized(d, h * a, w * a)) return false;
        uint ow = w * a;
        for (uint sr = 0; sr < h; sr++)
            for (uint sc = 0; sc < w; sc++) {
                uint8_t v = cells[s][sr * w + sc];
                for (uint dr = 0; dr < a; dr++)
                    for (uint dc = 0; dc < a; dc++) cells[d][(sr * a + dr) * ow + sc * a + dc] = v;
            }
        return true;
    }
    if (op == OP_DOWNSCALE) {
        uint oh = (h + a - 1) / a, ow = (w + a - 1) / a;
        if (!sized(d, oh, ow)) return false;
        for (uint r = 0; r < oh; r++)
            for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = cells[s][(r * a) * w + c * a];
        return true;
    }
    if (op == OP_TILE || op == OP_TILE_MIRRORED) {
        uint oh = h * a, ow = w * b;
        if (!sized(d, oh, ow)) return false;
        bool mirrored = op == OP_TILE_MIRRORED;
        for (uint r = 0; r < oh; r++) {
            uint copy_r = r / h, sr = r - copy_r * h;
            if (mirrored && copy_r % 2 == 1) sr = h - 1 - sr;
            for (uint copy_c = 0; copy_c < b; copy_c++) {
                bool flip = mirrored && copy_c % 2 == 1;
                for (uint c = 0; c < w; c++)
                    cells[d][r * ow + copy_c * w + c] = cells[s][sr * w + (flip ? w - 1 - c : c)];
            }
        }
        return true;
    }
    if (op == OP_HALF) {
        uint oh = a < 2 ? h / 2 : h, ow = a < 2 ? w : w / 2;
        if (!sized(d, oh, ow)) return false;
        uint r0 = a == 1 ? h - oh : 0, c0 = a == 3 ? w - ow : 0;
        for (uint r = 0; r < oh; r++)
            for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = cells[s][(r + r0) * w + c + c0];
        return true;
    }
    if (op == OP_DEDUPE) {
        uint keep_rows[MAX_SIDE], keep_cols[MAX_SIDE];
        uint oh = 0, ow = 0;
        for (uint r = 0; r < h; r++) {
            bool keep = r == 0;
            for (uint c = 0; c < w && !keep; c++) keep = atw(s, w, r, c) != atw(s, w, r - 1, c);
            if (keep) keep_rows[oh++] = r;
        }
        for (uint c = 0; c < w; c++) {
            bool keep = c == 0;
            for (uint r = 0; r < h && !keep; r++) keep = atw(s, w, r, c) != atw(s, w, r, c - 1);
            if (keep) keep_cols[ow++] = c;
        }
        if (!sized(d, oh, ow)) return false;
        for (uint r = 0; r < oh; r++)
            for (uint c = 0; c < ow; c++) cells[d][r * ow + c] = cells[s][keep_rows[r] * w + keep_cols[c]];
        return true;
    }
    if (op == OP_GRAVITY) {
        uint bg = background(s);
        if (!sized(d, h, w)) return false;
        bool vertical = a < 2;
        bool toward_start = a == 0 || a == 2;
        uint lines = vertical ? w : h, len = vertical ? h : w;
        for (uint t = 0; t < lines; t++) {
            for (uint k = 0; k < len; k++) cells[d][vertical ? k * w + t : t * w + k] = uint8_t(bg);
            uint count = 0;
            for (uint step_k = 0; step_k < len; step_k++) {
                uint k = toward_start ? step_k : len - 1 - step_k;
                uint8_t v = cells[s][vertical ? k * w + t : t * w + k];
                if (uint(v) != bg) {
                    uint to = toward_start ? count : len - 1 - count;
                    cells[d][vertical ? to * w + t : t * w + to] = v;
                    count++;
                }
            }
        }
        return true;
    }
    if (op == OP_FILL_ENCLOSED) {
        uint bg = background(s);
        reach_border(s, bg);
        if (!sized(d, h, w)) return false;
        for (uint i = 0; i < h * w; i++) {
            uint v = uint(cells[s][i]);
            cells[d][i] = uint8_t(v == bg && label[i] == uint16_t(0) ? a : v);
        }
        return true;
    }
    if (op == OP_OUTLINE || op == OP_DENOISE) {
        uint bg = background(s);
        if (!sized(d, h, w)) return false;
        for (uint r = 0; r < h; r++) {
            for (uint c = 0; c < w; c++) {
                uint v = atw(s, w, r, c);
                if (op == OP_OUTLINE) {
                    if (v == bg && touches_foreground(s, h, w, bg, r, c)) v = a;
                } else if (v != bg && !touches_foreground(s, h, w, bg, r, c)) {
                    v = bg;
                }
                cells[d][r * w + c] = uint8_t(v);
            }
        }
        return true;
    }
    if (op == OP_SYMMETRIZE) {
        uint bg = background(s);
        if (!sized(d, h, w)) return false;
        for (uint r = 0; r < h; r++) {
            for (uint c = 0; c < w; c++) {
                uint v = atw(s, w, r, c);
                if (v == bg) {
                    uint lr = atw(s, w, r, w - 1 - c), ud = atw(s, w, h - 1 - r, c), both = atw(s, w, h - 1 - r, w - 1 - c);
                    if (a == 0) { if (lr != bg) v = lr; }
                    else if (a == 1) { if (ud != bg) v = ud; }
                    else if (lr != bg) v = lr;
                    else if (ud != bg) v = ud;
                    else if (both != bg) v = both;
                }
                cells[d][r * w + c] = uint8_t(v);
            }
        }
        return true;
    }
    if (op == OP_SPLIT_COMBINE) {
        uint oh = h, ow = w;
        if (a == 0) {
            ow = w / 2;
            if (ow > 0 && w % 2 == 1) for (uint r = 0; r < h; r++) if (atw(s, w, r, ow) != atw(s, w, 0, ow)) oh = 0;
        } else {
            oh = h / 2;
            if (oh > 0 && h % 2 == 1) for (uint c = 0; c < w; c++) if (atw(s, w, oh, c) != atw(s, w, oh, 0)) ow = 0;
        }
        if (!sized(d, oh, ow)) return false;
        for (uint r = 0; r < oh; r++) {
            for (uint c = 0; c < ow; c++) {
                bool x = atw(s, w, r, c) != 0;
                bool y = a == 0 ? atw(s, w, r, w - ow + c) != 0 : atw(s, w, h - oh + r, c) != 0;
                cells[d][r * ow + c] = uint8_t(logic(b, x, y) ? step.w : 0);
            }
        }
        return true;
    }
    return false; // unknown op: the host never sends one
}

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
