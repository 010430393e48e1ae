//! Vulkan: finding and choosing a device (`device`). The batch executor that runs candidate
//! programs in compute shaders builds on this.

pub mod device;

pub use device::{DeviceInfo, Discovery};
