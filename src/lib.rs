//! tidings: a terminal news reader.
//!
//! Layers: `core` is pure (model, categories, library, layout, sanitizer); `sources` does the IO
//! and parsing; `shell` runs the reader (event loop, terminal, worker); `commands` prints for
//! the command line.

pub mod cli;
pub mod commands;
pub mod config;
pub mod core;
pub mod keymap;
pub mod logging;
pub mod opml;
pub mod shell;
pub mod sources;
pub mod sync;
pub mod ui;
