//! The `batt` binary: parses the command line and hands over to `batt::commands`; any
//! error is printed as one readable message (with its causes) and exit code 2. Output into
//! a pipe that closes early (`batt ops | head`) ends the process quietly, as for any Unix tool.

use clap::Parser;

use batt::cli::{Cli, Command};

fn main() {
    #[cfg(unix)]
    // SAFETY: restoring the default SIGPIPE action before any thread or I/O exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let cli = Cli::parse();
    let result = match &cli.command {
        Command::Run(args) => batt::commands::run(args),
        Command::Watch(args) => batt::run::watch::watch(args),
        Command::Devices => batt::commands::devices(),
        Command::Bench(args) => batt::commands::bench(args),
        Command::Ops(args) => batt::commands::ops(args),
        Command::Report(args) => batt::commands::report(args),
        Command::Show(args) => batt::outputs::show::show(args),
        Command::Merge(args) => batt::commands::merge(args),
        Command::Tasks(args) => batt::data::task_list::tasks(args),
        Command::Diff(args) => batt::outputs::diff::diff(&args.a, &args.b),
        Command::Fuzz(args) => batt::commands::fuzz(args),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::exit(2);
        }
    }
}
