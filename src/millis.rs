//! Durations in batt's JSON files: a number of milliseconds, rounded to the microsecond, in
//! both directions (`#[serde(with = "crate::millis")]`), so results.json reads back into
//! the same records that wrote it (for `batt report` and `batt merge`).

use std::time::Duration;

use serde::{Deserialize, Deserializer, Serializer};

/// Milliseconds rounded to the microsecond, as the files hold them.
pub fn rounded_ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e6).round() / 1e3
}

pub fn serialize<S: Serializer>(d: &Duration, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(rounded_ms(*d))
}

pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Duration, D::Error> {
    let ms = f64::deserialize(d)?;
    if !(ms >= 0.0 && ms.is_finite()) {
        return Err(serde::de::Error::custom(format!("a duration must be a non-negative number of ms, got {ms}")));
    }
    Ok(Duration::from_secs_f64(ms / 1e3))
}
