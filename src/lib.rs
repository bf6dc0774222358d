//! tidings: a terminal news reader.
//!
//! Layers: `core` is pure (model, categories, library, layout, sanitizer); `sources` does the IO
//! and parsing; `commands` prints for the command line.

pub mod app;
pub mod cli;
pub mod commands;
pub mod config;
pub mod core;
pub mod graphics;
pub mod keymap;
pub mod logging;
pub mod opml;
pub mod sources;
pub mod terminal;
pub mod ui;
