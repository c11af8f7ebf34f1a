//! Dates as static-site generators write them, read into a calendar [`Date`].

use std::fmt;

/// A calendar date (`YYYY-MM-DD`); the time of day of date-times is dropped.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
pub struct Date {
    pub year: u16,
    pub month: u8,
    pub day: u8,
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

impl Date {
    /// Parses the date forms static-site generators accept: `2024-02-15`, `2024/02/15`,
    /// `2024-2-5`, each optionally followed by a time and offset (`T10:00:00Z`,
    /// ` 9:00:00 -0500`, `T10:00+02:00`, `.123`, a zone name), and written-out dates
    /// (`February 15, 2024`, `15 Feb 2024`, `Thu, 15 Feb 2024 10:00:00 +0000`). The time of
    /// day is dropped: the date is the one written.
    pub fn parse(s: &str) -> Option<Date> {
        let s = s.trim();
        numeric_date(s).or_else(|| written_date(s))
    }

    /// A date, if the day exists.
    pub fn new(year: u16, month: u8, day: u8) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month))
            .then_some(Date { year, month, day })
    }

    /// The `YYYY-MM-DD` that starts a file name such as `2019-01-05-name.md` (Jekyll,
    /// Eleventy, Zola), with the rest of the name after the `-` or `_` that follows it.
    pub fn from_name_prefix(name: &str) -> Option<(Date, &str)> {
        // `YYYY-M-D` to `YYYY-MM-DD`, as Jekyll reads it, then `-` or `_` and the name.
        let b = name.as_bytes();
        let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
        if name.len() < 9 || digits(0) != 4 || b[4] != b'-' {
            return None;
        }
        let month = digits(5);
        if !(1..=2).contains(&month) || b.get(5 + month) != Some(&b'-') {
            return None;
        }
        let day_at = 6 + month;
        let day = digits(day_at);
        let end = day_at + day;
        if !(1..=2).contains(&day) || !matches!(b.get(end), Some(b'-' | b'_')) {
            return None;
        }
        let rest = &name[end + 1..];
        if rest.is_empty() {
            return None;
        }
        Some((numeric_date(&name[..end])?, rest))
    }
}

/// `YYYY-MM-DD` (or `/`, `.`; one-digit month and day too), then an optional time.
fn numeric_date(s: &str) -> Option<Date> {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sep = b[4];
    if !matches!(sep, b'-' | b'/' | b'.') {
        return None;
    }
    // A one- or two-digit number at `at`, and the position after it.
    let number = |at: usize| -> Option<(u8, usize)> {
        let len = b[at..]
            .iter()
            .take(2)
            .take_while(|c| c.is_ascii_digit())
            .count();
        let n = (len > 0).then(|| s[at..at + len].parse().ok())??;
        Some((n, at + len))
    };
    let (month, at) = number(5)?;
    if b.get(at) != Some(&sep) {
        return None;
    }
    let (day, at) = number(at + 1)?;
    let date = Date::new(s[..4].parse().ok()?, month, day)?;
    let rest = &s[at..];
    (rest.is_empty() || valid_time_suffix(rest)).then_some(date)
}

/// `T11:02:00-04:00`, ` 9:00:00 -0500`, `T10:00:00Z`, ` 11:00`, `t10:00:00.5 +02 UTC`: a
/// time (one- or two-digit hour, optional seconds and fraction, optional AM/PM) with an
/// optional offset (`Z`, `+HH`, `+HHMM`, `+HH:MM`) and zone name.
fn valid_time_suffix(rest: &str) -> bool {
    let Some(t) = rest
        .strip_prefix(['T', 't'])
        .or_else(|| rest.starts_with(' ').then(|| rest.trim_start()))
    else {
        return false;
    };
    valid_time(t)
}

/// A time of day with optional offset and zone, nothing else.
fn valid_time(t: &str) -> bool {
    let t = t.trim();
    let end = t
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(t.len());
    let (time, mut rest) = t.split_at(end);
    let mut parts = time.split(':');
    let part = |p: Option<&str>, lens: &[usize], max: u8| {
        p.is_some_and(|p| lens.contains(&p.len()) && p.parse::<u8>().is_ok_and(|n| n <= max))
    };
    if !part(parts.next(), &[1, 2], 23) || !part(parts.next(), &[2], 59) {
        return false;
    }
    if let Some(sec) = parts.next() {
        let (whole, fraction) = sec.split_once('.').unwrap_or((sec, "0"));
        if !part(Some(whole), &[2], 60) || !fraction.bytes().all(|c| c.is_ascii_digit()) {
            return false;
        }
    }
    if parts.next().is_some() {
        return false;
    }
    rest = rest.trim_start();
    for meridiem in ["AM", "PM", "am", "pm"] {
        if let Some(r) = rest.strip_prefix(meridiem) {
            rest = r.trim_start();
        }
    }
    if let Some(r) = rest
        .strip_prefix(['Z', 'z'])
        .filter(|r| !r.starts_with(char::is_alphabetic))
    {
        rest = r.trim_start();
    } else if let Some(r) = rest.strip_prefix(['+', '-']) {
        let len = r
            .find(|c: char| !(c.is_ascii_digit() || c == ':'))
            .unwrap_or(r.len());
        let digits: String = r[..len].chars().filter(char::is_ascii_digit).collect();
        if !matches!(digits.len(), 1 | 2 | 4) {
            return false;
        }
        rest = r[len..].trim_start();
    }
    // A zone name such as `UTC`, `MST` or `(PST)`.
    let zone = rest.trim_matches(['(', ')']);
    zone.is_empty() || (zone.len() <= 5 && zone.chars().all(|c| c.is_ascii_uppercase()))
}

/// `February 15, 2024`, `Feb 15 2024`, `15 February 2024`, `Thu, 15 Feb 2024 10:00:00 GMT`.
fn written_date(s: &str) -> Option<Date> {
    let mut words = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .peekable();
    if words.peek().is_some_and(|w| weekday(w)) {
        words.next();
    }
    let first = words.next()?;
    let second = words.next()?;
    let (month, day) = match (month_number(first), month_number(second)) {
        (Some(m), None) => (m, second),
        (None, Some(m)) => (m, first),
        _ => return None,
    };
    let day = day
        .trim_end_matches("st")
        .trim_end_matches("nd")
        .trim_end_matches("rd")
        .trim_end_matches("th");
    let day: u8 = (day.len() <= 2).then(|| day.parse().ok())??;
    let year = words.next()?;
    let year: u16 = match year.len() {
        4 => year.parse().ok()?,
        2 => {
            let y: u16 = year.parse().ok()?;
            if y < 70 { 2000 + y } else { 1900 + y }
        }
        _ => return None,
    };
    let rest: Vec<&str> = words.collect();
    if !rest.is_empty() && !valid_time(&rest.join(" ")) {
        return None;
    }
    Date::new(year, month, day)
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// `Jan`, `Sept.`, `February` (three letters at least) as a month number.
fn month_number(word: &str) -> Option<u8> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| m.starts_with(&w))
        .map(|i| i as u8 + 1)
}

fn weekday(word: &str) -> bool {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    w.len() >= 3
        && [
            "monday",
            "tuesday",
            "wednesday",
            "thursday",
            "friday",
            "saturday",
            "sunday",
        ]
        .iter()
        .any(|d| d.starts_with(&w))
}

fn days_in_month(year: u16, month: u8) -> u8 {
    match month {
        2 if (year.is_multiple_of(4) && !year.is_multiple_of(100)) || year.is_multiple_of(400) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        for (good, day) in [
            ("2025-06-03", "2025-06-03"),
            ("2024-02-29", "2024-02-29"),
            ("2014-05-14T11:02:00-04:00", "2014-05-14"),
            ("2015-06-29 11:00:00 -0400", "2015-06-29"),
            ("2020-09-09 9:00:00 -0500", "2020-09-09"),
            ("2020-01-01T00:00:00Z", "2020-01-01"),
            ("2020-01-01T10:00:00.123+02:00", "2020-01-01"),
            ("2020-01-01T10:00+0200", "2020-01-01"),
            ("2020-01-01T10:00:00", "2020-01-01"),
            ("2020-01-01 10:00", "2020-01-01"),
            ("2020-01-01t10:00:00z", "2020-01-01"),
            ("2001-12-14 21:59:43.10 -5", "2001-12-14"),
            ("2019-03-01 14:23:00 +0000 UTC", "2019-03-01"),
            ("2024/02/15", "2024-02-15"),
            ("2024/2/5 10:00", "2024-02-05"),
            ("2025-6-3", "2025-06-03"),
            ("February 15, 2024", "2024-02-15"),
            ("Feb 15 2024", "2024-02-15"),
            ("15 Feb 2024", "2024-02-15"),
            ("Thu, 15 Feb 2024 10:00:00 +0000", "2024-02-15"),
            ("Sept. 3rd, 2019", "2019-09-03"),
        ] {
            assert_eq!(
                Date::parse(good).map(|d| d.to_string()).as_deref(),
                Some(day),
                "{good}"
            );
        }
        for bad in [
            "2023-02-29",
            "2025-13-01",
            "yesterday",
            "2025-06-03x",
            "2025-06-03T25:00",
            "2025-06-03T10:00 nonsense",
            "",
            "2025-06-0é",
            "June 3rd",
            "2025-06/03",
        ] {
            assert!(Date::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dates_from_file_names() {
        let d =
            |n: &str| Date::from_name_prefix(n).map(|(d, rest)| (d.to_string(), rest.to_owned()));
        assert_eq!(
            d("2019-01-05-first-week"),
            Some(("2019-01-05".into(), "first-week".into()))
        );
        assert_eq!(
            d("2019-1-5-first"),
            Some(("2019-01-05".into(), "first".into()))
        );
        assert_eq!(
            d("2021-08-30_portfolio"),
            Some(("2021-08-30".into(), "portfolio".into()))
        );
        for no in [
            "2019-01-05",
            "2019-01-05-",
            "2019-13-01-x",
            "201-01-05-x",
            "notes-2019-01-05",
            "2019-01-055-x",
        ] {
            assert_eq!(d(no), None, "{no}");
        }
    }
}
