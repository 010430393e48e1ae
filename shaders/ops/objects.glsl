// The objects family (src/engine/ops/objects.rs): crops to the content or to one object,
// and keeping one object.

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

// How crop_object's criterion ranks an object (higher is better): its cells, its bounding
// box's area or its colours, counted up or down.
int criterion_key(uint criterion, uint size, uint area, uint colors) {
    uint value = criterion < 2 ? size : (criterion < 4 ? area : colors);
    bool larger = criterion == 0 || criterion == 2 || criterion == 4;
    return larger ? int(value) : -int(value);
}

// Objects of any colours (4-connected non-background cells) labelled in row-major order
// of their first cell; the best by the criterion (first on ties) is cropped.
bool op_crop_object(uvec4 step, uint s, uint d) {
    uint w = cols[s], h = rows[s], n = h * w;
    uint bg = background(s);
    for (uint i = 0; i < n; i++) label[i] = NO_LABEL;
    bool found = false;
    int best_key = 0;
    uint best0 = 0, best1 = 0, best2 = 0, best3 = 0, next_label = 0;
    for (uint r0 = 0; r0 < h; r0++) {
        for (uint c0 = 0; c0 < w; c0++) {
            uint start = r0 * w + c0;
            if (label[start] != NO_LABEL || uint(cells[s][start]) == bg) continue;
            uint16_t id = uint16_t(next_label++);
            label[start] = id;
            queue[0] = uint16_t((r0 << 5) | c0);
            uint head = 0, tail = 1, colors = 0;
            uint b0 = r0, b1 = c0, b2 = r0, b3 = c0;
            while (head < tail) {
                uint rc = uint(queue[head++]);
                uint r = rc >> 5, c = rc & 31u, i = r * w + c;
                colors |= 1u << uint(cells[s][i]);
                b0 = min(b0, r); b1 = min(b1, c); b2 = max(b2, r); b3 = max(b3, c);
                if (r > 0 && label[i - w] == NO_LABEL && uint(cells[s][i - w]) != bg) { label[i - w] = id; queue[tail++] = uint16_t(rc - 32); }
                if (r + 1 < h && label[i + w] == NO_LABEL && uint(cells[s][i + w]) != bg) { label[i + w] = id; queue[tail++] = uint16_t(rc + 32); }
                if (c > 0 && label[i - 1] == NO_LABEL && uint(cells[s][i - 1]) != bg) { label[i - 1] = id; queue[tail++] = uint16_t(rc - 1); }
                if (c + 1 < w && label[i + 1] == NO_LABEL && uint(cells[s][i + 1]) != bg) { label[i + 1] = id; queue[tail++] = uint16_t(rc + 1); }
            }
            uint area = (b2 - b0 + 1) * (b3 - b1 + 1);
            int key = criterion_key(step.y, tail, area, bitCount(colors));
            if (!found || key > best_key) {
                found = true;
                best_key = key;
                best0 = b0; best1 = b1; best2 = b2; best3 = b3;
            }
        }
    }
    if (!found) return false;
    bbox[0] = best0; bbox[1] = best1; bbox[2] = best2; bbox[3] = best3;
    return crop(s, d);
}
