//! `batt tasks`: lists the tasks of a data source, filtered by split, grid size, output
//! shape, number of colours and whether a saved run solved them; as a table on a terminal,
//! or bare ids (one per line) for `batt run -i $(batt tasks …)`.

use std::collections::BTreeMap;
use std::io::IsTerminal;

use anyhow::{bail, Result};

use crate::cli::{OutputShape, TasksArgs};
use crate::data::dataset::{Dataset, TaskEntry};
use crate::outputs::diff::task_states;
use crate::outputs::files::read_results;
use crate::data::selection::SplitChoice;
use crate::data::task::{Split, Task};

/// What `batt tasks` shows and filters on, per task.
struct TaskFacts {
    id: String,
    split: Option<Split>,
    train: usize,
    tests: usize,
    /// Largest side of any of its grids.
    max_side: usize,
    shape: OutputShape,
    colors: usize,
    /// The first train pair's sizes, "3x3 -> 9x9".
    first_pair: String,
}

fn facts(task: &Task) -> TaskFacts {
    let grids = task.train.iter().flat_map(|p| [&p.input, &p.output]).chain(task.test.iter().flat_map(|c| std::iter::once(&c.input).chain(c.output.as_ref())));
    let mut seen = [false; 10];
    let mut max_side = 0;
    for g in grids {
        max_side = max_side.max(g.rows()).max(g.cols());
        for &c in g.cells() {
            seen[c as usize] = true;
        }
    }
    let dims = |g: &crate::grid::Grid| (g.rows(), g.cols());
    let shape = if task.train.iter().all(|p| dims(&p.input) == dims(&p.output)) {
        OutputShape::Same
    } else if task.train.windows(2).all(|w| dims(&w[0].output) == dims(&w[1].output)) {
        OutputShape::Constant
    } else {
        OutputShape::Other
    };
    let first_pair = task.train.first().map_or("-".to_string(), |p| {
        format!("{}x{} -> {}x{}", p.input.rows(), p.input.cols(), p.output.rows(), p.output.cols())
    });
    TaskFacts {
        id: task.id.clone(),
        split: task.split,
        train: task.train.len(),
        tests: task.test.len(),
        max_side,
        shape,
        colors: seen.iter().filter(|&&s| s).count(),
        first_pair,
    }
}

/// `batt tasks`: prints the matching tasks; exit code 0 (1 when none match).
pub fn tasks(args: &TasksArgs) -> Result<i32> {
    let dataset = Dataset::open(args.data.as_deref())?;
    let wanted = args.split.and_then(SplitChoice::split);
    let solved_in = |dir: &std::path::Path| -> Result<BTreeMap<String, bool>> {
        Ok(task_states(&read_results(dir)?.tasks).into_iter().map(|(id, s)| (id, s.solved)).collect())
    };
    let solved = args.solved.as_deref().map(solved_in).transpose()?;
    let unsolved = args.unsolved.as_deref().map(solved_in).transpose()?;
    let mut rows = Vec::new();
    let mut invalid = 0;
    for entry in &dataset.entries {
        let TaskEntry::Valid(task) = entry else {
            invalid += 1;
            continue;
        };
        let f = facts(task);
        let keep = wanted.is_none_or(|w| f.split == Some(w))
            && args.shape.is_none_or(|s| s == f.shape)
            && args.colors.is_none_or(|(lo, hi)| (lo..=hi).contains(&f.colors))
            && args.max_side.is_none_or(|m| f.max_side <= m)
            && args.min_side.is_none_or(|m| f.max_side >= m)
            && solved.as_ref().is_none_or(|s| s.get(&f.id) == Some(&true))
            && unsolved.as_ref().is_none_or(|s| s.get(&f.id) == Some(&false));
        if keep {
            rows.push(f);
        }
    }
    let table = match (args.ids, args.table) {
        (true, true) => bail!("--ids and --table: pick one"),
        (true, false) => false,
        (false, true) => true,
        (false, false) => std::io::stdout().is_terminal(),
    };
    if table {
        println!("{:<10} {:<6} {:>5} {:>5} {:>8} {:<8} {:>7}  first pair", "id", "split", "train", "tests", "max side", "output", "colours");
        for f in &rows {
            println!(
                "{:<10} {:<6} {:>5} {:>5} {:>8} {:<8} {:>7}  {}",
                f.id,
                f.split.map_or("-", Split::name),
                f.train,
                f.tests,
                f.max_side,
                f.shape.name(),
                f.colors,
                f.first_pair
            );
        }
        let skipped = if invalid > 0 { format!(" ({invalid} malformed tasks left out)") } else { String::new() };
        println!("{} of {} tasks{skipped}", rows.len(), dataset.entries.len());
    } else {
        for f in &rows {
            println!("{}", f.id);
        }
    }
    if rows.is_empty() {
        // said on stderr, so a pipe of ids stays empty; the exit code is grep's: 1
        eprintln!("no task matches these filters (of {} tasks in the data); loosen them, or see `batt tasks --help`", dataset.entries.len());
        return Ok(1);
    }
    Ok(0)
}
