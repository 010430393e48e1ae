//! The Python package from a clean build: maturin builds the wheel (the crate with its
//! `python` feature, sharing this build's target folder so only batt itself compiles
//! again), a virtual environment under target/python/ gets it with numpy and pytest from
//! `.python/wheels` (prepared by `.ci/setup`), and pytest runs `tests/python/`. Every step
//! that fails fails this test, saying which step and why; nothing is skipped. With
//! `BATT_REQUIRE_GPU=1` (passed on to pytest) the GPU tests fail rather than skip on a
//! machine without a Vulkan device.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs `cmd`, failing the test with `step`, the command and its output when it fails.
fn step(step: &str, cmd: &mut Command) -> String {
    let output = cmd.output().unwrap_or_else(|e| panic!("{step}: cannot start {cmd:?}: {e}"));
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{step} failed ({}): {cmd:?}\n--- stdout\n{stdout}\n--- stderr\n{stderr}", output.status);
    stdout + &stderr
}

fn tools() -> PathBuf {
    let tools = root().join(".python");
    assert!(
        tools.join("bin").join("maturin").exists() && tools.join("wheels").join(".complete").exists(),
        "{} has no maturin or no wheels: run `bash .ci/setup` first (it prepares the Python tools)",
        tools.display()
    );
    tools
}

fn the_wheel(dir: &Path) -> PathBuf {
    let wheels: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "whl"))
        .collect();
    assert_eq!(wheels.len(), 1, "maturin left one wheel in {}: {wheels:?}", dir.display());
    wheels.into_iter().next().unwrap()
}

#[test]
fn the_python_package_builds_installs_and_passes_its_tests() {
    let root = root();
    let tools = tools();
    let target = root.join("target");
    let out = target.join("python");
    let wheels = out.join("wheels");
    let _ = std::fs::remove_dir_all(&wheels);
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    step(
        "building the wheel with maturin",
        Command::new(tools.join("bin").join("maturin"))
            .args(["build", "--release", "--out"])
            .arg(&wheels)
            .current_dir(&root)
            .env("CARGO", &cargo)
            .env("CARGO_TARGET_DIR", &target)
            .env("PATH", path_with(Path::new(&cargo).parent())),
    );
    let wheel = the_wheel(&wheels);

    let venv = out.join("venv");
    let python = venv.join("bin").join("python");
    if !python.exists() {
        step("creating the test's virtual environment", Command::new(tools.join("bin").join("python")).args(["-m", "venv"]).arg(&venv));
    }
    step(
        "installing numpy and pytest into it",
        Command::new(&python)
            .args(["-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index", "--find-links"])
            .arg(tools.join("wheels"))
            .args(["numpy", "pytest"]),
    );
    step(
        "installing the wheel",
        Command::new(&python).args(["-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-index", "--no-deps", "--force-reinstall"]).arg(&wheel),
    );
    // pytest from elsewhere than the repository root, so `import batt` finds the wheel only
    let report = step(
        "pytest tests/python",
        Command::new(&python)
            .args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"])
            .arg(root.join("tests").join("python"))
            .current_dir(&out)
            .env("BATT_REPO", &root)
            .env("BATT_BIN", env!("CARGO_BIN_EXE_batt")),
    );
    println!("{report}");
    assert!(!report.contains(" skipped") || std::env::var("BATT_REQUIRE_GPU").as_deref() != Ok("1"), "BATT_REQUIRE_GPU=1 but pytest skipped tests:\n{report}");
}

/// PATH with `dir` (cargo's own folder) first, so maturin runs the cargo running this test.
fn path_with(dir: Option<&Path>) -> std::ffi::OsString {
    let mut paths: Vec<PathBuf> = dir.filter(|d| d.is_absolute()).into_iter().map(Path::to_path_buf).collect();
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).unwrap()
}
