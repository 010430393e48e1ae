// 128-bit prints: four MurmurHash3-style 32-bit lanes (distinct seeds and constants),
// finished with MurmurHash3's mixer. A grid's print absorbs its record (header word, then
// the packed cell words); a state's print absorbs the four lanes of each of its grids'
// prints, input after input. Mirrors src/engine/search/print.rs word for word: CPU and GPU
// searches deduplicate by the same prints.

const uvec4 PRINT_SEED = uvec4(0x9e3779b9u, 0x7f4a7c15u, 0x85ebca6bu, 0xc2b2ae35u);
const uvec4 PRINT_C1 = uvec4(0xcc9e2d51u, 0x1b873593u, 0x27d4eb2fu, 0x165667b1u);
const uvec4 PRINT_C2 = uvec4(0x1b873593u, 0xcc9e2d51u, 0x165667b1u, 0x27d4eb2fu);

uvec4 print_absorb(uvec4 h, uint word) {
    uvec4 k = word * PRINT_C1;
    k = (k << 15) | (k >> 17);
    k *= PRINT_C2;
    h ^= k;
    h = (h << 13) | (h >> 19);
    return h * 5u + 0xe6546b64u;
}

uvec4 print_finish(uvec4 h, uint words) {
    h ^= uvec4(words);
    h ^= h >> 16;
    h *= 0x85ebca6bu;
    h ^= h >> 13;
    h *= 0xc2b2ae35u;
    h ^= h >> 16;
    return h;
}
