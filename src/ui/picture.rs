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

/// The most rows a picture may take: two fifths of the pane, and never more than 16.
fn max_rows(pane_height: u16) -> u16 {
    (pane_height * 2 / 5).min(16)
}

/// The cells a `pic` takes shown at most `width` wide and `max_rows` high with cells of `font`
/// pixels (width, height): scaled down to fit, never up.
pub fn cells_for(pic: &Picture, width: u16, max_rows: u16, font: (u16, u16)) -> Size {
    let (fw, fh) = (f64::from(font.0.max(1)), f64::from(font.1.max(1)));
    let (pw, ph) = (f64::from(pic.width.max(1)), f64::from(pic.height.max(1)));
    let scale = (f64::from(width) * fw / pw)
        .min(f64::from(max_rows) * fh / ph)
        .min(1.0);
    // Rounded up, but not for a rounding error's worth.
    let cells = |px: f64, cell: f64| (px * scale / cell - 1e-6).ceil() as u16;
    let w = cells(pw, fw).clamp(1, width.max(1));
    let h = cells(ph, fh).clamp(1, max_rows.max(1));
    Size::new(w, h)
}

fn to_image(pic: &Picture) -> Option<image::DynamicImage> {
    image::RgbaImage::from_raw(pic.width, pic.height, pic.rgba.to_vec())
        .map(image::DynamicImage::ImageRgba8)
}

/// Draws the picture at the top of `area` when it is ready and this thread has a picker;
/// returns the rows it took, a blank row below it included (0 when nothing was drawn).
pub fn draw(frame: &mut Frame, area: Rect, picture: &ReaderPicture) -> u16 {
    let PictureState::Ready(pic) = &picture.state else {
        return 0;
    };
    let rows = max_rows(area.height);
    if rows < 3 || area.width < 8 {
        return 0;
    }
    GRAPHICS.with(|g| {
        let mut g = g.borrow_mut();
        let Some(g) = g.as_mut() else {
            return 0;
        };
        let font = g.picker.font_size();
        let size = cells_for(pic, area.width, rows, (font.width, font.height));
        let fresh = !matches!(&g.encoded, Some((url, s, _)) if *url == picture.url && *s == size);
        if fresh {
            g.encoded = to_image(pic)
                .and_then(|img| g.picker.new_protocol(img, size, Resize::Fit(None)).ok())
                .map(|p| (picture.url.clone(), size, p));
        }
        let Some((_, _, protocol)) = &g.encoded else {
            return 0;
        };
        let shown = protocol.size();
        let at = Rect::new(area.x, area.y, shown.width, shown.height).intersection(area);
        frame.render_widget(Image::new(protocol), at);
        (shown.height + 1).min(area.height)
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
    fn pictures_fit_the_pane_and_are_never_scaled_up() {
        // 10 × 20 pixel cells. (picture, pane width, max rows) → cells
        let table = [
            (pic(100, 40), 80, 16, Size::new(10, 2)),
            // Height-bound: 16 rows of 20 px are 320 px, so 569 px wide, 57 cells.
            (pic(1600, 900), 80, 16, Size::new(57, 16)),
            // Width-bound: 400 px wide, 225 px high, 12 rows.
            (pic(1600, 900), 40, 16, Size::new(40, 12)),
            (pic(300, 3000), 80, 10, Size::new(2, 10)),
            (pic(1, 1), 80, 16, Size::new(1, 1)),
        ];
        for (p, width, rows, want) in table {
            assert_eq!(
                cells_for(&p, width, rows, (10, 20)),
                want,
                "{p:?} in {width}"
            );
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
        install(None);
        let mut rows = 99;
        term.draw(|f| rows = draw(f, f.area(), &ready)).unwrap();
        assert_eq!(rows, 0);
        // ratatui-image's pickers run `tmux set -p allow-passthrough on` when the environment
        // says tmux: a test must not change the pane it runs in.
        if std::env::var("TERM").is_ok_and(|t| t.starts_with("tmux"))
            || std::env::var("TERM_PROGRAM").is_ok_and(|t| t == "tmux")
        {
            return;
        }
        // With a picker (half blocks, which TestBackend can hold), the picture takes its rows.
        install(Some(Picker::halfblocks()));
        term.draw(|f| rows = draw(f, f.area(), &loading)).unwrap();
        assert_eq!(rows, 0);
        term.draw(|f| rows = draw(f, f.area(), &ready)).unwrap();
        // 40 × 40 px in 10 × 20 cells: 4 × 2 cells, and a blank row.
        assert_eq!(rows, 3);
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
