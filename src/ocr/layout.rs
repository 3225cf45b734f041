//! Reading order: the recognised pieces grouped into rows (pieces whose centres lie within half
//! a line's height of the row, measured across the page's main text direction, so a page
//! photographed a little turned still reads row by row), top to bottom, each row left to right.

use super::detect::LineBox;

/// A row being gathered: its centre across the text, its mean height, and its pieces with
/// their places along the text.
struct Row {
    centre: f32,
    height: f32,
    pieces: Vec<(f32, String)>,
}

/// The pieces' texts as lines of text: a row's pieces joined by a space, rows by `\n`.
pub fn reading_order(pieces: Vec<(LineBox, String)>) -> String {
    if pieces.is_empty() {
        return String::new();
    }
    // The page's text direction: the median of the pieces' directions (by their angle).
    let mut angles: Vec<f32> = pieces.iter().map(|(b, _)| b.uy.atan2(b.ux)).collect();
    angles.sort_by(f32::total_cmp);
    let angle = angles[angles.len() / 2];
    let (ux, uy) = (angle.cos(), angle.sin());
    // Each piece's place along the text (`along`) and across it (`across`).
    let mut placed: Vec<(f32, f32, f32, String)> = pieces
        .into_iter()
        .map(|(b, text)| {
            (
                b.cx * ux + b.cy * uy,
                -b.cx * uy + b.cy * ux,
                b.height,
                text,
            )
        })
        .collect();
    placed.sort_by(|a, b| a.1.total_cmp(&b.1));
    let mut rows: Vec<Row> = Vec::new();
    for (along, across, height, text) in placed {
        match rows.last_mut() {
            // Joins the row when its centre is within half the row's height of the row's.
            Some(row) if (across - row.centre).abs() < row.height / 2.0 => {
                let n = row.pieces.len() as f32;
                row.centre = (row.centre * n + across) / (n + 1.0);
                row.height = (row.height * n + height) / (n + 1.0);
                row.pieces.push((along, text));
            }
            _ => rows.push(Row {
                centre: across,
                height,
                pieces: vec![(along, text)],
            }),
        }
    }
    rows.into_iter()
        .map(|mut row| {
            row.pieces.sort_by(|a, b| a.0.total_cmp(&b.0));
            row.pieces
                .into_iter()
                .map(|(_, t)| t)
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn piece(cx: f32, cy: f32, text: &str) -> (LineBox, String) {
        // Turned ~3° (down to the right), as on a photographed page.
        let (ux, uy) = (0.9986, 0.0523);
        (
            LineBox {
                cx,
                cy,
                ux,
                uy,
                width: 100.0,
                height: 30.0,
            },
            text.to_string(),
        )
    }

    #[test]
    fn rows_top_to_bottom_and_left_to_right_on_a_turned_page() {
        // Two rows 40 px apart; the right cell of the first row is 47 px lower (the turn),
        // lower than the second row's left cell: a straight reading would put it after.
        let text = reading_order(vec![
            piece(1000.0, 147.0, "女"),
            piece(100.0, 140.0, "病理号"),
            piece(500.0, 121.0, "性别"),
            piece(100.0, 100.0, "姓名"),
        ]);
        assert_eq!(text, "姓名 性别 女\n病理号");
        assert_eq!(reading_order(Vec::new()), "");
    }
}
