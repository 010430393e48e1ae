//! Output sizes predicted before any answer: each test output's rows and columns, from a
//! rule every train pair follows. A rule reads one dimension of a *seed* (a size per input,
//! train then test: the input's own, or the output of some candidate program) as
//! `a * seed + b` or `seed / a`, or is a constant; the simplest rule that fits every train output is
//! taken for rows and for columns separately. No rule fitting leaves the size unknown.

/// A size per input (train inputs, then test inputs): (rows, columns).
pub type Seed = Vec<(usize, usize)>;

/// How a dimension is derived, and its cost (lower is simpler).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Constant(usize),
    Linear { seed: usize, scale: usize, offset: i64 },
    Divided { seed: usize, by: usize },
}

impl Rule {
    fn cost(self) -> usize {
        match self {
            // a constant is simple when the train outputs agree, but no simpler than the
            // input's own size
            Rule::Constant(_) => 2,
            Rule::Linear { seed, scale, offset } => (seed + 1) * scale * (offset.unsigned_abs() as usize + 1),
            Rule::Divided { seed, by } => (seed + 1) * by + 1,
        }
    }

    fn apply(self, seeds: &[Seed], dim: usize, input: usize) -> Option<usize> {
        let of = |seed: usize| {
            let (r, c) = seeds[seed][input];
            if dim == 0 { r } else { c }
        };
        let v = match self {
            Rule::Constant(v) => v as i64,
            Rule::Linear { seed, scale, offset } => of(seed) as i64 * scale as i64 + offset,
            Rule::Divided { seed, by } => {
                let x = of(seed);
                if x % by != 0 {
                    return None;
                }
                (x / by) as i64
            }
        };
        (1..=30).contains(&v).then_some(v as usize)
    }
}

/// The simplest rule for dimension `dim` (0: rows, 1: columns) that gives `targets` on the
/// train inputs and a size on every test input; first found wins ties.
fn best_rule(seeds: &[Seed], targets: &[usize], dim: usize) -> Option<Rule> {
    let inputs = seeds.first()?.len();
    let mut best: Option<Rule> = None;
    let mut consider = |rule: Rule| {
        let fits = (0..inputs).all(|i| match rule.apply(seeds, dim, i) {
            Some(v) => i >= targets.len() || v == targets[i],
            None => false,
        });
        if fits && best.is_none_or(|b| rule.cost() < b.cost()) {
            best = Some(rule);
        }
    };
    for seed in 0..seeds.len() {
        for scale in 1..=5 {
            for offset in -3..=3 {
                consider(Rule::Linear { seed, scale, offset });
            }
        }
        for by in 2..=5 {
            consider(Rule::Divided { seed, by });
        }
    }
    if let Some(&first) = targets.first() {
        if targets.iter().all(|&t| t == first) {
            consider(Rule::Constant(first));
        }
    }
    best
}

/// The predicted size of each test output, or None when no rule fits one of its
/// dimensions. `seeds[0]` should be the inputs' own sizes; `train_sizes` are the train
/// outputs' sizes; every seed has one size per train input, then per test input.
pub fn predict(seeds: &[Seed], train_sizes: &[(usize, usize)]) -> Vec<Option<(usize, usize)>> {
    let Some(first) = seeds.first() else { return Vec::new() };
    let tests = first.len().saturating_sub(train_sizes.len());
    let rows: Vec<usize> = train_sizes.iter().map(|s| s.0).collect();
    let cols: Vec<usize> = train_sizes.iter().map(|s| s.1).collect();
    let (r, c) = (best_rule(seeds, &rows, 0), best_rule(seeds, &cols, 1));
    (0..tests)
        .map(|t| {
            let i = train_sizes.len() + t;
            Some((r?.apply(seeds, 0, i)?, c?.apply(seeds, 1, i)?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_follow_the_simplest_rule_the_train_pairs_agree_on() {
        let inputs: Seed = vec![(3, 4), (5, 2), (6, 6)];
        // same as the input
        assert_eq!(predict(std::slice::from_ref(&inputs), &[(3, 4), (5, 2)]), vec![Some((6, 6))]);
        // rows doubled, columns constant
        assert_eq!(predict(std::slice::from_ref(&inputs), &[(6, 1), (10, 1)]), vec![Some((12, 1))]);
        // from a candidate's output sizes (a crop): the second seed
        let crop: Seed = vec![(1, 2), (2, 2), (3, 1)];
        assert_eq!(predict(&[inputs.clone(), crop.clone()], &[(1, 2), (2, 2)]), vec![Some((3, 1))]);
        // nothing fits: unknown
        assert_eq!(predict(&[inputs], &[(7, 1), (2, 9)]), vec![None]);
    }
}
