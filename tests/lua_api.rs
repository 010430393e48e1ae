//! The Lua API seen from scripts: grid values and their 1-based access, the DSL as
//! functions and methods, validation errors, require paths, and Lua errors that carry
//! file:line. Each test runs a small script through the library's run path.

use std::fs;
use std::path::{Path, PathBuf};

use batt::data::dataset::Dataset;
use batt::run::record::TaskStatus;
use batt::run::runner::{run_script, RunOptions, RunOutcome};
use batt::data::selection::{select_tasks, TaskFilter};

fn options(script: &Path) -> RunOptions {
    RunOptions {
        script: script.to_path_buf(),
        data: None,
        filter: TaskFilter { split: None, start: 0, count: Some(1), ids: vec!["007bbfb7".into()] },
        task_timeout: None,
        plan: None,
        args: vec!["alpha".into(), "beta".into()],
        quiet: true,
        backend: batt::engine::Backend::Cpu,
        device: None,
        task_stats: false,
        jobs: 1,
    }
}

fn run_lua(dir: &Path, name: &str, source: &str) -> RunOutcome {
    let script: PathBuf = dir.join(name);
    fs::write(&script, source).unwrap();
    let opts = options(&script);
    let data = Dataset::embedded().unwrap();
    let selection = select_tasks(&data, &opts.filter).unwrap();
    run_script(&script, selection, &opts).unwrap()
}

#[test]
fn grid_values_behave_as_documented() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "grids.lua",
        r#"
        local g = batt.grid{{1, 2, 3}, {4, 5, 6}}
        assert(g.rows == 2 and g.cols == 3 and g.height == 2 and g.width == 3)
        assert(g:get(1, 1) == 1 and g:get(2, 3) == 6, "cells count from 1")
        assert(tostring(g) == "123\n456")
        assert(g == batt.grid{{1, 2, 3}, {4, 5, 6}})
        assert(g ~= batt.grid{{1, 2, 3}, {4, 5, 7}})
        local t = g:totable()
        assert(#t == 2 and t[2][3] == 6)
        local h = g:copy(); h:set(1, 1, 9)
        assert(g:get(1, 1) == 1 and h:get(1, 1) == 9, "copy is independent")
        -- DSL as functions and as methods
        assert(batt.dsl.rot90(g) == g:rot90())
        assert(tostring(g:rot90()) == "41\n52\n63")
        assert(tostring(batt.dsl.crop(g, 1, 2, 2, 2)) == "23\n56")
        assert(batt.dsl.mostcolor(batt.grid{{0, 0, 1}}) == 0)
        local objs = batt.dsl.objects(batt.grid{{1, 0, 2}, {1, 0, 0}})
        assert(#objs == 2 and objs[1].size == 2 and objs[1].color == 1)
        local top, left, bottom, right = objs[2]:bbox()
        assert(top == 1 and left == 3 and bottom == 1 and right == 3)
        assert(tostring(batt.dsl.gravity(batt.grid{{1, 0}, {0, 0}}, "down")) == "00\n10")
        -- errors say what is wrong
        local ok, err = pcall(batt.grid, {{1, 2}, {3}})
        assert(not ok and err:find("row 2 has 1 cells"), err)
        ok, err = pcall(batt.grid, {{1, 12}})
        assert(not ok and err:find("is 12"), err)
        ok, err = pcall(g.get, g, 3, 1)
        assert(not ok and err:find("outside this 2x3 grid"), err)
        ok, err = pcall(batt.dsl.crop, g, 2, 2, 5, 5)
        assert(not ok and err:find("does not fit"), err)
        assert(batt.args[1] == "alpha" and batt.args[2] == "beta")
        for task in batt.tasks() do
          local s = task:score("rot", function(input) return input:rot90() end)
          assert(s.pairs == #task.train and s.exact == false)
          task:predict(1, task.test[1].output)
        end
        "#,
    );
    assert_eq!(outcome.script_error, None);
    let r = &outcome.records[0];
    assert_eq!(r.status, TaskStatus::Done, "{:?}", r.error);
    assert_eq!(r.candidates_tried, 1);
    assert_eq!(r.test_correct(false), Some((1, 1)));
}

#[test]
fn learners_are_callable_from_lua() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "learners.lua",
        r#"
        -- a background cell between two cells of one colour on its row takes that colour
        local pairs = {
          { input = batt.grid{{1, 0, 0, 1}, {0, 0, 0, 0}}, output = batt.grid{{1, 1, 1, 1}, {0, 0, 0, 0}} },
          { input = batt.grid{{0, 2, 0, 0, 0, 2, 0}, {0, 0, 0, 0, 0, 0, 0}}, output = batt.grid{{0, 2, 2, 2, 2, 2, 0}, {0, 0, 0, 0, 0, 0, 0}} },
        }
        local test = batt.grid{{3, 0, 0, 3}, {0, 0, 0, 0}}
        local rules = batt.dsl.learn_cell_rules(pairs, { test }, { max_rules = 2 })
        assert(#rules >= 1 and rules[1].name:find("^cell rule %("), rules[1] and rules[1].name)
        assert(rules[1].apply(test) == batt.grid{{3, 3, 3, 3}, {0, 0, 0, 0}}, tostring(rules[1].apply(test)))
        assert(#batt.dsl.learn_cell_rules({ { input = batt.grid{{1}}, output = batt.grid{{1, 1}} } }, { test }) == 0,
          "no rule for pairs that change shape")
        -- colour 0 hides two cells of a left-right mirrored pattern
        local fixed = batt.dsl.complete_symmetry(batt.grid{{1, 2, 3, 3, 2, 1}, {4, 0, 0, 6, 5, 4}, {6, 7, 8, 8, 7, 6}}, 0)
        assert(fixed == batt.grid{{1, 2, 3, 3, 2, 1}, {4, 5, 6, 6, 5, 4}, {6, 7, 8, 8, 7, 6}}, tostring(fixed))
        assert(batt.dsl.complete_symmetry(batt.grid{{1, 2}, {3, 4}}, 0) == nil)
        "#,
    );
    assert_eq!(outcome.script_error, None);
}

/// task:alphabet gives the op table's steps for the task (007bbfb7: a 3x3 input of colours
/// 0 and 7 tiled into a 9x9 output), its options switch parts on and off, and a wrong
/// option is an error that names it.
#[test]
fn task_alphabet_gives_the_op_tables_steps_for_the_task() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "alphabet.lua",
        r#"
        local task = batt.tasks()()
        local steps = task:alphabet()
        local has = {}
        for _, s in ipairs(steps) do has[s] = true end
        assert(steps[1] == "identity" and has["tile(3x3)"] and has["recolor(7->0)"] and has["embed(9x9)"], table.concat(steps, " "))
        assert(has["split(objects)"] and has["border"] and not has["drop_blank"] and not has["to_output_size(embed)"])
        local bare = task:alphabet{lines = false, lists = false, extended = true}
        local bare_has = {}
        for _, s in ipairs(bare) do bare_has[s] = true end
        assert(not bare_has["split(objects)"] and not bare_has["border"] and bare_has["drop_blank"])
        local mapped = task:alphabet{colour_map = {[7] = 2}}
        local found = false
        for _, s in ipairs(mapped) do found = found or s == "permute(0123456289)" end
        assert(found, "a learned colour map gives its permute step")
        local ok, err = pcall(task.alphabet, task, {line = false})
        assert(not ok and err:find("unknown option line"), err)
        ok, err = pcall(task.alphabet, task, {lists = 0})
        assert(not ok and err:find("lists must be true or false"), err)
        "#,
    );
    assert_eq!(outcome.script_error, None);
}

#[test]
fn errors_carry_file_and_line_of_the_script_and_of_required_modules() {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir(dir.path().join("lib")).unwrap();
    fs::write(dir.path().join("lib/helper.lua"), "local M = {}\nfunction M.boom()\n  error('helper exploded')\nend\nreturn M\n").unwrap();
    let outcome = run_lua(
        dir.path(),
        "main.lua",
        "local helper = require('helper')\nfor task in batt.tasks() do\n  helper.boom()\nend\n",
    );
    let r = &outcome.records[0];
    assert_eq!(r.status, TaskStatus::Error);
    let err = r.error.as_deref().unwrap();
    let helper = dir.path().join("lib/helper.lua").display().to_string();
    assert!(err.starts_with(&format!("{helper}:3: helper exploded")), "{err}");
    assert!(err.contains("stack traceback:"), "{err}");
    assert!(err.contains(&format!("{}:3:", dir.path().join("main.lua").display())), "traceback names main.lua:3: {err}");
}

#[test]
fn a_syntax_error_in_the_main_script_is_a_script_error_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(dir.path(), "broken.lua", "local x = \nfor\n");
    let err = outcome.script_error.expect("script error");
    assert!(err.starts_with(&format!("{}:2:", dir.path().join("broken.lua").display())), "{err}");
    assert_eq!(outcome.records[0].status, TaskStatus::Error);
}

#[test]
fn tasks_not_asked_for_are_recorded_as_not_run() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(dir.path(), "idle.lua", "batt.log('nothing to do')\n");
    assert_eq!(outcome.script_error, None);
    assert_eq!(outcome.records[0].status, TaskStatus::NotRun);
    assert_eq!(outcome.run_log, vec!["nothing to do".to_string()]);
}

#[test]
fn the_batch_api_evaluates_programs_and_keeps_stats() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "batch.lua",
        r#"
        local g = batt.grid{{1, 2}, {3, 4}}
        local p = batt.program("rot90 | tile(1x2)")
        assert(tostring(p) == "rot90 | tile(1x2)" and p.length == 2)
        assert(batt.program{"rot90", {"tile", 1, 2}} == p, "table form")
        local ok, err = pcall(batt.program, "spin")
        assert(not ok and err:find('unknown op "spin"'), err)
        local ops = batt.ops()
        assert(#ops >= 28 and ops[1].name == "identity" and ops[1].code == 0 and #ops[1].params == 0)
        local by_name = {}
        for _, op in ipairs(ops) do by_name[op.name] = op end
        local tile = by_name.tile
        assert(tile.separator == "x" and tile.params[1].kind == "int" and tile.params[1].min == 1 and tile.params[2].max == 4, tile.usage)
        assert(by_name.half.params[1].choices[2] == "bottom" and by_name.recolor.params[1].kind == "color")
        assert(by_name.permute.params[1].kind == "color_table" and by_name.permute.params[1].min == nil)
        -- an alphabet built from the table alone parses back
        for _, op in ipairs(ops) do
          local args = {}
          for _, p in ipairs(op.params) do
            args[#args + 1] = p.kind == "color_table" and "0123456789" or (p.choices and p.choices[#p.choices] or tostring(p.max))
          end
          local text = #args == 0 and op.name or (op.name .. "(" .. table.concat(args, op.separator) .. ")")
          assert(tostring(batt.program(text)) == text, text)
        end

        local b = batt.batch{size = 3}
        local h1 = b:add(p, g, batt.grid{{3, 1, 3, 1}, {4, 2, 4, 2}}, "mine")
        local h2 = b:add("flip_updown", g, g)
        assert(b:pending() == 2)
        local h3 = b:add("upscale(4) | upscale(4)", g)   -- the third add fills the batch: flushed
        assert(b:pending() == 0)
        local exact, cells, shape = h1:score()
        assert(exact and cells == 8 and shape, "rot90 then tile")
        exact, cells, shape = h2:score()
        assert(not exact and cells == 0 and shape)
        assert(h1:output() == batt.grid{{3, 1, 3, 1}, {4, 2, 4, 2}}, "output comes back on request")
        assert(h3:output() == nil, "32x32 does not fit: no output")
        local s = b:stats()
        assert(s.items_added == 3 and s.batches == 1 and s.per_tag.mine == 1 and s.per_op.rot90 == 1, s.line)

        local m = batt.eval({"identity", "rot180"}, {g, g:rot90()}, {g, g}, {outputs = true})
        assert(#m == 2 and #m[1] == 2)
        assert(m[1][1].exact and not m[1][2].exact and m[2][1].output == g:rot180())
        for task in batt.tasks() do
          local scores = task:score_programs({"identity", "transpose"})
          assert(#scores == 2 and scores[1].name == "identity" and tostring(scores[2].program) == "transpose")
        end
        "#,
    );
    assert_eq!(outcome.script_error, None);
    let r = &outcome.records[0];
    assert_eq!(r.status, TaskStatus::Done, "{:?}", r.error);
    assert_eq!(r.candidates_tried, 2);
    let engine = r.engine.as_ref().unwrap();
    assert_eq!(engine.items_added as usize, 2 * 5, "2 programs x 5 train pairs of 007bbfb7");
}

#[test]
fn kept_values_survive_into_the_next_run_of_a_session() {
    use batt::run::runner::{run_in_session, Session};
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("keep.lua");
    fs::write(
        &script,
        r#"
        local n = batt.kept("runs") or 0
        assert(batt.reloads == n, "reloads counts the runs before this one")
        batt.keep("runs", n + 1)
        batt.keep("best", {score = 0.5, grid = batt.grid{{1, 2}}, tags = {"a", "b"}})
        if n == 1 then
          local best = batt.kept("best")
          assert(best.score == 0.5 and best.grid == batt.grid{{1, 2}} and best.tags[2] == "b")
          assert(batt.changed_files[1] == "x.lua")
        end
        local ok, err = pcall(batt.keep, "f", function() end)
        assert(not ok and err:find("cannot keep a function"), err)
        "#,
    )
    .unwrap();
    let opts = options(&script);
    let data = Dataset::embedded().unwrap();
    let mut session = Session::new(batt::engine::Backend::Cpu, None).unwrap();
    for changed in [vec![], vec![PathBuf::from("x.lua")]] {
        let selection = select_tasks(&data, &opts.filter).unwrap();
        let outcome = run_in_session(&mut session, &script, selection, &opts, &changed).unwrap();
        assert_eq!(outcome.script_error, None);
        assert!(outcome.loaded_files.contains(&script));
    }
    assert_eq!(session.runs, 2);
}

/// With several workers, code outside the task loop runs once per worker, every worker
/// keeps into one store, and a re-run (in a fresh set of Lua states) reads what any worker
/// of the last run kept.
#[test]
fn workers_keep_into_one_store_that_the_next_run_reads() {
    use batt::run::runner::{run_in_session, Session};
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("keep.lua");
    fs::write(
        &script,
        r#"
        assert(batt.workers == 3 and batt.worker >= 1 and batt.worker <= 3, "worker " .. batt.worker .. " of " .. batt.workers)
        assert(batt.task_count() == 9, "task_count is the whole selection's")
        batt.keep("run " .. batt.reloads .. " worker " .. batt.worker, true)
        for task in batt.tasks() do
          if batt.reloads == 1 then
            -- kept by whichever worker had the task in the first run
            assert(batt.kept("task " .. task.id) == task.index, task.id)
          end
          batt.keep("task " .. task.id, task.index)
          task:predict(1, task.test[1].input)
        end
        "#,
    )
    .unwrap();
    let mut opts = options(&script);
    opts.filter = TaskFilter { split: None, start: 0, count: Some(9), ids: Vec::new() };
    opts.jobs = 3;
    let data = Dataset::embedded().unwrap();
    let mut session = Session::new(batt::engine::Backend::Cpu, None).unwrap();
    for _ in 0..2 {
        let selection = select_tasks(&data, &opts.filter).unwrap();
        let outcome = run_in_session(&mut session, &script, selection, &opts, &[]).unwrap();
        assert_eq!(outcome.script_error, None);
        assert_eq!(outcome.workers, 3);
        assert!(outcome.records.iter().all(|r| r.status == TaskStatus::Done), "{:?}", outcome.records.iter().map(|r| (&r.id, r.status, &r.error)).collect::<Vec<_>>());
        let positions: Vec<usize> = outcome.records.iter().map(|r| r.position).collect();
        assert_eq!(positions, (0..9).collect::<Vec<_>>(), "records come back in selection order");
    }
    let kept = session.kept.lock().unwrap();
    for run in 0..2 {
        for worker in 1..=3 {
            assert!(kept.contains_key(&format!("run {run} worker {worker}")), "code outside the loop ran in worker {worker} of run {run}");
        }
    }
    assert_eq!(kept.keys().filter(|k| k.starts_with("task ")).count(), 9);
}

/// `batt.single_worker()` runs the script on worker 1 alone, whatever `-j` says; the other
/// workers end quietly and take no task.
#[test]
fn a_single_worker_script_runs_every_task_on_worker_one() {
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("single.lua");
    fs::write(
        &script,
        r#"
        batt.single_worker()
        assert(batt.worker == 1, "only worker 1 goes on")
        local count = 0
        for task in batt.tasks() do
          count = count + 1
          task:predict(1, task.test[1].input)
        end
        assert(count == batt.task_count(), count .. " of " .. batt.task_count())
        batt.keep("single", count)
        "#,
    )
    .unwrap();
    let mut opts = options(&script);
    opts.filter = TaskFilter { split: None, start: 0, count: Some(6), ids: Vec::new() };
    opts.jobs = 4;
    let data = Dataset::embedded().unwrap();
    let mut session = batt::run::runner::Session::new(batt::engine::Backend::Cpu, None).unwrap();
    let selection = select_tasks(&data, &opts.filter).unwrap();
    let outcome = batt::run::runner::run_in_session(&mut session, &script, selection, &opts, &[]).unwrap();
    assert_eq!(outcome.script_error, None);
    assert!(outcome.records.iter().all(|r| r.status == TaskStatus::Done));
    assert!(session.kept.lock().unwrap().contains_key("single"));
}

#[test]
fn enumerate_and_task_search_find_composed_programs() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "search.lua",
        r#"
        local a, b = batt.grid{{1, 2, 0}, {3, 0, 0}}, batt.grid{{4, 5}, {0, 6}}
        local function answer(g) return g:rot90():replace(0, 7) end
        local found, stats = batt.enumerate{
          inputs = {a, b}, outputs = {answer(a), answer(b)},
          ops = {"rot90", "flip_updown", "flip_leftright", "recolor(0->7)"}, depth = 2, keep = 5,
        }
        assert(found[1].exact and found[1].name == "rot90 | recolor(0->7)", found[1].name)
        assert(#found == 5 and stats.levels == 2 and stats.duplicates > 0 and stats.evaluated > 0)
        -- the test inputs ride along: each result holds its test outputs, and a program
        -- exact on the train pairs that cannot apply to a test input is never returned
        local small, big = batt.grid{{1, 0}, {0, 2}}, batt.grid{{3, 0, 0}, {0, 3, 0}}
        local up = {"flip_updown", "upscale(3)", "tile(3x3)"}
        local without = batt.enumerate{inputs = {small}, outputs = {small:upscale(3)}, ops = up, depth = 1, keep = 3}
        assert(without[1].exact and without[1].name == "upscale(3)", without[1].name)
        local wide = batt.dsl.tile(big, 1, 4) -- 2x12: upscale(3) and tile(3x3) would be 36 wide
        local with, with_stats = batt.enumerate{inputs = {small}, outputs = {small:upscale(3)}, tests = {big, wide}, ops = up, depth = 1, keep = 3}
        -- predicted test sizes: the one train output's 6x6 (a constant is simpler than
        -- 3 times the input, which would make the wide test output 36 columns)
        local sizes = with_stats.test_sizes
        assert(#sizes == 2 and sizes[1][1] == 6 and sizes[1][2] == 6 and sizes[2][2] == 6, #sizes)
        assert(#with == 1 and with[1].name == "flip_updown" and not with[1].exact, #with)
        local flipped = with[1].test_outputs
        assert(#flipped == 2 and flipped[1] == batt.dsl.flip_updown(big) and flipped[2] == batt.dsl.flip_updown(wide))
        local ok, err = pcall(batt.enumerate, {inputs = {a}, outputs = {a}, ops = {"rot90 | rot90"}})
        assert(not ok and err:find("one step each"), err)
        -- a batch of every task's search, found ready by task:search; an alphabet that
        -- fails leaves its task out of the batch without stopping the run
        local ops = {"identity", "rot90", "upscale(3)", "tile(3x3)"}
        local summary = batt.search_all{ops = function(task) return ops end, depth = 3, keep = 3}
        assert(summary.tasks == 1 and summary.skipped == 0 and summary.evaluated > 0, summary.tasks)
        local bad = batt.search_all{ops = function(task) error("no alphabet for " .. task.id) end}
        assert(bad.tasks == 0 and bad.skipped == 1)
        batt.search_all{ops = function(task) return ops end, depth = 3, keep = 3}
        for task in batt.tasks() do
          local results, s = task:search{ops = ops, depth = 3, keep = 3}
          assert(#results == 3 and s.kept >= 3 and s.levels == 3)
          local fresh = batt.enumerate{inputs = {task.train[1].input}, outputs = {task.train[1].output}, ops = ops, depth = 3, keep = 3}
          assert(#fresh == 3)
        end
        "#,
    );
    assert_eq!(outcome.script_error, None);
    let r = &outcome.records[0];
    assert_eq!(r.status, TaskStatus::Done, "{:?}", r.error);
    assert!(r.candidates_tried >= 3, "every kept program counts as tried: {}", r.candidates_tried);
}

#[test]
fn every_engine_op_is_a_dsl_function_with_the_search_meaning() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "ops.lua",
        r#"
        for _, op in ipairs(batt.ops()) do
          assert(type(batt.dsl[op.name]) == "function", "no batt.dsl." .. op.name)
        end
        -- examples written from the ops' definitions (background 0 in each)
        local g = batt.grid{{1, 0, 0, 1}, {0, 0, 0, 0}, {2, 0, 2, 0}}
        assert(tostring(batt.dsl.connect(g, "horizontal")) == "1111\n0000\n2220")
        assert(tostring(g:smear("down")) == "1001\n1001\n2021")
        assert(tostring(batt.dsl.keep_color(g, 2)) == "0000\n0000\n2020")
        assert(tostring(batt.dsl.drop_blank(g)) == "101\n220")
        assert(batt.dsl.drop_blank(batt.grid{{0, 0}, {0, 0}}) == nil, "nothing left: nil")
        local square = batt.grid{{0, 0, 0, 0}, {0, 1, 1, 0}, {0, 1, 1, 0}, {0, 0, 0, 0}}
        assert(tostring(batt.dsl.interior(batt.dsl.upscale(square, 2), 5)):find("5"), "a 4x4 block has an inside")
        assert(tostring(batt.dsl.border(square)) == tostring(square), "a 2x2 block is all border")
        assert(tostring(batt.dsl.crop_object(batt.grid{{1, 2, 0}, {0, 0, 3}}, "most_colors")) == "12")
        assert(tostring(batt.dsl.recolor(square, 1, 4)) == tostring(square:replace(1, 4)))
        assert(tostring(batt.dsl.tile_mirrored(batt.grid{{1, 2}}, 1, 2)) == "1221")
        assert(tostring(batt.dsl.half(batt.grid{{1, 2}, {3, 4}}, "bottom")) == "34")
        assert(tostring(batt.dsl.repeat_to(batt.grid{{1, 2}}, 2, 3)) == "121\n121")
        assert(tostring(batt.dsl.embed(batt.grid{{1, 2}, {1, 3}}, 2, 3)) == "121\n131")
        local c = batt.grid{{1, 1, 1, 1, 1, 0}, {1, 0, 0, 0, 0, 0}, {1, 0, 0, 2, 0, 0}, {1, 0, 0, 0, 0, 0}, {1, 1, 1, 1, 1, 0}}
        assert(tostring(batt.dsl.pick(c, "objects", "largest")) == "11111\n10000\n10000\n10000\n11111", "only the object's own cells")
        assert(tostring(batt.dsl.pick(c, "colors", "smallest")) == "2")
        assert(tostring(batt.dsl.isolate(c, "colors", "smallest")) == "000000\n000000\n000200\n000000\n000000", "kept in place")
        assert(tostring(batt.dsl.majority_color(c)) == "1")
        assert(batt.dsl.majority_color(batt.grid{{0, 0}}) == nil, "all background: nil")
        assert(tostring(batt.dsl.count(c, "objects", "row")) == "11")
        assert(tostring(batt.dsl.count(c, "colors", "column")) == "1\n1")
        assert(tostring(batt.dsl.fill_box(batt.grid{{0, 0, 0}, {1, 0, 0}, {0, 0, 1}}, 5)) == "000\n155\n551")
        assert(tostring(batt.dsl.frame(batt.grid{{0, 0, 0}, {0, 4, 0}, {0, 0, 0}}, 2)) == "222\n242\n222")
        assert(tostring(batt.dsl.resize_to(batt.grid{{1, 2}}, 2, 4)) == "1122\n1122")
        assert(tostring(batt.dsl.wrap_to(batt.grid{{1, 2, 3, 0, 0}}, 2, 2)) == "12\n30")
        assert(tostring(batt.dsl.pad(batt.grid{{1}}, 3)) == "333\n313\n333")
        assert(tostring(batt.dsl.unpad(batt.grid{{3, 3, 3}, {3, 1, 3}, {3, 3, 3}})) == "1")
        assert(batt.program("shift(-1, 2)").text == "shift(-1,2)", "offsets read and print signed")
        assert(tostring(batt.dsl.spread(batt.grid{{1, 0, 0}, {0, 0, 0}, {0, 0, 0}}, "all")) == "111\n111\n111")
        local shift_ok, shift_err = pcall(batt.program, "shift(3, 0)")
        assert(not shift_ok and shift_err:find("-2..2", 1, true), shift_err)
        -- parameters are checked like program text
        local ok, err = pcall(batt.dsl.keep_color, g, 12)
        assert(not ok and err:find("keep_color"), err)
        ok, err = pcall(batt.dsl.connect, g, "diagonal")
        assert(not ok and err:find("horizontal, vertical, both"), err)
        "#,
    );
    assert_eq!(outcome.script_error, None);
}


/// The list functions on examples written from the list ops' meanings: split, a Lua loop
/// mapping a function over the parts, the filters and the joins, and their errors.
#[test]
fn list_functions_split_map_filter_and_join() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "lists.lua",
        r#"
        -- the 1-L at row 2, col 2; the 2-L at row 2, col 5; the lone 3 at row 5, col 1
        local g = batt.grid{{0,0,0,0,0,0},{0,1,1,0,2,0},{0,0,1,0,2,2},{0,0,0,0,0,0},{3,0,0,0,0,0}}
        local parts = batt.dsl.split(g, "objects")
        assert(#parts == 3)
        assert(tostring(parts[1].grid) == "11\n01" and parts[1].row == 2 and parts[1].col == 2)
        assert(tostring(parts[2].grid) == "20\n22" and parts[2].row == 2 and parts[2].col == 5)
        assert(tostring(parts[3].grid) == "3" and parts[3].row == 5 and parts[3].col == 1)
        -- every object mirrored in its own box, laid back where it was
        for _, p in ipairs(parts) do p.grid = p.grid:flip_leftright() end
        local out, row, col = batt.dsl.compose(parts)
        assert(tostring(out) == "011002\n010022\n000000\n300000" and row == 2 and col == 1, tostring(out))
        -- side by side, smallest box first, lying where the first lies
        out, row, col = batt.dsl.stack(parts, "across")
        assert(tostring(out) == "31102\n01022" and row == 5 and col == 1, tostring(out))
        assert(#batt.dsl.keep_best(parts, "largest") == 2)
        assert(tostring(batt.dsl.drop_best(parts, "largest")[1].grid) == "3")
        assert(batt.dsl.drop_best(batt.dsl.keep_best(parts, "largest"), "largest") == nil, "nothing left")
        -- smaller over larger: the lone 1 and the 2-square, upscaled over each other's boxes
        local h = batt.dsl.split(batt.grid{{1,0,0,0},{0,2,2,0},{0,2,2,0},{0,0,0,0}}, "colors")
        for _, p in ipairs(h) do p.grid = p.grid:upscale(2) end
        assert(tostring(batt.dsl.compose(h)):sub(1, 11) == "11000\n12222")
        assert(tostring(batt.dsl.compose_growing(h)):sub(1, 11) == "11000\n11222")
        -- a list built by hand; a missing row or col is 1
        assert(tostring(batt.dsl.compose{{grid = batt.grid{{5}}}, {grid = batt.grid{{6}}, row = 2, col = 2}}) == "50\n06")
        assert(batt.dsl.split(batt.grid{{0,0}}, "objects") == nil, "no parts")
        local ok, err = pcall(batt.dsl.split, g, "blobs")
        assert(not ok and err:find("objects, objects8, colors, cut, rows, columns", 1, true), err)
        ok, err = pcall(batt.dsl.compose, {{grid = g, row = 40}})
        assert(not ok and err:find("part 1: row 40", 1, true), err)
        ok, err = pcall(batt.dsl.compose, {})
        assert(not ok and err:find("1 to 30 parts", 1, true), err)
        ok, err = pcall(batt.dsl.stack, parts, "sideways")
        assert(not ok and err:find("line, across, down", 1, true), err)
        "#,
    );
    assert_eq!(outcome.script_error, None);
}

/// Every `batt.dsl` function has its entry in scripts/lib/batt_dsl_api.lua, and every entry
/// there is a function.
#[test]
fn every_dsl_function_is_documented_in_batt_dsl_api_lua() {
    let api = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/lib/batt_dsl_api.lua")).unwrap();
    let documented: Vec<&str> = api.lines().filter_map(|l| l.strip_prefix("function batt.dsl.")).filter_map(|l| l.split('(').next()).collect();
    assert!(documented.len() >= 120, "{} documented DSL functions", documented.len());
    let list = documented.iter().map(|n| format!("{n:?}")).collect::<Vec<_>>().join(", ");
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "documented.lua",
        &format!(
            r#"
            local documented = {{ {list} }}
            local set = {{}}
            for _, name in ipairs(documented) do
              assert(type(batt.dsl[name]) == "function", "batt_dsl_api.lua documents batt.dsl." .. name .. ", which does not exist")
              set[name] = true
            end
            for name in pairs(batt.dsl) do
              assert(set[name], "batt.dsl." .. name .. " is not documented in scripts/lib/batt_dsl_api.lua")
            end
            "#
        ),
    );
    assert_eq!(outcome.script_error, None);
}

/// The patch and object-list functions on examples written from their definitions.
#[test]
fn patch_functions_on_examples() {
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "patches.lua",
        r#"
        local d = batt.dsl
        local function cells(list)
          local t = {}
          for _, p in ipairs(list) do t[#t + 1] = p[1] .. "," .. p[2] end
          return table.concat(t, " ")
        end
        local function is(got, want, what) assert(got == want, what .. ": got " .. tostring(got) .. ", want " .. tostring(want)) end
        local p = {{2, 2}, {4, 5}} -- bounding box rows 2..4, columns 2..5
        local r, c = d.ulcorner(p); assert(r == 2 and c == 2)
        r, c = d.urcorner(p); assert(r == 2 and c == 5)
        r, c = d.llcorner(p); assert(r == 4 and c == 2)
        r, c = d.lrcorner(p); assert(r == 4 and c == 5)
        is(cells(d.corners(p)), "2,2 2,5 4,2 4,5", "corners")
        r, c = d.center(p); assert(r == 3 and c == 3, "center")
        r, c = d.centerofmass({{1, 1}, {3, 4}}); assert(r == 2 and c == 2, "centerofmass")
        local g = batt.grid{{0, 0, 0, 0}, {0, 1, 1, 0}, {0, 0, 0, 2}}
        assert(d.height(g) == 3 and d.width(g) == 4)
        local h, w = d.shape(p); assert(h == 3 and w == 4, "shape of a patch")
        assert(d.portrait({{1, 1}, {3, 1}}) and not d.portrait(g))
        assert(d.square({{1, 1}, {2, 2}}) and not d.square(g))
        assert(d.hline({{1, 1}, {1, 2}, {1, 3}}) and not d.hline({{1, 1}, {1, 3}}))
        assert(d.vline({{1, 1}, {2, 1}}) and not d.vline({{1, 1}, {1, 2}}))
        is(cells(d.toindices({{2, 1}, {1, 1}, {2, 1}})), "1,1 2,1", "toindices")
        is(#d.backdrop(p), 12, "backdrop"); is(#d.delta(p), 10, "delta")
        is(#d.box(p), 10, "box"); is(cells(d.inbox(p)), "3,3 3,4", "inbox"); is(#d.outbox(p), 18, "outbox")
        is(cells(d.line(1, 1, 3, 3)), "1,1 2,2 3,3", "line"); is(#d.line(1, 1, 2, 3), 0, "no line")
        is(cells(d.shoot(2, 2, 0, 1, 2)), "2,2 2,3 2,4", "shoot")
        is(cells(d.hfrontier(g, 2)), "2,1 2,2 2,3 2,4", "hfrontier")
        is(cells(d.vfrontier(g, 4)), "1,4 2,4 3,4", "vfrontier")
        is(cells(d.dneighbors(2, 2)), "1,2 2,1 2,3 3,2", "dneighbors")
        is(cells(d.ineighbors(2, 2)), "1,1 1,3 3,1 3,3", "ineighbors")
        is(#d.neighbors(2, 2), 8, "neighbors")
        is(cells(d.mirror_patch({{1, 1}, {1, 2}, {2, 1}}, "updown")), "1,1 2,1 2,2", "mirror_patch")
        is(cells(d.mirror_patch({{1, 1}, {1, 2}, {1, 3}}, "diagonal")), "1,1 2,1 3,1", "mirror_patch diagonal")
        local objs = d.objects(g)
        local one, two = objs[1], objs[2]
        is(one.color, 1, "first object"); is(two.color, 2, "second object")
        is(d.manhattan(one, two), 2, "manhattan")
        assert(not d.adjacent(one, two) and d.adjacent(one, {{3, 3}}), "adjacent")
        assert(d.hmatching(one, {{2, 9}}) and not d.hmatching(one, two), "hmatching")
        assert(d.vmatching(one, {{5, 3}}) and not d.vmatching(one, two), "vmatching")
        r, c = d.position(one, two); assert(r == 1 and c == 1, "position")
        r, c = d.gravitate(two, {{3, 1}}); assert(r == 0 and c == -2, "gravitate")
        assert(d.bordering(two, g) and not d.bordering(one, g), "bordering")
        is(cells(d.ofcolor(g, 1)), "2,2 2,3", "ofcolor")
        local mixed = d.toobject({{2, 2}, {3, 4}}, g)
        is(mixed.size, 2, "toobject"); is(d.numcolors(mixed), 2, "numcolors of an object")
        is(d.asobject(g).size, 12, "asobject")
        is(d.colored({{1, 1}}, 5).color, 5, "colored")
        is(tostring(d.cover(g, one)), "0000\n0000\n0002", "cover")
        is(tostring(d.underpaint(g, d.colored({{1, 1}, {2, 2}}, 7))), "7000\n0110\n0002", "underpaint")
        is(tostring(d.move(g, two, 0, -3)), "0000\n0110\n2000", "move")
        is(cells(d.occurrences(batt.grid{{1, 0, 1}, {0, 0, 1}}, d.colored({{1, 1}}, 1))), "1,1 1,3 2,3", "occurrences")
        is(#d.partition(g), 3, "partition"); is(#d.fgpartition(g), 2, "fgpartition")
        is(tostring(d.cellwise(batt.grid{{1, 2}}, batt.grid{{1, 3}}, 0)), "10", "cellwise")
        local halves = d.hsplit(batt.grid{{1, 2, 5, 3, 4}}, 2)
        is(#halves, 2, "hsplit"); is(tostring(halves[1]), "12", "hsplit 1"); is(tostring(halves[2]), "34", "hsplit 2")
        is(tostring(d.vsplit(batt.grid{{1}, {2}}, 2)[2]), "2", "vsplit")
        is(tostring(d.hupscale(batt.grid{{1, 2}}, 2)), "1122", "hupscale")
        is(tostring(d.vupscale(batt.grid{{1, 2}}, 2)), "12\n12", "vupscale")
        is(d.numcolors(g), 3, "numcolors of a grid")
        is(#d.colorfilter(objs, 2), 1, "colorfilter"); is(d.colorfilter(objs, 2)[1], two, "colorfilter item")
        is(#d.sizefilter(objs, 2), 1, "sizefilter")
        is(d.argmax(objs, function(o) return o.size end), one, "argmax")
        is(d.argmin(objs, function(o) return o.size end), two, "argmin")
        is(d.argmax({}, function(o) return 1 end), nil, "argmax of nothing")
        assert(d.hmirror(g) == d.flip_updown(g) and d.vmirror(g) == d.flip_leftright(g))
        assert(d.dmirror(g) == d.transpose(g) and d.cmirror(g) == d.antitranspose(g))
        local ok, err = pcall(d.mirror_patch, p, "sideways")
        assert(not ok and err:find("updown"), err)
        ok, err = pcall(d.hsplit, batt.grid{{1, 2}}, 3)
        assert(not ok and err:find("hsplit"), err)
        -- a stray huge coordinate is an error, not a giant list
        ok, err = pcall(d.backdrop, {{1, 1}, {1000000, 1000000}})
        assert(not ok and err:find("out of range"), err)
        ok, err = pcall(d.shoot, 1, 1, 0, 1, 1000000000)
        assert(not ok and err:find("shoot takes a length"), err)
        ok, err = pcall(d.line, 1, 1, 1, 1000000000)
        assert(not ok and err:find("out of range"), err)
        ok, err = pcall(d.hupscale, batt.grid{{1, 2}}, 4611686018427387904)
        assert(not ok and err:find("stretch factor"), err)
        "#,
    );
    assert_eq!(outcome.script_error, None);
}

/// The learners are one a file under scripts/lib/learners/, each opening with a comment
/// that names it and says what it learns, and each is part of the candidates' battery.
#[test]
fn each_learner_is_a_file_with_its_header_comment() {
    let candidates = std::fs::read_to_string("scripts/lib/candidates.lua").unwrap();
    let mut learners = 0;
    for entry in std::fs::read_dir("scripts/lib/learners").unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&path).unwrap();
        let header = format!("-- lib/learners/{name}.lua: ");
        assert!(text.starts_with(&header) && text.lines().next().unwrap().len() > header.len() + 10, "{} must open with `{header}<what it learns>`", path.display());
        if name != "common" {
            assert!(candidates.contains(&format!("\"{name}\"")), "lib/candidates.lua does not gather the learner {name}");
            learners += 1;
        }
    }
    assert!(learners >= 8, "{learners} learners");
}

/// The search defaults are written once (`SearchLimits::DEFAULT`): `batt.search_defaults`
/// shows them to Lua, a search without options uses them, and each "`key` (default V)"
/// that scripts/lib/batt_api.lua gives is that value.
#[test]
fn search_defaults_are_written_once_and_documented_as_they_are() {
    let d = batt::engine::search::SearchLimits::DEFAULT;
    let api = fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/lib/batt_api.lua")).unwrap();
    let flat = api.replace("\n---", " ");
    let values = [
        ("max_states", d.max_states.to_string()),
        ("keep", d.keep.to_string()),
        ("pieces = N", d.pieces.to_string()),
        ("max_layers", d.max_layers.to_string()),
        ("exhaustive", d.exhaustive.to_string()),
        ("finishing", d.finishing.to_string()),
        ("placing", d.placing.to_string()),
        ("filling", d.filling.to_string()),
    ];
    for (key, value) in values {
        let said = format!("`{key}` (default {value})");
        assert!(flat.contains(&said), "batt_api.lua should say {said:?}");
    }
    let dir = tempfile::tempdir().unwrap();
    let outcome = run_lua(
        dir.path(),
        "defaults.lua",
        &format!(
            r#"
            local d = batt.search_defaults
            assert(d.depth == {} and d.max_states == {} and d.keep == {} and d.pieces == {} and d.max_layers == {} and d.exhaustive == {}, "values")
            assert(d.finishing == {} and d.placing == {} and d.filling == {}, "flags")
            "#,
            d.depth, d.max_states, d.keep, d.pieces, d.max_layers, d.exhaustive, d.finishing, d.placing, d.filling
        ),
    );
    assert!(outcome.script_error.is_none(), "{:?}", outcome.script_error);
}
