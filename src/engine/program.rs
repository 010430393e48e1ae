//! The program IR shared by the CPU and Vulkan executors: a candidate program is up to
//! `MAX_STEPS` steps, each an `Op` with three small integer parameters. `GpuProgram` is its
//! binary encoding, mirrored field for field by `struct Program` in `shaders/eval.comp`.
//! Op numbers are part of that contract: never renumber, only add.

use std::fmt;

use vulkano::buffer::BufferContents;

/// Most steps a program can have.
pub const MAX_STEPS: usize = 4;

/// Parameter names, indexed by the parameter's value, as programs are written in text.
pub const HALVES: [&str; 4] = ["top", "bottom", "left", "right"];
pub const DIRECTIONS: [&str; 4] = ["up", "down", "left", "right"];
pub const MIRRORS: [&str; 3] = ["horizontal", "vertical", "both"];
pub const SPLITS: [&str; 2] = ["side", "stacked"];
pub const LOGICS: [&str; 4] = ["and", "or", "xor", "nor"];

/// The operations a step can apply. Background, where an op needs one, is the grid's most
/// common colour (ties: the smallest), as in the DSL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[repr(u32)]
pub enum Op {
    Identity = 0,
    Rot90 = 1,
    Rot180 = 2,
    Rot270 = 3,
    FlipUpDown = 4,
    FlipLeftRight = 5,
    Transpose = 6,
    AntiTranspose = 7,
    /// Crop to the bounding box of the non-background cells.
    CropContent = 8,
    /// Crop to the bounding box of the largest object (univalued, 4-connected, without
    /// background; the first in row-major order on ties).
    CropLargestObject = 9,
    /// Crop to the bounding box of the smallest object.
    CropSmallestObject = 10,
    /// Keep only the largest object; everything else becomes background.
    KeepLargestObject = 11,
    /// Colour `a` becomes `b`.
    Recolor = 12,
    /// Every non-background cell becomes colour `a`.
    PaintForeground = 13,
    /// Every colour `x` becomes `table[x]`; the table is 10 nibbles packed in `a` (colours
    /// 0..7) and `b` (colours 8, 9).
    Permute = 14,
    /// Cells of colour `a` become the background colour.
    Erase = 15,
    /// Each cell becomes an `a`×`a` block (a in 2..=4).
    Upscale = 16,
    /// Keeps the top-left cell of each `a`×`a` block (a in 2..=4).
    Downscale = 17,
    /// The grid repeated `a` times down and `b` times across (1..=4 each).
    Tile = 18,
    /// Like `Tile`, with every odd copy mirrored (odd rows of copies upside down, odd
    /// columns of copies left-right).
    TileMirrored = 19,
    /// One half: `a` = 0 top, 1 bottom, 2 left, 3 right (the middle line of an odd side is
    /// left out).
    Half = 20,
    /// Drop every row equal to the row above and every column equal to the column left of it.
    Dedupe = 21,
    /// Non-background cells slide toward a side: `a` = 0 up, 1 down, 2 left, 3 right.
    Gravity = 22,
    /// Background cells enclosed (not 4-connected to the border through background) become `a`.
    FillEnclosed = 23,
    /// Background cells touching a non-background cell (8 neighbours) become `a`.
    Outline = 24,
    /// Complete a mirror symmetry onto background: `a` = 0 left-right, 1 up-down, 2 both.
    Symmetrize = 25,
    /// Split in two at the middle (`a` = 0 side by side, 1 stacked; an odd side needs a
    /// uniform separator line there) and combine the halves cell-wise, on = non-zero, by
    /// `b` = 0 AND, 1 OR, 2 XOR, 3 NOR into colour `c` (0 elsewhere).
    SplitCombine = 26,
    /// Non-background cells with no non-background neighbour (8 neighbours) become background.
    Denoise = 27,
}

impl Op {
    pub const ALL: [Op; 28] = [
        Op::Identity,
        Op::Rot90,
        Op::Rot180,
        Op::Rot270,
        Op::FlipUpDown,
        Op::FlipLeftRight,
        Op::Transpose,
        Op::AntiTranspose,
        Op::CropContent,
        Op::CropLargestObject,
        Op::CropSmallestObject,
        Op::KeepLargestObject,
        Op::Recolor,
        Op::PaintForeground,
        Op::Permute,
        Op::Erase,
        Op::Upscale,
        Op::Downscale,
        Op::Tile,
        Op::TileMirrored,
        Op::Half,
        Op::Dedupe,
        Op::Gravity,
        Op::FillEnclosed,
        Op::Outline,
        Op::Symmetrize,
        Op::SplitCombine,
        Op::Denoise,
    ];

    pub fn from_code(code: u32) -> Option<Op> {
        Op::ALL.into_iter().find(|op| *op as u32 == code)
    }

    pub fn name(self) -> &'static str {
        match self {
            Op::Identity => "identity",
            Op::Rot90 => "rot90",
            Op::Rot180 => "rot180",
            Op::Rot270 => "rot270",
            Op::FlipUpDown => "flip_updown",
            Op::FlipLeftRight => "flip_leftright",
            Op::Transpose => "transpose",
            Op::AntiTranspose => "antitranspose",
            Op::CropContent => "crop_content",
            Op::CropLargestObject => "crop_largest",
            Op::CropSmallestObject => "crop_smallest",
            Op::KeepLargestObject => "keep_largest",
            Op::Recolor => "recolor",
            Op::PaintForeground => "paint",
            Op::Permute => "permute",
            Op::Erase => "erase",
            Op::Upscale => "upscale",
            Op::Downscale => "downscale",
            Op::Tile => "tile",
            Op::TileMirrored => "tile_mirrored",
            Op::Half => "half",
            Op::Dedupe => "dedupe",
            Op::Gravity => "gravity",
            Op::FillEnclosed => "fill_enclosed",
            Op::Outline => "outline",
            Op::Symmetrize => "symmetrize",
            Op::SplitCombine => "split_combine",
            Op::Denoise => "denoise",
        }
    }
}

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

    /// A step from an op name and its parameters as written (numbers, or names such as
    /// `top`, `down`, `both`, `side`, `xor`): the inverse of `Display`.
    pub fn parse(name: &str, args: &[&str]) -> Result<Step, String> {
        let op = Op::ALL.into_iter().find(|op| op.name() == name).ok_or_else(|| {
            let names: Vec<&str> = Op::ALL.iter().map(|o| o.name()).collect();
            format!("unknown op {name:?} (ops: {})", names.join(", "))
        })?;
        let want = |n: usize| -> Result<(), String> {
            if args.len() == n {
                Ok(())
            } else {
                Err(format!("{name} takes {n} parameter(s), got {}", args.len()))
            }
        };
        let number = |text: &str| -> Result<u32, String> {
            text.trim().parse::<u32>().map_err(|_| format!("{name}: {text:?} is not a number"))
        };
        let named = |text: &str, names: &[&str]| -> Result<u32, String> {
            let text = text.trim();
            if let Some(i) = names.iter().position(|n| *n == text) {
                return Ok(i as u32);
            }
            number(text).map_err(|_| format!("{name}: {text:?} is not one of {}", names.join(", ")))
        };
        let step = match op {
            Op::Recolor | Op::Tile | Op::TileMirrored => {
                want(2)?;
                Step::with(op, number(args[0])?, number(args[1])?)
            }
            Op::Permute => {
                want(1)?;
                let digits: Vec<u8> = args[0].trim().bytes().map(|b| b.wrapping_sub(b'0')).collect();
                if digits.len() != 10 || digits.iter().any(|&d| d > 9) {
                    return Err(format!("permute takes 10 colours, as permute(0123456789), got {:?}", args[0]));
                }
                let mut table = [0u8; 10];
                table.copy_from_slice(&digits);
                Step::permute(table)
            }
            Op::Erase | Op::PaintForeground | Op::FillEnclosed | Op::Outline | Op::Upscale | Op::Downscale => {
                want(1)?;
                Step::with(op, number(args[0])?, 0)
            }
            Op::Half => {
                want(1)?;
                Step::with(op, named(args[0], &HALVES)?, 0)
            }
            Op::Gravity => {
                want(1)?;
                Step::with(op, named(args[0], &DIRECTIONS)?, 0)
            }
            Op::Symmetrize => {
                want(1)?;
                Step::with(op, named(args[0], &MIRRORS)?, 0)
            }
            Op::SplitCombine => {
                want(3)?;
                Step { op, a: named(args[0], &SPLITS)?, b: named(args[1], &LOGICS)?, c: number(args[2])? }
            }
            _ => {
                want(0)?;
                Step::new(op)
            }
        };
        step.validate()?;
        Ok(step)
    }

    /// Whether the parameters are in range for the op.
    pub fn validate(&self) -> Result<(), String> {
        let color = |v: u32| v <= 9;
        let ok = match self.op {
            Op::Recolor => color(self.a) && color(self.b),
            Op::Permute => (0..10).all(|x| self.permuted(x) <= 9),
            Op::Erase | Op::PaintForeground | Op::FillEnclosed | Op::Outline => color(self.a),
            Op::Gravity => self.a <= 3,
            Op::Symmetrize => self.a <= 2,
            Op::SplitCombine => self.a <= 1 && self.b <= 3 && color(self.c),
            Op::Upscale | Op::Downscale => (2..=4).contains(&self.a),
            Op::Tile | Op::TileMirrored => (1..=4).contains(&self.a) && (1..=4).contains(&self.b),
            Op::Half => self.a <= 3,
            _ => true,
        };
        if ok { Ok(()) } else { Err(format!("parameters out of range for {}: {self}", self.op.name())) }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.op {
            Op::Recolor => write!(f, "recolor({}->{})", self.a, self.b),
            Op::Permute => {
                let t: Vec<String> = (0..10).map(|x| self.permuted(x).to_string()).collect();
                write!(f, "permute({})", t.join(""))
            }
            Op::Erase | Op::PaintForeground | Op::FillEnclosed | Op::Outline => write!(f, "{}({})", self.op.name(), self.a),
            Op::Gravity => write!(f, "gravity({})", DIRECTIONS[self.a.min(3) as usize]),
            Op::Symmetrize => write!(f, "symmetrize({})", MIRRORS[self.a.min(2) as usize]),
            Op::SplitCombine => write!(
                f,
                "split_combine({},{},{})",
                SPLITS[self.a.min(1) as usize],
                LOGICS[self.b.min(3) as usize],
                self.c
            ),
            Op::Upscale | Op::Downscale => write!(f, "{}({})", self.op.name(), self.a),
            Op::Tile | Op::TileMirrored => write!(f, "{}({}x{})", self.op.name(), self.a, self.b),
            Op::Half => write!(f, "half({})", HALVES[self.a.min(3) as usize]),
            op => f.write_str(op.name()),
        }
    }
}

/// A candidate program: 1..=MAX_STEPS steps applied in order.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Program {
    steps: Vec<Step>,
}

impl Program {
    pub fn new(steps: Vec<Step>) -> Result<Program, String> {
        if steps.is_empty() || steps.len() > MAX_STEPS {
            return Err(format!("a program has 1 to {MAX_STEPS} steps, got {}", steps.len()));
        }
        for s in &steps {
            s.validate()?;
        }
        Ok(Program { steps })
    }

    /// A program from its text form, e.g. `rot90 | tile(2x3) | recolor(1->2)`.
    pub fn parse(text: &str) -> Result<Program, String> {
        let mut steps = Vec::new();
        for part in text.split('|') {
            let part = part.trim();
            let (name, args) = match part.find('(') {
                Some(open) => {
                    let close = part.rfind(')').filter(|&c| c > open).ok_or_else(|| format!("missing ')' in {part:?}"))?;
                    (&part[..open], &part[open + 1..close])
                }
                None => (part, ""),
            };
            let name = name.trim();
            let args: Vec<&str> = if args.trim().is_empty() {
                Vec::new()
            } else if name == "tile" || name == "tile_mirrored" {
                args.split('x').collect()
            } else if name == "recolor" {
                args.split("->").collect()
            } else {
                args.split(',').collect()
            };
            steps.push(Step::parse(name, &args).map_err(|e| format!("in {text:?}: {e}"))?);
        }
        Program::new(steps).map_err(|e| format!("in {text:?}: {e}"))
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn encode(&self) -> GpuProgram {
        let mut steps = [[0u32; 4]; MAX_STEPS];
        for (slot, s) in steps.iter_mut().zip(&self.steps) {
            *slot = [s.op as u32, s.a, s.b, s.c];
        }
        GpuProgram { steps, len: self.steps.len() as u32, _pad: [0; 3] }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str(" | ")?;
            }
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

/// The GPU encoding of a program (std430): mirrors `struct Program` in shaders/eval.comp.
#[derive(BufferContents, Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C)]
pub struct GpuProgram {
    /// Per step: op, a, b, c.
    pub steps: [[u32; 4]; MAX_STEPS],
    pub len: u32,
    pub _pad: [u32; 3],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permute_tables_round_trip() {
        let table = [3, 1, 4, 1, 5, 9, 2, 6, 5, 8];
        let s = Step::permute(table);
        for (x, &t) in table.iter().enumerate() {
            assert_eq!(s.permuted(x as u8), t);
        }
        assert_eq!(s.to_string(), "permute(3141592658)");
    }

    #[test]
    fn text_form_round_trips() {
        for text in [
            "rot90 | tile(2x3) | recolor(1->2)",
            "permute(9876543210) | half(bottom)",
            "gravity(left) | symmetrize(both) | split_combine(stacked,xor,4) | fill_enclosed(3)",
            "crop_largest | dedupe | denoise | outline(2)",
        ] {
            assert_eq!(Program::parse(text).unwrap().to_string(), text);
        }
        assert_eq!(Program::parse(" rot90|upscale( 2 ) ").unwrap().to_string(), "rot90 | upscale(2)");
        assert!(Program::parse("spin").unwrap_err().contains("unknown op \"spin\""));
        assert!(Program::parse("upscale(9)").unwrap_err().contains("out of range"));
        assert!(Program::parse("half(middle)").unwrap_err().contains("not one of top"));
        assert!(Program::parse("a|b|c|d|e").is_err());
    }

    #[test]
    fn validation_and_encoding() {
        assert!(Program::new(vec![]).is_err());
        assert!(Program::new(vec![Step::with(Op::Upscale, 5, 0)]).is_err());
        assert!(Program::new(vec![Step::with(Op::Recolor, 1, 10)]).is_err());
        let p = Program::new(vec![Step::new(Op::Rot90), Step::with(Op::Tile, 2, 3)]).unwrap();
        assert_eq!(p.to_string(), "rot90 | tile(2x3)");
        let g = p.encode();
        assert_eq!(g.len, 2);
        assert_eq!(g.steps[1], [Op::Tile as u32, 2, 3, 0]);
        for op in Op::ALL {
            assert_eq!(Op::from_code(op as u32), Some(op));
        }
    }
}
