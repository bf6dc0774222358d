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
    /// Pictures are on and the terminal can show them: its cell size in pixels.
    pub(super) cell: Option<(u16, u16)>,
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
        self.pictures.cell.is_some()
    }

    pub(super) fn set_images_available(&mut self, cell: Option<(u16, u16)>) {
        self.pictures.cell = cell;
        if cell.is_none() {
            self.pictures.current = None;
        }
    }

    /// The cells (width, height) the open article's picture takes at the top of the reading
    /// pane when the pane shows its top: `None` until it is ready, or when the pane is too small.
    pub fn picture_cells(&self) -> Option<(u16, u16)> {
        let PictureState::Ready(pic) = &self.reader_picture()?.state else {
            return None;
        };
        let text = self.geometry().reader_text()?;
        let rows = (text.height * 2 / 5).min(MAX_PICTURE_ROWS);
        if rows < 3 || text.width < 8 {
            return None;
        }
        Some(cells_for(pic, text.width, rows, self.pictures.cell?))
    }

    /// Rows the picture takes at the top of the reading pane, a blank row below it included.
    pub fn picture_rows(&self) -> usize {
        self.picture_cells().map_or(0, |(_, h)| usize::from(h) + 1)
    }

    /// Asks for the open article's picture when its first image is not the one held (after
    /// every action: an article opened, a body read from disk, a full story swapped in).
    pub(super) fn check_picture(&mut self) {
        if self.pictures.cell.is_none() {
            return;
        }
        let Some(article) = self.reader_article() else {
            return;
        };
        let url = first_image(article.blocks());
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

/// The most rows a picture takes (and never more than two fifths of the pane).
const MAX_PICTURE_ROWS: u16 = 16;

/// The cells (width, height) a picture takes shown at most `width` wide and `max_rows` high
/// with cells of `cell` pixels (width, height): scaled down to fit, never up.
pub fn cells_for(pic: &Picture, width: u16, max_rows: u16, cell: (u16, u16)) -> (u16, u16) {
    let (fw, fh) = (f64::from(cell.0.max(1)), f64::from(cell.1.max(1)));
    let (pw, ph) = (f64::from(pic.width.max(1)), f64::from(pic.height.max(1)));
    let scale = (f64::from(width) * fw / pw)
        .min(f64::from(max_rows) * fh / ph)
        .min(1.0);
    // Rounded up, but not for a rounding error's worth.
    let cells = |px: f64, side: f64| (px * scale / side - 1e-6).ceil() as u16;
    let w = cells(pw, fw).clamp(1, width.max(1));
    let h = cells(ph, fh).clamp(1, max_rows.max(1));
    (w, h)
}

#[cfg(test)]
#[path = "picture_tests.rs"]
mod tests;
