//! Peak resident set of this process, for the memory benches (Linux
//! `VmHWM`; reported as unavailable elsewhere).

/// The peak resident set in KiB.
pub fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Prints the peak resident set so far, after `what`.
pub fn report(what: &str) {
    match peak_rss_kib() {
        Some(kib) => println!("{what}: peak RSS {:.1} MiB", kib as f64 / 1024.0),
        None => println!("{what}: peak RSS unavailable (no /proc/self/status)"),
    }
}
