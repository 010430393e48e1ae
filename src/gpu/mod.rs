//! Vulkan: finding and choosing a device (`device`), keeping compiled pipelines on disk
//! (`pipeline_cache`) and what can fail (`error`). The batch executor that runs candidate programs in compute shaders
//! builds on these.

pub mod device;
pub mod error;
pub mod pipeline_cache;

pub use device::{DeviceChoice, DeviceInfo, Discovery};
pub use error::GpuError;
