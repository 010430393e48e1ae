//! The search's tests: single searches, batches, both executors word for word, the free
//! finishing, placing and compose steps, overlays and the last level's bounded prints.

use super::*;
use crate::engine::level::{Chosen, LevelExecutor, Prints, Segment};
use crate::engine::program::Op;
use crate::grid;

/// A started engine per backend, the CPU's then the GPU's; without a Vulkan device the
/// GPU's is left out, unless BATT_REQUIRE_GPU=1, which fails instead.
fn started_engines() -> Vec<(Backend, Engine)> {
    let mut engines = Vec::new();
    for backend in [Backend::Cpu, Backend::Gpu] {
        let mut engine = Engine::new(backend);
        if let Err(e) = engine.start() {
            assert!(std::env::var("BATT_REQUIRE_GPU").map_or(true, |v| v != "1"), "BATT_REQUIRE_GPU=1 but no Vulkan device: {e}");
            eprintln!("SKIPPED on the GPU: no Vulkan device ({e})");
            continue;
        }
        engines.push((backend, engine));
    }
    engines
}

#[test]
fn finds_a_two_step_program_and_prunes_duplicates() {
    let inputs = vec![grid!["120", "300"], grid!["45", "60"]];
    // the answer: a quarter turn, then colour 0 becomes 7
    let outputs: Vec<Grid> = inputs.iter().map(|g| crate::dsl::replace(&crate::dsl::rot90(g), 0, 7).unwrap()).collect();
    let steps = vec![Step::new(Op::Rot90), Step::new(Op::FlipUpdown), Step::new(Op::FlipLeftright), Step::with(Op::Recolor, 0, 7)];
    let mut engine = Engine::new(Backend::Cpu);
    let opts = SearchOptions { steps, depth: 2, max_states: 1000, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
    let SearchResult { found, stats, .. } = enumerate(&mut engine, &inputs, &outputs, &[], &opts).unwrap();
    assert!(found[0].exact(), "{found:?}");
    assert_eq!(found[0].program.steps().len(), 2);
    assert_eq!(found[0].program.to_string(), "rot90 | recolor(0->7)");
    assert!(stats.duplicates > 0, "flip_updown | flip_leftright gives what rot90 | rot90 gave: {stats:?}");
}

/// A list state as large as a record gets (30 elements covering all 900 cells: 1 + 30 +
/// 225 = 256 words) is expanded on the GPU as on the CPU: its record size once wrapped
/// to 0 in a byte (the fuzz harness found it: `batt fuzz --seed 1 --replay search:388`).
#[test]
fn a_list_state_of_thirty_rows_is_expanded_alike_on_both_backends() {
    let input = Grid::from_fn(30, 30, |r, c| ((r * 7 + c * 3) % 10) as u8).unwrap();
    let output = Grid::from_fn(30, 30, |r, c| if (r + c) % 4 == 0 { 0 } else { ((r * 7 + c * 3) % 10) as u8 }).unwrap();
    let steps: Vec<Step> = ["split(rows)", "denoise", "identity"].iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
    let mut results = Vec::new();
    for (backend, mut engine) in started_engines() {
        engine.use_cache = false;
        let opts = SearchOptions { steps: steps.clone(), depth: 2, max_states: 1000, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: false, placing: false, filling: false, backend: None };
        let r = enumerate(&mut engine, std::slice::from_ref(&input), std::slice::from_ref(&output), std::slice::from_ref(&input), &opts).unwrap();
        let names: Vec<String> = r.found.iter().map(|f| f.program.to_string()).collect();
        assert!(names.iter().any(|n| n == "split(rows) | denoise | compose"), "{backend:?}: {names:?}");
        results.push((r.found, r.stats.kept, r.stats.duplicates));
    }
    assert!(results.windows(2).all(|w| w[0] == w[1]), "the backends differ: {results:?}");
}

/// Eval tasks with a small alphabet of every op family, for the executors to agree on.
fn eval_jobs(count: usize) -> Vec<SearchJob> {
    let texts = [
        "identity", "rot90", "transpose", "crop_content", "crop_largest", "keep_largest", "denoise", "half(top)",
        "upscale(2)", "downscale(2)", "tile(2x2)", "gravity(down)", "symmetrize(both)", "fill_enclosed(1)",
        "outline(2)", "recolor(0->3)", "erase(1)", "split_combine(side,xor,2)", "to_output_size(embed)",
        "to_output_size(resize)", "to_output_size(mirror)",
        // runs of pick and isolate steps of one kind (the GPU's pick groups: one split, its
        // parts offered again to each criterion)
        "pick(objects,largest)", "pick(objects,smallest)", "pick(objects,bottom)", "pick(objects,most_holes)", "pick(objects,unique_color)",
        "isolate(colors,largest)", "isolate(colors,fewest_colors)", "isolate(colors,unique_color)", "pick(cut,largest)", "pick(cut,right)",
        "pick(objects8,top)", "pick(objects8,smallest_box)", "unpad", "half(bottom)", "place", "repeat_around(plain)", "repeat_around(mirrored)",
        "to_origin", "split(objects)", "split(colors)", "compose", "keep_best(largest)", "drop_best(top)",
    ];
    let steps: Vec<Step> = texts.iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
    let data = crate::data::dataset::Dataset::embedded().unwrap();
    data.entries
        .iter()
        .filter_map(|e| match e {
            crate::data::dataset::TaskEntry::Valid(t) if t.split == Some(crate::data::task::Split::Eval) => Some(t),
            _ => None,
        })
        .take(count)
        .map(|t| {
            let inputs: Vec<Grid> = t.train.iter().map(|p| p.input.clone()).collect();
            let outputs: Vec<Grid> = t.train.iter().map(|p| p.output.clone()).collect();
            let tests: Vec<Grid> = t.test.iter().map(|c| c.input.clone()).collect();
            SearchJob::new(&inputs, &outputs, &tests, steps.clone())
        })
        .collect()
}

/// A Vulkan executor; None (the test skips) when
/// there is no device, which fails under BATT_REQUIRE_GPU=1.
fn vulkan_or_skip() -> Option<crate::engine::vulkan::VulkanExecutor> {
    match crate::engine::vulkan::VulkanExecutor::new(&crate::engine::vulkan::DeviceChoice::Any) {
        Ok(vk) => Some(vk),
        Err(e) => {
            assert!(std::env::var("BATT_REQUIRE_GPU").map_or(true, |v| v != "1"), "BATT_REQUIRE_GPU=1 but no Vulkan device: {e}");
            eprintln!("SKIPPED: no Vulkan device ({e})");
            None
        }
    }
}

/// A pick group over a split of more parts than the GPU records (64): every step splits
/// again there, and the steps still agree with the CPU's, as do those on a split of few parts.
#[test]
fn pick_groups_over_many_parts_agree_on_both_executors() {
    let Some(mut vk) = vulkan_or_skip() else { return };
    // 200 one-cell objects of 9 colours (a checkerboard), and a grid of 3 objects
    let many = Grid::from_fn(20, 20, |r, c| if (r + c) % 2 == 0 { (1 + (r * 3 + c) % 9) as u8 } else { 0 }).unwrap();
    let few = Grid::from_fn(9, 9, |r, c| if r < 2 && c < 3 { 4 } else if r > 5 && c > 4 { 7 } else if r == 4 && c == 4 { 2 } else { 0 }).unwrap();
    let out = Grid::from_fn(1, 1, |_, _| 2).unwrap();
    let texts: Vec<String> = ["largest", "smallest", "top", "bottom", "left", "right", "most_colors", "unique_color", "most_holes", "fewest_holes"]
        .iter()
        .flat_map(|c| [format!("pick(objects,{c})")])
        .chain(["isolate(objects,largest)", "isolate(objects,bottom)", "pick(colors,largest)", "pick(colors,unique_color)"].map(String::from))
        .collect();
    let steps: Vec<Step> = texts.iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
    let jobs = [SearchJob::new(&[many.clone(), few.clone()], &[out.clone(), out.clone()], &[few], steps.clone()), SearchJob::new(&[many], &[out], &[], steps)];
    let refs: Vec<&SearchJob> = jobs.iter().collect();
    let mut cpu_levels = cpu::CpuLevels::new();
    vk.use_every_search_kernel();
    let mut gpu_levels = vk.search_levels();
    cpu_levels.begin(&refs).unwrap();
    gpu_levels.begin(&refs).unwrap();
    let cpu_words = expand_all(&mut cpu_levels, &[1, 1]);
    assert_eq!(cpu_words, expand_all(&mut gpu_levels, &[1, 1]));
    assert!(cpu_words.iter().filter(|w| w.0 != 0).count() >= texts.len(), "most steps give outputs: {cpu_words:?}");
}

/// Every candidate's (score word, print) of one expand over every job's whole frontier.
fn expand_all<'a>(exec: &mut impl LevelExecutor<'a>, frontier_sizes: &[u32]) -> Vec<(u32, [u32; 4])> {
    let segments: Vec<Segment> = frontier_sizes
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(j, &n)| Segment { job: j as u32, first_state: 0, states: n })
        .collect();
    let mut words = Vec::new();
    exec.expand(&segments, true, &mut |scores, prints| words = scores.iter().enumerate().map(|(k, &s)| (s, prints.get(k))).collect()).unwrap();
    words
}

#[test]
fn cpu_and_gpu_levels_write_the_same_score_words_and_prints() {
    let Some(mut vk) = vulkan_or_skip() else { return };
    let mut jobs = eval_jobs(12);
    // every other job compares shapes (the free finishing paint), whatever its outputs
    for job in jobs.iter_mut().skip(1).step_by(2) {
        job.paint_finish = Some(1);
    }
    // every third job compares outputs of other shapes as they are (no free placing),
    // the others place them, whatever their sizes
    for (k, job) in jobs.iter_mut().enumerate() {
        job.place_finish = k % 3 != 0;
    }
    let refs: Vec<&SearchJob> = jobs.iter().collect();
    let mut cpu_levels = cpu::CpuLevels::new();
    vk.use_every_search_kernel();
    let mut gpu_levels = vk.search_levels();
    cpu_levels.begin(&refs).unwrap();
    gpu_levels.begin(&refs).unwrap();
    let ones = vec![1u32; jobs.len()];
    let first = expand_all(&mut cpu_levels, &ones);
    assert_eq!(first, expand_all(&mut gpu_levels, &ones), "level 1");
    // the CPU's prints are those of the outputs (grids at their positions, or lists)
    let step_count = jobs[0].steps.len();
    let (mut positioned, mut lists) = (0, 0);
    let (mut src, mut out, mut scratch) = (crate::engine::ops::Canvas::empty(), crate::engine::ops::Canvas::empty(), crate::engine::ops::Scratch::new());
    for (k, &(score, lanes)) in first.iter().enumerate() {
        let (job, step) = (&jobs[k / step_count], jobs[k / step_count].steps[k % step_count]);
        let mut p = print::StatePrint::new();
        let mut produced = true;
        for (g, &t) in job.inputs.iter().zip(&job.targets) {
            src.load_at(g, t);
            if !crate::engine::ops::apply_cpu(&step, &src, &mut out, &mut scratch) {
                produced = false;
                break;
            }
            p.add_grid(print::canvas_print(&out));
            positioned += usize::from(out.origin != (0, 0));
            lists += usize::from(out.parts != 0);
        }
        match produced {
            false => assert_eq!(score, 0),
            true => assert_eq!(print::lanes_to_u128(lanes), print::lanes_to_u128(p.finish_lanes()), "{step}"),
        }
    }
    assert!(lists > 0, "split gives lists");
    assert!(positioned > 0, "crops give grids at other positions than 0, 0");
    // every candidate with an output becomes a state; level 2 agrees too
    let chosen: Vec<Chosen> = first
        .iter()
        .enumerate()
        .filter(|(_, w)| w.0 != 0)
        .map(|(k, _)| Chosen { job: (k / step_count) as u32, state: 0, step: (k % step_count) as u32 })
        .collect();
    let mut sizes = vec![0u32; jobs.len()];
    let mut chosen_states = chosen.clone();
    for c in &mut chosen_states {
        c.state = 0;
        sizes[c.job as usize] += 1;
    }
    cpu_levels.materialise(&chosen_states).unwrap();
    gpu_levels.materialise(&chosen_states).unwrap();
    let second = expand_all(&mut cpu_levels, &sizes);
    assert!(second.iter().filter(|w| w.0 != 0).count() > 1000, "a level worth comparing");
    assert_eq!(second, expand_all(&mut gpu_levels, &sizes), "level 2");
    // the same level in many small chunks, each given back in order with its results (the
    // GPU runs the next chunk while the last one's results are taken)
    let chunks: Vec<Vec<Segment>> = sizes
        .iter()
        .enumerate()
        .flat_map(|(j, &n)| (0..n).step_by(3).map(move |first| Segment { job: j as u32, first_state: first, states: 3.min(n - first) }))
        .collect::<Vec<_>>()
        .chunks(2)
        .map(|c| c.to_vec())
        .collect();
    assert!(chunks.len() > 4, "several chunks: {}", chunks.len());
    for (name, exec) in [("cpu", &mut cpu_levels as &mut dyn LevelExecutor), ("gpu", &mut gpu_levels)] {
        let mut feed = CollectChunks { chunks: chunks.clone().into_iter(), taken: Vec::new() };
        exec.expand_chunks(true, &mut feed).unwrap();
        let given: Vec<Vec<Segment>> = feed.taken.iter().map(|(c, _)| c.clone()).collect();
        assert_eq!(given, chunks, "{name}: every chunk, in order");
        let words: Vec<(u32, [u32; 4])> = feed.taken.into_iter().flat_map(|(_, w)| w).collect();
        assert_eq!(words, second, "{name}: the same results in chunks");
    }
    // the record sizes the chunks kept place the next frontier: a few candidates of each
    // job become its states, and level 3 agrees
    let mut chosen = Vec::new();
    let mut third_sizes = vec![0u32; jobs.len()];
    let mut first_candidate = 0;
    for (j, &n) in sizes.iter().enumerate() {
        let candidates = n as usize * step_count;
        let with_output = (0..candidates).filter(|&k| second[first_candidate + k].0 != 0);
        for k in with_output.step_by(7).take(4) {
            chosen.push(Chosen { job: j as u32, state: (k / step_count) as u32, step: (k % step_count) as u32 });
            third_sizes[j] += 1;
        }
        first_candidate += candidates;
    }
    cpu_levels.materialise(&chosen).unwrap();
    gpu_levels.materialise(&chosen).unwrap();
    let third = expand_all(&mut cpu_levels, &third_sizes);
    assert!(third.iter().filter(|w| w.0 != 0).count() > 100, "a level worth comparing");
    assert_eq!(third, expand_all(&mut gpu_levels, &third_sizes), "level 3, placed from the chunks' record sizes");
}

/// A level's chunks given out in order, and each one's results kept with it.
struct CollectChunks {
    chunks: std::vec::IntoIter<Vec<Segment>>,
    taken: Vec<(Vec<Segment>, Vec<(u32, [u32; 4])>)>,
}

impl crate::engine::level::ChunkFeed for CollectChunks {
    fn next_chunk(&mut self) -> Option<Vec<Segment>> {
        self.chunks.next()
    }
    fn consume(&mut self, chunk: &[Segment], scores: &[u32], prints: Prints) {
        self.taken.push((chunk.to_vec(), scores.iter().enumerate().map(|(k, &s)| (s, prints.get(k))).collect()));
    }
}

/// Each pair's output is its input's top-left corner, of a size that differs from pair
/// to pair (half the rows, a third of the columns): one `to_output_size(embed)` step,
/// with the test input's size predicted from the train pairs.
#[test]
fn to_output_size_brings_each_pair_to_its_own_output_size() {
    let input = |rows: usize, cols: usize| Grid::from_fn(rows, cols, |r, c| ((r * 7 + c * 3) % 10) as u8).unwrap();
    let corner = |g: &Grid, rows: usize, cols: usize| Grid::from_fn(rows, cols, |r, c| g.get(r, c)).unwrap();
    let inputs = vec![input(4, 6), input(6, 9), input(10, 3)];
    let outputs = vec![corner(&inputs[0], 2, 2), corner(&inputs[1], 3, 3), corner(&inputs[2], 5, 1)];
    let test = input(8, 12);
    let steps: Vec<Step> = ["identity", "rot90", "to_output_size(resize)", "to_output_size(embed)"]
        .iter()
        .map(|t| Program::parse(t).unwrap().steps()[0])
        .collect();
    let opts = SearchOptions { steps, depth: 2, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
    for (backend, mut engine) in started_engines() {
        let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
        assert_eq!(found[0].program.to_string(), "to_output_size(embed)", "{backend:?}: {found:?}");
        assert!(found[0].exact());
        assert_eq!(found[0].test_outputs, vec![corner(&test, 4, 4)], "{backend:?}");
    }
    // outside a search no size is known
    assert_eq!(crate::engine::cpu_eval::run_program(&Program::parse("to_output_size(embed)").unwrap(), &test), None);
    // each fit is its sized op at the target size
    for (fit, sized) in [("embed", "embed"), ("resize", "resize_to"), ("repeat", "repeat_to"), ("mirror", "mirror_to"), ("wrap", "wrap_to")] {
        for (g, target) in [(&inputs[0], (3, 9)), (&inputs[1], (2, 2)), (&test, (30, 1))] {
            let program = Program::parse(&format!("to_output_size({fit})")).unwrap();
            let expected = crate::engine::reference::run_program(&Program::parse(&format!("{sized}({}x{})", target.0, target.1)).unwrap(), g);
            assert!(expected.is_some());
            assert_eq!(crate::engine::cpu_eval::run_program_at(&program, g, target), expected, "{fit} at {target:?}");
            assert_eq!(crate::engine::ops::to_output_size_reference_at(&program.steps()[0], g, target), expected, "{fit} at {target:?}");
        }
    }
}

/// Every output is its input turned a quarter and painted 3 (the inputs have several
/// colours): with no paint step in the alphabet, the free finishing step finds
/// `rot90 | permute(0333333333)` at depth 1, on both executors; without it nothing is exact.
#[test]
fn the_free_finishing_paint_makes_a_one_step_search_exact() {
    let inputs = vec![grid!["120", "304"], grid!["56", "07", "80"]];
    let paint3 = |g: &Grid| Grid::from_cells(g.rows(), g.cols(), g.cells().iter().map(|&c| if c == 0 { 0 } else { 3 }).collect()).unwrap();
    let outputs: Vec<Grid> = inputs.iter().map(|g| paint3(&crate::dsl::rot90(g))).collect();
    let test = grid!["90", "12"];
    let steps: Vec<Step> = ["identity", "rot90", "flip_updown", "transpose"].iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
    let job = SearchJob::new(&inputs, &outputs, std::slice::from_ref(&test), steps.clone());
    assert_eq!(job.paint_finish, Some(3));
    assert_eq!(SearchJob::new(&inputs, &inputs, &[], steps.clone()).paint_finish, None, "inputs of several colours");
    let mut opts = SearchOptions { steps, depth: 1, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
    for (backend, mut engine) in started_engines() {
        opts.finishing = true;
        let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
        assert_eq!(found[0].program.to_string(), "rot90 | permute(0333333333)", "{backend:?}: {found:?}");
        assert!(found[0].exact(), "{backend:?}");
        assert_eq!(found[0].test_outputs, vec![paint3(&crate::dsl::rot90(&test))], "{backend:?}");
        assert_eq!(found.iter().filter(|f| f.exact()).count(), 1, "only the quarter turn has the shapes");
        opts.finishing = false;
        let plain = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
        assert!(plain.iter().all(|f| !f.exact() && f.program.steps().len() == 1), "{backend:?}: {plain:?}");
    }
}

/// Each output keeps only the input's largest object, mirrored left-right inside its own
/// bounding box where it lies: `crop_largest | flip_leftright` at depth 2, placed back by
/// the free placing step (`... | place`), on both executors; without placing, no program
/// of the alphabet is exact.
#[test]
fn the_free_placing_step_puts_a_cropped_object_back_where_it_was() {
    let inputs = vec![grid!["000000", "011000", "001000", "000003", "000000"], grid!["00000", "00000", "00220", "00020", "00020", "40000"]];
    let outputs = vec![grid!["000000", "011000", "010000", "000000", "000000"], grid!["00000", "00000", "00220", "00200", "00200", "00000"]];
    let test = grid!["0000000", "0000500", "0005500", "0000500", "0800000"];
    let expected = grid!["0000000", "0005000", "0005500", "0005000", "0000000"];
    let steps: Vec<Step> = ["identity", "crop_largest", "keep_largest", "flip_leftright", "rot90"].iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
    let mut opts = SearchOptions { steps, depth: 2, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
    for (backend, mut engine) in started_engines() {
        opts.placing = true;
        let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
        assert_eq!(found[0].program.to_string(), "crop_largest | flip_leftright | place", "{backend:?}: {found:?}");
        assert!(found[0].exact(), "{backend:?}");
        assert_eq!(found[0].test_outputs, vec![expected.clone()], "{backend:?}");
        opts.placing = false;
        let plain = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
        assert!(plain.iter().all(|f| !f.exact() && !f.program.to_string().contains("place")), "{backend:?}: {plain:?}");
    }
}

/// Each output is its input with every object mirrored left-right inside its own
/// bounding box: only "split into objects, map a step, compose" states it. At depth 2,
/// `split(objects) | flip_leftright` is scored composed (the free compose) and placed,
/// on both executors; without the list ops in the alphabet nothing is exact.
#[test]
fn split_map_compose_flips_each_object_in_place() {
    let inputs = vec![grid!["000000", "011020", "001022", "000000", "300000"], grid!["02200", "00200", "00000", "00033"]];
    let outputs = vec![grid!["000000", "011002", "010022", "000000", "300000"], grid!["02200", "02000", "00000", "00033"]];
    let test = grid!["00000", "04400", "00400", "00000", "50000"];
    let expected = grid!["00000", "04400", "04000", "00000", "50000"];
    let alphabet = |lists: bool| -> Vec<Step> {
        let mut texts = vec!["identity", "flip_leftright", "crop_content", "rot90", "keep_largest"];
        if lists {
            texts.extend(["split(objects)", "compose", "keep_best(largest)"]);
        }
        texts.iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect()
    };
    for (backend, mut engine) in started_engines() {
        let opts = SearchOptions { steps: alphabet(true), depth: 2, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
        let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap().found;
        assert_eq!(found[0].program.to_string(), "split(objects) | flip_leftright | compose | place", "{backend:?}: {found:?}");
        assert!(found[0].exact(), "{backend:?}");
        assert_eq!(found[0].test_outputs, vec![expected.clone()], "{backend:?}");
        let plain = SearchOptions { steps: alphabet(false), ..opts };
        let found = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &plain).unwrap().found;
        assert!(found.iter().all(|f| !f.exact()), "{backend:?}: {found:?}");
    }
}

/// Each output is its input with the mirror image of its cells, in 5, where the input
/// is background: an overlay of the input and the mirror painted 5, a layer only the
/// free finishing paint makes (5 is in every train output; no op of the alphabet paints).
#[test]
fn overlays_take_layers_in_each_colour_every_train_output_has() {
    let inputs = vec![grid!["1200", "0300", "0000"], grid!["0020", "1000"]];
    let mirrored_in_5 = |g: &Grid| {
        let m = crate::dsl::flip_leftright(g);
        Grid::from_fn(g.rows(), g.cols(), |r, c| if g.get(r, c) != 0 { g.get(r, c) } else if m.get(r, c) != 0 { 5 } else { 0 }).unwrap()
    };
    let outputs: Vec<Grid> = inputs.iter().map(mirrored_in_5).collect();
    let test = grid!["300", "000", "020"];
    let steps: Vec<Step> = ["identity", "flip_leftright", "rot180"].iter().map(|t| Program::parse(t).unwrap().steps()[0]).collect();
    let mut opts = SearchOptions { steps, depth: 1, max_states: 100, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 10, max_layers: 4, finishing: true, placing: true, filling: true, backend: None };
    let mut engine = Engine::new(Backend::Cpu);
    let result = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap();
    assert!(result.found.iter().all(|f| !f.exact()), "no single program is right");
    let exact: Vec<&Composed> = result.overlays.iter().filter(|o| o.pairs_exact == o.pairs).collect();
    assert!(!exact.is_empty(), "{:?}", result.overlays);
    assert!(exact[0].layers.iter().any(|(p, _)| p.to_string() == "flip_leftright | permute(0555555555)"), "{}", exact[0].name());
    assert_eq!(exact[0].test_outputs, vec![grid!["305", "000", "020"]]);
    assert_eq!(mirrored_in_5(&test), grid!["305", "000", "020"]);
    opts.finishing = false;
    let plain = enumerate(&mut engine, &inputs, &outputs, std::slice::from_ref(&test), &opts).unwrap();
    assert!(plain.overlays.iter().all(|o| o.pairs_exact < o.pairs), "{:?}", plain.overlays);
}

#[test]
fn a_batch_of_searches_gives_what_each_search_alone_gives() {
    let jobs = eval_jobs(6);
    let limits = SearchLimits { depth: 3, max_states: 50, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 12, pieces: 30, max_layers: 10, finishing: true, placing: true, filling: true };
    let mut engine = Engine::new(Backend::Cpu);
    engine.use_cache = false;
    let (together, _) = search_many(&mut engine, &jobs, &limits, None).unwrap();
    for (job, result) in jobs.iter().zip(&together) {
        let (alone, _) = search_many(&mut engine, std::slice::from_ref(job), &limits, None).unwrap();
        assert_eq!(alone[0].found, result.found);
        assert_eq!(alone[0].overlays, result.overlays);
        assert_eq!(alone[0].stats.kept, result.stats.kept);
        assert!(result.found.windows(2).all(|w| w[0].exact() >= w[1].exact()), "exact first");
    }
}

/// The last level's one pass (`distinct::best_distinct_par`) keeps what walking every
/// candidate in rank order would: the best `keep` with prints not seen before, each print
/// by its best candidate. Many equal scores, many repeated prints, seen prints among the
/// best, and more candidates than one part, so the parts' lists are merged. The duplicates
/// it reports, counted above the cut, are those the walk meets (the search stats).
#[test]
fn the_last_levels_one_pass_keeps_what_a_full_walk_would() {
    use super::distinct::{best_distinct, best_distinct_par, best_distinct_parts, by_rank, PrehashedSet};
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (state >> 33) as u32
    };
    let n = 700_000;
    // a print is a function of the outputs, and so is the score: equal prints, equal scores
    let pool: Vec<([u32; 4], u32)> = (0..5_000u32).map(|i| ([i, i.wrapping_mul(2654435761), 7, i ^ 0x55], if i % 3 == 0 { 0 } else { next() % 40 })).collect();
    let mut scores = Vec::with_capacity(n);
    let mut prints = Vec::with_capacity(n);
    for _ in 0..n {
        let (print, score) = pool[(next() % pool.len() as u32) as usize];
        scores.push(score);
        prints.push(print);
    }
    let seen: PrehashedSet = pool.iter().filter(|(_, s)| *s >= 35).step_by(2).map(|(p, _)| print::lanes_to_u128(*p)).collect();
    for keep in [1, 16, 100, 2000, 10_000] {
        let mut order: Vec<u32> = (0..n as u32).filter(|&k| scores[k as usize] != 0).collect();
        order.sort_by(|&a, &b| by_rank((scores[a as usize], a as u64), (scores[b as usize], b as u64)));
        let mut taken = PrehashedSet::default();
        let mut walked = Vec::new();
        let mut duplicates_walked = 0;
        for k in order {
            if walked.len() == keep {
                break;
            }
            let p = print::lanes_to_u128(prints[k as usize]);
            if !seen.contains(&p) && taken.insert(p) {
                walked.push((scores[k as usize], k, p));
            } else {
                duplicates_walked += 1;
            }
        }
        assert!(keep < 100 || duplicates_walked > 0, "keep {keep}: the walk meets duplicates");
        // the duplicates a pass reports, counted above the walk's last taken candidate
        let cut = (walked.len() == keep).then(|| walked[keep - 1]);
        let above_cut = |d: &&(u32, u32)| cut.is_none_or(|c| by_rank((d.0, d.1 as u64), (c.0, c.1 as u64)).is_lt());
        // the parallel parts ask a maker of prints (the CPU's last level) at their offsets
        let make = |k: usize| prints[k];
        let par = best_distinct_parts(&scores, Prints::OnRequest { first: 0, make: &make }, &seen, keep, 1 << 18);
        assert_eq!(par.best, walked, "keep {keep}: in parallel parts");
        let threads = best_distinct_par(&scores, Prints::Made(&prints), &seen, keep);
        assert_eq!(threads.best, walked, "keep {keep}: parts of the threads' length");
        assert_eq!(threads.duplicates.iter().filter(above_cut).count(), duplicates_walked, "keep {keep}: their duplicates");
        assert_eq!(par.duplicates.iter().filter(above_cut).count(), duplicates_walked, "keep {keep}: duplicates in parallel parts");
        let one = best_distinct(&scores, Prints::Made(&prints), &seen, keep);
        assert_eq!(one.best, walked, "keep {keep}: in one pass");
        assert_eq!(one.duplicates.iter().filter(above_cut).count(), duplicates_walked, "keep {keep}: duplicates in one pass");
    }
}

/// A deadline stops a search where it would lose work (`stats.cut`, not cached: the same
/// search without one then runs whole), and does not mark one that finished before it.
#[test]
fn a_deadline_cuts_only_a_search_it_stops_and_a_cut_search_is_not_cached() {
    let inputs = vec![grid!["120", "300"], grid!["45", "60"]];
    let outputs: Vec<Grid> = inputs.iter().map(|g| crate::dsl::replace(&crate::dsl::rot90(g), 0, 7).unwrap()).collect();
    let steps = vec![Step::new(Op::Rot90), Step::new(Op::FlipUpdown), Step::new(Op::FlipLeftright), Step::with(Op::Recolor, 0, 7)];
    let opts = SearchOptions { steps, depth: 2, max_states: 1000, exhaustive: EXHAUSTIVE_STATE_LEN, keep: 10, pieces: 0, max_layers: 0, finishing: true, placing: true, filling: true, backend: None };
    let mut engine = Engine::new(Backend::Cpu);
    assert!(engine.use_cache);
    let passed = std::time::Instant::now();
    let cut = enumerate_until(&mut engine, &inputs, &outputs, &[], &opts, Some(passed)).unwrap();
    assert!(cut.stats.cut, "a deadline already passed stops the search: {:?}", cut.stats);
    assert!(cut.found.is_empty(), "nothing was expanded: {:?}", cut.found);
    let whole = enumerate(&mut engine, &inputs, &outputs, &[], &opts).unwrap();
    assert!(!whole.stats.cut && whole.found[0].exact(), "the cut result was not cached: {:?}", whole.stats);
    let far = std::time::Instant::now() + std::time::Duration::from_secs(3600);
    let mut fresh = Engine::new(Backend::Cpu);
    let in_time = enumerate_until(&mut fresh, &inputs, &outputs, &[], &opts, Some(far)).unwrap();
    assert!(!in_time.stats.cut && in_time.found == whole.found, "a search done before its deadline is whole");
}

/// On the last level the CPU makes a candidate's print only when it is asked for: the
/// same prints as those made with every candidate, whatever the segment and order asked.
#[test]
fn the_cpus_prints_on_request_are_the_prints_it_makes_for_every_candidate() {
    let jobs = eval_jobs(5);
    let refs: Vec<&SearchJob> = jobs.iter().collect();
    let mut levels = cpu::CpuLevels::new().prints_on_request_from(0);
    levels.begin(&refs).unwrap();
    let segments: Vec<Segment> = (0..jobs.len() as u32).map(|job| Segment { job, first_state: 0, states: 1 }).collect();
    // a second level: up to 4 states per job, each job's segment starting past its first state
    let first = expand_all(&mut levels, &vec![1; jobs.len()]);
    let steps = jobs[0].steps.len();
    let mut chosen: Vec<Chosen> = Vec::new();
    for job in 0..jobs.len() {
        let with_output = (0..steps).filter(|&k| first[job * steps + k].0 != 0).take(4);
        chosen.extend(with_output.map(|k| Chosen { job: job as u32, state: 0, step: k as u32 }));
    }
    levels.materialise(&chosen).unwrap();
    let segments: Vec<Segment> = (0..jobs.len() as u32)
        .map(|job| Segment { job, first_state: 1, states: chosen.iter().filter(|c| c.job == job).count() as u32 - 1 })
        .filter(|s| s.states > 0)
        .collect();
    assert!(segments.len() >= 3, "jobs with several states");
    let mut made = Vec::new();
    levels.expand(&segments, true, &mut |scores, prints| made = scores.iter().enumerate().map(|(k, &s)| (s, prints.get(k))).collect()).unwrap();
    let mut asked = Vec::new();
    levels
        .expand(&segments, false, &mut |scores, prints| {
            // asked last to first, and through an offset view as the level's parts ask
            let later = prints.from(scores.len() / 2);
            let mut lanes: Vec<[u32; 4]> = (0..scores.len()).rev().map(|k| if scores[k] == 0 { [0; 4] } else { prints.get(k) }).collect();
            lanes.reverse();
            for k in scores.len() / 2..scores.len() {
                if scores[k] != 0 {
                    assert_eq!(later.get(k - scores.len() / 2), lanes[k]);
                }
            }
            asked = scores.iter().copied().zip(lanes).collect();
        })
        .unwrap();
    assert!(made.iter().filter(|m| m.0 != 0).count() > 50, "candidates with outputs to compare");
    let with_outputs: Vec<_> = made.iter().map(|&(s, p)| (s, if s == 0 { [0; 4] } else { p })).collect();
    assert_eq!(asked, with_outputs);
}
