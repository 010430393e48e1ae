//! Values a script keeps across re-runs in watch mode: `batt.keep(key, value)` stores a
//! copy outside the Lua state (nil, booleans, numbers, strings, grids and tables of those),
//! and `batt.kept(key)` reads it back in this run or any later one, in a fresh Lua state.
//! One store serves every worker of a run: a value kept by one is seen by all.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use mlua::{Lua, Table, Value};

use super::values::{describe, LuaGrid};
use crate::grid::Grid;

/// A Lua value copied out of a Lua state.
#[derive(Debug, Clone, PartialEq)]
pub enum Kept {
    Nil,
    Bool(bool),
    Int(i64),
    Num(f64),
    Str(Vec<u8>),
    Grid(Grid),
    Table(Vec<(Kept, Kept)>),
}

pub type KeptValues = Arc<Mutex<HashMap<String, Kept>>>;

/// How deep tables may nest (a guard against cycles).
const MAX_DEPTH: usize = 32;

impl Kept {
    pub fn from_lua(value: &Value, depth: usize) -> mlua::Result<Kept> {
        if depth > MAX_DEPTH {
            return Err(mlua::Error::runtime("batt.keep: tables nested too deeply (or a cycle)"));
        }
        Ok(match value {
            Value::Nil => Kept::Nil,
            Value::Boolean(b) => Kept::Bool(*b),
            Value::Integer(i) => Kept::Int(*i),
            Value::Number(n) => Kept::Num(*n),
            Value::String(s) => Kept::Str(s.as_bytes().to_vec()),
            Value::UserData(ud) if ud.is::<LuaGrid>() => Kept::Grid(ud.borrow::<LuaGrid>()?.0.clone()),
            Value::Table(t) => {
                let mut pairs = Vec::new();
                for pair in t.pairs::<Value, Value>() {
                    let (k, v) = pair?;
                    pairs.push((Kept::from_lua(&k, depth + 1)?, Kept::from_lua(&v, depth + 1)?));
                }
                Kept::Table(pairs)
            }
            other => {
                return Err(mlua::Error::runtime(format!(
                    "batt.keep: cannot keep {} (nil, booleans, numbers, strings, grids and tables of those can be kept)",
                    describe(other)
                )))
            }
        })
    }

    pub fn to_lua(&self, lua: &Lua) -> mlua::Result<Value> {
        Ok(match self {
            Kept::Nil => Value::Nil,
            Kept::Bool(b) => Value::Boolean(*b),
            Kept::Int(i) => Value::Integer(*i),
            Kept::Num(n) => Value::Number(*n),
            Kept::Str(s) => Value::String(lua.create_string(s)?),
            Kept::Grid(g) => Value::UserData(lua.create_userdata(LuaGrid(g.clone()))?),
            Kept::Table(pairs) => {
                let t: Table = lua.create_table()?;
                for (k, v) in pairs {
                    t.raw_set(k.to_lua(lua)?, v.to_lua(lua)?)?;
                }
                Value::Table(t)
            }
        })
    }
}

/// Adds `batt.keep` and `batt.kept`.
pub fn install(lua: &Lua, batt: &Table, store: KeptValues) -> mlua::Result<()> {
    let s = store.clone();
    batt.set(
        "keep",
        lua.create_function(move |_, (key, value): (String, Value)| {
            let kept = Kept::from_lua(&value, 0)?;
            let mut map = s.lock().unwrap_or_else(|p| p.into_inner());
            if kept == Kept::Nil {
                map.remove(&key);
            } else {
                map.insert(key, kept);
            }
            Ok(())
        })?,
    )?;
    batt.set(
        "kept",
        lua.create_function(move |lua, key: String| {
            let value = store.lock().unwrap_or_else(|p| p.into_inner()).get(&key).cloned();
            match value {
                Some(v) => v.to_lua(lua),
                None => Ok(Value::Nil),
            }
        })?,
    )?;
    Ok(())
}
