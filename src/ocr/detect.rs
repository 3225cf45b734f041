//! Where the text lines are: the page scaled into the detector's fixed square, and the
//! detector's probability map turned into rotated line boxes (the DB post-processing of
//! PP-OCR: threshold, dilate, connected regions, the smallest rectangle around each, kept when
//! the region is sure enough, then grown by the share of its area the model was trained to
//! shrink text by).

use super::page::Page;

/// The detector's input is this square (a multiple of 32): one plan for every page. 1,280 keeps
/// the characters of a full A4 page photographed whole ~14 px high, which the detector finds.
pub const SIDE: usize = 1280;

/// A map value above this is text (PP-OCR's `thresh`).
const TEXT: f32 = 0.3;
/// A region whose mean value is below this is dropped (`box_thresh`).
const SURE: f32 = 0.5;
/// How much a region is grown back (`unclip_ratio`).
const UNCLIP: f32 = 1.6;

/// A text line: a rotated rectangle in the upright page's pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineBox {
    /// Centre.
    pub cx: f32,
    pub cy: f32,
    /// Unit vector along the line (its x is ≥ 0: left to right).
    pub ux: f32,
    pub uy: f32,
    /// Length along the line and height across it.
    pub width: f32,
    pub height: f32,
}

/// The page scaled to fit [`SIDE`] (never enlarged more than twice), in the top left of the
/// square, as the detector wants it: planes of blue, green and red (PP-OCR reads BGR) in
/// `(v / 255 - 0.5) / 0.5`, zero beyond the page. Returns the planes and the scale.
pub fn input(page: &Page<'_>) -> (Vec<f32>, f32) {
    let (w, h) = (page.width(), page.height());
    let scale = (SIDE as f32 / w.max(h) as f32).min(2.0);
    let (sw, sh) = (
        ((w as f32 * scale) as usize).clamp(1, SIDE),
        ((h as f32 * scale) as usize).clamp(1, SIDE),
    );
    // Each output pixel averages up to 4 × 4 samples of its area of the page (anti-aliasing
    // for a 12 MP photo scaled ~3×).
    let step = (1.0 / scale).ceil().clamp(1.0, 4.0) as usize;
    let mut planes = vec![0.0f32; 3 * SIDE * SIDE];
    for y in 0..sh {
        for x in 0..sw {
            let mut sum = [0u32; 3];
            for j in 0..step {
                for i in 0..step {
                    let px = ((x as f32 + (i as f32 + 0.5) / step as f32) / scale) as usize;
                    let py = ((y as f32 + (j as f32 + 0.5) / step as f32) / scale) as usize;
                    let [r, g, b] = page.rgb(px.min(w - 1), py.min(h - 1));
                    sum[0] += u32::from(b);
                    sum[1] += u32::from(g);
                    sum[2] += u32::from(r);
                }
            }
            let n = (step * step) as f32 * 255.0;
            for (c, s) in sum.iter().enumerate() {
                planes[c * SIDE * SIDE + y * SIDE + x] = (*s as f32 / n - 0.5) / 0.5;
            }
        }
    }
    (planes, scale)
}

/// The line boxes in the detector's `map` (`SIDE × SIDE` probabilities), in the page's pixels
/// (`scale` is [`input`]'s), at most `max_boxes` of them (the surest first).
pub fn boxes(map: &[f32], scale: f32, max_boxes: usize) -> Vec<LineBox> {
    let text: Vec<bool> = map.iter().map(|&p| p > TEXT).collect();
    // Dilated by a 2 × 2 square (PP-OCR's `use_dilation`): strokes of one line join.
    let mut grown = text.clone();
    for y in 0..SIDE {
        for x in 0..SIDE {
            if !text[y * SIDE + x] {
                grown[y * SIDE + x] = (x > 0 && text[y * SIDE + x - 1])
                    || (y > 0 && text[(y - 1) * SIDE + x])
                    || (x > 0 && y > 0 && text[(y - 1) * SIDE + x - 1]);
            }
        }
    }
    let mut seen = vec![false; SIDE * SIDE];
    let mut found: Vec<(f32, LineBox)> = Vec::new();
    let mut stack = Vec::new();
    let mut region: Vec<(f32, f32)> = Vec::new();
    for start in 0..SIDE * SIDE {
        if !grown[start] || seen[start] {
            continue;
        }
        // One 4-connected region, flood-filled.
        region.clear();
        let mut sum = 0.0;
        seen[start] = true;
        stack.push(start);
        while let Some(at) = stack.pop() {
            let (x, y) = (at % SIDE, at / SIDE);
            region.push((x as f32, y as f32));
            sum += map[at];
            let mut visit = |n: usize| {
                if grown[n] && !seen[n] {
                    seen[n] = true;
                    stack.push(n);
                }
            };
            if x > 0 {
                visit(at - 1);
            }
            if x + 1 < SIDE {
                visit(at + 1);
            }
            if y > 0 {
                visit(at - SIDE);
            }
            if y + 1 < SIDE {
                visit(at + SIDE);
            }
        }
        let score = sum / region.len() as f32;
        if region.len() < 9 || score < SURE {
            continue;
        }
        let Some(mut line) = smallest_rectangle(&region) else {
            continue;
        };
        if line.height < 3.0 {
            continue;
        }
        // Pixel centres span one pixel less than the region covers.
        line.width += 1.0;
        line.height += 1.0;
        let grow = line.width * line.height * UNCLIP / (2.0 * (line.width + line.height));
        line.width += 2.0 * grow;
        line.height += 2.0 * grow;
        if line.height < 5.0 {
            continue;
        }
        found.push((
            score,
            LineBox {
                cx: line.cx / scale,
                cy: line.cy / scale,
                width: line.width / scale,
                height: line.height / scale,
                ..line
            },
        ));
    }
    found.sort_by(|a, b| b.0.total_cmp(&a.0));
    found.truncate(max_boxes);
    found.into_iter().map(|(_, b)| b).collect()
}

/// The rectangle of least area around `points` (rotating calipers over their convex hull), with
/// its long side taken as the line's direction when it is not steeper than 45°, else the axis
/// nearer the horizontal.
fn smallest_rectangle(points: &[(f32, f32)]) -> Option<LineBox> {
    let hull = convex_hull(points);
    if hull.len() < 3 {
        return None;
    }
    let mut best: Option<(f32, LineBox)> = None;
    for i in 0..hull.len() {
        let (a, b) = (hull[i], hull[(i + 1) % hull.len()]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let len = (dx * dx + dy * dy).sqrt();
        if len == 0.0 {
            continue;
        }
        let (ux, uy) = (dx / len, dy / len);
        let (mut lo_u, mut hi_u, mut lo_v, mut hi_v) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for &(x, y) in &hull {
            let u = x * ux + y * uy;
            let v = -x * uy + y * ux;
            lo_u = lo_u.min(u);
            hi_u = hi_u.max(u);
            lo_v = lo_v.min(v);
            hi_v = hi_v.max(v);
        }
        let area = (hi_u - lo_u) * (hi_v - lo_v);
        if best.as_ref().is_none_or(|(a, _)| area < *a) {
            let (mu, mv) = ((lo_u + hi_u) / 2.0, (lo_v + hi_v) / 2.0);
            best = Some((
                area,
                LineBox {
                    cx: mu * ux - mv * uy,
                    cy: mu * uy + mv * ux,
                    ux,
                    uy,
                    width: hi_u - lo_u,
                    height: hi_v - lo_v,
                },
            ));
        }
    }
    best.map(|(_, b)| upright(b))
}

/// The same rectangle with `u` the axis nearer the horizontal, pointing right.
fn upright(b: LineBox) -> LineBox {
    let (mut ux, mut uy, mut width, mut height) = (b.ux, b.uy, b.width, b.height);
    if uy.abs() > ux.abs() {
        // Turn the axes a quarter: the other side is the line.
        (ux, uy) = (uy, -ux);
        (width, height) = (height, width);
    }
    if ux < 0.0 {
        (ux, uy) = (-ux, -uy);
    }
    LineBox {
        ux,
        uy,
        width,
        height,
        ..b
    }
}

/// The convex hull of `points` (Andrew's monotone chain), counter-clockwise.
fn convex_hull(points: &[(f32, f32)]) -> Vec<(f32, f32)> {
    let mut sorted = points.to_vec();
    sorted.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    sorted.dedup();
    if sorted.len() < 3 {
        return sorted;
    }
    let cross = |o: (f32, f32), a: (f32, f32), b: (f32, f32)| {
        (a.0 - o.0) * (b.1 - o.1) - (a.1 - o.1) * (b.0 - o.0)
    };
    let mut hull: Vec<(f32, f32)> = Vec::with_capacity(2 * sorted.len());
    for pass in 0..2 {
        let start = hull.len();
        let points: Box<dyn Iterator<Item = &(f32, f32)>> = if pass == 0 {
            Box::new(sorted.iter())
        } else {
            Box::new(sorted.iter().rev())
        };
        for &p in points {
            while hull.len() >= start + 2
                && cross(hull[hull.len() - 2], hull[hull.len() - 1], p) <= 0.0
            {
                hull.pop();
            }
            hull.push(p);
        }
        hull.pop();
    }
    hull
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tilted_bar_gives_its_rectangle() {
        // A 40 × 6 bar turned by atan(0.1) (~5.7°), its pixel centres.
        let (ux, uy) = (1.0 / 1.01f32.sqrt(), 0.1 / 1.01f32.sqrt());
        let mut points = Vec::new();
        for i in 0..=40 {
            for j in 0..=6 {
                let (u, v) = (i as f32 - 20.0, j as f32 - 3.0);
                points.push((100.0 + u * ux - v * uy, 50.0 + u * uy + v * ux));
            }
        }
        let b = smallest_rectangle(&points).unwrap();
        assert!(
            (b.cx - 100.0).abs() < 0.01 && (b.cy - 50.0).abs() < 0.01,
            "{b:?}"
        );
        assert!(
            (b.width - 40.0).abs() < 0.01 && (b.height - 6.0).abs() < 0.01,
            "{b:?}"
        );
        assert!(
            (b.ux - ux).abs() < 1e-4 && (b.uy - uy).abs() < 1e-4,
            "{b:?}"
        );
    }

    #[test]
    fn regions_of_the_map_become_boxes_in_page_pixels() {
        let mut map = vec![0.0f32; SIDE * SIDE];
        // A line 100 × 10 at (200, 300) of the map; a faint region that is dropped; a speck.
        for y in 300..310 {
            for x in 200..300 {
                map[y * SIDE + x] = 0.9;
            }
            for x in 400..500 {
                map[y * SIDE + x] = 0.35;
            }
        }
        map[1000 * SIDE + 1000] = 0.9;
        let found = boxes(&map, 0.5, 10);
        assert_eq!(found.len(), 1, "{found:?}");
        let b = found[0];
        // Dilation adds a pixel right and below; the page is twice the map.
        assert!(
            (b.cx - 2.0 * 250.0).abs() < 2.0 && (b.cy - 2.0 * 305.0).abs() < 2.0,
            "{b:?}"
        );
        let grow = 101.0 * 11.0 * UNCLIP / (2.0 * 112.0);
        assert!((b.height - 2.0 * (11.0 + 2.0 * grow)).abs() < 1.0, "{b:?}");
        assert!(b.width > b.height && b.ux > 0.99);
    }
}
