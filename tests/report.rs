//! Seeing and sharing results, through the real `batt` binary: the HTML report opened in
//! headless Chromium (grids drawn in the ARC palette where the page says they are, no
//! console errors), `batt report` rewriting the same page, `batt show` in the terminal and
//! as a PNG equal to a known image, and `--shard K/N` + `batt merge` giving the unsharded
//! run's submission.json byte for byte (empty shards included), refusing overlapping,
//! missing and mismatched shards.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use batt::data::dataset::{Dataset, TaskEntry};
use batt::outputs::palette::ARC_PALETTE;
use batt::data::task::Task;
use predicates::prelude::PredicateBooleanExt;
use serde_json::Value;

fn batt() -> Command {
    Command::cargo_bin("batt").unwrap()
}

fn embedded_task(id: &str) -> Task {
    match Dataset::embedded().unwrap().find(id) {
        Some(TaskEntry::Valid(t)) => t.clone(),
        _ => panic!("task {id} not in the embedded corpus"),
    }
}

/// An RGB image decoded from a PNG file.
struct Image {
    width: u32,
    height: u32,
    rgb: Vec<u8>,
}

impl Image {
    fn read(path: &Path) -> Image {
        let decoder = png::Decoder::new(std::io::BufReader::new(fs::File::open(path).unwrap()));
        let mut reader = decoder.read_info().unwrap();
        let mut buf = vec![0; reader.output_buffer_size()];
        let info = reader.next_frame(&mut buf).unwrap();
        let channels = match info.color_type {
            png::ColorType::Rgb => 3,
            png::ColorType::Rgba => 4,
            other => panic!("unexpected PNG colour type {other:?}"),
        };
        assert_eq!(info.bit_depth, png::BitDepth::Eight);
        let rgb = buf[..info.buffer_size()].chunks(channels).flat_map(|px| px[..3].to_vec()).collect();
        Image { width: info.width, height: info.height, rgb }
    }

    fn at(&self, x: u32, y: u32) -> [u8; 3] {
        let i = ((y * self.width + x) * 3) as usize;
        [self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]]
    }
}

/// Debian's Chromium; the test fails (not skips) without it: `bash .ci/setup` installs it.
fn chromium() -> PathBuf {
    for name in ["chromium", "chromium-browser", "google-chrome"] {
        if let Ok(out) = Process::new("which").arg(name).output() {
            if out.status.success() {
                return PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
            }
        }
    }
    panic!("headless Chromium is needed for the report test and was not found: run `bash .ci/setup` (it installs Debian's chromium)");
}

const WINDOW: (u32, u32) = (1280, 1000);

/// Runs headless Chromium on `page` with `extra` arguments; returns (stdout, stderr).
fn headless(page: &Path, extra: &[&str], profile: &Path) -> (String, String) {
    let out = Process::new(chromium())
        .args(["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        .args(["--hide-scrollbars", "--force-device-scale-factor=1", "--enable-logging=stderr", "--v=0"])
        .arg(format!("--window-size={},{}", WINDOW.0, WINDOW.1))
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.canonicalize().unwrap().display()))
        .output()
        .expect("chromium starts");
    assert!(out.status.success(), "chromium failed: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// The value of `attribute` on the page's <body>, from Chromium's dumped DOM (HTML-escaped).
fn body_attribute(dom: &str, attribute: &str) -> Option<String> {
    let body = &dom[dom.find("<body")?..];
    let tag = &body[..body.find('>')?];
    let start = tag.find(&format!("{attribute}=\""))? + attribute.len() + 2;
    let value = &tag[start..start + tag[start..].find('"')?];
    Some(value.replace("&quot;", "\"").replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">"))
}

#[test]
fn report_of_thirty_tasks_draws_their_grids_in_headless_chromium() {
    let out = tempfile::tempdir().unwrap();
    let assert = batt().args(["run", "-c", "30", "-q", "--report", "--out"]).arg(out.path()).assert().success();
    let stdout = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    let page = out.path().join("report.html");
    assert!(stdout.contains("report.html"), "{stdout}");
    let html = fs::read_to_string(&page).unwrap();
    assert!(!html.contains("http://") && !html.contains("https://"), "the page fetches nothing from the network");

    let profile = tempfile::tempdir().unwrap();
    let (dom, log) = headless(&page, &["--dump-dom"], profile.path());
    let console: Vec<&str> = log.lines().filter(|l| l.contains(":CONSOLE")).collect();
    assert!(console.is_empty(), "the page wrote to the console: {console:?}");
    assert_eq!(body_attribute(&dom, "data-errors"), None, "script errors on the page");
    let drawn: usize = body_attribute(&dom, "data-drawn").expect("the page's script ran").parse().unwrap();
    assert!(drawn >= 30 * 3, "only {drawn} grids drawn for 30 tasks");
    assert_eq!(dom.matches("<section class=\"task ").count(), 30, "one section per task");
    for label in ["attempt 1", "attempt 2", "expected", "train pairs"] {
        assert!(dom.contains(label), "no '{label}' on the page");
    }

    // Where the page says the first grid is, the screenshot shows that grid's cells.
    let first: Value = serde_json::from_str(&body_attribute(&dom, "data-first-grid").expect("first grid's place")).unwrap();
    let results: Value = serde_json::from_str(&fs::read_to_string(out.path().join("results.json")).unwrap()).unwrap();
    let first_id = results["tasks"][0]["id"].as_str().unwrap();
    assert_eq!(first["task"].as_str().unwrap(), first_id);
    let grid = &embedded_task(first_id).train[0].input;
    let (x0, y0, cell) = (first["x"].as_f64().unwrap(), first["y"].as_f64().unwrap(), first["cell"].as_f64().unwrap());

    let shot_path = out.path().join("shot.png");
    headless(&page, &[&format!("--screenshot={}", shot_path.display())], profile.path());
    let shot = Image::read(&shot_path);
    assert_eq!((shot.width, shot.height), WINDOW);
    let mut checked = 0;
    for r in 0..grid.rows() {
        for c in 0..grid.cols() {
            let x = (x0 + (c as f64 + 0.5) * cell) as u32;
            let y = (y0 + (r as f64 + 0.5) * cell) as u32;
            if x < shot.width && y < shot.height {
                let want = ARC_PALETTE[grid.get(r, c) as usize];
                assert_eq!(shot.at(x, y), want, "cell ({r},{c}) of {first_id}'s first train input at pixel ({x},{y})");
                checked += 1;
            }
        }
    }
    assert!(checked >= 9, "only {checked} cells of the first grid were on screen");
    // And the whole screenshot is mostly drawn grids: several palette colours, many pixels.
    let colours = ARC_PALETTE.iter().filter(|p| shot.rgb.chunks(3).filter(|px| px == p).count() > 200).count();
    assert!(colours >= 4, "only {colours} ARC colours visible in the screenshot");
}

#[test]
fn batt_report_rewrites_the_page_of_a_run() {
    let out = tempfile::tempdir().unwrap();
    batt().args(["run", "-c", "3", "-q", "--backend", "cpu", "--report", "--out"]).arg(out.path()).assert().success();
    let page = out.path().join("report.html");
    let written_by_run = fs::read_to_string(&page).unwrap();
    fs::remove_file(&page).unwrap();
    batt().arg("report").arg(out.path()).assert().success();
    assert!(fs::read_to_string(&page).unwrap() == written_by_run, "batt report draws the same page from results.json");

    let empty = tempfile::tempdir().unwrap();
    batt()
        .arg("report")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("results.json").and(predicates::str::contains("--out folder of a batt run")));
}

#[test]
fn show_draws_a_task_in_the_terminal() {
    let task = embedded_task("007bbfb7");
    let out = batt().args(["show", "007bbfb7", "--color", "never"]).assert().success();
    let text = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    assert!(text.starts_with("task 007bbfb7 (train): 5 train pairs, 1 test input\n"), "{text}");
    // The first train pair's rows, input and output side by side, as digits.
    let pair = &task.train[0];
    let lines: Vec<&str> = text.lines().collect();
    let start = lines.iter().position(|l| *l == "train 1").unwrap() + 2;
    for r in 0..pair.output.rows() {
        let digits = |g: &batt::grid::Grid| g.row(r).iter().map(|c| format!("{c} ")).collect::<String>();
        let want = if r < pair.input.rows() { format!("{}   {}", digits(&pair.input), digits(&pair.output)) } else { format!("{}{}", " ".repeat(2 * pair.input.cols() + 3), digits(&pair.output)) };
        assert_eq!(lines[start + r], want.trim_end(), "row {r}");
    }
    let coloured = batt().args(["show", "007bbfb7", "--color", "always"]).assert().success();
    let coloured = String::from_utf8_lossy(&coloured.get_output().stdout).into_owned();
    let [r, g, b] = ARC_PALETTE[7];
    assert!(coloured.contains(&format!("\x1b[48;2;{r};{g};{b}m  \x1b[0m")), "orange cells drawn in the palette's orange");

    batt().args(["show", "nosuchid"]).assert().code(2).stderr(predicates::str::contains("task nosuchid is not in"));
}

#[test]
fn show_png_matches_the_known_image_and_marks_attempts() {
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("task.png");
    batt().args(["show", "007bbfb7", "--cell", "8", "--png"]).arg(&png).assert().success();
    let got = Image::read(&png);
    let known = Image::read(Path::new("tests/data/show_007bbfb7_cell8.png"));
    assert_eq!((got.width, got.height), (known.width, known.height));
    assert!(got.rgb == known.rgb, "show --png differs from tests/data/show_007bbfb7_cell8.png");

    // Every cell's centre is its palette colour where the layout puts the grid.
    let task = embedded_task("007bbfb7");
    let rows = batt::outputs::show::layout(&task, None);
    let (placed, width, height) = batt::outputs::show::png_positions(&rows, 8);
    assert_eq!((width, height), (got.width, got.height));
    for p in &placed {
        let (x0, y0) = (p.x, p.y);
        let grid = &rows[p.row].panels[p.panel].grid;
        for r in 0..grid.rows() {
            for c in 0..grid.cols() {
                assert_eq!(got.at(x0 + c as u32 * 8 + 4, y0 + r as u32 * 8 + 4), ARC_PALETTE[grid.get(r, c) as usize]);
            }
        }
    }

    // With a run's output folder, the attempts are drawn too, right ones marked green.
    let out = tempfile::tempdir().unwrap();
    batt().args(["run", "-q", "--backend", "cpu", "-i", "007bbfb7", "--out"]).arg(out.path()).assert().success();
    let text = batt().args(["show", "007bbfb7", "--color", "never", "--out"]).arg(out.path()).assert().success();
    let text = String::from_utf8_lossy(&text.get_output().stdout).into_owned();
    assert!(text.contains("attempt 1 (right)"), "{text}");
    let with_attempts = dir.path().join("attempts.png");
    batt().args(["show", "007bbfb7", "--cell", "8", "--png"]).arg(&with_attempts).arg("--out").arg(out.path()).assert().success();
    let img = Image::read(&with_attempts);
    assert!(img.width > got.width, "attempt panels widen the test row");
    assert!(img.rgb.chunks(3).any(|px| px == [0x1F, 0x8F, 0x3A]), "a right attempt is marked green");
}

fn run_into(dir: &Path, extra: &[&str]) {
    batt()
        .args(["run", "-q", "--backend", "cpu", "--split", "eval", "-c", "10"])
        .args(extra)
        .arg("--out")
        .arg(dir)
        .assert()
        .success();
}

#[test]
fn three_shards_merge_into_the_unsharded_submission() {
    let root = tempfile::tempdir().unwrap();
    let whole = root.path().join("whole");
    run_into(&whole, &[]);
    let shards: Vec<PathBuf> = (1..=3).map(|k| root.path().join(format!("shard{k}"))).collect();
    for (k, dir) in shards.iter().enumerate() {
        run_into(dir, &["--shard", &format!("{}/3", k + 1)]);
        let results: Value = serde_json::from_str(&fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
        let n = results["tasks"].as_array().unwrap().len();
        assert!((3..=4).contains(&n), "shard {} holds {n} of 10 tasks", k + 1);
    }
    let merged = root.path().join("merged");
    // Shards given in any order.
    batt().arg("merge").args([&shards[2], &shards[0], &shards[1]]).arg("--out").arg(&merged).assert().success();
    assert_eq!(
        fs::read_to_string(merged.join("submission.json")).unwrap(),
        fs::read_to_string(whole.join("submission.json")).unwrap(),
        "merged submission.json equals the unsharded run's"
    );
    let ids = |dir: &Path| -> Vec<String> {
        let v: Value = serde_json::from_str(&fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
        v["tasks"].as_array().unwrap().iter().map(|t| t["id"].as_str().unwrap().to_string()).collect()
    };
    assert_eq!(ids(&merged), ids(&whole));
    let summary = |dir: &Path| -> Value {
        let v: Value = serde_json::from_str(&fs::read_to_string(dir.join("results.json")).unwrap()).unwrap();
        v["summary"].clone()
    };
    assert_eq!(summary(&merged), summary(&whole));
    assert!(merged.join("report.html").is_file());

    let refused = |dirs: &[&PathBuf], message: &str| {
        batt().arg("merge").args(dirs).arg("--out").arg(root.path().join("bad")).assert().code(2).stderr(predicates::str::contains(message.to_string()));
    };
    refused(&[&shards[0], &shards[1], &shards[0]], "overlapping shards");
    refused(&[&shards[0], &shards[1]], "missing shard(s) 3/3");
    refused(&[&shards[0], &shards[1], &shards[2], &whole], "every shard must come from the same --shard");
    // A shard of a different selection (-c 9) is refused too.
    let other = root.path().join("other");
    batt().args(["run", "-q", "--backend", "cpu", "--split", "eval", "-c", "9", "--shard", "3/3", "--out"]).arg(&other).assert().success();
    refused(&[&shards[0], &shards[1], &other], "ran different task selections");
    batt().args(["run", "--shard", "4/3"]).assert().code(2).stderr(predicates::str::contains("expected K/N"));
}

#[test]
fn a_shard_without_tasks_still_writes_outputs_that_merge() {
    let root = tempfile::tempdir().unwrap();
    let dirs: Vec<PathBuf> = (1..=3).map(|k| root.path().join(format!("s{k}"))).collect();
    for (k, dir) in dirs.iter().enumerate() {
        let run = batt()
            .args(["run", "-q", "--backend", "cpu", "-i", "007bbfb7", "00d62c1b", "--shard", &format!("{}/3", k + 1), "--out"])
            .arg(dir)
            .assert()
            .success();
        if k == 2 {
            let stderr = String::from_utf8_lossy(&run.get_output().stderr).into_owned();
            assert!(stderr.contains("shard 3/3 of the 2 selected tasks is empty"), "{stderr}");
        }
        assert!(dir.join("results.json").is_file());
    }
    let whole = root.path().join("whole");
    batt().args(["run", "-q", "--backend", "cpu", "-i", "007bbfb7", "00d62c1b", "--out"]).arg(&whole).assert().success();
    let merged = root.path().join("merged");
    batt().arg("merge").args(&dirs).arg("--out").arg(&merged).assert().success();
    assert!(fs::read(merged.join("submission.json")).unwrap() == fs::read(whole.join("submission.json")).unwrap());
}
