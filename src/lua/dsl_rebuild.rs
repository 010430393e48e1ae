//! The `batt.dsl` functions that rebuild what batt learned or found, for a solver file
//! written by `batt show ID --results RUN --export lua` (or by hand): a per-cell rule from
//! its written-out cases (`cell_rule`, the same rule object `learn_cell_rules` returns, made
//! here for both), the colour ranking the colour-ranked rules read grids through
//! (`colour_ranks`), an overlay's layers laid (`lay`), and an input seen through a search
//! variant of its task (`variant_input`).

use mlua::{Lua, Table, Value};

use super::values::{to_grid, LuaGrid};
use crate::data::task::{Pair, Task, TestCase};
use crate::dsl::cellrule::{self, Action, CellRule, FEATURE_NAMES};
use crate::engine::augment::{Variant, VariantKind};
use crate::engine::compose::LayerMode;
use crate::grid::Grid;

fn error(message: impl Into<String>) -> mlua::Error {
    mlua::Error::runtime(message.into())
}

/// A rule as Lua sees it: {name = describe(), cases =, apply = function(grid) -> grid or nil}.
pub fn rule_entry(lua: &Lua, rule: CellRule) -> mlua::Result<Table> {
    let entry = lua.create_table()?;
    entry.set("name", rule.describe())?;
    entry.set("cases", rule.cases)?;
    let rule = std::rc::Rc::new(rule);
    entry.set("apply", lua.create_function(move |_, g: Value| Ok(rule.apply(&to_grid(&g)?).map(LuaGrid)))?)?;
    Ok(entry)
}

fn feature(name: &str) -> mlua::Result<usize> {
    cellrule::feature_index(name).ok_or_else(|| error(format!("cell_rule: unknown feature {name:?} (known: {})", FEATURE_NAMES.join(", "))))
}

/// `{features = {...}, cases = {{when = {...}, colour = c} or {when = {...}, copy = "feature"}, ...}, keep_unseen =}`.
fn rule_of_spec(spec: &Table) -> mlua::Result<CellRule> {
    let names: Table = spec.get::<Option<Table>>("features")?.ok_or_else(|| error("cell_rule: `features` must be a list of feature names"))?;
    let features = names.sequence_values::<String>().map(|n| feature(&n?)).collect::<mlua::Result<Vec<usize>>>()?;
    let list: Table = spec.get::<Option<Table>>("cases")?.ok_or_else(|| error("cell_rule: `cases` must be a list of {when = {...}, colour = c} or {when = {...}, copy = \"feature\"}"))?;
    let mut cases = Vec::new();
    for (n, case) in list.sequence_values::<Table>().enumerate() {
        let case = case.map_err(|_| error(format!("cell_rule: case {} is not a table", n + 1)))?;
        let when: Table = case.get::<Option<Table>>("when")?.ok_or_else(|| error(format!("cell_rule: case {} has no `when` list of feature values", n + 1)))?;
        let mut values = Vec::new();
        for v in when.sequence_values::<Value>() {
            values.push(match v? {
                Value::Integer(i) if (0..16).contains(&i) => i as u8,
                Value::String(s) if s.to_str()? == "none" => cellrule::NONE,
                other => return Err(error(format!("cell_rule: case {}: a feature value is 0-15 or \"none\", got {}", n + 1, super::values::describe(&other)))),
            });
        }
        let action = match (case.get::<Option<i64>>("colour")?, case.get::<Option<String>>("copy")?) {
            (Some(c), None) if (0..10).contains(&c) => Action::Constant(c as u8),
            (None, Some(name)) => Action::Copy(feature(&name)?),
            _ => return Err(error(format!("cell_rule: case {} needs one of `colour = 0-9` or `copy = \"feature\"`", n + 1))),
        };
        cases.push((values, action));
    }
    let keep_unseen = spec.get::<Option<bool>>("keep_unseen")?.unwrap_or(false);
    CellRule::from_cases(features, &cases, keep_unseen).map_err(|e| error(format!("cell_rule: {e}")))
}

/// Ten digits, the n-th for colour n (a `permute` table).
fn digits(map: &[u8; 10]) -> String {
    map.iter().map(|d| char::from(b'0' + d)).collect()
}

/// `{{grid, "foreground"|"background"|"whole"}, ...}` laid, first laid wins a cell; the
/// cells no layer paints are 0, or with `fill` filled from the laid grid's 3x3 patches. None
/// when the layers differ in shape or the filling fails.
fn lay(layers: &Table, fill: bool) -> mlua::Result<Option<Grid>> {
    let mut laid: Vec<(Grid, LayerMode)> = Vec::new();
    for (n, layer) in layers.sequence_values::<Table>().enumerate() {
        let layer = layer.map_err(|_| error(format!("lay: layer {} is not a {{grid, mode}} table", n + 1)))?;
        let mode: String = layer.get(2)?;
        let mode = LayerMode::ALL.into_iter().find(|m| m.name() == mode).ok_or_else(|| error(format!("lay: layer {}: unknown mode {mode:?} (foreground, background, whole)", n + 1)))?;
        laid.push((to_grid(&layer.get(1)?)?, mode));
    }
    let Some((first, _)) = laid.first() else { return Err(error("lay: no layers")) };
    if laid.iter().any(|(g, _)| !g.same_shape(first)) {
        return Ok(None);
    }
    let mut cells: Vec<Option<u8>> = vec![None; first.cells().len()];
    for (grid, mode) in &laid {
        for (cell, &v) in cells.iter_mut().zip(grid.cells()) {
            let paints = match mode {
                LayerMode::Foreground => v != 0,
                LayerMode::Background => v == 0,
                LayerMode::Whole => true,
            };
            if cell.is_none() && paints {
                *cell = Some(v);
            }
        }
    }
    let uncovered: Vec<bool> = cells.iter().map(Option::is_none).collect();
    let grid = Grid::from_cells(first.rows(), first.cols(), cells.into_iter().map(|c| c.unwrap_or(0)).collect()).map_err(|e| error(e.to_string()))?;
    Ok(if fill && uncovered.contains(&true) { crate::dsl::completion::complete_hidden_from_patches(&grid, &uncovered) } else { Some(grid) })
}

/// The variant `kind` of `task` (its train pairs) with `input` as its one test input, so
/// `restore(0, …)` maps an answer for `input` back. A probe input follows it, one the
/// variant changes, so the variant is never the task itself (which `Variant::of` refuses);
/// a variant's renaming reads the train pairs and the grid renamed alone, so the probe
/// changes nothing of `input`'s. None when no probe is changed (the variant renames nothing).
fn variant_for(task: &Table, kind: VariantKind, input: &Grid) -> mlua::Result<Option<Variant>> {
    let mut train = Vec::new();
    for pair in task.get::<Table>("train")?.sequence_values::<Table>() {
        let pair = pair?;
        train.push(Pair { input: to_grid(&pair.get("input")?)?, output: to_grid(&pair.get("output")?)? });
    }
    let id: String = task.get::<Option<String>>("id")?.unwrap_or_default();
    let probes = std::iter::once(Grid::from_cells(1, 2, vec![0, 1])).chain((0..10).map(|c| Grid::from_cells(1, 1, vec![c])));
    for probe in probes {
        let probe = probe.map_err(|e| error(e.to_string()))?;
        let test = vec![TestCase { input: input.clone(), output: None }, TestCase { input: probe, output: None }];
        if let Some(v) = Variant::of(&Task { id: id.clone(), split: None, train: train.clone(), test }, kind) {
            return Ok(Some(v));
        }
    }
    Ok(None)
}

pub fn register(lua: &Lua, t: &Table) -> mlua::Result<()> {
    // cell_rule{features =, cases =, keep_unseen =} -> the rule object learn_cell_rules gives
    t.set("cell_rule", lua.create_function(|lua, spec: Table| rule_entry(lua, rule_of_spec(&spec)?))?)?;
    // colour_ranks(grid) -> forward, back: 10-digit permute tables
    t.set(
        "colour_ranks",
        lua.create_function(|_, g: Value| {
            let (forward, back) = crate::dsl::colour_ranks(&to_grid(&g)?);
            Ok((digits(&forward), digits(&back)))
        })?,
    )?;
    // lay(layers, fill) -> grid or nil
    t.set("lay", lua.create_function(|_, (layers, fill): (Table, Option<bool>)| Ok(lay(&layers, fill.unwrap_or(false))?.map(LuaGrid)))?)?;
    // variant_input(task, kind, input) -> the input as the variant sees it, restore(answer)
    t.set(
        "variant_input",
        lua.create_function(|lua, (task, kind, input): (Table, String, Value)| {
            let kind = VariantKind::parse(&kind).ok_or_else(|| {
                let known: Vec<&str> = VariantKind::ALL.iter().map(|k| k.name()).collect();
                error(format!("variant_input: unknown variant {kind:?} (known: {})", known.join(", ")))
            })?;
            let input = to_grid(&input)?;
            let variant = variant_for(&task, kind, &input)?;
            let seen = variant.as_ref().map_or_else(|| input.clone(), |v| v.task.test[0].input.clone());
            let restore = lua.create_function(move |_, answer: Value| {
                let answer = to_grid(&answer)?;
                Ok(LuaGrid(variant.as_ref().map_or_else(|| answer.clone(), |v| v.restore(0, &answer))))
            })?;
            Ok((LuaGrid(seen), restore))
        })?,
    )?;
    Ok(())
}
