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
    /// How a task's search alphabet instantiates it (`alphabet` in `engine::search`): one
    /// rule or more, or one `Args::Never` saying why the search leaves it out. An op
    /// with no rule fails a test.
    pub alphabet: &'static [AlphabetRule],
}

/// One rule of an op's part in a task's search alphabet: which steps, when, and where
/// they come in the alphabet's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AlphabetRule {
    /// Where the steps come: the alphabet lists its rules by group, then place, then op
    /// code. The rules of one group take turns: for each output colour (or input colour,
    /// or each of their arguments in turn), each rule's steps for it, in place order. So
    /// `(30, 0)` for upscale and downscale gives upscale(2), downscale(2), upscale(3), ...
    pub group: u16,
    pub place: u16,
    /// Which arguments the steps take.
    pub args: Args,
    /// Which of the alphabet's options the rule needs.
    pub when: When,
}

/// The arguments an alphabet rule gives its op's steps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Args {
    /// Every value of every parameter, the first parameter outermost (an op with no
    /// parameters: the op alone). A colour table has too many values (`LearnedColourMap` gives one).
    Every,
    /// These arguments, as program text writes them between the parentheses, in order.
    Listed(&'static [&'static str]),
    /// The first parameter at each of these values, each with every value of the others.
    FirstListed(&'static [&'static str]),
    /// For each colour of the train outputs: the colour parameter at it, every value of
    /// the others (the colour outermost).
    EachOutputColour,
    /// For each colour of the train inputs: the colour parameter at it.
    EachInputColour,
    /// For each colour `from` of the train inputs: `from->to` for each colour `to` of the
    /// train outputs other than `from`.
    EachInputToOutputColour,
    /// The `rows`×`cols` every train output has, when they share one size.
    OutputSize,
    /// Every value, when the train outputs' sizes differ from pair to pair and some from
    /// their input's (and the `output_size` option is on).
    EveryWhenOutputSizesVary,
    /// The colour table the caller learned (`colour_map`), when it changes a colour.
    LearnedColourMap,
    /// Not in the alphabet, for this reason.
    Never(&'static str),
}

/// The alphabet's options a rule needs (`task:alphabet{...}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum When {
    Always,
    /// `lines` on (the default).
    Lines,
    /// `lists` on (the default).
    Lists,
    /// `extended` on (off by default: ops measured to add little for their cost).
    Extended,
}

/// A rule in `group`, place 0 (the group's rules then follow op code order), always on.
pub const fn rule(group: u16, args: Args) -> AlphabetRule {
    AlphabetRule { group, place: 0, args, when: When::Always }
}

impl AlphabetRule {
    /// How the rule reads in `batt ops` and docs/engine.md's op table.
    pub fn describe(&self, params: &[Param]) -> String {
        let what = match self.args {
            Args::Every if params.is_empty() => "the step".to_string(),
            Args::Every => "every value".to_string(),
            Args::Listed(texts) => texts.iter().map(|t| format!("`{t}`")).collect::<Vec<_>>().join(", "),
            Args::FirstListed(firsts) => {
                let rest: Vec<&str> = params.iter().skip(1).map(|p| p.name).collect();
                format!("{} with every {}", firsts.join("/"), rest.join(", "))
            }
            Args::EachOutputColour => "each output colour".to_string(),
            Args::EachInputColour => "each input colour".to_string(),
            Args::EachInputToOutputColour => "each input colour to each other output colour".to_string(),
            Args::OutputSize => "the train outputs' one size".to_string(),
            Args::EveryWhenOutputSizesVary => "every value, when the outputs' sizes vary".to_string(),
            Args::LearnedColourMap => "the learned colour map".to_string(),
            Args::Never(why) => return format!("none: {why}"),
        };
        let option = match self.when {
            When::Always => "",
            When::Lines => "lines: ",
            When::Lists => "lists: ",
            When::Extended => "extended: ",
        };
        let at = if self.place == 0 { format!("group {}", self.group) } else { format!("group {}, place {}", self.group, self.place) };
        format!("{option}{what} ({at})")
    }

    /// The rule at this place in its group.
    pub const fn place(self, place: u16) -> AlphabetRule {
        AlphabetRule { place, ..self }
    }
    /// The rule only with this option.
    pub const fn when(self, when: When) -> AlphabetRule {
        AlphabetRule { when, ..self }
    }
}

impl OpSpec {
    /// The op with its alphabet rules.
    pub const fn in_alphabet(self, alphabet: &'static [AlphabetRule]) -> OpSpec {
        OpSpec { alphabet, ..self }
    }

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
