//! What a text line says: the line cut out of the page along its box (turned straight, scaled
//! to the recogniser's height), fed to the recogniser in windows of one fixed width (one plan
//! for every line: a long line is cut between characters, where the fewest dark pixels are),
//! and the recogniser's output read as CTC (best class per step, repeats and blanks dropped).

use super::detect::LineBox;
use super::page::Page;

/// The recogniser's input height (PP-OCR's `rec_img_shape`).
pub const HEIGHT: usize = 48;
/// The recogniser's fixed input width: 10 heights, a line of ~10 Chinese characters. Longer
/// lines are read in several windows; shorter ones are padded.
pub const WIDTH: usize = 480;
/// A window is cut in its last quarter.
const CUT_FROM: usize = WIDTH * 3 / 4;

/// A line cut out of the page: `width × HEIGHT` grey values 0–255 (the colour planes are
/// kept too, as the model reads them: blue, green, red).
pub struct LineImage {
    pub width: usize,
    /// `3 × HEIGHT × width`, planes of blue, green, red.
    bgr: Vec<f32>,
}

/// The line of `line` cut out of `page`, turned straight, `HEIGHT` high, at most `max_width`
/// wide (a longer one is squeezed).
pub fn cut(page: &Page<'_>, line: &LineBox, max_width: usize) -> LineImage {
    let ratio = line.width / line.height.max(1.0);
    let width = ((HEIGHT as f32 * ratio).round() as usize).clamp(1, max_width);
    let mut bgr = vec![0.0f32; 3 * HEIGHT * width];
    let (vx, vy) = (-line.uy, line.ux);
    for y in 0..HEIGHT {
        let v = ((y as f32 + 0.5) / HEIGHT as f32 - 0.5) * line.height;
        for x in 0..width {
            let u = ((x as f32 + 0.5) / width as f32 - 0.5) * line.width;
            let [r, g, b] = page.rgb_at(
                line.cx + u * line.ux + v * vx,
                line.cy + u * line.uy + v * vy,
            );
            for (c, value) in [b, g, r].into_iter().enumerate() {
                bgr[c * HEIGHT * width + y * width + x] = value;
            }
        }
    }
    LineImage { width, bgr }
}

impl LineImage {
    /// The recogniser's inputs for this line: `3 × HEIGHT × WIDTH` each, in
    /// `(v / 255 - 0.5) / 0.5`, zero (PP-OCR's padding) past the line's end.
    pub fn windows(&self) -> Vec<Vec<f32>> {
        let mut out = Vec::new();
        let mut start = 0;
        while start < self.width {
            let end = if self.width - start <= WIDTH {
                self.width
            } else {
                self.lightest_column(start + CUT_FROM, start + WIDTH)
            };
            out.push(self.input(start, end, WIDTH));
            start = end;
        }
        out
    }

    /// The whole line as one input `width` wide (the direction classifier's: a line cut out
    /// at most that wide), as [`LineImage::windows`] makes them.
    pub fn padded(&self, width: usize) -> Vec<f32> {
        self.input(0, self.width.min(width), width)
    }

    /// Columns `start..end` as an input `width` wide (`end - start ≤ width`), zero past them.
    fn input(&self, start: usize, end: usize, width: usize) -> Vec<f32> {
        let mut input = vec![0.0f32; 3 * HEIGHT * width];
        for c in 0..3 {
            for y in 0..HEIGHT {
                let from = c * HEIGHT * self.width + y * self.width;
                let to = c * HEIGHT * width + y * width;
                for x in start..end {
                    input[to + x - start] = (self.bgr[from + x] / 255.0 - 0.5) / 0.5;
                }
            }
        }
        input
    }

    /// The column in `from..to` with the least ink (the darkest pixels summed against the
    /// line's brightest): a gap between characters, where a window may end.
    fn lightest_column(&self, from: usize, to: usize) -> usize {
        let grey = |x: usize, y: usize| {
            let at = y * self.width + x;
            let plane = HEIGHT * self.width;
            (self.bgr[at] + self.bgr[plane + at] + self.bgr[2 * plane + at]) / 3.0
        };
        let ground = (0..self.width)
            .step_by(4)
            .flat_map(|x| (0..HEIGHT).step_by(4).map(move |y| (x, y)))
            .map(|(x, y)| grey(x, y))
            .fold(0.0f32, f32::max);
        (from..to)
            .min_by(|&a, &b| {
                let ink = |x| (0..HEIGHT).map(|y| ground - grey(x, y)).sum::<f32>();
                ink(a).total_cmp(&ink(b))
            })
            .unwrap_or(to)
    }
}

/// The text of a recogniser output of `steps × classes` scores: the best class at each step,
/// a repeat of the step before and the blank (class 0) dropped, class `i` being
/// `charset[i - 1]`; and the mean score of the characters kept (`None` when there are none).
pub fn ctc(scores: &[f32], classes: usize, charset: &[String]) -> (String, Option<f32>) {
    let mut text = String::new();
    let (mut sum, mut count) = (0.0f32, 0usize);
    let mut before = 0;
    for step in scores.chunks_exact(classes) {
        let (best, score) = step
            .iter()
            .copied()
            .enumerate()
            .fold((0, f32::MIN), |a, b| if b.1 > a.1 { b } else { a });
        if best != 0 && best != before {
            if let Some(c) = charset.get(best - 1) {
                text.push_str(c);
                sum += score;
                count += 1;
            }
        }
        before = best;
    }
    (text, (count > 0).then(|| sum / count as f32))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::picture::Pixels;

    #[test]
    fn ctc_drops_blanks_and_repeats() {
        let charset: Vec<String> = ["病", "理", " "].map(String::from).to_vec();
        // Steps: 病 病 blank 理 理 blank 理 — "病理理" (a blank separates two 理).
        let best = [1, 1, 0, 2, 2, 0, 2];
        let scores: Vec<f32> = best
            .iter()
            .flat_map(|&b| (0..4).map(move |c| if c == b { 0.9 } else { 0.02 }))
            .collect();
        let (text, score) = ctc(&scores, 4, &charset);
        assert_eq!(text, "病理理");
        assert!((score.unwrap() - 0.9).abs() < 1e-6);
        assert_eq!(
            ctc(&[0.9, 0.1, 0.0, 0.0], 4, &charset),
            (String::new(), None)
        );
    }

    #[test]
    fn a_long_line_is_cut_in_a_gap() {
        // A white line 1,000 px wide at height 48 with black columns everywhere but 400..420.
        let (w, h) = (1000usize, HEIGHT);
        let grey: Vec<u8> = (0..w * h)
            .map(|i| {
                if (400..420).contains(&(i % w)) {
                    255
                } else {
                    0
                }
            })
            .collect();
        let page = Page::new(w, h, Pixels::Grey(&grey), 0);
        let line = LineBox {
            cx: 500.0,
            cy: 24.0,
            ux: 1.0,
            uy: 0.0,
            width: 1000.0,
            height: 48.0,
        };
        let image = cut(&page, &line, 4000);
        assert_eq!(image.width, 1000);
        assert!((CUT_FROM..WIDTH).contains(&400));
        let windows = image.windows();
        assert_eq!(windows.len(), 3);
        // The first window ends in the gap: its last columns (from the cut on) are padding.
        let cut_at = (0..WIDTH).rev().find(|&x| windows[0][x] != 0.0).unwrap() + 1;
        assert!((400..420).contains(&cut_at), "{cut_at}");
    }
}
