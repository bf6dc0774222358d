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
    /// Article files or folders (read recursively); none: the bundled samples
    #[arg(value_name = "SOURCES")]
    pub sources: Vec<String>,
}

impl SourceArgs {
    /// The sources to load: those given, else the bundled samples.
    pub fn specs(&self) -> Vec<SourceSpec> {
        if self.sources.is_empty() {
            vec![SourceSpec::Bundled]
        } else {
            self.sources.iter().map(|s| SourceSpec::parse(s)).collect()
        }
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
