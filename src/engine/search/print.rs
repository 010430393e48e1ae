//! 128-bit prints of the search: four 32-bit lanes, each the sum (wrapping) of one mix per
//! word, where a word's mix is MurmurHash3's finaliser (with the lane's multipliers) of the
//! word xor its position's salt; the sums are finished with MurmurHash3's mixer. Every word
//! is mixed on its own, so a print is a sum that any number of threads can share (the
//! cell-parallel search kernel adds its threads' parts) and a CPU core mixes words without
//! waiting on the one before. A grid's print absorbs its record (header word
//! `rows | cols << 8 | position << 16`, the position `Canvas::origin_word`, then the cells
//! packed 4 to a word, little-endian, zero-padded); a state's print absorbs the four lanes
//! of each of its grids' prints, input after input. `shaders/search/print.glsl` is the same
//! function word for word, so the CPU and the GPU search deduplicate by the same prints.

const SEED: [u32; 4] = [0x9e37_79b9, 0x7f4a_7c15, 0x85eb_ca6b, 0xc2b2_ae35];
/// Per lane: a word's position times its salt is xored into the word before it is mixed.
const SALT: [u32; 4] = [0x9e37_79b9, 0x632b_e5ab, 0x8515_7af5, 0xd1b5_4a33];
const M1: [u32; 4] = [0x85eb_ca6b, 0xcc9e_2d51, 0x27d4_eb2f, 0x1656_67b1];
const M2: [u32; 4] = [0xc2b2_ae35, 0x1b87_3593, 0x1656_67b1, 0x27d4_eb2f];

/// Word `word` at `position` mixed for lane `j` (a bijection of the word for each position).
#[inline(always)]
pub fn word_mix(word: u32, position: u32, j: usize) -> u32 {
    let mut k = word ^ position.wrapping_add(1).wrapping_mul(SALT[j]);
    k ^= k >> 16;
    k = k.wrapping_mul(M1[j]);
    k ^= k >> 13;
    k = k.wrapping_mul(M2[j]);
    k ^ (k >> 16)
}

/// Streams words into a print (of a grid, or of a state's grid prints).
#[derive(Debug, Clone, Copy)]
pub struct StatePrint {
    lanes: [u32; 4],
    words: u32,
}

impl Default for StatePrint {
    fn default() -> Self {
        StatePrint::new()
    }
}

impl StatePrint {
    pub fn new() -> StatePrint {
        StatePrint { lanes: SEED, words: 0 }
    }

    #[inline]
    fn absorb(&mut self, word: u32) {
        for j in 0..4 {
            self.lanes[j] = self.lanes[j].wrapping_add(word_mix(word, self.words, j));
        }
        self.words += 1;
    }

    /// Absorbs the print of the next input's grid (its 16 mixes with AVX2's multiplies where
    /// the CPU has them, as `cell_sums`).
    #[inline]
    pub fn add_grid(&mut self, grid_print: [u32; 4]) {
        #[cfg(target_arch = "x86_64")]
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the CPU has AVX2 (checked just above), all the function asks of it
            return unsafe { self.add_grid_avx2(grid_print) };
        }
        self.add_grid_portable(grid_print)
    }

    /// # Safety
    /// The CPU must have AVX2.
    #[cfg(target_arch = "x86_64")]
    #[target_feature(enable = "avx2")]
    unsafe fn add_grid_avx2(&mut self, grid_print: [u32; 4]) {
        self.add_grid_portable(grid_print)
    }

    #[inline(always)]
    fn add_grid_portable(&mut self, grid_print: [u32; 4]) {
        for w in grid_print {
            self.absorb(w);
        }
    }

    /// Absorbs the grid of `rows` x `cols` with these cells (row-major) on the next input,
    /// lying at row 0, column 0.
    #[inline]
    pub fn grid(&mut self, rows: usize, cols: usize, cells: &[u8]) {
        self.grid_at(rows, cols, 0, cells);
    }

    /// `grid` of a grid lying at the position `origin_word` (`Canvas::origin_word`).
    #[inline]
    pub fn grid_at(&mut self, rows: usize, cols: usize, origin_word: u32, cells: &[u8]) {
        self.add_grid(grid_print(rows, cols, origin_word, cells));
    }

    /// Absorbs a grid record's words.
    #[inline]
    fn record(&mut self, rows: usize, cols: usize, origin_word: u32, cells: &[u8]) {
        self.absorb(rows as u32 | (cols as u32) << 8 | origin_word << 16);
        self.cells(cells);
    }

    /// Absorbs cells packed 4 to a word, little-endian, zero-padded.
    #[inline]
    fn cells(&mut self, cells: &[u8]) {
        let (sums, position) = cell_sums(cells, self.words);
        for (lane, sum) in self.lanes.iter_mut().zip(sums) {
            *lane = lane.wrapping_add(sum);
        }
        self.words = position;
    }

    /// The print's four lanes, as the shader writes them (`uvec4`).
    #[inline]
    pub fn finish_lanes(&self) -> [u32; 4] {
        let mut out = [0u32; 4];
        for (o, &h) in out.iter_mut().zip(&self.lanes) {
            let mut h = h ^ self.words;
            h ^= h >> 16;
            h = h.wrapping_mul(0x85eb_ca6b);
            h ^= h >> 13;
            h = h.wrapping_mul(0xc2b2_ae35);
            *o = h ^ (h >> 16);
        }
        out
    }
}

/// Each lane's sum of the mixes of `cells`' words (packed 4 to a word, little-endian,
/// zero-padded) at positions `first`, `first + 1`, …, and the position after the last: with
/// AVX2 where the CPU has it (eight 32-bit multiplies an instruction, two words at once),
/// else as the target allows (on x86-64's baseline, SSE2, each 32-bit multiply is built from
/// several). The same sums either way: it is one function, compiled twice.
#[inline]
fn cell_sums(cells: &[u8], first: u32) -> ([u32; 4], u32) {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above), all the function asks of it
        return unsafe { cell_sums_avx2(cells, first) };
    }
    cell_sums_portable(cells, first)
}

/// # Safety
/// The CPU must have AVX2 (an `unsafe fn`, not a safe one with a target feature: those
/// need Rust 1.86, and the crate's `rust-version` is 1.85).
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn cell_sums_avx2(cells: &[u8], first: u32) -> ([u32; 4], u32) {
    cell_sums_portable(cells, first)
}

/// `cell_sums` for whatever the target allows: two words at a time in eight lanes (words at
/// even and odd positions), their salts stepped by addition (`(position + 1) * SALT`
/// wraps as a sum does), the lanes' halves added at the end.
#[inline(always)]
fn cell_sums_portable(cells: &[u8], first: u32) -> ([u32; 4], u32) {
    let m1: [u32; 8] = [M1[0], M1[1], M1[2], M1[3], M1[0], M1[1], M1[2], M1[3]];
    let m2: [u32; 8] = [M2[0], M2[1], M2[2], M2[3], M2[0], M2[1], M2[2], M2[3]];
    let mut salt = [0u32; 8];
    let mut step = [0u32; 8];
    for j in 0..4 {
        salt[j] = first.wrapping_add(1).wrapping_mul(SALT[j]);
        salt[4 + j] = first.wrapping_add(2).wrapping_mul(SALT[j]);
        step[j] = SALT[j].wrapping_mul(2);
        step[4 + j] = SALT[j].wrapping_mul(2);
    }
    let mut sums = [0u32; 8];
    let mut pairs = cells.chunks_exact(8);
    let mut position = first;
    for c in &mut pairs {
        let w0 = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
        let w1 = u32::from_le_bytes([c[4], c[5], c[6], c[7]]);
        let words = [w0, w0, w0, w0, w1, w1, w1, w1];
        for j in 0..8 {
            let mut k = words[j] ^ salt[j];
            k ^= k >> 16;
            k = k.wrapping_mul(m1[j]);
            k ^= k >> 13;
            k = k.wrapping_mul(m2[j]);
            sums[j] = sums[j].wrapping_add(k ^ (k >> 16));
            salt[j] = salt[j].wrapping_add(step[j]);
        }
        position += 2;
    }
    let mut lanes = [0u32; 4];
    for j in 0..4 {
        lanes[j] = sums[j].wrapping_add(sums[4 + j]);
    }
    // up to 7 bytes left: a whole word, then a zero-padded one
    for rest in pairs.remainder().chunks(4) {
        let mut last = [0u8; 4];
        last[..rest.len()].copy_from_slice(rest);
        let word = u32::from_le_bytes(last);
        for (j, lane) in lanes.iter_mut().enumerate() {
            *lane = lane.wrapping_add(word_mix(word, position, j));
        }
        position += 1;
    }
    (lanes, position)
}

/// The print of one grid of `rows` x `cols` with these cells, lying at `origin_word`.
#[inline]
pub fn grid_print(rows: usize, cols: usize, origin_word: u32, cells: &[u8]) -> [u32; 4] {
    let mut p = StatePrint::new();
    p.record(rows, cols, origin_word, cells);
    p.finish_lanes()
}

/// A list state's first print word (beside its element count): no grid's header word has
/// bit 30 (its size and position fill 26 bits).
pub const LIST_PRINT: u32 = 1 << 30;

/// The print of the state a canvas holds: a grid at its position, or a list (`LIST_PRINT |
/// count`, each element's header word, then all its cells). Mirrors print_state in
/// shaders/search/main.glsl.
pub fn canvas_print(c: &crate::engine::ops::Canvas) -> [u32; 4] {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the CPU has AVX2 (checked just above), all the function asks of it
        return unsafe { canvas_print_avx2(c) };
    }
    canvas_print_portable(c)
}

/// `canvas_print` with AVX2's multiplies for its header, list and finishing mixes (its
/// cells go through `cell_sums` either way).
///
/// # Safety
/// The CPU must have AVX2.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn canvas_print_avx2(c: &crate::engine::ops::Canvas) -> [u32; 4] {
    canvas_print_portable(c)
}

#[inline(always)]
fn canvas_print_portable(c: &crate::engine::ops::Canvas) -> [u32; 4] {
    let mut p = StatePrint::new();
    if c.parts == 0 {
        p.record(c.rows, c.cols, c.origin_word(), c.filled());
    } else {
        p.absorb(LIST_PRINT | c.parts as u32);
        for &word in &c.part[..c.parts] {
            p.absorb(word);
        }
        p.cells(c.list_cells());
    }
    p.finish_lanes()
}

/// Four lanes as one number (lane 0 lowest).
#[inline]
pub fn lanes_to_u128(l: [u32; 4]) -> u128 {
    l[0] as u128 | (l[1] as u128) << 32 | (l[2] as u128) << 64 | (l[3] as u128) << 96
}

/// The print of a state whose outputs are these grids, in input order, each at row 0,
/// column 0.
pub fn of_grids<'a>(grids: impl IntoIterator<Item = &'a crate::grid::Grid>) -> u128 {
    let mut p = StatePrint::new();
    for g in grids {
        p.grid(g.rows(), g.cols(), g.cells());
    }
    lanes_to_u128(p.finish_lanes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn prints_tell_grids_apart_by_cells_and_shape_and_order() {
        let (a, b, c) = (grid!["12", "30"], grid!["1230"], grid!["12", "31"]);
        let pa = of_grids([&a]);
        assert_eq!(pa, of_grids([&a.clone()]));
        assert_ne!(pa, of_grids([&b]), "same cells, another shape");
        assert_ne!(pa, of_grids([&c]));
        assert_ne!(of_grids([&a, &c]), of_grids([&c, &a]));
        assert_ne!(of_grids([&a]), of_grids([&a, &a]));
    }

    #[test]
    fn no_two_small_grids_share_a_print() {
        // every 3x3 grid of colours 0-2, every 2x2 of 0-9 and every row of 1-5 cells of 0-3
        let mut seen = std::collections::HashSet::new();
        let mut count = 0;
        let mut add = |rows: usize, cols: usize, cells: &[u8]| {
            count += 1;
            assert!(seen.insert(grid_print(rows, cols, 0, cells)), "{rows}x{cols} {cells:?}");
        };
        for n in 0..3usize.pow(9) {
            let cells: Vec<u8> = (0..9).map(|i| (n / 3usize.pow(i) % 3) as u8).collect();
            add(3, 3, &cells);
        }
        for n in 0..10_000usize {
            let cells: Vec<u8> = (0..4).map(|i| (n / 10usize.pow(i) % 10) as u8).collect();
            add(2, 2, &cells);
        }
        for len in 1..=5u32 {
            for n in 0..4usize.pow(len) {
                let cells: Vec<u8> = (0..len).map(|i| (n / 4usize.pow(i) % 4) as u8).collect();
                add(1, len as usize, &cells);
            }
        }
        assert_eq!(seen.len(), count);
    }

    #[test]
    fn a_print_is_a_sum_of_its_words_mixes() {
        // what lets threads share a print: each word's mix depends on its word and position only
        let cells: Vec<u8> = (0..23).map(|i| (i * 7 % 10) as u8).collect();
        let mut whole = StatePrint::new();
        whole.record(1, 23, 0, &cells);
        let mut lanes = SEED;
        let header = 1 | 23 << 8;
        let words = std::iter::once(header).chain(cells.chunks(4).map(|c| {
            let mut w = [0u8; 4];
            w[..c.len()].copy_from_slice(c);
            u32::from_le_bytes(w)
        }));
        for (position, word) in words.enumerate().collect::<Vec<_>>().into_iter().rev() {
            for (j, lane) in lanes.iter_mut().enumerate() {
                *lane = lane.wrapping_add(word_mix(word, position as u32, j));
            }
        }
        assert_eq!(whole.lanes, lanes);
        assert_eq!(whole.words, 1 + 6);
    }

    #[test]
    fn cell_sums_equal_a_word_by_word_mix_at_every_length_and_start() {
        // the two-words-at-a-time form (AVX2 or portable) against one word at a time
        for n in (0..=41).chain([226, 227, 899, 900]) {
            let cells: Vec<u8> = (0..n).map(|i| (i * 7 % 10) as u8).collect();
            for first in [0u32, 1, 5, 1_000_001] {
                let mut lanes = [0u32; 4];
                let mut position = first;
                for c in cells.chunks(4) {
                    let mut w = [0u8; 4];
                    w[..c.len()].copy_from_slice(c);
                    for (j, lane) in lanes.iter_mut().enumerate() {
                        *lane = lane.wrapping_add(word_mix(u32::from_le_bytes(w), position, j));
                    }
                    position += 1;
                }
                assert_eq!(cell_sums(&cells, first), (lanes, position), "{n} cells from {first}");
                assert_eq!(cell_sums_portable(&cells, first), (lanes, position), "{n} cells from {first}");
            }
        }
    }
}
