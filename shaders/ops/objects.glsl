// The objects family (src/engine/ops/objects.rs): crops to the content or to one object,
// keeping one object, pick (a split into parts and one part chosen) and count.

bool op_crop_content(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s];
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

bool op_crop_largest(uvec4 step, uint s, uint d) {
    if (pick_object(s, background(s), true) == NONE) return false;
    return crop(s, d);
}

bool op_crop_smallest(uvec4 step, uint s, uint d) {
    if (pick_object(s, background(s), false) == NONE) return false;
    return crop(s, d);
}

bool op_keep_largest(uvec4 step, uint s, uint d) {
    uint h = rows[s], w = cols[s];
    uint bg = background(s);
    uint id = pick_object(s, bg, true);
    if (id == NONE) return false;
    if (!sized(d, h, w)) return false;
    for (uint i = 0; i < h * w; i++) cells[d][i] = uint(label[i]) == id ? cells[s][i] : uint8_t(bg);
    return true;
}


// The colour of row r (column c) when all its cells are one colour, else NONE.
uint uniform_row(uint s, uint w, uint r) {
    uint v = atw(s, w, r, 0);
    for (uint c = 1; c < w; c++) if (atw(s, w, r, c) != v) return NONE;
    return v;
}

uint uniform_col(uint s, uint w, uint h, uint c) {
    uint v = atw(s, w, 0, c);
    for (uint r = 1; r < h; r++) if (atw(s, w, r, c) != v) return NONE;
    return v;
}

// How pick ranks a part (higher is better); mirrors pick_key in objects.rs.
int pick_key(uint criterion, uint size, uint b0, uint b1, uint b2, uint b3, uint colors) {
    int area = int((b2 - b0 + 1) * (b3 - b1 + 1)), cells = int(size);
    switch (criterion) {
    case 0: return cells;
    case 1: return -cells;
    case 2: return area;
    case 3: return -area;
    case 4: return int(colors);
    case 5: return -int(colors);
    case 6: return -int(b0);
    case 7: return int(b2);
    case 8: return -int(b1);
    case 9: return int(b3);
    case 10: return area - cells;
    default: return cells - area;
    }
}

// pick's chooser (mirrors Chooser in objects.rs): parts are offered in order; the best by
// the criterion's key wins (the first on ties), or for unique_color (12) the part holding
// every colour that only one part holds (none when no colour is, or two parts hold such).
const uint UNIQUE_COLOR = 12;
// pick's components parts (table::PARTS): one colour, 4-connected (mirrors COMPONENTS).
const uint COMPONENTS = 6u;

// pick's framed parts: the inside of each component that is exactly the border of its box
// (mirrors FRAMED).
const uint FRAMED = 7u;

// Whether parts of `kind` are rectangles that keep all their cells: cut, rows, columns,
// frames' insides.
bool is_rectangle_kind(uint kind) {
    return (kind >= 3u && kind <= 5u) || kind == FRAMED;
}
bool pick_found;
int pick_best_key;
uvec4 pick_box;
uint pick_mark, pick_once, pick_twice, pick_parts;
uint owner_part[10], owner_mark[10];
uvec4 owner_box[10];

// The search's pick groups (search/main.glsl): the parts of a group's first split are
// recorded (box and cells in one word, colours and mark in another; up to GROUP_PARTS) and
// offered again to the chooser for each later step of the group, so a state's input is
// split once per group; a split with more parts is made again for each step.
const uint GROUP_PARTS = 64u;
// 0: every pick splits; 1: the next pick splits and records its parts; 2: picks replay them
uint pick_reuse = 0u;
bool recording = false;
uint recorded;
bool pick_split;
uint pick_bg;
uint recorded_shape[GROUP_PARTS];
uint recorded_marks[GROUP_PARTS];
// A group's steps that choose the same part make the same output (a run is one op on one
// part kind; the output depends on the step only through the part chosen), so the search
// scores each part once: pick_part remembers the parts it made (up to GROUP_MEMO; their
// item index set by search/main.glsl once scored) and, for a part made before, makes no
// output and sets group_repeat to its entry, whose results search/main.glsl copies.
const uint GROUP_MEMO = 8u;
uint group_memo_count;
uint group_memo_part[GROUP_MEMO];
uint group_memo_item[GROUP_MEMO];
uint group_memo_size[GROUP_MEMO];
// the part this step chose (pick_box and pick_mark in one word), and NONE or the
// remembered entry it repeats
uint group_part;
uint group_repeat;

void pick_begin() {
    pick_found = false;
    pick_best_key = 0;
    pick_once = 0;
    pick_twice = 0;
    pick_parts = 0;
}

// split (ops/lists.glsl) collects every part offered: its box and mark, the first MAX_PARTS.
bool collect_parts = false;
uvec4 collected_box[MAX_PARTS];
uint collected_mark[MAX_PARTS];

void pick_offer(uint criterion, uint count, uvec4 box, uint colors, uint mark) {
    if (collect_parts && pick_parts < MAX_PARTS) {
        collected_box[pick_parts] = box;
        collected_mark[pick_parts] = mark;
    }
    if (recording) {
        if (recorded < GROUP_PARTS) {
            recorded_shape[recorded] = box.x | (box.y << 5) | (box.z << 10) | (box.w << 15) | (count << 20);
            recorded_marks[recorded] = colors | (mark << 10);
        }
        recorded++;
    }
    if (criterion == UNIQUE_COLOR) {
        pick_twice |= pick_once & colors;
        pick_once |= colors;
        for (uint c = 0; c < 10; c++) {
            if (((colors >> c) & 1u) != 0) { owner_part[c] = pick_parts; owner_mark[c] = mark; owner_box[c] = box; }
        }
    } else {
        int key = pick_key(criterion, count, box.x, box.y, box.z, box.w, bitCount(colors));
        if (!pick_found || key > pick_best_key) {
            pick_found = true; pick_best_key = key; pick_box = box; pick_mark = mark;
        }
    }
    pick_parts++;
}

bool pick_chosen(uint criterion) {
    if (criterion != UNIQUE_COLOR) return pick_found;
    uint unique = pick_once & ~pick_twice;
    bool picked = false;
    uint part = 0;
    for (uint c = 0; c < 10; c++) {
        if (((unique >> c) & 1u) == 0) continue;
        if (picked && owner_part[c] != part) return false;
        picked = true; part = owner_part[c]; pick_box = owner_box[c]; pick_mark = owner_mark[c];
    }
    return picked;
}

void offer_rect(uint s, uint bg, uint criterion, uvec4 box);

// Whether the component labelled id, of `count` cells in the box b, is exactly the box's
// one-cell border (a frame): at least 3x3, as many cells as the border has, and every
// border cell its own. Mirrors is_frame in objects.rs.
bool is_frame(uint w, uint count, uvec4 b, uint id) {
    uint bh = b.z - b.x + 1, bw = b.w - b.y + 1;
    if (bh < 3u || bw < 3u || count != 2u * (bh + bw) - 4u) return false;
    for (uint c = b.y; c <= b.w; c++)
        if (uint(label[b.x * w + c]) != id || uint(label[b.z * w + c]) != id) return false;
    for (uint r = b.x; r <= b.z; r++)
        if (uint(label[r * w + b.y]) != id || uint(label[r * w + b.w]) != id) return false;
    return true;
}

// Offers every object (4-connected non-background cells of any colours, or 8-connected
// with `diagonal`), labelled in row-major order of its first cell, to pick's chooser with its
// cells, bounding box and colours; leaves each cell's object in `label`. With `frames`
// (univalued components), only the components that are frames, each as the rectangle
// inside it. Mirrors each_object and make_split in objects.rs; labels by row bitmasks
// (ops/common.glsl's next_object).
void offer_objects(uint s, uint bg, bool diagonal, bool univalued, bool frames, uint criterion) {
    begin_objects(s, bg, univalued);
    uint id = 0, scan_row = 0, count, colors;
    uvec4 b;
    while (next_object(s, diagonal, univalued, id, scan_row, count, b, colors)) {
        if (!frames) pick_offer(criterion, count, b, colors, id);
        else if (is_frame(cols[s], count, b, id)) offer_rect(s, bg, criterion, uvec4(b.x + 1, b.y + 1, b.z - 1, b.w - 1));
        id++;
    }
}

// Offers the rectangle box (top, left, bottom, right) as a part: its non-background cells
// and colours (as make_split in objects.rs does for rectangle parts).
void offer_rect(uint s, uint bg, uint criterion, uvec4 box) {
    uint w = cols[s], count = 0, colors = 0;
    for (uint r = box.x; r <= box.z; r++) {
        for (uint c = box.y; c <= box.w; c++) {
            uint v = atw(s, w, r, c);
            if (v != bg) { count++; colors |= 1u << v; }
        }
    }
    pick_offer(criterion, count, box, colors, 0);
}

// crop_object: the object pick(objects, criterion) would choose, its whole bounding box.
bool op_crop_object(uvec4 step, uint s, uint d) {
    pick_begin();
    offer_objects(s, background(s), false, false, false, step.y);
    if (!pick_chosen(step.y)) return false;
    bbox[0] = pick_box.x; bbox[1] = pick_box.y; bbox[2] = pick_box.z; bbox[3] = pick_box.w;
    return crop(s, d);
}

// Parts: objects (4- or 8-connected, labelled in row-major order of their first cell),
// colours (increasing) or the rectangles between separator lines (mirrors separator_lines
// in objects.rs); the best by the criterion (first on ties) is cropped to its
// bounding box with only its own cells.
// Offers the parts of `kind` (pick's parts) of buffer s to pick's chooser, in order; false
// when no parts can exist (a cut without separator lines).
bool offer_parts(uint kind, uint s, uint bg, uint criterion) {
    uint w = cols[s], h = rows[s];
    pick_begin();
    if (kind == 3) {
        uint line = NONE;
        for (uint r = 0; r < h && line == NONE; r++) {
            uint v = uniform_row(s, w, r);
            if (v != NONE && v != bg) line = v;
        }
        for (uint c = 0; c < w && line == NONE; c++) {
            uint v = uniform_col(s, w, h, c);
            if (v != NONE && v != bg) line = v;
        }
        if (line == NONE) return false;
        uint row_lines = 0, col_lines = 0;
        for (uint r = 0; r < h; r++) if (uniform_row(s, w, r) == line) row_lines |= 1u << r;
        for (uint c = 0; c < w; c++) if (uniform_col(s, w, h, c) == line) col_lines |= 1u << c;
        uint r0 = 0;
        while (r0 < h) {
            if (((row_lines >> r0) & 1u) != 0) { r0++; continue; }
            uint r1 = r0;
            while (r1 + 1 < h && ((row_lines >> (r1 + 1)) & 1u) == 0) r1++;
            uint c0 = 0;
            while (c0 < w) {
                if (((col_lines >> c0) & 1u) != 0) { c0++; continue; }
                uint c1 = c0;
                while (c1 + 1 < w && ((col_lines >> (c1 + 1)) & 1u) == 0) c1++;
                offer_rect(s, bg, criterion, uvec4(r0, c0, r1, c1));
                c0 = c1 + 1;
            }
            r0 = r1 + 1;
        }
    } else if (kind == 4) {
        for (uint r = 0; r < h; r++) offer_rect(s, bg, criterion, uvec4(r, 0, r, w - 1));
    } else if (kind == 5) {
        for (uint c = 0; c < w; c++) offer_rect(s, bg, criterion, uvec4(0, c, h - 1, c));
    } else if (kind == 2) {
        // one pass over the cells, each colour's count and box, then offered in increasing
        // colour (Mesa 22.3's lavapipe miscompiled the former ten-pass form when list steps
        // followed: tests/engine_equivalence.rs::list_steps_after_isolate_by_colour_agree)
        uint count[10];
        uvec4 box[10];
        for (uint color = 0; color < 10; color++) { count[color] = 0u; box[color] = uvec4(MAX_SIDE, MAX_SIDE, 0u, 0u); }
        for (uint r = 0; r < h; r++) {
            for (uint c = 0; c < w; c++) {
                uint color = atw(s, w, r, c);
                count[color]++;
                box[color] = uvec4(min(box[color].x, r), min(box[color].y, c), max(box[color].z, r), max(box[color].w, c));
            }
        }
        for (uint color = 0; color < 10; color++) {
            if (color == bg || count[color] == 0u) continue;
            pick_offer(criterion, count[color], box[color], 1u << color, color);
        }
    } else {
        offer_objects(s, bg, kind == 1, kind == COMPONENTS || kind == FRAMED, kind == FRAMED, criterion);
    }
    return true;
}

bool make_chosen(uvec4 step, uint s, uint d, bool in_place, uint bg);

// The part pick chooses, cropped to its box or (in_place) kept where it is.
// In a pick group (search/main.glsl, pick_reuse) a step after the first offers the first
// step's recorded parts to its own criterion instead of splitting again.
bool pick_part(uvec4 step, uint s, uint d, bool in_place) {
    if (pick_reuse == 2u && recorded <= GROUP_PARTS) {
        pick_begin();
        for (uint p = 0; p < recorded; p++) {
            uint shape = recorded_shape[p], marks = recorded_marks[p];
            pick_offer(step.z, shape >> 20, uvec4(shape & 31u, (shape >> 5) & 31u, (shape >> 10) & 31u, (shape >> 15) & 31u), marks & 1023u, marks >> 10);
        }
    } else {
        // (past GROUP_PARTS parts `recorded` stays over it: every later step splits again)
        recording = pick_reuse == 1u;
        if (recording) recorded = 0u;
        pick_bg = background(s);
        pick_split = offer_parts(step.y, s, pick_bg, step.z);
        recording = false;
        if (pick_reuse == 1u) pick_reuse = 2u;
    }
    if (!pick_split || !pick_chosen(step.z)) return false;
    if (pick_reuse != 0u) {
        group_part = pick_box.x | (pick_box.y << 5) | (pick_box.z << 10) | (pick_box.w << 15) | (pick_mark << 20);
        for (uint e = 0; e < group_memo_count; e++) {
            if (group_memo_part[e] == group_part) {
                group_repeat = e;
                return true;
            }
        }
    }
    return make_chosen(step, s, d, in_place, pick_bg);
}

// The chosen part (pick_box, pick_mark) of buffer s's parts of kind step.y, cropped to its
// box or (in_place) kept where it is, into buffer d.
bool make_chosen(uvec4 step, uint s, uint d, bool in_place, uint bg) {
    uint w = cols[s], h = rows[s];
    bool by_color = step.y == 2;
    uint best0 = pick_box.x, best1 = pick_box.y, best2 = pick_box.z, best3 = pick_box.w, best_mark = pick_mark;
    if (in_place) {
        if (!sized(d, h, w)) return false;
        for (uint r = 0; r < h; r++) {
            for (uint c = 0; c < w; c++) {
                uint i = r * w + c;
                bool inside = r >= best0 && r <= best2 && c >= best1 && c <= best3;
                bool own = inside && (is_rectangle_kind(step.y) || (by_color ? uint(cells[s][i]) == best_mark : uint(label[i]) == best_mark));
                cells[d][i] = own ? cells[s][i] : uint8_t(bg);
            }
        }
        return true;
    }
    uint oh = best2 - best0 + 1, ow = best3 - best1 + 1;
    if (!sized(d, oh, ow)) return false;
    moved_by(s, d, best0, best1);
    for (uint r = 0; r < oh; r++) {
        for (uint c = 0; c < ow; c++) {
            uint i = (r + best0) * w + c + best1;
            bool own = is_rectangle_kind(step.y) || (by_color ? uint(cells[s][i]) == best_mark : uint(label[i]) == best_mark);
            cells[d][r * ow + c] = own ? cells[s][i] : uint8_t(bg);
        }
    }
    return true;
}

bool op_pick(uvec4 step, uint s, uint d) {
    return pick_part(step, s, d, false);
}

// pick's part kept in place (mirrors isolate in objects.rs): the grid's size, only the
// part's own cells, background elsewhere.
bool op_isolate(uvec4 step, uint s, uint d) {
    return pick_part(step, s, d, true);
}

// What count draws (mirrors counted in objects.rs): non-background cells, distinct
// non-background colours, or objects (4-connected, any colours).
uint counted(uint what, uint s, uint bg) {
    uint w = cols[s], h = rows[s], n = h * w;
    if (what == 0) {
        uint k = 0;
        for (uint i = 0; i < n; i++) if (uint(cells[s][i]) != bg) k++;
        return k;
    }
    if (what == 1) {
        uint seen = 0;
        for (uint i = 0; i < n; i++) seen |= 1u << uint(cells[s][i]);
        return bitCount(seen & ~(1u << bg));
    }
    pick_begin();
    offer_objects(s, bg, false, false, false, 0);
    return pick_parts;
}

bool op_count(uvec4 step, uint s, uint d) {
    uint bg = background(s);
    uint color = majority_foreground(s, bg);
    if (color == NONE) return false;
    uint k = counted(step.y, s, bg);
    uint h = step.z == 1 || step.z == 2 ? k : 1;
    uint w = step.z == 0 || step.z == 2 ? k : 1;
    if (!sized(d, h, w)) return false;
    for (uint i = 0; i < h * w; i++) cells[d][i] = uint8_t(color);
    return true;
}
