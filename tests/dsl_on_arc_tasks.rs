//! Every DSL primitive that alone (or in a short, obvious composition) solves a real
//! ARC-AGI-1 training task is checked against all of that task's train and test pairs.

use batt::data::dataset::{Dataset, TaskEntry};
use batt::dsl::{self, ObjectOptions};
use batt::grid::Grid;

fn task_pairs(id: &str) -> Vec<(Grid, Grid)> {
    let data = Dataset::embedded().expect("embedded corpus loads");
    let Some(TaskEntry::Valid(task)) = data.find(id) else { panic!("task {id} missing") };
    let mut pairs: Vec<(Grid, Grid)> = task.train.iter().map(|p| (p.input.clone(), p.output.clone())).collect();
    pairs.extend(task.test.iter().map(|t| (t.input.clone(), t.output.clone().expect("corpus has test outputs"))));
    pairs
}

fn check(id: &str, f: impl Fn(&Grid) -> Grid) {
    check_except(id, &[], f)
}

/// Like `check`, leaving out pairs (1-based, train then test) the data itself gets wrong.
fn check_except(id: &str, known_bad: &[usize], f: impl Fn(&Grid) -> Grid) {
    for (i, (input, output)) in task_pairs(id).iter().enumerate() {
        if !known_bad.contains(&(i + 1)) {
            assert_eq!(&f(input), output, "task {id}, pair {}", i + 1);
        }
    }
}

fn largest_object(g: &Grid) -> Grid {
    let objs = dsl::objects(g, ObjectOptions::default());
    let big = objs.iter().max_by_key(|o| o.size()).unwrap();
    dsl::subgrid(g, big).unwrap()
}

#[test]
fn symmetries_solve_their_tasks() {
    check("3c9b0459", dsl::rot180);
    check("67a3c6ac", dsl::flip_leftright);
    check("68b16354", dsl::flip_updown);
    check("74dd1130", dsl::transpose);
    check("9dfd6313", dsl::transpose);
    check("ed36ccf7", dsl::rot270);
}

#[test]
fn colour_functions_solve_their_tasks() {
    check("c8f0f002", |g| dsl::replace(g, 7, 5).unwrap());
    check("b1948b0a", |g| dsl::replace(g, 6, 2).unwrap());
    // d511f180: in this copy of the data, train outputs 1 and 2 each have one cell the
    // rule does not explain (6 -> 7, 9 -> 3).
    check_except("d511f180", &[1, 2], |g| dsl::switch(g, 5, 8).unwrap());
    check("5582e5ca", |g| dsl::canvas(dsl::mostcolor(g), g.rows(), g.cols()).unwrap());
}

#[test]
fn scaling_and_concatenation_solve_their_tasks() {
    check("9172f3a0", |g| dsl::upscale(g, 3, 3).unwrap());
    check("c59eb873", |g| dsl::upscale(g, 2, 2).unwrap());
    check("a416b8f3", |g| dsl::tile(g, 1, 2).unwrap());
    check("a416b8f3", |g| dsl::hconcat(g, g).unwrap());
    check("6d0aefbc", |g| dsl::hconcat(g, &dsl::flip_leftright(g)).unwrap());
    check("8be77c9e", |g| dsl::vconcat(g, &dsl::flip_updown(g)).unwrap());
    check("4c4377d9", |g| dsl::vconcat(&dsl::flip_updown(g), g).unwrap());
    check("3af2c5a8", |g| {
        let top = dsl::hconcat(g, &dsl::flip_leftright(g)).unwrap();
        dsl::vconcat(&top, &dsl::flip_updown(&top)).unwrap()
    });
    check("f25ffba3", |g| {
        let bottom = dsl::bottomhalf(g).unwrap();
        dsl::vconcat(&dsl::flip_updown(&bottom), &bottom).unwrap()
    });
}

#[test]
fn crops_solve_their_tasks() {
    check("1cf80156", |g| dsl::crop_to_content(g).unwrap());
    check("7468f01a", |g| dsl::flip_leftright(&dsl::crop_to_content(g).unwrap()));
    check("2dee498d", |g| dsl::crop(g, 0, 0, g.rows(), g.rows()).unwrap());
    check("5bd6f4ac", |g| dsl::crop(g, 0, 6, 3, 3).unwrap());
    check("d10ecb37", |g| dsl::crop(g, 0, 0, 2, 2).unwrap());
}

#[test]
fn objects_solve_their_tasks() {
    check("be94b721", largest_object);
    check("1f85a75f", largest_object);
    check("23b5c85d", |g| {
        let objs = dsl::objects(g, ObjectOptions::default());
        let small = objs.iter().min_by_key(|o| o.size()).unwrap();
        dsl::subgrid(g, small).unwrap()
    });
    check("28bf18c6", |g| {
        let shape = dsl::subgrid(g, &dsl::foreground(g)).unwrap();
        dsl::hconcat(&shape, &shape).unwrap()
    });
}

#[test]
fn motion_solves_its_tasks() {
    check("1e0a9b12", |g| dsl::gravity(g, dsl::Direction::Down));
    check("25ff71a9", |g| dsl::shift_grid(g, 1, 0, 0).unwrap());
}
