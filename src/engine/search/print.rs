//! 128-bit prints of the search: four MurmurHash3-style 32-bit lanes (distinct seeds and
//! constants), finished with MurmurHash3's mixer. A grid's print absorbs its record (header
//! word `rows | cols << 8 | position << 16`, the position `Canvas::origin_word`, then the
//! cells packed 4 to a word, little-endian, zero-padded);
//! a state's print absorbs the four lanes of each of its grids' prints, input after input.
//! `shaders/search/print.glsl` is the same function word for word, so the CPU and the GPU
//! search deduplicate by the same prints.

const SEED: [u32; 4] = [0x9e37_79b9, 0x7f4a_7c15, 0x85eb_ca6b, 0xc2b2_ae35];
const C1: [u32; 4] = [0xcc9e_2d51, 0x1b87_3593, 0x27d4_eb2f, 0x1656_67b1];
const C2: [u32; 4] = [0x1b87_3593, 0xcc9e_2d51, 0x1656_67b1, 0x27d4_eb2f];

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
            let k = word.wrapping_mul(C1[j]).rotate_left(15).wrapping_mul(C2[j]);
            let h = (self.lanes[j] ^ k).rotate_left(13);
            self.lanes[j] = h.wrapping_mul(5).wrapping_add(0xe654_6b64);
        }
        self.words += 1;
    }

    /// Absorbs the print of the next input's grid.
    #[inline]
    pub fn add_grid(&mut self, grid_print: [u32; 4]) {
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
        let mut chunks = cells.chunks_exact(4);
        for c in &mut chunks {
            self.absorb(u32::from_le_bytes([c[0], c[1], c[2], c[3]]));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut last = [0u8; 4];
            last[..rest.len()].copy_from_slice(rest);
            self.absorb(u32::from_le_bytes(last));
        }
    }

    /// The print's four lanes, as the shader writes them (`uvec4`).
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
}
