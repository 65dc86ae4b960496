//! The pipeline's direction, read from the source as a reviewer would:
//! a stage imports no later stage (load → check → publications → write →
//! render → bundle, the commands and the command line on top), the modules
//! below the stages import none of them, and no two modules import each
//! other, directly or round a cycle. Inside the stages too: no publication
//! kind imports another, no writer another, no cycle inside a folder. The
//! reader follows `crate::`, `super::` and `self::` paths through every
//! line that is not a comment or a test module. And no function runs past
//! 80 lines.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::repo;

/// The stages in the order the pipeline runs them.
const STAGES: [&str; 6] = ["load", "check", "publications", "write", "render", "bundle"];

/// Above every stage: what runs them and what imports into a package.
const ABOVE: [&str; 6] = ["pipeline", "commands", "cli", "scaffold", "docx", "fuzzing"];

/// Below every stage: what the stages share.
const BELOW: [&str; 10] =
    ["limits", "sandbox", "dates", "countries", "diagnostic", "fonts", "output", "interrupt", "testing", "numbers"];

/// The publication kinds inside `publications/`: each imports the shared
/// parts, never another kind.
const KINDS: [&str; 10] = [
    "annex",
    "bulletin",
    "changes",
    "compilation",
    "flash",
    "inform",
    "national",
    "situational",
    "summary_cs",
    "synthesis",
];

/// The writers inside `write/`: each maps the plan to its format alone.
const WRITERS: [&str; 3] = ["typst", "html", "word"];

/// Every module of `src/` by its path (`publications::flow`), with its
/// code: test modules (`#[cfg(test)] mod … { … }`, test-only files) and
/// comments left out.
fn modules() -> BTreeMap<String, String> {
    fn files(dir: &std::path::Path, into: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                files(&path, into);
            } else if path.extension().is_some_and(|e| e == "rs") {
                into.push(path);
            }
        }
    }
    let src = repo().join("src");
    let mut all = Vec::new();
    files(&src, &mut all);
    let mut modules = BTreeMap::new();
    for file in all {
        let relative = file.strip_prefix(&src).unwrap().with_extension("");
        let mut parts: Vec<String> =
            relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
        if parts.last().is_some_and(|last| last == "mod") {
            parts.pop();
        }
        let test_only = parts.last().is_some_and(|last| last == "tests") || parts[0] == "testing";
        if ["lib", "main"].contains(&parts[0].as_str()) || test_only {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        modules.insert(parts.join("::"), code_only(&text));
    }
    modules
}

/// `text` without its comments and its `#[cfg(test)]` items (a test
/// module is skipped to its closing brace; the code after it is read).
fn code_only(text: &str) -> String {
    let mut code = String::new();
    let mut lines = text.lines();
    while let Some(line) = lines.next() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            // The item under it: to the end of its braces (or its `;`).
            let mut depth = 0i32;
            for item in lines.by_ref() {
                depth += item.matches('{').count() as i32 - item.matches('}').count() as i32;
                if depth <= 0 && (item.contains('}') || item.trim_end().ends_with(';')) {
                    break;
                }
            }
            continue;
        }
        if !trimmed.starts_with("//") {
            code.push_str(line);
            code.push('\n');
        }
    }
    code
}

/// The paths `code` names from the crate's root or relative to its module
/// (`crate::a::b`, `super::c`, `self::d`, `use super::{e, f::g}`), each as
/// written from its first segment.
fn named_paths(code: &str) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let is_ident = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for root in ["crate::", "super::", "self::"] {
        for (at, _) in code.match_indices(root) {
            if code[..at].chars().next_back().is_some_and(|c| is_ident(c) || c == ':') {
                continue; // inside a longer path (`super::super::`, `a::self::`)
            }
            let mut path = String::new();
            let mut rest = &code[at..];
            // The segments: `super::super::x::y`.
            loop {
                let segment: String = rest.chars().take_while(|c| is_ident(*c)).collect();
                if segment.is_empty() {
                    break;
                }
                path.push_str(&segment);
                rest = &rest[segment.len()..];
                match rest.strip_prefix("::") {
                    Some(after) => {
                        path.push_str("::");
                        rest = after;
                    }
                    None => break,
                }
            }
            if let Some(group) = rest.strip_prefix('{') {
                // Each item at the group's top level.
                let (mut depth, mut item) = (0, String::new());
                for c in group.chars() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => break,
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            found.insert(format!("{path}{}", item.trim()));
                            item.clear();
                            continue;
                        }
                        _ => {}
                    }
                    if depth == 0 {
                        item.push(c);
                    }
                }
                found.insert(format!("{path}{}", item.trim()));
            } else {
                found.insert(path.trim_end_matches("::").to_string());
            }
        }
    }
    found.retain(|path| !path.ends_with("::") && path.contains("::"));
    found
}

/// The module `path`, written in `module`, names: the longest module of
/// `known` it reaches (`super::flow::Flow` in `publications::document` is
/// `publications::flow`).
fn resolve(module: &str, path: &str, known: &BTreeMap<String, String>) -> Option<String> {
    let mut segments: Vec<&str> = path.split("::").collect();
    let mut base: Vec<&str> = Vec::new();
    match segments[0] {
        "crate" => {
            segments.remove(0);
        }
        "self" => {
            base = module.split("::").collect();
            segments.remove(0);
        }
        _ => {
            base = module.split("::").collect();
            while segments.first() == Some(&"super") {
                base.pop();
                segments.remove(0);
            }
        }
    }
    let full: Vec<&str> =
        base.into_iter().chain(segments.into_iter().map(|s| s.split_whitespace().next().unwrap_or(s))).collect();
    (1..=full.len()).rev().map(|n| full[..n].join("::")).find(|candidate| known.contains_key(candidate))
}

/// Which modules each module of `src/` imports, by path (code only).
fn module_graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let mut graph = BTreeMap::new();
    for (module, code) in &modules {
        let imports: BTreeSet<String> = named_paths(code)
            .iter()
            .filter_map(|path| resolve(module, path, &modules))
            .filter(|target| target != module)
            .collect();
        graph.insert(module.clone(), imports);
    }
    graph
}

/// Which modules each top-level module of `src/` imports.
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
    let top = |module: &str| module.split("::").next().unwrap_or(module).to_string();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, imports) in module_graph() {
        let own = top(&module);
        let entry = graph.entry(own.clone()).or_default();
        entry.extend(imports.iter().map(|m| top(m)).filter(|m| *m != own));
    }
    graph
}

#[test]
fn the_import_reader_sees_grouped_nested_and_relative_imports() {
    let code = "use crate::{load::{self, Package}, output::FileKind};\nlet x = crate::dates::Date::today();\n\
                use super::{flow::Flow, words};\nlet y = super::super::limits::MAX;";
    let found: Vec<String> = named_paths(code).into_iter().collect();
    let mut known = BTreeMap::new();
    for module in ["load", "output", "dates", "limits", "publications", "publications::flow", "publications::words"] {
        known.insert(module.to_string(), String::new());
    }
    let resolved: BTreeSet<String> =
        found.iter().filter_map(|path| resolve("publications::document", path, &known)).collect();
    let expected = ["dates", "limits", "load", "output", "publications::flow", "publications::words"];
    assert_eq!(resolved.iter().map(String::as_str).collect::<Vec<_>>(), expected);
    let tests =
        "fn a() {}\n#[cfg(test)]\nmod tests {\n    use crate::cli;\n    fn b() {}\n}\nfn c() { crate::dates::x(); }\n";
    assert!(
        !code_only(tests).contains("crate::cli") && code_only(tests).contains("crate::dates"),
        "code after a test module is read"
    );
}

#[test]
fn every_module_is_placed_in_the_layers() {
    let graph = import_graph();
    for module in graph.keys() {
        let placed =
            STAGES.contains(&module.as_str()) || ABOVE.contains(&module.as_str()) || BELOW.contains(&module.as_str());
        assert!(placed, "src/{module} is in no layer: add it to STAGES, ABOVE or BELOW of this test");
    }
    assert!(graph.contains_key("write") && graph.contains_key("output"), "the graph is read: {graph:?}");
}

#[test]
fn no_stage_imports_a_later_one() {
    let graph = import_graph();
    for (position, stage) in STAGES.iter().enumerate() {
        let imported = &graph[*stage];
        for later in STAGES[position + 1..].iter().chain(ABOVE.iter()) {
            assert!(!imported.contains(*later), "src/{stage} imports the later module {later}: {imported:?}");
        }
    }
    for below in BELOW.iter().filter(|m| graph.contains_key(**m)) {
        let imported = &graph[*below];
        for module in STAGES.iter().chain(ABOVE.iter()) {
            assert!(!imported.contains(*module), "src/{below}, below the stages, imports {module}");
        }
    }
    // `check` reads only what `load` made (and what is below the stages).
    let check: Vec<&String> = graph["check"].iter().filter(|m| STAGES.contains(&m.as_str())).collect();
    assert_eq!(check, ["load"], "the stages check imports");
    // Commands own no clap types: only the command line knows clap.
    for (module, _) in graph.iter().filter(|(m, _)| m.as_str() != "cli") {
        assert!(!graph[module].contains("cli"), "src/{module} imports the command line");
    }
}

#[test]
fn no_modules_import_each_other_round_a_cycle() {
    if let Some(cycle) = find_cycle(&import_graph()) {
        panic!("an import cycle: {cycle}");
    }
}

/// The modules directly inside `parent` (`publications::flow`), by name.
fn children<'a>(graph: &'a BTreeMap<String, BTreeSet<String>>, parent: &str) -> Vec<&'a str> {
    graph
        .keys()
        .filter_map(|module| module.strip_prefix(parent)?.strip_prefix("::"))
        .filter(|name| !name.contains("::"))
        .collect()
}

/// The child of `parent` that `module` is or is inside (`write::html::index` → `html`).
fn child_of<'a>(module: &'a str, parent: &str) -> Option<&'a str> {
    module.strip_prefix(parent)?.strip_prefix("::")?.split("::").next()
}

#[test]
fn no_publication_kind_imports_another_and_no_shared_part_imports_a_kind() {
    let graph = module_graph();
    let placed = children(&graph, "publications");
    assert!(placed.contains(&"flow") && placed.contains(&"national"), "the modules are read: {placed:?}");
    for name in &placed {
        let module = format!("publications::{name}");
        let kinds: Vec<&str> = graph[&module]
            .iter()
            .filter_map(|target| child_of(target, "publications"))
            .filter(|target| KINDS.contains(target) && target != name)
            .collect();
        assert!(kinds.is_empty(), "{module} imports the publication kinds {kinds:?}");
    }
    for kind in KINDS {
        assert!(placed.contains(&kind), "publications::{kind} is listed but not found");
    }
}

#[test]
fn no_writer_imports_another() {
    let graph = module_graph();
    let placed = children(&graph, "write");
    for writer in WRITERS {
        assert!(placed.contains(&writer), "write::{writer} is read: {placed:?}");
    }
    for (module, imports) in graph.iter().filter(|(m, _)| child_of(m, "write").is_some()) {
        let own = child_of(module, "write").unwrap();
        let others: Vec<&String> = imports
            .iter()
            .filter(|target| child_of(target, "write").is_some_and(|w| w != own && WRITERS.contains(&w)))
            .collect();
        assert!(others.is_empty(), "{module} imports the writers {others:?}");
    }
}

/// Inside a folder of `src/`, no two modules import each other round a
/// cycle (a module's parent, which lists it and shares helpers with its
/// children, aside).
#[test]
fn no_modules_inside_a_stage_import_each_other_round_a_cycle() {
    let graph = module_graph();
    for parent in ["publications", "write", "load", "check", "pipeline", "commands", "render", "bundle"] {
        let inside: BTreeMap<String, BTreeSet<String>> = graph
            .iter()
            .filter_map(|(module, imports)| {
                let own = child_of(module, parent)?;
                let targets = imports.iter().filter_map(|t| child_of(t, parent)).filter(|t| *t != own);
                Some((own.to_string(), targets.map(str::to_string).collect()))
            })
            .fold(BTreeMap::new(), |mut merged, (own, targets): (String, BTreeSet<String>)| {
                merged.entry(own).or_insert_with(BTreeSet::new).extend(targets);
                merged
            });
        if let Some(cycle) = find_cycle(&inside) {
            panic!("an import cycle inside src/{parent}: {cycle}");
        }
    }
}

/// A cycle of `graph`, as "a -> b -> a", if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    fn visit<'a>(
        module: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) -> Option<String> {
        if let Some(at) = path.iter().position(|m| *m == module) {
            return Some(format!("{} -> {module}", path[at..].join(" -> ")));
        }
        if !done.insert(module) {
            return None;
        }
        path.push(module);
        for next in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

/// What a reviewer reads in one go: no function of `src/` runs past 80
/// lines (from its `fn` to its closing brace).
#[test]
fn no_function_in_src_is_over_80_lines() {
    let mut long = Vec::new();
    for (module, code) in modules() {
        let lines: Vec<&str> = code.lines().collect();
        for (at, line) in lines.iter().enumerate() {
            let trimmed = line.trim_start();
            let signature = ["fn ", "pub fn ", "pub(crate) fn ", "pub(super) fn ", "const fn ", "pub const fn "]
                .iter()
                .any(|start| trimmed.starts_with(start));
            if !signature {
                continue;
            }
            let indent = &line[..line.len() - trimmed.len()];
            let closing = format!("{indent}}}");
            if let Some(end) = lines[at + 1..].iter().position(|l| *l == closing) {
                let length = end + 2;
                let name: String = trimmed
                    .split("fn ")
                    .nth(1)
                    .unwrap_or("")
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if length > 80 {
                    long.push(format!("{module}::{name} ({length} lines)"));
                }
            }
        }
    }
    assert!(long.is_empty(), "functions over 80 lines: {long:?}");
}
