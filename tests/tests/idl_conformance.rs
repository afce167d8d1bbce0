//! Smithy's IDL conformance corpus (`idl-conformance/` in Smithy's repository).
//!
//! * valid: the model of `X.smithy` + `__shared.json` must equal the model of
//!   `X.json` + `__shared.json` (compared as canonical JSON AST); `.smithy`
//!   files without a `.json` pair must load without errors.
//! * every valid model, and the protocol test models and ours, round-trips
//!   through the JSON AST writer: reading what it writes gives the same model.
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

/// The parts of a shape a model defines, leaving out where they were read.
fn same_traits(a: &tinsmith::model::Traits, b: &tinsmith::model::Traits) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((ia, ta), (ib, tb))| ia == ib && ta.value == tb.value)
}

fn same_shape(a: &tinsmith::model::Shape, b: &tinsmith::model::Shape) -> bool {
    a.id == b.id
        && a.ty == b.ty
        && a.mixins == b.mixins
        && a.properties == b.properties
        && same_traits(&a.traits, &b.traits)
        && a.members.len() == b.members.len()
        && a.members.values().zip(b.members.values()).all(|(ma, mb)| {
            ma.id == mb.id && ma.target == mb.target && same_traits(&ma.traits, &mb.traits)
        })
}

/// Writes `loaded`'s model as JSON AST and reads that back: every shape,
/// built-in ones included (flattened members and traits, mixins,
/// properties), and the metadata must be the same, and writing it again
/// must give the same text.
fn round_trip(name: &str, loaded: &tinsmith::Loaded) -> Result<(), String> {
    let written = tinsmith::json_ast::to_string(&loaded.model);
    let again = Loader::new()
        .source("written.json", written.as_str())
        .load();
    if again.has_errors() {
        let errors = tinsmith::diagnostics::render(
            &again.sources,
            &again.diagnostics,
            Default::default(),
            false,
        );
        return Err(format!(
            "{name}: the written JSON AST does not load:\n{errors}"
        ));
    }
    let (a, b) = (&loaded.model, &again.model);
    if a.metadata != b.metadata {
        return Err(format!(
            "{name}: reading the JSON AST back changes the metadata"
        ));
    }
    // A load holds the built-in namespaces its files name, and an IDL file
    // names every one it mentions, in documentation too: the first model
    // may hold built-in namespaces the second has no shape of, and nothing
    // else.
    let namespaces_of_b: std::collections::HashSet<&str> =
        b.shapes.keys().map(|id| id.namespace()).collect();
    let only_in_a = |s: &&std::sync::Arc<tinsmith::model::Shape>| {
        b.shape(&s.id).is_none()
            && s.span.is_builtin()
            && !namespaces_of_b.contains(s.id.namespace())
    };
    if b.shapes.keys().any(|id| a.shape(id).is_none())
        || a.shapes.values().filter(|s| !only_in_a(s)).count() != b.shapes.len()
    {
        return Err(format!(
            "{name}: reading the JSON AST back changes the shapes"
        ));
    }
    if let Some(s) = a
        .shapes
        .values()
        .filter(|s| !only_in_a(s))
        .find(|s| !b.shape(&s.id).is_some_and(|t| same_shape(s, t)))
    {
        return Err(format!(
            "{name}: reading the JSON AST back changes `{}`:\n{s:#?}\n{:#?}",
            s.id,
            b.shape(&s.id)
        ));
    }
    let rewritten = tinsmith::json_ast::to_string(&again.model);
    if written != rewritten {
        let line = written
            .lines()
            .zip(rewritten.lines())
            .position(|(a, b)| a != b)
            .unwrap_or(0);
        return Err(format!(
            "{name}: reading the JSON AST back changes the model (first difference at line {})",
            line + 1
        ));
    }
    Ok(())
}

#[test]
fn models_round_trip_through_the_json_ast() {
    let Some(dir) = corpus() else { return };
    let valid = dir.join("valid");
    let shared = valid.join("__shared.json");
    let mut inputs: Vec<(String, Vec<PathBuf>)> = files(&valid, "smithy")
        .into_iter()
        .chain(files(&valid, "json").into_iter().filter(|f| *f != shared))
        .map(|f| (f.display().to_string(), vec![f, shared.clone()]))
        .collect();
    let protocol_tests = dir.join("../protocol-tests");
    for suite in ["smithy-protocol-tests", "smithy-aws-protocol-tests"] {
        let model = protocol_tests.join(suite).join("model");
        inputs.push((model.display().to_string(), vec![model]));
    }
    let ours = Path::new(env!("CARGO_MANIFEST_DIR")).join("../models");
    for entry in std::fs::read_dir(&ours).unwrap().flatten() {
        inputs.push((entry.path().display().to_string(), vec![entry.path()]));
    }
    let (mut checked, mut with_mixins) = (0, 0);
    let mut failures = Vec::new();
    for (name, paths) in &inputs {
        let loaded = paths.iter().fold(Loader::new(), |l, p| l.path(p)).load();
        if loaded.has_errors() {
            continue;
        }
        checked += 1;
        if loaded.model.user_shapes().any(|s| !s.mixins.is_empty()) {
            with_mixins += 1;
        }
        if let Err(e) = round_trip(name, &loaded) {
            failures.push(e);
        }
    }
    println!("JSON AST round trip: {checked} models ({with_mixins} with mixins)");
    assert!(checked > 100 && with_mixins > 10, "too few models checked");
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

fn expected_position(first_line: &str) -> Option<(usize, usize)> {
    let rest = first_line.split("Syntax error at line ").nth(1)?;
    let (line, rest) = rest.split_once(", column ")?;
    let col: String = rest.chars().take_while(char::is_ascii_digit).collect();
    Some((line.parse().ok()?, col.parse().ok()?))
}
