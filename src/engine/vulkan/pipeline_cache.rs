//! A Vulkan pipeline cache kept on disk, so the evaluation shader is compiled by the driver
//! once per machine rather than once per run. One file per driver cache identity
//! (`pipelineCacheUUID`) in `$BATT_CACHE_DIR`, else `$XDG_CACHE_HOME/batt`, else
//! `~/.cache/batt`; each file carries a checksum, and a missing, foreign or damaged file
//! only means compiling again.

use std::path::PathBuf;
use std::sync::Arc;

use vulkano::device::Device;
use vulkano::pipeline::cache::{PipelineCache, PipelineCacheCreateInfo};

const MAGIC: &[u8; 8] = b"BATTPC01";

fn cache_dir() -> Option<PathBuf> {
    if let Some(d) = std::env::var_os("BATT_CACHE_DIR") {
        return Some(PathBuf::from(d));
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME") {
        return Some(PathBuf::from(d).join("batt"));
    }
    std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache").join("batt"))
}

fn checksum(data: &[u8]) -> u64 {
    // FNV-1a: enough to notice a truncated or damaged file
    data.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &b| (h ^ b as u64).wrapping_mul(0x0100_0000_01b3))
}

/// The on-disk pipeline cache of one device.
pub struct DiskPipelineCache {
    pub cache: Arc<PipelineCache>,
    path: Option<PathBuf>,
    loaded_len: usize,
}

impl DiskPipelineCache {
    /// Opens the cache for `device`, starting from the file when it is valid.
    pub fn open(device: &Arc<Device>) -> Option<DiskPipelineCache> {
        let uuid = device.physical_device().properties().pipeline_cache_uuid;
        let hex: String = uuid.iter().map(|b| format!("{b:02x}")).collect();
        let path = cache_dir().map(|d| d.join(format!("pipelines-{hex}.bin")));
        let initial = path.as_ref().and_then(|p| std::fs::read(p).ok()).and_then(|bytes| {
            if bytes.len() < 16 || &bytes[..8] != MAGIC {
                return None;
            }
            let sum = u64::from_le_bytes(bytes[8..16].try_into().ok()?);
            let data = bytes[16..].to_vec();
            (checksum(&data) == sum).then_some(data)
        });
        let loaded_len = initial.as_ref().map_or(0, Vec::len);
        // SAFETY: the data, if any, is exactly what `get_data` returned for a device with
        // the same pipeline cache UUID (the file name), checked against its checksum.
        let cache = unsafe {
            PipelineCache::new(device.clone(), PipelineCacheCreateInfo { initial_data: initial.unwrap_or_default(), ..Default::default() })
        }
        .ok()?;
        Some(DiskPipelineCache { cache, path, loaded_len })
    }

    /// Writes the cache back when it grew (atomically; failures are ignored: it is a cache).
    pub fn save(&self) {
        let (Some(path), Ok(data)) = (&self.path, self.cache.get_data()) else { return };
        if data.len() <= self.loaded_len {
            return;
        }
        let mut bytes = Vec::with_capacity(16 + data.len());
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(&checksum(&data).to_le_bytes());
        bytes.extend_from_slice(&data);
        let _ = write_whole(path, &bytes);
    }
}

/// The cache file replaced whole: written to a temporary file beside it, then renamed over
/// it, so a reader never sees half a cache.
fn write_whole(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(std::path::Path::new("."));
    std::fs::create_dir_all(dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}
