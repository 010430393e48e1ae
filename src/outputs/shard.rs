//! Putting a run split across machines back together (`--shard K/N` picks the slices, see
//! `selection::Shard`): `batt merge` reads the shards' results.json files, refuses overlapping, missing or
//! mismatched shards with a message that names the folders, and rebuilds the records of
//! the unsharded run in selection order.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Result};

use crate::outputs::files::{read_results, Results};

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
    let mut slots: Vec<Option<crate::run::record::TaskRecord>> = vec![None; total];
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
    merged.summary = crate::outputs::summary::Summary::of(&tasks);
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
