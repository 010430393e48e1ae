//! The last level's selection: each run of candidates' best with distinct new prints, in one
//! pass over its scores (a print read only for a candidate that would enter), the duplicates
//! met counted as a whole-level rank-order walk would count them, and long runs scanned in
//! parallel parts merged in rank order.

use std::collections::HashSet;
use std::hash::Hasher;

use rayon::prelude::*;

use super::print;
use crate::engine::level::Prints;

/// Hashes an already-hashed u128 key by taking its low half (no second hashing).
#[derive(Default)]
pub(super) struct PrehashedKey(u64);

impl Hasher for PrehashedKey {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | b as u64;
        }
    }
    fn write_u128(&mut self, v: u128) {
        self.0 = v as u64;
    }
}

pub(super) type PrehashedSet = HashSet<u128, std::hash::BuildHasherDefault<PrehashedKey>>;

/// Best first by score word (exact, then key), then by index.
pub(super) fn by_rank(a: (u32, u64), b: (u32, u64)) -> std::cmp::Ordering {
    b.0.cmp(&a.0).then(a.1.cmp(&b.1))
}

/// The best `keep` candidates with an output whose prints are new (not in `seen`) and
/// distinct, each print by its best candidate: (score word, index, print), best first by
/// `by_rank`. One pass in index order over a bounded set whose worst entry is on top of a
/// heap, so almost every candidate costs one comparison and only those that would enter
/// have their print read. (A print met again with a higher score, which only a print
/// collision could give, takes the better candidate; its old heap entry is then stale.)
///
/// Also returns the duplicates it met that may still rank above the final cut (score word,
/// index): candidates whose print was seen before or is kept by a better one. Every
/// duplicate ranked above the `keep`-th distinct new print of the whole level reaches the
/// print check (anything ranked below a full set's worst is below that cut), so the search
/// stats can count them exactly, whatever the parts and chunks (`JobSearch::finish_level`).
pub(super) fn best_distinct(scores: &[u32], prints: Prints, seen: &PrehashedSet, keep: usize) -> Distinct {
    use std::cmp::Reverse;
    use std::collections::{BinaryHeap, HashMap};
    if keep == 0 {
        return Distinct::default();
    }
    let mut duplicates = Vec::new();
    // the heap's top is the worst: the lowest score, then the latest index
    let mut heap: BinaryHeap<(Reverse<u32>, u32, u128)> = BinaryHeap::new();
    let mut best: HashMap<u128, (u32, u32), std::hash::BuildHasherDefault<PrehashedKey>> = HashMap::default();
    for (k, &score) in scores.iter().enumerate() {
        if score == 0 {
            continue;
        }
        if best.len() == keep {
            // drop stale entries, then compare with the worst kept
            while let Some(&(Reverse(s), i, p)) = heap.peek() {
                if best.get(&p) == Some(&(s, i)) {
                    break;
                }
                heap.pop();
            }
            // a later index never beats an equal score
            if heap.peek().is_some_and(|&(Reverse(worst), _, _)| score <= worst) {
                continue;
            }
        }
        let p = print::lanes_to_u128(prints.get(k));
        if seen.contains(&p) {
            duplicates.push((score, k as u32));
            continue;
        }
        match best.get(&p) {
            Some(&(s, _)) if score <= s => {
                duplicates.push((score, k as u32));
                continue;
            }
            Some(&older) => duplicates.push(older),
            None if best.len() == keep => {
                let (_, _, worst) = heap.pop().expect("a full set has a live worst entry on top");
                best.remove(&worst);
            }
            None => {}
        }
        best.insert(p, (score, k as u32));
        heap.push((Reverse(score), k as u32, p));
    }
    let mut best: Vec<(u32, u32, u128)> = best.into_iter().map(|(p, (s, k))| (s, k, p)).collect();
    best.sort_unstable_by(|a, b| by_rank((a.0, a.1 as u64), (b.0, b.1 as u64)));
    if best.len() == keep {
        // a duplicate ranked below a full set's worst is below every cut
        let worst = best[keep - 1];
        duplicates.retain(|&(s, k)| by_rank((s, k as u64), (worst.0, worst.1 as u64)).is_lt());
    }
    Distinct { best, duplicates }
}

/// What `best_distinct` keeps of a run of last-level candidates: the best with distinct new
/// prints, best first, and the duplicates met that may rank above the level's cut, both as
/// (score word, index in the run).
#[derive(Default, Debug, PartialEq)]
pub(super) struct Distinct {
    pub(super) best: Vec<(u32, u32, u128)>,
    pub(super) duplicates: Vec<(u32, u32)>,
}

/// `best_distinct` of a long run of candidates, its parts scanned in parallel: each part's
/// best `keep` distinct new prints, merged in rank order with each print's first kept (the
/// same list whatever the parts: a print among the best `keep` overall is among its own
/// part's best `keep`); a print the merge meets again is one more duplicate.
///
/// A part as long as the run over the threads (at least 2^18 candidates): each part asks
/// for the prints of about `keep` times the log of its length candidates, so fewer, longer
/// parts ask for fewer (the CPU makes them on request on the last level).
pub(super) fn best_distinct_par(scores: &[u32], prints: Prints, seen: &PrehashedSet, keep: usize) -> Distinct {
    let part = scores.len().div_ceil(rayon::current_num_threads().max(1)).max(1 << 18);
    best_distinct_parts(scores, prints, seen, keep, part)
}

/// `best_distinct_par` with parts of `part` candidates.
pub(super) fn best_distinct_parts(scores: &[u32], prints: Prints, seen: &PrehashedSet, keep: usize, part: usize) -> Distinct {
    if scores.len() <= part {
        return best_distinct(scores, prints, seen, keep);
    }
    let parts: Vec<Distinct> = scores.par_chunks(part).enumerate().map(|(k, s)| best_distinct(s, prints.from(k * part), seen, keep)).collect();
    let mut duplicates = Vec::new();
    let mut all = Vec::new();
    let part_len = part;
    for (part, found) in parts.into_iter().enumerate() {
        let offset = (part * part_len) as u32;
        duplicates.extend(found.duplicates.into_iter().map(|(score, k)| (score, k + offset)));
        all.extend(found.best.into_iter().map(|(score, k, print)| (score, k + offset, print)));
    }
    all.sort_unstable_by(|a, b| by_rank((a.0, a.1 as u64), (b.0, b.1 as u64)));
    let mut taken = PrehashedSet::default();
    all.retain(|c| {
        if taken.len() == keep {
            return false;
        }
        let new = taken.insert(c.2);
        if !new {
            duplicates.push((c.0, c.1));
        }
        new
    });
    Distinct { best: all, duplicates }
}

