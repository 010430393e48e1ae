//! Splitting one run across machines and putting it back together: `--shard K/N` picks the
//! K-th of N deterministic slices of the selected tasks (task i of the selection goes to
//! shard i mod N + 1, so every shard gets a mix of early and late, small and large tasks),
//! and `batt merge` reads the shards' results.json files, refuses overlapping, missing or
//! mismatched shards with a message that names the folders, and rebuilds the records of
//! the unsharded run in selection order.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::output::Results;

/// Shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: usize,
    pub count: usize,
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(text: &str) -> Result<Shard, String> {
        let usage = || format!("expected K/N with 1 <= K <= N (e.g. 2/3), got '{text}'");
        let (k, n) = text.split_once('/').ok_or_else(usage)?;
        let index: usize = k.trim().parse().map_err(|_| usage())?;
        let count: usize = n.trim().parse().map_err(|_| usage())?;
        if index == 0 || count == 0 || index > count {
            return Err(usage());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// This shard's items and their 0-based places in `items`.
    pub fn slice<T: Clone>(&self, items: &[T]) -> (Vec<T>, Vec<usize>) {
        items
            .iter()
            .enumerate()
            .filter(|(i, _)| i % self.count == self.index - 1)
            .map(|(i, item)| (item.clone(), i))
            .unzip()
    }

    /// The output folder a shard uses when `--out` is not given.
    pub fn default_out(&self) -> PathBuf {
        PathBuf::from(format!("out/shard-{}-of-{}", self.index, self.count))
    }
}

/// What a run selected, recorded in results.json so that shards can be checked against
/// each other: how many tasks the whole selection had, a digest of their ids in order, and
/// which shard of it this run was (None: the whole selection).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SelectionInfo {
    pub total: usize,
    pub digest: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<Shard>,
}

impl SelectionInfo {
    pub fn new<'a>(ids: impl IntoIterator<Item = &'a str>, shard: Option<Shard>) -> SelectionInfo {
        // FNV-1a 64: stable across builds and platforms, unlike std's hashers.
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let mut total = 0;
        for id in ids {
            total += 1;
            for byte in id.bytes().chain(std::iter::once(b'\n')) {
                hash ^= byte as u64;
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        SelectionInfo { total, digest: format!("{hash:016x}"), shard }
    }

    fn shard_or_whole(&self) -> Shard {
        self.shard.unwrap_or(Shard { index: 1, count: 1 })
    }
}

/// Reads `dir/results.json`.
pub fn read_results(dir: &Path) -> Result<Results> {
    let path = dir.join("results.json");
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read {} (is {} the --out folder of a batt run?)", path.display(), dir.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not a results.json that this batt can read", path.display()))
}

/// The shards' results, checked to be the N distinct shards of one selection, merged into
/// the results of the whole run: tasks in selection order, summary recomputed, timings and
/// engine counters added up, logs and errors kept. Also each shard's total time in seconds.
pub fn merge(dirs: &[PathBuf]) -> Result<(Results, Vec<f64>)> {
    if dirs.is_empty() {
        bail!("give the output folders of the shards to merge: batt merge out/shard-1-of-3 out/shard-2-of-3 ...");
    }
    let parts: Vec<(PathBuf, Results)> =
        dirs.iter().map(|d| read_results(d).map(|r| (d.clone(), r))).collect::<Result<_>>()?;
    let (first_dir, first) = &parts[0];
    let count = first.selection.shard_or_whole().count;
    let mut by_index: BTreeMap<usize, &Path> = BTreeMap::new();
    for (dir, r) in &parts {
        let shard = r.selection.shard_or_whole();
        if r.selection.total != first.selection.total || r.selection.digest != first.selection.digest {
            bail!(
                "{} and {} ran different task selections ({} tasks, digest {} vs {} tasks, digest {}): run every shard with the same data, --split, -s, -c and -i",
                first_dir.display(),
                dir.display(),
                first.selection.total,
                first.selection.digest,
                r.selection.total,
                r.selection.digest
            );
        }
        if shard.count != count {
            bail!(
                "{} is shard {shard} but {} is shard {}: every shard must come from the same --shard K/{count} split",
                dir.display(),
                first_dir.display(),
                first.selection.shard_or_whole()
            );
        }
        if let Some(other) = by_index.insert(shard.index, dir) {
            bail!("overlapping shards: {} and {} are both shard {shard}; give each shard's folder once", other.display(), dir.display());
        }
    }
    let missing: Vec<String> = (1..=count).filter(|k| !by_index.contains_key(k)).map(|k| format!("{k}/{count}")).collect();
    if !missing.is_empty() {
        bail!(
            "missing shard(s) {}: run `batt run --shard K/{count} ...` for them and give their output folders too (got {})",
            missing.join(", "),
            by_index.iter().map(|(k, d)| format!("{k}/{count} = {}", d.display())).collect::<Vec<_>>().join(", ")
        );
    }

    let total = first.selection.total;
    let mut slots: Vec<Option<crate::record::TaskRecord>> = vec![None; total];
    for (dir, r) in &parts {
        for task in &r.tasks {
            match slots.get_mut(task.position) {
                None => bail!("{}: task {} has position {}, past the {total} selected tasks", dir.display(), task.id, task.position),
                Some(Some(seen)) => bail!("{}: task {} at position {} was already given by another shard (as {})", dir.display(), task.id, task.position, seen.id),
                Some(slot) => *slot = Some(task.clone()),
            }
        }
    }
    if let Some(hole) = slots.iter().position(Option::is_none) {
        bail!("no shard holds the task at position {hole} of the selection: a shard's results.json is incomplete (was its run cut short?)");
    }
    let tasks: Vec<_> = slots.into_iter().map(|t| t.expect("checked above")).collect();

    let mut merged = first.clone();
    merged.selection.shard = None;
    merged.summary = crate::summary::Summary::of(&tasks);
    merged.timing = parts.iter().fold(Default::default(), |acc, (_, r)| acc + r.timing);
    merged.engine = parts.iter().fold(Default::default(), |acc: crate::engine::EngineStats, (_, r)| acc.plus(&r.engine));
    let mut backends: Vec<&str> = parts.iter().map(|(_, r)| r.backend.as_str()).collect();
    backends.dedup();
    merged.backend = backends.join("; ");
    merged.script_error = parts.iter().find_map(|(d, r)| r.script_error.as_ref().map(|e| format!("{}: {e}", d.display())));
    merged.log = parts.iter().flat_map(|(d, r)| r.log.iter().map(move |l| format!("{}: {l}", d.display()))).collect();
    merged.merged_from = parts.iter().map(|(d, r)| format!("{} (shard {})", d.display(), r.selection.shard_or_whole())).collect();
    merged.tasks = tasks;
    let seconds = parts.iter().map(|(_, r)| r.timing.total_ms / 1e3).collect();
    Ok((merged, seconds))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_shard_specs() {
        assert_eq!("2/3".parse::<Shard>(), Ok(Shard { index: 2, count: 3 }));
        for bad in ["0/3", "4/3", "3", "a/b", "1/0", ""] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn shards_partition_the_selection() {
        let items: Vec<usize> = (0..10).collect();
        let mut seen = Vec::new();
        for k in 1..=3 {
            let (part, places) = Shard { index: k, count: 3 }.slice(&items);
            assert_eq!(part, places);
            seen.extend(places);
        }
        seen.sort();
        assert_eq!(seen, items);
    }

    #[test]
    fn digest_depends_on_ids_and_order() {
        let a = SelectionInfo::new(["x", "y"], None);
        assert_eq!(a, SelectionInfo::new(["x", "y"], None));
        assert_ne!(a.digest, SelectionInfo::new(["y", "x"], None).digest);
        assert_ne!(a.digest, SelectionInfo::new(["xy"], None).digest);
    }
}
