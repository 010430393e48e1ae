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
