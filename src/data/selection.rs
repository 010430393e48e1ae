//! Which tasks a run works on: the split, ids, offset and count picked from a data source
//! (`select_tasks`), the deterministic slice of them a shard runs (`Shard`), and what
//! results.json records of the selection so that shards can be checked against each other
//! (`SelectionInfo`).

use std::fmt;
use std::str::FromStr;

use anyhow::{bail, Result};
use serde::{Deserialize, Serialize};

use crate::data::dataset::{Dataset, TaskEntry};
use crate::data::task::Split;

/// Which split(s) of a data source to run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum SplitChoice {
    Train,
    Eval,
    All,
}

impl SplitChoice {
    /// The one split chosen; None for all of them.
    pub fn split(self) -> Option<Split> {
        match self {
            SplitChoice::Train => Some(Split::Train),
            SplitChoice::Eval => Some(Split::Eval),
            SplitChoice::All => None,
        }
    }
}

/// Which tasks of a data source a run takes (`--split`, `-i`, `-s`, `-c`).
#[derive(Debug, Clone, Default)]
pub struct TaskFilter {
    /// None: `train` for sources with several splits, everything otherwise.
    pub split: Option<SplitChoice>,
    pub start: usize,
    pub count: Option<usize>,
    pub ids: Vec<String>,
}

/// The tasks a run works on, in order: the split's tasks in data order, or with `-i` the
/// ids given, in the order given (found in any split unless `--split` names one).
pub fn select_tasks(dataset: &Dataset, opts: &TaskFilter) -> Result<Vec<TaskEntry>> {
    let splits = dataset.splits();
    let wanted: Option<Split> = match opts.split {
        Some(choice) => choice.split(),
        // Ids are unique across splits: without --split, -i finds them in any.
        None if !opts.ids.is_empty() => None,
        // A source with several splits runs `train` by default; one split (or none) runs whole.
        None if splits.len() > 1 && splits.contains(&Split::Train) => Some(Split::Train),
        None => None,
    };
    let in_split = |e: &TaskEntry| match (wanted, e.split()) {
        (Some(w), Some(s)) => w == s,
        _ => true,
    };
    let selected: Vec<TaskEntry> = if opts.ids.is_empty() {
        dataset.entries.iter().filter(|e| in_split(e)).cloned().collect()
    } else {
        let mut picked = Vec::new();
        let (mut missing, mut elsewhere) = (Vec::new(), Vec::new());
        for (i, id) in opts.ids.iter().enumerate() {
            if opts.ids[..i].contains(id) {
                continue; // an id given twice runs once
            }
            match dataset.entries.iter().find(|e| e.id() == id.as_str()) {
                Some(e) if in_split(e) => picked.push(e.clone()),
                Some(e) => elsewhere.push(format!("{id} (in split {})", e.split().map_or("none", Split::name))),
                None => missing.push(id.as_str()),
            }
        }
        if !elsewhere.is_empty() {
            bail!(
                "task id(s) not in split {} of {}: {}; leave out --split to find them in any split",
                wanted.map_or("all", Split::name),
                dataset.source.describe(),
                elsewhere.join(", ")
            );
        }
        if !missing.is_empty() {
            bail!(
                "task id(s) not found in {}: {} (`batt tasks` lists the ids there are)",
                dataset.source.describe(),
                missing.join(", ")
            );
        }
        picked
    };
    if selected.is_empty() {
        let have: Vec<&str> = splits.iter().map(|s| s.name()).collect();
        bail!(
            "no tasks in split {} of {} (it holds: {})",
            wanted.map_or("all", Split::name),
            dataset.source.describe(),
            if have.is_empty() { "tasks without a split".to_string() } else { have.join(", ") }
        );
    }
    if opts.start >= selected.len() {
        bail!("-s {} skips past the last of the {} selected tasks", opts.start, selected.len());
    }
    let end = opts.count.map_or(selected.len(), |c| (opts.start + c).min(selected.len()));
    Ok(selected[opts.start..end].to_vec())
}

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

    /// The shard this run was, or 1/1 for a whole selection.
    pub fn shard_or_whole(&self) -> Shard {
        self.shard.unwrap_or(Shard { index: 1, count: 1 })
    }
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
