//! `batt watch` end to end on a temporary copy of scripts/: an in-place edit and an atomic
//! rename each give exactly one re-run with a delta within 5 s, a broken edit is reported
//! with file:line and the last good results are kept, a fix re-runs, and SIGINT exits 0; a
//! burst of 100 saves settles on the last one.

mod common;

use std::fs;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

struct Watcher {
    child: Child,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Watcher {
    fn start(script: &Path, out: &Path) -> Watcher {
        let mut child = Command::new(env!("CARGO_BIN_EXE_batt"))
            .arg("watch")
            .arg(script)
            .args(["-i", "007bbfb7", "25ff71a9", "--backend", "cpu", "--out"])
            .arg(out)
            // without overlays, only its hand-written solver solves 007bbfb7 (an overlay of
            // upscale(3) and tile(3x3) does too), so editing the solver changes its score
            .args(["--", "pieces=0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("batt starts");
        let (tx, rx) = channel();
        for stream in [Box::new(child.stdout.take().unwrap()) as Box<dyn std::io::Read + Send>, Box::new(child.stderr.take().unwrap())] {
            let tx = tx.clone();
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        }
        Watcher { child, lines: rx, seen: Vec::new() }
    }

    /// Reads lines until one contains `needle`; panics after `within`.
    fn wait_for(&mut self, needle: &str, within: Duration) -> Vec<String> {
        let deadline = Instant::now() + within;
        let mut got = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) => {
                    let hit = line.contains(needle);
                    got.push(line.clone());
                    self.seen.push(line);
                    if hit {
                        return got;
                    }
                }
                Err(_) => panic!("no line with {needle:?} within {within:?}; output so far:\n{}", self.seen.join("\n")),
            }
        }
    }

    /// Lines that arrive within `d` (used to check nothing more happens).
    fn quiet_for(&mut self, d: Duration) -> Vec<String> {
        let deadline = Instant::now() + d;
        let mut got = Vec::new();
        while let Ok(line) = self.lines.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            self.seen.push(line.clone());
            got.push(line);
        }
        got
    }
}

const WAIT: Duration = Duration::from_secs(5);

#[test]
fn watch_reruns_once_per_save_shows_deltas_survives_a_broken_edit_and_stops_on_sigint() {
    let dir = tempfile::tempdir().unwrap();
    let scripts = dir.path().join("scripts");
    common::copy_dir(Path::new("scripts"), &scripts);
    let solver = scripts.join("solvers/007bbfb7.lua");
    let original = fs::read_to_string(&solver).unwrap();
    let out = dir.path().join("out");
    let mut w = Watcher::start(&scripts.join("main.lua"), &out);
    w.wait_for("watch: waiting for changes", Duration::from_secs(60));
    let good_submission = fs::read(out.join("submission.json")).unwrap();

    // 1. an in-place edit: the solver now copies the input into the empty cells (wrong)
    let wrong = original.replace("if input:get(r, c) ~= 0 then", "if input:get(r, c) == 0 then");
    assert_ne!(wrong, original);
    fs::write(&solver, wrong).unwrap();
    let rerun = w.wait_for("watch: waiting for changes", WAIT);
    let header = rerun.iter().find(|l| l.contains("=== re-run 2: changed")).expect("a re-run header");
    assert!(header.contains("007bbfb7.lua"), "{header}");
    assert!(rerun.iter().any(|l| l.starts_with("delta: best score changed 1: 007bbfb7 1.000 -> ")), "{rerun:#?}");
    assert!(rerun.iter().any(|l| l.starts_with("delta: run 2 took")), "{rerun:#?}");
    let extra = w.quiet_for(Duration::from_millis(600));
    assert!(!extra.iter().any(|l| l.contains("=== re-run")), "exactly one re-run per save: {extra:#?}");

    // 2. an atomic rename over the file (how many editors save): back to the right solver
    let tmp = scripts.join("solvers/.007bbfb7.lua.tmp");
    fs::write(&tmp, &original).unwrap();
    fs::rename(&tmp, &solver).unwrap();
    let rerun = w.wait_for("watch: waiting for changes", WAIT);
    assert!(rerun.iter().any(|l| l.contains("=== re-run 3: changed") && l.contains("007bbfb7.lua")), "{rerun:#?}");
    assert!(rerun.iter().any(|l| l.contains("delta: best score changed 1: 007bbfb7 ") && l.ends_with("-> 1.000")), "{rerun:#?}");
    let extra = w.quiet_for(Duration::from_millis(600));
    assert!(!extra.iter().any(|l| l.contains("=== re-run")), "the renamed file is still watched, one re-run: {extra:#?}");

    // 3. a broken edit: reported with file:line, the last good results stay
    let before_broken = fs::read(out.join("submission.json")).unwrap();
    assert_eq!(before_broken, good_submission);
    fs::write(&solver, "return function(input)\n  local x = = 1\nend\n").unwrap();
    let mut broken = w.wait_for("watch: waiting for changes", WAIT);
    broken.extend(w.quiet_for(Duration::from_millis(300))); // stderr may trail stdout
    let location = format!("{}:2:", solver.display());
    assert!(broken.iter().any(|l| l.contains(&location)), "the error names file:line: {broken:#?}");
    assert!(broken.iter().any(|l| l.contains("stack traceback:")), "{broken:#?}");
    assert!(broken.iter().any(|l| l.contains("is broken") && l.contains("keeping the last good results")), "{broken:#?}");
    assert_eq!(fs::read(out.join("submission.json")).unwrap(), good_submission, "outputs of the last good run stay");

    // 4. the fix re-runs
    fs::write(&solver, &original).unwrap();
    let fixed = w.wait_for("watch: waiting for changes", WAIT);
    assert!(fixed.iter().any(|l| l.contains("=== re-run 5: changed")), "{fixed:#?}");
    assert!(fixed.iter().any(|l| l.starts_with("tasks 2: 2 done, 0 errors")), "{fixed:#?}");

    // 5. SIGINT stops it cleanly
    let status = Command::new("kill").args(["-INT", &w.child.id().to_string()]).status().unwrap();
    assert!(status.success());
    let deadline = Instant::now() + WAIT;
    let code = loop {
        if let Some(s) = w.child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "batt watch did not stop after SIGINT");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(code.success(), "exit status after SIGINT: {code:?}");
    serde_json::from_slice::<serde_json::Value>(&fs::read(out.join("submission.json")).unwrap()).expect("complete output file");
}

/// A burst of saves (100 writes within about a second, one that truncates the file, one
/// renamed over it) ends in the state on disk: once the re-runs settle, the results are
/// those of the file's last content, and watch still answers the next save.
#[test]
fn a_burst_of_saves_settles_on_the_last_one() {
    let dir = tempfile::tempdir().unwrap();
    let scripts = dir.path().join("scripts");
    common::copy_dir(Path::new("scripts"), &scripts);
    let solver = scripts.join("solvers/007bbfb7.lua");
    let original = fs::read_to_string(&solver).unwrap();
    let wrong = original.replace("if input:get(r, c) ~= 0 then", "if input:get(r, c) == 0 then");
    assert_ne!(wrong, original);
    let out = dir.path().join("out");
    let mut w = Watcher::start(&scripts.join("main.lua"), &out);
    w.wait_for("watch: waiting for changes", Duration::from_secs(60));
    let solved = |out: &Path| -> bool {
        let results: serde_json::Value = serde_json::from_slice(&fs::read(out.join("results.json")).unwrap()).unwrap();
        let task = results["tasks"].as_array().unwrap().iter().find(|t| t["id"] == "007bbfb7").cloned().unwrap();
        task["predictions"][0]["correct_top1"] == true
    };
    assert!(solved(&out), "the shipped solver solves 007bbfb7");

    // 100 saves, about 10 ms apart, ending with the wrong solver: a truncating save at 50
    // and a rename over the file at 75 on the way
    for i in 0..100 {
        let text = if i % 2 == 0 { &original } else { &wrong };
        match i {
            50 => fs::write(&solver, "").unwrap(),
            75 => {
                let tmp = scripts.join("solvers/.007bbfb7.lua.tmp");
                fs::write(&tmp, text).unwrap();
                fs::rename(&tmp, &solver).unwrap();
            }
            _ => fs::write(&solver, text).unwrap(),
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert_eq!(fs::read_to_string(&solver).unwrap(), wrong, "the last save is the wrong solver");
    // the re-runs settle: a wait with no new re-run after the last one ends
    let is_rerun = |l: &String| l.contains("=== re-run");
    let mut lines = w.wait_for("watch: waiting for changes", Duration::from_secs(30));
    let mut reruns = 0;
    loop {
        reruns += lines.iter().filter(|l| is_rerun(l)).count();
        let extra = w.quiet_for(Duration::from_millis(1500));
        let Some(last) = extra.iter().rposition(is_rerun) else { break };
        lines = extra.clone();
        if !extra[last..].iter().any(|l| l.contains("watch: waiting for changes")) {
            lines.extend(w.wait_for("watch: waiting for changes", Duration::from_secs(30)));
        }
    }
    assert!((1..100).contains(&reruns), "saves in a burst are coalesced: {reruns} re-runs");
    assert!(!solved(&out), "the results are the last save's (the wrong solver)");
    serde_json::from_slice::<serde_json::Value>(&fs::read(out.join("submission.json")).unwrap()).expect("complete output file");

    // and the next save is answered as usual
    fs::write(&solver, &original).unwrap();
    w.wait_for("watch: waiting for changes", Duration::from_secs(30));
    w.quiet_for(Duration::from_millis(1500));
    assert!(solved(&out), "back to the right solver");
    let _ = Command::new("kill").args(["-INT", &w.child.id().to_string()]).status();
    let _ = w.child.wait();
}
