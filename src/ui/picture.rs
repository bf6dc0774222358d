//! The open article's picture at the top of the reading pane, drawn with ratatui-image in the
//! terminal's own graphics protocol (kitty, iTerm2 or sixel; `graphics::probe` says which, and
//! whether any). Nothing is drawn until the shell has installed a picker for the thread that
//! draws ([`install`]) — on `TestBackend`, in a pipe, or with `images = false` the body's
//! `[image: alt]` text is all there is.
//!
//! The one thing the screen keeps between frames is here: the picture encoded for its area
//! (encoding a sixel or a kitty transmission costs milliseconds, a frame must not), per thread.

use crate::core::state::{Picture, PictureState, ReaderPicture};
use ratatui::Frame;
use ratatui::layout::{Rect, Size};
use ratatui_image::picker::Picker;
use ratatui_image::protocol::Protocol;
use ratatui_image::{Image, Resize};
use std::cell::RefCell;

/// The picker, and the last picture encoded: its URL, area and protocol.
struct Graphics {
    picker: Picker,
    encoded: Option<(String, Size, Protocol)>,
}

thread_local! {
    static GRAPHICS: RefCell<Option<Graphics>> = const { RefCell::new(None) };
}

/// Lets the screen drawn on this thread show pictures with `picker` (`None`: never).
pub fn install(picker: Option<Picker>) {
    GRAPHICS.with(|g| {
        *g.borrow_mut() = picker.map(|picker| Graphics {
            picker,
            encoded: None,
        })
    });
}

fn to_image(pic: &Picture) -> Option<image::DynamicImage> {
    image::RgbaImage::from_raw(pic.width, pic.height, pic.rgba.to_vec())
        .map(image::DynamicImage::ImageRgba8)
}

/// Draws the picture into `area` (the cells `State::picture_cells` gives) when it is ready and
/// this thread has a picker; false when nothing was drawn.
pub fn draw(frame: &mut Frame, area: Rect, picture: &ReaderPicture) -> bool {
    let PictureState::Ready(pic) = &picture.state else {
        return false;
    };
    if area.is_empty() {
        return false;
    }
    GRAPHICS.with(|g| {
        let mut g = g.borrow_mut();
        let Some(g) = g.as_mut() else {
            return false;
        };
        let size = Size::new(area.width, area.height);
        let fresh = !matches!(&g.encoded, Some((url, s, _)) if *url == picture.url && *s == size);
        if fresh {
            g.encoded = to_image(pic)
                .and_then(|img| g.picker.new_protocol(img, size, Resize::Fit(None)).ok())
                .map(|p| (picture.url.clone(), size, p));
        }
        let Some((_, _, protocol)) = &g.encoded else {
            return false;
        };
        frame.render_widget(Image::new(protocol), area);
        true
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pic(w: u32, h: u32) -> Picture {
        Picture {
            width: w,
            height: h,
            rgba: vec![200u8; (w * h * 4) as usize].into(),
        }
    }

    #[test]
    fn nothing_is_drawn_without_a_picker_or_before_the_picture_is_there() {
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 20)).unwrap();
        let ready = ReaderPicture {
            id: crate::core::model::ArticleId::from_key("a"),
            url: "https://example.com/a.png".into(),
            state: PictureState::Ready(pic(40, 40).into()),
        };
        let loading = ReaderPicture {
            state: PictureState::Loading,
            ..ready.clone()
        };
        let area = Rect::new(0, 0, 4, 2);
        install(None);
        let mut drawn = true;
        term.draw(|f| drawn = draw(f, area, &ready)).unwrap();
        assert!(!drawn);
        // ratatui-image's pickers run `tmux set -p allow-passthrough on` when the environment
        // says tmux: a test must not change the pane it runs in.
        if std::env::var("TERM").is_ok_and(|t| t.starts_with("tmux"))
            || std::env::var("TERM_PROGRAM").is_ok_and(|t| t == "tmux")
        {
            return;
        }
        // With a picker (half blocks, which TestBackend can hold), the picture takes its rows.
        install(Some(Picker::halfblocks()));
        term.draw(|f| drawn = draw(f, area, &loading)).unwrap();
        assert!(!drawn);
        term.draw(|f| drawn = draw(f, area, &ready)).unwrap();
        assert!(drawn);
        let cell = &term.backend().buffer()[(0, 0)];
        let painted = cell.symbol() != " " || cell.bg != ratatui::style::Color::Reset;
        assert!(painted, "the picture is drawn at the top left: {cell:?}");
        assert_eq!(
            term.backend().buffer()[(5, 0)].bg,
            ratatui::style::Color::Reset
        );
        install(None);
    }
}
