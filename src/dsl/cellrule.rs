//! Learning per-cell rules from train pairs whose output has the input's shape: every
//! cell is described by a fixed set of small features (its colour, its neighbours, the
//! first non-background colour seen along each of the four rays, whether it lies in an
//! enclosed background region, its object's size, mirror images, parities...), and a rule
//! says "the output colour of a cell is a function of these 1 to 3 features", where the
//! function's value is a constant colour, the cell's own colour, or the colour held by one
//! of its colour-valued features (so "fill with the colour of the ray to the left" learned
//! on blue transfers to red). The learner tries every feature subset, keeps those that
//! explain every train cell and cover every test cell, and ranks them by how few cases they
//! need (Occam): a rule of 4 cases generalises, one of 400 memorises.

use crate::grid::Grid;

use super::{mostcolor, objects, reaches_border, ObjectOptions};

/// A feature value meaning "outside the grid" or "none along this ray".
pub const NONE: u8 = 10;

/// Feature names, in feature order; values are all below 16.
pub const FEATURE_NAMES: [&str; NUM_FEATURES] = [
    "colour",
    "up",
    "down",
    "left",
    "right",
    "up-left",
    "up-right",
    "down-left",
    "down-right",
    "ray up",
    "ray down",
    "ray left",
    "ray right",
    "mirror left-right",
    "mirror up-down",
    "rot180 image",
    "transpose image",
    "ray up-left",
    "ray up-right",
    "ray down-left",
    "ray down-right",
    "is background",
    "enclosed",
    "non-background 4-neighbours",
    "non-background 8-neighbours",
    "same-colour 4-neighbours",
    "object size",
    "in largest object",
    "row parity",
    "column parity",
    "row mod 3",
    "column mod 3",
    "on border",
    "colour rank",
    "rays left/right agree",
    "rays up/down agree",
    "row has another non-background",
    "column has another non-background",
    "object touches border",
    "object height",
    "object width",
];

pub const NUM_FEATURES: usize = 41;

/// The features whose value is a colour (or NONE), which a rule can copy: colour,
/// neighbours, rays, mirror images, diagonal rays. Their index in this list is their copy
/// bit (10 + 21 bits, below the SEEN bit).
const COPYABLE: [usize; 21] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20];

/// Explanation bits: 0..10 = constant colour c; 10 + i = copy feature COPYABLE[i].
const COPY_BASE: u32 = 10;
const SEEN: u32 = 1 << 31;

type Features = [u8; NUM_FEATURES];

/// Every cell's features, row by row.
pub fn cell_features(g: &Grid) -> Vec<Features> {
    let (rows, cols) = (g.rows(), g.cols());
    let bg = mostcolor(g);
    let at = |r: i64, c: i64| g.try_get(r, c).unwrap_or(NONE);

    // Background cells reachable from the border through background cells.
    let open = reaches_border(g, bg);

    // Same-colour 4-connected components (background ones too): per cell, its
    // component's size and bounding box.
    let components = objects(g, ObjectOptions { univalued: true, diagonal: false, without_bg: false });
    let mut component = vec![0usize; rows * cols];
    for (id, obj) in components.iter().enumerate() {
        for cell in obj.cells() {
            component[cell.row as usize * cols + cell.col as usize] = id;
        }
    }
    let sizes: Vec<usize> = components.iter().map(|o| o.size()).collect();
    let boxes: Vec<(usize, usize, usize, usize)> = components
        .iter()
        .map(|o| {
            let b = o.bbox().expect("components are never empty");
            (b.top as usize, b.left as usize, b.bottom as usize, b.right as usize)
        })
        .collect();
    let largest = (0..rows * cols).filter(|&i| g.cells()[i] != bg).map(|i| sizes[component[i]]).max().unwrap_or(0);

    // Colours ranked by count, most common first (ties: smaller colour first).
    let histogram = g.histogram();
    let mut by_count: Vec<usize> = (0..10).collect();
    by_count.sort_by(|&a, &b| histogram[b].cmp(&histogram[a]).then(a.cmp(&b)));
    let mut rank = [0u8; 10];
    for (i, &colour) in by_count.iter().enumerate() {
        rank[colour] = i as u8;
    }
    let row_count: Vec<usize> = (0..rows).map(|r| g.row(r).iter().filter(|&&v| v != bg).count()).collect();
    let col_count: Vec<usize> = (0..cols).map(|c| (0..rows).filter(|&r| g.get(r, c) != bg).count()).collect();

    let ray = |r: usize, c: usize, dr: i64, dc: i64| -> u8 {
        let (mut rr, mut cc) = (r as i64 + dr, c as i64 + dc);
        while let Some(v) = g.try_get(rr, cc) {
            if v != bg {
                return v;
            }
            rr += dr;
            cc += dc;
        }
        NONE
    };

    let mut out = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for c in 0..cols {
            let (ri, ci) = (r as i64, c as i64);
            let own = g.get(r, c);
            let is_bg = own == bg;
            let neighbours4 = [at(ri - 1, ci), at(ri + 1, ci), at(ri, ci - 1), at(ri, ci + 1)];
            let diagonals = [at(ri - 1, ci - 1), at(ri - 1, ci + 1), at(ri + 1, ci - 1), at(ri + 1, ci + 1)];
            let non_bg = |v: &u8| *v != NONE && *v != bg;
            let rays = [ray(r, c, -1, 0), ray(r, c, 1, 0), ray(r, c, 0, -1), ray(r, c, 0, 1)];
            let size = sizes[component[r * cols + c]];
            let (top, left, bottom, right) = boxes[component[r * cols + c]];
            let f: Features = [
                own,
                neighbours4[0],
                neighbours4[1],
                neighbours4[2],
                neighbours4[3],
                diagonals[0],
                diagonals[1],
                diagonals[2],
                diagonals[3],
                rays[0],
                rays[1],
                rays[2],
                rays[3],
                g.get(r, cols - 1 - c),
                g.get(rows - 1 - r, c),
                g.get(rows - 1 - r, cols - 1 - c),
                if rows == cols { g.get(c, r) } else { NONE },
                ray(r, c, -1, -1),
                ray(r, c, -1, 1),
                ray(r, c, 1, -1),
                ray(r, c, 1, 1),
                is_bg as u8,
                if !is_bg { 2 } else { (!open[r * cols + c]) as u8 },
                neighbours4.iter().filter(|v| non_bg(v)).count() as u8,
                (neighbours4.iter().chain(diagonals.iter()).filter(|v| non_bg(v)).count()) as u8,
                neighbours4.iter().filter(|&&v| v == own).count() as u8,
                size.min(15) as u8,
                if is_bg { 2 } else { (size == largest) as u8 },
                (r % 2) as u8,
                (c % 2) as u8,
                (r % 3) as u8,
                (c % 3) as u8,
                (r == 0 || c == 0 || r == rows - 1 || c == cols - 1) as u8,
                rank[own as usize],
                (rays[2] != NONE && rays[2] == rays[3]) as u8,
                (rays[0] != NONE && rays[0] == rays[1]) as u8,
                (row_count[r] > (!is_bg) as usize) as u8,
                (col_count[c] > (!is_bg) as usize) as u8,
                (top == 0 || left == 0 || bottom == rows - 1 || right == cols - 1) as u8,
                (bottom - top + 1).min(15) as u8,
                (right - left + 1).min(15) as u8,
            ];
            out.push(f);
        }
    }
    out
}

/// The explanations of output colour `out` for a cell with features `f`.
fn explanations(f: &Features, out: u8) -> u32 {
    let mut mask = 1 << out;
    for (i, &feature) in COPYABLE.iter().enumerate() {
        if f[feature] == out {
            mask |= 1 << (COPY_BASE + i as u32);
        }
    }
    mask
}

/// What a rule does for one case: paint a constant colour, or copy the value of a
/// colour-valued feature (`is_colour_feature`: the cell's own colour, a neighbour's, a
/// ray's, a mirror image's), by its index in `FEATURE_NAMES`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    Constant(u8),
    Copy(usize),
}

/// A learned rule: the features it reads and the action for each case seen in training.
#[derive(Debug, Clone)]
pub struct CellRule {
    pub features: Vec<usize>,
    /// Indexed by the packed key (4 bits per feature); None for cases never seen.
    table: Vec<Option<Action>>,
    pub cases: usize,
    /// Cells of a case never seen keep their colour (instead of failing).
    pub keep_unseen: bool,
}

impl CellRule {
    fn key(features: &[usize], f: &Features) -> usize {
        features.iter().enumerate().map(|(i, &k)| (f[k] as usize) << (4 * i)).sum()
    }

    /// The rule applied to `g`; None when a cell's case was never seen (unless kept).
    pub fn apply(&self, g: &Grid) -> Option<Grid> {
        let features = cell_features(g);
        let mut cells = Vec::with_capacity(features.len());
        for f in &features {
            let colour = match self.table[Self::key(&self.features, f)] {
                Some(Action::Constant(c)) => c,
                Some(Action::Copy(k)) => f[k],
                None if self.keep_unseen => f[0],
                None => return None,
            };
            if colour >= 10 {
                return None;
            }
            cells.push(colour);
        }
        Grid::from_cells(g.rows(), g.cols(), cells).ok()
    }

    /// Every case seen in training: the values of the features (in `features` order) and
    /// what the rule does there, ordered by those values (the first feature's first).
    pub fn case_list(&self) -> Vec<(Vec<u8>, Action)> {
        let mut list: Vec<(Vec<u8>, Action)> = self
            .table
            .iter()
            .enumerate()
            .filter_map(|(key, action)| action.map(|a| ((0..self.features.len()).map(|i| (key >> (4 * i) & 15) as u8).collect(), a)))
            .collect();
        list.sort_by(|a, b| a.0.cmp(&b.0));
        list
    }

    /// The rule of these cases (as `case_list` gives them): `features` are indices in
    /// `FEATURE_NAMES` (1 to 3, distinct), a case's values are below 16 (NONE for a
    /// colour-valued feature's "outside the grid" or "none along the ray"), a constant is a
    /// colour and a copied feature is colour-valued. An error says which case is wrong.
    pub fn from_cases(features: Vec<usize>, cases: &[(Vec<u8>, Action)], keep_unseen: bool) -> Result<CellRule, String> {
        if !(1..=3).contains(&features.len()) {
            return Err(format!("a cell rule reads 1 to 3 features, not {}", features.len()));
        }
        for (i, &k) in features.iter().enumerate() {
            if k >= NUM_FEATURES {
                return Err(format!("no feature {k} (there are {NUM_FEATURES})"));
            }
            if features[..i].contains(&k) {
                return Err(format!("feature {:?} is named twice", FEATURE_NAMES[k]));
            }
        }
        let mut table = vec![None; 1 << (4 * features.len())];
        for (n, (values, action)) in cases.iter().enumerate() {
            let case = n + 1;
            if values.len() != features.len() {
                return Err(format!("case {case} gives {} values for {} features", values.len(), features.len()));
            }
            if let Some(v) = values.iter().find(|&&v| v >= 16) {
                return Err(format!("case {case}: feature values are 0-15, got {v}"));
            }
            match *action {
                Action::Constant(c) if c >= 10 => return Err(format!("case {case}: colour {c} is not 0-9")),
                Action::Copy(k) if !is_colour_feature(k) => {
                    return Err(format!("case {case}: {:?} is not a colour a case can copy", FEATURE_NAMES.get(k).copied().unwrap_or("?")))
                }
                _ => {}
            }
            let key: usize = values.iter().enumerate().map(|(i, &v)| (v as usize) << (4 * i)).sum();
            if table[key].replace(*action).is_some() {
                return Err(format!("case {case} repeats the values of an earlier case"));
            }
        }
        Ok(CellRule { features, table, cases: cases.len(), keep_unseen })
    }

    /// "cell rule (ray left, is background): 4 cases".
    pub fn describe(&self) -> String {
        let names: Vec<&str> = self.features.iter().map(|&k| FEATURE_NAMES[k]).collect();
        format!(
            "cell rule ({}): {} case{}{}",
            names.join(", "),
            self.cases,
            if self.cases == 1 { "" } else { "s" },
            if self.keep_unseen { ", unseen cells kept" } else { "" }
        )
    }
}

/// Chooses one action from an explanation mask: the cell's own colour, then a constant,
/// then a copied feature that the rule reads, then any other copied feature.
fn choose(mask: u32, features: &[usize]) -> Action {
    let copy_bit = |feature: usize| COPY_BASE + COPYABLE.iter().position(|&k| k == feature).expect("copyable") as u32;
    if mask & (1 << copy_bit(0)) != 0 {
        return Action::Copy(0);
    }
    if mask & 0x3FF != 0 {
        return Action::Constant(mask.trailing_zeros() as u8);
    }
    for &k in features {
        if COPYABLE.contains(&k) && mask & (1 << copy_bit(k)) != 0 {
            return Action::Copy(k);
        }
    }
    let i = ((mask & !SEEN) >> COPY_BASE).trailing_zeros() as usize;
    Action::Copy(COPYABLE[i])
}

/// Every train cell's features and the explanations of its output colour.
fn train_cells(pairs: &[(&Grid, &Grid)]) -> Vec<(Features, u32)> {
    let mut train = Vec::new();
    for (input, output) in pairs {
        for (f, &out) in cell_features(input).into_iter().zip(output.cells()) {
            train.push((f, explanations(&f, out)));
        }
    }
    train
}

/// Fills `table` (one entry per packed key of `subset`) with the explanations every train
/// cell of each case shares (SEEN marks a case seen); false when a case has none.
#[inline]
fn fill_table(train: &[(Features, u32)], subset: &[usize], table: &mut [u32]) -> bool {
    table.fill(0);
    for (f, mask) in train {
        let entry = &mut table[CellRule::key(subset, f)];
        let next = if *entry == 0 { mask | SEEN } else { *entry & (mask | SEEN) };
        if next == SEEN {
            return false;
        }
        *entry = next;
    }
    true
}

/// The rule that reads `features` (in that order), learned from `pairs` as `learn` learns
/// the rule of that subset: the same cases, the same action for each. None when the pairs
/// change shape, contradict it, or a feature is unknown or repeated, or there are more
/// than 3.
pub fn learn_features(pairs: &[(&Grid, &Grid)], features: &[usize], keep_unseen: bool) -> Option<CellRule> {
    let valid = (1..=3).contains(&features.len()) && features.iter().enumerate().all(|(i, &k)| k < NUM_FEATURES && !features[..i].contains(&k));
    if !valid || pairs.is_empty() || pairs.iter().any(|(i, o)| !i.same_shape(o)) {
        return None;
    }
    let mut table = vec![0u32; 1 << (4 * features.len())];
    if !fill_table(&train_cells(pairs), features, &mut table) {
        return None;
    }
    let cases = table.iter().filter(|&&e| e != 0).count();
    let table = table.iter().map(|&e| (e != 0).then(|| choose(e, features))).collect();
    Some(CellRule { features: features.to_vec(), table, cases, keep_unseen })
}

/// A feature's index in `FEATURE_NAMES` by its name.
pub fn feature_index(name: &str) -> Option<usize> {
    FEATURE_NAMES.iter().position(|&n| n == name)
}

/// Whether a feature's values are colours (or NONE): the features a case can copy.
pub fn is_colour_feature(feature: usize) -> bool {
    COPYABLE.contains(&feature)
}

/// How the learner searches.
#[derive(Debug, Clone, Copy)]
pub struct LearnOptions {
    /// Rules read 1 to this many features (at most 3).
    pub max_features: usize,
    /// How many rules to return, best first.
    pub max_rules: usize,
    /// Also accept rules that leave test cells of unseen cases unchanged.
    pub keep_unseen: bool,
}

/// Rules consistent with every train pair (input, output of the same shape) that apply
/// to every test input, best (fewest cases, then fewest features) first. Empty when the
/// pairs change shape.
pub fn learn(pairs: &[(&Grid, &Grid)], tests: &[&Grid], opts: LearnOptions) -> Vec<CellRule> {
    if pairs.is_empty() || pairs.iter().any(|(i, o)| !i.same_shape(o)) {
        return Vec::new();
    }
    let train = train_cells(pairs);
    let test: Vec<Features> = tests.iter().flat_map(|g| cell_features(g)).collect();
    let max_features = opts.max_features.clamp(1, 3);

    let mut subsets: Vec<Vec<usize>> = Vec::new();
    for a in 0..NUM_FEATURES {
        subsets.push(vec![a]);
        if max_features >= 2 {
            for b in a + 1..NUM_FEATURES {
                subsets.push(vec![a, b]);
                if max_features >= 3 {
                    for c in b + 1..NUM_FEATURES {
                        subsets.push(vec![a, b, c]);
                    }
                }
            }
        }
    }

    // (unseen test cells, cases, features, order) of every consistent subset.
    let mut found: Vec<(usize, usize, usize, usize, Vec<u32>)> = Vec::new();
    let mut table = vec![0u32; 1 << 12];
    'subsets: for (order, subset) in subsets.iter().enumerate() {
        let size = 1 << (4 * subset.len());
        if !fill_table(&train, subset, &mut table[..size]) {
            continue 'subsets;
        }
        let unseen = test.iter().filter(|f| table[CellRule::key(subset, f)] == 0).count();
        if unseen > 0 && !opts.keep_unseen {
            continue;
        }
        let cases = table[..size].iter().filter(|&&e| e != 0).count();
        found.push(((unseen > 0) as usize, cases, subset.len(), order, table[..size].to_vec()));
    }
    found.sort_by_key(|(unseen, cases, len, order, _)| (*unseen, *cases, *len, *order));
    found
        .into_iter()
        .take(opts.max_rules)
        .map(|(unseen, cases, _, order, entries)| {
            let features = subsets[order].clone();
            let table = entries.iter().map(|&e| (e != 0).then(|| choose(e, &features))).collect();
            CellRule { features, table, cases, keep_unseen: unseen > 0 }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grid;

    fn opts() -> LearnOptions {
        LearnOptions { max_features: 3, max_rules: 3, keep_unseen: false }
    }

    #[test]
    fn learns_fill_between_same_colours_and_transfers_to_a_new_colour() {
        // A background cell between two cells of one colour on its row takes that colour.
        let a = (grid!["1001", "0000"], grid!["1111", "0000"]);
        let b = (grid!["0200020", "0000000"], grid!["0222220", "0000000"]);
        let test = grid!["3003", "0000"];
        let rules = learn(&[(&a.0, &a.1), (&b.0, &b.1)], &[&test], opts());
        assert!(!rules.is_empty());
        assert_eq!(rules[0].apply(&test), Some(grid!["3333", "0000"]), "{}", rules[0].describe());
        assert_eq!(rules[0].apply(&a.0), Some(a.1.clone()));
    }

    #[test]
    fn refuses_shape_changes_and_contradictions() {
        let small = grid!["1"];
        let big = grid!["11"];
        assert!(learn(&[(&small, &big)], &[&small], opts()).is_empty());
        // Same input, two different outputs: no rule explains both.
        let x = grid!["12"];
        let (y1, y2) = (grid!["34"], grid!["56"]);
        assert!(learn(&[(&x, &y1), (&x, &y2)], &[&x], opts()).is_empty());
    }

    #[test]
    fn a_rule_learned_by_its_features_and_rebuilt_from_its_cases_is_the_same_rule() {
        let a = (grid!["1001", "0000"], grid!["1111", "0000"]);
        let b = (grid!["0200020", "0000000"], grid!["0222220", "0000000"]);
        let test = grid!["3003", "0000"];
        let pairs = [(&a.0, &a.1), (&b.0, &b.1)];
        for rule in learn(&pairs, &[&test], opts()) {
            let again = learn_features(&pairs, &rule.features, rule.keep_unseen).unwrap();
            assert_eq!(again.describe(), rule.describe());
            assert_eq!(again.case_list(), rule.case_list());
            let rebuilt = CellRule::from_cases(rule.features.clone(), &rule.case_list(), rule.keep_unseen).unwrap();
            assert_eq!(rebuilt.describe(), rule.describe());
            assert_eq!(rebuilt.apply(&test), rule.apply(&test));
        }
        let colour = feature_index("colour").unwrap();
        assert!(CellRule::from_cases(vec![colour], &[(vec![1], Action::Constant(2)), (vec![1], Action::Constant(3))], false).unwrap_err().contains("repeats"));
        assert!(CellRule::from_cases(vec![colour], &[(vec![1], Action::Copy(feature_index("enclosed").unwrap()))], false).is_err());
        assert!(learn_features(&pairs, &[colour, colour], false).is_none());
    }

    #[test]
    fn identity_is_the_simplest_rule_of_an_unchanged_grid() {
        let g = grid!["123", "456"];
        let rules = learn(&[(&g, &g)], &[&g], opts());
        assert_eq!(rules[0].cases, 1, "{}", rules[0].describe());
        assert_eq!(rules[0].apply(&grid!["789"]), Some(grid!["789"]));
    }
}
