//! `batt show`: one task drawn for a person, with the standard ARC palette: each train
//! pair, each test input, and (given a run's output folder) batt's attempts 1 and 2 marked
//! right or wrong beside the expected output. In the terminal as coloured blocks (or
//! digits without colour), or as a PNG image encoded by the `png` crate.

use std::io::IsTerminal;
use std::path::Path;

use anyhow::{bail, Context, Result};

use crate::cli::{ColorChoice, ShowArgs};
use crate::data::dataset::{Dataset, TaskEntry};
use crate::grid::Grid;
use crate::outputs::palette::ARC_PALETTE;
use crate::data::task::Task;

/// One drawn grid with its caption, and whether it is a right (Some(true)) or wrong attempt.
pub struct Panel {
    pub caption: String,
    pub grid: Grid,
    pub correct: Option<bool>,
}

/// A line of panels under a heading ("train 1", "test 1").
pub struct PanelRow {
    pub heading: String,
    pub panels: Vec<Panel>,
    /// The first row of the test section (drawn after a separator).
    pub starts_tests: bool,
}

/// The rows that draw `task`, with the attempts of `record` when given.
pub fn layout(task: &Task, record: Option<&crate::run::record::TaskRecord>) -> Vec<PanelRow> {
    let mut rows = Vec::new();
    for (i, pair) in task.train.iter().enumerate() {
        rows.push(PanelRow {
            heading: format!("train {}", i + 1),
            panels: vec![
                Panel { caption: "input".into(), grid: pair.input.clone(), correct: None },
                Panel { caption: "output".into(), grid: pair.output.clone(), correct: None },
            ],
            starts_tests: false,
        });
    }
    for (i, case) in task.test.iter().enumerate() {
        let mut panels = vec![Panel { caption: "input".into(), grid: case.input.clone(), correct: None }];
        if let Some(prediction) = record.and_then(|r| r.predictions.get(i)) {
            for (k, attempt) in prediction.attempts.iter().enumerate().take(2) {
                let correct = case.output.as_ref().map(|e| e == attempt);
                let verdict = match correct {
                    Some(true) => " (right)",
                    Some(false) => " (wrong)",
                    None => "",
                };
                let source = prediction.sources.get(k).map_or(String::new(), |s| format!(": {s}"));
                panels.push(Panel { caption: format!("attempt {}{verdict}{source}", k + 1), grid: attempt.clone(), correct });
            }
        }
        if let Some(expected) = &case.output {
            panels.push(Panel { caption: "expected".into(), grid: expected.clone(), correct: None });
        }
        rows.push(PanelRow { heading: format!("test {}", i + 1), panels, starts_tests: i == 0 });
    }
    rows
}

/// The task `id` from `dataset`, or an error saying why it cannot be drawn.
fn find_task<'a>(dataset: &'a Dataset, id: &str) -> Result<&'a Task> {
    match dataset.find(id) {
        Some(TaskEntry::Valid(task)) => Ok(task),
        Some(TaskEntry::Invalid(bad)) => bail!("task {id} cannot be drawn: {}", bad.message),
        None => bail!("task {id} is not in {} (ids are like 007bbfb7; `batt run` lists them)", dataset.source.describe()),
    }
}

/// `batt show`: draws the task in the terminal, or writes a PNG.
pub fn show(args: &ShowArgs) -> Result<i32> {
    let dataset = Dataset::open(args.data.as_deref())?;
    let task = find_task(&dataset, &args.id)?;
    let run = args.out.as_deref().map(crate::outputs::runs::resolve).transpose()?;
    let results = run.as_deref().map(crate::outputs::files::read_results).transpose()?;
    let record = match (&results, &run) {
        (Some(results), Some(dir)) => Some(results.tasks.iter().find(|r| r.id == args.id).with_context(|| {
            format!("task {} is not in {} (that run did not select it)", args.id, crate::outputs::files::results_path(dir).display())
        })?),
        _ => None,
    };
    if let (Some(_), Some(record), Some(run), Some(results)) = (args.export, record, &run, &results) {
        let path = crate::outputs::export::export_lua(task, record, run, &results.script, args.force)?;
        println!("wrote {} (attempt 1 of test input 1: {})", path.display(), record.predictions[0].sources.first().map_or("", String::as_str));
        return Ok(0);
    }
    let rows = layout(task, record);
    if let Some(path) = &args.png {
        write_png(path, &rows, args.cell)?;
        println!("wrote {}", path.display());
        return Ok(0);
    }
    let color = match args.color {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    };
    let split = task.split.map_or(String::new(), |s| format!(" ({s})"));
    let plural = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    println!("task {}{split}: {}, {}", task.id, plural(task.train.len(), "train pair"), plural(task.test.len(), "test input"));
    if let Some(r) = record {
        println!("run: {}, {} candidates tried{}", r.status.name(), r.candidates_tried, r.error.as_deref().map_or(String::new(), |e| format!("; {}", e.lines().next().unwrap_or(""))));
    }
    print!("{}", terminal_text(&rows, color));
    if let Some(r) = record {
        for line in why_lines(r, task) {
            println!("{line}");
        }
    }
    Ok(0)
}

/// Why each test input got its attempts: who made them, and every candidate ranked above
/// them that made none, with the reason; under the first attempt of a per-cell rule, its
/// cases (re-learned from the task's train pairs).
fn why_lines(record: &crate::run::record::TaskRecord, task: &Task) -> Vec<String> {
    let mut lines = Vec::new();
    let mut shown: Vec<&str> = Vec::new();
    for (i, p) in record.predictions.iter().enumerate() {
        let made: Vec<String> = p.sources.iter().enumerate().map(|(k, s)| format!("attempt {} by {s}", k + 1)).collect();
        let made = if made.is_empty() {
            if p.attempts.is_empty() { "no attempt".to_string() } else { "attempts from unnamed candidates".to_string() }
        } else {
            made.join("; ")
        };
        lines.push(format!("test {}: {made}", i + 1));
        for (k, t) in p.terms.iter().enumerate() {
            lines.push(format!("  attempt {}: {}", k + 1, rank_line(t)));
            if let Some(source) = p.sources.get(k).filter(|s| !shown.contains(&s.as_str())) {
                shown.push(source);
                lines.extend(rule_lines(source, task));
            }
        }
        for passed in &p.passed_over {
            lines.push(format!("  passed over {}: {}", passed.name, passed.reason));
        }
    }
    lines
}

/// The cases of the per-cell rule `source` names, one a line, with what its features read;
/// nothing when `source` is no cell rule.
fn rule_lines(source: &str, task: &Task) -> Vec<String> {
    use crate::outputs::sources::{case_lines, Shaping, Source};
    let Source::CellRule(named) = Source::parse(source) else { return Vec::new() };
    let rule = match named.relearn(task) {
        Ok(rule) => rule,
        Err(why) => return vec![format!("    its cases cannot be shown: {why}")],
    };
    let read = match named.shaping {
        Shaping::AsIs => String::new(),
        Shaping::Tile(a, b) => format!(", read on the input tiled {a}x{b}"),
        Shaping::Upscale(a, b) => format!(", read on the input upscaled {a}x{b}"),
        Shaping::Ranked => ", colours being ranks in the input, 0 its commonest".to_string(),
    };
    let unseen = if rule.keep_unseen { "; a cell of any other case keeps its colour" } else { "" };
    let mut lines = vec![format!("    its {} case{} (feature values → output colour{read}{unseen}):", rule.cases, if rule.cases == 1 { "" } else { "s" })];
    lines.extend(case_lines(&rule).into_iter().map(|l| format!("      {l}")));
    lines
}

/// An attempt's ranking terms as one line: its place, then each key in the order it decides.
fn rank_line(t: &crate::run::record::RankTerms) -> String {
    let mut parts = vec![
        if t.exact {
            "exact on every train pair".to_string()
        } else if t.guesses {
            "exact on every train pair, but it keeps the test input's cells where it meets a case no train pair showed (so ranked with the inexact)".to_string()
        } else {
            // an overlay exact on every pair with a layer only one pair asks for scores just under 1
            let value = if t.value > 0.999 { format!("{:.6}", t.value) } else { format!("{:.3}", t.value) };
            format!("exact on {}/{} train pairs, value {value}", t.pairs_exact, t.pairs)
        },
        if t.palette { String::new() } else { "test output of colours the train pairs' colour rule does not allow".to_string() },
        if t.memorises { "could memorise an output".to_string() } else { String::new() },
        if t.sized { "test output of the predicted size".to_string() } else { "test output not of the predicted size".to_string() },
    ];
    parts.retain(|p| !p.is_empty());
    let plural = |n: usize, one: &str| if n == 1 { format!("1 {one}") } else { format!("{n} {one}s") };
    if let Some(c) = t.cases {
        parts.push(plural(c, "case"));
    }
    match (t.steps, t.layers) {
        (Some(s), Some(l)) => parts.push(format!("{} of up to {}", plural(l, "layer"), plural(s, "step"))),
        (Some(s), None) => parts.push(plural(s, "step")),
        _ => {}
    }
    parts.push(format!("gathered {}{}", t.tried, ordinal_suffix(t.tried)));
    format!("ranked {}{} ({})", t.rank, ordinal_suffix(t.rank), parts.join("; "))
}

fn ordinal_suffix(n: usize) -> &'static str {
    match (n % 10, n % 100) {
        (_, 11..=13) => "th",
        (1, _) => "st",
        (2, _) => "nd",
        (3, _) => "rd",
        _ => "th",
    }
}

/// The rows as terminal text: two characters per cell, panels side by side.
pub fn terminal_text(rows: &[PanelRow], color: bool) -> String {
    let mut out = String::new();
    for row in rows {
        if row.starts_tests {
            out.push_str(&format!("{}\n", "─".repeat(40)));
        }
        out.push_str(&format!("{}\n", row.heading));
        let widths: Vec<usize> = row.panels.iter().map(|p| (p.grid.cols() * 2).max(p.caption.chars().count())).collect();
        let captions: Vec<String> = row.panels.iter().zip(&widths).map(|(p, w)| format!("{:<w$}", p.caption)).collect();
        out.push_str(captions.join("   ").trim_end());
        out.push('\n');
        let height = row.panels.iter().map(|p| p.grid.rows()).max().unwrap_or(0);
        for r in 0..height {
            let mut line = String::new();
            for (i, (p, w)) in row.panels.iter().zip(&widths).enumerate() {
                if i > 0 {
                    line.push_str("   ");
                }
                let mut used = 0;
                if r < p.grid.rows() {
                    for &c in p.grid.row(r) {
                        if color {
                            let [red, green, blue] = ARC_PALETTE[c as usize];
                            line.push_str(&format!("\x1b[48;2;{red};{green};{blue}m  \x1b[0m"));
                        } else {
                            line.push_str(&format!("{c} "));
                        }
                        used += 2;
                    }
                }
                line.push_str(&" ".repeat(w - used));
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

/// PNG layout constants, in cells of `cell` pixels: the margin around the image and the gap
/// between panels and rows. Each grid has a 1-pixel line on the left and top of every cell
/// and closing lines on the right and bottom, so a cell's inside is its exact colour.
const BACKGROUND: [u8; 3] = [0xF0, 0xF0, 0xF0];
const GRID_LINE: [u8; 3] = [0x55, 0x55, 0x55];
const RIGHT: [u8; 3] = [0x1F, 0x8F, 0x3A];
const WRONG: [u8; 3] = [0xC0, 0x39, 0x2B];
const SEPARATOR: [u8; 3] = [0x99, 0x99, 0x99];

/// Height of the right/wrong bar under an attempt.
fn mark_height(cell: u32) -> u32 {
    (cell / 4).max(3)
}

/// Where one panel's grid lands in the image: its row and panel index, and the pixel of its
/// top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub row: usize,
    pub panel: usize,
    pub x: u32,
    pub y: u32,
}

/// Where every panel lands, and the image size.
pub fn png_positions(rows: &[PanelRow], cell: u32) -> (Vec<Placement>, u32, u32) {
    let gap = cell;
    let mark = mark_height(cell);
    let mut y = gap;
    let mut width = 0;
    let mut placed = Vec::new();
    for (ri, row) in rows.iter().enumerate() {
        if row.starts_tests {
            y += gap; // room for the separator line
        }
        let mut x = gap;
        let mut tallest = 0;
        for (pi, p) in row.panels.iter().enumerate() {
            placed.push(Placement { row: ri, panel: pi, x, y });
            x += p.grid.cols() as u32 * cell + 1 + gap;
            tallest = tallest.max(p.grid.rows() as u32 * cell + 1);
        }
        width = width.max(x);
        y += tallest + mark + gap;
    }
    (placed, width.max(2 * gap), y)
}

/// Draws the rows into an RGB image and writes it as a PNG (atomically).
pub fn write_png(path: &Path, rows: &[PanelRow], cell: u32) -> Result<()> {
    let bytes = render_png(rows, cell)?;
    crate::outputs::files::write_atomic(path, &bytes)
}

/// The PNG file's bytes.
pub fn render_png(rows: &[PanelRow], cell: u32) -> Result<Vec<u8>> {
    let (placed, width, height) = png_positions(rows, cell);
    let mut pixels = vec![0u8; (width * height * 3) as usize];
    for px in pixels.chunks_mut(3) {
        px.copy_from_slice(&BACKGROUND);
    }
    let mut fill = |x0: u32, y0: u32, w: u32, h: u32, rgb: [u8; 3]| {
        for y in y0..(y0 + h).min(height) {
            for x in x0..(x0 + w).min(width) {
                let i = ((y * width + x) * 3) as usize;
                pixels[i..i + 3].copy_from_slice(&rgb);
            }
        }
    };
    let mark = mark_height(cell);
    let mut separator_done = false;
    for &Placement { row: ri, panel: pi, x: x0, y: y0 } in &placed {
        let row = &rows[ri];
        if row.starts_tests && !separator_done {
            fill(cell / 2, y0 - cell / 2 - 1, width - cell, 2, SEPARATOR);
            separator_done = true;
        }
        let panel = &row.panels[pi];
        let g = &panel.grid;
        let (w, h) = (g.cols() as u32 * cell + 1, g.rows() as u32 * cell + 1);
        fill(x0, y0, w, h, GRID_LINE);
        for r in 0..g.rows() {
            for (c, &color) in g.row(r).iter().enumerate() {
                fill(x0 + c as u32 * cell + 1, y0 + r as u32 * cell + 1, cell - 1, cell - 1, ARC_PALETTE[color as usize]);
            }
        }
        match panel.correct {
            Some(true) => fill(x0, y0 + h + 1, w, mark, RIGHT),
            Some(false) => fill(x0, y0 + h + 1, w, mark, WRONG),
            None => {}
        }
    }
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, width, height);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder.set_compression(png::Compression::Best);
        let mut writer = encoder.write_header().context("cannot encode the PNG")?;
        writer.write_image_data(&pixels).context("cannot encode the PNG")?;
    }
    Ok(bytes)
}
