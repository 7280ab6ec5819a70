//! The numbers written in prose, as the report writes them: "22", "1 113" (a space between
//! groups of three digits), "34.8".

/// The numbers written in `text`, in order: digits, a space between groups of three digits
/// ("1 113") and a decimal point ("34.8") included.
pub fn numbers(text: &str) -> impl Iterator<Item = f64> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !bytes[i].is_ascii_digit() {
            i += 1;
        }
        if i == bytes.len() {
            return None;
        }
        let mut digits = String::new();
        while i < bytes.len() {
            let b = bytes[i];
            let next_is_group = |at: usize| {
                bytes.len() >= at + 3
                    && bytes[at..at + 3].iter().all(u8::is_ascii_digit)
                    && bytes.get(at + 3).is_none_or(|b| !b.is_ascii_digit())
            };
            if b.is_ascii_digit() {
                digits.push(b as char);
            } else if b == b' ' && next_is_group(i + 1) {
                // a thousands separator
            } else if b == b'.' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
                digits.push('.');
            } else {
                break;
            }
            i += 1;
        }
        Some(digits.parse().unwrap_or(f64::NAN))
    })
}

#[cfg(test)]
mod tests {
    use super::numbers;

    #[test]
    fn numbers_are_read_with_thousands_groups_and_decimals() {
        let found: Vec<f64> = numbers(
            "out of the total 1 113 UNSC resolutions from 2000 to 2017, 387 (34.8 per cent)",
        )
        .collect();
        assert_eq!(found, [1113.0, 2000.0, 2017.0, 387.0, 34.8]);
        assert_eq!(
            numbers("22 out of the 102 entities.").collect::<Vec<_>>(),
            [22.0, 102.0]
        );
        assert_eq!(numbers("no figure").count(), 0);
    }
}
