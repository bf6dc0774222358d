//! One copy of each category path per thread: a folder's files name the same few paths (a
//! feed's sections, a site's desks), and a copy per file was most of the paths' memory (28,000
//! copies of a few dozen paths in a warm start at 110k articles: 1.5 MB, and more through the
//! tables that key on a path's allocation). Files are read on the rayon threads, each keeping
//! its own table, so no lock is taken.

use crate::core::model::{CategoryPath, FNV_START, fnv1a64_more};
use std::cell::RefCell;
use std::collections::HashMap;

/// Most distinct paths kept per thread (a hostile folder of unique paths stops sharing there).
const MAX_PATHS: usize = 4096;

thread_local! {
    static PATHS: RefCell<HashMap<u64, CategoryPath, foldhash::fast::RandomState>> =
        RefCell::default();
}

fn hash_of<'a>(levels: impl Iterator<Item = &'a str>) -> u64 {
    // A byte no UTF-8 text has between levels: ["a b"] and ["a", "b"] differ.
    levels.fold(FNV_START, |h, l| fnv1a64_more(h, l.as_bytes()) ^ 0xff)
}

/// The path of these levels (cleaned as [`CategoryPath::from_levels`] does), the same
/// allocation as the earlier ones of this thread with the same levels.
pub fn path_of(levels: Vec<&str>) -> Option<CategoryPath> {
    let h = hash_of(levels.iter().copied());
    PATHS.with(|paths| {
        let mut paths = paths.borrow_mut();
        if let Some(p) = paths.get(&h)
            && p.levels()
                .iter()
                .map(String::as_str)
                .eq(levels.iter().copied())
        {
            return Some(p.clone());
        }
        let p = CategoryPath::from_levels(levels)?;
        if paths.len() < MAX_PATHS {
            paths.insert(h, p.clone());
        }
        Some(p)
    })
}

/// Makes `p` the thread's copy of its path (keeping it as the copy when it is the first).
pub fn share(p: &mut CategoryPath) {
    let h = hash_of(p.levels().iter().map(String::as_str));
    PATHS.with(|paths| {
        let mut paths = paths.borrow_mut();
        match paths.get(&h) {
            Some(q) if q == p => *p = q.clone(),
            Some(_) => {}
            None if paths.len() < MAX_PATHS => {
                paths.insert(h, p.clone());
            }
            None => {}
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_levels_share_one_allocation_and_different_ones_do_not() {
        let a = path_of(vec!["World News", "Europe"]).unwrap();
        let b = path_of(vec!["World News", "Europe"]).unwrap();
        assert_eq!(a, b);
        assert!(std::ptr::eq(a.levels().as_ptr(), b.levels().as_ptr()));
        let c = path_of(vec!["World News Europe"]).unwrap();
        assert_ne!(a, c);
        let d = path_of(vec!["World News", "Asia"]).unwrap();
        assert_ne!(a, d);
        // Cleaned as from_levels cleans: the raw levels differ, the path is the same.
        let e = path_of(vec![" World  News ", "Europe"]).unwrap();
        assert_eq!(a, e);
        assert!(path_of(vec!["", " "]).is_none());
        // A path made elsewhere becomes the shared copy.
        let mut f = CategoryPath::parse("World News / Europe").unwrap();
        assert!(!std::ptr::eq(a.levels().as_ptr(), f.levels().as_ptr()));
        share(&mut f);
        assert!(std::ptr::eq(a.levels().as_ptr(), f.levels().as_ptr()));
        let mut g = CategoryPath::parse("Sport / Tennis").unwrap();
        let before = g.levels().as_ptr();
        share(&mut g);
        assert!(
            std::ptr::eq(before, g.levels().as_ptr()),
            "the first copy is kept"
        );
        let mut h = CategoryPath::parse("Sport / Tennis").unwrap();
        share(&mut h);
        assert!(std::ptr::eq(before, h.levels().as_ptr()));
    }
}
