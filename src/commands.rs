//! What each subcommand does: `run` loads the data, selects tasks, runs the script, prints
//! the summary and writes the outputs; `devices` lists Vulkan devices; `bench` measures
//! the executors. `main` only parses arguments and reports errors.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use crate::cli::RunArgs;
use crate::dataset::Dataset;
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

/// Summarises a finished run, writes submission.json and results.json (atomically) and
/// returns the report. `started` is when the run began; `loaded` and `script_done` are
/// offsets from it.
pub fn finish_run(
    args: &RunArgs,
    data_name: &str,
    outcome: &RunOutcome,
    started: Instant,
    loaded: Duration,
    script_done: Duration,
) -> Result<RunReport> {
    let summary = Summary::of(&outcome.records);
    write_submission(&args.out, &outcome.records)?;
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    let mut timing = Timing {
        load_ms: ms(loaded + outcome.script_load),
        lua_ms: ms(script_done - loaded - outcome.script_load) - ms(outcome.work.candidate_eval) - ms(outcome.work.scoring),
        candidate_eval_ms: ms(outcome.work.candidate_eval),
        scoring_ms: ms(outcome.work.scoring),
        output_ms: 0.0,
        total_ms: 0.0,
    };
    // results.json carries the output time up to its own writing; the printed line is final.
    timing.output_ms = ms(started.elapsed() - script_done);
    timing.total_ms = ms(started.elapsed());
    let results = Results {
        batt_version: env!("CARGO_PKG_VERSION"),
        script: args.script.display().to_string(),
        data: data_name.to_string(),
        summary: &summary,
        timing: &timing,
        script_error: outcome.script_error.as_deref(),
        backend: &outcome.backend,
        engine: &outcome.engine,
        log: &outcome.run_log,
        tasks: &outcome.records,
    };
    write_json(&args.out.join("results.json"), &results)?;
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
    println!("wrote {} and {}", args.out.join("submission.json").display(), args.out.join("results.json").display());
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
    let selection = select_tasks(&dataset, &opts)?;
    // Opening the Vulkan device (and compiling the pipeline) counts as load time.
    let mut session = Session::new(opts.backend)?;
    handle_interrupts(&session);
    let loaded = started.elapsed();

    let outcome = run_in_session(&mut session, &opts.script, selection, &opts, &[])?;
    let script_done = started.elapsed();
    let report = finish_run(args, &dataset.source.describe(), &outcome, started, loaded, script_done)?;
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

/// `batt bench`: the CPU and Vulkan executors side by side; prints a markdown table.
pub fn bench(args: &crate::cli::BenchArgs) -> Result<i32> {
    use crate::bench::{format_row, run, BenchOptions, TABLE_HEADER};
    use crate::engine::vulkan::VulkanExecutor;
    use crate::engine::Backend;

    let mut gpu = match args.backend {
        Backend::Cpu => None,
        Backend::Gpu => Some(VulkanExecutor::new()?),
        Backend::Auto => match VulkanExecutor::new() {
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
