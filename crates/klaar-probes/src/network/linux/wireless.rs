//! `/proc/net/wireless`: signal level of Wi-Fi interfaces.

/// The signal in dBm for `interface`, if the file lists it with a usable level.
pub fn signal_dbm(text: &str, interface: &str) -> Option<i32> {
    text.lines().skip(2).find_map(|line| {
        let (name, rest) = line.split_once(':')?;
        if name.trim() != interface {
            return None;
        }
        // Columns: status, link quality, level, noise, …; values end in '.' when updated.
        let level: f64 = rest
            .split_whitespace()
            .nth(2)?
            .trim_end_matches('.')
            .parse()
            .ok()?;
        // Old drivers report dBm as an unsigned byte (256 + dBm).
        let dbm = if level > 63.0 && level < 256.0 {
            level - 256.0
        } else {
            level
        };
        (-120.0..0.0).contains(&dbm).then_some(dbm.round() as i32)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const SAMPLE: &str =
        "Inter-| sta-|   Quality        |   Discarded packets               | Missed | WE
 face | tus | link level noise |  nwid  crypt   frag  retry   misc | beacon | 22
wlp0s20f3: 0000   54.  -56.  -256        0      0      0      3     61        0
  wlan1: 0000   20.  190.  0        0      0      0      3     61        0
";

    #[test]
    fn levels() {
        assert_eq!(signal_dbm(SAMPLE, "wlp0s20f3"), Some(-56));
        assert_eq!(signal_dbm(SAMPLE, "wlan1"), Some(-66));
        assert_eq!(signal_dbm(SAMPLE, "eth0"), None);
    }

    proptest! {
        #[test]
        fn never_panics(text in "\\PC*", name in "[a-z0-9]{1,8}") {
            let _ = signal_dbm(&text, &name);
        }
    }
}
