//! The engine's one 128-bit fingerprint, for anything that implements `Hash`: result-cache
//! keys (programs, grids), search states (a state's grids on every input) and whole
//! searches (options and train pairs). A `Hasher` of two independently seeded
//! multiply-rotate lanes that absorb 8 bytes at a time, finished with MurmurHash3's mixer:
//! a search fingerprints millions of states, and SipHash was a tenth of its time.
//! Collisions are as unlikely as in any 128-bit hash of non-adversarial data; a
//! fingerprint only needs to be stable within one run.

use std::hash::{Hash, Hasher};

/// The fingerprint of `value`.
pub fn fingerprint<T: Hash + ?Sized>(value: &T) -> u128 {
    let mut f = Fingerprinter::new();
    value.hash(&mut f);
    f.finish128()
}

/// Streams values into a 128-bit fingerprint.
#[derive(Debug, Clone)]
pub struct Fingerprinter {
    a: u64,
    b: u64,
}

impl Fingerprinter {
    pub fn new() -> Fingerprinter {
        Fingerprinter { a: 0x9e37_79b9_7f4a_7c15, b: 0x6a09_e667_f3bc_c909 }
    }

    #[inline]
    fn absorb(&mut self, word: u64) {
        self.a = (self.a ^ word).wrapping_mul(0x9fb2_1c65_1e98_df25).rotate_left(31);
        self.b = (self.b ^ word.rotate_left(17)).wrapping_mul(0xc2b2_ae3d_27d4_eb4f).rotate_left(27);
    }

    pub fn finish128(&self) -> u128 {
        fn mix(mut h: u64) -> u64 {
            h ^= h >> 33;
            h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
            h ^= h >> 33;
            h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
            h ^ (h >> 33)
        }
        ((mix(self.a) as u128) << 64) | mix(self.b) as u128
    }
}

impl Default for Fingerprinter {
    fn default() -> Self {
        Fingerprinter::new()
    }
}

impl Hasher for Fingerprinter {
    fn finish(&self) -> u64 {
        self.finish128() as u64
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            self.absorb(u64::from_le_bytes(chunk.try_into().expect("8 bytes")));
        }
        let rest = chunks.remainder();
        let mut tail = [0u8; 8];
        tail[..rest.len()].copy_from_slice(rest);
        // the length marks the tail, so "ab" and "ab\0" differ
        self.absorb(u64::from_le_bytes(tail) ^ ((rest.len() as u64 + 1) << 60));
    }

    fn write_u8(&mut self, v: u8) {
        self.absorb(v as u64 | 0x0100);
    }
    fn write_u16(&mut self, v: u16) {
        self.absorb(v as u64 | 0x0200_0000);
    }
    fn write_u32(&mut self, v: u32) {
        self.absorb(v as u64 | 0x0400_0000_0000);
    }
    fn write_u64(&mut self, v: u64) {
        self.absorb(v);
        self.absorb(0x0800);
    }
    fn write_usize(&mut self, v: usize) {
        self.write_u64(v as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    #[test]
    fn equal_values_agree_and_small_changes_differ() {
        let g = grid!["120", "340"];
        assert_eq!(fingerprint(&g), fingerprint(&g.clone()));
        assert_ne!(fingerprint(&g), fingerprint(&grid!["120", "341"]));
        assert_ne!(fingerprint(&grid!["12", "34"]), fingerprint(&grid!["1234"]), "same cells, other shape");
        assert_ne!(fingerprint(&[1u8, 2][..]), fingerprint(&[1u8, 2, 0][..]), "a trailing zero counts");
        assert_ne!(fingerprint(&(1u32, 2u32)), fingerprint(&(2u32, 1u32)), "order counts");
        let prints: std::collections::HashSet<u128> = (0..10_000u32).map(|i| fingerprint(&i)).collect();
        assert_eq!(prints.len(), 10_000);
    }
}
