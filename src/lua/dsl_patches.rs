//! `batt.dsl` functions on patches (src/dsl/patches.rs) and on lists of objects: a patch
//! is an object or a list of {row, col} (1-based); positions come back 1-based, as two
//! integers (row, col) or as a list of {row, col}; a direction or offset is (dr, dc).

use mlua::{Function, Lua, Table, Value};

use super::values::{check_color, describe, to_cells, to_grid, to_object, LuaGrid, LuaObject};
use crate::dsl::patches::{self, Mirror, Pos};
use crate::dsl::{self, Object};

/// 1-based Lua {row, col} pairs from 0-based positions.
fn cells_out(lua: &Lua, cells: Vec<Pos>) -> mlua::Result<Table> {
    let t = lua.create_table_with_capacity(cells.len(), 0)?;
    for (r, c) in cells {
        t.raw_push(lua.create_sequence_from([r + 1, c + 1])?)?;
    }
    Ok(t)
}

/// How far from a grid's origin a position may lie (rows and columns, either way): the
/// patch functions build sets as large as the box their positions span, so a stray huge
/// coordinate is an error rather than a giant allocation.
const POSITION_LIMIT: i64 = 100;

fn check_position(r: i64, c: i64) -> mlua::Result<()> {
    if r.abs() > POSITION_LIMIT || c.abs() > POSITION_LIMIT {
        return Err(mlua::Error::runtime(format!(
            "position (row {}, col {}) is out of range: rows and columns must lie within -{POSITION_LIMIT}..{POSITION_LIMIT}",
            r + 1,
            c + 1
        )));
    }
    Ok(())
}

/// A patch's 0-based positions, each checked against POSITION_LIMIT.
fn patch(value: &Value) -> mlua::Result<Vec<Pos>> {
    let cells = to_cells(value)?;
    for &(r, c) in &cells {
        check_position(r, c)?;
    }
    Ok(cells)
}

/// One position, 1-based in Lua, 0-based out, checked against POSITION_LIMIT.
fn pos(row: i64, col: i64) -> mlua::Result<Pos> {
    check_position(row - 1, col - 1)?;
    Ok((row - 1, col - 1))
}

fn some_pos(p: Option<Pos>, what: &str) -> mlua::Result<(i64, i64)> {
    p.map(|(r, c)| (r + 1, c + 1)).ok_or_else(|| mlua::Error::runtime(format!("{what} of an empty patch")))
}

fn objects_in(list: &Table) -> mlua::Result<Vec<(Value, Object)>> {
    list.sequence_values::<Value>()
        .map(|v| {
            let v = v?;
            let o = to_object(&v)?;
            Ok((v, o))
        })
        .collect()
}

/// The first item of the list with the highest (`sign` 1) or lowest (-1) number from `key`.
fn extreme(list: Table, key: Function, sign: i64) -> mlua::Result<Value> {
    let mut best: Option<(f64, Value)> = None;
    for item in list.sequence_values::<Value>() {
        let item = item?;
        let k: Value = key.call(item.clone())?;
        let k = match k {
            Value::Integer(i) => i as f64,
            Value::Number(n) => n,
            Value::Boolean(b) => f64::from(u8::from(b)),
            other => return Err(mlua::Error::runtime(format!("the key function must return a number, got {}", describe(&other)))),
        } * sign as f64;
        if best.as_ref().is_none_or(|(b, _)| k > *b) {
            best = Some((k, item));
        }
    }
    Ok(best.map_or(Value::Nil, |(_, v)| v))
}

pub fn register(lua: &Lua, t: &Table) -> mlua::Result<()> {
    // Corners and centres, as (row, col).
    for (name, corner) in [("ulcorner", 0usize), ("urcorner", 1), ("llcorner", 2), ("lrcorner", 3)] {
        t.set(
            name,
            lua.create_function(move |_, p: Value| some_pos(patches::corner_positions(&patch(&p)?).map(|c| c[corner]), name))?,
        )?;
    }
    t.set("corners", lua.create_function(|lua, p: Value| cells_out(lua, patches::corner_positions(&patch(&p)?).map_or_else(Vec::new, |c| patches::normalized(c.to_vec()))))?)?;
    t.set("center", lua.create_function(|_, p: Value| some_pos(patches::center(&patch(&p)?), "center"))?)?;
    t.set("centerofmass", lua.create_function(|_, p: Value| some_pos(patches::center_of_mass(&patch(&p)?), "centerofmass"))?)?;

    // Sizes of a patch or a grid.
    // a grid userdata measures the grid; an object or a list of {row, col}, its bounding box
    let extent = |p: &Value| -> mlua::Result<(i64, i64)> {
        if let Value::UserData(ud) = p {
            if let Ok(g) = ud.borrow::<LuaGrid>() {
                return Ok((g.0.rows() as i64, g.0.cols() as i64));
            }
        }
        let cells = patch(p)?;
        Ok(patches::bounds(&cells).map_or((0, 0), |(t, l, b, r)| (b - t + 1, r - l + 1)))
    };
    t.set("height", lua.create_function(move |_, p: Value| Ok(extent(&p)?.0))?)?;
    t.set("width", lua.create_function(move |_, p: Value| Ok(extent(&p)?.1))?)?;
    t.set("shape", lua.create_function(move |_, p: Value| extent(&p))?)?;
    t.set("portrait", lua.create_function(move |_, p: Value| extent(&p).map(|(h, w)| h > w))?)?;
    t.set("square", lua.create_function(move |_, p: Value| extent(&p).map(|(h, w)| h == w && h > 0))?)?;
    t.set(
        "hline",
        lua.create_function(|_, p: Value| {
            let cells = patch(&p)?;
            Ok(patches::bounds(&cells).is_some_and(|(t, l, b, r)| t == b && cells.len() as i64 == r - l + 1))
        })?,
    )?;
    t.set(
        "vline",
        lua.create_function(|_, p: Value| {
            let cells = patch(&p)?;
            Ok(patches::bounds(&cells).is_some_and(|(t, l, b, r)| l == r && cells.len() as i64 == b - t + 1))
        })?,
    )?;

    // Patches made from patches.
    type PatchFn = fn(&[Pos]) -> Vec<Pos>;
    let shapes: [(&str, PatchFn); 6] = [
        ("toindices", |p| patches::normalized(p.to_vec())),
        ("backdrop", patches::backdrop),
        ("delta", patches::delta),
        ("box", patches::box_outline),
        ("inbox", patches::inbox),
        ("outbox", patches::outbox),
    ];
    for (name, f) in shapes {
        t.set(name, lua.create_function(move |lua, p: Value| cells_out(lua, f(&patch(&p)?)))?)?;
    }
    t.set(
        "line",
        lua.create_function(|lua, (r1, c1, r2, c2): (i64, i64, i64, i64)| cells_out(lua, patches::line(pos(r1, c1)?, pos(r2, c2)?)))?,
    )?;
    t.set(
        "shoot",
        lua.create_function(|lua, (r, c, dr, dc, length): (i64, i64, i64, i64, Option<i64>)| {
            let length = length.unwrap_or(30);
            if !(0..=POSITION_LIMIT).contains(&length) || dr.abs() > 1 || dc.abs() > 1 {
                return Err(mlua::Error::runtime(format!(
                    "shoot takes a length in 0..{POSITION_LIMIT} and a direction of -1, 0 or 1 each way, got length {length}, direction ({dr}, {dc})"
                )));
            }
            cells_out(lua, patches::shoot(pos(r, c)?, (dr, dc), length))
        })?,
    )?;
    t.set(
        "hfrontier",
        lua.create_function(|lua, (g, row): (Value, i64)| {
            let g = to_grid(&g)?;
            cells_out(lua, (0..g.cols() as i64).map(|c| (row - 1, c)).collect())
        })?,
    )?;
    t.set(
        "vfrontier",
        lua.create_function(|lua, (g, col): (Value, i64)| {
            let g = to_grid(&g)?;
            cells_out(lua, (0..g.rows() as i64).map(|r| (r, col - 1)).collect())
        })?,
    )?;
    for (name, f) in [("dneighbors", patches::dneighbors as fn(Pos) -> Vec<Pos>), ("ineighbors", patches::ineighbors), ("neighbors", patches::neighbors)] {
        t.set(name, lua.create_function(move |lua, (r, c): (i64, i64)| cells_out(lua, f(pos(r, c)?)))?)?;
    }
    t.set(
        "mirror_patch",
        lua.create_function(|lua, (p, axis): (Value, String)| {
            let mirror = Mirror::parse(&axis)
                .ok_or_else(|| mlua::Error::runtime(format!("unknown mirror {axis:?} ({})", Mirror::NAMES.join(", "))))?;
            if let Ok(obj) = to_object(&p) {
                return lua.create_userdata(LuaObject(patches::mirror_object(&obj, mirror))).map(Value::UserData);
            }
            cells_out(lua, patches::mirror_patch(&patch(&p)?, mirror)).map(Value::Table)
        })?,
    )?;

    // Relations between two patches.
    t.set(
        "manhattan",
        lua.create_function(|_, (a, b): (Value, Value)| {
            patches::manhattan(&patch(&a)?, &patch(&b)?).ok_or_else(|| mlua::Error::runtime("manhattan of an empty patch"))
        })?,
    )?;
    t.set("adjacent", lua.create_function(|_, (a, b): (Value, Value)| Ok(patches::adjacent(&patch(&a)?, &patch(&b)?)))?)?;
    t.set("hmatching", lua.create_function(|_, (a, b): (Value, Value)| Ok(patches::hmatching(&patch(&a)?, &patch(&b)?)))?)?;
    t.set("vmatching", lua.create_function(|_, (a, b): (Value, Value)| Ok(patches::vmatching(&patch(&a)?, &patch(&b)?)))?)?;
    t.set(
        "position",
        lua.create_function(|_, (a, b): (Value, Value)| {
            patches::position(&patch(&a)?, &patch(&b)?).ok_or_else(|| mlua::Error::runtime("position of an empty patch"))
        })?,
    )?;
    t.set(
        "gravitate",
        lua.create_function(|_, (a, b): (Value, Value)| {
            patches::gravitate(&patch(&a)?, &patch(&b)?).ok_or_else(|| mlua::Error::runtime("gravitate with an empty patch"))
        })?,
    )?;
    t.set(
        "bordering",
        lua.create_function(|_, (p, g): (Value, Value)| {
            let g = to_grid(&g)?;
            Ok(patches::bordering(&patch(&p)?, g.rows(), g.cols()))
        })?,
    )?;

    // Patches and objects on grids.
    t.set("ofcolor", lua.create_function(|lua, (g, c): (Value, i64)| cells_out(lua, patches::ofcolor(&to_grid(&g)?, check_color(c)?)))?)?;
    t.set("toobject", lua.create_function(|_, (p, g): (Value, Value)| Ok(LuaObject(patches::to_object(&to_grid(&g)?, &patch(&p)?))))?)?;
    t.set("asobject", lua.create_function(|_, g: Value| Ok(LuaObject(patches::as_object(&to_grid(&g)?))))?)?;
    t.set("colored", lua.create_function(|_, (p, c): (Value, i64)| Ok(LuaObject(patches::colored(&patch(&p)?, check_color(c)?))))?)?;
    t.set("cover", lua.create_function(|_, (g, p): (Value, Value)| Ok(LuaGrid(patches::cover(&to_grid(&g)?, &patch(&p)?))))?)?;
    t.set("underpaint", lua.create_function(|_, (g, o): (Value, Value)| Ok(LuaGrid(patches::underpaint(&to_grid(&g)?, &to_object(&o)?))))?)?;
    t.set(
        "move",
        lua.create_function(|_, (g, o, dr, dc): (Value, Value, i64, i64)| Ok(LuaGrid(patches::move_object(&to_grid(&g)?, &to_object(&o)?, dr, dc))))?,
    )?;
    t.set(
        "occurrences",
        lua.create_function(|lua, (g, o): (Value, Value)| cells_out(lua, patches::occurrences(&to_grid(&g)?, &to_object(&o)?)))?,
    )?;
    t.set(
        "partition",
        lua.create_function(|lua, g: Value| lua.create_sequence_from(patches::partition(&to_grid(&g)?, false).into_iter().map(LuaObject)))?,
    )?;
    t.set(
        "fgpartition",
        lua.create_function(|lua, g: Value| lua.create_sequence_from(patches::partition(&to_grid(&g)?, true).into_iter().map(LuaObject)))?,
    )?;
    t.set(
        "cellwise",
        lua.create_function(|_, (a, b, fallback): (Value, Value, i64)| {
            patches::cellwise(&to_grid(&a)?, &to_grid(&b)?, check_color(fallback)?).map(LuaGrid).map_err(|e| mlua::Error::runtime(e.to_string()))
        })?,
    )?;
    for (name, across) in [("hsplit", true), ("vsplit", false)] {
        t.set(
            name,
            lua.create_function(move |lua, (g, n): (Value, i64)| {
                let parts = patches::split(&to_grid(&g)?, n.max(0) as usize, across).map_err(|e| mlua::Error::runtime(format!("{name}: {e}")))?;
                lua.create_sequence_from(parts.into_iter().map(LuaGrid))
            })?,
        )?;
    }
    for (name, across) in [("hupscale", true), ("vupscale", false)] {
        t.set(
            name,
            lua.create_function(move |_, (g, k): (Value, i64)| {
                patches::stretch(&to_grid(&g)?, k.max(0) as usize, across).map(LuaGrid).map_err(|e| mlua::Error::runtime(format!("{name}: {e}")))
            })?,
        )?;
    }
    t.set(
        "numcolors",
        lua.create_function(|_, v: Value| {
            if let Ok(o) = to_object(&v) {
                return Ok(o.palette().len());
            }
            Ok(dsl::palette(&to_grid(&v)?).len())
        })?,
    )?;

    // Lists of objects.
    t.set(
        "colorfilter",
        lua.create_function(|lua, (list, c): (Table, i64)| {
            let c = check_color(c)?;
            lua.create_sequence_from(objects_in(&list)?.into_iter().filter(|(_, o)| o.color() == Some(c) && o.palette().len() == 1).map(|(v, _)| v))
        })?,
    )?;
    t.set(
        "sizefilter",
        lua.create_function(|lua, (list, n): (Table, i64)| {
            lua.create_sequence_from(objects_in(&list)?.into_iter().filter(|(_, o)| o.size() as i64 == n).map(|(v, _)| v))
        })?,
    )?;
    t.set("argmax", lua.create_function(|_, (list, key): (Table, Function)| extreme(list, key, 1))?)?;
    t.set("argmin", lua.create_function(|_, (list, key): (Table, Function)| extreme(list, key, -1))?)?;
    Ok(())
}
