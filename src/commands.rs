//! What each subcommand does: `run` loads the data, selects tasks (and a shard of them) and
//! has `runner` run the script and write the outputs; `devices` lists Vulkan
//! devices; `bench` measures the executors; `report` and `merge` rebuild outputs from
//! results.json files (`show` lives in its own module). `main` only parses arguments and
//! reports errors.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::cli::RunArgs;
use crate::data::dataset::Dataset;
use crate::outputs::files::{write_json, write_results, write_submission, Results};
use crate::run::budget::BudgetPlan;
use crate::run::runner::{check_script, default_jobs, finish_run, handle_interrupts, print_report, run_in_session, RunOptions, Session};
use crate::data::selection::{select_tasks, SelectionInfo, TaskFilter};

impl RunArgs {
    pub fn options(&self) -> Result<RunOptions> {
        let task_timeout = match self.timeout {
            Some(t) if t == 0.0 => None,
            Some(t) if !(t > 0.0 && t.is_finite()) => bail!("-t must be a positive number of seconds (or 0 for no limit), got {t}"),
            Some(t) => Some(Duration::from_secs_f64(t)),
            None => Some(crate::cli::DEFAULT_TASK_TIMEOUT),
        };
        if self.jobs == Some(0) {
            bail!("-j must be at least 1 (the number of worker threads), got 0");
        }
        Ok(RunOptions {
            script: self.script.clone(),
            data: self.data.clone(),
            filter: TaskFilter { split: self.split, start: self.start, count: self.count, ids: self.ids.clone() },
            task_timeout,
            args: self.args.clone(),
            quiet: self.quiet,
            backend: self.backend,
            device: self.device.clone(),
            task_stats: self.timing,
            jobs: self.jobs.unwrap_or_else(default_jobs),
            plan: None,
        })
    }
}

/// `batt run`: returns the process exit code (0; 1 when the run stopped early; 130 when
/// interrupted).
pub fn run(args: &RunArgs) -> Result<i32> {
    args.options()?;
    if args.watch {
        return crate::run::watch::watch(args);
    }
    let end = run_once(args, true)?;
    if let Some(message) = &end.message {
        eprintln!("{message}");
    }
    Ok(end.code)
}

/// How one run ended: its exit code, the folder holding its outputs, and for a code other
/// than 0 the line `batt run` prints to stderr.
pub struct RunEnd {
    pub code: i32,
    pub out: std::path::PathBuf,
    pub message: Option<String>,
}

/// One run (not watch mode): `batt run` and the Python module's `batt.run`. With
/// `interrupts`, Ctrl-C stops the run cleanly (the CLI); the Python module leaves the
/// interpreter's own SIGINT handler in place.
pub fn run_once(args: &RunArgs, interrupts: bool) -> Result<RunEnd> {
    let mut opts = args.options()?;
    let started = Instant::now();
    check_script(&opts)?;
    let dataset = Dataset::open(opts.data.as_deref())?;
    // the run's folder is made once the script and data are found (no empty folder after a typo)
    let args = &args.with_output_folder()?;
    let whole = select_tasks(&dataset, &opts.filter)?;
    let info = SelectionInfo::new(whole.iter().map(|e| e.id()), args.shard);
    let (selection, positions) = match args.shard {
        Some(shard) => shard.slice(&whole),
        None => (whole, Vec::new()),
    };
    if let (true, Some(shard)) = (selection.is_empty(), args.shard) {
        // Still write (empty) outputs, so that `batt merge` finds every shard.
        eprintln!("warning: shard {shard} of the {} selected tasks is empty (more shards than tasks)", info.total);
    }
    // Opening the Vulkan device (and compiling the pipeline) counts as load time.
    let mut session = Session::new(opts.backend, opts.device.clone())?;
    if interrupts {
        handle_interrupts(&session);
    }
    let loaded = started.elapsed();
    let args = &plan_time_budget(args, &mut opts, &selection, started);

    let mut outcome = run_in_session(&mut session, &opts.script, selection, &opts, &[])?;
    for (record, &position) in outcome.records.iter_mut().zip(&positions) {
        record.position = position;
    }
    let script_done = started.elapsed();
    let report = finish_run(args, &dataset, info, &outcome, started, loaded, script_done)?;
    print_report(args, &outcome, &report);
    let out = args.out_dir();
    if outcome.interrupted {
        return Ok(RunEnd { code: 130, out, message: Some("interrupted: the tasks not finished are recorded as not run".to_string()) });
    }
    if let Some(err) = &outcome.script_error {
        let message = if outcome.not_reached > 0 {
            format!("error: the run stopped early ({} tasks not reached): {err}", outcome.not_reached)
        } else {
            format!("error: the script failed after its last task (every task ran and the outputs are complete): {err}")
        };
        return Ok(RunEnd { code: 1, out, message: Some(message) });
    }
    Ok(RunEnd { code: 0, out, message: None })
}

/// Under `--time-budget`, makes the run's plan (see `run::budget`), passes the script the
/// plan's depth (`depth=N`, unless the script's arguments give one) and prints the plan;
/// returns the arguments as run (the depth added, so results.json records it).
fn plan_time_budget(args: &RunArgs, opts: &mut RunOptions, selection: &[crate::data::dataset::TaskEntry], started: Instant) -> RunArgs {
    let mut args = args.clone();
    let Some(budget) = args.time_budget else { return args };
    let valid = selection.iter().filter(|e| matches!(e, crate::data::dataset::TaskEntry::Valid(_))).count();
    let plan = BudgetPlan::new(budget, started, valid, opts.jobs.max(1).min(valid.max(1)));
    let given = args.args.iter().find(|a| a.starts_with("depth=")).cloned();
    if let (None, Some(depth)) = (&given, plan.depth) {
        args.args.push(format!("depth={depth}"));
        opts.args = args.args.clone();
    }
    println!("{}", plan.line(given.as_deref()));
    opts.plan = Some(plan);
    args
}

/// `batt devices`: every Vulkan device, and which one is picked and why.
pub fn devices() -> Result<i32> {
    let discovery = crate::engine::vulkan::Discovery::new()?;
    for line in discovery.report() {
        println!("{line}");
    }
    Ok(if discovery.pick().is_some() { 0 } else { 1 })
}

/// `batt ops`: the op table, one op a line and the steps it gives a task's search alphabet
/// on the next (or as docs/engine.md's markdown table).
pub fn ops(args: &crate::cli::OpsArgs) -> Result<i32> {
    use crate::engine::ops::table::OPS;
    use crate::engine::program::usage;
    if args.markdown {
        print!("{}", crate::engine::ops::markdown_table());
        return Ok(0);
    }
    // columns fit the usual usage; pick's and isolate's long lists of parts run over
    let width = OPS.iter().map(|s| usage(s).len()).filter(|&n| n <= 40).max().unwrap_or(0);
    for spec in OPS {
        println!("{:>3}  {:<width$}  {:<9} {}", spec.code, usage(spec), spec.family, spec.meaning);
        let rules: Vec<String> = spec.alphabet.iter().map(|r| r.describe(spec.params)).collect();
        println!("     search alphabet: {}", rules.join("; "));
    }
    println!("{}", crate::engine::ops::spec::totals(OPS));
    Ok(0)
}

/// `batt bench`: the CPU and Vulkan executors side by side; prints a markdown table.
/// `batt fuzz`: the harness's figures on stdout (and `--json`); exit code 1 on any failure,
/// 3 on a hang (the watchdog exits).
pub fn fuzz(args: &crate::cli::FuzzArgs) -> Result<i32> {
    use crate::cli::BenchExecutors;
    use crate::fuzz::{check_json_path, run, summary, Executors, FuzzOptions};

    check_json_path(&args.json)?;
    let opts = FuzzOptions {
        tasks: args.tasks,
        programs: args.programs,
        searches: args.searches.unwrap_or((args.programs / 100).max(4)),
        seed: args.seed,
        executors: match args.backend {
            BenchExecutors::Auto => Executors::Auto,
            BenchExecutors::Gpu => Executors::Gpu,
            BenchExecutors::Cpu => Executors::Cpu,
        },
        device: args.device.clone(),
        hang_after: Duration::from_secs(args.hang_after.max(1)),
        replay: args.replay,
        quiet: args.quiet,
    };
    let (figures, code) = run(&opts)?;
    println!("{}", summary(&figures));
    if let Some(path) = &args.json {
        write_json(path, &figures)?;
    }
    Ok(code)
}

pub fn bench(args: &crate::cli::BenchArgs) -> Result<i32> {
    use crate::bench::{format_row, run, BenchOptions, TABLE_HEADER};
    use crate::cli::BenchExecutors;
    use crate::engine::vulkan::VulkanExecutor;

    let choice = match &args.device {
        Some(name) => crate::engine::vulkan::DeviceChoice::Named(name.clone()),
        None => crate::engine::vulkan::DeviceChoice::Any,
    };
    let mut gpu = match args.backend {
        BenchExecutors::Cpu => None,
        BenchExecutors::Gpu => Some(VulkanExecutor::new(&choice)?),
        BenchExecutors::Auto => match VulkanExecutor::new(&choice) {
            Ok(e) => Some(e),
            Err(e) => {
                eprintln!("no Vulkan device, measuring the CPU only: {e:#}");
                None
            }
        },
    };
    let opts = BenchOptions {
        steps: args.steps.clone(),
        sizes: args.sizes.clone(),
        cpu: args.backend != BenchExecutors::Gpu,
        gpu: gpu.is_some(),
        min_time: Duration::from_secs_f64(args.min_time.max(0.0)),
    };
    println!(
        "batt bench: CPU = rayon on {} threads; GPU = {}; inputs = ARC-AGI-1 training input grids; random programs (seeded)",
        rayon::current_num_threads(),
        gpu.as_ref().map_or("none".to_string(), |g| format!("Vulkan on {}", g.device_name))
    );
    // each row as soon as it is measured, once
    println!("{TABLE_HEADER}");
    let rows = run(&opts, gpu.as_mut(), |r| println!("{}", format_row(r)))?;
    if let Some(path) = &args.json {
        write_json(path, &rows)?;
    }
    Ok(0)
}

/// The tasks' data for a report: `--data` if given, else the source results.json names.
fn report_dataset(data: Option<&std::path::Path>, results: &Results) -> Result<Dataset> {
    match (data, &results.data_path) {
        (Some(path), _) => Dataset::open(Some(path)),
        (None, Some(path)) => Dataset::open(Some(std::path::Path::new(path)))
            .with_context(|| format!("cannot reload the run's data to draw its tasks; give it with --data (results.json names {path})")),
        (None, None) => Dataset::embedded(),
    }
}

/// `batt report DIR`: DIR/report.html from DIR/results.json.
pub fn report(args: &crate::cli::ReportArgs) -> Result<i32> {
    let dir = crate::outputs::runs::resolve(&args.dir)?;
    let results = crate::outputs::files::read_results(&dir)?;
    let dataset = report_dataset(args.data.as_deref(), &results)?;
    let folder = if dir.is_file() { dir.parent().map(std::path::Path::to_path_buf).unwrap_or_default() } else { dir.clone() };
    let path = folder.join("report.html");
    crate::outputs::report::write_report(&path, &results, Some(&dataset))?;
    println!("wrote {} ({} tasks)", path.display(), results.tasks.len());
    Ok(0)
}

/// `batt merge DIR...`: one submission.json, results.json and report.html from the shards.
pub fn merge(args: &crate::cli::MergeArgs) -> Result<i32> {
    let dirs = args.dirs.iter().map(|d| crate::outputs::runs::resolve(d)).collect::<Result<Vec<_>>>()?;
    let (out, kept) = match &args.out {
        Some(out) => (out.clone(), false),
        None => (crate::outputs::runs::new_run_dir("merged", std::time::SystemTime::now())?, true),
    };
    let out = &out;
    for dir in &dirs {
        if same_folder(dir, out) {
            bail!("--out {} is one of the shard folders; merging into it would replace that shard's results: pick another --out", out.display());
        }
    }
    let (merged, times) = crate::outputs::shard::merge(&dirs)?;
    write_submission(out, &merged.tasks)?;
    write_results(&out.join("results.json"), &merged)?;
    let dataset = report_dataset(args.data.as_deref(), &merged);
    let report = out.join("report.html");
    match &dataset {
        Ok(d) => crate::outputs::report::write_report(&report, &merged, Some(d))?,
        Err(e) => {
            eprintln!("warning: {e:#}; the report is drawn without the tasks' grids");
            crate::outputs::report::write_report(&report, &merged, None)?
        }
    }
    if kept {
        crate::outputs::runs::mark_latest(out)?;
    }
    let mut lines = merged.summary.lines(Duration::from_secs_f64(merged.timing.total_ms / 1e3));
    lines.pop(); // the wall time of one run; shards ran apart
    for line in lines {
        println!("{line}");
    }
    let (fastest, slowest) = times.iter().fold((f64::MAX, 0.0f64), |(lo, hi), &t| (lo.min(t), hi.max(t)));
    println!("shards took {fastest:.2}-{slowest:.2} s each, {:.2} s in all", merged.timing.total_ms / 1e3);
    println!("merged {} shards: wrote {}, {} and {}", args.dirs.len(), out.join("submission.json").display(), out.join("results.json").display(), report.display());
    Ok(0)
}

fn same_folder(a: &std::path::Path, b: &std::path::Path) -> bool {
    match (a.canonicalize(), b.canonicalize()) {
        (Ok(x), Ok(y)) => x == y,
        _ => a == b,
    }
}
