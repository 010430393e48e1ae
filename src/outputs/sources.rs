//! What a candidate's name (results.json's `sources`) says it is, read back for `batt
//! show`: a hand-written solver, a search program, an overlay of programs, either found on a
//! variant of the task (`normalised: …`), a per-cell rule (on the input, on the input
//! brought to the output's shape, or on colour-ranked grids) re-learned from the task's
//! train pairs as scripts/lib/learners/cell_rules.lua learned it, an outer product of two
//! factors (scripts/lib/products.lua), or another library candidate known by its name only.

use crate::data::task::Task;
use crate::dsl::cellrule::{self, Action, CellRule, FEATURE_NAMES};
use crate::engine::augment::VariantKind;
use crate::engine::compose::LayerMode;
use crate::engine::program::Program;
use crate::grid::Grid;

/// A candidate, as its name describes it.
#[derive(Debug, Clone)]
pub enum Source {
    /// `solver:<id>`: a hand-written solver, scripts/solvers/<id>.lua.
    Solver(String),
    /// A search result on the task itself.
    Searched(Searched),
    /// A search result on a variant of the task (`normalised: …`, `shaped: …`, `transposed: …`).
    Variant(VariantKind, Searched),
    CellRule(NamedRule),
    Product(Product),
    /// Any other candidate: only its name is known (a library learner's, or a script's own).
    Library(String),
}

#[derive(Debug, Clone)]
pub enum Searched {
    Program(Program),
    /// Layers in the order laid (first laid wins a cell); `filled`: the cells no layer
    /// paints are filled from 3x3 patches.
    Overlay { layers: Vec<(Program, LayerMode)>, filled: bool },
}

/// What a cell rule reads the input through (the name's prefix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shaping {
    /// The input as it is.
    AsIs,
    /// `tile(a,b) then `: the input tiled a down, b across.
    Tile(usize, usize),
    /// `upscale(a,b) then `: the input upscaled.
    Upscale(usize, usize),
    /// `colours ranked, then `: the input's colours renamed by how common they are
    /// (`dsl::colour_ranks`), the answer's renamed back.
    Ranked,
}

/// A per-cell rule's name read back: how it reads the input, and the rule's own part
/// (`cell rule (colour, ray left): 4 cases`) as its features, cases and `keep_unseen`.
#[derive(Debug, Clone)]
pub struct NamedRule {
    pub shaping: Shaping,
    pub features: Vec<usize>,
    pub keep_unseen: bool,
    /// The rule's part of the name, as `CellRule::describe` writes it.
    pub described: String,
}

/// How an outer product makes one factor: a program, or the same grid in every pair.
#[derive(Debug, Clone)]
pub enum Factor {
    Program(Program),
    /// `constant RxC`: the factor of every train output (products.lua's factor_maker).
    Constant(String),
}

/// `outer product (copies|painted, blocks of …): layout A, block B`.
#[derive(Debug, Clone)]
pub struct Product {
    pub kind: String,
    /// None: blocks of the input's size; else (rows, cols).
    pub block_size: Option<(usize, usize)>,
    pub layout: Factor,
    pub block: Factor,
}

impl Source {
    pub fn parse(name: &str) -> Source {
        if let Some(id) = name.strip_prefix("solver:") {
            return Source::Solver(id.to_string());
        }
        for kind in VariantKind::ALL {
            if let Some(inner) = name.strip_prefix(kind.name()).and_then(|r| r.strip_prefix(": ")) {
                if let Some(searched) = Searched::parse(inner) {
                    return Source::Variant(kind, searched);
                }
            }
        }
        if let Some(searched) = Searched::parse(name) {
            return Source::Searched(searched);
        }
        if let Some(rule) = NamedRule::parse(name) {
            return Source::CellRule(rule);
        }
        if let Some(product) = Product::parse(name) {
            return Source::Product(product);
        }
        Source::Library(name.to_string())
    }
}

impl Searched {
    fn parse(name: &str) -> Option<Searched> {
        if let Some(inner) = name.strip_prefix("overlay(").and_then(|r| r.strip_suffix(')')) {
            let mut layers = Vec::new();
            let mut filled = false;
            for part in inner.split("; ") {
                if part == "the rest from 3x3 patches" {
                    filled = true;
                    continue;
                }
                let (program, mode) = part.rsplit_once(" as ")?;
                let mode = LayerMode::ALL.into_iter().find(|m| m.name() == mode)?;
                layers.push((Program::parse(program).ok()?, mode));
            }
            return (!layers.is_empty()).then_some(Searched::Overlay { layers, filled });
        }
        Program::parse(name).ok().map(Searched::Program)
    }
}

/// `a,b` as two numbers.
fn two_numbers(text: &str, between: char) -> Option<(usize, usize)> {
    let (a, b) = text.split_once(between)?;
    Some((a.parse().ok()?, b.parse().ok()?))
}

impl NamedRule {
    fn parse(name: &str) -> Option<NamedRule> {
        let (shaping, rest) = if let Some(rest) = name.strip_prefix("colours ranked, then ") {
            (Shaping::Ranked, rest)
        } else if let Some((prefix, rest)) = name.split_once(" then ") {
            let numbers = |op: &str| prefix.strip_prefix(op).and_then(|r| r.strip_suffix(')')).and_then(|r| two_numbers(r, ','));
            match (numbers("tile("), numbers("upscale(")) {
                (Some((a, b)), _) => (Shaping::Tile(a, b), rest),
                (_, Some((a, b))) => (Shaping::Upscale(a, b), rest),
                _ => return None,
            }
        } else {
            (Shaping::AsIs, name)
        };
        let (features, tail) = rest.strip_prefix("cell rule (")?.split_once("): ")?;
        let features = features.split(", ").map(cellrule::feature_index).collect::<Option<Vec<usize>>>()?;
        Some(NamedRule { shaping, features, keep_unseen: tail.ends_with(", unseen cells kept"), described: rest.to_string() })
    }

    /// The grid the rule reads for `g`, and the renaming that brings its answer back.
    fn shaped(&self, g: &Grid) -> Result<(Grid, Option<[u8; 10]>), String> {
        Ok(match self.shaping {
            Shaping::AsIs => (g.clone(), None),
            Shaping::Tile(a, b) => (crate::dsl::tile(g, a, b).map_err(|e| e.to_string())?, None),
            Shaping::Upscale(a, b) => (crate::dsl::upscale(g, a, b).map_err(|e| e.to_string())?, None),
            Shaping::Ranked => {
                let (forward, back) = crate::dsl::colour_ranks(g);
                (crate::dsl::rename_colours(g, &forward), Some(back))
            }
        })
    }

    /// The rule re-learned from `task`'s train pairs as lib/learners/cell_rules.lua learns
    /// it (each input read through the shaping, a colour-ranked pair's output renamed as its
    /// input), checked to be the one named.
    pub fn relearn(&self, task: &Task) -> Result<CellRule, String> {
        let mut pairs = Vec::new();
        for pair in &task.train {
            let (input, renaming) = self.shaped(&pair.input)?;
            let output = renaming.map_or_else(|| pair.output.clone(), |_| crate::dsl::rename_colours(&pair.output, &crate::dsl::colour_ranks(&pair.input).0));
            pairs.push((input, output));
        }
        let refs: Vec<(&Grid, &Grid)> = pairs.iter().map(|(i, o)| (i, o)).collect();
        let rule = cellrule::learn_features(&refs, &self.features, self.keep_unseen).ok_or("the task's train pairs contradict it")?;
        if rule.describe() != self.described {
            return Err(format!("re-learned from the task's train pairs it is `{}`", rule.describe()));
        }
        Ok(rule)
    }

    /// The rule on `input` as the candidate applies it (a check of the re-learned rule).
    pub fn apply(&self, rule: &CellRule, input: &Grid) -> Option<Grid> {
        let (seen, back) = self.shaped(input).ok()?;
        let out = rule.apply(&seen)?;
        Some(back.map_or(out.clone(), |b| crate::dsl::rename_colours(&out, &b)))
    }
}

/// A feature's value as a person reads it: a colour-valued feature's NONE is "none".
pub fn value_text(feature: usize, value: u8) -> String {
    if value == cellrule::NONE && cellrule::is_colour_feature(feature) {
        "none".to_string()
    } else {
        value.to_string()
    }
}

/// One line per case of `rule`: "colour 2, ray left none → 3", "colour 0, ray left 4 → the
/// colour of its ray left (4)", "… → its own colour".
pub fn case_lines(rule: &CellRule) -> Vec<String> {
    rule.case_list()
        .into_iter()
        .map(|(values, action)| {
            let when: Vec<String> = rule.features.iter().zip(&values).map(|(&k, &v)| format!("{} {}", FEATURE_NAMES[k], value_text(k, v))).collect();
            let then = match action {
                Action::Constant(c) => c.to_string(),
                Action::Copy(k) => {
                    let copied = if k == 0 { "its own colour".to_string() } else { format!("the colour of its {}", FEATURE_NAMES[k]) };
                    match rule.features.iter().position(|&f| f == k) {
                        Some(i) => format!("{copied} ({})", value_text(k, values[i])),
                        None => copied,
                    }
                }
            };
            format!("{} → {then}", when.join(", "))
        })
        .collect()
}

impl Product {
    fn parse(name: &str) -> Option<Product> {
        let rest = name.strip_prefix("outer product (")?;
        let (kind, rest) = rest.split_once(", ")?;
        let (sizing, rest) = rest.split_once("): layout ")?;
        let (layout, block) = rest.split_once(", block ")?;
        let block_size = match sizing {
            "blocks of the input's size" => None,
            other => Some(two_numbers(other.strip_prefix("blocks of ")?, 'x')?),
        };
        let factor = |text: &str| -> Option<Factor> {
            if text.starts_with("constant ") {
                return Some(Factor::Constant(text.to_string()));
            }
            Program::parse(text).ok().map(Factor::Program)
        };
        (kind == "copies" || kind == "painted").then_some(())?;
        Some(Product { kind: kind.to_string(), block_size, layout: factor(layout)?, block: factor(block)? })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_read_back_as_their_kind() {
        assert!(matches!(Source::parse("solver:007bbfb7"), Source::Solver(id) if id == "007bbfb7"));
        assert!(matches!(Source::parse("unpad | place"), Source::Searched(Searched::Program(_))));
        match Source::parse("normalised: overlay(identity as background; paint(3) | place as foreground; the rest from 3x3 patches)") {
            Source::Variant(VariantKind::Normalised, Searched::Overlay { layers, filled }) => assert!(layers.len() == 2 && filled),
            other => panic!("{other:?}"),
        }
        match Source::parse("upscale(2,2) then cell rule (colour, row parity, column parity): 8 cases") {
            Source::CellRule(r) => assert!(r.shaping == Shaping::Upscale(2, 2) && r.features.len() == 3 && !r.keep_unseen),
            other => panic!("{other:?}"),
        }
        match Source::parse("colours ranked, then cell rule (ray down, ray right): 36 cases, unseen cells kept") {
            Source::CellRule(r) => assert!(r.shaping == Shaping::Ranked && r.keep_unseen && r.described.starts_with("cell rule (ray down")),
            other => panic!("{other:?}"),
        }
        match Source::parse("outer product (copies, blocks of 2x2): layout rot90 | downscale(2), block constant 2x2") {
            Source::Product(p) => assert!(p.block_size == Some((2, 2)) && matches!(p.block, Factor::Constant(_))),
            other => panic!("{other:?}"),
        }
        assert!(matches!(Source::parse("repair the pattern hidden by colour 6 from its symmetry"), Source::Library(_)));
        assert!(matches!(Source::parse("cell rule (no such feature): 2 cases"), Source::Library(_)));
    }
}
