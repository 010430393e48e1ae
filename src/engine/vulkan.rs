//! The Vulkan executor: `shaders/eval.comp` run through vulkano, one GPU thread per item.
//! The device, queue, pipeline and allocators are created once (`VulkanExecutor::new`);
//! host-visible buffers grow to the largest batch seen and are reused by every later
//! flush. A flush is one upload (programs, grids, items sorted by program so a warp runs
//! one program), one dispatch, one readback (scores, and output grids only for the items
//! that ask for them).

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{anyhow, bail, Context, Result};
use rayon::prelude::*;
use vulkano::buffer::{Buffer, BufferCreateInfo, BufferUsage, Subbuffer};
use vulkano::command_buffer::allocator::StandardCommandBufferAllocator;
use vulkano::command_buffer::{AutoCommandBufferBuilder, CommandBufferUsage};
use vulkano::descriptor_set::allocator::StandardDescriptorSetAllocator;
use vulkano::descriptor_set::{DescriptorSet, WriteDescriptorSet};
use vulkano::device::{Device, DeviceCreateInfo, DeviceFeatures, Queue, QueueCreateInfo};
use vulkano::memory::allocator::{AllocationCreateInfo, MemoryTypeFilter, StandardMemoryAllocator};
use vulkano::pipeline::compute::ComputePipelineCreateInfo;
use vulkano::pipeline::layout::PipelineDescriptorSetLayoutCreateInfo;
use vulkano::pipeline::{ComputePipeline, Pipeline, PipelineBindPoint, PipelineLayout, PipelineShaderStageCreateInfo};
use vulkano::sync::{self, GpuFuture};

use super::program::{GpuProgram, Program};
use super::{Item, ItemResult};
use crate::gpu::pipeline_cache::DiskPipelineCache;
use crate::gpu::Discovery;
use crate::grid::{Grid, MAX_SIDE};

mod shader {
    vulkano_shaders::shader! { ty: "compute", path: "shaders/eval.comp" }
}

/// Words per grid record: a header (rows | cols << 8), then 4 cells per word.
pub const GRID_WORDS: usize = 1 + MAX_SIDE * MAX_SIDE / 4;
const NONE: u32 = u32::MAX;
/// Threads per workgroup (`local_size_x` in the shader); one thread evaluates one item.
const WORKGROUP_SIZE: u32 = 64;
/// Workgroups dispatched at most; threads loop over items beyond that.
const MAX_WORKGROUPS: u32 = 65_535;

/// Time spent in each phase of the last flush.
#[derive(Debug, Clone, Copy, Default)]
pub struct FlushTimings {
    pub upload: Duration,
    pub compute: Duration,
    pub readback: Duration,
}

/// A host-visible buffer that grows as needed and is otherwise reused.
struct GrowBuffer<T: vulkano::buffer::BufferContents + Copy> {
    buffer: Option<Subbuffer<[T]>>,
    usage: BufferUsage,
    readback: bool,
}

impl<T: vulkano::buffer::BufferContents + Copy> GrowBuffer<T> {
    fn new(usage: BufferUsage, readback: bool) -> Self {
        GrowBuffer { buffer: None, usage, readback }
    }

    /// A buffer of at least `len` elements; true when it was (re)allocated.
    fn ensure(&mut self, allocator: &Arc<StandardMemoryAllocator>, len: usize) -> Result<bool> {
        let len = len.max(1);
        if self.buffer.as_ref().is_some_and(|b| b.len() as usize >= len) {
            return Ok(false);
        }
        let capacity = len.next_power_of_two() as u64;
        let filter = if self.readback {
            MemoryTypeFilter::PREFER_HOST | MemoryTypeFilter::HOST_RANDOM_ACCESS
        } else {
            MemoryTypeFilter::PREFER_DEVICE | MemoryTypeFilter::HOST_SEQUENTIAL_WRITE
        };
        let buffer = Buffer::new_slice::<T>(
            allocator.clone(),
            BufferCreateInfo { usage: self.usage, ..Default::default() },
            AllocationCreateInfo { memory_type_filter: filter, ..Default::default() },
            capacity,
        )
        .map_err(|e| anyhow!("cannot allocate a GPU buffer of {capacity} elements: {e}"))?;
        self.buffer = Some(buffer);
        Ok(true)
    }

    fn get(&self) -> &Subbuffer<[T]> {
        self.buffer.as_ref().expect("ensure() was called")
    }
}

pub struct VulkanExecutor {
    device: Arc<Device>,
    queue: Arc<Queue>,
    pipeline: Arc<ComputePipeline>,
    memory: Arc<StandardMemoryAllocator>,
    descriptors: Arc<StandardDescriptorSetAllocator>,
    commands: Arc<StandardCommandBufferAllocator>,
    programs: GrowBuffer<GpuProgram>,
    grids: GrowBuffer<u32>,
    items: GrowBuffer<[u32; 4]>,
    results: GrowBuffer<u32>,
    outputs: GrowBuffer<u32>,
    set: Option<Arc<DescriptorSet>>,
    pub device_name: String,
    pub last: FlushTimings,
    flushes: u64,
    /// BATT_GPU_FAIL_AFTER=N makes every flush after the N-th fail as a lost device would,
    /// so the CPU fallback can be tested on any machine.
    fail_after: Option<u64>,
}

impl VulkanExecutor {
    /// Picks the preferred device (see `gpu::device`) and builds everything once.
    pub fn new() -> Result<VulkanExecutor> {
        let discovery = Discovery::new()?;
        let info = discovery.pick().context("no usable Vulkan device (run `batt devices` to see why)")?.clone();
        let physical = discovery.physical[info.index].clone();
        let queue_family_index = info.compute_queue_family.expect("usable devices have a compute queue");
        let (device, mut queues) = Device::new(
            physical,
            DeviceCreateInfo {
                queue_create_infos: vec![QueueCreateInfo { queue_family_index, ..Default::default() }],
                enabled_features: DeviceFeatures { shader_int8: true, shader_int16: true, ..DeviceFeatures::empty() },
                ..Default::default()
            },
        )
        .with_context(|| format!("cannot open Vulkan device {}", info.name))?;
        let queue = queues.next().context("device gave no queue")?;
        let module = shader::load(device.clone()).context("cannot load the evaluation shader")?;
        let entry = module.entry_point("main").context("shader has no main")?;
        let stage = PipelineShaderStageCreateInfo::new(entry);
        let layout = PipelineLayout::new(
            device.clone(),
            PipelineDescriptorSetLayoutCreateInfo::from_stages([&stage])
                .into_pipeline_layout_create_info(device.clone())
                .map_err(|e| anyhow!("pipeline layout: {e:?}"))?,
        )
        .context("cannot create the pipeline layout")?;
        let disk_cache = DiskPipelineCache::open(&device);
        let pipeline = ComputePipeline::new(
            device.clone(),
            disk_cache.as_ref().map(|c| c.cache.clone()),
            ComputePipelineCreateInfo::stage_layout(stage, layout),
        )
        .context("cannot create the compute pipeline")?;
        if let Some(c) = &disk_cache {
            c.save();
        }
        let memory = Arc::new(StandardMemoryAllocator::new_default(device.clone()));
        let descriptors = Arc::new(StandardDescriptorSetAllocator::new(device.clone(), Default::default()));
        let commands = Arc::new(StandardCommandBufferAllocator::new(device.clone(), Default::default()));
        let storage = BufferUsage::STORAGE_BUFFER;
        Ok(VulkanExecutor {
            device,
            queue,
            pipeline,
            memory,
            descriptors,
            commands,
            programs: GrowBuffer::new(storage, false),
            grids: GrowBuffer::new(storage, false),
            items: GrowBuffer::new(storage, false),
            results: GrowBuffer::new(storage, true),
            outputs: GrowBuffer::new(storage, true),
            set: None,
            device_name: info.name,
            last: FlushTimings::default(),
            flushes: 0,
            fail_after: std::env::var("BATT_GPU_FAIL_AFTER").ok().and_then(|v| v.parse().ok()),
        })
    }

    /// Evaluates every item on the device; same answers as `cpu::evaluate`.
    pub fn evaluate(&mut self, programs: &[Program], grids: &[Grid], items: &[Item]) -> Result<Vec<ItemResult>> {
        for it in items {
            if it.program as usize >= programs.len() || it.input as usize >= grids.len() || it.expected.is_some_and(|e| e as usize >= grids.len()) {
                bail!("batch item refers to a program or grid that is not in the batch: {it:?}");
            }
        }
        let upload_start = Instant::now();
        // Threads of a warp should run the same program: items go up grouped by program
        // (a counting sort, stable, so each program's items keep their order).
        let mut starts = vec![0u32; programs.len() + 1];
        for it in items {
            starts[it.program as usize + 1] += 1;
        }
        for p in 0..programs.len() {
            starts[p + 1] += starts[p];
        }
        let mut order = vec![0u32; items.len()];
        for (i, it) in items.iter().enumerate() {
            let slot = &mut starts[it.program as usize];
            order[*slot as usize] = i as u32;
            *slot += 1;
        }
        let mut slots = vec![NONE; items.len()];
        let mut output_slots = 0u32;
        for (i, it) in items.iter().enumerate() {
            if it.want_output {
                slots[i] = output_slots;
                output_slots += 1;
            }
        }
        if self.items.ensure(&self.memory, items.len())? {
            self.set = None; // the descriptor set must point at the new buffer
        }
        {
            let mut w = self.items.get().write().context("items buffer busy")?;
            for (dst, &i) in w.iter_mut().zip(&order) {
                let it = &items[i as usize];
                *dst = [it.program, it.input, it.expected.unwrap_or(NONE), slots[i as usize]];
            }
        }
        let prepare = upload_start.elapsed();
        let params = shader::Params { item_count: items.len() as u32, cross_inputs: 0, expected_base: NONE, want_outputs: 0 };
        let packed = self.flush(programs, grids, params, output_slots as usize, prepare)?;

        let readback_start = Instant::now();
        let outputs = self.outputs.get().read().context("outputs buffer busy")?;
        let outputs: &[u32] = &outputs;
        // position of each item in the uploaded (sorted) order
        let mut position = vec![0u32; items.len()];
        for (k, &i) in order.iter().enumerate() {
            position[i as usize] = k as u32;
        }
        let decoded: Vec<ItemResult> = (0..items.len())
            .into_par_iter()
            .with_min_len(1024)
            .map(|i| {
                let slot = items[i].want_output.then_some(slots[i]);
                unpack_result(packed[position[i] as usize], slot, outputs)
            })
            .collect();
        self.last.readback += readback_start.elapsed();
        Ok(decoded)
    }

    /// Evaluates every program on every input (program-major: result `p * inputs + i`),
    /// scoring against `expecteds[i]` when given. Nothing per item is uploaded.
    pub fn evaluate_cross(
        &mut self,
        programs: &[Program],
        inputs: &[Grid],
        expecteds: Option<&[Grid]>,
        want_outputs: bool,
    ) -> Result<Vec<ItemResult>> {
        let count = programs.len() * inputs.len();
        if count > u32::MAX as usize / 2 {
            bail!("batch of {count} items is too large for one flush");
        }
        // Neighbouring threads should loop over grids of similar size: upload the inputs
        // (and their expected grids) sorted by cell count; results are put back in order.
        let mut by_size: Vec<usize> = (0..inputs.len()).collect();
        by_size.sort_by_key(|&i| inputs[i].cells().len());
        let mut grids: Vec<Grid> = by_size.iter().map(|&i| inputs[i].clone()).collect();
        if let Some(ex) = expecteds {
            if ex.len() != inputs.len() {
                bail!("{} expected grids for {} inputs", ex.len(), inputs.len());
            }
            grids.extend(by_size.iter().map(|&i| ex[i].clone()));
        }
        let params = shader::Params {
            item_count: count as u32,
            cross_inputs: inputs.len() as u32,
            expected_base: if expecteds.is_some() { inputs.len() as u32 } else { NONE },
            want_outputs: want_outputs as u32,
        };
        let packed = self.flush(programs, &grids, params, if want_outputs { count } else { 0 }, Duration::ZERO)?;
        let readback_start = Instant::now();
        let outputs = self.outputs.get().read().context("outputs buffer busy")?;
        let outputs: &[u32] = &outputs;
        let n = inputs.len();
        let mut position = vec![0usize; n]; // original input -> uploaded position
        for (pos, &i) in by_size.iter().enumerate() {
            position[i] = pos;
        }
        let decoded = (0..count)
            .into_par_iter()
            .with_min_len(4096)
            .map(|k| {
                let uploaded = k - k % n + position[k % n];
                unpack_result(packed[uploaded], want_outputs.then_some(uploaded as u32), outputs)
            })
            .collect();
        self.last.readback += readback_start.elapsed();
        Ok(decoded)
    }

    /// Uploads programs and grids, runs the shader over `params.item_count` items and
    /// returns the packed results (outputs stay in the outputs buffer).
    fn flush(
        &mut self,
        programs: &[Program],
        grids: &[Grid],
        params: shader::Params,
        output_slots: usize,
        already_spent: Duration,
    ) -> Result<Vec<u32>> {
        let count = params.item_count as usize;
        self.last = FlushTimings::default();
        if count == 0 {
            return Ok(Vec::new());
        }
        self.flushes += 1;
        if self.fail_after.is_some_and(|n| self.flushes > n) {
            bail!("device lost (simulated by BATT_GPU_FAIL_AFTER={})", self.fail_after.unwrap_or(0));
        }
        let upload_start = Instant::now();
        let mut grown = false;
        grown |= self.programs.ensure(&self.memory, programs.len())?;
        grown |= self.grids.ensure(&self.memory, grids.len() * GRID_WORDS)?;
        grown |= self.items.ensure(&self.memory, 1)?;
        grown |= self.results.ensure(&self.memory, count)?;
        grown |= self.outputs.ensure(&self.memory, output_slots * GRID_WORDS)?;
        {
            let mut w = self.programs.get().write().context("programs buffer busy")?;
            for (slot, p) in w.iter_mut().zip(programs) {
                *slot = p.encode();
            }
        }
        {
            // Encode each grid in host memory, then copy: the mapped buffer may be
            // write-combined device memory, where reads (as `|=` would do) are very slow.
            let mut w = self.grids.get().write().context("grids buffer busy")?;
            let mut record = [0u32; GRID_WORDS];
            for (g, dst) in grids.iter().zip(w.chunks_mut(GRID_WORDS)) {
                encode_grid(g, &mut record);
                dst.copy_from_slice(&record);
            }
        }
        if grown || self.set.is_none() {
            let layout = self.pipeline.layout().set_layouts()[0].clone();
            self.set = Some(
                DescriptorSet::new(
                    self.descriptors.clone(),
                    layout,
                    [
                        WriteDescriptorSet::buffer(0, self.programs.get().clone()),
                        WriteDescriptorSet::buffer(1, self.grids.get().clone()),
                        WriteDescriptorSet::buffer(2, self.items.get().clone()),
                        WriteDescriptorSet::buffer(3, self.results.get().clone()),
                        WriteDescriptorSet::buffer(4, self.outputs.get().clone()),
                    ],
                    [],
                )
                .context("cannot create the descriptor set")?,
            );
        }
        let upload = already_spent + upload_start.elapsed();

        let compute_start = Instant::now();
        let mut builder = AutoCommandBufferBuilder::primary(
            self.commands.clone(),
            self.queue.queue_family_index(),
            CommandBufferUsage::OneTimeSubmit,
        )?;
        let workgroups = (count as u32).div_ceil(WORKGROUP_SIZE).min(MAX_WORKGROUPS);
        builder
            .bind_pipeline_compute(self.pipeline.clone())?
            .bind_descriptor_sets(PipelineBindPoint::Compute, self.pipeline.layout().clone(), 0, self.set.clone().unwrap())?
            .push_constants(self.pipeline.layout().clone(), 0, params)?;
        // SAFETY: the shader bounds every buffer access by the item count and the grid
        // sizes written above; all buffers are bound and large enough.
        unsafe { builder.dispatch([workgroups, 1, 1]) }?;
        let command_buffer = builder.build()?;
        sync::now(self.device.clone())
            .then_execute(self.queue.clone(), command_buffer)?
            .then_signal_fence_and_flush()
            .map_err(|e| anyhow!("GPU submission failed: {e}"))?
            .wait(None)
            .map_err(|e| anyhow!("GPU execution failed: {e}"))?;
        let compute = compute_start.elapsed();

        let readback_start = Instant::now();
        let packed = self.results.get().read().context("results buffer busy")?[..count].to_vec();
        self.last = FlushTimings { upload, compute, readback: readback_start.elapsed() };
        Ok(packed)
    }
}

/// A packed result: bits 0-2 flags (produced, shape matched, exact), 3-12 cells matched,
/// 13-17 rows, 18-22 cols; mirrors `pack_result` in the shader.
fn unpack_result(r: u32, output_slot: Option<u32>, outputs: &[u32]) -> ItemResult {
    let produced = r & 1 != 0;
    let output = match output_slot {
        Some(slot) if produced => {
            let base = slot as usize * GRID_WORDS;
            Some(Box::new(decode_grid(&outputs[base..base + GRID_WORDS])))
        }
        _ => None,
    };
    ItemResult {
        produced,
        shape_matched: r & 2 != 0,
        exact: r & 4 != 0,
        cells_matched: (r >> 3) & 0x3FF,
        rows: ((r >> 13) & 0x1F) as u8,
        cols: ((r >> 18) & 0x1F) as u8,
        output,
    }
}

fn encode_grid(g: &Grid, record: &mut [u32]) {
    record[0] = g.rows() as u32 | (g.cols() as u32) << 8;
    for w in &mut record[1..] {
        *w = 0;
    }
    for (i, &c) in g.cells().iter().enumerate() {
        record[1 + i / 4] |= (c as u32) << (8 * (i % 4));
    }
}

fn decode_grid(record: &[u32]) -> Grid {
    let rows = (record[0] & 0xFF) as usize;
    let cols = ((record[0] >> 8) & 0xFF) as usize;
    Grid::from_fn(rows, cols, |r, c| {
        let i = r * cols + c;
        ((record[1 + i / 4] >> (8 * (i % 4))) & 0xFF) as u8
    })
    .expect("the shader writes valid sizes")
}
