//! One level of many tasks' searches, as the executors see it: each task (`SearchJob`) has
//! a frontier of states (their outputs on the task's train inputs and, riding along, on its
//! test inputs) and an alphabet of steps. `expand` scores and prints every (state, step)
//! candidate of some ranges of states (`Segment`s), and `expand_chunks` a level's chunks
//! one after another as a `ChunkFeed` gives them and takes their results back;
//! `materialise` makes the chosen candidates the next frontier. The
//! host algorithm (`search`) decides what is chosen; the CPU (`search::cpu`) and the GPU
//! (`vulkan::search`, where the frontier never leaves the device) compute the same words.

use crate::engine::vulkan::GpuError;
use crate::grid::Grid;

use super::program::Step;

/// One task's search: its train pairs, its test inputs and its alphabet. `inputs` holds
/// the train inputs, then the test inputs: every state carries its outputs on all of them,
/// so a candidate that cannot apply to a test input is dropped at once and a found
/// program's predictions come from the same pass. Only the train inputs (the first
/// `outputs.len()`) are scored.
/// `targets` holds each input's pair's output size, which `to_output_size` brings a
/// grid to: a train output's own size, and for a test input the size the train pairs'
/// input and output sizes predict (`size::predict` seeded by the inputs alone), or (0, 0)
/// when nothing is predicted (that step then gives no output on it).
/// `paint_finish` is the free finishing step: when every train output's non-zero cells
/// have one colour c (the same in every pair), each candidate's outputs are scored as
/// `finishing_step(c)` leaves them (the op itself, at no depth: every non-zero cell
/// becomes c), and the programs returned end with that step where it changes an output.
/// `place_finish` is the free placing step, where every train output has its input's size
/// (a position is in the input's frame): an output of another size than its train
/// output that lies at a position other than row 0, column 0 (a crop's) is scored as
/// `place` leaves it (the grid at its position on a background-0 canvas of the output's
/// size; compared as it is when it does not fit), before the finishing paint; the programs
/// returned end with `place` where every such train output was placed.
#[derive(Debug, Clone)]
pub struct SearchJob {
    pub inputs: Vec<Grid>,
    pub outputs: Vec<Grid>,
    pub steps: Vec<Step>,
    pub targets: Vec<(usize, usize)>,
    pub paint_finish: Option<u8>,
    pub place_finish: bool,
    /// A time the searches of one owner (a task: itself and its variants) may take
    /// together, their share of each expand counted by items; past it they stop where
    /// they are (`SearchStats::cut`). None: no limit.
    pub budget: Option<std::time::Duration>,
    pub owner: usize,
    /// An instant past which the search stops where it is (`SearchStats::cut`), whatever
    /// its budget: a task's deadline, or the end of the batch search under `--time-budget`.
    pub deadline: Option<std::time::Instant>,
}

impl SearchJob {
    /// A search of `steps` on the train pairs (`train_inputs` → `train_outputs`), with
    /// `test_inputs` riding along.
    pub fn new(train_inputs: &[Grid], train_outputs: &[Grid], test_inputs: &[Grid], steps: Vec<Step>) -> SearchJob {
        let inputs: Vec<Grid> = train_inputs.iter().chain(test_inputs).cloned().collect();
        let size_of = |g: &Grid| (g.rows(), g.cols());
        let train_sizes: Vec<(usize, usize)> = train_outputs.iter().map(size_of).collect();
        let predicted = super::size::predict(&[inputs.iter().map(size_of).collect()], &train_sizes);
        let targets = train_sizes.iter().copied().chain(predicted.into_iter().map(|p| p.unwrap_or((0, 0)))).collect();
        // a position is in its input's frame: placing back is for outputs of that frame
        let place_finish = !train_outputs.is_empty() && train_inputs.iter().zip(train_outputs).all(|(i, o)| i.same_shape(o));
        SearchJob { inputs, outputs: train_outputs.to_vec(), steps, targets, paint_finish: one_foreground_colour(train_outputs), place_finish, budget: None, owner: 0, deadline: None }
    }

    /// The free finishing step for colour `c`: `permute(0ccccccccc)`, every non-zero cell
    /// made c (unlike `paint`, whose background is the grid's most common colour when the
    /// grid has no 0, 0 stays 0 here, as in the train outputs it is for).
    pub fn finishing_step(c: u8) -> Step {
        let mut table = [c; 10];
        table[0] = 0;
        Step::permute(table)
    }

    /// The same search without the free finishing step (`paint_finish`).
    pub fn without_finishing(mut self) -> SearchJob {
        self.paint_finish = None;
        self
    }

    /// The same search under `owner`'s time budget (see `budget`).
    pub fn within(mut self, owner: usize, budget: Option<std::time::Duration>) -> SearchJob {
        self.owner = owner;
        self.budget = budget;
        self
    }

    /// The same search stopping at `deadline` (see `deadline`; None: no deadline).
    pub fn until(mut self, deadline: Option<std::time::Instant>) -> SearchJob {
        self.deadline = deadline;
        self
    }

    /// The same search without the free placing step (`place_finish`).
    pub fn without_placing(mut self) -> SearchJob {
        self.place_finish = false;
        self
    }

    /// How many of `inputs` are train inputs (scored); the rest are test inputs.
    pub fn train_count(&self) -> usize {
        self.outputs.len()
    }

    /// The fixed-point scale of the cell-accuracy key: each pair adds `cells matched *
    /// scale / cells` (integer division), so the sum stays below 2^25 and fits a score
    /// word beside its flags.
    pub fn key_scale(&self) -> u32 {
        (1u32 << 20).min((1u32 << 25) / self.train_count().max(1) as u32)
    }
}

/// The one colour of every non-background cell of `outputs`, when there are such cells and
/// they share one colour.
fn one_foreground_colour(outputs: &[Grid]) -> Option<u8> {
    let mut colours = outputs.iter().flat_map(|g| g.cells().iter().copied()).filter(|&c| c != 0);
    let first = colours.next()?;
    colours.all(|c| c == first).then_some(first)
}

/// A score word: 0 when the step gives no output on some input (train or test), else
/// `VALID | EXACT (every train pair exact) | key` (the sum over pairs of `cells matched * scale / cells`, 0 for a pair
/// of another shape).
pub const VALID: u32 = 1 << 31;
pub const EXACT: u32 = 1 << 30;
pub const KEY_MASK: u32 = EXACT - 1;

/// A range of one job's frontier states to expand with every step of its alphabet. Its
/// candidates' results come state-major: state `first_state + k / steps`, step `k % steps`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Segment {
    pub job: u32,
    pub first_state: u32,
    pub states: u32,
}

/// A candidate that becomes a state of the next frontier.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chosen {
    pub job: u32,
    pub state: u32,
    pub step: u32,
}

/// A chunk's candidates' prints (four lanes each), in candidate order: every one made (the
/// GPU returns them all), or each made when it is asked for (the CPU's last level, where
/// only the few candidates that would enter a task's best are ever looked up: making a
/// print costs as much as the rest of a candidate's scoring).
#[derive(Clone, Copy)]
pub enum Prints<'p> {
    Made(&'p [[u32; 4]]),
    /// Candidate `first + k`'s print is `make(first + k)`.
    OnRequest { first: usize, make: &'p (dyn Fn(usize) -> [u32; 4] + Sync) },
}

impl<'p> Prints<'p> {
    /// Candidate `k`'s print.
    pub fn get(&self, k: usize) -> [u32; 4] {
        match *self {
            Prints::Made(made) => made[k],
            Prints::OnRequest { first, make } => make(first + k),
        }
    }

    /// The prints of candidates `from..` (their `get(0)` is candidate `from`'s).
    pub fn from(&self, from: usize) -> Prints<'p> {
        match *self {
            Prints::Made(made) => Prints::Made(&made[from..]),
            Prints::OnRequest { first, make } => Prints::OnRequest { first: first + from, make },
        }
    }
}

/// What runs a level: the CPU on all cores, or a Vulkan device.
pub trait LevelExecutor<'a> {
    /// How many candidates one `expand` may take at most.
    fn max_candidates(&self) -> usize;
    /// How many items (candidates times their task's inputs) one `expand` may take at most.
    fn max_items(&self) -> usize {
        usize::MAX
    }
    /// Starts searches of these jobs: each frontier is the one empty program (the inputs).
    fn begin(&mut self, jobs: &[&'a SearchJob]) -> Result<(), GpuError>;
    /// Scores and prints every candidate of `segments` (sorted by job, then state) and
    /// hands `consume` one score word and one print (four lanes) per candidate, segment
    /// after segment. `will_materialise`: this level's candidates may become the next
    /// frontier (false on the last level).
    fn expand(&mut self, segments: &[Segment], will_materialise: bool, consume: &mut dyn FnMut(&[u32], Prints)) -> Result<(), GpuError>;
    /// Expands the chunks `feed` gives, one after another, handing each one's results to
    /// `feed.consume` in the same order. An executor may run the next chunk while the host
    /// consumes the last one's results (the GPU's does); this one expands a chunk at a time.
    fn expand_chunks(&mut self, will_materialise: bool, feed: &mut dyn ChunkFeed) -> Result<(), GpuError> {
        while let Some(chunk) = feed.next_chunk() {
            self.expand(&chunk, will_materialise, &mut |scores, prints| feed.consume(&chunk, scores, prints))?;
        }
        Ok(())
    }
    /// Makes `chosen` (sorted by job; each job's in the order of its new states) the
    /// frontier; a job that has none chosen gets an empty frontier.
    fn materialise(&mut self, chosen: &[Chosen]) -> Result<(), GpuError>;
}

/// The chunks of one level, given to `LevelExecutor::expand_chunks` one at a time and their
/// results taken back in the same order.
pub trait ChunkFeed {
    /// The next chunk (segments sorted by job, then state), chosen when it is asked for
    /// (a search past its time is left out then); None when the level is done.
    fn next_chunk(&mut self) -> Option<Vec<Segment>>;
    /// One score word and one print per candidate of `chunk`, segment after segment.
    fn consume(&mut self, chunk: &[Segment], scores: &[u32], prints: Prints);
}
