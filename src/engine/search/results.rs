//! A search's results made whole on the host: the ranked programs' finished outputs (the
//! free placing and finishing steps where they apply), scored exactly, and the output
//! sizes and overlays composed from the best pieces.

use std::collections::HashSet;

use super::levels::Ranked;
use super::{print, Composed, Found, SearchLimits, MAX_OVERLAYS};
use crate::engine::compose::{compose, Piece};
use crate::engine::cpu_eval::PrefixRunner;
use crate::engine::level::SearchJob;
use crate::engine::program::{Op, Program, Step, MAX_STEPS};
use crate::engine::score::PairScore;
use crate::engine::size;
use crate::grid::Grid;

/// The ranked programs as `Found`, each scored exactly on the train pairs and holding its
/// test outputs (its grids made once on the CPU: only the returned programs' grids are
/// ever materialised on the host).
/// Also returns each program's output sizes on every input (seeds of `size::predict`).
/// A program whose finished outputs repeat a better-ranked one's (a placed crop that
/// equals an unplaced state, `crop_content | place` beside `identity`) is left out.
pub(super) fn to_found(job: &SearchJob, ranked: &[Ranked]) -> (Vec<Found>, Vec<size::Seed>) {
    let train = job.train_count();
    let mut seen = HashSet::from([print::of_grids(&job.inputs)]);
    // a kept candidate has an output on every input (its score word was not 0)
    every_finished_output(job, ranked)
        .into_iter()
        .filter(|(_, outputs)| seen.insert(print::of_grids(outputs)))
        .map(|(program, outputs)| {
            let score = PairScore::of_outputs(outputs[..train].iter().map(Some), &job.outputs);
            let sizes = outputs.iter().map(|g| (g.rows(), g.cols())).collect();
            let test_outputs = outputs[train..].to_vec();
            (Found { program, pairs_exact: score.pairs_exact, pairs: train, cell_accuracy: score.cell_accuracy, test_outputs }, sizes)
        })
        .unzip()
}

/// `finished_outputs` of each of `ranked`, in its order, made in the order of their steps:
/// programs that begin alike run one after another and share those steps' states
/// (`PrefixRunner`).
fn every_finished_output(job: &SearchJob, ranked: &[Ranked]) -> Vec<(Program, Vec<Grid>)> {
    let key = |r: &Ranked| r.steps[..r.len].iter().map(|s| (s.op as u32, s.a, s.b, s.c)).collect::<Vec<_>>();
    let mut order: Vec<usize> = (0..ranked.len()).collect();
    order.sort_by_cached_key(|&i| key(&ranked[i]));
    let mut runner = PrefixRunner::new(&job.inputs, &job.targets);
    let mut made: Vec<Option<(Program, Vec<Grid>)>> = vec![None; ranked.len()];
    for i in order {
        made[i] = Some(finished_outputs(job, &ranked[i], &mut runner));
    }
    made.into_iter().map(|m| m.expect("every program was run")).collect()
}

pub(super) fn program_of(r: &Ranked) -> Program {
    Program::new(r.steps[..r.len].to_vec()).expect("depth is below MAX_STEPS")
}

/// `grid` after the finishing step for `colour` (`SearchJob::finishing_step`): every
/// non-zero cell `colour`.
pub(super) fn painted(grid: &Grid, colour: u8) -> Grid {
    Grid::from_cells(grid.rows(), grid.cols(), grid.cells().iter().map(|&c| if c == 0 { 0 } else { colour }).collect()).expect("the same shape")
}

/// The non-background colours every one of `outputs` has, in increasing order.
pub(super) fn shared_foreground_colours(outputs: &[Grid]) -> Vec<u8> {
    (1..10u8).filter(|&c| !outputs.is_empty() && outputs.iter().all(|g| g.cells().contains(&c))).collect()
}

/// A kept program's outputs on every input (train, then test), with `compose` appended
/// where its result is a list (the free compose), then the free placing step
/// (`SearchJob::place_finish`) appended where the scoring placed every train output of
/// another size than its pair's (each lies at a position other than row 0, column 0) and
/// the placed program has an output on every input, then the free finishing step
/// (`SearchJob::paint_finish`) where that changes an output: the program its score word
/// scored. (Where the placed program has no output on a test input, or only some train
/// outputs were placed, the program is returned unplaced with its own outputs; `Found`
/// scores those.)
pub(super) fn finished_outputs(job: &SearchJob, r: &Ranked, runner: &mut PrefixRunner) -> (Program, Vec<Grid>) {
    let mut run = |program: &Program| -> Option<Vec<(Grid, (usize, usize))>> { (0..job.inputs.len()).map(|i| runner.run(program, i)).collect() };
    let mut program = program_of(r);
    let made = match run(&program) {
        Some(made) => made,
        None => {
            // a list state, scored as compose lays it out (the free compose)
            let mut steps = program.steps().to_vec();
            steps.push(Step::new(Op::Compose));
            program = Program::new(steps).expect("a search program leaves room for its compose step");
            run(&program).unwrap_or_else(|| panic!("the search kept `{program}`, which has no output on every input on the CPU kernels: the level executor and the CPU kernels disagree (a bug in batt; `--backend cpu` avoids it)"))
        }
    };
    let train = job.train_count();
    let mut outputs: Vec<Grid> = made.iter().map(|(g, _)| g.clone()).collect();
    let misshapen: Vec<&(Grid, (usize, usize))> = made[..train].iter().zip(&job.outputs).filter(|((g, _), t)| !g.same_shape(t)).map(|(m, _)| m).collect();
    if job.place_finish && !misshapen.is_empty() && misshapen.iter().all(|(_, origin)| *origin != (0, 0)) {
        let mut steps = program.steps().to_vec();
        steps.push(Step::new(Op::Place));
        let placed_program = Program::new(steps).expect("a search program leaves room for its placing step");
        if let Some(placed) = run(&placed_program) {
            program = placed_program;
            outputs = placed.into_iter().map(|(g, _)| g).collect();
        }
    }
    let Some(colour) = job.paint_finish else { return (program, outputs) };
    let painted: Vec<Grid> = outputs.iter().map(|g| painted(g, colour)).collect();
    if painted == outputs {
        return (program, outputs);
    }
    let mut steps = program.steps().to_vec();
    steps.push(SearchJob::finishing_step(colour));
    (Program::new(steps).expect("a search program leaves room for its finishing step"), painted)
}

/// The predicted test output sizes (`size::predict`, seeded by the inputs' sizes, then
/// `found_sizes`, the returned programs' output sizes, then the pool's) and the overlays of `pool`'s
/// programs (and the inputs themselves, as `identity`) that reproduce every train output,
/// each program's outputs made once on the CPU.
pub(super) fn sizes_and_overlays(job: &SearchJob, found_sizes: Vec<size::Seed>, pool: &[Ranked], limits: &SearchLimits) -> (Vec<Option<(usize, usize)>>, Vec<Composed>) {
    let train = job.train_count();
    let mut programs = vec![Program::new(vec![Step::new(Op::Identity)]).expect("one step")];
    let mut lengths = vec![0];
    let mut outputs: Vec<Vec<Grid>> = vec![job.inputs.clone()];
    // a piece whose outputs repeat an earlier one's (a placed crop equal to an unplaced
    // state) is left out
    let mut seen: HashSet<u128> = HashSet::from([print::of_grids(&job.inputs)]);
    for (r, (program, made)) in pool.iter().zip(every_finished_output(job, pool)) {
        if !seen.insert(print::of_grids(&made)) {
            continue;
        }
        outputs.push(made);
        programs.push(program);
        lengths.push(r.len);
    }
    if limits.finishing {
        // the free finishing paint for layers: each piece also in each colour every train
        // output has (where that changes it), at no depth
        let colours = shared_foreground_colours(&job.outputs);
        // painting merges colours: only a painted piece unlike every piece so far joins
        let mut distinct: std::collections::HashSet<u128> = outputs.iter().map(print::of_grids).collect();
        for k in 0..programs.len() {
            // only a piece of the train outputs' shapes can be a layer
            if programs[k].steps().len() >= MAX_STEPS || !outputs[k][..train].iter().zip(&job.outputs).all(|(g, t)| g.same_shape(t)) {
                continue;
            }
            for &colour in &colours {
                let painted: Vec<Grid> = outputs[k].iter().map(|g| painted(g, colour)).collect();
                if !distinct.insert(print::of_grids(&painted)) {
                    continue;
                }
                let mut steps = programs[k].steps().to_vec();
                steps.push(SearchJob::finishing_step(colour));
                programs.push(Program::new(steps).expect("room was checked"));
                outputs.push(painted);
                lengths.push(lengths[k]);
            }
        }
    }
    let size_of = |g: &Grid| (g.rows(), g.cols());
    let mut seeds: Vec<size::Seed> = vec![job.inputs.iter().map(size_of).collect()];
    seeds.extend(found_sizes);
    seeds.extend(outputs[1..].iter().map(|o| o.iter().map(size_of).collect()));
    let mut distinct = std::collections::HashSet::new();
    seeds.retain(|s| distinct.insert(s.clone()));
    let sizes = size::predict(&seeds, &job.outputs.iter().map(size_of).collect::<Vec<_>>());
    if pool.is_empty() || limits.max_layers < 2 {
        return (sizes, Vec::new());
    }
    let shapes: Option<Vec<(usize, usize)>> = sizes.iter().copied().collect();
    let pieces: Vec<Piece> = outputs.iter().zip(&lengths).map(|(o, &length)| Piece { train: &o[..train], test: &o[train..], length }).collect();
    let overlays = compose(&job.outputs, &pieces, shapes.as_deref(), limits.max_layers, MAX_OVERLAYS, true, limits.filling)
        .into_iter()
        .map(|o| Composed {
            layers: o.layers.iter().map(|&(p, mode)| (programs[p].clone(), mode)).collect(),
            pairs: train,
            pairs_exact: o.pairs_exact,
            cell_accuracy: o.cell_accuracy,
            length: o.length,
            supported: o.supported,
            filled: o.filled,
            test_outputs: o.test_outputs,
        })
        .collect();
    (sizes, overlays)
}

