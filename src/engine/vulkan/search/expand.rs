//! An expand on the device: its own buffers (two sets, taken in turn, so the device runs
//! one chunk while the host reads the last one's results), its dispatches recorded into one
//! command buffer and submitted without waiting (`submit`), and its results waited for and
//! handed back in order (`collect`).

use std::time::Instant;

use vulkano::buffer::BufferUsage;

use super::super::context::{Commands, DeviceClock, GrowBuffer, Residence, Submitted};
use super::{GpuLevels, MODE_APPLY, MODE_PICK_GROUPS, MODE_SCORE};
use crate::engine::level::Segment;
use crate::engine::vulkan::GpuError;

/// What one expand writes and reads back: its segments table, the cell kernel's and the pick
/// groups' runs, and its results (each item's record size, each candidate's score word and
/// print).
pub(super) struct ExpandBuffers {
    pub(super) segments: GrowBuffer<[u32; 4]>,
    /// Per (segment, step the cell kernel runs): `cells.glsl`'s runs.
    pub(super) runs: GrowBuffer<[u32; 4]>,
    /// Per (segment, run of pick or isolate steps of one part kind): the pick groups' runs
    /// (`shaders/search/main.glsl`).
    pub(super) pick_runs: GrowBuffer<[u32; 4]>,
    pub(super) item_sizes: GrowBuffer<u32>,
    pub(super) scores: GrowBuffer<u32>,
    pub(super) prints: GrowBuffer<[u32; 4]>,
    /// Timestamps between the expand's dispatches (`BATT_SEARCH_DEVICE_PROFILE`), made at
    /// its first use.
    pub(super) clock: Option<DeviceClock>,
}

impl ExpandBuffers {
    pub(super) fn new() -> ExpandBuffers {
        let storage = BufferUsage::STORAGE_BUFFER;
        ExpandBuffers {
            segments: GrowBuffer::new(storage, Residence::Upload),
            runs: GrowBuffer::new(storage, Residence::Upload),
            pick_runs: GrowBuffer::new(storage, Residence::Upload),
            item_sizes: GrowBuffer::new(storage, Residence::Readback),
            scores: GrowBuffer::new(storage, Residence::Readback),
            prints: GrowBuffer::new(storage, Residence::Readback),
            clock: None,
        }
    }
}

/// An expand on the device: its chunk, its buffer set and, unless it was waited for as it
/// ran (`BATT_SEARCH_OP_PROFILE`), its submission.
pub(super) struct InFlight {
    chunk: Vec<Segment>,
    set: usize,
    pub(super) submitted: Option<Submitted>,
    candidates: usize,
    /// Its segments table (each segment's first item).
    table: Vec<[u32; 4]>,
    /// The dispatches between its timestamps, in order (`BATT_SEARCH_DEVICE_PROFILE`).
    timed: Vec<&'static str>,
}

impl GpuLevels<'_> {
    /// Writes an expand of `chunk` into buffer set `set` and submits its dispatches (apply,
    /// the cell kernel, pick groups, score: one command buffer) after `after`, without
    /// waiting (with `BATT_SEARCH_OP_PROFILE` each is run and waited for, to be timed).
    /// None when the chunk has no candidates.
    pub(super) fn submit(&mut self, chunk: Vec<Segment>, set: usize, after: Option<&Submitted>) -> Result<Option<InFlight>, GpuError> {
        let started = Instant::now();
        let segments = &chunk[..];
        let mut table = Vec::with_capacity(segments.len() * 3);
        let (mut candidates, mut items) = (0u64, 0u64);
        for seg in segments {
            let place = self.jobs[seg.job as usize];
            table.push([candidates as u32, seg.states, place.steps, place.first_step]);
            table.push([place.first_record + seg.first_state * place.inputs, place.inputs, place.first_expected, place.scale]);
            table.push([items as u32, place.train, place.finish, place.place]);
            let n = seg.states as u64 * place.steps as u64;
            candidates += n;
            items += n * place.inputs as u64;
        }
        if candidates == 0 {
            return Ok(None);
        }
        if items > u32::MAX as u64 / 2 {
            return Err(GpuError::InvalidBatch(format!("an expand of {items} step applications is too large for one dispatch")));
        }
        // its results, and as much again for the expand in flight
        self.too_large("an expand's results", candidates * 40 + items * 28)?;
        let (candidates, items) = (candidates as usize, items as usize);
        // the cell kernel's units: per segment, each of its steps on every state's inputs
        let mut runs = Vec::new();
        let mut units = 0u64;
        for (k, seg) in segments.iter().enumerate() {
            let place = self.jobs[seg.job as usize];
            for &step in &self.cell_steps[seg.job as usize] {
                runs.push([k as u32, step, units as u32, seg.states * place.inputs]);
                units += seg.states as u64 * place.inputs as u64;
            }
        }
        let mut pick_runs = Vec::new();
        let mut group_units = 0u64;
        for (k, seg) in segments.iter().enumerate() {
            let place = self.jobs[seg.job as usize];
            for &(first, steps) in &self.pick_groups[seg.job as usize] {
                pick_runs.push([k as u32, first, steps, group_units as u32]);
                group_units += seg.states as u64 * place.inputs as u64;
            }
        }
        let ctx = self.ctx;
        let k = &mut *self.kernel;
        let e = &mut k.sets[set];
        e.segments.ensure(ctx, table.len())?;
        e.scores.ensure(ctx, candidates)?;
        e.prints.ensure(ctx, candidates)?;
        e.item_sizes.ensure(ctx, items)?;
        if !(k.item_prints.holds(items) && k.item_words.holds(items)) {
            // the expand in flight still uses the buffers these would replace: device memory
            // may not hold both, so it finishes first
            if let Some(pending) = after {
                pending.wait()?;
            }
        }
        k.item_prints.ensure(ctx, items)?;
        k.item_words.ensure(ctx, items)?;
        e.segments.get().write().map_err(|e| GpuError::other("segments buffer", e))?[..table.len()].copy_from_slice(&table);
        if !pick_runs.is_empty() {
            e.pick_runs.ensure(ctx, pick_runs.len())?;
            e.pick_runs.get().write().map_err(|e| GpuError::other("pick runs buffer", e))?[..pick_runs.len()].copy_from_slice(&pick_runs);
        }
        if !runs.is_empty() {
            e.runs.ensure(ctx, runs.len())?;
            e.runs.get().write().map_err(|e| GpuError::other("runs buffer", e))?[..runs.len()].copy_from_slice(&runs);
        }
        self.timings.upload += started.elapsed();
        let next = self.next_buffer();
        let mut commands = if self.kernel.op_profile.is_some() { None } else { Some(self.ctx.commands()?) };
        let mut timed = Vec::new();
        if self.kernel.device_profile.is_some() && self.kernel.sets[set].clock.is_none() && !self.kernel.no_clock {
            if commands.is_none() {
                eprintln!("batt: BATT_SEARCH_DEVICE_PROFILE times the dispatches of an expand's command buffer: with BATT_SEARCH_OP_PROFILE (each dispatch run alone) it writes nothing");
                self.kernel.no_clock = true;
            } else {
                self.kernel.sets[set].clock = DeviceClock::new(self.ctx, 5)?;
                if self.kernel.sets[set].clock.is_none() {
                    eprintln!("batt: BATT_SEARCH_DEVICE_PROFILE: the device's queue keeps no timestamps; nothing is timed");
                    self.kernel.no_clock = true;
                }
            }
        }
        self.timestamp(set, &mut commands, &mut timed, "")?;
        self.run(MODE_APPLY, items, segments.len(), 0, next, set, commands.as_mut())?;
        self.timestamp(set, &mut commands, &mut timed, "apply")?;
        if units > 0 {
            self.run_cells(units as usize, runs.len(), set, commands.as_mut())?;
            self.timestamp(set, &mut commands, &mut timed, "cell kernel")?;
        }
        if group_units > 0 {
            self.run(MODE_PICK_GROUPS, group_units as usize, segments.len(), pick_runs.len(), next, set, commands.as_mut())?;
            self.timestamp(set, &mut commands, &mut timed, "pick groups")?;
        }
        self.run(MODE_SCORE, candidates, segments.len(), 0, next, set, commands.as_mut())?;
        self.timestamp(set, &mut commands, &mut timed, "score")?;
        let submitted = match commands {
            Some(commands) => Some(self.ctx.submit(commands, after)?),
            None => None,
        };
        Ok(Some(InFlight { chunk, set, submitted, candidates, table, timed }))
    }

    /// Records timestamp `timed.len()` of buffer set `set`'s clock after the dispatches
    /// recorded so far, the last of them named `name` (when the device profile is on).
    fn timestamp(&mut self, set: usize, commands: &mut Option<Commands>, timed: &mut Vec<&'static str>, name: &'static str) -> Result<(), GpuError> {
        if let (Some(commands), Some(clock)) = (commands.as_mut(), &self.kernel.sets[set].clock) {
            commands.timestamp(clock, timed.len() as u32)?;
            timed.push(name);
        }
        Ok(())
    }

    /// Waits for `expand`, keeps its record sizes when the level will be materialised and
    /// hands its chunk, score words and prints to `consume`.
    pub(super) fn collect(&mut self, expand: InFlight, will_materialise: bool, consume: &mut dyn FnMut(&[Segment], &[u32], &[[u32; 4]])) -> Result<(), GpuError> {
        if let Some(submitted) = &expand.submitted {
            let waited = Instant::now();
            submitted.wait()?;
            self.timings.compute += waited.elapsed();
        }
        if let (Some(clock), Some(profile)) = (&self.kernel.sets[expand.set].clock, &mut self.kernel.device_profile) {
            for (name, time) in expand.timed.iter().skip(1).zip(clock.intervals(expand.timed.len() as u32)?) {
                profile.add(name, time);
            }
        }
        let started = Instant::now();
        let e = &self.kernel.sets[expand.set];
        if will_materialise {
            // keep each item's record size: the next frontier is placed from them
            let sizes = e.item_sizes.get().read().map_err(|e| GpuError::other("sizes buffer", e))?;
            for (seg, entry) in expand.chunk.iter().zip(expand.table.chunks(3)) {
                let place = self.jobs[seg.job as usize];
                let per_state = place.steps as usize * place.inputs as usize;
                let job_sizes = &mut self.sizes[seg.job as usize];
                let start = seg.first_state as usize * per_state;
                let len = seg.states as usize * per_state;
                if job_sizes.len() < start + len {
                    job_sizes.resize(start + len, 0);
                }
                let first_item = entry[2][0] as usize;
                for (d, &w) in job_sizes[start..start + len].iter_mut().zip(&sizes[first_item..first_item + len]) {
                    // a record is at most 1 + MAX_PARTS + CELLS / 4 = 256 words: one more
                    // than a byte holds (a list of 30 elements covering 900 cells)
                    *d = u16::try_from(w).expect("a record is at most 256 words");
                }
            }
        }
        let scores = e.scores.get().read().map_err(|e| GpuError::other("scores buffer", e))?;
        let prints = e.prints.get().read().map_err(|e| GpuError::other("prints buffer", e))?;
        self.timings.readback += started.elapsed();
        consume(&expand.chunk, &scores[..expand.candidates], &prints[..expand.candidates]);
        Ok(())
    }
}
