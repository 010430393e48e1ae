//! `batt show ID --results RUN --export lua`: the candidate behind attempt 1 of the task's
//! first test input, written as a runnable solver, scripts/solvers/<id>.lua, whatever its
//! kind (`sources::Source`): a search program as its text, an overlay as its layers'
//! programs and modes, either one found on a variant of the task through that variant, a
//! per-cell rule with its case table written out, an outer product as its two factors,
//! another library candidate re-derived by its name at run time; a hand-written solver is
//! refused (its file is already the program).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::data::task::Task;
use crate::dsl::cellrule::{Action, CellRule, FEATURE_NAMES};
use crate::engine::augment::VariantKind;
use crate::grid::Grid;
use crate::outputs::sources::{value_text, Factor, NamedRule, Product, Searched, Shaping, Source};
use crate::run::record::TaskRecord;

/// A Lua string literal of `s`.
fn lua_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

fn lua_grid(g: &Grid) -> String {
    let rows: Vec<String> = g.to_rows().iter().map(|r| format!("{{{}}}", r.iter().map(u8::to_string).collect::<Vec<_>>().join(", "))).collect();
    format!("batt.grid{{{}}}", rows.join(", "))
}

/// Comment lines, each starting `-- `.
fn comment(text: &str) -> String {
    let mut out = String::new();
    let mut line = String::from("--");
    for word in text.split_whitespace() {
        if line.len() + 1 + word.len() > 92 && line != "--" {
            out.push_str(&line);
            out.push('\n');
            line = String::from("--");
        }
        line.push(' ');
        line.push_str(word);
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// The output-size lookup a program step may need: a train input's output size, or for a
/// test input the size of the run's attempt 1.
fn output_size_code(task: &Task, record: &TaskRecord) -> String {
    let mut sizes = String::new();
    for (i, case) in task.test.iter().enumerate() {
        if let Some(attempt) = record.predictions.get(i).and_then(|p| p.attempts.first()) {
            let _ = writeln!(sizes, "  {{ input = {}, size = {{ {}, {} }} }},", lua_grid(&case.input), attempt.rows(), attempt.cols());
        }
    }
    format!(
        "{}local test_sizes = {{\n{sizes}}}\n\
         local function output_size(input, task)\n\
         \x20 for _, pair in ipairs(task.train) do\n\
         \x20   if pair.input == input then return {{ pair.output.rows, pair.output.cols }} end\n\
         \x20 end\n\
         \x20 for _, known in ipairs(test_sizes) do\n\
         \x20   if known.input == input then return known.size end\n\
         \x20 end\n\
         end\n\n",
        comment("The output size a step may need (to_output_size, place, repeat_around): a train input's output's, or for a test input the size of that run's attempt."),
    )
}

/// `local function solve(input, size)`: a search program or an overlay on one grid.
fn searched_code(searched: &Searched) -> String {
    match searched {
        Searched::Program(program) => format!(
            "local program = batt.program({})\n\
             local function solve(input, size)\n\
             \x20 return program:apply(input, size)\n\
             end\n",
            lua_string(&program.to_string())
        ),
        Searched::Overlay { layers, filled } => {
            let mut list = String::new();
            for (program, mode) in layers {
                let _ = writeln!(list, "  {{ batt.program({}), {} }},", lua_string(&program.to_string()), lua_string(mode.name()));
            }
            format!(
                "{}local layers = {{\n{list}}}\n\
                 {}local fill = {filled}\n\
                 local function solve(input, size)\n\
                 \x20 local laid = {{}}\n\
                 \x20 for i, layer in ipairs(layers) do\n\
                 \x20   local out = layer[1]:apply(input, size)\n\
                 \x20   if not out then return nil end\n\
                 \x20   laid[i] = {{ out, layer[2] }}\n\
                 \x20 end\n\
                 \x20 return batt.dsl.lay(laid, fill)\n\
                 end\n",
                comment("The overlay's layers in the order laid (the first laid wins a cell): a program, and the cells of its output it paints (foreground: non-zero, background: zero, whole: all)."),
                comment("Whether the cells no layer paints are filled from the laid grid's own 3x3 patches (`the rest from 3x3 patches`); else they are 0."),
            )
        }
    }
}

/// The solver of a search result, on the task or on a variant of it.
fn searched_solver(task: &Task, record: &TaskRecord, variant: Option<VariantKind>, searched: &Searched) -> (String, String) {
    let what = match searched {
        Searched::Program(_) => "The search program, run on the CPU kernels.",
        Searched::Overlay { .. } => "The overlay of search programs: each layer's program run on the CPU kernels, the layers laid by batt.dsl.lay.",
    };
    let mut body = output_size_code(task, record);
    body.push_str(&searched_code(searched));
    body.push('\n');
    match variant {
        None => body.push_str("return function(input, task)\n  return solve(input, output_size(input, task))\nend\n"),
        Some(kind) => {
            let swap = if kind == VariantKind::Transposed { "  if size then size = { size[2], size[1] } end\n" } else { "" };
            let _ = write!(
                body,
                "return function(input, task)\n\
                 \x20 local seen, restore = batt.dsl.variant_input(task, {}, input)\n\
                 \x20 local size = output_size(input, task)\n\
                 {swap}\
                 \x20 local out = solve(seen, size)\n\
                 \x20 return out and restore(out)\n\
                 end\n",
                lua_string(kind.name())
            );
        }
    }
    let about = match variant {
        None => what.to_string(),
        Some(kind) => {
            let how = match kind {
                VariantKind::Normalised => "each pair's colours renamed: those with one meaning across the task keep their place, the others ranked by the cells they cover in the input",
                VariantKind::Shaped => "each pair's colours renamed: those with one meaning across the task keep their place, the others ordered by the shape features that tell them apart",
                VariantKind::Transposed => "every grid transposed",
            };
            format!(
                "{what} It was found on the task's {} variant ({how}), so each input is seen as that variant sees it (batt.dsl.variant_input, the search's own renaming) and the answer mapped back.",
                kind.name()
            )
        }
    };
    (about, body)
}

/// The `batt.dsl.cell_rule{...}` that rebuilds `rule`, its cases written out.
fn rule_code(rule: &CellRule) -> String {
    let names: Vec<String> = rule.features.iter().map(|&k| lua_string(FEATURE_NAMES[k])).collect();
    let mut cases = String::new();
    for (values, action) in rule.case_list() {
        let when: Vec<String> = rule.features.iter().zip(&values).map(|(&k, &v)| match value_text(k, v).as_str() {
            "none" => "\"none\"".to_string(),
            text => text.to_string(),
        }).collect();
        let then = match action {
            Action::Constant(c) => format!("colour = {c}"),
            Action::Copy(k) => format!("copy = {}", lua_string(FEATURE_NAMES[k])),
        };
        let _ = writeln!(cases, "    {{ when = {{ {} }}, {then} }},", when.join(", "));
    }
    format!(
        "{}local rule = batt.dsl.cell_rule{{\n\
         \x20 features = {{ {} }},\n\
         \x20 keep_unseen = {},\n\
         \x20 cases = {{\n{cases}  }},\n\
         }}\n\n",
        comment(&format!(
            "The rule's cases: when a cell's features ({}) have these values (\"none\": outside the grid, or nothing along the ray), its output is this colour, or a copy of this feature's colour.{}",
            rule.features.iter().map(|&k| FEATURE_NAMES[k]).collect::<Vec<_>>().join(", "),
            if rule.keep_unseen { " A cell of a case not listed keeps its colour." } else { " A cell of a case not listed gives no answer." }
        )),
        names.join(", "),
        rule.keep_unseen,
    )
}

fn cell_rule_solver(task: &Task, named: &NamedRule) -> Result<(String, String)> {
    let rule = named.relearn(task).map_err(|why| anyhow::anyhow!("cannot write the cell rule `{}` out: {why}", named.described))?;
    // the rule as written must give what the learner's did on every train input
    for pair in &task.train {
        let rebuilt = CellRule::from_cases(rule.features.clone(), &rule.case_list(), rule.keep_unseen).map_err(anyhow::Error::msg)?;
        if named.apply(&rebuilt, &pair.input) != named.apply(&rule, &pair.input) {
            bail!("the cell rule `{}` written out does not give what it learned", named.described);
        }
    }
    let (about, solve) = match named.shaping {
        Shaping::AsIs => ("The per-cell rule, re-learned from the task's train pairs as lib/learners/cell_rules.lua learned it, with its table written out.".to_string(), "return function(input)\n  return rule.apply(input)\nend\n".to_string()),
        Shaping::Tile(a, b) | Shaping::Upscale(a, b) => {
            let op = if matches!(named.shaping, Shaping::Tile(..)) { "tile" } else { "upscale" };
            (
                format!("The per-cell rule, re-learned from the task's train pairs as lib/learners/cell_rules.lua learned it (on each input brought to its output's shape by {op}({a},{b})), with its table written out."),
                format!("return function(input)\n  local ok, made = pcall(batt.dsl.{op}, input, {a}, {b})\n  return ok and made and rule.apply(made) or nil\nend\n"),
            )
        }
        Shaping::Ranked => (
            "The per-cell rule, re-learned from the task's train pairs as lib/learners/cell_rules.lua learned it (on grids whose colours are renamed by how common they are in the input: batt.dsl.colour_ranks, 0 the commonest), with its table written out: its colours are ranks, and the answer's are renamed back.".to_string(),
            "return function(input)\n  local forward, back = batt.dsl.colour_ranks(input)\n  local out = rule.apply(batt.dsl.permute(input, forward))\n  return out and batt.dsl.permute(out, back)\nend\n".to_string(),
        ),
    };
    Ok((about, format!("{}{solve}", rule_code(&rule))))
}

fn product_solver(product: &Product) -> (String, String) {
    let size = match product.block_size {
        None => "task.train[1].input.rows, task.train[1].input.cols".to_string(),
        Some((h, w)) => format!("{h}, {w}"),
    };
    let factor = |name: &str, f: &Factor| match f {
        Factor::Program(p) => format!("local {name}_program = batt.program({})\nlocal function {name}(input) return {name}_program:apply(input) end\n", lua_string(&p.to_string())),
        Factor::Constant(text) => format!(
            "-- {text}: the same {name} in every train pair, factored from train output 1\n\
             local function {name}(_, task)\n\
             \x20 local layout, block = products.factor(task.train[1].output, {size}, {kind})\n\
             \x20 return {name}\n\
             end\n",
            kind = lua_string(&product.kind)
        ),
    };
    let body = format!(
        "local products = require(\"products\")\n{}{}\n\
         return function(input, task)\n\
         \x20 local a, b = layout(input, task), block(input, task)\n\
         \x20 return a and b and products.rebuild(a, b, {}) or nil\n\
         end\n",
        factor("layout", &product.layout),
        factor("block", &product.block),
        lua_string(&product.kind)
    );
    ("The outer product: its layout and block made by their programs, the output rebuilt from them by lib/products.lua's products.rebuild.".to_string(), body)
}

fn library_solver(task: &Task, name: &str) -> (String, String) {
    if name == "constant output" {
        return ("The train pairs' one output, written out.".to_string(), format!("local output = {}\nreturn function()\n  return output\nend\n", lua_grid(&task.train[0].output)));
    }
    let about = "This candidate is not written out here: at run time it is re-derived by its exact name from the same library, lib/candidates.lua's candidates.named, which learns it from the task's train pairs (deterministic: the same task gives the same candidate; an error names the task if the library learns none of that name).";
    let body = format!(
        "local candidates = require(\"candidates\")\n\
         local name = {}\n\
         local learned = {{}}\n\n\
         return function(input, task)\n\
         \x20 learned[task.id] = learned[task.id] or candidates.named(task, name)\n\
         \x20 return learned[task.id](input, task)\n\
         end\n",
        lua_string(name)
    );
    (about.to_string(), body)
}

/// Writes scripts/solvers/<id>.lua: the candidate behind attempt 1 of the task's first test
/// input in `record` (of the run in `run`, whose script was `script`), as a solver. A file
/// already there is kept unless `force`.
pub fn export_lua(task: &Task, record: &TaskRecord, run: &Path, script: &str, force: bool) -> Result<PathBuf> {
    let prediction = record.predictions.first().with_context(|| format!("task {} has no prediction in {}", task.id, run.display()))?;
    let source = prediction.sources.first().with_context(|| format!("attempt 1 of task {} in {} names no candidate (the script gave none)", task.id, run.display()))?;
    let (about, body) = match Source::parse(source) {
        Source::Solver(id) => {
            let file = Path::new(script).parent().unwrap_or(Path::new("")).join("solvers").join(format!("{id}.lua"));
            bail!(
                "attempt 1 of task {} came from `{source}`, the hand-written solver {}: it is a solver file already, so --export lua has nothing to write (copy that file instead)",
                task.id,
                file.display()
            );
        }
        Source::Searched(searched) => searched_solver(task, record, None, &searched),
        Source::Variant(kind, searched) => searched_solver(task, record, Some(kind), &searched),
        Source::CellRule(named) => cell_rule_solver(task, &named)?,
        Source::Product(product) => product_solver(&product),
        Source::Library(name) => library_solver(task, &name),
    };
    let path = Path::new("scripts").join("solvers").join(format!("{}.lua", task.id));
    if path.exists() && !force {
        bail!("{} is already there (a hand-written solver?): move it away, or pass --force to replace it", path.display());
    }
    let header = comment(&format!(
        "scripts/solvers/{id}.lua: exported by `batt show {id} --results {run} --export lua` from attempt 1 of test input 1 in that run, made by `{source}`.",
        id = task.id,
        run = run.display()
    ));
    let text = format!("{header}{}{}\n{body}", comment(&about), comment("scripts/main.lua runs it as this task's hand-written solver: function(input, task) -> grid or nil."));
    crate::outputs::files::write_atomic(&path, text.as_bytes())?;
    Ok(path)
}
