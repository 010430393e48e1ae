//! docs/lua-api.md's reference is generated from scripts/lib/batt_api.lua (the annotated
//! file a Lua language server reads), so the two cannot drift: every function with its
//! signature (parameter and return types from the annotations), what it does, and its
//! example (tests/api_examples.rs runs each). `BATT_UPDATE_DOCS=1 cargo test --test
//! api_reference` rewrites the block.

use std::fs;

/// The type at the start of an annotation's text (`fun(input: Grid): Grid`, `{ops: string[]}`,
/// `integer[]?`): up to the first space outside brackets, a function type's `: T` included.
fn first_type(text: &str) -> &str {
    let mut depth = 0i32;
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'(' | b'{' | b'[' | b'<' => depth += 1,
            b')' | b'}' | b']' | b'>' => depth -= 1,
            b':' if depth == 0 && bytes.get(i + 1) == Some(&b' ') => i += 1,
            b' ' if depth == 0 => return &text[..i],
            _ => {}
        }
        i += 1;
    }
    text
}

/// The reference as markdown, from the annotated API file.
fn reference(api: &str) -> String {
    let mut out = String::new();
    let mut block: Vec<&str> = Vec::new();
    for line in api.lines() {
        if let Some(comment) = line.strip_prefix("---") {
            block.push(comment);
            continue;
        }
        if let Some(rest) = line.strip_prefix("function ") {
            let (name, params) = rest.split_once('(').expect("function NAME(PARAMS) end");
            let params: Vec<&str> = params.split_once(')').expect("closing parenthesis").0.split(',').map(str::trim).filter(|p| !p.is_empty()).collect();
            let typed = |p: &str| block.iter().find_map(|l| l.strip_prefix("@param ").and_then(|d| d.strip_prefix(p)).and_then(|d| d.strip_prefix(' '))).map(first_type);
            let signature: Vec<String> = params.iter().map(|p| typed(p).map_or(p.to_string(), |t| format!("{p}: {t}"))).collect();
            let returns: Vec<&str> = block.iter().filter_map(|l| l.strip_prefix("@return ")).collect();
            let arrow = if returns.is_empty() { String::new() } else { format!(" → {}", returns.join("; ")) };
            let text: Vec<&str> = block.iter().filter(|l| !l.starts_with('@')).map(|l| l.trim()).collect();
            let (example, said): (Vec<&str>, Vec<&str>) = text.iter().partition(|l| l.starts_with("e.g. "));
            out.push_str(&format!("- **`{name}({})`**{arrow}", signature.join(", ")));
            if !said.is_empty() {
                out.push_str(&format!(": {}", said.join(" ")));
            }
            for e in example {
                // after a bare return type, a full stop ends it before the example
                let stop = if said.is_empty() { "." } else { "" };
                out.push_str(&format!("{stop} Example: `{}`", e.trim_start_matches("e.g. ")));
            }
            out.push('\n');
        }
        block.clear();
    }
    out
}

#[test]
fn the_lua_api_reference_is_generated_from_batt_api_lua() {
    let api = fs::read_to_string("scripts/lib/batt_api.lua").unwrap();
    let generated = reference(&api);
    assert!(generated.lines().count() >= 40, "one line per function:\n{generated}");
    assert!(generated.contains("- **`batt.grid(rows: integer[][])`** → Grid: A grid from rows of colours"), "{generated}");
    let path = "docs/lua-api.md";
    let doc = fs::read_to_string(path).unwrap();
    let begin = doc.find("<!-- api-reference:begin").expect("docs/lua-api.md has the api-reference:begin marker");
    let body_start = begin + doc[begin..].find('\n').unwrap() + 1;
    let end = doc.find("<!-- api-reference:end -->").expect("docs/lua-api.md has the api-reference:end marker");
    if std::env::var_os("BATT_UPDATE_DOCS").is_some() {
        fs::write(path, format!("{}{generated}{}", &doc[..body_start], &doc[end..])).unwrap();
        return;
    }
    assert_eq!(&doc[body_start..end], generated, "docs/lua-api.md's reference is stale: run `BATT_UPDATE_DOCS=1 cargo test --release --test api_reference`");
}
