//! The open article's first picture: asked for (`Effect::FetchImage`) when the reader opens an
//! article whose body holds an image, pictures are on (`images` in the config) and the terminal
//! can show them (`Action::ImagesAvailable`, from the shell's probe); kept as decoded pixels when
//! it arrives (`Action::ImageLoaded`) for the reading pane to draw. Elsewhere, and until it
//! arrives, the body's `[image: alt]` text is all there is.

use super::{Effect, State};
use crate::core::model::{ArticleId, first_image};
use std::sync::Arc;

/// A decoded picture: `width` × `height` RGBA pixels, row by row (already scaled down to a size
/// worth showing; see `sources::images`).
#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    pub width: u32,
    pub height: u32,
    pub rgba: Arc<[u8]>,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Picture({}x{})", self.width, self.height)
    }
}

/// Where the open article's picture is.
#[derive(Debug, Clone, PartialEq)]
pub enum PictureState {
    Loading,
    Ready(Arc<Picture>),
    /// Why it could not be had (the `[image: alt]` text stays).
    Failed(String),
}

/// The picture of article `id`: the URL of its first image and how far it has come.
#[derive(Debug, Clone, PartialEq)]
pub struct ReaderPicture {
    pub id: ArticleId,
    pub url: String,
    pub state: PictureState,
}

#[derive(Debug, Default)]
pub struct Pictures {
    /// Pictures are on and the terminal can show them.
    pub(super) available: bool,
    /// The picture of the open article (or of the last one opened).
    pub(super) current: Option<ReaderPicture>,
}

impl State {
    /// The open article's picture, when it has one and pictures can be shown.
    pub fn reader_picture(&self) -> Option<&ReaderPicture> {
        let open = self.reader_article()?;
        self.pictures.current.as_ref().filter(|p| p.id == open.id)
    }

    /// Whether pictures are on and the terminal can show them.
    pub fn images_available(&self) -> bool {
        self.pictures.available
    }

    pub(super) fn set_images_available(&mut self, available: bool) {
        self.pictures.available = available;
        if !available {
            self.pictures.current = None;
        }
    }

    /// Asks for the open article's picture when its first image is not the one held (after
    /// every action: an article opened, a body read from disk, a full story swapped in).
    pub(super) fn check_picture(&mut self) {
        if !self.pictures.available {
            return;
        }
        let Some(article) = self.reader_article() else {
            return;
        };
        let url = first_image(&article.blocks);
        let held = self.pictures.current.as_ref();
        let same_article = held.is_some_and(|p| p.id == article.id);
        match url {
            Some(u) if same_article && held.is_some_and(|p| p.url == u) => {}
            Some(u) => {
                let (id, url) = (article.id.clone(), u.to_string());
                self.work.push(Effect::FetchImage {
                    id: id.clone(),
                    url: url.clone(),
                });
                self.pictures.current = Some(ReaderPicture {
                    id,
                    url,
                    state: PictureState::Loading,
                });
            }
            // The body is on its way back from disk: the picture stays until it is here.
            None if same_article && article.body_unloaded() => {}
            None => self.pictures.current = None,
        }
    }

    /// A picture arrived (or failed): kept when it is still the one wanted.
    pub(super) fn image_loaded(
        &mut self,
        id: ArticleId,
        url: String,
        picture: Result<Arc<Picture>, String>,
    ) {
        if let Some(p) = &mut self.pictures.current
            && p.id == id
            && p.url == url
        {
            p.state = match picture {
                Ok(pic) => PictureState::Ready(pic),
                Err(e) => PictureState::Failed(e),
            };
        }
    }
}

#[cfg(test)]
#[path = "picture_tests.rs"]
mod tests;
