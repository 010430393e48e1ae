//! Vulkan: finding and choosing a device (`device`) and keeping compiled pipelines on disk
//! (`pipeline_cache`). The batch executor that runs candidate programs in compute shaders
//! builds on these.

pub mod device;
pub mod pipeline_cache;

pub use device::{DeviceInfo, Discovery};
