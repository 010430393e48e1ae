//! The documentation holds together: every relative link in README.md and docs/*.md points
//! at a file that exists and, with a `#fragment`, at a heading that file has (GitHub's
//! anchors); every page of docs/ is reachable from the README through docs/README.md; the
//! README stays a front door (at most 300 lines).

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

fn pages() -> Vec<PathBuf> {
    let mut pages = vec![PathBuf::from("README.md")];
    let mut docs: Vec<PathBuf> = fs::read_dir("docs").expect("docs/ exists").map(|e| e.unwrap().path()).filter(|p| p.extension().is_some_and(|e| e == "md")).collect();
    docs.sort();
    pages.extend(docs);
    pages
}

/// Lines outside fenced code blocks.
fn prose(text: &str) -> Vec<&str> {
    let mut in_code = false;
    text.lines()
        .filter(|l| {
            if l.starts_with("```") {
                in_code = !in_code;
                return false;
            }
            !in_code
        })
        .collect()
}

/// GitHub's anchor of a heading: lower case, punctuation dropped, spaces as hyphens.
fn anchor(heading: &str) -> String {
    heading.trim().to_lowercase().chars().filter(|c| c.is_alphanumeric() || *c == '-' || *c == '_' || *c == ' ').map(|c| if c == ' ' { '-' } else { c }).collect()
}

fn anchors(page: &Path) -> BTreeSet<String> {
    let text = fs::read_to_string(page).unwrap_or_else(|e| panic!("{}: {e}", page.display()));
    prose(&text).iter().filter_map(|l| l.strip_prefix('#')).map(|h| anchor(h.trim_start_matches('#'))).collect()
}

/// `[label](target)` links of a page's prose (images included).
fn links(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in prose(text) {
        let mut rest = line;
        while let Some(at) = rest.find("](") {
            let after = &rest[at + 2..];
            let Some(end) = after.find(')') else { break };
            found.push(after[..end].to_string());
            rest = &after[end..];
        }
    }
    found
}

#[test]
fn every_relative_link_and_anchor_resolves() {
    let mut broken = Vec::new();
    let mut checked = 0;
    for page in pages() {
        let text = fs::read_to_string(&page).unwrap();
        let dir = page.parent().unwrap_or(Path::new(""));
        for target in links(&text) {
            if target.contains("://") || target.starts_with("mailto:") {
                continue;
            }
            checked += 1;
            let (path, fragment) = target.split_once('#').map_or((target.as_str(), None), |(p, f)| (p, Some(f)));
            let file = if path.is_empty() { page.clone() } else { dir.join(path) };
            if !file.exists() {
                broken.push(format!("{}: {target}: no such file {}", page.display(), file.display()));
                continue;
            }
            if let Some(fragment) = fragment {
                if file.extension().is_some_and(|e| e == "md") && !anchors(&file).contains(fragment) {
                    broken.push(format!("{}: {target}: {} has no heading #{fragment}", page.display(), file.display()));
                }
            }
        }
    }
    assert!(checked > 30, "only {checked} links found: the parser is broken");
    assert!(broken.is_empty(), "broken links:\n{}", broken.join("\n"));
}

#[test]
fn the_checker_sees_a_broken_link() {
    let text = "see [a](docs/nothing.md) and [b](#no-such-heading)\n```\n[not](a-link.md)\n```";
    assert_eq!(links(text), vec!["docs/nothing.md", "#no-such-heading"]);
    assert_eq!(anchor("Workers: the task loop on every core"), "workers-the-task-loop-on-every-core");
}

#[test]
fn every_guide_page_is_reachable_from_the_readme() {
    let readme = fs::read_to_string("README.md").unwrap();
    assert!(links(&readme).iter().any(|l| l == "docs/README.md"), "README links the guide's index");
    let index = fs::read_to_string("docs/README.md").unwrap();
    let listed: BTreeSet<String> = links(&index).into_iter().collect();
    for page in pages().into_iter().skip(1) {
        let name = page.file_name().unwrap().to_string_lossy().to_string();
        if name != "README.md" {
            assert!(listed.contains(&name), "docs/README.md does not list {name}");
        }
    }
}

#[test]
fn the_readme_is_a_front_door() {
    let lines = fs::read_to_string("README.md").unwrap().lines().count();
    assert!(lines <= 300, "README.md has {lines} lines; move detail into docs/");
}
