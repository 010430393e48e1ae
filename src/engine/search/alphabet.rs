//! A task's search alphabet: the one-step programs a search composes, made from the op
//! table's alphabet rules (`OpSpec::alphabet`) and the task's train pairs (the colours of
//! their inputs and outputs, the outputs' sizes). The order is the rules' order (group,
//! place, op code), so the same task always gets the same alphabet: the order decides which
//! of two programs with the same outputs a search keeps.

use crate::engine::ops::spec::{AlphabetRule, Args, When};
use crate::engine::ops::table::OPS;
use crate::engine::ops::{OpSpec, ParamKind};
use crate::engine::program::Step;
use crate::grid::Grid;

/// Which optional parts of the alphabet a task gets (`task:alphabet{...}` in Lua).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlphabetOptions {
    /// Ops measured to add little for their cost at depth 2 (`When::Extended`); off.
    pub extended: bool,
    /// Lines and regions drawn from the cells (`When::Lines`); on.
    pub lines: bool,
    /// Lists: split, the joins and the filters (`When::Lists`); on.
    pub lists: bool,
    /// `to_output_size` when the train outputs' sizes vary; on.
    pub output_size: bool,
    /// A colour table learned from the task (`Args::LearnedColourMap`), if any.
    pub colour_map: Option<[u8; 10]>,
}

impl Default for AlphabetOptions {
    fn default() -> Self {
        AlphabetOptions { extended: false, lines: true, lists: true, output_size: true, colour_map: None }
    }
}

/// What the alphabet reads of a task: its train pairs' colours and sizes.
struct TaskFacts {
    /// Colours present in any train output, and in any train input, increasing.
    output_colours: Vec<u8>,
    input_colours: Vec<u8>,
    /// The size every train output has, when they share one.
    output_size: Option<(usize, usize)>,
    /// Whether every train output has its input's size.
    sizes_kept: bool,
}

impl TaskFacts {
    fn of(train: &[(&Grid, &Grid)]) -> TaskFacts {
        let colours = |grids: &mut dyn Iterator<Item = &Grid>| {
            let mut present = [false; 10];
            for g in grids {
                for (c, &n) in g.histogram().iter().enumerate() {
                    present[c] |= n > 0;
                }
            }
            (0..10u8).filter(|&c| present[c as usize]).collect::<Vec<u8>>()
        };
        let sizes: Vec<(usize, usize)> = train.iter().map(|(_, o)| (o.rows(), o.cols())).collect();
        TaskFacts {
            output_colours: colours(&mut train.iter().map(|(_, o)| *o)),
            input_colours: colours(&mut train.iter().map(|(i, _)| *i)),
            output_size: sizes.first().copied().filter(|first| sizes.iter().all(|s| s == first)),
            sizes_kept: train.iter().all(|(i, o)| i.same_shape(o)),
        }
    }
}

/// What the rules of one group take turns over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Turns {
    /// Each train output colour: every rule's steps for it.
    OutputColours,
    /// Each train input colour.
    InputColours,
    /// Each rule's steps one at a time.
    Steps,
}

/// What a rule's steps take turns over in its group.
pub fn turns(args: Args) -> Turns {
    match args {
        Args::EachOutputColour => Turns::OutputColours,
        Args::EachInputColour | Args::EachInputToOutputColour => Turns::InputColours,
        _ => Turns::Steps,
    }
}

/// The alphabet of a task with these train pairs (input, output), in order, without repeats.
pub fn alphabet(train: &[(&Grid, &Grid)], options: &AlphabetOptions) -> Vec<Step> {
    let facts = TaskFacts::of(train);
    let mut rules: Vec<(&OpSpec, &AlphabetRule)> = OPS
        .iter()
        .flat_map(|spec| spec.alphabet.iter().map(move |rule| (spec, rule)))
        .filter(|(_, rule)| !matches!(rule.args, Args::Never(_)) && wanted(rule.when, options))
        .collect();
    rules.sort_by_key(|(spec, rule)| (rule.group, rule.place, spec.code));

    let mut steps: Vec<Step> = Vec::new();
    let mut add = |step: Step| {
        if !steps.contains(&step) {
            steps.push(step);
        }
    };
    for group in rules.chunk_by(|a, b| a.1.group == b.1.group) {
        // each rule's steps in turns: one turn per colour, or per step
        let turns: Vec<Vec<Vec<Step>>> = group.iter().map(|(spec, rule)| rule_turns(spec, rule.args, &facts, options)).collect();
        let count = turns.iter().map(Vec::len).max().unwrap_or(0);
        for turn in 0..count {
            for rule_turns in &turns {
                for &step in rule_turns.get(turn).into_iter().flatten() {
                    add(step);
                }
            }
        }
    }
    steps
}

fn wanted(when: When, options: &AlphabetOptions) -> bool {
    match when {
        When::Always => true,
        When::Lines => options.lines,
        When::Lists => options.lists,
        When::Extended => options.extended,
    }
}

/// A rule's steps for a task, in turns: one list per colour for the colour rules, one
/// step per turn otherwise.
fn rule_turns(spec: &OpSpec, args: Args, facts: &TaskFacts, options: &AlphabetOptions) -> Vec<Vec<Step>> {
    let one_each = |steps: Vec<Step>| steps.into_iter().map(|s| vec![s]).collect();
    let with_colour = |colour: u8| -> Vec<Step> {
        let values: Vec<Vec<String>> = spec
            .params
            .iter()
            .map(|p| if p.kind == ParamKind::Color { vec![colour.to_string()] } else { every_value(p.kind) })
            .collect();
        product(spec, &values)
    };
    match args {
        Args::Every => one_each(product(spec, &spec.params.iter().map(|p| every_value(p.kind)).collect::<Vec<_>>())),
        Args::Listed(texts) => one_each(texts.iter().map(|t| step(spec, &t.split(spec.separator).collect::<Vec<_>>())).collect()),
        Args::FirstListed(firsts) => {
            let mut values: Vec<Vec<String>> = spec.params.iter().map(|p| every_value(p.kind)).collect();
            values[0] = firsts.iter().map(|f| f.to_string()).collect();
            one_each(product(spec, &values))
        }
        Args::EachOutputColour => facts.output_colours.iter().map(|&c| with_colour(c)).collect(),
        Args::EachInputColour => facts.input_colours.iter().map(|&c| with_colour(c)).collect(),
        Args::EachInputToOutputColour => facts
            .input_colours
            .iter()
            .map(|&from| {
                let to = facts.output_colours.iter().filter(|&&to| to != from);
                to.map(|to| step(spec, &[&from.to_string(), &to.to_string()])).collect()
            })
            .collect(),
        Args::OutputSize => match facts.output_size {
            Some((rows, cols)) => vec![vec![step(spec, &[&rows.to_string(), &cols.to_string()])]],
            None => Vec::new(),
        },
        Args::EveryWhenOutputSizesVary => {
            if facts.output_size.is_none() && options.output_size && !facts.sizes_kept {
                rule_turns(spec, Args::Every, facts, options)
            } else {
                Vec::new()
            }
        }
        Args::LearnedColourMap => match options.colour_map {
            Some(table) if table.iter().enumerate().any(|(c, &to)| to as usize != c) => {
                let digits: String = table.iter().map(|d| char::from(b'0' + d)).collect();
                vec![vec![step(spec, &[&digits])]]
            }
            _ => Vec::new(),
        },
        Args::Never(_) => Vec::new(),
    }
}

/// Every value of a parameter kind as program text (a colour table has none listed).
fn every_value(kind: ParamKind) -> Vec<String> {
    let Some(values) = kind.values() else { return Vec::new() };
    values
        .map(|v| match kind {
            ParamKind::Choice(names) => names[v as usize].to_string(),
            ParamKind::Offset { max } => (i64::from(v) - i64::from(max)).to_string(),
            _ => v.to_string(),
        })
        .collect()
}

/// The op at every combination of these parameter values, the first parameter outermost.
fn product(spec: &OpSpec, values: &[Vec<String>]) -> Vec<Step> {
    let mut combos: Vec<Vec<&str>> = vec![Vec::new()];
    for list in values {
        combos = combos.iter().flat_map(|c| list.iter().map(move |v| [c.as_slice(), &[v.as_str()]].concat())).collect();
    }
    combos.iter().map(|args| step(spec, args)).collect()
}

/// One step of the op; the table's rules give valid arguments (a test checks every op).
fn step(spec: &OpSpec, args: &[&str]) -> Step {
    Step::parse(spec.name, args).unwrap_or_else(|e| panic!("the op table's alphabet rule for {} gives a bad step: {e}", spec.name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::ops::spec::Args;

    fn grid(rows: &[&str]) -> Grid {
        Grid::from_rows(&rows.iter().map(|r| r.bytes().map(|b| b - b'0').collect::<Vec<u8>>()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn every_op_has_an_alphabet_rule_and_every_rule_gives_valid_steps() {
        let input = grid(&["102", "340"]);
        let output = grid(&["56", "70"]);
        let varied = grid(&["5"]);
        let all_on = AlphabetOptions { extended: true, colour_map: Some([0, 2, 1, 3, 4, 5, 6, 7, 8, 9]), ..AlphabetOptions::default() };
        for spec in OPS {
            assert!(!spec.alphabet.is_empty(), "{}: no alphabet rule (give it one, or Args::Never with the reason)", spec.name);
        }
        // a task with one output size and one with varying sizes: every rule instantiated
        let fixed = alphabet(&[(&input, &output)], &all_on);
        let varying = alphabet(&[(&input, &output), (&output, &varied)], &all_on);
        for spec in OPS {
            let in_alphabet = |list: &[Step]| list.iter().any(|s| s.op.spec().code == spec.code);
            let never = spec.alphabet.iter().all(|r| matches!(r.args, Args::Never(_)));
            assert_eq!(in_alphabet(&fixed) || in_alphabet(&varying), !never, "{}", spec.name);
        }
    }

    #[test]
    fn the_rules_of_a_group_take_turns_over_one_thing_under_one_option() {
        let mut groups: std::collections::BTreeMap<u16, (Turns, When, &str)> = Default::default();
        for spec in OPS {
            for rule in spec.alphabet.iter().filter(|r| !matches!(r.args, Args::Never(_))) {
                let (t, w, first) = *groups.entry(rule.group).or_insert((turns(rule.args), rule.when, spec.name));
                assert_eq!((t, w), (turns(rule.args), rule.when), "{} joins {first}'s group {}", spec.name, rule.group);
            }
        }
    }

    #[test]
    fn a_small_task_gets_the_rules_in_order_with_colour_groups_in_turns() {
        let input = grid(&["10", "00"]);
        let output = grid(&["20", "02"]);
        let options = AlphabetOptions { lines: false, lists: false, ..AlphabetOptions::default() };
        let texts: Vec<String> = alphabet(&[(&input, &output)], &options).iter().map(|s| s.to_string()).collect();
        let at = |t: &str| texts.iter().position(|x| x == t).unwrap_or_else(|| panic!("{t} missing from {texts:?}"));
        assert_eq!(&texts[..3], &["identity", "rot90", "rot180"]);
        assert!(at("upscale(2)") + 1 == at("downscale(2)") && at("downscale(2)") + 1 == at("upscale(3)"));
        // each output colour in turn: every colour op for 0, then for 2
        assert!(at("split_combine(stacked,nor,0)") + 1 == at("fill_enclosed(2)"));
        // each input colour: recolours to the other output colours, then erase
        let recolours = ["recolor(0->2)", "erase(0)", "recolor(1->0)", "recolor(1->2)", "erase(1)"];
        assert_eq!(&texts[at("recolor(0->2)")..at("recolor(0->2)") + 5], &recolours);
        assert_eq!(texts.last().map(String::as_str), Some("wrap_to(2x2)"));
        assert!(!texts.iter().any(|t| t.starts_with("border") || t.starts_with("split(") || t.starts_with("to_output_size")));
    }
}
