//! Command-line arguments (clap), turned into validated options.

use crate::sources::SourceSpec;
use clap::{Args, Parser, Subcommand};

#[derive(Debug, Parser)]
#[command(
    name = "tidings",
    version,
    about = "A fast, safe terminal news reader for local article files and feeds",
    args_conflicts_with_subcommands = true
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub sources: SourceArgs,

    /// Open with the headline list filtered to this category (as `list --category`)
    #[arg(long, value_name = "PATH")]
    pub category: Option<String>,
}

#[derive(Debug, Clone, Args, Default)]
pub struct SourceArgs {
    /// Article files, folders (read recursively), feed files and feed URLs; none: the samples
    #[arg(value_name = "SOURCES")]
    pub sources: Vec<String>,

    /// Give up on a feed URL after this many seconds
    #[arg(long, value_name = "SECS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub timeout: u64,

    /// Largest feed body accepted, in bytes (suffixes K, M, G: powers of 1024)
    #[arg(long, value_name = "SIZE", default_value = "32M", value_parser = parse_size, global = true)]
    pub max_size: u64,

    /// Feed requests at once (at most 2 per host)
    #[arg(long, value_name = "N", default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=64), global = true)]
    pub concurrency: u64,

    /// Where fetched feeds are cached (default: the user cache folder, $XDG_CACHE_HOME honoured)
    #[arg(long, value_name = "DIR", global = true)]
    pub cache_dir: Option<std::path::PathBuf>,
}

/// `32M`, `512K`, `1G`, `1048576`.
fn parse_size(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (num, mult) = match t.chars().last().map(|c| c.to_ascii_uppercase()) {
        Some('K') => (&t[..t.len() - 1], 1u64 << 10),
        Some('M') => (&t[..t.len() - 1], 1 << 20),
        Some('G') => (&t[..t.len() - 1], 1 << 30),
        _ => (t, 1),
    };
    num.trim()
        .parse::<u64>()
        .ok()
        .and_then(|n| n.checked_mul(mult))
        .filter(|&n| n > 0)
        .ok_or_else(|| format!("'{s}' is not a size (e.g. 32M, 512K, 1048576)"))
}

impl SourceArgs {
    /// Fetch options from the flags.
    pub fn fetch_options(&self) -> crate::sources::fetch::FetchOptions {
        crate::sources::fetch::FetchOptions {
            timeout: std::time::Duration::from_secs(self.timeout),
            max_size: self.max_size,
            concurrency: self.concurrency as usize,
            cache_dir: self
                .cache_dir
                .clone()
                .or_else(crate::sources::default_cache_dir),
            ..Default::default()
        }
    }

    /// The sources to load: those given, else the bundled samples.
    pub fn specs(&self) -> Vec<SourceSpec> {
        if self.sources.is_empty() {
            vec![SourceSpec::Bundled]
        } else {
            self.sources.iter().map(|s| SourceSpec::parse(s)).collect()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(parse_size("32M"), Ok(32 << 20));
        assert_eq!(parse_size("512k"), Ok(512 << 10));
        assert_eq!(parse_size("1G"), Ok(1 << 30));
        assert_eq!(parse_size("1048576"), Ok(1 << 20));
        assert!(parse_size("0").is_err());
        assert!(parse_size("M").is_err());
        assert!(parse_size("-1K").is_err());
        assert!(parse_size("99999999999999G").is_err());
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// One line per article, newest first: date, category, source, title
    List {
        #[command(flatten)]
        sources: SourceArgs,
        /// Only articles in this category (level by level, case-insensitive, word prefixes:
        /// `world/europe`, or the end of a path: `europe`)
        #[arg(long, value_name = "PATH")]
        category: Option<String>,
        /// Print a JSON array instead
        #[arg(long)]
        json: bool,
    },
    /// One article as the reader shows it
    Show {
        /// The article id, or an unambiguous prefix of it (see `tidings list --json`)
        id: String,
        #[command(flatten)]
        sources: SourceArgs,
        /// Wrap to this many columns (default: the terminal width, or 80)
        #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(10..))]
        width: Option<u16>,
        /// Print JSON (the article's fields and its blocks) instead
        #[arg(long)]
        json: bool,
    },
    /// The category tree with article counts (a parent counts its children's articles)
    Categories {
        #[command(flatten)]
        sources: SourceArgs,
        /// Print JSON instead
        #[arg(long)]
        json: bool,
    },
}
