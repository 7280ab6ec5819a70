//! Dates as precise as their sources: a year, a month of a year, or a day.

/// A date as precise as its source: a year, a month of a year, or a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    pub year: u16,
    /// 1 to 12.
    pub month: Option<u8>,
    pub day: Option<u8>,
}

impl PartialDate {
    /// The date as written in the data: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    pub fn iso(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }

    /// Where the date falls in its year, from 0 (1 January, or a date given as a year
    /// alone) to just under 1, for placing it on a time axis.
    pub fn fraction_of_year(&self) -> f64 {
        let month = f64::from(self.month.map_or(0, |m| m - 1));
        let day = f64::from(self.day.map_or(0, |d| d - 1));
        (month + day / 31.0) / 12.0
    }
}

impl std::str::FromStr for PartialDate {
    type Err = String;

    fn from_str(s: &str) -> Result<PartialDate, String> {
        let invalid = || format!("'{s}' is not a date: write YYYY, YYYY-MM or YYYY-MM-DD");
        let mut parts = s.split('-');
        let year: u16 = parts
            .next()
            .filter(|y| y.len() == 4)
            .and_then(|y| y.parse().ok())
            .ok_or_else(invalid)?;
        let mut part = |len: usize| -> Result<Option<u8>, String> {
            parts
                .next()
                .map(|p| {
                    p.parse()
                        .ok()
                        .filter(|_| p.len() == len)
                        .ok_or_else(invalid)
                })
                .transpose()
        };
        let (month, day) = (part(2)?, part(2)?);
        if parts.next().is_some() {
            return Err(invalid());
        }
        let month_of_year = month
            .map(|m| time::Month::try_from(m).map_err(|_| format!("'{s}': no month {m}")))
            .transpose()?;
        if let (Some(m), Some(d)) = (month_of_year, day) {
            time::Date::from_calendar_date(i32::from(year), m, d)
                .map_err(|_| format!("'{s}': {m} {year} has no day {d}"))?;
        }
        Ok(PartialDate { year, month, day })
    }
}

impl std::fmt::Display for PartialDate {
    /// "16 February 1946", "February 1946" or "1946".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let month = self.month.and_then(|m| time::Month::try_from(m).ok());
        match (month, self.day) {
            (Some(m), Some(d)) => write!(f, "{d} {m} {}", self.year),
            (Some(m), None) => write!(f, "{m} {}", self.year),
            _ => write!(f, "{}", self.year),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn partial_dates_parse_check_the_calendar_and_print() {
        let d: PartialDate = "1946-02-16".parse().unwrap();
        assert_eq!(d.to_string(), "16 February 1946");
        assert_eq!(d.iso(), "1946-02-16");
        assert_eq!("1992".parse::<PartialDate>().unwrap().to_string(), "1992");
        assert_eq!(
            "1946-02".parse::<PartialDate>().unwrap().to_string(),
            "February 1946"
        );
        assert!("2000-02-29".parse::<PartialDate>().is_ok(), "a leap day");
        for bad in [
            "1900-02-29",
            "2001-13",
            "2001-04-31",
            "20011",
            "2001-1-01",
            "x",
            "2001-01-01-01",
            "",
        ] {
            assert!(bad.parse::<PartialDate>().is_err(), "{bad}");
        }
        assert!(d < "1946-03".parse().unwrap());
    }
}
