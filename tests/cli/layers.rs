//! The pipeline's direction, read from the source as a reviewer would:
//! a stage imports no later stage (load → check → publications → write →
//! render → bundle, the commands and the command line on top), the modules
//! below the stages import none of them, and no two modules import each
//! other, directly or round a cycle.

use std::collections::{BTreeMap, BTreeSet};

use crate::support::repo;

/// The stages in the order the pipeline runs them.
const STAGES: [&str; 6] = ["load", "check", "publications", "write", "render", "bundle"];

/// Above every stage: what runs them and what imports into a package.
const ABOVE: [&str; 6] = ["pipeline", "commands", "cli", "scaffold", "docx", "fuzzing"];

/// Below every stage: what the stages share.
const BELOW: [&str; 9] =
    ["limits", "sandbox", "dates", "countries", "diagnostic", "fonts", "output", "interrupt", "testing"];

/// The `crate::` names in `code`, `use crate::{a, b::c}` included.
fn named_modules(code: &str) -> BTreeSet<String> {
    let ident = |text: &str| -> String {
        text.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
    };
    let mut found = BTreeSet::new();
    for (at, _) in code.match_indices("crate::") {
        let rest = &code[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            // Only the first name of each item at the group's top level.
            let (mut depth, mut item_start) = (0, true);
            for (i, c) in group.char_indices() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => item_start = true,
                    c if item_start && !c.is_whitespace() => {
                        found.insert(ident(&group[i..]));
                        item_start = false;
                    }
                    _ => {}
                }
            }
        } else {
            found.insert(ident(rest));
        }
    }
    found.retain(|name| !name.is_empty() && name != "self");
    found
}

/// Which modules each top-level module of `src/` imports (code only: a
/// file's tests after `#[cfg(test)]`, and the test-only files, are not).
fn import_graph() -> BTreeMap<String, BTreeSet<String>> {
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
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in all {
        let relative = file.strip_prefix(&src).unwrap();
        let module =
            relative.components().next().unwrap().as_os_str().to_string_lossy().trim_end_matches(".rs").to_string();
        let test_only = file.file_stem().is_some_and(|s| s == "tests") || module == "testing";
        if ["lib", "main"].contains(&module.as_str()) || test_only {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap();
        let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
        // Comments name modules without importing them.
        let code: String =
            code.lines().filter(|line| !line.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n");
        let imports = graph.entry(module.clone()).or_default();
        imports.extend(named_modules(&code).into_iter().filter(|name| *name != module));
    }
    graph
}

#[test]
fn the_import_reader_sees_grouped_and_nested_imports() {
    let code = "use crate::{load::{self, Package}, output::FileKind};\nlet x = crate::dates::Date::today();";
    let found: Vec<String> = named_modules(code).into_iter().collect();
    assert_eq!(found, ["dates", "load", "output"]);
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
    let graph = import_graph();
    // Depth-first search from every module, keeping the path to report it.
    fn visit<'a>(
        module: &'a str,
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<&'a str>,
        done: &mut BTreeSet<&'a str>,
    ) {
        if let Some(at) = path.iter().position(|m| *m == module) {
            panic!("an import cycle: {} -> {module}", path[at..].join(" -> "));
        }
        if !done.insert(module) {
            return;
        }
        path.push(module);
        for next in graph.get(module).into_iter().flatten() {
            visit(next, graph, path, done);
        }
        path.pop();
    }
    let mut done = BTreeSet::new();
    for module in graph.keys() {
        visit(module, &graph, &mut Vec::new(), &mut done);
    }
}
