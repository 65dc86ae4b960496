//! The pipeline's direction: a stage imports no later stage (load → check
//! → publications → render → bundle, the commands on top), and the modules
//! below the stages (limits, sandbox, dates, countries, diagnostic, fonts)
//! import none of them. Read from the source, as a reviewer would.

use crate::support::repo;

/// Every `crate::module` a source file or folder of `src/` names.
fn imports(module: &str) -> std::collections::BTreeSet<String> {
    let src = repo().join("src");
    let mut files = Vec::new();
    let file = src.join(format!("{module}.rs"));
    if file.is_file() {
        files.push(file);
    }
    if let Ok(entries) = std::fs::read_dir(src.join(module)) {
        files.extend(entries.flatten().map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "rs")));
    }
    assert!(!files.is_empty(), "src/{module} exists");
    let mut found = std::collections::BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        // Only the code, not the tests at the end of a file.
        let code = text.split("#[cfg(test)]").next().unwrap_or(&text);
        for (at, _) in code.match_indices("crate::") {
            let name: String = code[at + 7..].chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !name.is_empty() {
                found.insert(name);
            }
        }
    }
    found
}

#[test]
fn no_stage_imports_a_later_one() {
    let above_all = ["commands", "cli", "pipeline", "scaffold", "docx"];
    let later = |stage: &str| -> Vec<&str> {
        let order = ["load", "check", "publications", "render", "bundle"];
        let position = order.iter().position(|s| *s == stage).unwrap();
        order[position + 1..].iter().copied().chain(above_all).collect()
    };
    for stage in ["load", "check"] {
        let imported = imports(stage);
        for forbidden in later(stage) {
            assert!(!imported.contains(forbidden), "src/{stage} imports the later module {forbidden}");
        }
    }
    for below in ["limits", "sandbox", "dates", "countries", "diagnostic"] {
        let imported = imports(below);
        for stage in ["load", "check", "publications", "render", "bundle"].into_iter().chain(above_all) {
            assert!(!imported.contains(stage), "src/{below}.rs, below the stages, imports {stage}");
        }
    }
}
