//! Writing a generated crate to disk: only files whose content changed are
//! rewritten (so builds that watch mtimes stay quiet), and `check` mode
//! reports what would change without writing.

use std::io;
use std::path::{Path, PathBuf};

use crate::rust::GeneratedCrate;

/// Writes (or, with `check`, compares) every file of `generated` under
/// `root`. Returns the relative paths that changed or would change.
pub fn write_crate(
    root: &Path,
    generated: &GeneratedCrate,
    check: bool,
) -> io::Result<Vec<PathBuf>> {
    let mut changed = Vec::new();
    for (relative, content) in &generated.files {
        let path = root.join(relative);
        let current = std::fs::read(&path).ok();
        if current.as_deref() == Some(content.as_bytes()) {
            continue;
        }
        changed.push(PathBuf::from(relative));
        if !check {
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&path, content)?;
        }
    }
    Ok(changed)
}
