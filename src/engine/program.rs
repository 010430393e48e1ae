//! The program IR shared by the CPU and Vulkan executors: a candidate program is up to
//! `MAX_STEPS` steps, each an `Op` with three small integer parameter slots (a `Step`, see
//! `ops::step`). Parsing, validation and display follow the op table. `GpuProgram` is its binary
//! encoding, mirrored field for field by `struct Program` in `shaders/eval/head.glsl`.
//! Op codes are part of that contract: never renumber, only add.

use std::fmt;

use vulkano::buffer::BufferContents;

/// Most steps a program can have.
pub const MAX_STEPS: usize = 7;

pub use super::ops::{usage, Op, Step};

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
            let separator = Op::from_name(name).map_or(",", |op| op.spec().separator);
            let args: Vec<&str> = if args.trim().is_empty() { Vec::new() } else { args.split(separator).collect() };
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

/// The GPU encoding of a program (std430): mirrors `struct Program` in shaders/eval/head.glsl.
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
        assert!(Program::parse("upscale(9)").unwrap_err().contains("upscale: factor must be 2-4, got 9"));
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
