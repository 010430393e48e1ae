//! docs/engine.md's "Adding an op" example builds as written: its three code blocks (the
//! table entry, the CPU kernel with its reference, the GLSL twin) are pasted where the
//! guide says, in a copy of the crate, and `cargo build --lib` must succeed (the build
//! generates the op's dispatch and compiles the shaders, so a missing or wrong part fails).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The guide's example blocks: (the file each goes into, its code).
fn example_blocks() -> Vec<(String, String)> {
    let guide = fs::read_to_string("docs/engine.md").unwrap();
    let marker = "<!-- example-op: ";
    let mut blocks = Vec::new();
    let mut rest = guide.as_str();
    while let Some(at) = rest.find(marker) {
        rest = &rest[at + marker.len()..];
        let file = rest.split_whitespace().next().unwrap().to_string();
        let open = rest.find("```").expect("a code block after the marker");
        let body = &rest[open..];
        let body = &body[body.find('\n').unwrap() + 1..];
        let close = body.find("```").expect("the code block closes");
        blocks.push((file, body[..close].to_string()));
        rest = &body[close + 3..];
    }
    blocks
}

fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).unwrap();
    for entry in fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn the_guides_adding_an_op_example_builds_as_written() {
    let blocks = example_blocks();
    let files: Vec<&str> = blocks.iter().map(|(f, _)| f.as_str()).collect();
    assert_eq!(files, ["src/engine/ops/table.rs", "src/engine/ops/color.rs", "shaders/ops/color.glsl"], "the guide's three example blocks");

    // a copy of the crate beside the build (not in the system's temp dir: the same disk)
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let copy = root.join("target").join("adding-an-op");
    let _ = fs::remove_dir_all(&copy);
    for dir in ["src", "shaders", "data"] {
        copy_dir(&root.join(dir), &copy.join(dir));
    }
    for file in ["Cargo.lock", "build.rs"] {
        fs::copy(root.join(file), copy.join(file)).unwrap();
    }
    // a package of its own name, so that sharing this build's folder (and its compiled
    // dependencies) never mixes the copy's build-script output or library with batt's
    let manifest = fs::read_to_string(root.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"batt\"\nversion"), "Cargo.toml names the package batt");
    let manifest = manifest
        .replacen("name = \"batt\"\nversion", "name = \"batt-adding-an-op\"\nversion", 1)
        .replacen("[lib]\nname = \"batt\"", "[lib]\nname = \"batt_adding_an_op\"", 1);
    assert!(manifest.contains("batt-adding-an-op") && manifest.contains("name = \"batt_adding_an_op\""), "the copy's manifest renamed");
    fs::write(copy.join("Cargo.toml"), manifest).unwrap();

    for (file, code) in &blocks {
        let path = copy.join(file);
        let mut source = fs::read_to_string(&path).unwrap();
        if file.ends_with("table.rs") {
            // the entry goes at the end of OPS: the first line `];` after its opening
            let start = source.find("pub const OPS: &[OpSpec] = &[").expect("table.rs defines OPS");
            let end = start + source[start..].find("\n];").expect("OPS closes with `];`") + 1;
            let indented: String = code.lines().map(|l| format!("    {l}\n")).collect();
            source.insert_str(end, &indented);
        } else {
            source.push('\n');
            source.push_str(code);
        }
        fs::write(&path, source).unwrap();
    }

    // the build shares this build's folder, so only the copy itself is compiled
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = Command::new(cargo)
        .args(["build", "--release", "--lib", "--offline", "--message-format", "short"])
        .current_dir(&copy)
        .env("CARGO_TARGET_DIR", root.join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the guide's example does not build:\n{stderr}");
    assert!(!stderr.contains("warning: unused"), "the example leaves something unused:\n{stderr}");
}
