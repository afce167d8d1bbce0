//! Smithy's IDL conformance corpus (`idl-conformance/` in Smithy's repository).
//!
//! * valid: the model of `X.smithy` + `__shared.json` must equal the model of
//!   `X.json` + `__shared.json` (compared as canonical JSON AST); `.smithy`
//!   files without a `.json` pair must load without errors.
//! * invalid: every file must produce at least one error. For files whose
//!   first line names a `Syntax error at line L, column C`, the line of our
//!   first error is compared and counted.
//!
//! The corpus is read from `$TINSMITH_SMITHY_DIR/idl-conformance` (default
//! `../../shared/smithy` relative to this crate). When absent the tests print
//! a loud notice and pass without checking anything.

use std::path::{Path, PathBuf};

use tinsmith::Loader;

fn corpus() -> Option<PathBuf> {
    let base = std::env::var_os("TINSMITH_SMITHY_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/smithy"));
    let dir = base.join("idl-conformance");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!(
            "\n!!!! SKIPPED: Smithy IDL conformance corpus not found at {} (set TINSMITH_SMITHY_DIR) !!!!\n",
            dir.display()
        );
        None
    }
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().and_then(|e| e.to_str()) == Some(ext) {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn canonical(paths: &[&Path]) -> Result<serde_json::Value, String> {
    let loaded = paths.iter().fold(Loader::new(), |l, p| l.path(p)).load();
    if loaded.has_errors() {
        return Err(tinsmith::diagnostics::render(
            &loaded.sources,
            &loaded.diagnostics,
            Default::default(),
            false,
        ));
    }
    Ok(tinsmith::json_ast::to_json(&loaded.model))
}

#[test]
fn valid_models_match_their_json_ast() {
    let Some(dir) = corpus() else { return };
    let valid = dir.join("valid");
    let shared = valid.join("__shared.json");
    let (mut pairs, mut pairs_ok, mut singles, mut singles_ok) = (0, 0, 0, 0);
    let mut failures = Vec::new();
    for idl in files(&valid, "smithy") {
        let json = idl.with_extension("json");
        if json.exists() {
            pairs += 1;
            match (canonical(&[&idl, &shared]), canonical(&[&json, &shared])) {
                (Ok(a), Ok(b)) if a == b => pairs_ok += 1,
                (Ok(a), Ok(b)) => failures.push(format!(
                    "{}: models differ\n--- idl\n{}\n--- json\n{}",
                    idl.display(),
                    serde_json::to_string_pretty(&a).unwrap(),
                    serde_json::to_string_pretty(&b).unwrap()
                )),
                (Err(e), _) => failures.push(format!("{}: {e}", idl.display())),
                (_, Err(e)) => failures.push(format!("{}: {e}", json.display())),
            }
        } else {
            singles += 1;
            match canonical(&[&idl, &shared]) {
                Ok(_) => singles_ok += 1,
                Err(e) => failures.push(format!("{}: {e}", idl.display())),
            }
        }
    }
    println!(
        "idl-conformance valid: pairs {pairs_ok}/{pairs} equal, unpaired {singles_ok}/{singles} loaded"
    );
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn invalid_models_are_rejected() {
    let Some(dir) = corpus() else { return };
    let (mut total, mut rejected, mut with_pos, mut line_ok, mut col_ok) = (0, 0, 0, 0, 0);
    let mut accepted = Vec::new();
    let mut misplaced = Vec::new();
    for file in files(&dir.join("invalid"), "smithy") {
        total += 1;
        let text = std::fs::read_to_string(&file).unwrap();
        let expected = text.lines().next().unwrap_or_default().to_owned();
        let loaded = Loader::new().path(&file).load();
        let Some(first) = loaded.diagnostics.iter().find(|d| d.is_error()) else {
            accepted.push(format!("{}  ({expected})", file.display()));
            continue;
        };
        rejected += 1;
        if let Some((line, col)) = expected_position(&expected) {
            with_pos += 1;
            let got = first.span.map(|s| loaded.sources.line_col(s));
            if got.map(|g| g.0) == Some(line) {
                line_ok += 1;
                if got.map(|g| g.1) == Some(col) {
                    col_ok += 1;
                }
            } else {
                misplaced.push(format!(
                    "{}: expected {line}:{col}, got {:?}: {}",
                    file.display(),
                    got,
                    tinsmith::diagnostics::render_short(&loaded.sources, first)
                ));
            }
        }
    }
    println!(
        "idl-conformance invalid: {rejected}/{total} rejected; syntax errors with a position: {with_pos}, \
         same line {line_ok}, same line and column {col_ok}"
    );
    if !misplaced.is_empty() {
        println!("first error on another line:\n  {}", misplaced.join("\n  "));
    }
    assert!(
        accepted.is_empty(),
        "{} invalid files accepted:\n{}",
        accepted.len(),
        accepted.join("\n")
    );
}

fn expected_position(first_line: &str) -> Option<(usize, usize)> {
    let rest = first_line.split("Syntax error at line ").nth(1)?;
    let (line, rest) = rest.split_once(", column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, col.parse().ok()?))
}
