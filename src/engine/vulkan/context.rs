//! What every Vulkan stage of the engine shares: the device, its queue and allocators
//! (`Context`, made once per executor), compute pipelines built from a shader module
//! through the on-disk pipeline cache, dispatches recorded and submitted (waited for at once,
//! or later so the host works meanwhile), buffers
//! that grow to the largest size seen and are otherwise reused (`GrowBuffer`), and the
//! grid record layout (`encode_grid`) that `shaders/ops/state.glsl` reads.

use std::sync::Arc;
use std::time::{Duration, Instant};

use vulkano::buffer::{Buffer, BufferContents, BufferCreateInfo, BufferUsage, Subbuffer};
use vulkano::command_buffer::allocator::StandardCommandBufferAllocator;
use vulkano::command_buffer::{AutoCommandBufferBuilder, CommandBufferUsage};
use vulkano::descriptor_set::allocator::StandardDescriptorSetAllocator;
use vulkano::descriptor_set::{DescriptorSet, WriteDescriptorSet};
use vulkano::device::{Device, Queue};
use vulkano::memory::allocator::{AllocationCreateInfo, MemoryTypeFilter, StandardMemoryAllocator};
use vulkano::pipeline::compute::ComputePipelineCreateInfo;
use vulkano::pipeline::layout::PipelineDescriptorSetLayoutCreateInfo;
use vulkano::pipeline::{ComputePipeline, Pipeline, PipelineBindPoint, PipelineLayout, PipelineShaderStageCreateInfo};
use vulkano::shader::{ShaderModule, SpecializationConstant};
use vulkano::sync::{self, GpuFuture};

use crate::engine::vulkan::pipeline_cache::DiskPipelineCache;
use crate::engine::vulkan::GpuError;
use crate::grid::{Grid, MAX_SIDE};

/// Words per grid record: a header (rows | cols << 8), then 4 cells per word.
pub const GRID_WORDS: usize = 1 + MAX_SIDE * MAX_SIDE / 4;
/// Threads per workgroup (`local_size_x`, specialization constant 0 of every shader), but
/// for the evaluation shader on a CPU device: see `evaluation_workgroup_size`.
pub const WORKGROUP_SIZE: u32 = 64;
/// Workgroups dispatched at most; threads loop over work beyond that.
pub const MAX_WORKGROUPS: u32 = 65_535;

/// Time spent in each phase of the last flush (or, for a search, of all its dispatches).
#[derive(Debug, Clone, Copy, Default)]
pub struct FlushTimings {
    pub upload: Duration,
    pub compute: Duration,
    pub readback: Duration,
}

impl std::ops::AddAssign for FlushTimings {
    fn add_assign(&mut self, o: FlushTimings) {
        self.upload += o.upload;
        self.compute += o.compute;
        self.readback += o.readback;
    }
}

/// The device and what is made once for it.
pub struct Context {
    pub device: Arc<Device>,
    pub queue: Arc<Queue>,
    pub memory: Arc<StandardMemoryAllocator>,
    pub descriptors: Arc<StandardDescriptorSetAllocator>,
    pub command_allocator: Arc<StandardCommandBufferAllocator>,
    /// Bytes of device memory one batch may hold at most (`BATT_GPU_MEMORY_LIMIT`, else
    /// three quarters of the largest device-local heap).
    pub memory_limit: u64,
    /// Bytes one storage buffer may span (`maxStorageBufferRange`: 4 GiB on NVIDIA, 128 MiB
    /// on lavapipe and many integrated GPUs; lowered by `BATT_GPU_MAX_BUFFER`); a larger one
    /// would be read past its range as zeros. Batches and search chunks are sized so that no
    /// buffer needs more.
    pub max_buffer_bytes: u64,
    /// Threads per workgroup of the evaluation shader on this device
    /// (`evaluation_workgroup_size`).
    pub evaluation_workgroup_size: u32,
}

/// Threads per workgroup of the evaluation shader: `WORKGROUP_SIZE` on a GPU, 1 on a CPU
/// device (lavapipe, SwiftShader). lavapipe (seen on Mesa 22.3.6, LLVM 15) runs a
/// workgroup's threads as the lanes of one SIMD function and, when the lanes run different
/// list programs side by side, lets one lane's stores to its private grids land in the
/// others': an evaluation of the identity program came back with a neighbouring thread's
/// grid (the same batch is right on an NVIDIA H200). One thread per workgroup leaves no
/// neighbour to write over (tests/engine_equivalence.rs
/// `threads_running_different_list_programs_side_by_side_agree`). The search shader keeps
/// 64 everywhere: its equivalence tests have not met the fault, and a 40-task lavapipe run
/// with one thread per workgroup in both shaders took 2.5 times as long.
/// `BATT_GPU_WORKGROUP_SIZE` (1 to 1024) overrides the choice, to reproduce or rule out
/// such faults; neither exceeds what the device allows a workgroup.
pub fn evaluation_workgroup_size(props: &vulkano::device::DeviceProperties) -> Result<u32, GpuError> {
    let chosen = if props.device_type == vulkano::device::physical::PhysicalDeviceType::Cpu { 1 } else { WORKGROUP_SIZE };
    // the device's limits on a workgroup's threads (the spec's minimum is 128 for both)
    let device_max = props.max_compute_work_group_invocations.min(props.max_compute_work_group_size[0]).max(1);
    let set = setting("BATT_GPU_WORKGROUP_SIZE", "threads per workgroup, 1 to 1024")?;
    Ok(set.map_or(chosen, |v| v.clamp(1, 1024) as u32).min(device_max))
}

/// A numeric setting from the environment: None when unset; a value batt cannot read is
/// an error naming the variable and what it takes.
pub fn setting(name: &str, takes: &str) -> Result<Option<u64>, GpuError> {
    match std::env::var(name) {
        Err(_) => Ok(None),
        Ok(v) => v.trim().parse::<u64>().map(Some).map_err(|_| GpuError::Setting(format!("{name}={v} is not a whole number ({takes})"))),
    }
}

/// A compute pipeline with the workgroup size it was specialised to (`Context::pipeline`),
/// which `Context::dispatch` divides the threads by: one value, set once.
pub struct SizedPipeline {
    pub pipeline: Arc<ComputePipeline>,
    pub workgroup_size: u32,
}

impl Context {
    pub fn new(device: Arc<Device>, queue: Arc<Queue>) -> Result<Context, GpuError> {
        let memory = Arc::new(StandardMemoryAllocator::new_default(device.clone()));
        let descriptors = Arc::new(StandardDescriptorSetAllocator::new(device.clone(), Default::default()));
        let command_allocator = Arc::new(StandardCommandBufferAllocator::new(device.clone(), Default::default()));
        let heaps = &device.physical_device().memory_properties().memory_heaps;
        let largest = heaps
            .iter()
            .filter(|h| h.flags.intersects(vulkano::memory::MemoryHeapFlags::DEVICE_LOCAL))
            .map(|h| h.size)
            .max()
            .unwrap_or(1 << 30);
        let memory_limit = setting("BATT_GPU_MEMORY_LIMIT", "bytes of device memory a batch may hold")?.unwrap_or(largest / 4 * 3).max(1);
        let props = device.physical_device().properties();
        let device_max = (props.max_storage_buffer_range as u64).min(props.max_memory_allocation_size.unwrap_or(u64::MAX));
        // the setting can only lower the device's limit (tests use it to force small chunks)
        let max_buffer_bytes = setting("BATT_GPU_MAX_BUFFER", "bytes one storage buffer may span")?.map_or(device_max, |v| v.clamp(1024, device_max));
        let evaluation_workgroup_size = evaluation_workgroup_size(props)?;
        Ok(Context { device, queue, memory, descriptors, command_allocator, memory_limit, max_buffer_bytes, evaluation_workgroup_size })
    }

    /// A compute pipeline for `main` of `module` with `workgroup_size` threads to a
    /// workgroup, through the on-disk pipeline cache.
    pub fn pipeline(
        &self,
        module: Result<Arc<ShaderModule>, vulkano::Validated<vulkano::VulkanError>>,
        what: &str,
        workgroup_size: u32,
    ) -> Result<SizedPipeline, GpuError> {
        let module = module.map_err(|e| GpuError::other(&format!("cannot load the {what} shader"), e))?;
        let sized = module
            .specialize([(0, SpecializationConstant::U32(workgroup_size))].into_iter().collect())
            .map_err(|e| GpuError::other(&format!("cannot size the {what} shader's workgroups"), e))?;
        let entry = sized.entry_point("main").ok_or_else(|| GpuError::other(&format!("the {what} shader"), "it has no main"))?;
        let stage = PipelineShaderStageCreateInfo::new(entry);
        let layout = PipelineLayout::new(
            self.device.clone(),
            PipelineDescriptorSetLayoutCreateInfo::from_stages([&stage])
                .into_pipeline_layout_create_info(self.device.clone())
                .map_err(|e| GpuError::other("pipeline layout", format!("{e:?}")))?,
        )
        .map_err(|e| GpuError::other("cannot create the pipeline layout", e))?;
        let disk_cache = DiskPipelineCache::open(&self.device);
        let pipeline = ComputePipeline::new(
            self.device.clone(),
            disk_cache.as_ref().map(|c| c.cache.clone()),
            ComputePipelineCreateInfo::stage_layout(stage, layout),
        )
        .map_err(|e| GpuError::other(&format!("cannot create the {what} pipeline"), e))?;
        if let Some(c) = &disk_cache {
            c.save();
        }
        Ok(SizedPipeline { pipeline, workgroup_size })
    }

    /// A descriptor set binding `buffers` in order (binding i = buffers[i]).
    pub fn descriptor_set(&self, pipeline: &SizedPipeline, buffers: Vec<Subbuffer<[u8]>>) -> Result<Arc<DescriptorSet>, GpuError> {
        let layout = pipeline.pipeline.layout().set_layouts()[0].clone();
        DescriptorSet::new(
            self.descriptors.clone(),
            layout,
            buffers.into_iter().enumerate().map(|(i, b)| WriteDescriptorSet::buffer(i as u32, b)),
            [],
        )
        .map_err(|e| GpuError::other("cannot create the descriptor set", e))
    }

    /// A descriptor set binding each buffer at its binding number (a shader that declares
    /// only some of a stage's bindings).
    pub fn descriptor_set_at(&self, pipeline: &SizedPipeline, buffers: Vec<(u32, Subbuffer<[u8]>)>) -> Result<Arc<DescriptorSet>, GpuError> {
        let layout = pipeline.pipeline.layout().set_layouts()[0].clone();
        DescriptorSet::new(self.descriptors.clone(), layout, buffers.into_iter().map(|(i, b)| WriteDescriptorSet::buffer(i, b)), [])
            .map_err(|e| GpuError::other("cannot create the descriptor set", e))
    }

    /// Runs `sized` over `threads` threads (in workgroups of the size it was built with; a
    /// grid-stride loop beyond the dispatch limit) and waits for it; returns the time from
    /// submission to the fence.
    pub fn dispatch<Pc: BufferContents>(&self, sized: &SizedPipeline, set: Arc<DescriptorSet>, push: Pc, threads: usize) -> Result<Duration, GpuError> {
        let started = Instant::now();
        let mut commands = self.commands()?;
        commands.dispatch(sized, set, push, threads)?;
        self.submit(commands, None)?.wait()?;
        Ok(started.elapsed())
    }

    /// An empty command buffer to record dispatches into (`Commands::dispatch`), then
    /// `submit`.
    pub fn commands(&self) -> Result<Commands, GpuError> {
        let builder = AutoCommandBufferBuilder::primary(self.command_allocator.clone(), self.queue.queue_family_index(), CommandBufferUsage::OneTimeSubmit)
            .map_err(|e| GpuError::from_vulkan("command buffer", e))?;
        Ok(Commands { builder })
    }

    /// Submits `commands` after `after` (when given: the same queue, after its submission)
    /// and returns without waiting. What orders the two on the device is vulkano's builder,
    /// which begins a command buffer's first use of each buffer with a full pipeline
    /// barrier (vulkano 0.35's `AutoCommandBufferBuilder`); chaining adds no semaphore for
    /// work already flushed on one queue. The search's two expands in flight share their
    /// item buffers and rely on that barrier.
    pub fn submit(&self, commands: Commands, after: Option<&Submitted>) -> Result<Submitted, GpuError> {
        let command_buffer = commands.builder.build().map_err(|e| GpuError::from_vulkan("command buffer", e))?;
        let previous: Box<dyn GpuFuture> = match after {
            Some(s) => Box::new(s.future.clone()),
            None => Box::new(sync::now(self.device.clone())),
        };
        let future = previous
            .then_execute(self.queue.clone(), command_buffer)
            .map_err(|e| GpuError::other("submitting the dispatches", e))?
            .boxed()
            .then_signal_fence_and_flush()
            .map_err(|e| GpuError::from_vulkan("submitting the dispatches", e))?;
        Ok(Submitted { future: Arc::new(future) })
    }
}

/// Dispatches recorded into one command buffer (`Context::commands`): run in order, each
/// seeing what the ones before it wrote (the builder puts the barriers between them).
pub struct Commands {
    builder: AutoCommandBufferBuilder<vulkano::command_buffer::PrimaryAutoCommandBuffer>,
}

impl Commands {
    /// Records the device's clock into timestamp `query` of `clock` once every command
    /// before it has finished (the first, 0, resets the clock's timestamps).
    pub fn timestamp(&mut self, clock: &DeviceClock, query: u32) -> Result<(), GpuError> {
        let record = |e: Box<vulkano::ValidationError>| GpuError::other("recording a timestamp", e);
        if query == 0 {
            // SAFETY: the pool's queries are not in use by a command buffer still running:
            // its reader waited for the submission that wrote them
            unsafe { self.builder.reset_query_pool(clock.pool.clone(), 0..clock.pool.query_count()) }.map_err(record)?;
        }
        // SAFETY: the query was reset above, in this command buffer
        unsafe { self.builder.write_timestamp(clock.pool.clone(), query, vulkano::sync::PipelineStage::AllCommands) }.map_err(record)?;
        Ok(())
    }

    /// Records `sized` over `threads` threads (in workgroups of the size it was built with;
    /// a grid-stride loop beyond the dispatch limit).
    pub fn dispatch<Pc: BufferContents>(&mut self, sized: &SizedPipeline, set: Arc<DescriptorSet>, push: Pc, threads: usize) -> Result<(), GpuError> {
        let (pipeline, workgroup_size) = (&sized.pipeline, sized.workgroup_size);
        let record = |e: Box<vulkano::ValidationError>| GpuError::other("recording the dispatch", e);
        let workgroups = (threads as u64).div_ceil(workgroup_size as u64).min(MAX_WORKGROUPS as u64) as u32;
        self.builder
            .bind_pipeline_compute(pipeline.clone())
            .map_err(record)?
            .bind_descriptor_sets(PipelineBindPoint::Compute, pipeline.layout().clone(), 0, set)
            .map_err(record)?
            .push_constants(pipeline.layout().clone(), 0, push)
            .map_err(record)?;
        // SAFETY: every shader bounds its buffer accesses by the counts pushed and the
        // records the host wrote; all buffers are bound and large enough.
        unsafe { self.builder.dispatch([workgroups.max(1), 1, 1]) }.map_err(record)?;
        Ok(())
    }
}

/// Work submitted to the device (`Context::submit`), not waited for yet. Dropping it waits
/// (a panic included: the device may still be reading what the host would free).
pub struct Submitted {
    future: Arc<vulkano::sync::future::FenceSignalFuture<Box<dyn GpuFuture>>>,
}

impl Submitted {
    /// Waits until the device has done it.
    pub fn wait(&self) -> Result<(), GpuError> {
        self.future.wait(None).map_err(|e| GpuError::from_vulkan("running the dispatches", e))
    }
}

impl Drop for Submitted {
    fn drop(&mut self) {
        // an error here was reported by the wait that met it, or ends the device anyway
        let _ = self.future.wait(None);
    }
}

/// `BATT_GPU_FAIL_AFTER=N`: every dispatch (evaluation flush or search dispatch) after the
/// N-th fails as a lost device would (`BATT_GPU_FAIL_AFTER=N:out_of_memory`: as a device out
/// of memory would), so the CPU fallback and the errors can be tested on any machine.
#[derive(Debug, Clone)]
pub struct FailAfter {
    setting: String,
    left: u64,
    out_of_memory: bool,
}

impl FailAfter {
    /// The setting in the environment; None when unset. A setting batt cannot read is an
    /// error that says what it accepts.
    pub fn from_env() -> Result<Option<FailAfter>, GpuError> {
        let Ok(setting) = std::env::var("BATT_GPU_FAIL_AFTER") else { return Ok(None) };
        let (count, kind) = setting.split_once(':').unwrap_or((&setting, "device_lost"));
        let left = count.trim().parse().ok();
        let out_of_memory = match kind {
            "device_lost" => Some(false),
            "out_of_memory" => Some(true),
            _ => None,
        };
        match (left, out_of_memory) {
            (Some(left), Some(out_of_memory)) => Ok(Some(FailAfter { setting, left, out_of_memory })),
            _ => Err(GpuError::Setting(format!(
                "BATT_GPU_FAIL_AFTER={setting} is not N, N:device_lost or N:out_of_memory (N dispatches recorded before the failure)"
            ))),
        }
    }

    /// Counts one dispatch as it is recorded; an error once N have been.
    pub fn tick(failing: &mut Option<FailAfter>) -> Result<(), GpuError> {
        if let Some(f) = failing {
            if f.left == 0 {
                let why = format!("simulated by BATT_GPU_FAIL_AFTER={}", f.setting);
                return Err(if f.out_of_memory { GpuError::OutOfMemory(why) } else { GpuError::DeviceLost(why) });
            }
            f.left -= 1;
        }
        Ok(())
    }
}

/// Where a buffer lives: written by the host and read by the device, written by the device
/// and read by the host, or on the device only.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Residence {
    Upload,
    Readback,
    Device,
}

/// A buffer that grows as needed and is otherwise reused.
pub struct GrowBuffer<T: BufferContents + Copy> {
    buffer: Option<Subbuffer<[T]>>,
    usage: BufferUsage,
    residence: Residence,
}

impl<T: BufferContents + Copy> GrowBuffer<T> {
    pub fn new(usage: BufferUsage, residence: Residence) -> Self {
        GrowBuffer { buffer: None, usage, residence }
    }

    /// A buffer of at least `len` elements; true when it was (re)allocated. One larger than
    /// a storage buffer may span is an `OutOfMemory` error (the caller splits its work).
    pub fn ensure(&mut self, ctx: &Context, len: usize) -> Result<bool, GpuError> {
        let len = len.max(1);
        if self.buffer.as_ref().is_some_and(|b| b.len() as usize >= len) {
            return Ok(false);
        }
        let element = std::mem::size_of::<T>() as u64;
        let max_len = ctx.max_buffer_bytes / element;
        if len as u64 > max_len {
            return Err(GpuError::OutOfMemory(format!(
                "a GPU buffer of {} bytes is larger than one storage buffer may be ({} bytes: the device's maxStorageBufferRange, or BATT_GPU_MAX_BUFFER)",
                len as u64 * element,
                ctx.max_buffer_bytes
            )));
        }
        self.buffer = None; // free the old one first: device memory may not hold both
        let capacity = (len.next_power_of_two() as u64).min(max_len);
        let allocator = &ctx.memory;
        let filter = match self.residence {
            Residence::Readback => MemoryTypeFilter::PREFER_HOST | MemoryTypeFilter::HOST_RANDOM_ACCESS,
            Residence::Upload => MemoryTypeFilter::PREFER_DEVICE | MemoryTypeFilter::HOST_SEQUENTIAL_WRITE,
            Residence::Device => MemoryTypeFilter::PREFER_DEVICE,
        };
        let buffer = Buffer::new_slice::<T>(
            allocator.clone(),
            BufferCreateInfo { usage: self.usage, ..Default::default() },
            AllocationCreateInfo { memory_type_filter: filter, ..Default::default() },
            capacity,
        )
        .map_err(|e| GpuError::OutOfMemory(format!("cannot allocate a GPU buffer of {capacity} elements: {e}")))?;
        self.buffer = Some(buffer);
        Ok(true)
    }

    /// Whether the buffer holds `len` elements already (`ensure` would keep it).
    pub fn holds(&self, len: usize) -> bool {
        self.buffer.as_ref().is_some_and(|b| b.len() as usize >= len.max(1))
    }

    pub fn get(&self) -> &Subbuffer<[T]> {
        self.buffer.as_ref().expect("ensure() was called")
    }

    /// The buffer as bytes, for a descriptor set.
    pub fn bytes(&self) -> Subbuffer<[u8]> {
        self.get().clone().into_bytes()
    }
}

/// Writes `g` as a grid record (header, then cells 4 to a word, zero-padded) at the start
/// of `record` (a full record's room, or at least the words its cells need).
pub fn encode_grid(g: &Grid, record: &mut [u32]) {
    record[0] = g.rows() as u32 | (g.cols() as u32) << 8;
    for w in &mut record[1..] {
        *w = 0;
    }
    for (i, &c) in g.cells().iter().enumerate() {
        record[1 + i / 4] |= (c as u32) << (8 * (i % 4));
    }
}

/// Writes `grids` as consecutive records into `dst` (encoded in host memory first: the
/// mapped buffer may be write-combined device memory, where reads are very slow).
pub fn write_records<'g>(grids: impl IntoIterator<Item = &'g Grid>, dst: &mut [u32]) {
    let mut record = [0u32; GRID_WORDS];
    for (g, d) in grids.into_iter().zip(dst.chunks_mut(GRID_WORDS)) {
        encode_grid(g, &mut record);
        d.copy_from_slice(&record);
    }
}

/// Timestamps a command buffer records between its dispatches (`Commands::timestamp`), read
/// once it has run: the device's own time per dispatch (`BATT_SEARCH_DEVICE_PROFILE`).
pub struct DeviceClock {
    pool: Arc<vulkano::query::QueryPool>,
    /// Nanoseconds per tick of the device's timestamps.
    period: f64,
    /// The ticks' valid bits: a difference is taken modulo 2^bits (the counter wraps).
    mask: u64,
}

impl DeviceClock {
    /// A clock of `queries` timestamps; None when the device's queue keeps no timestamps.
    pub fn new(ctx: &Context, queries: u32) -> Result<Option<DeviceClock>, GpuError> {
        let family = &ctx.device.physical_device().queue_family_properties()[ctx.queue.queue_family_index() as usize];
        let Some(bits) = family.timestamp_valid_bits else { return Ok(None) };
        let info = vulkano::query::QueryPoolCreateInfo { query_count: queries, ..vulkano::query::QueryPoolCreateInfo::query_type(vulkano::query::QueryType::Timestamp) };
        let pool = vulkano::query::QueryPool::new(ctx.device.clone(), info).map_err(|e| GpuError::other("a timestamp query pool", e))?;
        let mask = if bits >= 64 { u64::MAX } else { (1u64 << bits) - 1 };
        Ok(Some(DeviceClock { pool, period: f64::from(ctx.device.physical_device().properties().timestamp_period), mask }))
    }

    /// The time between each timestamp and the next of the first `written` (all written by
    /// a submission that has finished).
    pub fn intervals(&self, written: u32) -> Result<Vec<Duration>, GpuError> {
        if written < 2 {
            return Ok(Vec::new());
        }
        let mut ticks = vec![0u64; written as usize];
        self.pool.get_results(0..written, &mut ticks, vulkano::query::QueryResultFlags::WAIT).map_err(|e| GpuError::other("reading timestamps", e))?;
        Ok(ticks.windows(2).map(|w| Duration::from_nanos(((w[1].wrapping_sub(w[0]) & self.mask) as f64 * self.period) as u64)).collect())
    }
}
