//! Grids and objects as Lua values. `Grid` userdata has `rows`/`cols` fields, 1-based
//! `get`/`set`, `==`, `tostring` (rows of digits), `totable`, `copy`, and every function of
//! `batt.dsl` as a method (`g:rot90()` is `batt.dsl.rot90(g)`). `Object` userdata wraps a
//! set of coloured cells found by `objects`. All row/column numbers seen from Lua are
//! 1-based; conversion to the DSL's 0-based coordinates happens here and in `dsl`.
//! `Program` userdata (`batt.program`) and the programs and backend names Lua passes in
//! are read here too.

use mlua::{AnyUserData, Lua, MetaMethod, Table, UserData, UserDataFields, UserDataMethods, Value};


use crate::dsl::{Object, BBox};
use crate::engine::program::{Program, Step};
use crate::engine::Backend;
use crate::grid::{Grid, MAX_SIDE, NUM_COLORS};

/// Registry key of the table grid userdata look methods up in (grid methods + `batt.dsl`).
pub const GRID_METHODS_KEY: &str = "batt.grid_methods";
/// Registry key of the table object userdata look methods up in.
pub const OBJECT_METHODS_KEY: &str = "batt.object_methods";

#[derive(Clone)]
pub struct LuaGrid(pub Grid);

#[derive(Clone)]
pub struct LuaObject(pub Object);

fn check_cell(g: &Grid, row: i64, col: i64) -> mlua::Result<(usize, usize)> {
    if row < 1 || col < 1 || row as usize > g.rows() || col as usize > g.cols() {
        return Err(mlua::Error::runtime(format!(
            "cell ({row}, {col}) is outside this {}x{} grid (rows and columns count from 1)",
            g.rows(),
            g.cols()
        )));
    }
    Ok((row as usize - 1, col as usize - 1))
}

pub fn check_color(value: i64) -> mlua::Result<u8> {
    if (0..NUM_COLORS as i64).contains(&value) {
        Ok(value as u8)
    } else {
        Err(mlua::Error::runtime(format!("colour {value} is not in 0..9")))
    }
}

impl UserData for LuaGrid {
    fn add_fields<F: UserDataFields<Self>>(fields: &mut F) {
        fields.add_field_method_get("rows", |_, this| Ok(this.0.rows()));
        fields.add_field_method_get("cols", |_, this| Ok(this.0.cols()));
        fields.add_field_method_get("height", |_, this| Ok(this.0.rows()));
        fields.add_field_method_get("width", |_, this| Ok(this.0.cols()));
    }

    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::Eq, |_, this, other: AnyUserData| {
            Ok(other.borrow::<LuaGrid>().map(|o| o.0 == this.0).unwrap_or(false))
        });
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| Ok(this.0.to_string()));
        // Everything else (get, set, the DSL...) is looked up in the methods table, whose
        // functions raise plain-string errors with the caller's file:line.
        methods.add_meta_method(MetaMethod::Index, |lua, _, key: Value| {
            let table: Table = lua.named_registry_value(GRID_METHODS_KEY)?;
            table.raw_get::<Value>(key)
        });
    }
}

fn grid_ref(ud: &AnyUserData) -> mlua::Result<mlua::UserDataRef<LuaGrid>> {
    ud.borrow::<LuaGrid>().map_err(|_| mlua::Error::runtime("expected a grid (call methods with ':', as g:get(1, 1))"))
}

/// The grid-only methods (`get`, `set`, `size`, `copy`, `totable`), added to the table that
/// grid userdata look methods up in.
pub fn add_grid_methods(lua: &Lua, t: &Table) -> mlua::Result<()> {
    t.set(
        "get",
        lua.create_function(|_, (ud, row, col): (AnyUserData, i64, i64)| {
            let g = grid_ref(&ud)?;
            let (r, c) = check_cell(&g.0, row, col)?;
            Ok(g.0.get(r, c))
        })?,
    )?;
    t.set(
        "set",
        lua.create_function(|_, (ud, row, col, color): (AnyUserData, i64, i64, i64)| {
            let mut g = ud.borrow_mut::<LuaGrid>().map_err(|_| mlua::Error::runtime("expected a grid (call as g:set(row, col, colour))"))?;
            let (r, c) = check_cell(&g.0, row, col)?;
            g.0.set(r, c, check_color(color)?);
            Ok(())
        })?,
    )?;
    t.set("size", lua.create_function(|_, ud: AnyUserData| {
        let g = grid_ref(&ud)?;
        Ok((g.0.rows(), g.0.cols()))
    })?)?;
    t.set("copy", lua.create_function(|_, ud: AnyUserData| Ok(LuaGrid(grid_ref(&ud)?.0.clone())))?)?;
    t.set("totable", lua.create_function(|lua, ud: AnyUserData| grid_to_table(lua, &grid_ref(&ud)?.0))?)?;
    Ok(())
}

impl UserData for LuaObject {
    fn add_fields<F: UserDataFields<Self>>(fields: &mut F) {
        fields.add_field_method_get("size", |_, this| Ok(this.0.size()));
        fields.add_field_method_get("color", |_, this| Ok(this.0.color()));
        fields.add_field_method_get("height", |_, this| Ok(this.0.bbox().map_or(0, |b| b.height())));
        fields.add_field_method_get("width", |_, this| Ok(this.0.bbox().map_or(0, |b| b.width())));
    }

    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::Index, |lua, _, key: Value| {
            let table: Table = lua.named_registry_value(OBJECT_METHODS_KEY)?;
            table.raw_get::<Value>(key)
        });
        methods.add_meta_method(MetaMethod::Eq, |_, this, other: AnyUserData| {
            Ok(other.borrow::<LuaObject>().map(|o| o.0 == this.0).unwrap_or(false))
        });
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| {
            Ok(match this.0.bbox() {
                Some(BBox { top, left, bottom, right }) => format!(
                    "Object({} cells, colour {}, rows {}..{}, cols {}..{})",
                    this.0.size(),
                    this.0.color().unwrap_or(0),
                    top + 1,
                    bottom + 1,
                    left + 1,
                    right + 1
                ),
                None => "Object(empty)".to_string(),
            })
        });
    }
}

fn object_ref(ud: &AnyUserData) -> mlua::Result<Object> {
    ud.borrow::<LuaObject>()
        .map(|o| o.0.clone())
        .map_err(|_| mlua::Error::runtime("expected an object (call methods with ':', as obj:bbox())"))
}

/// The table object userdata look their methods up in.
pub fn create_object_methods(lua: &Lua) -> mlua::Result<Table> {
    let t = lua.create_table()?;
    t.set(
        "bbox",
        lua.create_function(|_, ud: AnyUserData| {
            let o = object_ref(&ud)?;
            let b = o.bbox().ok_or_else(|| mlua::Error::runtime("empty object has no bounding box"))?;
            Ok((b.top + 1, b.left + 1, b.bottom + 1, b.right + 1))
        })?,
    )?;
    t.set(
        "cells",
        lua.create_function(|lua, ud: AnyUserData| {
            let o = object_ref(&ud)?;
            let t = lua.create_table_with_capacity(o.size(), 0)?;
            for cell in o.cells() {
                t.raw_push(lua.create_sequence_from([cell.row + 1, cell.col + 1, cell.color as i64])?)?;
            }
            Ok(t)
        })?,
    )?;
    t.set("palette", lua.create_function(|_, ud: AnyUserData| Ok(object_ref(&ud)?.palette()))?)?;
    t.set(
        "shift",
        lua.create_function(|_, (ud, dr, dc): (AnyUserData, i64, i64)| Ok(LuaObject(object_ref(&ud)?.shift(dr, dc))))?,
    )?;
    t.set("normalize", lua.create_function(|_, ud: AnyUserData| Ok(LuaObject(object_ref(&ud)?.normalize())))?)?;
    t.set(
        "grid",
        lua.create_function(|_, (ud, background): (AnyUserData, Option<i64>)| {
            let bg = check_color(background.unwrap_or(0))?;
            object_ref(&ud)?.to_grid(bg).map(LuaGrid).map_err(mlua::Error::runtime)
        })?,
    )?;
    Ok(t)
}

/// A 1-based Lua table of rows.
pub fn grid_to_table(lua: &Lua, g: &Grid) -> mlua::Result<Table> {
    let t = lua.create_table_with_capacity(g.rows(), 0)?;
    for r in 0..g.rows() {
        t.raw_push(lua.create_sequence_from(g.row(r).iter().copied())?)?;
    }
    Ok(t)
}

/// A grid from a `Grid` userdata or a table of rows (validated, with 1-based positions in
/// the message).
pub fn to_grid(value: &Value) -> mlua::Result<Grid> {
    match value {
        Value::UserData(ud) => {
            if let Ok(g) = ud.borrow::<LuaGrid>() {
                return Ok(g.0.clone());
            }
            Err(mlua::Error::runtime("expected a grid, got another kind of userdata"))
        }
        Value::Table(rows) => {
            let mut parsed: Vec<Vec<u8>> = Vec::new();
            for (r, row) in rows.sequence_values::<Value>().enumerate() {
                let Value::Table(row) = row? else {
                    return Err(mlua::Error::runtime(format!("grid row {} is not a table", r + 1)));
                };
                let mut cells = Vec::new();
                for (c, v) in row.sequence_values::<Value>().enumerate() {
                    let v = v?;
                    match integer(&v) {
                        Some(n) if (0..NUM_COLORS as i64).contains(&n) => cells.push(n as u8),
                        _ => {
                            return Err(mlua::Error::runtime(format!(
                                "grid cell (row {}, column {}) is {}; colours must be integers 0..9",
                                r + 1,
                                c + 1,
                                describe(&v)
                            )))
                        }
                    }
                }
                if cells.len() > MAX_SIDE {
                    return Err(mlua::Error::runtime(format!("grid row {} has {} cells, more than {MAX_SIDE}", r + 1, cells.len())));
                }
                parsed.push(cells);
            }
            Grid::from_rows(&parsed).map_err(|e| mlua::Error::runtime(format!("invalid grid: {e}")))
        }
        other => Err(mlua::Error::runtime(format!("expected a grid, got {}", describe(other)))),
    }
}

pub fn to_object(value: &Value) -> mlua::Result<Object> {
    if let Value::UserData(ud) = value {
        if let Ok(o) = ud.borrow::<LuaObject>() {
            return Ok(o.0.clone());
        }
    }
    Err(mlua::Error::runtime(format!("expected an object (from objects()), got {}", describe(value))))
}

/// Cells given as an Object or as a list of {row, col} pairs (1-based), 0-based out.
pub fn to_cells(value: &Value) -> mlua::Result<Vec<(i64, i64)>> {
    if let Ok(obj) = to_object(value) {
        return Ok(obj.cells().iter().map(|c| (c.row, c.col)).collect());
    }
    let Value::Table(list) = value else {
        return Err(mlua::Error::runtime(format!("expected an object or a list of {{row, col}}, got {}", describe(value))));
    };
    let mut out = Vec::new();
    for (i, item) in list.sequence_values::<Table>().enumerate() {
        let item = item.map_err(|_| mlua::Error::runtime(format!("cell {} is not a {{row, col}} table", i + 1)))?;
        let r: i64 = item.get(1)?;
        let c: i64 = item.get(2)?;
        out.push((r - 1, c - 1));
    }
    Ok(out)
}

/// An integer, also from a float with no fractional part (Lua 5.4 keeps `2.0` a float).
pub fn integer(v: &Value) -> Option<i64> {
    match v {
        Value::Integer(i) => Some(*i),
        Value::Number(n) if n.fract() == 0.0 && n.abs() < 1e15 => Some(*n as i64),
        _ => None,
    }
}

pub fn describe(v: &Value) -> String {
    match v {
        Value::Nil => "nil".into(),
        Value::Boolean(b) => b.to_string(),
        Value::Integer(i) => i.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("{:?}", s.to_string_lossy()),
        other => format!("a {}", other.type_name()),
    }
}

#[derive(Clone)]
pub struct LuaProgram(pub Program);

impl UserData for LuaProgram {
    fn add_fields<F: UserDataFields<Self>>(fields: &mut F) {
        fields.add_field_method_get("length", |_, this| Ok(this.0.steps().len()));
        fields.add_field_method_get("text", |_, this| Ok(this.0.to_string()));
    }
    fn add_methods<M: UserDataMethods<Self>>(methods: &mut M) {
        methods.add_meta_method(MetaMethod::ToString, |_, this, ()| Ok(this.0.to_string()));
        methods.add_meta_method(MetaMethod::Eq, |_, this, other: AnyUserData| {
            Ok(other.borrow::<LuaProgram>().map(|o| o.0 == this.0).unwrap_or(false))
        });
        // p:apply(grid [, {rows, cols}]): the program on one grid by the CPU kernels; the
        // size is the pair's output size that to_output_size, place and repeat_around need
        methods.add_method("apply", |_, this, (grid, size): (Value, Option<Table>)| {
            let grid = to_grid(&grid)?;
            let target = match size {
                None => (0, 0),
                Some(t) => {
                    let (rows, cols): (usize, usize) = (t.get(1)?, t.get(2)?);
                    if !(1..=30).contains(&rows) || !(1..=30).contains(&cols) {
                        return Err(mlua::Error::runtime(format!("program:apply: the output size must be 1-30 a side, got {rows}x{cols}")));
                    }
                    (rows, cols)
                }
            };
            Ok(crate::engine::cpu_eval::run_program_at(&this.0, &grid, target).map(LuaGrid))
        });
    }
}

/// A program from a Program userdata, its text (`"rot90 | tile(2x2)"`) or a table of steps
/// (`{"rot90", {"tile", 2, 2}}`).
pub fn to_program(value: &Value) -> mlua::Result<Program> {
    match value {
        Value::UserData(ud) => ud
            .borrow::<LuaProgram>()
            .map(|p| p.0.clone())
            .map_err(|_| mlua::Error::runtime("expected a program, got another kind of userdata")),
        Value::String(s) => Program::parse(&s.to_str()?).map_err(mlua::Error::runtime),
        Value::Table(t) => {
            let mut steps = Vec::new();
            for (i, item) in t.sequence_values::<Value>().enumerate() {
                let (name, args): (String, Vec<String>) = match item? {
                    Value::String(s) => (s.to_str()?.to_string(), Vec::new()),
                    Value::Table(step) => {
                        let mut parts: Vec<String> = Vec::new();
                        for p in step.sequence_values::<Value>() {
                            parts.push(p?.to_string()?);
                        }
                        if parts.is_empty() {
                            return Err(mlua::Error::runtime(format!("program step {} is empty", i + 1)));
                        }
                        let name = parts.remove(0);
                        (name, parts)
                    }
                    other => return Err(mlua::Error::runtime(format!("program step {} is {}", i + 1, describe(&other)))),
                };
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                steps.push(Step::parse(&name, &args).map_err(mlua::Error::runtime)?);
            }
            Program::new(steps).map_err(mlua::Error::runtime)
        }
        other => Err(mlua::Error::runtime(format!("expected a program (text, table of steps or batt.program), got {}", describe(other)))),
    }
}

/// A backend named in Lua (`"auto"` or none: the engine's choice).
pub fn parse_backend(name: Option<String>) -> mlua::Result<Option<Backend>> {
    match name {
        None => Ok(None),
        Some(n) if n == "auto" => Ok(None),
        Some(n) => Backend::parse(&n)
            .map(Some)
            .ok_or_else(|| mlua::Error::runtime(format!("unknown backend {n:?} (auto, gpu, cpu)"))),
    }
}
