//! `batt devices` against the real Vulkan loader. With BATT_REQUIRE_GPU=1 (the README's
//! test command and CI) a missing Vulkan device fails this test; without it the test says
//! it skipped.

use assert_cmd::Command;

fn gpu_required() -> bool {
    std::env::var("BATT_REQUIRE_GPU").is_ok_and(|v| v == "1")
}

#[test]
fn devices_lists_a_vulkan_device_and_says_which_is_picked() {
    let output = Command::cargo_bin("batt").unwrap().arg("devices").output().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if !output.status.success() {
        assert!(!gpu_required(), "BATT_REQUIRE_GPU=1 but batt devices found no usable Vulkan device:\n{stdout}{stderr}");
        eprintln!("SKIPPED: no Vulkan device here (set BATT_REQUIRE_GPU=1 to make this a failure)\n{stdout}{stderr}");
        return;
    }
    assert!(stdout.lines().any(|l| l.starts_with("[0] ")), "{stdout}");
    assert_eq!(stdout.matches("picked by --backend gpu: ").count(), 1, "exactly one device is picked:\n{stdout}");
    // auto never takes a CPU-type device such as lavapipe: rayon is faster on the same cores
    let auto = stdout.lines().find(|l| l.starts_with("--backend auto (the default) uses ")).expect(&stdout);
    let cpu_type_only = !stdout.contains("GPU,") && stdout.contains("CPU (software Vulkan)");
    if cpu_type_only {
        assert!(auto.contains("the CPU (rayon") && auto.contains("CPU-type"), "{auto}");
    }
}
