// 128-bit prints: four 32-bit lanes, each the sum (wrapping) of one mix per word, where a
// word's mix is MurmurHash3's finaliser (with the lane's multipliers) of the word xor its
// position's salt; the sums are finished with MurmurHash3's mixer. A grid's print absorbs
// its record (header word, then the packed cell words); a state's print absorbs the four
// lanes of each of its grids' prints, input after input. Every word is mixed on its own, so
// threads can share a print by adding their parts. Mirrors src/engine/search/print.rs word
// for word: CPU and GPU searches deduplicate by the same prints.

const uvec4 PRINT_SEED = uvec4(0x9e3779b9u, 0x7f4a7c15u, 0x85ebca6bu, 0xc2b2ae35u);
const uvec4 PRINT_SALT = uvec4(0x9e3779b9u, 0x632be5abu, 0x85157af5u, 0xd1b54a33u);
const uvec4 PRINT_M1 = uvec4(0x85ebca6bu, 0xcc9e2d51u, 0x27d4eb2fu, 0x165667b1u);
const uvec4 PRINT_M2 = uvec4(0xc2b2ae35u, 0x1b873593u, 0x165667b1u, 0x27d4eb2fu);

// The four lanes' mixes of `word` at `position` (a print adds them to its lanes).
uvec4 print_word(uint word, uint position) {
    uvec4 k = uvec4(word) ^ ((position + 1u) * PRINT_SALT);
    k ^= k >> 16;
    k *= PRINT_M1;
    k ^= k >> 13;
    k *= PRINT_M2;
    return k ^ (k >> 16);
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
