//! Finding Vulkan devices and choosing one. Loads the Vulkan loader (the system's, or a
//! `libvulkan.so.1` next to the batt binary, for machines that have a driver but no
//! loader), works around the headless NVIDIA driver (its manifest names
//! `libGLX_nvidia.so.0`, which fails without a display; `libEGL_nvidia.so.0` exports the
//! same ICD entry points and works), lists every device with the reason it would or would
//! not be picked, and ranks them: discrete GPU, integrated, virtual, then a CPU-type
//! device such as Mesa's lavapipe. Which devices a backend may use is a `DeviceChoice`:
//! `auto` takes hardware GPUs only (lavapipe is slower than rayon on the same cores),
//! `--backend gpu` any usable device, `--device` one device by index or name.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::{anyhow, Context, Result};
use vulkano::device::physical::{PhysicalDevice, PhysicalDeviceType};
use vulkano::device::QueueFlags;
use vulkano::instance::{Instance, InstanceCreateFlags, InstanceCreateInfo};
use vulkano::library::DynamicLibraryLoader;
use vulkano::VulkanLibrary;

/// Which Vulkan devices a backend may use.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum DeviceChoice {
    /// The most preferred hardware GPU (discrete, integrated, virtual), never a CPU-type
    /// device: what `--backend auto` uses, since rayon beats software Vulkan on the same cores.
    #[default]
    Hardware,
    /// The most preferred usable device of any kind, CPU-type included (`--backend gpu`).
    Any,
    /// The device of this index (as `batt devices` lists it), or the first whose name
    /// contains this text (`--device`).
    Named(String),
}

/// What `batt devices` shows for one physical device.
#[derive(Debug, Clone)]
pub struct DeviceInfo {
    pub index: usize,
    pub name: String,
    pub kind: &'static str,
    pub driver: String,
    pub api_version: String,
    /// Queue family with compute, if any.
    pub compute_queue_family: Option<u32>,
    /// What makes the device unusable for batt, if anything.
    pub unusable_because: Option<String>,
    /// Lower is preferred; None when unusable.
    pub rank: Option<u32>,
    /// A device that runs on the CPU (Mesa's lavapipe, SwiftShader).
    pub cpu_type: bool,
}

impl DeviceInfo {
    pub fn usable(&self) -> bool {
        self.rank.is_some()
    }
}

fn kind_name(t: PhysicalDeviceType) -> &'static str {
    match t {
        PhysicalDeviceType::DiscreteGpu => "discrete GPU",
        PhysicalDeviceType::IntegratedGpu => "integrated GPU",
        PhysicalDeviceType::VirtualGpu => "virtual GPU",
        PhysicalDeviceType::Cpu => "CPU (software Vulkan)",
        _ => "other",
    }
}

fn kind_rank(t: PhysicalDeviceType) -> u32 {
    match t {
        PhysicalDeviceType::DiscreteGpu => 0,
        PhysicalDeviceType::IntegratedGpu => 1,
        PhysicalDeviceType::VirtualGpu => 2,
        PhysicalDeviceType::Cpu => 3,
        _ => 4,
    }
}

/// The Vulkan instance and the devices it sees.
pub struct Discovery {
    pub instance: Arc<Instance>,
    pub physical: Vec<Arc<PhysicalDevice>>,
    pub devices: Vec<DeviceInfo>,
    /// Notes on how the loader and drivers were found (shown by `batt devices`).
    pub notes: Vec<String>,
}

impl Discovery {
    /// Loads Vulkan and lists its devices. Errors say what is missing and how to get it.
    pub fn new() -> Result<Discovery> {
        let mut notes = Vec::new();
        if let Some(note) = use_egl_for_headless_nvidia() {
            notes.push(note);
        }
        let library = load_library(&mut notes)?;
        let instance = Instance::new(
            library,
            InstanceCreateInfo { flags: InstanceCreateFlags::ENUMERATE_PORTABILITY, ..Default::default() },
        )
        .context("cannot create a Vulkan instance (is a Vulkan driver installed? on Debian: apt-get install mesa-vulkan-drivers)")?;
        let physical: Vec<Arc<PhysicalDevice>> =
            instance.enumerate_physical_devices().context("cannot list Vulkan devices")?.collect();
        let devices = physical
            .iter()
            .enumerate()
            .map(|(index, p)| {
                let props = p.properties();
                let compute_queue_family = p
                    .queue_family_properties()
                    .iter()
                    .position(|q| q.queue_flags.intersects(QueueFlags::COMPUTE))
                    .map(|i| i as u32);
                let features = p.supported_features();
                let unusable_because = if compute_queue_family.is_none() {
                    Some("no compute queue".to_string())
                } else if !(features.shader_int8 && features.shader_int16) {
                    Some("lacks the shaderInt8/shaderInt16 features the evaluation shader needs".to_string())
                } else {
                    None
                };
                DeviceInfo {
                    index,
                    unusable_because: unusable_because.clone(),
                    name: props.device_name.clone(),
                    kind: kind_name(props.device_type),
                    driver: match (&props.driver_name, &props.driver_info) {
                        (Some(n), Some(i)) => format!("{n} {i}"),
                        (Some(n), None) => n.clone(),
                        _ => "unknown driver".to_string(),
                    },
                    api_version: format!("{}", props.api_version),
                    compute_queue_family,
                    rank: unusable_because.is_none().then(|| kind_rank(props.device_type)),
                    cpu_type: props.device_type == PhysicalDeviceType::Cpu,
                }
            })
            .collect();
        Ok(Discovery { instance, physical, devices, notes })
    }

    /// The preferred usable device: discrete, then integrated, virtual, CPU-type; first
    /// listed on ties.
    pub fn pick(&self) -> Option<&DeviceInfo> {
        self.devices.iter().filter(|d| d.usable()).min_by_key(|d| (d.rank, d.index))
    }

    /// The device `choice` allows, or why there is none.
    pub fn pick_for(&self, choice: &DeviceChoice) -> Result<&DeviceInfo, String> {
        match choice {
            DeviceChoice::Any => self.pick().ok_or_else(|| "no Vulkan device is usable (run `batt devices` to see why)".to_string()),
            DeviceChoice::Hardware => match self.devices.iter().filter(|d| d.usable() && !d.cpu_type).min_by_key(|d| (d.rank, d.index)) {
                Some(d) => Ok(d),
                None => Err(match self.pick() {
                    Some(cpu) => format!(
                        "no hardware GPU; {} is a CPU-type Vulkan device, slower than rayon on the same cores (--backend gpu or --device uses it anyway)",
                        cpu.name
                    ),
                    None => "no Vulkan device is usable (run `batt devices` to see why)".to_string(),
                }),
            },
            DeviceChoice::Named(name) => {
                let found = match name.trim().parse::<usize>() {
                    Ok(i) => self.devices.iter().find(|d| d.index == i),
                    Err(_) => self.devices.iter().find(|d| d.name.to_lowercase().contains(&name.trim().to_lowercase())),
                };
                match found {
                    Some(d) if d.usable() => Ok(d),
                    Some(d) => Err(format!("--device {name}: {} is not usable: {}", d.name, d.unusable_because.as_deref().unwrap_or("unknown reason"))),
                    None => {
                        let names: Vec<String> = self.devices.iter().map(|d| format!("[{}] {}", d.index, d.name)).collect();
                        Err(format!("--device {name}: no such Vulkan device (devices: {})", if names.is_empty() { "none".to_string() } else { names.join(", ") }))
                    }
                }
            }
        }
    }

    /// Why each device is or is not the one `--backend gpu` picks, and what `--backend
    /// auto` uses, for `batt devices`.
    pub fn report(&self) -> Vec<String> {
        let picked = self.pick().map(|d| d.index);
        let mut lines = Vec::new();
        if self.devices.is_empty() {
            lines.push("no Vulkan devices found (install a driver; on Debian, mesa-vulkan-drivers gives lavapipe)".to_string());
        }
        for d in &self.devices {
            let why = if Some(d.index) == picked {
                format!("picked by --backend gpu: the most preferred usable kind ({})", d.kind)
            } else if let Some(why) = &d.unusable_because {
                format!("not usable: {why}")
            } else {
                let p = self.pick().expect("a device was picked");
                format!("not picked: {} is preferred over {}", p.kind, d.kind)
            };
            lines.push(format!(
                "[{}] {}  ({}, Vulkan {}, {})\n    {why}",
                d.index, d.name, d.kind, d.api_version, d.driver
            ));
        }
        lines.push(match self.pick_for(&DeviceChoice::Hardware) {
            Ok(d) => format!("--backend auto (the default) uses [{}] {}", d.index, d.name),
            Err(why) => format!("--backend auto (the default) uses the CPU (rayon, {} threads): {why}", rayon::current_num_threads()),
        });
        lines.extend(self.notes.iter().map(|n| format!("note: {n}")));
        lines
    }
}

/// The system's Vulkan loader, or one beside the executable.
fn load_library(notes: &mut Vec<String>) -> Result<Arc<VulkanLibrary>> {
    match VulkanLibrary::new() {
        Ok(lib) => Ok(lib),
        Err(system_err) => {
            let beside = std::env::current_exe().ok().and_then(|exe| exe.parent().map(|d| d.join("libvulkan.so.1")));
            if let Some(path) = beside.filter(|p| p.exists()) {
                // SAFETY: loading the Vulkan loader library runs its initialisers; it is the
                // same library the system would load, found in batt's own folder.
                let loader = unsafe { DynamicLibraryLoader::new(&path) }
                    .with_context(|| format!("cannot load the Vulkan loader {}", path.display()))?;
                notes.push(format!("Vulkan loader loaded from {} (none installed on the system)", path.display()));
                return VulkanLibrary::with_loader(loader).map_err(|e| anyhow!("{e}"));
            }
            Err(anyhow!(
                "cannot load the Vulkan loader (libvulkan.so.1): {system_err}. Install it (Debian: apt-get install libvulkan1) or put libvulkan.so.1 next to the batt binary"
            ))
        }
    }
}

/// Folders the Vulkan loader reads driver manifests from, plus where NVIDIA containers put them.
const ICD_DIRS: &[&str] = &[
    "/etc/vulkan/icd.d",
    "/usr/share/vulkan/icd.d",
    "/usr/local/share/vulkan/icd.d",
    "/usr/local/nvidia/share/vulkan/icd.d",
];

/// On a machine without a display whose NVIDIA manifest names libGLX_nvidia, hands the
/// loader a manifest list where that entry names libEGL_nvidia instead (the other drivers
/// stay). Does nothing when the user set VK_ICD_FILENAMES / VK_DRIVER_FILES, when a
/// display exists, or when no such manifest is found. Returns a note on what it did.
fn use_egl_for_headless_nvidia() -> Option<String> {
    if std::env::var_os("VK_ICD_FILENAMES").is_some() || std::env::var_os("VK_DRIVER_FILES").is_some() {
        return None;
    }
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return None;
    }
    let mut manifests: Vec<PathBuf> = Vec::new();
    for dir in ICD_DIRS {
        if let Ok(entries) = std::fs::read_dir(dir) {
            let mut found: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).filter(|p| p.extension().is_some_and(|x| x == "json")).collect();
            found.sort();
            manifests.extend(found);
        }
    }
    let glx_manifest = manifests.iter().position(|p| manifest_library(p).is_some_and(|l| l.contains("libGLX_nvidia")))?;
    let egl = find_library("libEGL_nvidia.so.0")?;
    let dir = std::env::temp_dir().join(format!("batt-vulkan-icd-{}", std::process::id()));
    std::fs::create_dir_all(&dir).ok()?;
    let egl_manifest = dir.join("nvidia_egl_icd.json");
    let text = format!(
        "{{\"file_format_version\": \"1.0.0\", \"ICD\": {{\"library_path\": {}, \"api_version\": \"1.3.0\"}}}}\n",
        serde_json::to_string(&egl.display().to_string()).ok()?
    );
    std::fs::write(&egl_manifest, text).ok()?;
    manifests[glx_manifest] = egl_manifest;
    let list = std::env::join_paths(&manifests).ok()?;
    // Set before the loader is loaded; discovery runs before batt starts other threads.
    std::env::set_var("VK_ICD_FILENAMES", &list);
    std::env::set_var("VK_DRIVER_FILES", &list);
    Some(format!(
        "no display: the NVIDIA driver's manifest names libGLX_nvidia, which fails headless; using {} instead",
        egl.display()
    ))
}

fn manifest_library(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let v: serde_json::Value = serde_json::from_str(&text).ok()?;
    v["ICD"]["library_path"].as_str().map(str::to_string)
}

/// A shared library's path, from the linker cache or the usual folders.
fn find_library(name: &str) -> Option<PathBuf> {
    if let Ok(out) = std::process::Command::new("ldconfig").arg("-p").output() {
        let text = String::from_utf8_lossy(&out.stdout);
        for line in text.lines() {
            let line = line.trim();
            if line.starts_with(name) {
                if let Some(path) = line.rsplit("=> ").next() {
                    return Some(PathBuf::from(path.trim()));
                }
            }
        }
    }
    ["/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib", "/usr/local/nvidia/lib64"]
        .iter()
        .map(|d| Path::new(d).join(name))
        .find(|p| p.exists())
}
