// The regions family (src/engine/ops/regions.rs): cells moved or filled by their
// surroundings.

bool op_gravity(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], a = step.y;
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

bool op_fill_enclosed(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s];
    uint bg = background(s);
    reach_border(s, bg);
    if (!sized(d, h, w)) return false;
    for (uint r = 0; r < h; r++) {
        uint reached = grow_rows[r];
        grow_rows[r] = 0u;
        for (uint c = 0; c < w; c++) {
            uint i = r * w + c, v = uint(cells[s][i]);
            cells[d][i] = uint8_t(v == bg && ((reached >> c) & 1u) == 0u ? step.y : v);
        }
    }
    return true;
}

// Outline (outline = true: background cells next to the foreground take `color`) or
// denoise (foreground cells with no foreground neighbour become background).
bool by_neighbourhood(uint s, uint d, bool outline, uint color) {
    uint h = rows[s], w = cols[s];
    uint bg = background(s);
    if (!sized(d, h, w)) return false;
    for (uint r = 0; r < h; r++) {
        for (uint c = 0; c < w; c++) {
            uint v = atw(s, w, r, c);
            if (outline) {
                if (v == bg && touches_foreground(s, h, w, bg, r, c)) v = color;
            } else if (v != bg && !touches_foreground(s, h, w, bg, r, c)) {
                v = bg;
            }
            cells[d][r * w + c] = uint8_t(v);
        }
    }
    return true;
}

bool op_outline(uvec4 step, uint s, uint d) { return by_neighbourhood(s, d, true, step.y); }
bool op_denoise(uvec4 step, uint s, uint d) { return by_neighbourhood(s, d, false, 0); }

bool op_symmetrize(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], a = step.y;
    uint bg = background(s);
    if (!sized(d, h, w) || (a == 3u && h != w)) return false;
    for (uint r = 0; r < h; r++) {
        for (uint c = 0; c < w; c++) {
            uint v = atw(s, w, r, c);
            if (v == bg && a == 3u) {
                // every symmetry of the square (mirrors symmetrize in regions.rs)
                uint n = h - 1;
                uvec2 images[7] = uvec2[7](uvec2(r, n - c), uvec2(n - r, c), uvec2(n - r, n - c), uvec2(c, r), uvec2(n - c, n - r), uvec2(c, n - r), uvec2(n - c, r));
                for (uint k = 0; k < 7u; k++) {
                    uint x = atw(s, w, images[k].x, images[k].y);
                    if (x != bg) { v = x; break; }
                }
            } else if (v == bg) {
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

bool logic(uint op, bool x, bool y) {
    if (op == 0) return x && y;
    if (op == 1) return x || y;
    if (op == 2) return x != y;
    return !(x || y);
}

bool op_split_combine(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], a = step.y, b = step.z;
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

// Non-background cells whose 4 neighbours are all inside the grid and not background
// become `to` (to_background: the background); the rest stay.
bool paint_enclosed(uint s, uint d, bool to_background, uint to) {
    uint h = rows[s], w = cols[s];
    uint bg = background(s);
    if (to_background) to = bg;
    if (!sized(d, h, w)) return false;
    for (uint r = 0; r < h; r++) {
        for (uint c = 0; c < w; c++) {
            uint v = atw(s, w, r, c);
            bool enclosed = r > 0 && c > 0 && r + 1 < h && c + 1 < w
                && atw(s, w, r - 1, c) != bg && atw(s, w, r + 1, c) != bg
                && atw(s, w, r, c - 1) != bg && atw(s, w, r, c + 1) != bg;
            cells[d][r * w + c] = uint8_t(v != bg && enclosed ? to : v);
        }
    }
    return true;
}

bool op_border(uvec4 step, uint s, uint d) { return paint_enclosed(s, d, true, 0); }
bool op_interior(uvec4 step, uint s, uint d) { return paint_enclosed(s, d, false, step.y); }

// The cell index of position k on line `line`: rows when `along_rows`, else columns.
uint line_cell(bool along_rows, uint w, uint line, uint k) { return along_rows ? line * w + k : k * w + line; }

// Joins along lines, in two sweeps per line (mirrors connect_lines in regions.rs): the
// first notes in `label` the last non-background colour before each background cell, the
// second paints a background cell of d whose nearest colours on both sides agree. With
// `unjoined_only`, cells already joined (d no longer background) keep their colour.
void connect_lines(uint s, uint d, uint bg, bool along_rows, bool unjoined_only) {
    uint h = rows[s], w = cols[s];
    uint lines = along_rows ? h : w, len = along_rows ? w : h;
    for (uint line = 0; line < lines; line++) {
        uint last = NONE;
        for (uint k = 0; k < len; k++) {
            uint i = line_cell(along_rows, w, line, k);
            uint v = uint(cells[s][i]);
            if (v != bg) last = v;
            else label[i] = uint16_t(last == NONE ? 0xFFFFu : last);
        }
        last = NONE;
        for (uint k = len; k > 0; k--) {
            uint i = line_cell(along_rows, w, line, k - 1);
            uint v = uint(cells[s][i]);
            if (v != bg) last = v;
            else if (last != NONE && uint(label[i]) == last && (!unjoined_only || uint(cells[d][i]) == bg))
                cells[d][i] = uint8_t(last);
        }
    }
}

bool op_connect(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], a = step.y;
    uint bg = background(s);
    if (!sized(d, h, w)) return false;
    for (uint i = 0; i < h * w; i++) cells[d][i] = cells[s][i];
    if (a != 1) connect_lines(s, d, bg, true, false);
    if (a != 0) connect_lines(s, d, bg, false, a == 2);
    return true;
}

// One pass in the direction of the smear (mirrors smear in regions.rs): rows and columns
// visited so that each cell's predecessor, one step against the direction, comes first; a
// background cell takes its predecessor's result.
bool op_smear(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], a = step.y;
    uint bg = background(s);
    if (!sized(d, h, w)) return false;
    // up, down, left, right, up_left, up_right, down_left, down_right
    int dr = (a == 0 || a == 4 || a == 5) ? -1 : ((a == 1 || a == 6 || a == 7) ? 1 : 0);
    int dc = (a == 2 || a == 4 || a == 6) ? -1 : ((a == 3 || a == 5 || a == 7) ? 1 : 0);
    for (uint k = 0; k < h; k++) {
        uint r = dr < 0 ? h - 1 - k : k;
        for (uint j = 0; j < w; j++) {
            uint c = dc < 0 ? w - 1 - j : j;
            uint v = atw(s, w, r, c);
            int pr = int(r) - dr, pc = int(c) - dc;
            bool inside = pr >= 0 && pc >= 0 && pr < int(h) && pc < int(w);
            cells[d][r * w + c] = v == bg && inside ? cells[d][uint(pr) * w + uint(pc)] : uint8_t(v);
        }
    }
    return true;
}

bool op_fill_box(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s];
    uint bg = background(s);
    uint b0 = MAX_SIDE, b1 = MAX_SIDE, b2 = 0, b3 = 0;
    for (uint r = 0; r < h; r++) {
        for (uint c = 0; c < w; c++) {
            if (atw(s, w, r, c) != bg) { b0 = min(b0, r); b1 = min(b1, c); b2 = max(b2, r); b3 = max(b3, c); }
        }
    }
    if (!sized(d, h, w)) return false;
    for (uint r = 0; r < h; r++) {
        for (uint c = 0; c < w; c++) {
            uint v = atw(s, w, r, c);
            bool inside = r >= b0 && r <= b2 && c >= b1 && c <= b3;
            cells[d][r * w + c] = uint8_t(v == bg && inside ? step.y : v);
        }
    }
    return true;
}

bool op_frame(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s];
    if (!sized(d, h, w)) return false;
    for (uint r = 0; r < h; r++) {
        for (uint c = 0; c < w; c++) {
            bool edge = r == 0 || c == 0 || r + 1 == h || c + 1 == w;
            cells[d][r * w + c] = edge ? uint8_t(step.y) : cells[s][r * w + c];
        }
    }
    return true;
}

// Every non-background colour spreads over the background breadth-first (mirrors spread in
// regions.rs): sources are the non-background cells in row-major order (skip_majority: not
// the most common non-background colour); neighbours up, down, left, right; label 0 marks
// reached cells. Queue entries are cell indices.
bool op_spread(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s], n = h * w;
    uint bg = background(s);
    uint skipped = step.y == 1 ? majority_foreground(s, bg) : NONE;
    if (!sized(d, h, w)) return false;
    uint tail = 0;
    for (uint i = 0; i < n; i++) {
        uint v = uint(cells[s][i]);
        cells[d][i] = cells[s][i];
        label[i] = v == bg ? NO_LABEL : uint16_t(0);
        if (v != bg && v != skipped) queue[tail++] = uint16_t(i);
    }
    uint head = 0;
    while (head < tail) {
        uint i = uint(queue[head++]);
        uint r = i / w, c = i % w;
        for (uint k = 0; k < 4; k++) {
            // up, down, left, right
            if ((k == 0 && r == 0) || (k == 1 && r + 1 >= h) || (k == 2 && c == 0) || (k == 3 && c + 1 >= w)) continue;
            uint j = k == 0 ? i - w : (k == 1 ? i + w : (k == 2 ? i - 1 : i + 1));
            if (label[j] == NO_LABEL) {
                label[j] = uint16_t(0);
                cells[d][j] = cells[d][i];
                queue[tail++] = uint16_t(j);
            }
        }
    }
    return true;
}
