//! What can go wrong on the GPU, as types: the engine falls back to the CPU or stops the
//! run by the kind of failure, and tells the user what to do about it.

use vulkano::{Validated, VulkanError};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GpuError {
    /// No Vulkan device could be opened for this backend (no loader, no driver, no device
    /// fit for the choice).
    #[error("no usable Vulkan device: {0}")]
    NoDevice(String),
    /// The device stopped answering (a driver reset or hang, or BATT_GPU_FAIL_AFTER).
    #[error("device lost ({0})")]
    DeviceLost(String),
    /// A buffer could not be allocated, or the device ran out of memory mid-batch.
    #[error("out of GPU memory: {0}")]
    OutOfMemory(String),
    /// The shader wrote a result that cannot be right (a side over 30, a colour over 9).
    #[error("the evaluation shader wrote an invalid result: {0}")]
    ShaderFault(String),
    /// The batch cannot be sent as asked (an item naming a missing grid, too many items).
    #[error("invalid batch: {0}")]
    InvalidBatch(String),
    /// An environment setting of the GPU backend that batt cannot read.
    #[error("bad setting: {0}")]
    Setting(String),
    /// Any other Vulkan failure.
    #[error("Vulkan error: {0}")]
    Vulkan(String),
}

impl GpuError {
    /// A Vulkan error from `what`, classified by its kind.
    pub fn from_vulkan(what: &str, e: Validated<VulkanError>) -> GpuError {
        match e {
            Validated::Error(VulkanError::DeviceLost) => GpuError::DeviceLost(format!("{what}: the Vulkan device was lost")),
            Validated::Error(VulkanError::OutOfDeviceMemory | VulkanError::OutOfHostMemory) => GpuError::OutOfMemory(format!("{what}: {e}")),
            other => GpuError::Vulkan(format!("{what}: {other}")),
        }
    }

    /// Any other failure of `what`, described by its message.
    pub fn other(what: &str, e: impl std::fmt::Display) -> GpuError {
        GpuError::Vulkan(format!("{what}: {e}"))
    }

    /// What the user can do about it.
    pub fn hint(&self) -> &'static str {
        match self {
            GpuError::NoDevice(_) => "run `batt devices` to see the devices and why none fits; --backend cpu runs without one",
            GpuError::DeviceLost(_) | GpuError::Vulkan(_) => "--backend auto recomputes on the CPU when the GPU fails; --backend cpu avoids it",
            GpuError::OutOfMemory(_) => "use smaller batches (batt.batch{size = ...}), or --backend auto to recompute on the CPU",
            GpuError::ShaderFault(_) => "this is a bug in batt's shader: please report it with the task id; --backend cpu avoids it",
            GpuError::InvalidBatch(_) => "this is a bug in the code that built the batch",
            GpuError::Setting(_) => "correct or unset the variable it names",
        }
    }
}
