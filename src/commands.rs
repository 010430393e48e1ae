//! What each subcommand does: `run` loads the data, selects tasks (and a shard of them),
//! runs the script, prints the summary and writes the outputs; `devices` lists Vulkan
//! devices; `bench` measures the executors; `report` and `merge` rebuild outputs from
//! results.json files (`show` lives in its own module). `main` only parses arguments and
//! reports errors.

use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::cli::RunArgs;
use crate::dataset::{DataSource, Dataset};
use crate::shard::SelectionInfo;
use crate::output::{write_json, write_submission, Results};
use crate::run::{run_in_session, select_tasks, RunOptions, RunOutcome, Session};
use crate::summary::{Summary, Timing};

impl RunArgs {
    pub fn options(&self) -> Result<RunOptions> {
        let task_timeout = match self.timeout {
            Some(t) if !(t > 0.0 && t.is_finite()) => bail!("-t must be a positive number of seconds, got {t}"),
            Some(t) => Some(Duration::from_secs_f64(t)),
            None => None,
        };
        Ok(RunOptions {
            script: self.script.clone(),
            data: self.data.clone(),
            split: self.split,
            start: self.start,
            count: self.count,
            ids: self.ids.clone(),
            task_timeout,
            args: self.args.clone(),
            quiet: self.quiet,
            backend: self.backend,
            device: self.device.clone(),
            task_stats: self.timing,
        })
    }
}

/// Installs the Ctrl-C / SIGTERM handler: it sets the session's interrupt flag, which
/// the Lua hook checks, so a run stops at the next check and leaves complete files.
pub fn handle_interrupts(session: &Session) {
    let flag = session.interrupt.clone();
    // A second handler cannot be installed; the first one (same flag) stays.
    let _ = ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::Relaxed));
}

/// Where a finished run's time went and what it scored.
pub struct RunReport {
    pub summary: Summary,
    pub timing: Timing,
    pub wall: Duration,
}

/// Summarises a finished run, writes submission.json and results.json (atomically), and
/// report.html under `--report`, and returns the report. `started` is when the run began;
/// `loaded` and `script_done` are offsets from it.
pub fn finish_run(
    args: &RunArgs,
    dataset: &Dataset,
    selection: SelectionInfo,
    outcome: &RunOutcome,
    started: Instant,
    loaded: Duration,
    script_done: Duration,
) -> Result<RunReport> {
    let out = args.out_dir();
    let summary = Summary::of(&outcome.records);
    write_submission(&out, &outcome.records)?;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut timing = Timing {
        load_ms: ms(loaded + outcome.script_load),
        lua_ms: ms(script_done - loaded - outcome.script_load) - ms(outcome.work.candidate_eval) - ms(outcome.work.scoring),
        candidate_eval_ms: ms(outcome.work.candidate_eval),
        scoring_ms: ms(outcome.work.scoring),
        output_ms: 0.0,
        total_ms: 0.0,
        search: crate::summary::SearchTimingMs::of(&outcome.work.search),
    };
    // results.json carries the output time up to its own writing; the printed line is final.
    timing.output_ms = ms(started.elapsed() - script_done);
    timing.total_ms = ms(started.elapsed());
    let results = Results {
        batt_version: env!("CARGO_PKG_VERSION").to_string(),
        script: args.script.display().to_string(),
        data: dataset.source.describe(),
        // absolute, so `batt report` finds the data from any folder
        data_path: match &dataset.source {
            DataSource::Path(p) => Some(p.canonicalize().unwrap_or_else(|_| p.clone()).display().to_string()),
            DataSource::Embedded => None,
        },
        selection,
        summary: summary.clone(),
        timing,
        script_error: outcome.script_error.clone(),
        backend: outcome.backend.clone(),
        engine: outcome.engine.clone(),
        log: outcome.run_log.clone(),
        merged_from: Vec::new(),
        tasks: outcome.records.clone(),
    };
    write_json(&out.join("results.json"), &results)?;
    if args.report {
        crate::report::write_report(&out.join("report.html"), &results, Some(dataset))?;
    }
    let wall = started.elapsed();
    timing.output_ms = ms(wall - script_done);
    timing.total_ms = ms(wall);
    Ok(RunReport { summary, timing, wall })
}

/// Prints the summary lines of a finished run.
pub fn print_report(args: &RunArgs, outcome: &RunOutcome, report: &RunReport) {
    for line in report.summary.lines(report.wall) {
        println!("{line}");
    }
    println!("engine: {}; {}", outcome.backend, outcome.engine.line());
    if args.timing {
        println!("{}", report.timing.line());
    }
    let out = args.out_dir();
    let mut files = vec![out.join("submission.json"), out.join("results.json")];
    if args.report {
        files.push(out.join("report.html"));
    }
    println!("wrote {}", files.iter().map(|f| f.display().to_string()).collect::<Vec<_>>().join(", "));
}

pub fn check_script(opts: &RunOptions) -> Result<()> {
    if !opts.script.is_file() {
        bail!(
            "script {} not found (run batt from the project folder, or give the script's path: batt run path/to/main.lua)",
            opts.script.display()
        );
    }
    Ok(())
}

/// `batt run`: returns the process exit code (0; 1 when the run stopped early; 130 when
/// interrupted).
pub fn run(args: &RunArgs) -> Result<i32> {
    if args.watch {
        return crate::watch::watch(args);
    }
    let started = Instant::now();
    let opts = args.options()?;
    check_script(&opts)?;
    let dataset = Dataset::open(opts.data.as_deref())?;
    let whole = select_tasks(&dataset, &opts)?;
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
    handle_interrupts(&session);
    let loaded = started.elapsed();

    let mut outcome = run_in_session(&mut session, &opts.script, selection, &opts, &[])?;
    for (record, &position) in outcome.records.iter_mut().zip(&positions) {
        record.position = position;
    }
    let script_done = started.elapsed();
    let report = finish_run(args, &dataset, info, &outcome, started, loaded, script_done)?;
    print_report(args, &outcome, &report);
    if outcome.interrupted {
        eprintln!("interrupted: the tasks not finished are recorded as not run");
        return Ok(130);
    }
    if let Some(err) = &outcome.script_error {
        eprintln!("error: the run stopped early: {err}");
        return Ok(1);
    }
    Ok(0)
}

/// `batt devices`: every Vulkan device, and which one is picked and why.
pub fn devices() -> Result<i32> {
    let discovery = crate::gpu::Discovery::new()?;
    for line in discovery.report() {
        println!("{line}");
    }
    Ok(if discovery.pick().is_some() { 0 } else { 1 })
}

/// `batt ops`: the op table, one op a line (or as README's markdown table).
pub fn ops(args: &crate::cli::OpsArgs) -> Result<i32> {
    use crate::engine::ops::table::OPS;
    use crate::engine::program::usage;
    if args.markdown {
        print!("{}", crate::engine::ops::markdown_table());
        return Ok(0);
    }
    let width = OPS.iter().map(|s| usage(s).len()).max().unwrap_or(0);
    for spec in OPS {
        println!("{:>3}  {:<width$}  {:<9} {}", spec.code, usage(spec), spec.family, spec.meaning);
    }
    println!("{}", crate::engine::ops::spec::totals(OPS));
    Ok(0)
}

/// `batt bench`: the CPU and Vulkan executors side by side; prints a markdown table.
pub fn bench(args: &crate::cli::BenchArgs) -> Result<i32> {
    use crate::bench::{format_row, run, BenchOptions, TABLE_HEADER};
    use crate::engine::vulkan::VulkanExecutor;
    use crate::engine::Backend;

    let choice = match &args.device {
        Some(name) => crate::gpu::DeviceChoice::Named(name.clone()),
        None => crate::gpu::DeviceChoice::Any,
    };
    let mut gpu = match args.backend {
        Backend::Cpu => None,
        Backend::Gpu => Some(VulkanExecutor::new(&choice)?),
        Backend::Auto => match VulkanExecutor::new(&choice) {
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
        cpu: args.backend != Backend::Gpu,
        gpu: gpu.is_some(),
        min_time: Duration::from_secs_f64(args.min_time.max(0.0)),
    };
    println!(
        "batt bench: CPU = rayon on {} threads; GPU = {}; inputs = ARC-AGI-1 training input grids; random programs (seeded)",
        rayon::current_num_threads(),
        gpu.as_ref().map_or("none".to_string(), |g| format!("Vulkan on {}", g.device_name))
    );
    let rows = run(&opts, gpu.as_mut())?;
    println!("{TABLE_HEADER}");
    for r in &rows {
        println!("{}", format_row(r));
    }
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
    let results = crate::shard::read_results(&args.dir)?;
    let dataset = report_dataset(args.data.as_deref(), &results)?;
    let path = args.dir.join("report.html");
    crate::report::write_report(&path, &results, Some(&dataset))?;
    println!("wrote {} ({} tasks)", path.display(), results.tasks.len());
    Ok(0)
}

/// `batt merge DIR...`: one submission.json, results.json and report.html from the shards.
pub fn merge(args: &crate::cli::MergeArgs) -> Result<i32> {
    let out = &args.out;
    for dir in &args.dirs {
        if same_folder(dir, out) {
            bail!("--out {} is one of the shard folders; merging into it would replace that shard's results: pick another --out", out.display());
        }
    }
    let (merged, times) = crate::shard::merge(&args.dirs)?;
    write_submission(out, &merged.tasks)?;
    write_json(&out.join("results.json"), &merged)?;
    let dataset = report_dataset(args.data.as_deref(), &merged);
    let report = out.join("report.html");
    match &dataset {
        Ok(d) => crate::report::write_report(&report, &merged, Some(d))?,
        Err(e) => {
            eprintln!("warning: {e:#}; the report is drawn without the tasks' grids");
            crate::report::write_report(&report, &merged, None)?
        }
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
