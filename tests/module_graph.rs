//! The modules of `src/` import each other without circles: every `use crate::…`,
//! `use super::…` and inline `crate::…` / `super::…` path (outside `#[cfg(test)]` blocks)
//! is an edge from the module that writes it to the module it names, and no chain of
//! edges leads back (a module and its own submodules excepted).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

/// Module path ("engine::search") → its source text.
fn modules() -> BTreeMap<String, String> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<String, String>) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_stem().unwrap().to_string_lossy().into_owned();
            if path.is_dir() {
                let mut p = prefix.to_vec();
                p.push(name);
                walk(&path, &p, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                if prefix.is_empty() && name == "main" {
                    continue; // the binary's root only parses arguments
                }
                let mut p = prefix.to_vec();
                if name != "mod" && !(prefix.is_empty() && name == "lib") {
                    p.push(name);
                }
                out.insert(p.join("::"), fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut out = BTreeMap::new();
    walk(Path::new("src"), &[], &mut out);
    out
}

/// The source without its `#[cfg(test)] mod tests { … }` block (tests may import freely).
fn without_tests(source: &str) -> &str {
    source.find("#[cfg(test)]\nmod tests").map_or(source, |at| &source[..at])
}

/// Every path an import names: `use a::{b, c::d}` gives `a::b` and `a::c::d`; inline
/// `crate::x::y` paths count too.
fn named_paths(source: &str) -> Vec<String> {
    let mut paths = Vec::new();
    let text = without_tests(source);
    let mut rest = text;
    while let Some(at) = rest.find("use ") {
        let before_ok = at == 0 || !rest.as_bytes()[at - 1].is_ascii_alphanumeric() && rest.as_bytes()[at - 1] != b'_';
        let tail = &rest[at + 4..];
        let end = tail.find(';').unwrap_or(tail.len());
        if before_ok {
            expand(&tail[..end].split_whitespace().collect::<String>(), "", &mut paths);
        }
        rest = &tail[end.min(tail.len())..];
    }
    for start in ["crate::", "super::"] {
        let mut rest = text;
        while let Some(at) = rest.find(start) {
            let path: String = rest[at..].chars().take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':').collect();
            paths.push(path.trim_end_matches(':').to_string());
            rest = &rest[at + start.len()..];
        }
    }
    let mut seen = BTreeSet::new();
    paths.retain(|p| seen.insert(p.clone()));
    paths
}

/// `a::{b, c::{d, e}}` → `a::b`, `a::c::d`, `a::c::e`.
fn expand(tree: &str, prefix: &str, out: &mut Vec<String>) {
    match tree.find('{') {
        None => out.push(format!("{prefix}{}", tree.split(" as ").next().unwrap_or(tree))),
        Some(open) => {
            let head = &tree[..open];
            let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
            let mut depth = 0;
            let mut item = String::new();
            for c in inner.chars().chain(std::iter::once(',')) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        if !item.is_empty() {
                            expand(&item, &format!("{prefix}{head}"), out);
                        }
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        }
    }
}

/// The module a path written in `module` names: the longest module prefix of it.
fn target(module: &str, path: &str, known: &BTreeMap<String, String>) -> Option<String> {
    let mut parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
    let mut base: Vec<&str> = module.split("::").filter(|p| !p.is_empty()).collect();
    match parts.first() {
        Some(&"crate") => {
            base.clear();
            parts.remove(0);
        }
        Some(&"super") => {
            while parts.first() == Some(&"super") {
                base.pop();
                parts.remove(0);
            }
        }
        Some(&"self") => {
            parts.remove(0);
        }
        _ => return None,
    }
    (0..=parts.len()).rev().map(|n| base.iter().chain(&parts[..n]).copied().collect::<Vec<_>>().join("::")).find(|m| known.contains_key(m))
}

#[test]
fn no_module_imports_one_that_imports_it_back() {
    let modules = modules();
    assert!(modules.contains_key("engine::search") && modules.contains_key("run"), "{:?}", modules.keys().collect::<Vec<_>>());
    let related = |a: &str, b: &str| a.is_empty() || b.is_empty() || a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"));
    let mut edges: BTreeMap<&str, BTreeSet<String>> = BTreeMap::new();
    for (module, source) in &modules {
        let out = edges.entry(module).or_default();
        for path in named_paths(source) {
            if let Some(t) = target(module, &path, &modules) {
                if t != *module && !related(module, &t) {
                    out.insert(t);
                }
            }
        }
    }
    // a circle is an edge a → b with a path back from b to a
    let reaches = |from: &str, to: &str| -> Option<Vec<String>> {
        let mut seen = BTreeSet::new();
        let mut stack = vec![vec![from.to_string()]];
        while let Some(chain) = stack.pop() {
            let last = chain.last().unwrap().clone();
            if last == to {
                return Some(chain);
            }
            if !seen.insert(last.clone()) {
                continue;
            }
            for next in edges.get(last.as_str()).into_iter().flatten() {
                let mut c = chain.clone();
                c.push(next.clone());
                stack.push(c);
            }
        }
        None
    };
    let mut circles = Vec::new();
    for (a, outs) in &edges {
        for b in outs {
            if let Some(back) = reaches(b, a) {
                circles.push(format!("{a} -> {}", back.join(" -> ")));
            }
        }
    }
    assert!(circles.is_empty(), "import circles in src/:\n{}", circles.join("\n"));
}

#[test]
fn the_circle_check_sees_a_circle() {
    // the parser itself: a use tree, relative paths, and the module a path names
    let mut paths = Vec::new();
    expand("crate::run::state::{RunBoard,SharedState as S}", "", &mut paths);
    assert_eq!(paths, ["crate::run::state::RunBoard", "crate::run::state::SharedState"]);
    let known: BTreeMap<String, String> = ["dsl", "dsl::color", "dsl::objects", "run"].iter().map(|m| (m.to_string(), String::new())).collect();
    assert_eq!(target("dsl::objects", "super::color::mostcolor", &known).as_deref(), Some("dsl::color"));
    assert_eq!(target("dsl::color", "crate::dsl::objects::Object", &known).as_deref(), Some("dsl::objects"));
    assert_eq!(target("lua", "crate::run::state::SharedState", &known).as_deref(), Some("run"));
    assert_eq!(named_paths("use super::color::mostcolor;\nfn f() { crate::run::state::x() }\n"), ["super::color::mostcolor", "crate::run::state::x"]);
}

/// `src/` shows its stages as folders: at most 8 files beside them at the top level.
#[test]
fn src_top_level_holds_at_most_eight_files() {
    let files: Vec<String> = fs::read_dir("src")
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert!(files.len() <= 8, "src/ has {} files at its top level: {files:?}; put each in its stage's folder", files.len());
}

/// Every Rust and Lua file under `src/` and `scripts/` that a newcomer reads in one sitting:
/// 600 lines at most (split a longer one by concern).
#[test]
fn no_source_file_is_over_600_lines() {
    fn walk(dir: &std::path::Path, long: &mut Vec<String>, seen: &mut usize) {
        for entry in fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, long, seen);
            } else if path.extension().is_some_and(|e| e == "rs" || e == "lua") {
                *seen += 1;
                let lines = fs::read_to_string(&path).unwrap().lines().count();
                if lines > 600 {
                    long.push(format!("{} ({lines} lines)", path.display()));
                }
            }
        }
    }
    let (mut long, mut seen) = (Vec::new(), 0);
    walk(std::path::Path::new("src"), &mut long, &mut seen);
    walk(std::path::Path::new("scripts"), &mut long, &mut seen);
    assert!(seen > 100, "only {seen} files found: run from the crate root");
    assert!(long.is_empty(), "files over 600 lines: {long:?}; split each by concern");
}
