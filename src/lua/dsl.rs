//! `batt.dsl`: the Rust grid DSL as Lua functions. Each takes grids (userdata or tables of
//! rows), objects and 1-based positions, and returns new grids, objects or numbers; a
//! failure (a crop outside the grid, a result over 30×30) is a Lua error that says why.
//! The same table backs grid methods, so `g:upscale(2)` is `batt.dsl.upscale(g, 2)`.

use mlua::{Lua, Table, Value};

use super::values::{check_color, to_cells, to_grid, to_object, LuaGrid, LuaObject};
use crate::dsl::{self, Direction, DslResult, ObjectOptions, Symmetry};
use crate::grid::Grid;

fn lua_err(e: impl std::fmt::Display) -> mlua::Error {
    mlua::Error::runtime(e.to_string())
}

fn grid_result(r: DslResult<Grid>) -> mlua::Result<LuaGrid> {
    r.map(LuaGrid).map_err(lua_err)
}

fn positive(name: &str, v: i64) -> mlua::Result<usize> {
    if v >= 1 {
        Ok(v as usize)
    } else {
        Err(mlua::Error::runtime(format!("{name} must be at least 1, got {v}")))
    }
}

/// Registers a function `name(grid) -> grid` built from a total grid function.
fn unary(lua: &Lua, t: &Table, names: &[&str], f: fn(&Grid) -> Grid) -> mlua::Result<()> {
    let func = lua.create_function(move |_, g: Value| Ok(LuaGrid(f(&to_grid(&g)?))))?;
    for name in names {
        t.set(*name, func.clone())?;
    }
    Ok(())
}

/// Registers a function `name(grid) -> grid` built from a grid function that can fail.
fn unary_fallible(lua: &Lua, t: &Table, name: &str, f: fn(&Grid) -> DslResult<Grid>) -> mlua::Result<()> {
    t.set(name, lua.create_function(move |_, g: Value| grid_result(f(&to_grid(&g)?)))?)
}

pub fn create_dsl_table(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;

    // The 8 symmetries, with ARC-DSL's names as aliases.
    unary(lua, &t, &["identity"], |g| g.clone())?;
    unary(lua, &t, &["rot90"], dsl::rot90)?;
    unary(lua, &t, &["rot180"], dsl::rot180)?;
    unary(lua, &t, &["rot270"], dsl::rot270)?;
    unary(lua, &t, &["flip_updown", "hmirror"], dsl::flip_updown)?;
    unary(lua, &t, &["flip_leftright", "vmirror"], dsl::flip_leftright)?;
    unary(lua, &t, &["transpose", "dmirror"], dsl::transpose)?;
    unary(lua, &t, &["antitranspose", "cmirror"], dsl::antitranspose)?;
    t.set(
        "symmetries",
        lua.create_function(|lua, ()| {
            lua.create_sequence_from(Symmetry::ALL.iter().map(|s| symmetry_name(*s)))
        })?,
    )?;
    t.set(
        "symmetry",
        lua.create_function(|_, (g, name): (Value, String)| {
            let s = Symmetry::ALL
                .into_iter()
                .find(|s| symmetry_name(*s) == name)
                .ok_or_else(|| mlua::Error::runtime(format!("unknown symmetry {name:?}")))?;
            Ok(LuaGrid(s.apply(&to_grid(&g)?)))
        })?,
    )?;

    // Shape.
    t.set(
        "crop",
        lua.create_function(|_, (g, row, col, h, w): (Value, i64, i64, i64, i64)| {
            let g = to_grid(&g)?;
            if row < 1 || col < 1 {
                return Err(mlua::Error::runtime(format!("crop starts at row {row}, column {col}; they count from 1")));
            }
            grid_result(dsl::crop(&g, row as usize - 1, col as usize - 1, positive("height", h)?, positive("width", w)?))
        })?,
    )?;
    t.set(
        "subgrid",
        lua.create_function(|_, (g, obj): (Value, Value)| grid_result(dsl::subgrid(&to_grid(&g)?, &to_object(&obj)?)))?,
    )?;
    unary_fallible(lua, &t, "crop_to_content", dsl::crop_to_content)?;
    unary_fallible(lua, &t, "tophalf", dsl::tophalf)?;
    unary_fallible(lua, &t, "bottomhalf", dsl::bottomhalf)?;
    unary_fallible(lua, &t, "lefthalf", dsl::lefthalf)?;
    unary_fallible(lua, &t, "righthalf", dsl::righthalf)?;
    unary_fallible(lua, &t, "trim", dsl::trim)?;
    unary_fallible(lua, &t, "compress", dsl::compress)?;
    t.set(
        "hconcat",
        lua.create_function(|_, (a, b): (Value, Value)| grid_result(dsl::hconcat(&to_grid(&a)?, &to_grid(&b)?)))?,
    )?;
    t.set(
        "vconcat",
        lua.create_function(|_, (a, b): (Value, Value)| grid_result(dsl::vconcat(&to_grid(&a)?, &to_grid(&b)?)))?,
    )?;
    t.set(
        "upscale",
        lua.create_function(|_, (g, k, kc): (Value, i64, Option<i64>)| {
            let rows = positive("factor", k)?;
            let cols = positive("factor", kc.unwrap_or(k))?;
            grid_result(dsl::upscale(&to_grid(&g)?, rows, cols))
        })?,
    )?;
    t.set(
        "downscale",
        lua.create_function(|_, (g, k): (Value, i64)| grid_result(dsl::downscale(&to_grid(&g)?, positive("factor", k)?)))?,
    )?;
    t.set(
        "tile",
        lua.create_function(|_, (g, down, across): (Value, i64, Option<i64>)| {
            let down = positive("tile count", down)?;
            let across = match across {
                Some(a) => positive("tile count", a)?,
                None => down,
            };
            grid_result(dsl::tile(&to_grid(&g)?, down, across))
        })?,
    )?;

    // Colour.
    t.set(
        "replace",
        lua.create_function(|_, (g, a, b): (Value, i64, i64)| {
            grid_result(dsl::replace(&to_grid(&g)?, check_color(a)?, check_color(b)?))
        })?,
    )?;
    t.set(
        "switch",
        lua.create_function(|_, (g, a, b): (Value, i64, i64)| {
            grid_result(dsl::switch(&to_grid(&g)?, check_color(a)?, check_color(b)?))
        })?,
    )?;
    t.set(
        "canvas",
        lua.create_function(|_, (color, rows, cols): (i64, i64, i64)| {
            grid_result(dsl::canvas(check_color(color)?, positive("rows", rows)?, positive("cols", cols)?))
        })?,
    )?;
    t.set(
        "fill",
        lua.create_function(|_, (g, color, cells): (Value, i64, Value)| {
            grid_result(dsl::fill(&to_grid(&g)?, check_color(color)?, &to_cells(&cells)?))
        })?,
    )?;
    t.set(
        "underfill",
        lua.create_function(|_, (g, color, cells): (Value, i64, Value)| {
            grid_result(dsl::underfill(&to_grid(&g)?, check_color(color)?, &to_cells(&cells)?))
        })?,
    )?;
    t.set(
        "paint",
        lua.create_function(|_, (g, obj): (Value, Value)| Ok(LuaGrid(dsl::paint(&to_grid(&g)?, &to_object(&obj)?))))?,
    )?;
    t.set("palette", lua.create_function(|_, g: Value| Ok(dsl::palette(&to_grid(&g)?)))?)?;
    t.set("mostcolor", lua.create_function(|_, g: Value| Ok(dsl::mostcolor(&to_grid(&g)?)))?)?;
    t.set("leastcolor", lua.create_function(|_, g: Value| Ok(dsl::leastcolor(&to_grid(&g)?)))?)?;
    t.set(
        "colorcount",
        lua.create_function(|_, (g, c): (Value, i64)| Ok(dsl::colorcount(&to_grid(&g)?, check_color(c)?)))?,
    )?;

    // Objects.
    t.set(
        "objects",
        lua.create_function(|lua, (g, opts): (Value, Option<Table>)| {
            let mut o = ObjectOptions::default();
            if let Some(opts) = opts {
                for pair in opts.pairs::<String, bool>() {
                    let (key, value) = pair?;
                    match key.as_str() {
                        "univalued" => o.univalued = value,
                        "diagonal" => o.diagonal = value,
                        "without_bg" => o.without_bg = value,
                        other => {
                            return Err(mlua::Error::runtime(format!(
                                "unknown objects() option {other:?} (options: univalued, diagonal, without_bg)"
                            )))
                        }
                    }
                }
            }
            lua.create_sequence_from(dsl::objects(&to_grid(&g)?, o).into_iter().map(LuaObject))
        })?,
    )?;
    t.set(
        "frontiers",
        lua.create_function(|lua, g: Value| lua.create_sequence_from(dsl::frontiers(&to_grid(&g)?).into_iter().map(LuaObject)))?,
    )?;
    t.set("foreground", lua.create_function(|_, g: Value| Ok(LuaObject(dsl::foreground(&to_grid(&g)?))))?)?;
    t.set(
        "shift",
        lua.create_function(|lua, (target, dr, dc, fill): (Value, i64, i64, Option<i64>)| {
            if let Ok(obj) = to_object(&target) {
                return lua.create_userdata(LuaObject(obj.shift(dr, dc)));
            }
            let g = to_grid(&target)?;
            let fill = check_color(fill.unwrap_or(dsl::mostcolor(&g) as i64))?;
            lua.create_userdata(grid_result(dsl::shift_grid(&g, dr, dc, fill))?)
        })?,
    )?;
    t.set(
        "gravity",
        lua.create_function(|_, (g, dir): (Value, String)| {
            let d = Direction::parse(&dir)
                .ok_or_else(|| mlua::Error::runtime(format!("unknown direction {dir:?} (up, down, left, right)")))?;
            Ok(LuaGrid(dsl::gravity(&to_grid(&g)?, d)))
        })?,
    )?;
    t.set(
        "largest",
        lua.create_function(|_, objs: Table| pick_object(objs, |a, b| a > b))?,
    )?;
    // complete_symmetry(grid, noise) -> the grid with its `noise` cells filled from the
    // symmetries the other cells obey, or nil.
    t.set(
        "complete_symmetry",
        lua.create_function(|_, (g, noise): (Value, i64)| {
            Ok(dsl::completion::complete_symmetry(&to_grid(&g)?, check_color(noise)?).map(LuaGrid))
        })?,
    )?;
    // complete_from_patches(grid, noise) -> the grid with its `noise` cells filled from its
    // own fully visible 3x3 patches, or nil.
    t.set(
        "complete_from_patches",
        lua.create_function(|_, (g, noise): (Value, i64)| {
            Ok(dsl::completion::complete_from_patches(&to_grid(&g)?, check_color(noise)?).map(LuaGrid))
        })?,
    )?;
    // learn_cell_rules(pairs, tests, {max_features =, max_rules =, keep_unseen =}) ->
    // {{name =, apply = function(grid) -> grid or nil}, ...}, best first.
    t.set(
        "learn_cell_rules",
        lua.create_function(|lua, (pairs, tests, opts): (Table, Table, Option<Table>)| {
            let mut owned: Vec<(Grid, Grid)> = Vec::new();
            for pair in pairs.sequence_values::<Table>() {
                let pair = pair?;
                owned.push((to_grid(&pair.get::<Value>("input")?)?, to_grid(&pair.get::<Value>("output")?)?));
            }
            let tests: Vec<Grid> = tests.sequence_values::<Value>().map(|v| to_grid(&v?)).collect::<mlua::Result<_>>()?;
            let get = |key: &str, default: i64| -> mlua::Result<i64> {
                Ok(match &opts { Some(o) => o.get::<Option<i64>>(key)?.unwrap_or(default), None => default })
            };
            let options = dsl::cellrule::LearnOptions {
                max_features: get("max_features", 3)?.clamp(1, 3) as usize,
                max_rules: get("max_rules", 3)?.max(0) as usize,
                keep_unseen: match &opts { Some(o) => o.get::<Option<bool>>("keep_unseen")?.unwrap_or(false), None => false },
            };
            let pair_refs: Vec<(&Grid, &Grid)> = owned.iter().map(|(i, o)| (i, o)).collect();
            let test_refs: Vec<&Grid> = tests.iter().collect();
            let rules = dsl::cellrule::learn(&pair_refs, &test_refs, options);
            let list = lua.create_table()?;
            for rule in rules {
                list.push(super::dsl_rebuild::rule_entry(lua, rule)?)?;
            }
            Ok(list)
        })?,
    )?;
    t.set(
        "smallest",
        lua.create_function(|_, objs: Table| pick_object(objs, |a, b| a < b))?,
    )?;
    super::dsl_patches::register(lua, &t)?;
    super::dsl_rebuild::register(lua, &t)?;
    super::dsl_lists::register(lua, &t)?;
    engine_ops(lua, &t)?;
    Ok(t)
}

/// Every engine op the table above does not already have under its name, as
/// `batt.dsl.<op>(grid, params...)`: the parameters as written in program text (colours and
/// numbers as integers, choices by name, a colour table as its 10 digits), validated like
/// program text, and run through the op's CPU kernel, so a solver and the search share one
/// meaning. No output (a crop of nothing, a result over 30×30) is nil.
fn engine_ops(lua: &Lua, t: &Table) -> mlua::Result<()> {
    use crate::engine::ops::table::OPS;
    use crate::engine::program::Program;
    for spec in OPS {
        if !matches!(t.get::<Value>(spec.name)?, Value::Nil) {
            continue;
        }
        let (name, separator) = (spec.name, spec.separator);
        let func = lua.create_function(move |_, (g, args): (Value, mlua::Variadic<Value>)| {
            let grid = to_grid(&g)?;
            let mut parts = Vec::with_capacity(args.len());
            for a in args.iter() {
                parts.push(match a {
                    Value::Integer(i) => i.to_string(),
                    Value::Number(n) if n.fract() == 0.0 => format!("{n:.0}"),
                    Value::String(s) => s.to_str()?.to_string(),
                    other => return Err(mlua::Error::runtime(format!("{name}: a parameter must be a number or a name, got {}", other.type_name()))),
                });
            }
            let text = if parts.is_empty() { name.to_string() } else { format!("{name}({})", parts.join(separator)) };
            let program = Program::parse(&text).map_err(|e| mlua::Error::runtime(format!("{name}: {e}")))?;
            Ok(crate::engine::cpu_eval::run_program(&program, &grid).map(LuaGrid))
        })?;
        t.set(name, func)?;
    }
    Ok(())
}

/// The first object of the list whose size beats all others under `better`.
fn pick_object(list: Table, better: fn(usize, usize) -> bool) -> mlua::Result<Option<LuaObject>> {
    let mut best: Option<LuaObject> = None;
    for v in list.sequence_values::<Value>() {
        let obj = to_object(&v?)?;
        if best.as_ref().is_none_or(|b| better(obj.size(), b.0.size())) {
            best = Some(LuaObject(obj));
        }
    }
    Ok(best)
}

pub fn symmetry_name(s: Symmetry) -> &'static str {
    match s {
        Symmetry::Identity => "identity",
        Symmetry::Rot90 => "rot90",
        Symmetry::Rot180 => "rot180",
        Symmetry::Rot270 => "rot270",
        Symmetry::FlipUpDown => "flip_updown",
        Symmetry::FlipLeftRight => "flip_leftright",
        Symmetry::Transpose => "transpose",
        Symmetry::AntiTranspose => "antitranspose",
    }
}
