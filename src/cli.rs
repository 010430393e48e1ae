//! The command line, as clap definitions: `batt run`, `watch`, `devices`, `bench`,
//! `report`, `show`, `merge`, `tasks`, `diff` and their flags. What each command does
//! lives in `commands`; this module only says what users can type.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::engine::Backend;
use crate::data::selection::{Shard, SplitChoice};

#[derive(Debug, Parser)]
#[command(name = "batt", version, about = "Run Lua-scripted solver batteries over ARC tasks", propagate_version = true)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a Lua script (default scripts/main.lua) over ARC tasks and write submission.json and results.json
    Run(RunArgs),
    /// Run, then re-run on every save of a Lua file the run loaded (or a new one in the script's folders) or of the data
    Watch(RunArgs),
    /// List the Vulkan devices found, and which one batt picks and why
    Devices,
    /// Measure program evaluations per second on the CPU and on Vulkan, side by side
    Bench(BenchArgs),
    /// List the engine's ops (the op table): how each is written, its family and meaning
    Ops(OpsArgs),
    /// Write DIR/report.html (grids, predictions, programs, stats) from a run's DIR/results.json
    Report(ReportArgs),
    /// Draw one task, and a run's predictions for it, in the terminal or to a PNG
    Show(ShowArgs),
    /// Combine the output folders of `batt run --shard K/N` runs into one submission.json, results.json and report.html
    Merge(MergeArgs),
    /// List the tasks of the data, filtered (split, grid size, output shape, colours, solved or not in a run): a table on a terminal, bare ids otherwise
    Tasks(TasksArgs),
    /// Compare two runs (output folders or results.json files): tasks newly solved and lost, best scores, time per phase; exit code 1 when B lost a task A solved
    Diff(DiffArgs),
    /// Fuzz the loader, the DSL, both executors and the search: mutated real tasks and random programs; exit code 1 when anything panicked, hung, lost a good task, let a bad one pass unnamed or disagreed
    Fuzz(FuzzArgs),
}

#[derive(Debug, Clone, Args)]
pub struct FuzzArgs {
    /// Mutated tasks to load (each a task file, a corpus or a challenges file)
    #[arg(long, default_value_t = 20_000, value_name = "N")]
    pub tasks: u64,

    /// Random programs to run through the reference, the CPU and Vulkan (in batches of 250, each on 8 grids)
    #[arg(long, default_value_t = 2_000, value_name = "N")]
    pub programs: u64,

    /// Rounds of small random searches, CPU against GPU [default: one per 100 programs, at least 4]
    #[arg(long, value_name = "N")]
    pub searches: Option<u64>,

    /// The run's seed: the same seed gives the same cases
    #[arg(long, default_value_t = 1)]
    pub seed: u64,

    /// Executors compared: auto (reference and CPU, and Vulkan when a device is found, lavapipe included), gpu (fail without a device), cpu
    #[arg(long, value_enum, default_value = "auto")]
    pub backend: BenchExecutors,

    /// The Vulkan device, by index or by part of its name
    #[arg(long, value_name = "INDEX|NAME")]
    pub device: Option<String>,

    /// A case still running after this many seconds is a hang: reported, and the run stops with exit code 3
    #[arg(long, default_value_t = 60, value_name = "SECONDS")]
    pub hang_after: u64,

    /// Run one case alone, as a failure report names it: task:N, programs:N or search:N
    #[arg(long, value_name = "CASE")]
    pub replay: Option<crate::fuzz::Replay>,

    /// Also write the figures as JSON to this file
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,

    /// No progress lines
    #[arg(short, long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Args)]
pub struct TasksArgs {
    /// ARC data: a corpus file, a *_challenges.json, a folder of task files or one task file [default: the embedded ARC-AGI-1]
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,

    /// Only this split [default: all]
    #[arg(long, value_enum)]
    pub split: Option<SplitChoice>,

    /// Only tasks whose train outputs are the size of their inputs (same), all one size (constant), or neither (other)
    #[arg(long, value_enum)]
    pub shape: Option<OutputShape>,

    /// Only tasks with this many colours over all their grids: N, A-B, A- or -B
    #[arg(long, value_name = "RANGE", value_parser = parse_range)]
    pub colors: Option<(usize, usize)>,

    /// Only tasks whose largest grid side is at most N
    #[arg(long, value_name = "N")]
    pub max_side: Option<usize>,

    /// Only tasks whose largest grid side is at least N
    #[arg(long, value_name = "N")]
    pub min_side: Option<usize>,

    /// Only tasks this run solved (its output folder or results.json)
    #[arg(long, value_name = "RUN")]
    pub solved: Option<PathBuf>,

    /// Only tasks this run did not solve (its output folder or results.json)
    #[arg(long, value_name = "RUN")]
    pub unsolved: Option<PathBuf>,

    /// Print bare ids, one per line (the default when stdout is not a terminal)
    #[arg(long)]
    pub ids: bool,

    /// Print a table (the default on a terminal)
    #[arg(long)]
    pub table: bool,
}

/// How a task's train outputs are sized against their inputs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputShape {
    /// Every output the size of its input
    Same,
    /// Every output one size, not always the input's
    Constant,
    /// Neither
    Other,
}

impl OutputShape {
    pub fn name(self) -> &'static str {
        match self {
            OutputShape::Same => "same",
            OutputShape::Constant => "constant",
            OutputShape::Other => "other",
        }
    }
}

/// `A`, `A-B`, `-B` or `A-`: an inclusive range of counts.
pub fn parse_range(text: &str) -> Result<(usize, usize), String> {
    let bad = || format!("expected N, A-B, A- or -B (e.g. 2-4), got '{text}'");
    let num = |s: &str| s.trim().parse::<usize>().map_err(|_| bad());
    match text.split_once('-') {
        None => num(text).map(|n| (n, n)),
        Some((a, b)) => {
            let lo = if a.trim().is_empty() { 0 } else { num(a)? };
            let hi = if b.trim().is_empty() { usize::MAX } else { num(b)? };
            if lo > hi {
                return Err(bad());
            }
            Ok((lo, hi))
        }
    }
}

#[derive(Debug, Clone, Args)]
pub struct DiffArgs {
    /// The earlier run: its output folder, its results.json, or a kept run's name (latest, a folder name under runs/, or the end of one)
    #[arg(value_name = "A")]
    pub a: PathBuf,

    /// The later run, named the same ways
    #[arg(value_name = "B")]
    pub b: PathBuf,
}

#[derive(Debug, Clone, Args)]
pub struct OpsArgs {
    /// Print the table as markdown (as in docs/engine.md)
    #[arg(long)]
    pub markdown: bool,
}

#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// The run: its output folder (holding results.json) or a kept run's name
    #[arg(default_value = "latest", value_name = "RUN")]
    pub dir: PathBuf,

    /// The ARC data the run used, to draw its tasks [default: the path recorded in results.json]
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,
}

/// What `batt show --export` writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// A Lua solver file (`return function(input, task) ... end`)
    Lua,
}

#[derive(Debug, Clone, Args)]
pub struct ShowArgs {
    /// The task to draw
    #[arg(value_name = "TASK_ID")]
    pub id: String,

    /// ARC data holding the task [default: the embedded ARC-AGI-1]
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,

    /// Also draw batt's predictions for the task and say why each attempt was chosen, from this run: its output folder, its results.json or a kept run's name (latest, ...)
    #[arg(long, visible_alias = "results", value_name = "RUN")]
    pub out: Option<PathBuf>,

    /// Write a PNG image to FILE instead of drawing in the terminal
    #[arg(long, value_name = "FILE")]
    pub png: Option<PathBuf>,

    /// Write the candidate behind attempt 1 of the first test input of the run given by --results as a runnable solver, scripts/solvers/<TASK_ID>.lua: a search program or overlay (of a variant too) as its programs, a cell rule with its cases written out, an outer product as its factors, another library candidate re-derived by its name; a hand-written solver's attempt is refused
    #[arg(long, value_enum, value_name = "FORMAT", requires = "out")]
    pub export: Option<ExportFormat>,

    /// With --export: replace a solver file that is already there
    #[arg(long, requires = "export")]
    pub force: bool,

    /// Pixels per cell in the PNG
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(2..=64))]
    pub cell: u32,

    /// Terminal colours: auto (when stdout is a terminal and NO_COLOR is unset), always, never (digits)
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Clone, Args)]
pub struct MergeArgs {
    /// The output folders of every shard (each holding results.json), or kept runs' names
    #[arg(required = true, value_name = "DIR")]
    pub dirs: Vec<PathBuf>,

    /// Folder for the merged submission.json, results.json and report.html [default: a new kept run, runs/<date>-<time>-merged]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The ARC data the shards used, to draw the report [default: the path recorded in results.json]
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,
}

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Program lengths to measure
    #[arg(long, value_delimiter = ',', default_value = "1,3")]
    pub steps: Vec<usize>,

    /// Batch sizes to measure
    #[arg(long, value_delimiter = ',', default_value = "1,10,100,1000,10000,100000,1000000")]
    pub sizes: Vec<usize>,

    /// Executors to measure
    #[arg(long, value_enum, default_value = "auto")]
    pub backend: BenchExecutors,

    /// The Vulkan device to measure, by index or by part of its name [default: the most preferred]
    #[arg(long, value_name = "INDEX|NAME")]
    pub device: Option<String>,

    /// Seconds spent measuring each table cell (at least one run)
    #[arg(long, default_value_t = 0.5, value_name = "SECONDS")]
    pub min_time: f64,

    /// Also write the rows as JSON to this file
    #[arg(long, value_name = "FILE")]
    pub json: Option<PathBuf>,
}

/// Which executors `batt bench` measures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum BenchExecutors {
    /// The CPU, and Vulkan too when a device is found (lavapipe included)
    Auto,
    /// Vulkan only (fails without a device)
    Gpu,
    /// The CPU only
    Cpu,
}

/// A task's time limit when `-t` does not give one: long enough for any task of a
/// shipped run, short enough that a script stuck in a loop does not hang a run.
pub const DEFAULT_TASK_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

#[derive(Debug, Clone, Args)]
pub struct RunArgs {
    /// The Lua script that drives the task loop
    #[arg(default_value = "scripts/main.lua")]
    pub script: PathBuf,

    /// ARC data: a corpus file, a *_challenges.json, a folder of task files or one task file [default: the embedded ARC-AGI-1]
    #[arg(long, value_name = "PATH")]
    pub data: Option<PathBuf>,

    /// Which split to run; sources holding several splits default to train
    #[arg(long, value_enum)]
    pub split: Option<SplitChoice>,

    /// Skip the first START tasks of the selection (0-based offset)
    #[arg(short = 's', long, default_value_t = 0, value_name = "START")]
    pub start: usize,

    /// Run only the first COUNT tasks of the selection (after -s)
    #[arg(short = 'c', long, value_name = "COUNT")]
    pub count: Option<usize>,

    /// Run only these task ids, in the order given, from any split unless --split names one (repeatable, or several after one -i)
    #[arg(short = 'i', long = "id", value_name = "ID", num_args = 1..)]
    pub ids: Vec<String>,

    /// Stop a task's Lua code after SECONDS (0: no limit); the task is reported as timed out, is not counted as solved, and the run goes on [default: 600]
    #[arg(short = 't', long = "timeout", value_name = "SECONDS")]
    pub timeout: Option<f64>,

    /// A whole-run time limit (90s, 11h, 2h30m): each task's share and the search depth are planned from it, no task starts once it is nearly spent, and submission.json is always complete (a test input stands in for an attempt not found); with -t the smaller limit wins for each task
    #[arg(long, value_name = "DURATION", value_parser = crate::run::budget::parse_time_budget)]
    pub time_budget: Option<std::time::Duration>,

    /// Worker threads, each running the script in its own Lua state on the tasks dealt to it; the answers and outputs are the same for every N [default: the number of cores]
    #[arg(short = 'j', long = "jobs", value_name = "N")]
    pub jobs: Option<usize>,

    /// Print where the wall time went (load, Lua, engine, output), and each task's batch-engine stats
    #[arg(long)]
    pub timing: bool,

    /// Where batches of candidate programs are evaluated: auto (a hardware GPU if one works, else the CPU; never software Vulkan such as lavapipe, which is slower than rayon), gpu (any Vulkan device, lavapipe included; fail without one), cpu (rayon)
    #[arg(long, value_enum, default_value = "auto")]
    pub backend: Backend,

    /// The Vulkan device to use, by index or by part of its name as `batt devices` lists them (auto uses it too, even a CPU-type device)
    #[arg(long, value_name = "INDEX|NAME")]
    pub device: Option<String>,

    /// Folder for submission.json and results.json [default: a new folder for this run, runs/<date>-<time>-<name>, with runs/latest pointing at it]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,

    /// The run's name: its kept folder under runs/ ends with it, results.json records it, and `batt diff`, `batt show --out` and `batt report` find the run by it [default: the script's file name, with -shard-K-of-N under --shard]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,

    /// Whether `out` is a kept run folder made for this run (runs/latest then points at it).
    #[arg(skip)]
    pub kept: bool,

    /// Run only the K-th of N deterministic slices of the selection (task i goes to shard i mod N + 1); `batt merge` combines the shards
    #[arg(long, value_name = "K/N")]
    pub shard: Option<Shard>,

    /// Also write report.html (grids, predictions, programs, stats) to the output folder
    #[arg(long)]
    pub report: bool,

    /// Print only the summary, not a line per task
    #[arg(short = 'q', long)]
    pub quiet: bool,

    /// After the run, watch the scripts and data and re-run on every change (as `batt watch`)
    #[arg(long)]
    pub watch: bool,

    /// Arguments for the script, readable as batt.args
    #[arg(last = true, value_name = "ARGS")]
    pub args: Vec<String>,
}

impl RunArgs {
    /// Where this run writes its files (see `with_output_folder`).
    pub fn out_dir(&self) -> PathBuf {
        self.out.clone().unwrap_or_else(|| PathBuf::from(crate::outputs::runs::RUNS_DIR).join(crate::outputs::runs::LATEST))
    }

    /// The run's name: `--name`, else the script's file name without `.lua` (and
    /// `-shard-K-of-N` under `--shard`).
    pub fn run_name(&self) -> String {
        if let Some(name) = &self.name {
            return name.clone();
        }
        let stem = self.script.file_stem().map_or_else(|| "run".to_string(), |s| s.to_string_lossy().to_string());
        match self.shard {
            Some(shard) => format!("{stem}-shard-{}-of-{}", shard.index, shard.count),
            None => stem,
        }
    }

    /// These arguments with the output folder made: `--out` as given, else a new kept run
    /// folder under runs/ (`kept`).
    pub fn with_output_folder(&self) -> anyhow::Result<RunArgs> {
        let mut args = self.clone();
        if args.out.is_none() {
            args.out = Some(crate::outputs::runs::new_run_dir(&args.run_name(), std::time::SystemTime::now())?);
            args.kept = true;
        }
        Ok(args)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_of_counts() {
        assert_eq!(parse_range("3"), Ok((3, 3)));
        assert_eq!(parse_range("2-4"), Ok((2, 4)));
        assert_eq!(parse_range("5-"), Ok((5, usize::MAX)));
        assert_eq!(parse_range("-2"), Ok((0, 2)));
        assert!(parse_range("4-2").is_err() && parse_range("x").is_err());
    }
}
