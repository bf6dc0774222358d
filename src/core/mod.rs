//! The pure core: no terminal, no network, no file system.

pub mod category;
pub mod date;
pub mod geometry;
pub mod help;
pub mod html;
pub mod layout;
pub mod library;
pub mod model;
pub mod render;
pub mod sanitize;
pub mod search;
pub mod state;
pub mod story;
pub mod text;
