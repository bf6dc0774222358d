//! Command-line arguments (clap), turned into validated options.

use crate::config::{self, ConfigError, parse_size};
use crate::sources::SourceSpec;
use clap::{Args, Parser, Subcommand};
use std::sync::Arc;

#[derive(Debug, Parser)]
#[command(
    name = "tidings",
    version,
    about = "A fast, safe terminal news reader for local article files and feeds",
    args_conflicts_with_subcommands = false
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
    /// Article files, folders (read recursively), feed files and feed URLs; none: the config's
    /// sources, else the samples
    #[arg(value_name = "SOURCES")]
    pub sources: Vec<String>,

    /// Give up on a feed URL after this many seconds [default: 30, or the config's]
    #[arg(long, value_name = "SECS", value_parser = clap::value_parser!(u64).range(1..=3600), global = true)]
    pub timeout: Option<u64>,

    /// Largest feed body accepted, in bytes (suffixes K, M, G: powers of 1024) [default: 32M, or
    /// the config's]
    #[arg(long, value_name = "SIZE", value_parser = parse_size, global = true)]
    pub max_size: Option<u64>,

    /// Feed requests at once (at most 2 per host) [default: 8, or the config's]
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..=64), global = true)]
    pub concurrency: Option<u64>,

    /// Where fetched feeds are cached (default: the user cache folder, $XDG_CACHE_HOME honoured)
    #[arg(long, value_name = "DIR", global = true)]
    pub cache_dir: Option<std::path::PathBuf>,

    /// Where read and star marks are kept (default: the user data folder, $XDG_DATA_HOME honoured)
    #[arg(long, value_name = "DIR", global = true)]
    pub data_dir: Option<std::path::PathBuf>,

    /// The config file [default: $XDG_CONFIG_HOME/tidings/config.toml]
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<std::path::PathBuf>,

    /// Write a log of fetches, loads and failures to $XDG_STATE_HOME/tidings/log at this level
    /// (error, warn, info, debug, trace) [default: $TIDINGS_LOG, else none]
    #[arg(long, value_name = "LEVEL", value_parser = crate::logging::parse_level, global = true)]
    pub log: Option<tracing::level_filters::LevelFilter>,

    /// The config, loaded (by [`attach`]) before the command runs.
    #[arg(skip)]
    pub settings: Arc<config::Config>,
}

impl Cli {
    /// The `SourceArgs` of the command, when it has its own (`list`, `show`, `categories`).
    fn command_sources(&self) -> Option<&SourceArgs> {
        match &self.command {
            Some(
                Command::List { sources, .. }
                | Command::Show { sources, .. }
                | Command::Categories { sources, .. },
            ) => Some(sources),
            _ => None,
        }
    }

    /// `--log LEVEL`, before or after the command.
    pub fn log_level(&self) -> Option<tracing::level_filters::LevelFilter> {
        self.sources
            .log
            .or_else(|| self.command_sources().and_then(|s| s.log))
    }
}

/// Loads the config named by `--config` (or the default one) into every `SourceArgs` of the
/// command line. `tidings config --example` needs none, so a broken file does not stop it.
pub fn attach(cli: &mut Cli) -> Result<(), ConfigError> {
    if matches!(cli.command, Some(Command::Config { example: true })) {
        return Ok(());
    }
    let explicit = cli
        .sources
        .config
        .clone()
        .or_else(|| cli.command_sources().and_then(|s| s.config.clone()));
    let creates = matches!(cli.command, Some(Command::Import { .. }));
    let config = Arc::new(config::load_from(explicit.as_deref(), !creates)?);
    cli.sources.settings = config.clone();
    if let Some(
        Command::List { sources, .. }
        | Command::Show { sources, .. }
        | Command::Categories { sources, .. },
    ) = &mut cli.command
    {
        sources.settings = config;
    }
    Ok(())
}

impl SourceArgs {
    /// The read/star store, if there is a data folder.
    pub fn store(&self) -> Option<crate::sources::store::Store> {
        self.data_dir
            .clone()
            .or_else(crate::sources::store::default_data_dir)
            .map(crate::sources::store::Store::new)
    }

    /// The archive of articles seen in feeds, in the data folder; a warning when it had to be
    /// started again or cannot be had (then feeds show only what they carry now).
    pub fn archive(&self) -> (Option<crate::sources::archive::Archive>, Option<String>) {
        // Only feeds and servers are archived (local files are their own archive).
        if !(self.specs().iter()).any(|s| matches!(s, SourceSpec::Url(_) | SourceSpec::GReader(_)))
        {
            return (None, None);
        }
        let Some(dir) = self
            .data_dir
            .clone()
            .or_else(crate::sources::store::default_data_dir)
        else {
            return (None, None);
        };
        match crate::sources::archive::Archive::open(&dir) {
            (Ok(a), warning) => (Some(a), warning),
            (Err(e), _) => (
                None,
                Some(format!("{e}; articles that leave their feeds are not kept")),
            ),
        }
    }

    /// Fetch options from the flags, else the config, else the defaults.
    pub fn fetch_options(&self) -> crate::sources::fetch::FetchOptions {
        // The flags win over the config, which wins over the defaults.
        let (d, f) = (
            crate::sources::fetch::FetchOptions::default(),
            &self.settings.fetch,
        );
        let secs = std::time::Duration::from_secs;
        crate::sources::fetch::FetchOptions {
            timeout: self.timeout.or(f.timeout).map_or(d.timeout, secs),
            connect_timeout: f.connect_timeout.map_or(d.connect_timeout, secs),
            max_size: self.max_size.or(f.max_size).unwrap_or(d.max_size),
            concurrency: self
                .concurrency
                .or(f.concurrency)
                .map_or(d.concurrency, |n| n as usize),
            per_host: f.per_host.map_or(d.per_host, |n| n as usize),
            cache_dir: self
                .cache_dir
                .clone()
                .or_else(crate::sources::default_cache_dir),
            ..Default::default()
        }
    }

    /// The sources to load: those given, else the config's, else the bundled samples.
    pub fn specs(&self) -> Vec<SourceSpec> {
        if self.sources.is_empty() && !self.settings.sources.is_empty() {
            self.settings.specs()
        } else if self.sources.is_empty() {
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
        /// Only unread articles
        #[arg(long)]
        unread: bool,
        /// Only starred articles
        #[arg(long)]
        starred: bool,
        /// Only articles whose title, source, standfirst or text contain TEXT (case- and
        /// accent-insensitive)
        #[arg(long, value_name = "TEXT")]
        search: Option<String>,
        /// Also articles that `[[filters]]` rules hide
        #[arg(long)]
        all: bool,
        /// One line per story (the same news from several sources), with its number of sources
        #[arg(long)]
        stories: bool,
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
        /// The full story from the article's web page instead of the feed's summary (the cached
        /// copy, else fetched and cached; see docs/full-text.md)
        #[arg(long)]
        full: bool,
    },
    /// The category tree with article counts (a parent counts its children's articles)
    Categories {
        #[command(flatten)]
        sources: SourceArgs,
        /// Print JSON instead
        #[arg(long)]
        json: bool,
    },
    /// The config file: prints its path; `--example` prints a commented example of every key
    Config {
        /// Print a commented example config covering every key
        #[arg(long)]
        example: bool,
    },
    /// Adds the feeds of an OPML file to the config file (its folders become categories)
    Import {
        /// The OPML file (as exported by most feed readers)
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
    },
    /// Prints the config's sources as OPML 2.0, categories as nested outlines
    Export,
    /// One sync with every Google Reader API server of the config (FreshRSS, Miniflux, ...):
    /// queued marks sent, new articles and the read/starred state fetched; prints what changed
    Sync {
        /// One JSON object per server instead
        #[arg(long)]
        json: bool,
    },
    /// Marks articles read, unread, starred or unstarred (any article; those of a sync server
    /// are sent to it too)
    #[command(group(clap::ArgGroup::new("what").required(true).multiple(true).args(["read", "unread", "star", "unstar"])))]
    Mark {
        /// Article ids (`tidings list --json`), or unambiguous prefixes of archived ones
        #[arg(value_name = "ID", required = true)]
        ids: Vec<String>,
        #[arg(long, conflicts_with = "unread")]
        read: bool,
        #[arg(long)]
        unread: bool,
        #[arg(long, conflicts_with = "unstar")]
        star: bool,
        #[arg(long)]
        unstar: bool,
    },
    /// Removes archived articles that retention says go (`[archive]` in the config: older than
    /// keep_days, over max_articles; never starred ones or those still in their feed)
    Prune {
        /// Only list what would be removed
        #[arg(long)]
        dry_run: bool,
        /// One JSON object per article
        #[arg(long)]
        json: bool,
    },
}
