//! Numbers about one camera frame, from its brightness (luma) alone. The checklist decides what
//! they mean (too dark, backlit…); this module only measures.
//!
//! The face is taken to be in the middle: the central third of the width and the middle half of
//! the height. The border is everything outside the central 60 % × 75 %, where a window behind
//! the user shows. The band between the two (hair, shoulders) counts for neither.

use klaar_facts::PictureStats;

/// Pixels darker than this are nearly black; BSI OFIQ calls 0–25 under-exposed for faces.
pub const BLACK_BELOW: u8 = 25;
/// Pixels brighter than this are blown out; BSI OFIQ calls 247–255 over-exposed.
pub const BLOWN_ABOVE: u8 = 246;

/// A frame as luma (0–255) per pixel, row by row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LumaFrame {
    pub width: usize,
    pub height: usize,
    pub luma: Vec<u8>,
}

impl LumaFrame {
    /// From packed RGB, with the BT.601 weights cameras use.
    pub fn from_rgb(width: usize, height: usize, rgb: &[u8]) -> LumaFrame {
        let luma = rgb
            .chunks_exact(3)
            .map(|p| ((299 * p[0] as u32 + 587 * p[1] as u32 + 114 * p[2] as u32) / 1000) as u8)
            .collect();
        LumaFrame {
            width,
            height,
            luma,
        }
    }

    /// From YUYV (YUV 4:2:2), the format most webcams send uncompressed: every other byte is Y.
    pub fn from_yuyv(width: usize, height: usize, yuyv: &[u8]) -> LumaFrame {
        LumaFrame {
            width,
            height,
            luma: yuyv.iter().step_by(2).copied().collect(),
        }
    }
}

pub fn measure(frame: &LumaFrame) -> Option<PictureStats> {
    let (w, h) = (frame.width, frame.height);
    if w < 5 || h < 8 || frame.luma.len() < w * h {
        return None;
    }
    let (cx0, cx1, cy0, cy1) = (w / 3, w - w / 3, h / 4, h - h / 4);
    let (bx, by) = (w / 5, h / 8);
    let mut histogram = [0u64; 256];
    let (mut center, mut center_n, mut border, mut border_n) = (0u64, 0u64, 0u64, 0u64);
    for (y, row) in frame.luma.chunks_exact(w).take(h).enumerate() {
        for (x, &l) in row.iter().enumerate() {
            histogram[l as usize] += 1;
            if (cx0..cx1).contains(&x) && (cy0..cy1).contains(&y) {
                center += l as u64;
                center_n += 1;
            } else if x < bx || x >= w - bx || y < by || y >= h - by {
                border += l as u64;
                border_n += 1;
            }
        }
    }
    let total = (w * h) as u64;
    let sum: u64 = histogram
        .iter()
        .enumerate()
        .map(|(l, n)| l as u64 * n)
        .sum();
    let p95 = {
        let wanted = (total * 95).div_ceil(100);
        let mut seen = 0;
        histogram
            .iter()
            .position(|n| {
                seen += n;
                seen >= wanted
            })
            .unwrap_or(255) as u8
    };
    let share =
        |from: usize, to: usize| histogram[from..=to].iter().sum::<u64>() as f64 / total as f64;
    let center_luma = center as f64 / center_n as f64;
    let border_luma = border as f64 / border_n as f64;
    Some(PictureStats {
        width: w as u32,
        height: h as u32,
        mean_luma: round(sum as f64 / total as f64, 1),
        p95_luma: p95,
        center_luma: round(center_luma, 1),
        border_luma: round(border_luma, 1),
        // Floors of 1 keep the ratio finite when a part is pure black.
        center_to_border: round(center_luma.max(1.0) / border_luma.max(1.0), 2),
        black_share: round(share(0, BLACK_BELOW as usize - 1), 3),
        blown_share: round(share(BLOWN_ABOVE as usize + 1, 255), 3),
    })
}

fn round(value: f64, digits: i32) -> f64 {
    let scale = 10f64.powi(digits);
    (value * scale).round() / scale
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(w: usize, h: usize, f: impl Fn(usize, usize) -> u8) -> LumaFrame {
        let luma = (0..h)
            .flat_map(|y| (0..w).map(move |x| (x, y)))
            .map(|(x, y)| f(x, y))
            .collect();
        LumaFrame {
            width: w,
            height: h,
            luma,
        }
    }

    #[test]
    fn an_even_grey_picture() {
        let stats = measure(&frame(64, 48, |_, _| 128)).unwrap();
        assert_eq!(stats.mean_luma, 128.0);
        assert_eq!(stats.p95_luma, 128);
        assert_eq!(stats.center_to_border, 1.0);
        assert_eq!(stats.black_share, 0.0);
        assert_eq!(stats.blown_share, 0.0);
    }

    #[test]
    fn a_dark_middle_before_a_bright_border() {
        let stats = measure(&frame(64, 48, |x, y| {
            if (20..44).contains(&x) && (10..38).contains(&y) {
                40
            } else {
                230
            }
        }))
        .unwrap();
        assert_eq!(stats.center_luma, 40.0);
        assert_eq!(stats.border_luma, 230.0);
        assert_eq!(stats.center_to_border, 0.17);
    }

    #[test]
    fn black_and_blown_shares() {
        let stats = measure(&frame(10, 10, |x, _| if x < 5 { 0 } else { 255 })).unwrap();
        assert_eq!(stats.black_share, 0.5);
        assert_eq!(stats.blown_share, 0.5);
        assert_eq!(stats.p95_luma, 255);
    }

    #[test]
    fn too_small_or_short_frames_give_nothing() {
        assert_eq!(measure(&frame(4, 4, |_, _| 0)), None);
        let short = LumaFrame {
            width: 64,
            height: 48,
            luma: vec![0; 10],
        };
        assert_eq!(measure(&short), None);
    }

    #[test]
    fn yuyv_and_rgb_give_luma() {
        let yuyv = LumaFrame::from_yuyv(2, 1, &[10, 128, 20, 128]);
        assert_eq!(yuyv.luma, vec![10, 20]);
        let rgb = LumaFrame::from_rgb(2, 1, &[255, 255, 255, 0, 0, 0]);
        assert_eq!(rgb.luma, vec![255, 0]);
    }
}
