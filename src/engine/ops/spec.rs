//! What an op is, as data: its code, name, family, parameters and meaning. Plain types
//! with no dependencies, because `build.rs` reads this file (and `table.rs`) too, to
//! generate the `Op` enum, the CPU and reference dispatch and the shader's op constants
//! and dispatch from the one table.

/// The kind of one parameter; its values are small integers in a step's `a`, `b`, `c`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// A colour, 0..=9.
    Color,
    /// An integer in `lo..=hi`.
    Int { lo: u32, hi: u32 },
    /// One of these names, written as the name (or its index); the value is the index.
    Choice(&'static [&'static str]),
    /// A signed offset in `-max..=max`, stored as `value + max`.
    Offset { max: u32 },
    /// A colour for every colour, written as 10 digits (`0123456789` is the identity);
    /// packed as nibbles, colours 0..7 in this parameter's slot and 8, 9 in the next.
    ColorTable,
}

impl ParamKind {
    /// Every value the parameter can take, smallest first; None for a colour table
    /// (10^10 values).
    pub fn values(self) -> Option<std::ops::RangeInclusive<u32>> {
        match self {
            ParamKind::Color => Some(0..=9),
            ParamKind::Int { lo, hi } => Some(lo..=hi),
            ParamKind::Choice(names) => Some(0..=names.len() as u32 - 1),
            ParamKind::Offset { max } => Some(0..=2 * max),
            ParamKind::ColorTable => None,
        }
    }

    /// How the kind reads in documentation and in `batt.ops()`.
    pub fn describe(self) -> String {
        match self {
            ParamKind::Color => "colour 0-9".to_string(),
            ParamKind::Int { lo, hi } => format!("{lo}-{hi}"),
            ParamKind::Choice(names) => names.join("/"),
            ParamKind::Offset { max } => format!("-{max}-{max}"),
            ParamKind::ColorTable => "10 colours".to_string(),
        }
    }

    /// The kind's short name, as `batt.ops()` reports it.
    pub fn name(self) -> &'static str {
        match self {
            ParamKind::Color => "color",
            ParamKind::Int { .. } => "int",
            ParamKind::Choice(_) => "choice",
            ParamKind::Offset { .. } => "offset",
            ParamKind::ColorTable => "color_table",
        }
    }
}

/// One parameter of an op.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Param {
    pub name: &'static str,
    pub kind: ParamKind,
}

/// Everything the engine knows about an op, except its three implementations (the CPU
/// kernel and the reference in `src/engine/ops/<family>.rs`, the GLSL function in
/// `shaders/ops/<family>.glsl`), which are found by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpSpec {
    /// Its number in the program encoding; equal to its position in `OPS`. Never
    /// renumber: programs written by earlier runs keep their meaning.
    pub code: u32,
    /// Its name in program text, the Rust kernel `<family>::<name>`, its reference
    /// `<family>::<name>_reference` and the GLSL function `op_<name>`.
    pub name: &'static str,
    /// Its family: the file pair `src/engine/ops/<family>.rs` and `shaders/ops/<family>.glsl`.
    pub family: &'static str,
    /// Its parameters, in the slots `a`, `b`, `c` in order (a colour table takes two).
    pub params: &'static [Param],
    /// How the parameters are joined in program text: `tile(2x3)`, `recolor(1->2)`, `split_combine(side,xor,4)`.
    pub separator: &'static str,
    /// One line: what the op does.
    pub meaning: &'static str,
}

impl OpSpec {
    /// How many transforms the op stands for when each parameter value counts as one, as
    /// icecuber counts its 142: a colour table (learned per task) counts once, and so does
    /// a target size `rows`×`cols` (taken from the task's train outputs).
    pub fn transforms(&self) -> u64 {
        self.params
            .iter()
            .map(|p| match p.kind {
                ParamKind::ColorTable => 1,
                ParamKind::Int { .. } if p.name == "rows" || p.name == "cols" => 1,
                kind => kind.values().map_or(1, |v| v.count() as u64),
            })
            .product()
    }
}

/// The ops and transforms of a table, as `batt ops` sums them up.
pub fn totals(ops: &[OpSpec]) -> String {
    let transforms: u64 = ops.iter().map(OpSpec::transforms).sum();
    format!(
        "{} ops, {transforms} transforms (each parameter value one transform; a colour table and a target size count once)",
        ops.len()
    )
}

/// The families, in the order the table lists them.
pub const FAMILIES: &[&str] = &["symmetry", "objects", "color", "scale", "regions", "lists"];
