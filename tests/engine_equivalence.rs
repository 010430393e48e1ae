//! The executors give one meaning: random programs on random grids (1x1 to 30x30, all
//! colours, one-colour and sparse grids) yield identical outputs and scores on Vulkan, on
//! the rayon CPU executor and in the DSL-written reference. Each op is also checked against a hand-made example on both. With
//! BATT_REQUIRE_GPU=1 (README test command, CI) a missing Vulkan device fails these tests.

use std::sync::{Mutex, OnceLock};

use batt::engine::program::{Op, Program, Step};
use batt::engine::vulkan::VulkanExecutor;
use batt::engine::{cpu, reference, Item, ItemResult};
use batt::grid;
use batt::grid::Grid;
use proptest::prelude::*;

fn executor() -> Option<&'static Mutex<VulkanExecutor>> {
    static EXECUTOR: OnceLock<Option<Mutex<VulkanExecutor>>> = OnceLock::new();
    EXECUTOR
        .get_or_init(|| match VulkanExecutor::new() {
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

/// The fast CPU executor against the DSL-written reference meaning.
fn assert_cpu_matches_reference(programs: &[Program], grids: &[Grid], items: &[Item]) {
    let cpu = cpu::evaluate(programs, grids, items);
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
    let cpu = cpu::evaluate(programs, grids, items);
    for (i, (g, c)) in gpu.iter().zip(&cpu).enumerate() {
        let it = items[i];
        assert_eq!(
            g, c,
            "item {i}: program `{}` on grid {:?} (expected {:?})",
            programs[it.program as usize], grids[it.input as usize], it.expected
        );
    }
}

fn step_strategy() -> impl Strategy<Value = Step> {
    let op = prop::sample::select(Op::ALL.to_vec());
    (op, 0u32..10, 0u32..10, 0u32..10, prop::array::uniform10(0u8..10)).prop_map(|(op, a, b, c, table)| match op {
        Op::Recolor => Step::with(op, a, b),
        Op::Erase | Op::PaintForeground | Op::FillEnclosed | Op::Outline => Step::with(op, a, 0),
        Op::Gravity => Step::with(op, a % 4, 0),
        Op::Symmetrize => Step::with(op, a % 3, 0),
        Op::SplitCombine => Step { op, a: a % 2, b: b % 4, c },
        Op::Permute => Step::permute(table),
        Op::Upscale | Op::Downscale => Step::with(op, 2 + a % 3, 0),
        Op::Tile | Op::TileMirrored => Step::with(op, 1 + a % 4, 1 + b % 4),
        Op::Half => Step::with(op, a % 4, 0),
        _ => Step::new(op),
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
    let by_items = cpu::evaluate(programs, &grids, &items);
    assert_eq!(cpu::evaluate_cross(programs, inputs, Some(expecteds), true), by_items, "cpu cross vs items");
    let Some(exec) = executor() else { return };
    let gpu = exec.lock().unwrap().evaluate_cross(programs, inputs, Some(expecteds), true).expect("GPU evaluation");
    assert_eq!(gpu, by_items, "gpu cross vs cpu items");
}

proptest! {
    // 256 cases by default; PROPTEST_CASES=N for a longer search.

    #[test]
    fn random_programs_on_random_grids_agree(programs in prop::collection::vec(program_strategy(), 1..12),
                                             grids in prop::collection::vec(grid_strategy(), 1..6)) {
        let n = grids.len();
        // score each input against the next grid, and the first against itself
        let items = cross_items(programs.len(), n, |g| Some(if g == 0 { 0 } else { ((g + 1) % n) as u32 }));
        assert_same(&programs, &grids, &items);
        let mut expecteds = grids.clone();
        expecteds.rotate_left(1);
        assert_cross_same(&programs, &grids, &expecteds);
    }
}

#[test]
fn degenerate_grids_agree() {
    let grids = vec![grid!["7"], grid!["0000"], grid!["5", "5", "5"], Grid::filled(30, 30, 9).unwrap(), grid!["12", "34"]];
    let programs: Vec<Program> = Op::ALL
        .iter()
        .map(|&op| match op {
            Op::Upscale | Op::Downscale => Step::with(op, 2, 0),
            Op::Tile | Op::TileMirrored => Step::with(op, 2, 3),
            Op::Recolor => Step::with(op, 5, 1),
            Op::Erase | Op::PaintForeground | Op::FillEnclosed | Op::Outline => Step::with(op, 2, 0),
            Op::Half | Op::Gravity | Op::Symmetrize => Step::with(op, 1, 0),
            Op::SplitCombine => Step { op, a: 0, b: 2, c: 4 },
            Op::Permute => Step::permute([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]),
            _ => Step::new(op),
        })
        .map(|s| Program::new(vec![s]).unwrap())
        .collect();
    let items = cross_items(programs.len(), grids.len(), |_| None);
    assert_same(&programs, &grids, &items);
}

/// One hand-made example per op, checked on the CPU and on Vulkan.
#[test]
fn each_op_on_a_hand_made_example() {
    let g = grid!["120", "340"];
    let cases: Vec<(Step, Option<Grid>)> = vec![
        (Step::new(Op::Identity), Some(g.clone())),
        (Step::new(Op::Rot90), Some(grid!["31", "42", "00"])),
        (Step::new(Op::Rot180), Some(grid!["043", "021"])),
        (Step::new(Op::Rot270), Some(grid!["00", "24", "13"])),
        (Step::new(Op::FlipUpDown), Some(grid!["340", "120"])),
        (Step::new(Op::FlipLeftRight), Some(grid!["021", "043"])),
        (Step::new(Op::Transpose), Some(grid!["13", "24", "00"])),
        (Step::new(Op::AntiTranspose), Some(grid!["00", "42", "31"])),
        // background is 0 (most common): content is the left 2x2
        (Step::new(Op::CropContent), Some(grid!["12", "34"])),
        (Step::with(Op::Recolor, 0, 7), Some(grid!["127", "347"])),
        (Step::permute([5, 4, 3, 2, 1, 0, 6, 7, 8, 9]), Some(grid!["435", "215"])),
        (Step::with(Op::Erase, 3, 0), Some(grid!["120", "040"])),
        (Step::with(Op::Upscale, 2, 0), Some(grid!["112200", "112200", "334400", "334400"])),
        (Step::with(Op::Downscale, 2, 0), Some(grid!["10"])),
        (Step::with(Op::Tile, 2, 1), Some(grid!["120", "340", "120", "340"])),
        (Step::with(Op::TileMirrored, 2, 2), Some(grid!["120021", "340043", "340043", "120021"])),
        (Step::with(Op::Half, 0, 0), Some(grid!["120"])),
        (Step::with(Op::Half, 1, 0), Some(grid!["340"])),
        (Step::with(Op::Half, 2, 0), Some(grid!["1", "3"])),
        (Step::with(Op::Half, 3, 0), Some(grid!["0", "0"])),
    ];
    let objects = grid!["0000", "0110", "0012", "3000"];
    let ring = grid!["00000", "01110", "01010", "01110", "00000"];
    let object_cases: Vec<(Step, Grid, Option<Grid>)> = vec![
        (Step::new(Op::CropLargestObject), objects.clone(), Some(grid!["11", "01"])),
        (Step::new(Op::CropSmallestObject), objects.clone(), Some(grid!["2"])),
        (Step::new(Op::KeepLargestObject), objects.clone(), Some(grid!["0000", "0110", "0010", "0000"])),
        (Step::with(Op::PaintForeground, 5, 0), objects.clone(), Some(grid!["0000", "0550", "0055", "5000"])),
        (Step::new(Op::Dedupe), grid!["1122", "1122", "3344"], Some(grid!["12", "34"])),
        (Step::with(Op::Gravity, 1, 0), grid!["10", "00", "02"], Some(grid!["00", "00", "12"])),
        (Step::with(Op::Gravity, 2, 0), grid!["010", "002"], Some(grid!["100", "200"])),
        (Step::with(Op::FillEnclosed, 4, 0), ring.clone(), Some(grid!["00000", "01110", "01410", "01110", "00000"])),
        (Step::with(Op::Outline, 1, 0), grid!["000", "050", "000", "000"], Some(grid!["111", "151", "111", "000"])),
        (Step::with(Op::Symmetrize, 0, 0), grid!["120", "300"], Some(grid!["121", "303"])),
        (Step::with(Op::Symmetrize, 2, 0), grid!["100", "000", "000"], Some(grid!["101", "000", "101"])),
        (Step { op: Op::SplitCombine, a: 0, b: 0, c: 2 }, grid!["10511", "11501"], Some(grid!["20", "02"])),
        (Step { op: Op::SplitCombine, a: 1, b: 3, c: 6 }, grid!["10", "55", "00"], Some(grid!["06"])),
        (Step { op: Op::SplitCombine, a: 0, b: 0, c: 2 }, grid!["10201", "11500"], None),
        (Step::new(Op::Denoise), grid!["1000", "0000", "0022"], Some(grid!["0000", "0000", "0022"])),
    ];
    for (step, input, expected) in &object_cases {
        let p = Program::new(vec![*step]).unwrap();
        assert_eq!(cpu::run_program(&p, input).as_ref(), expected.as_ref(), "cpu: {p}");
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
        assert_eq!(cpu::run_program(p, &g).as_ref(), expected.as_ref(), "cpu: {p}");
        assert_eq!(reference::run_program(p, &g).as_ref(), expected.as_ref(), "reference: {p}");
    }
    let over = Program::new(vec![Step::with(Op::Upscale, 4, 0)]).unwrap();
    assert_eq!(cpu::run_program(&over, &big), None, "32x32 does not fit");
    let empty = Program::new(vec![Step::new(Op::CropContent)]).unwrap();
    assert_eq!(cpu::run_program(&empty, &big), None, "no content besides the background");
    let mut all = programs.clone();
    all.push(over);
    all.push(empty);
    let grids = vec![g, big];
    let items = cross_items(all.len(), grids.len(), |_| Some(0));
    assert_same(&all, &grids, &items);
}
