//! What a run prints while it goes: one line per finished task on stdout, script log lines
//! on stderr, and, when stderr is a terminal, an indicatif progress bar kept below them.
//! Piped output gets the plain lines only, so logs and CI read cleanly.

use std::io::{IsTerminal, Write};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

pub struct Progress {
    bar: Option<ProgressBar>,
    quiet: bool,
}

impl Progress {
    /// A progress display for `total` tasks; the bar appears only on a terminal.
    pub fn new(total: usize, quiet: bool) -> Progress {
        let bar = (!quiet && std::io::stderr().is_terminal()).then(|| {
            let bar = ProgressBar::with_draw_target(Some(total as u64), ProgressDrawTarget::stderr());
            bar.set_style(
                ProgressStyle::with_template("{bar:40.cyan/blue} {pos}/{len} tasks  {elapsed_precise}  {msg}")
                    .expect("valid template")
                    .progress_chars("=> "),
            );
            bar
        });
        Progress { bar, quiet }
    }

    /// Prints a finished task's line and advances the bar.
    pub fn task_line(&self, line: &str) {
        self.print_out(line);
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }

    /// Prints a line on stdout without disturbing the bar.
    pub fn print_out(&self, line: &str) {
        if self.quiet {
            return;
        }
        self.suspended(|| {
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        });
    }

    /// Prints a line on stderr (script logs, warnings) without disturbing the bar.
    pub fn print_err(&self, line: &str) {
        self.suspended(|| eprintln!("{line}"));
    }

    /// Shows which task is being worked on.
    pub fn set_message(&self, message: &str) {
        if let Some(bar) = &self.bar {
            bar.set_message(message.to_string());
        }
    }

    pub fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    fn suspended(&self, f: impl FnOnce()) {
        match &self.bar {
            Some(bar) => bar.suspend(f),
            None => f(),
        }
    }
}
