//! Any HTML: the block converter never panics and its text is clean.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tidings::core::html::html_to_blocks;
use tidings::core::sanitize::sanitize;

fuzz_target!(|s: &str| {
    let base = url::Url::parse("https://example.com/").ok();
    for b in html_to_blocks(s, base.as_ref()) {
        assert_eq!(sanitize(&b.text), b.text.as_str(), "unsanitized block text");
    }
});
