//! The sanitizer: never panics, is idempotent, and leaves no control character but `\n`, `\t`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tidings::core::sanitize::sanitize;

fuzz_target!(|s: &str| {
    let once = sanitize(s).into_owned();
    assert_eq!(sanitize(&once), once.as_str(), "not idempotent");
    assert!(
        !once
            .chars()
            .any(|c| (c < ' ' && c != '\n' && c != '\t') || ('\u{7f}'..='\u{9f}').contains(&c)),
        "{once:?}"
    );
});
