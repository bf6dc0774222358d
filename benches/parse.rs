//! Feed parsing speed: every feed file under a folder (by default the 10k corpus of
//! `../shared/bench/gen_corpus.py`, generated into /tmp/corpus10k when missing) read into memory,
//! then parsed to articles with `parse_feed` on one core, several rounds; prints MB/s per round
//! and the best, per format and overall. The bodies stay unrendered, as at load time.
//!
//! `cargo bench --bench parse` or `cargo bench --bench parse -- DIR [ROUNDS]`.

use chrono::Utc;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Instant;
use tidings::sources::feed::{FeedContext, parse_feed};

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return;
    };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            files(&p, out);
        } else if matches!(
            p.extension().and_then(|e| e.to_str()),
            Some("xml" | "json" | "rss" | "atom")
        ) {
            out.push(p);
        }
    }
}

fn corpus(args: &[String]) -> PathBuf {
    if let Some(d) = args.first() {
        return PathBuf::from(d);
    }
    let dir = PathBuf::from("/tmp/corpus10k");
    if !dir.join("feeds").exists() {
        let gen_script =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/bench/gen_corpus.py");
        let status = std::process::Command::new("python3")
            .arg(gen_script)
            .args(["--out", "/tmp/corpus10k", "--items", "10000", "--seed", "1"])
            .stdout(std::process::Stdio::null())
            .status();
        assert!(
            status.is_ok_and(|s| s.success()),
            "could not generate the corpus"
        );
    }
    dir.join("feeds")
}

/// This process's CPU time (user + system) in seconds, from /proc (Linux): a measure that other
/// work on a busy machine disturbs less than the wall clock.
fn cpu_seconds() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let f: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| f.get(i).and_then(|v| v.parse::<f64>().ok()).unwrap_or(0.0);
    // Fields 14 and 15 of the file (utime, stime), counted after the command name.
    (ticks(11) + ticks(12)) / 100.0
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let dir = corpus(&args);
    let rounds: usize = args.get(1).and_then(|r| r.parse().ok()).unwrap_or(5);
    let mut paths = Vec::new();
    files(&dir, &mut paths);
    paths.sort();
    let docs: Vec<(String, Vec<u8>)> = paths
        .iter()
        .map(|p| {
            let kind = p
                .extension()
                .and_then(|e| e.to_str())
                .unwrap_or("")
                .to_string();
            (kind, std::fs::read(p).expect("reads"))
        })
        .collect();
    let total: usize = docs.iter().map(|d| d.1.len()).sum();
    println!(
        "{} feed files, {:.1} MB, from {}",
        docs.len(),
        total as f64 / 1e6,
        dir.display()
    );
    let ctx = FeedContext {
        key: "bench".into(),
        url: Some("https://example.com/feed.xml".into()),
        fallback_date: Utc::now(),
        default_source: "bench".into(),
    };
    let mut best = f64::MAX;
    let mut best_cpu = f64::MAX;
    let mut by_kind: std::collections::BTreeMap<String, (usize, f64)> = Default::default();
    let mut items = 0;
    for round in 0..rounds {
        let start = Instant::now();
        let cpu_start = cpu_seconds();
        items = 0;
        let mut kinds: std::collections::BTreeMap<String, (usize, f64)> = Default::default();
        for (kind, bytes) in &docs {
            let t = Instant::now();
            let parsed = parse_feed(black_box(bytes), &ctx);
            let dt = t.elapsed().as_secs_f64();
            items += parsed.map_or(0, |p| p.articles.len());
            let k = kinds.entry(kind.clone()).or_default();
            k.0 += bytes.len();
            k.1 += dt;
        }
        let secs = start.elapsed().as_secs_f64();
        let cpu = cpu_seconds() - cpu_start;
        println!(
            "round {}: {:.3} s, {:.0} MB/s ({:.2} s CPU), {items} items",
            round + 1,
            secs,
            total as f64 / 1e6 / secs,
            cpu
        );
        best_cpu = best_cpu.min(cpu);
        if secs < best {
            best = secs;
            by_kind = kinds;
        }
    }
    for (kind, (bytes, secs)) in &by_kind {
        println!("  {kind:5} {:.0} MB/s", *bytes as f64 / 1e6 / secs);
    }
    println!(
        "best: {:.3} s, {:.0} MB/s wall; {:.2} s, {:.0} MB/s CPU ({items} items)",
        best,
        total as f64 / 1e6 / best,
        best_cpu,
        total as f64 / 1e6 / best_cpu
    );
}
