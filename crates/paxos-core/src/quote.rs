//! Quoting what a person typed in a message, bounded: a refusal must stay readable (and an alert small) whatever
//! was pasted into the field or the file.

/// How many characters of an input a message quotes at most.
pub const QUOTE_CHARS: usize = 60;

/// `s` as a message quotes it: whole when it has at most [`QUOTE_CHARS`] characters, otherwise its first
/// [`QUOTE_CHARS`] followed by `… (N characters)`, so the message still says how long the input was. The caller
/// adds the quotation marks its message uses.
pub fn quote(s: &str) -> String {
    match s.char_indices().nth(QUOTE_CHARS) {
        None => s.to_owned(),
        Some((end, _)) => format!("{}… ({} characters)", &s[..end], s.chars().count()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_input_is_quoted_whole_and_long_input_by_a_prefix_and_its_length() {
        assert_eq!(quote("red"), "red");
        let exact = "é".repeat(QUOTE_CHARS);
        assert_eq!(quote(&exact), exact);
        let long = "x".repeat(100_000);
        let q = quote(&long);
        assert_eq!(q, format!("{}… (100000 characters)", "x".repeat(QUOTE_CHARS)));
        // Cut at a character boundary, never inside one.
        assert!(quote(&"✓".repeat(61)).starts_with(&"✓".repeat(60)));
    }
}
