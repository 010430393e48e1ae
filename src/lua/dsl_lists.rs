//! `batt.dsl` functions on lists of positioned grids, with the meaning the engine's list ops
//! have (the op table's lists family, src/engine/ops/lists.rs; one implementation). A list
//! is a Lua sequence of parts `{grid = <grid>, row = r, col = c}`: each part's grid and the
//! 1-based row and column of its top-left cell. `split(grid, parts)` makes one;
//! `keep_best(list, criterion)` and `drop_best(list, criterion)` filter one; `compose`,
//! `compose_growing` and `stack(list, order)` join one into a grid, returned with its row
//! and column. Mapping a function over the parts is a Lua loop. Like the ops, each gives
//! nil where the op has no output (no parts, more than 30, nothing left by a filter, a
//! join past 30×30).

use mlua::{Lua, Table, Value};

use super::values::{to_grid, LuaGrid};
use crate::engine::ops::{apply_cpu, Canvas, Scratch};
use crate::engine::program::{Program, Step};
use crate::grid::MAX_SIDE;

fn runtime(message: String) -> mlua::Error {
    mlua::Error::runtime(message)
}

/// The one step `text` writes (e.g. `split(objects)`), or an error naming what is wrong.
fn step(text: &str) -> mlua::Result<Step> {
    let program = Program::parse(text).map_err(|e| runtime(format!("{text}: {e} (see `batt ops`)")))?;
    Ok(program.steps()[0])
}

/// A Lua list of parts as the engine's list state.
fn list_in(parts: &Table) -> mlua::Result<Canvas> {
    let mut elements = Vec::new();
    for (i, part) in parts.clone().sequence_values::<Value>().enumerate() {
        let Value::Table(part) = part? else {
            return Err(runtime(format!("part {}: expected a table {{grid =, row =, col =}}", i + 1)));
        };
        let grid = to_grid(&part.get::<Value>("grid")?).map_err(|e| runtime(format!("part {}: grid: {e}", i + 1)))?;
        let mut at = [0usize; 2];
        for (slot, key) in at.iter_mut().zip(["row", "col"]) {
            let v = part.get::<Option<i64>>(key)?.unwrap_or(1);
            if !(1..=MAX_SIDE as i64).contains(&v) {
                return Err(runtime(format!("part {}: {key} {v} is outside 1..{MAX_SIDE}", i + 1)));
            }
            *slot = (v - 1) as usize;
        }
        elements.push((grid, (at[0], at[1])));
    }
    Canvas::from_elements(&elements).ok_or_else(|| {
        runtime(format!("a list holds 1 to 30 parts with 900 cells in all, each inside the 30x30 frame from its row and col (got {} parts)", elements.len()))
    })
}

/// The engine's list state as a Lua list of parts.
fn list_out(lua: &Lua, canvas: &Canvas) -> mlua::Result<Table> {
    let list = lua.create_table()?;
    for (grid, (r, c)) in canvas.elements() {
        let part = lua.create_table()?;
        part.set("grid", LuaGrid(grid))?;
        part.set("row", r + 1)?;
        part.set("col", c + 1)?;
        list.raw_push(part)?;
    }
    Ok(list)
}

/// `step` applied to `src`: its result, or None when the op gives no output.
fn apply(step: &Step, src: &Canvas) -> Option<Box<Canvas>> {
    let mut dst = Box::new(Canvas::empty());
    apply_cpu(step, src, &mut dst, &mut Scratch::new()).then_some(dst)
}

/// A join's grid with its 1-based row and column, or nil.
fn joined(lua: &Lua, text: &str, parts: &Table) -> mlua::Result<mlua::MultiValue> {
    match apply(&step(text)?, &list_in(parts)?) {
        Some(out) => {
            let (r, c) = out.origin;
            Ok(mlua::MultiValue::from_iter([Value::UserData(lua.create_userdata(LuaGrid(out.to_grid()))?), Value::Integer(r as i64 + 1), Value::Integer(c as i64 + 1)]))
        }
        None => Ok(mlua::MultiValue::from_iter([Value::Nil])),
    }
}

pub fn register(lua: &Lua, t: &Table) -> mlua::Result<()> {
    // split(grid, parts) -> the grid's parts as pick makes them (objects, objects8, colors,
    // cut, rows, columns), or nil
    t.set(
        "split",
        lua.create_function(|lua, (g, parts): (Value, String)| {
            let mut src = Box::new(Canvas::empty());
            src.load(&to_grid(&g)?);
            match apply(&step(&format!("split({parts})"))?, &src) {
                Some(list) => Ok(Some(list_out(lua, &list)?)),
                None => Ok(None),
            }
        })?,
    )?;
    for name in ["keep_best", "drop_best"] {
        t.set(
            name,
            lua.create_function(move |lua, (parts, criterion): (Table, String)| match apply(&step(&format!("{name}({criterion})"))?, &list_in(&parts)?) {
                Some(list) => Ok(Some(list_out(lua, &list)?)),
                None => Ok(None),
            })?,
        )?;
    }
    for name in ["compose", "compose_growing"] {
        t.set(name, lua.create_function(move |lua, parts: Table| joined(lua, name, &parts))?)?;
    }
    t.set("stack", lua.create_function(|lua, (parts, order): (Table, String)| joined(lua, &format!("stack({order})"), &parts))?)?;
    Ok(())
}
