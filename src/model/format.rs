//! Numbers as Italian writes them, shared by the incident card, the PDF and
//! the app's views.

/// "1.234.567": thousands grouped with a dot.
pub fn thousands(n: u32) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::thousands;

    #[test]
    fn groups_thousands_with_a_dot() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1000), "1.000");
        assert_eq!(thousands(97_588), "97.588");
        assert_eq!(thousands(2_749_031), "2.749.031");
    }
}
