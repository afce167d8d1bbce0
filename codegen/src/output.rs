//! Writing generated files to disk, for every front end: only files whose
//! content changed are rewritten (so builds that watch mtimes stay quiet),
//! and `check` mode reports what would change without writing. The only
//! generator-side I/O.

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
        let differs = if check {
            std::fs::read(&path).ok().as_deref() != Some(content.as_bytes())
        } else {
            write_if_changed(&path, content.as_bytes())?
        };
        if differs {
            changed.push(PathBuf::from(relative));
        }
    }
    Ok(changed)
}

/// Writes `content` to `path` (creating its directory) unless the file
/// already holds exactly that; returns whether it wrote.
pub fn write_if_changed(path: &Path, content: &[u8]) -> io::Result<bool> {
    if std::fs::read(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    std::fs::write(path, content)?;
    Ok(true)
}
