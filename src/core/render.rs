//! Rendering an article's pending HTML body into blocks, when it is first opened or searched.
//! Here rather than in `model.rs`, so the model depends on nothing that reads HTML.

use crate::core::html::html_to_blocks;
use crate::core::model::{Article, Body};

/// An article whose pending HTML body can be rendered.
pub trait Render {
    /// Turns a pending HTML body into blocks (appended after any blocks already there) and
    /// recounts the words. Does nothing when there is none.
    fn render(&mut self);
}

impl Render for Article {
    fn render(&mut self) {
        if let Body::Html(p) = &self.body {
            let base = p.base.as_deref().and_then(|b| url::Url::parse(b).ok());
            let blocks = html_to_blocks(&p.html, base.as_ref());
            self.words = Article::count_words(self.standfirst.as_deref(), &blocks);
            self.body = Body::Blocks(blocks);
        }
    }
}
