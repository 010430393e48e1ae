//! The executors give one meaning: every op of the table over all its parameter values,
//! and random programs, on random grids (1x1 to 30x30, all colours, one-colour and sparse
//! grids, degenerate ones) yield identical outputs and scores on Vulkan, on the rayon CPU
//! executor and in the DSL-written reference. Each op is also checked against hand-made
//! examples. With BATT_REQUIRE_GPU=1 (README test command, CI) a missing Vulkan device
//! fails these tests.

use std::sync::{Mutex, OnceLock};

use batt::engine::ops::table::{self, OPS};
use batt::engine::program::{Op, Program, Step};
use batt::engine::vulkan::VulkanExecutor;
use batt::engine::{cpu_eval, reference, Item, ItemResult};
use batt::grid;
use batt::grid::Grid;
use proptest::prelude::*;

fn executor() -> Option<&'static Mutex<VulkanExecutor>> {
    static EXECUTOR: OnceLock<Option<Mutex<VulkanExecutor>>> = OnceLock::new();
    EXECUTOR
        .get_or_init(|| match VulkanExecutor::new(&batt::engine::vulkan::DeviceChoice::Any) {
            Ok(e) => Some(Mutex::new(e)),
            Err(err) => {
                if std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1") {
                    panic!("BATT_REQUIRE_GPU=1 but no Vulkan executor: {err:#}");
                }
                eprintln!("SKIPPED: no Vulkan device ({err:#}); set BATT_REQUIRE_GPU=1 to fail instead");
                None
            }
        })
        .as_ref()
}

fn cross_items(programs: usize, grids: usize, expected: impl Fn(usize) -> Option<u32>) -> Vec<Item> {
    let mut items = Vec::new();
    for p in 0..programs {
        for g in 0..grids {
            items.push(Item { program: p as u32, input: g as u32, expected: expected(g), want_output: true });
        }
    }
    items
}

/// The fast CPU executor against the DSL-written reference meaning (list programs
/// included: the reference follows positions and lists plainly).
fn assert_cpu_matches_reference(programs: &[Program], grids: &[Grid], items: &[Item]) {
    let cpu = cpu_eval::evaluate(programs, grids, items);
    for (i, (c, it)) in cpu.iter().zip(items).enumerate() {
        let p = &programs[it.program as usize];
        let out = reference::run_program(p, &grids[it.input as usize]);
        let expected = ItemResult::from_output(out, it.expected.map(|e| &grids[e as usize]), it.want_output);
        assert_eq!(c, &expected, "item {i}: cpu vs reference for `{p}` on {:?}", grids[it.input as usize]);
    }
}

fn assert_same(programs: &[Program], grids: &[Grid], items: &[Item]) {
    assert_cpu_matches_reference(programs, grids, items);
    let Some(exec) = executor() else { return };
    let gpu = exec.lock().unwrap().evaluate(programs, grids, items).expect("GPU evaluation");
    let cpu = cpu_eval::evaluate(programs, grids, items);
    for (i, (g, c)) in gpu.iter().zip(&cpu).enumerate() {
        let it = items[i];
        assert_eq!(
            g, c,
            "item {i}: program `{}` on grid {:?} (expected {:?})",
            programs[it.program as usize], grids[it.input as usize], it.expected
        );
    }
}

/// A random step: any op of the table, its parameters drawn over their whole ranges.
fn step_strategy() -> impl Strategy<Value = Step> {
    let op = prop::sample::select(Op::ALL.to_vec());
    (op, prop::array::uniform16(any::<u32>())).prop_map(|(op, draws)| {
        let mut next = draws.into_iter();
        Step::random(op, |n| next.next().expect("16 draws cover any op's parameters") % n)
    })
}

fn program_strategy() -> impl Strategy<Value = Program> {
    prop::collection::vec(step_strategy(), 1..=4).prop_map(|steps| Program::new(steps).unwrap())
}

fn grid_strategy() -> impl Strategy<Value = Grid> {
    (1usize..=30, 1usize..=30, prop::collection::vec(0u8..10, 1..=10), prop::bool::weighted(0.3)).prop_flat_map(
        |(rows, cols, palette, sparse)| {
            let cell = prop::sample::select(palette.clone()).prop_map(move |c| c);
            prop::collection::vec((cell, prop::bool::weighted(if sparse { 0.15 } else { 1.0 })), rows * cols).prop_map(
                move |cells| {
                    let first = palette[0];
                    let cells = cells.into_iter().map(|(c, keep)| if keep { c } else { first }).collect();
                    Grid::from_cells(rows, cols, cells).unwrap()
                },
            )
        },
    )
}

/// The cross-product layout (no per-item upload) gives the item layout's answers.
fn assert_cross_same(programs: &[Program], inputs: &[Grid], expecteds: &[Grid]) {
    let n = inputs.len();
    let mut grids = inputs.to_vec();
    grids.extend_from_slice(expecteds);
    let items: Vec<Item> = (0..programs.len() * n)
        .map(|k| Item { program: (k / n) as u32, input: (k % n) as u32, expected: Some((n + k % n) as u32), want_output: true })
        .collect();
    let by_items = cpu_eval::evaluate(programs, &grids, &items);
    assert_eq!(cpu_eval::evaluate_cross(programs, inputs, Some(expecteds), true), by_items, "cpu cross vs items");
    let Some(exec) = executor() else { return };
    let gpu = exec.lock().unwrap().evaluate_cross(programs, inputs, Some(expecteds), true).expect("GPU evaluation");
    assert_eq!(gpu, by_items, "gpu cross vs cpu items");
}

/// A random program over a list state: a split, one to `most_middle` random steps (each
/// mapped over the elements, or a filter), then a join (compose, compose_growing or a stack).
fn list_program_strategy(most_middle: usize) -> impl Strategy<Value = Program> {
    let split = (0u32..table::PARTS.len() as u32).prop_map(|parts| Step::with(Op::Split, parts, 0));
    let join = prop_oneof![Just(Step::new(Op::Compose)), Just(Step::new(Op::ComposeGrowing)), (0u32..3).prop_map(|order| Step::with(Op::Stack, order, 0))];
    (split, prop::collection::vec(step_strategy(), 1..=most_middle), join).prop_map(|(split, middle, join)| {
        let mut steps = vec![split];
        steps.extend(middle);
        steps.push(join);
        Program::new(steps).unwrap()
    })
}

/// Every program on every grid, each input scored against the next grid and the first
/// against itself: the executors agree (`assert_same`).
fn assert_same_scored_against_the_next_grid(programs: &[Program], grids: &[Grid]) {
    let n = grids.len();
    let items = cross_items(programs.len(), n, |g| Some(if g == 0 { 0 } else { ((g + 1) % n) as u32 }));
    assert_same(programs, grids, &items);
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=N for a longer search.

    /// Two steps at most between the split and the join: lavapipe (Mesa 22.3, the CI's
    /// Vulkan device) loses private stores in longer chains over lists of 20 or more
    /// elements, see `long_list_chains_over_many_columns_agree`.
    #[test]
    fn random_list_programs_on_random_grids_agree(programs in prop::collection::vec(list_program_strategy(2), 1..12),
                                                  grids in prop::collection::vec(grid_strategy(), 1..6)) {
        assert_same_scored_against_the_next_grid(&programs, &grids);
    }

    /// Three steps between the split and the join: agrees on an NVIDIA H200 (docs/development.md,
    /// "Testing"); on lavapipe about one case in three thousand does not.
    #[test]
    #[ignore = "lavapipe (Mesa 22.3) miscompiles some of these; run with --ignored on a hardware GPU"]
    fn random_long_list_programs_on_random_grids_agree(programs in prop::collection::vec(list_program_strategy(3), 1..12),
                                                       grids in prop::collection::vec(grid_strategy(), 1..6)) {
        assert_same_scored_against_the_next_grid(&programs, &grids);
    }

    /// Where each output lies, not only its cells: the CPU executor's positions are the
    /// reference's, for programs of any steps and for list programs (whose joins lay the
    /// elements where they lie).
    #[test]
    fn random_programs_put_their_outputs_where_the_reference_does(programs in prop::collection::vec(program_strategy(), 1..8),
                                                                 lists in prop::collection::vec(list_program_strategy(3), 1..8),
                                                                 grids in prop::collection::vec(grid_strategy(), 1..4)) {
        for p in programs.iter().chain(&lists) {
            for g in &grids {
                let fast = cpu_eval::run_program_positioned(p, g, (0, 0));
                prop_assert_eq!(&fast, &reference::run_program_positioned(p, g), "`{}` on {:?}", p, g);
            }
        }
    }

    #[test]
    fn random_programs_on_random_grids_agree(programs in prop::collection::vec(program_strategy(), 1..12),
                                             grids in prop::collection::vec(grid_strategy(), 1..6)) {
        assert_same_scored_against_the_next_grid(&programs, &grids);
        let mut expecteds = grids.clone();
        expecteds.rotate_left(1);
        assert_cross_same(&programs, &grids, &expecteds);
    }
}

/// A small deterministic generator (xorshift) for the fixed grids of the exhaustive test.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % n
    }
}

/// Grids every op is tried on: degenerate ones (1x1, one row, one column, one colour, the
/// largest size) and random ones of every kind (dense, sparse, few colours, with objects).
fn test_grids() -> Vec<Grid> {
    let mut grids = vec![grid!["7"], grid!["0000"], grid!["5", "5", "5"], Grid::filled(30, 30, 9).unwrap(), grid!["12", "34"]];
    grids.push(grid!["00000", "01110", "01010", "01110", "00000"]);
    grids.push(grid!["10511", "11501"]);
    grids.push(grid!["105", "555", "001"]);
    let mut rng = Rng(0x0b5e55ed);
    // 30x30 cut into cells by lines of 8 (rows 3, 7, .., 27 and columns 4, 9, .., 29)
    let cut = (0..900).map(|i| if (i / 30) % 4 == 3 || (i % 30) % 5 == 4 { 8 } else { rng.below(3) as u8 * 2 }).collect();
    grids.push(Grid::from_cells(30, 30, cut).unwrap());
    // objects that wind up and down (a labelling that sweeps rows must turn many times): a
    // serpentine of 3 through every other column, with an enclosed pocket and diagonal
    // steps of 5 beside it, and a square spiral of 4
    let serpentine = (0..12 * 20)
        .map(|i| {
            let (r, c) = (i / 20, i % 20);
            let turn = if (c / 2) % 2 == 0 { r == 11 } else { r == 0 };
            if c < 16 && (c % 2 == 0 || turn) { 3 } else if c >= 17 && (r + c) % 3 == 0 { 5 } else { 0 }
        })
        .collect();
    grids.push(Grid::from_cells(12, 20, serpentine).unwrap());
    // the spiral: walk on, keeping a gap of one cell to the walls already drawn; turn right
    // when blocked, stop when blocked again at once
    let mut spiral = vec![0u8; 15 * 15];
    let inside = |r: i32, c: i32| (0..15).contains(&r) && (0..15).contains(&c);
    let (mut r, mut c, mut d, mut turned) = (0i32, 0i32, 0usize, false);
    spiral[0] = 4;
    loop {
        let (dr, dc) = [(0, 1), (1, 0), (0, -1), (-1, 0)][d];
        let next_free = inside(r + dr, c + dc) && spiral[((r + dr) * 15 + c + dc) as usize] == 0;
        let gap_kept = !inside(r + 2 * dr, c + 2 * dc) || spiral[((r + 2 * dr) * 15 + c + 2 * dc) as usize] == 0;
        if next_free && gap_kept {
            (r, c, turned) = (r + dr, c + dc, false);
            spiral[(r * 15 + c) as usize] = 4;
        } else if turned {
            break;
        } else {
            (d, turned) = ((d + 1) % 4, true);
        }
    }
    grids.push(Grid::from_cells(15, 15, spiral).unwrap());
    for k in 0..16 {
        let rows = 1 + rng.below(if k < 8 { 10 } else { 30 }) as usize;
        let cols = 1 + rng.below(if k < 8 { 10 } else { 30 }) as usize;
        let colours = 1 + rng.below(10);
        let sparse = k % 3 == 0;
        let cells = (0..rows * cols)
            .map(|_| if sparse && rng.below(5) != 0 { 0 } else { rng.below(colours) as u8 })
            .collect();
        grids.push(Grid::from_cells(rows, cols, cells).unwrap());
    }
    grids
}

/// Every op over every value of its parameters (colour tables: a fixed sample) on the
/// test grids, each scored against another grid: Vulkan, rayon and the reference agree.
/// New ops are covered by construction: the steps come from the op table.
#[test]
fn every_op_over_all_its_parameter_values_agrees() {
    let tables = [[0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [9, 8, 7, 6, 5, 4, 3, 2, 1, 0], [1, 1, 1, 1, 1, 1, 1, 1, 1, 1], [0, 2, 1, 3, 3, 5, 9, 7, 8, 6]];
    let grids = test_grids();
    let n = grids.len();
    let mut programs = Vec::new();
    for op in Op::ALL {
        let steps = Step::every(op, &tables);
        let spec = op.spec();
        let expected_count: usize = spec.params.iter().map(|p| p.kind.values().map_or(tables.len(), |v| v.count())).product();
        assert_eq!(steps.len(), expected_count, "{}: every combination of its parameter values", spec.name);
        for s in steps {
            assert!(s.validate().is_ok(), "{s}: {:?}", s.validate());
            programs.push(Program::new(vec![s]).unwrap());
        }
    }
    let items = cross_items(programs.len(), n, |g| Some(((g + 1) % n) as u32));
    assert_same(&programs, &grids, &items);
}

/// Each op has its four parts, found by name: the table entry, the CPU kernel and the
/// reference in `src/engine/ops/<family>.rs`, the GLSL function in
/// `shaders/ops/<family>.glsl` (the build already fails when one is missing: the
/// dispatch is generated from the table); and no family file defines an op that the table
/// does not list.
#[test]
fn every_op_has_its_four_parts_and_no_part_is_left_over() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut rust_kernels = Vec::new();
    let mut glsl_kernels = Vec::new();
    for family in batt::engine::ops::spec::FAMILIES {
        let rust = std::fs::read_to_string(root.join(format!("src/engine/ops/{family}.rs"))).unwrap();
        let glsl = std::fs::read_to_string(root.join(format!("shaders/ops/{family}.glsl"))).unwrap();
        for line in rust.lines() {
            if let Some(rest) = line.strip_prefix("pub fn ") {
                let name = &rest[..rest.find('(').unwrap()];
                rust_kernels.push((family.to_string(), name.to_string()));
            }
        }
        for line in glsl.lines() {
            if let Some(rest) = line.strip_prefix("bool op_") {
                glsl_kernels.push((family.to_string(), rest[..rest.find('(').unwrap()].to_string()));
            }
        }
    }
    for spec in OPS {
        let family = spec.family.to_string();
        for part in [spec.name.to_string(), format!("{}_reference", spec.name)] {
            assert!(rust_kernels.contains(&(family.clone(), part.clone())), "src/engine/ops/{family}.rs lacks `pub fn {part}`");
        }
        assert!(glsl_kernels.contains(&(family.clone(), spec.name.to_string())), "shaders/ops/{family}.glsl lacks `bool op_{}`", spec.name);
    }
    for (family, name) in &rust_kernels {
        let op = name.strip_suffix("_reference").unwrap_or(name);
        assert!(OPS.iter().any(|s| s.name == op && s.family == family), "src/engine/ops/{family}.rs: `{name}` is no op of the table in family {family}");
    }
    for (family, name) in &glsl_kernels {
        assert!(OPS.iter().any(|s| s.name == name && s.family == family), "shaders/ops/{family}.glsl: `op_{name}` is no op of the table in family {family}");
    }
}

/// A step from its text form.
fn step(text: &str) -> Step {
    Program::parse(text).unwrap().steps()[0]
}

/// A 4x4 square of colour 1 in a ring of background.
fn square() -> Grid {
    grid!["000000", "011110", "011110", "011110", "011110", "000000"]
}

/// Three objects on background 0, in row-major order of their first cell: a 2x2 block of
/// three colours (4 cells, box 4), a single 5 (1 cell, box 1, 1 colour) and an L of colour
/// 4 (4 cells, box 2x3 = 6, 1 colour).
fn many_objects() -> Grid {
    grid!["120000", "330000", "000005", "400000", "444000", "000000"]
}

/// One hand-made example per op, checked on the CPU and on Vulkan.
#[test]
fn each_op_on_a_hand_made_example() {
    let g = grid!["120", "340"];
    let cases: Vec<(Step, Option<Grid>)> = vec![
        (step("identity"), Some(g.clone())),
        (step("rot90"), Some(grid!["31", "42", "00"])),
        (step("rot180"), Some(grid!["043", "021"])),
        (step("rot270"), Some(grid!["00", "24", "13"])),
        (step("flip_updown"), Some(grid!["340", "120"])),
        (step("flip_leftright"), Some(grid!["021", "043"])),
        (step("transpose"), Some(grid!["13", "24", "00"])),
        (step("antitranspose"), Some(grid!["00", "42", "31"])),
        // background is 0 (most common): content is the left 2x2
        (step("crop_content"), Some(grid!["12", "34"])),
        (step("recolor(0->7)"), Some(grid!["127", "347"])),
        (step("permute(5432106789)"), Some(grid!["435", "215"])),
        (step("erase(3)"), Some(grid!["120", "040"])),
        (step("upscale(2)"), Some(grid!["112200", "112200", "334400", "334400"])),
        (step("downscale(2)"), Some(grid!["10"])),
        (step("tile(2x1)"), Some(grid!["120", "340", "120", "340"])),
        (step("tile_mirrored(2x2)"), Some(grid!["120021", "340043", "340043", "120021"])),
        (step("half(top)"), Some(grid!["120"])),
        // a grid alone has no pair, so no output size (the search tests run it at one)
        (step("to_output_size(embed)"), None),
        (step("to_output_size(wrap)"), None),
        // nor a position on a canvas of that size; to_origin leaves the cells as they are
        (step("place"), None),
        (step("to_origin"), Some(g.clone())),
        (step("half(bottom)"), Some(grid!["340"])),
        (step("half(left)"), Some(grid!["1", "3"])),
        (step("half(right)"), Some(grid!["0", "0"])),
    ];
    let objects = grid!["0000", "0110", "0012", "3000"];
    let ring = grid!["00000", "01110", "01010", "01110", "00000"];
    let framed = || grid!["1110555", "1210555", "1110555", "0000000", "0444000", "0404000", "0444000"];
    let object_cases: Vec<(Step, Grid, Option<Grid>)> = vec![
        (step("crop_largest"), objects.clone(), Some(grid!["11", "01"])),
        (step("crop_smallest"), objects.clone(), Some(grid!["2"])),
        (step("keep_largest"), objects.clone(), Some(grid!["0000", "0110", "0010", "0000"])),
        (step("paint(5)"), objects.clone(), Some(grid!["0000", "0550", "0055", "5000"])),
        (step("dedupe"), grid!["1122", "1122", "3344"], Some(grid!["12", "34"])),
        (step("gravity(down)"), grid!["10", "00", "02"], Some(grid!["00", "00", "12"])),
        (step("gravity(left)"), grid!["010", "002"], Some(grid!["100", "200"])),
        (step("fill_enclosed(4)"), ring.clone(), Some(grid!["00000", "01110", "01410", "01110", "00000"])),
        (step("outline(1)"), grid!["000", "050", "000", "000"], Some(grid!["111", "151", "111", "000"])),
        (step("symmetrize(horizontal)"), grid!["120", "300"], Some(grid!["121", "303"])),
        (step("symmetrize(both)"), grid!["100", "000", "000"], Some(grid!["101", "000", "101"])),
        // all: every symmetry of the square; the first image with a colour wins (left-right first)
        (step("symmetrize(all)"), grid!["120", "000", "000"], Some(grid!["121", "202", "121"])),
        (step("symmetrize(all)"), grid!["300", "000", "004"], Some(grid!["303", "000", "404"])),
        (step("symmetrize(all)"), grid!["12", "00", "00"], None),
        (step("split_combine(side,and,2)"), grid!["10511", "11501"], Some(grid!["20", "02"])),
        (step("split_combine(stacked,nor,6)"), grid!["10", "55", "00"], Some(grid!["06"])),
        (step("split_combine(side,and,2)"), grid!["10201", "11500"], None),
        (step("denoise"), grid!["1000", "0000", "0022"], Some(grid!["0000", "0000", "0022"])),
        (step("keep_color(2)"), grid!["120", "340"], Some(grid!["020", "000"])),
        (step("drop_blank"), grid!["0000", "0100", "0000", "2003"], Some(grid!["010", "203"])),
        (step("drop_blank"), grid!["00", "00"], None),
        (step("border"), square(), Some(grid!["000000", "011110", "010010", "010010", "011110", "000000"])),
        (step("interior(5)"), square(), Some(grid!["000000", "011110", "015510", "015510", "011110", "000000"])),
        (step("connect(horizontal)"), grid!["1001", "0000", "2020"], Some(grid!["1111", "0000", "2220"])),
        (step("connect(vertical)"), grid!["10", "00", "13"], Some(grid!["10", "10", "13"])),
        (step("connect(both)"), grid!["102", "000", "100"], Some(grid!["102", "100", "100"])),
        (step("smear(down)"), grid!["102", "000", "030"], Some(grid!["102", "102", "132"])),
        (step("smear(left)"), grid!["0010", "0200"], Some(grid!["1110", "2200"])),
        (step("smear(down_right)"), grid!["1000", "0000", "0000"], Some(grid!["1000", "0100", "0010"])),
        (step("smear(up_left)"), grid!["000", "000", "002"], Some(grid!["200", "020", "002"])),
        (step("smear(up_right)"), grid!["000", "000", "300"], Some(grid!["003", "030", "300"])),
        (step("smear(down_left)"), grid!["0040", "0000", "0000"], Some(grid!["0040", "0400", "4000"])),
        (step("crop_object(largest)"), many_objects(), Some(grid!["12", "33"])),
        (step("crop_object(smallest)"), many_objects(), Some(grid!["5"])),
        (step("crop_object(largest_box)"), many_objects(), Some(grid!["400", "444"])),
        (step("crop_object(smallest_box)"), many_objects(), Some(grid!["5"])),
        (step("crop_object(most_colors)"), many_objects(), Some(grid!["12", "33"])),
        (step("crop_object(fewest_colors)"), many_objects(), Some(grid!["5"])),
        (step("crop_object(largest)"), grid!["00", "00"], None),
        (step("repeat_to(3x5)"), grid!["12", "34"], Some(grid!["12121", "34343", "12121"])),
        (step("mirror_to(3x5)"), grid!["12", "34"], Some(grid!["12211", "34433", "34433"])),
        (step("embed(3x4)"), grid!["12", "34"], Some(grid!["1211", "3411", "1111"])),
        (step("embed(1x1)"), grid!["12", "34"], Some(grid!["1"])),
        (step("pick(objects, largest)"), many_objects(), Some(grid!["12", "33"])),
        (step("isolate(objects, largest)"), many_objects(), Some(grid!["120000", "330000", "000000", "000000", "000000", "000000"])),
        (step("isolate(objects, bottom)"), many_objects(), Some(grid!["000000", "000000", "000000", "400000", "444000", "000000"])),
        (step("isolate(colors, smallest)"), grid!["11200", "01002"], Some(grid!["00200", "00002"])),
        (step("isolate(rows, most_colors)"), grid!["100", "230", "004"], Some(grid!["000", "230", "000"])),
        (step("isolate(objects, largest)"), grid!["00", "00"], None),
        (step("pick(objects, smallest)"), many_objects(), Some(grid!["5"])),
        (step("pick(objects, largest_box)"), many_objects(), Some(grid!["400", "444"])),
        (step("pick(objects, smallest_box)"), many_objects(), Some(grid!["5"])),
        (step("pick(objects, most_colors)"), many_objects(), Some(grid!["12", "33"])),
        (step("pick(objects, fewest_colors)"), many_objects(), Some(grid!["5"])),
        (step("pick(objects, top)"), many_objects(), Some(grid!["12", "33"])),
        (step("pick(objects, bottom)"), many_objects(), Some(grid!["400", "444"])),
        (step("pick(objects, left)"), many_objects(), Some(grid!["12", "33"])),
        (step("pick(objects, right)"), many_objects(), Some(grid!["5"])),
        (step("pick(objects, most_holes)"), many_objects(), Some(grid!["400", "444"])),
        (step("pick(objects, fewest_holes)"), many_objects(), Some(grid!["12", "33"])),
        // only the picked object's own cells: the 2 inside the C's box becomes background
        (step("pick(objects, largest)"), grid!["111110", "100000", "100200", "100000", "111110"], Some(grid!["11111", "10000", "10000", "10000", "11111"])),
        (step("pick(objects, largest)"), grid!["1000", "0100", "0022"], Some(grid!["22"])),
        (step("pick(objects8, largest)"), grid!["1000", "0100", "0022"], Some(grid!["1000", "0100", "0022"])),
        (step("pick(objects8, smallest)"), grid!["1000", "0000", "0022"], Some(grid!["1"])),
        (step("pick(colors, largest)"), many_objects(), Some(grid!["400", "444"])),
        (step("pick(colors, smallest)"), many_objects(), Some(grid!["1"])),
        (step("pick(colors, right)"), many_objects(), Some(grid!["5"])),
        (step("pick(colors, bottom)"), many_objects(), Some(grid!["400", "444"])),
        (step("pick(colors, largest_box)"), grid!["1020", "0000", "1000"], Some(grid!["1", "0", "1"])),
        (step("pick(objects, largest)"), grid!["00", "00"], None),
        // components: one colour, 4-connected (the 1s and the 2s touch: one object, two components)
        (step("pick(components, largest)"), grid!["1120", "1220", "0003"], Some(grid!["11", "10"])),
        (step("pick(objects, largest)"), grid!["1120", "1220", "0003"], Some(grid!["112", "122"])),
        (step("pick(components, smallest)"), grid!["1120", "1220", "0003"], Some(grid!["3"])),
        (step("isolate(components, right)"), grid!["1120", "1220", "0003"], Some(grid!["0000", "0000", "0003"])),
        (step("pick(components, largest)"), grid!["00", "00"], None),
        // framed: the insides of the 1s' and the 4s' frames; the 5s fill their box (no frame),
        // the 6s' ring has a tail (more cells than a border)
        (step("pick(framed, largest)"), framed(), Some(grid!["2"])),
        (step("pick(framed, bottom)"), framed(), Some(grid!["0"])),
        (step("pick(framed, largest_box)"), framed(), Some(grid!["2"])),
        (step("isolate(framed, top)"), framed(), Some(grid!["0000000", "0200000", "0000000", "0000000", "0000000", "0000000", "0000000"])),
        (step("pick(framed, smallest)"), grid!["00000", "06660", "06060", "06660", "06000", "00000"], None),
        (step("pick(framed, largest)"), grid!["000000", "011110", "010310", "010010", "011110", "000000"], Some(grid!["03", "00"])),
        // a grid cut by lines of 5 into four 2x2 cells
        (step("pick(cut, largest)"), grid!["10502", "00500", "55555", "30500", "33504"], Some(grid!["30", "33"])),
        (step("pick(cut, smallest)"), grid!["10502", "00500", "55555", "30500", "33504"], Some(grid!["10", "00"])),
        (step("pick(cut, right)"), grid!["10502", "00500", "55555", "30500", "33504"], Some(grid!["02", "00"])),
        (step("pick(cut, bottom)"), grid!["10502", "00500", "55555", "30500", "33504"], Some(grid!["30", "33"])),
        (step("pick(cut, largest)"), grid!["12", "34"], None),
        (step("pick(objects, unique_color)"), many_objects(), None),
        (step("pick(objects, unique_color)"), grid!["1010", "0000", "2010"], Some(grid!["2"])),
        (step("pick(cut, unique_color)"), grid!["10501", "00500", "55555", "10500", "02501"], Some(grid!["10", "02"])),
        (step("pick(cut, unique_color)"), grid!["10502", "00500", "55555", "30500", "33504"], None),
        (step("pick(colors, unique_color)"), grid!["0010", "0000"], Some(grid!["1"])),
        (step("pick(rows, largest)"), many_objects(), Some(grid!["444000"])),
        (step("pick(columns, most_colors)"), many_objects(), Some(grid!["1", "3", "0", "4", "4", "0"])),
        (step("pick(columns, right)"), many_objects(), Some(grid!["0", "0", "5", "0", "0", "0"])),
        (step("pick(rows, unique_color)"), many_objects(), None),
        (step("majority_color"), many_objects(), Some(grid!["4"])),
        (step("majority_color"), grid!["00", "00"], None),
        // no 0: every colour counts (the background rule would set the 9s aside)
        (step("majority_color"), grid!["689", "181", "949"], Some(grid!["9"])),
        (step("count(cells, row)"), many_objects(), Some(grid!["444444444"])),
        (step("count(colors, column)"), many_objects(), Some(grid!["4", "4", "4", "4", "4"])),
        (step("count(objects, square)"), many_objects(), Some(grid!["444", "444", "444"])),
        (step("count(objects, row)"), grid!["00", "00"], None),
        (step("fill_box(7)"), grid!["0000", "0100", "0020", "0000"], Some(grid!["0000", "0170", "0720", "0000"])),
        (step("fill_box(7)"), grid!["00", "00"], Some(grid!["00", "00"])),
        (step("frame(3)"), grid!["000", "050", "000"], Some(grid!["333", "353", "333"])),
        (step("frame(3)"), grid!["12"], Some(grid!["33"])),
        (step("resize_to(4x4)"), grid!["12", "34"], Some(grid!["1122", "1122", "3344", "3344"])),
        (step("resize_to(1x2)"), grid!["1122", "3344"], Some(grid!["12"])),
        (step("resize_to(3x3)"), grid!["12", "34"], Some(grid!["112", "112", "334"])),
        (step("wrap_to(2x3)"), grid!["12300"], Some(grid!["123", "000"])),
        (step("wrap_to(1x2)"), grid!["12", "34"], Some(grid!["12"])),
        (step("pad(5)"), grid!["12"], Some(grid!["5555", "5125", "5555"])),
        (step("unpad"), grid!["555", "515", "555"], Some(grid!["1"])),
        (step("unpad"), grid!["12", "34"], None),
        (step("shift(1, -1)"), grid!["0000", "0120", "0000"], Some(grid!["0000", "0000", "1200"])),
        (step("shift(-1, 2)"), grid!["0000", "0120", "0000"], Some(grid!["0001", "0000", "0000"])),
        (step("shift(0, 0)"), grid!["12", "34"], Some(grid!["12", "34"])),
        // 1 and 2 spread one step at a time; (0,1) is reached by 1 first (row-major sources)
        (step("spread(all)"), grid!["1000", "0000", "0002"], Some(grid!["1112", "1122", "1222"])),
        (step("spread(skip_majority)"), grid!["3300", "0000", "0002"], Some(grid!["3322", "2222", "2222"])),
        (step("spread(all)"), grid!["00", "00"], Some(grid!["00", "00"])),
    ];
    for (step, input, expected) in &object_cases {
        let p = Program::new(vec![*step]).unwrap();
        assert_eq!(cpu_eval::run_program(&p, input).as_ref(), expected.as_ref(), "cpu: {p}");
        assert_eq!(reference::run_program(&p, input).as_ref(), expected.as_ref(), "reference: {p}");
    }
    let object_programs: Vec<Program> = object_cases.iter().map(|(s, _, _)| Program::new(vec![*s]).unwrap()).collect();
    let object_grids: Vec<Grid> = object_cases.iter().map(|(_, g, _)| g.clone()).collect();
    let diagonal: Vec<Item> = (0..object_cases.len())
        .map(|i| Item { program: i as u32, input: i as u32, expected: Some(i as u32), want_output: true })
        .collect();
    assert_same(&object_programs, &object_grids, &diagonal);
    // steps that cannot apply give no output, the same way on both executors
    let big = Grid::filled(8, 8, 1).unwrap();
    let programs: Vec<Program> = cases.iter().map(|(s, _)| Program::new(vec![*s]).unwrap()).collect();
    for (p, (_, expected)) in programs.iter().zip(&cases) {
        assert_eq!(cpu_eval::run_program(p, &g).as_ref(), expected.as_ref(), "cpu: {p}");
        assert_eq!(reference::run_program(p, &g).as_ref(), expected.as_ref(), "reference: {p}");
    }
    let over = Program::new(vec![step("upscale(4)")]).unwrap();
    assert_eq!(cpu_eval::run_program(&over, &big), None, "32x32 does not fit");
    let empty = Program::new(vec![step("crop_content")]).unwrap();
    assert_eq!(cpu_eval::run_program(&empty, &big), None, "no content besides the background");
    let mut all = programs.clone();
    all.push(over);
    all.push(empty);
    let grids = vec![g, big];
    let items = cross_items(all.len(), grids.len(), |_| Some(0));
    assert_same(&all, &grids, &items);
}

/// Found by the random test (lavapipe, CI): line ops chained on large one-colour grids,
/// where the former per-cell line scans came out wrong on lavapipe.
#[test]
fn line_ops_chained_on_large_one_colour_grids_agree() {
    let programs: Vec<Program> = ["connect(horizontal) | connect(both)", "identity | connect(horizontal) | connect(both)", "connect(vertical) | smear(up) | connect(both)", "smear(left) | smear(down) | connect(horizontal)"]
        .iter()
        .map(|text| Program::new(text.split(" | ").map(step).collect()).unwrap())
        .collect();
    let grids = vec![Grid::from_cells(23, 30, vec![4; 690]).unwrap(), Grid::from_cells(30, 30, vec![2; 900]).unwrap(), many_objects()];
    let items = cross_items(programs.len(), grids.len(), |g| Some(g as u32));
    assert_same(&programs, &grids, &items);
}

/// Threads side by side running different list programs (the proptest's shrunk case from a
/// CI run on lavapipe): with 64 threads to a workgroup, Mesa 22.3's lavapipe let one
/// thread's stores land in its neighbours' grids (`workgroup_size_for` in
/// src/engine/vulkan/context.rs); `BATT_GPU_WORKGROUP_SIZE=64` makes this test fail there.
#[test]
fn threads_running_different_list_programs_side_by_side_agree() {
    let grid = grid![
        "777777777777777777777777777777", "777777777777777777777777777777", "777777777777777777777777777777",
        "777777777777777777777777777707", "777777777777777777777777777700", "000406400766484076304000637363",
        "780374607747478704747083376768", "744437664078666877084084744076", "046707666636608667300647030064",
        "406774607033764406667000644066", "684334864360046704804477377477", "608647433708700774684060360687",
        "866476807866437483477646607030", "633800667086746668603807407077", "444330467737080366044604347378",
        "064474440643738670004866683007", "666444006470080706476863768307", "786743633004468000704676047084",
        "487076678680704700047787763764", "044463876787680844466076477464", "847438707044078078340764706877",
        "006476634764337607000688644866", "646674844404003474606846074064", "704387434037077377730607767633",
        "443446034078777368877408070686", "378786407007406064666007064736", "444643666767086646604000047447",
        "766747367747770666664073376343",
    ];
    let objects = "split(objects) | identity | compose";
    let gravity = "split(objects) | gravity(left) | identity | compose";
    let columns = "split(columns) | gravity(left) | dedupe | identity | compose";
    let batches: [&[&str]; 3] = [
        &[objects, objects, objects, objects, objects, objects, gravity, columns],
        &["identity", objects, objects, objects, objects, objects, gravity, columns],
        &[objects, objects, objects, objects, objects, objects, gravity, "split(columns) | gravity(left) | gravity(left) | identity | compose"],
    ];
    for texts in batches {
        let programs: Vec<Program> = texts.iter().map(|t| Program::parse(t).unwrap()).collect();
        let grids = vec![grid.clone()];
        let items = cross_items(programs.len(), 1, |_| Some(0));
        assert!(cpu_eval::evaluate(&programs, &grids, &items).iter().all(|r| r.output.is_some()), "every program has an output");
        assert_same(&programs, &grids, &items);
    }
}

/// The proptest's case from CI runs on lavapipe: `isolate(colors, ..)` mapped over a list
/// and then two or more further mapped steps came out wrong (elements emptied or no output)
/// with the ten-pass colour scan in ops/objects.glsl; one pass over the cells fixed it.
/// Each program alone in its batch, and all of them in one.
#[test]
fn list_steps_after_isolate_by_colour_agree() {
    let grid = grid![
        "300030203883333328288338083", "882832228830328302833838388", "803388880333288883383800382",
        "080382208388338883338832208", "338330820882223383023020332", "823323083003238333883808888",
        "202838308883388023083833823", "088083223230832838823308230", "328880088003300888380030038",
        "332883233003833282038833823", "833838238888308333223888282", "323280200883883888030330303",
        "300838038088232303302020333", "333008883833338038822003200", "820383802300888232000338800",
        "823088302033283303888382380", "833333238888080833832338083", "822288338323228888328088880",
        "803833888232883203383380808", "883032802830380882800383888", "320823338880333808833338338",
        "833083808883222038030828208", "322208838030328022830330828", "283822328332883332830333803",
        "203888382803838338333003303",
    ];
    let texts = [
        "split(columns) | isolate(colors,top) | border | crop_smallest | compose",
        "split(columns) | isolate(colors,top) | identity | identity | identity | compose",
        "split(columns) | isolate(colors,top) | border | crop_smallest | stack(across)",
        "split(columns) | isolate(colors,top) | border | crop_smallest | to_origin | compose",
        "split(columns) | isolate(colors,bottom) | border | crop_smallest | compose",
        "split(columns) | isolate(colors,largest) | identity | identity | identity | compose",
    ];
    let programs: Vec<Program> = texts.iter().map(|t| Program::parse(t).unwrap()).collect();
    let grids = vec![grid];
    let single = cross_items(1, 1, |_| Some(0));
    for p in &programs {
        assert!(cpu_eval::evaluate(std::slice::from_ref(p), &grids, &single)[0].output.is_some(), "{p} has an output");
        assert_same(std::slice::from_ref(p), &grids, &single);
    }
    assert_same(&programs, &grids, &cross_items(programs.len(), 1, |_| Some(0)));
}

/// Three or more steps mapped over a list of 20 to 30 columns: on lavapipe (Mesa 22.3.6, LLVM
/// 15) the GPU side gives no output or leaves cells unwritten (what the thread held before
/// shows through), while an NVIDIA H200 gives the CPU's answers. No out-of-bounds access
/// was found on these paths, and the same steps over shorter lists, or two steps, agree
/// on lavapipe too; kept to be run where a hardware GPU is.
#[test]
#[ignore = "lavapipe (Mesa 22.3) miscompiles these; run with --ignored on a hardware GPU"]
fn long_list_chains_over_many_columns_agree() {
    let noisy = |h: usize, w: usize| Grid::from_cells(h, w, (0..h * w).map(|i| ((i * 7 + i / 30) % 10) as u8).collect()).unwrap();
    let grids = vec![noisy(28, 30), noisy(30, 30), noisy(20, 30), noisy(28, 29), Grid::from_cells(30, 30, vec![0; 900]).unwrap()];
    let texts = [
        "split(columns) | to_origin | denoise | outline(2) | identity | compose",
        "split(columns) | to_origin | denoise | outline(2) | compose",
        "split(columns) | outline(2) | identity | identity | compose",
        "split(columns) | identity | denoise | outline(2) | compose",
    ];
    let programs: Vec<Program> = texts.iter().map(|t| Program::parse(t).unwrap()).collect();
    for p in &programs {
        for g in &grids {
            let one = cross_items(1, 1, |_| Some(0));
            assert_same(std::slice::from_ref(p), std::slice::from_ref(g), &one);
        }
    }
}

/// List programs (split, a step mapped over the elements or a filter, compose) on hand-made
/// examples, the same on the CPU and on Vulkan. `place` has no output outside a search.
#[test]
fn list_programs_on_hand_made_examples() {
    let objects = grid!["000000", "011020", "001022", "000000", "300000"];
    let cases: Vec<(&str, Grid, Option<Grid>)> = vec![
        ("split(objects) | flip_leftright | compose", objects.clone(), Some(grid!["011002", "010022", "000000", "300000"])),
        ("split(objects) | compose", objects.clone(), Some(grid!["011020", "001022", "000000", "300000"])),
        ("split(objects) | keep_best(largest) | compose", objects.clone(), Some(grid!["11020", "01022"])),
        ("split(objects) | drop_best(largest) | compose", objects.clone(), Some(grid!["3"])),
        ("split(objects) | keep_best(right) | rot90 | compose", objects.clone(), Some(grid!["22", "20"])),
        ("split(colors) | upscale(2) | compose", grid!["120"], Some(grid!["122", "122"])),
        ("split(cut) | paint(7) | compose", grid!["1005002", "0005000", "5555555", "2005001"], Some(grid!["7000007", "0000000", "0000000", "7000007"])),
        ("split(colors) | upscale(2) | compose_growing", grid!["1000", "0220", "0220", "0000"], Some(grid!["11000", "11222", "02222", "02222", "02222"])),
        ("split(objects) | stack(across)", objects.clone(), Some(grid!["31120", "00122"])),
        ("split(objects) | stack(down)", objects.clone(), Some(grid!["30", "11", "01", "20", "22"])),
        ("split(objects) | stack(line)", grid!["0010", "0000", "0000", "0022"], Some(grid!["10", "22"])),
        ("split(objects) | upscale(4) | stack(across)", grid!["101010101010101"], None),
        ("split(objects) | drop_best(fewest_enclosed) | compose", grid!["1110202", "1010202", "1110222", "0000000", "3000000"], Some(grid!["111", "101", "111"])),
        ("split(objects) | keep_best(most_enclosed) | paint(4) | compose", grid!["0000000", "0222011", "0202010", "0222011"], Some(grid!["444", "404", "444"])),
        ("split(components) | flip_leftright | compose", grid!["1120", "1220", "0003"], Some(grid!["1200", "0220", "0003"])),
        // each frame's inside, turned over, back where it was: 1 2 / 3 4 inside the 5s, 7 inside the 6s
        ("split(framed) | rot180 | compose", grid!["55550", "51250", "53450", "55550", "00666", "00676", "00666"], Some(grid!["430", "210", "000", "000", "007"])),
        ("split(objects) | unpad | compose", objects.clone(), None),
        ("split(objects)", objects.clone(), None),
        ("compose", objects.clone(), None),
        ("split(objects) | split(colors) | compose", objects.clone(), None),
        ("crop_largest | flip_leftright | place", objects.clone(), None),
    ];
    let programs: Vec<Program> = cases.iter().map(|(text, _, _)| Program::parse(text).unwrap()).collect();
    for (p, (_, input, expected)) in programs.iter().zip(&cases) {
        assert_eq!(cpu_eval::run_program(p, input).as_ref(), expected.as_ref(), "cpu: {p}");
        assert_eq!(reference::run_program(p, input).as_ref(), expected.as_ref(), "reference: {p}");
    }
    let grids: Vec<Grid> = cases.iter().map(|(_, g, _)| g.clone()).collect();
    let diagonal: Vec<Item> = (0..cases.len()).map(|i| Item { program: i as u32, input: i as u32, expected: Some(i as u32), want_output: true }).collect();
    let Some(exec) = executor() else { return };
    let gpu = exec.lock().unwrap().evaluate(&programs, &grids, &diagonal).expect("GPU evaluation");
    assert_eq!(gpu, cpu_eval::evaluate(&programs, &grids, &diagonal), "gpu vs cpu");
}

