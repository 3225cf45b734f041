//! A decoded picture seen upright: the stored pixels turned by the quarter turns its EXIF
//! orientation asks for (a phone stores a portrait photo sideways), without a copy.

use crate::picture::Pixels;

/// The picture as the reader sees it.
pub struct Page<'a> {
    pixels: Pixels<'a>,
    /// The stored width and height.
    stored: (usize, usize),
    /// Quarter turns clockwise that make the stored pixels upright (0 to 3).
    turns: u8,
}

impl<'a> Page<'a> {
    /// `pixels` must hold `width × height` pixels (checked by the caller).
    pub fn new(width: usize, height: usize, pixels: Pixels<'a>, turns: u8) -> Self {
        Page {
            pixels,
            stored: (width, height),
            turns: turns % 4,
        }
    }

    pub fn width(&self) -> usize {
        if self.turns % 2 == 1 {
            self.stored.1
        } else {
            self.stored.0
        }
    }

    pub fn height(&self) -> usize {
        if self.turns % 2 == 1 {
            self.stored.0
        } else {
            self.stored.1
        }
    }

    /// Red, green and blue at `(x, y)` of the upright page (both within its size).
    pub fn rgb(&self, x: usize, y: usize) -> [u8; 3] {
        let (w, h) = self.stored;
        let (sx, sy) = match self.turns {
            // Turned clockwise once: the upright page's top row is the stored left column,
            // read bottom to top.
            1 => (y, h - 1 - x),
            2 => (w - 1 - x, h - 1 - y),
            3 => (w - 1 - y, x),
            _ => (x, y),
        };
        self.pixels.rgb(sy * w + sx)
    }

    /// [`Page::rgb`] between pixels (bilinear), white outside the page.
    pub fn rgb_at(&self, x: f32, y: f32) -> [f32; 3] {
        let (w, h) = (self.width() as f32, self.height() as f32);
        let (x, y) = (x - 0.5, y - 0.5);
        if !(x > -1.0 && y > -1.0 && x < w && y < h) {
            return [255.0; 3];
        }
        let (x0, y0) = (x.floor(), y.floor());
        let (fx, fy) = (x - x0, y - y0);
        let at = |xi: f32, yi: f32| -> [f32; 3] {
            let (xi, yi) = (
                xi.clamp(0.0, w - 1.0) as usize,
                yi.clamp(0.0, h - 1.0) as usize,
            );
            self.rgb(xi, yi).map(f32::from)
        };
        let (a, b, c, d) = (
            at(x0, y0),
            at(x0 + 1.0, y0),
            at(x0, y0 + 1.0),
            at(x0 + 1.0, y0 + 1.0),
        );
        std::array::from_fn(|i| {
            (a[i] * (1.0 - fx) + b[i] * fx) * (1.0 - fy) + (c[i] * (1.0 - fx) + d[i] * fx) * fy
        })
    }
}

/// The quarter turns clockwise an EXIF `Orientation` asks for (1, 3, 6 and 8; the mirrored
/// values are taken as their turn alone: text photographed in a mirror is not a record).
pub fn turns_for_orientation(orientation: Option<u16>) -> u8 {
    match orientation {
        Some(3 | 4) => 2,
        Some(5 | 6) => 1,
        Some(7 | 8) => 3,
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn turns_map_the_upright_page_to_the_stored_pixels() {
        // Stored 3 × 2: 0 1 2 / 3 4 5.
        let grey: Vec<u8> = (0..6).collect();
        let at = |turns| {
            let page = Page::new(3, 2, Pixels::Grey(&grey), turns);
            let (w, h) = (page.width(), page.height());
            (0..h)
                .flat_map(|y| (0..w).map(move |x| (x, y)))
                .map(|(x, y)| page.rgb(x, y)[0])
                .collect::<Vec<_>>()
        };
        assert_eq!(at(0), [0, 1, 2, 3, 4, 5]);
        // Clockwise: the bottom-left stored pixel comes to the top left.
        assert_eq!(at(1), [3, 0, 4, 1, 5, 2]);
        assert_eq!(at(2), [5, 4, 3, 2, 1, 0]);
        assert_eq!(at(3), [2, 5, 1, 4, 0, 3]);
    }
}
