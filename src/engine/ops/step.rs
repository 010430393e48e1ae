//! One step of a program: an `Op` and its three small integer parameter slots, parsed,
//! validated and displayed as the op table says (`usage` is an op's form in program text).

use std::fmt;

use super::{Op, OpSpec, Param, ParamKind};

/// One step: an op and its parameters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Step {
    pub op: Op,
    pub a: u32,
    pub b: u32,
    pub c: u32,
}

impl Step {
    pub fn new(op: Op) -> Step {
        Step { op, a: 0, b: 0, c: 0 }
    }
    pub fn with(op: Op, a: u32, b: u32) -> Step {
        Step { op, a, b, c: 0 }
    }

    /// A colour permutation step from a 10-entry table.
    pub fn permute(table: [u8; 10]) -> Step {
        let mut a = 0u32;
        for (i, &t) in table.iter().take(8).enumerate() {
            a |= (t as u32 & 0xF) << (4 * i);
        }
        let b = (table[8] as u32 & 0xF) | ((table[9] as u32 & 0xF) << 4);
        Step { op: Op::Permute, a, b, c: 0 }
    }

    /// The colour `x` maps to under a `Permute` step.
    pub fn permuted(&self, x: u8) -> u8 {
        let x = x as u32;
        (if x < 8 { (self.a >> (4 * x)) & 0xF } else { (self.b >> (4 * (x - 8))) & 0xF }) as u8
    }

    /// The step's parameter slots `a`, `b`, `c`.
    pub fn slots(&self) -> [u32; 3] {
        [self.a, self.b, self.c]
    }

    /// A step of `op` with its parameter slots.
    pub fn from_slots(op: Op, slots: [u32; 3]) -> Step {
        Step { op, a: slots[0], b: slots[1], c: slots[2] }
    }

    /// A step from an op name and its parameters as written (numbers, or names such as
    /// `top`, `down`, `both`, `side`, `xor`, or 10 digits for a colour table): the
    /// inverse of `Display`.
    pub fn parse(name: &str, args: &[&str]) -> Result<Step, String> {
        let op = Op::from_name(name).ok_or_else(|| {
            let names: Vec<&str> = Op::ALL.iter().map(|o| o.name()).collect();
            format!("unknown op {name:?} (ops: {})", names.join(", "))
        })?;
        let spec = op.spec();
        if args.len() != spec.params.len() {
            return Err(format!("{name} takes {} parameter(s) ({}), got {}", spec.params.len(), usage(spec), args.len()));
        }
        let mut slots = [0u32; 3];
        let mut slot = 0;
        for (param, text) in spec.params.iter().zip(args) {
            let text = text.trim();
            let number = || text.parse::<u32>().map_err(|_| format!("{name}: {} {text:?} is not a number", param.name));
            match param.kind {
                ParamKind::Color | ParamKind::Int { .. } => slots[slot] = number()?,
                ParamKind::Offset { max } => {
                    let value = text.parse::<i64>().map_err(|_| format!("{name}: {} {text:?} is not a number", param.name))?;
                    if value.unsigned_abs() > u64::from(max) {
                        return Err(format!("{name}: {} must be in -{max}..{max}, got {value}", param.name));
                    }
                    slots[slot] = (value + i64::from(max)) as u32;
                }
                ParamKind::Choice(names) => {
                    slots[slot] = match names.iter().position(|n| *n == text) {
                        Some(i) => i as u32,
                        None => number().map_err(|_| format!("{name}: {text:?} is not one of {}", names.join(", ")))?,
                    }
                }
                ParamKind::ColorTable => {
                    let digits: Vec<u8> = text.bytes().map(|b| b.wrapping_sub(b'0')).collect();
                    if digits.len() != 10 || digits.iter().any(|&d| d > 9) {
                        return Err(format!("{name} takes 10 colours, as {name}(0123456789), got {text:?}"));
                    }
                    let mut table = [0u8; 10];
                    table.copy_from_slice(&digits);
                    let packed = Step::permute(table);
                    slots[slot] = packed.a;
                    slots[slot + 1] = packed.b;
                    slot += 1;
                }
            }
            slot += 1;
        }
        let step = Step::from_slots(op, slots);
        step.validate()?;
        Ok(step)
    }

    /// A valid step of `op` with every parameter drawn at random: `draw(n)` gives a number
    /// below `n` (a colour table draws 10 colours). The bench's and the property tests'
    /// random programs come from here, so every parameter of every op is covered.
    pub fn random(op: Op, mut draw: impl FnMut(u32) -> u32) -> Step {
        let mut slots = [0u32; 3];
        let mut slot = 0;
        for param in op.spec().params {
            match param.kind.values() {
                Some(values) => {
                    slots[slot] = values.start() + draw(values.end() - values.start() + 1);
                    slot += 1;
                }
                None => {
                    let table: [u8; 10] = std::array::from_fn(|_| draw(10) as u8);
                    let packed = Step::permute(table);
                    slots[slot] = packed.a;
                    slots[slot + 1] = packed.b;
                    slot += 2;
                }
            }
        }
        Step::from_slots(op, slots)
    }

    /// Every step of `op`: all combinations of its parameters' values, a colour table
    /// taking each of `color_tables`.
    pub fn every(op: Op, color_tables: &[[u8; 10]]) -> Vec<Step> {
        let mut steps = vec![Step::new(op)];
        let mut slot = 0;
        for param in op.spec().params {
            let choices: Vec<(u32, u32)> = match param.kind.values() {
                Some(values) => values.map(|v| (v, 0)).collect(),
                None => color_tables.iter().map(|&t| Step::permute(t)).map(|packed| (packed.a, packed.b)).collect(),
            };
            steps = steps
                .iter()
                .flat_map(|s| {
                    choices.iter().map(move |&(v, next)| {
                        let mut slots = s.slots();
                        slots[slot] = v;
                        if param.kind == ParamKind::ColorTable {
                            slots[slot + 1] = next;
                        }
                        Step::from_slots(op, slots)
                    })
                })
                .collect();
            slot += if param.kind == ParamKind::ColorTable { 2 } else { 1 };
        }
        steps
    }

    /// The step's parameters, one per `spec().params` entry, with the slot each starts at.
    fn params(&self) -> impl Iterator<Item = (&'static Param, usize)> {
        let mut slot = 0;
        self.op.spec().params.iter().map(move |p| {
            let at = slot;
            slot += if p.kind == ParamKind::ColorTable { 2 } else { 1 };
            (p, at)
        })
    }

    /// Whether the parameters are in range for the op, and unused slots are zero (so one
    /// meaning has one encoding).
    pub fn validate(&self) -> Result<(), String> {
        let slots = self.slots();
        let mut used = 0;
        for (param, at) in self.params() {
            let ok = match param.kind {
                ParamKind::ColorTable => {
                    used = at + 2;
                    slots[at + 1] <= 0x99 && (0..10).all(|x| self.permuted(x) <= 9)
                }
                kind => {
                    used = at + 1;
                    kind.values().is_some_and(|values| values.contains(&slots[at]))
                }
            };
            if !ok {
                let range = match param.kind {
                    ParamKind::Color => "a colour 0-9".to_string(),
                    ParamKind::Int { lo, hi } => format!("{lo}-{hi}"),
                    ParamKind::Choice(names) => format!("one of {}", names.join(", ")),
                    ParamKind::Offset { max } => format!("-{max}..{max}"),
                    ParamKind::ColorTable => "10 colours 0-9".to_string(),
                };
                let got = match param.kind {
                    ParamKind::Offset { max } => (i64::from(slots[at]) - i64::from(max)).to_string(),
                    ParamKind::ColorTable => self.to_string(),
                    _ => slots[at].to_string(),
                };
                return Err(format!("{}: {} must be {range}, got {got} (usage: {})", self.op.name(), param.name, usage(self.op.spec())));
            }
        }
        if slots[used..].iter().any(|&v| v != 0) {
            return Err(format!("{} takes {} parameter(s); unused slots must be 0, got {slots:?}", self.op.name(), self.op.spec().params.len()));
        }
        Ok(())
    }
}

/// How an op is written, its parameters shown by name and range:
/// `tile(down 1-4 x across 1-4)`, `recolor(from -> to)`, `half(top/bottom/left/right)`.
pub fn usage(spec: &OpSpec) -> String {
    if spec.params.is_empty() {
        return spec.name.to_string();
    }
    let params: Vec<String> = spec
        .params
        .iter()
        .map(|p| match p.kind {
            ParamKind::Color => p.name.to_string(),
            ParamKind::Int { lo, hi } => format!("{} {lo}-{hi}", p.name),
            ParamKind::Choice(names) => names.join("/"),
            ParamKind::Offset { max } => format!("{} -{max}..{max}", p.name),
            ParamKind::ColorTable => "10 colours".to_string(),
        })
        .collect();
    let separator = if spec.separator == "," { ", ".to_string() } else { format!(" {} ", spec.separator) };
    format!("{}({})", spec.name, params.join(&separator))
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = self.op.spec();
        f.write_str(spec.name)?;
        if spec.params.is_empty() {
            return Ok(());
        }
        let slots = self.slots();
        f.write_str("(")?;
        for (i, (param, at)) in self.params().enumerate() {
            if i > 0 {
                f.write_str(spec.separator)?;
            }
            match param.kind {
                ParamKind::Choice(names) if (slots[at] as usize) < names.len() => f.write_str(names[slots[at] as usize])?,
                ParamKind::Offset { max } => write!(f, "{}", i64::from(slots[at]) - i64::from(max))?,
                ParamKind::ColorTable => {
                    for x in 0..10 {
                        write!(f, "{}", self.permuted(x))?;
                    }
                }
                _ => write!(f, "{}", slots[at])?,
            }
        }
        f.write_str(")")
    }
}
