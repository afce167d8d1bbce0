//! Writes random models: `random-model OUT_DIR FIRST_SEED COUNT` writes
//! `OUT_DIR/m<seed>.smithy` for `COUNT` seeds from `FIRST_SEED`, each a
//! service in the namespace `random.m<seed>`.

use std::process::ExitCode;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [out, first, count] = args.as_slice() else {
        eprintln!("usage: random-model OUT_DIR FIRST_SEED COUNT");
        return ExitCode::from(2);
    };
    let (Ok(first), Ok(count)) = (first.parse::<u64>(), count.parse::<u64>()) else {
        eprintln!("FIRST_SEED and COUNT are numbers");
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::create_dir_all(out) {
        eprintln!("{out}: {e}");
        return ExitCode::FAILURE;
    }
    for seed in first..first.saturating_add(count) {
        let path = std::path::Path::new(out).join(format!("m{seed}.smithy"));
        let text = tinsmith_random_models::model(seed, &format!("random.m{seed}"));
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("{}: {e}", path.display());
            return ExitCode::FAILURE;
        }
    }
    ExitCode::SUCCESS
}
