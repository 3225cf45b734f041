//! Which files the thumbnails are made of: for each series of images, the middle instance by
//! position (the slice in the middle of the volume, which shows the anatomy best), with the
//! series' files in that order for the page's quick look; and every photo or screenshot. The
//! page and the CLI make the thumbnails ([`crate::pixels`], the browser's decoders); this says
//! only which.

use std::collections::HashMap;

use serde::Serialize;

use super::{flatten, Series, Study};
use crate::dicom::{DicomClass, DicomInfo};
use crate::entry::{FileEntry, FileKind};

/// One thumbnail to make.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ThumbnailTarget {
    /// The file shown, as in `files[].path`.
    pub path: String,
    /// A series' files by position (the quick look steps through them), `path` among them;
    /// empty for a photo or screenshot.
    pub series_files: Vec<String>,
}

/// The thumbnails of a case: one per series of pixel images (original, derived, captures,
/// photographs in DICOM), in the order of the studies, then one per photo or screenshot.
pub fn targets(studies: &[Study], files: &[FileEntry]) -> Vec<ThumbnailTarget> {
    let all = flatten(files);
    let by_path: HashMap<&str, &FileEntry> = all.iter().map(|e| (e.path.as_str(), *e)).collect();
    let mut out = Vec::new();
    for series in studies.iter().flat_map(|s| &s.series) {
        if !shows_pixels(series) {
            continue;
        }
        let ordered = by_position(series, &by_path);
        if let Some(middle) = ordered.get(ordered.len() / 2) {
            out.push(ThumbnailTarget {
                path: middle.clone(),
                series_files: ordered,
            });
        }
    }
    out.extend(
        all.iter()
            .filter(|e| matches!(e.kind, FileKind::Photo | FileKind::Screenshot))
            .map(|e| ThumbnailTarget {
                path: e.path.clone(),
                series_files: Vec::new(),
            }),
    );
    out
}

/// Whether a series is of objects with pixel data to show.
fn shows_pixels(series: &Series) -> bool {
    matches!(
        series.class,
        Some(
            DicomClass::Image
                | DicomClass::SecondaryCapture
                | DicomClass::Photograph
                | DicomClass::Rt
        ) | None
    )
}

/// The series' files ordered along the slices' normal (Image Position on the normal of Image
/// Orientation) when every file gives both, else as the series lists them (instance number).
fn by_position(series: &Series, by_path: &HashMap<&str, &FileEntry>) -> Vec<String> {
    let along: Option<Vec<f64>> = series
        .files
        .iter()
        .map(|p| by_path.get(p.as_str()).and_then(|e| e.dicom.as_ref()))
        .map(|d| d.and_then(distance_along_normal))
        .collect();
    let mut files: Vec<(usize, &String)> = series.files.iter().enumerate().collect();
    if let Some(along) = along {
        // Stable: slices at the same position keep their instance order.
        files.sort_by(|(a, _), (b, _)| along[*a].total_cmp(&along[*b]));
    }
    files.into_iter().map(|(_, p)| p.clone()).collect()
}

/// Where a slice is along its normal (PS3.3 C.7.6.2.1.1: the cross product of the row and
/// column directions).
fn distance_along_normal(d: &DicomInfo) -> Option<f64> {
    let (p, o) = (d.image_position?, d.image_orientation?);
    let n = [
        o[1] * o[5] - o[2] * o[4],
        o[2] * o[3] - o[0] * o[5],
        o[0] * o[4] - o[1] * o[3],
    ];
    Some(p[0] * n[0] + p[1] * n[1] + p[2] * n[2])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::msg;

    fn slice(path: &str, instance: i64, z: f64) -> FileEntry {
        let mut e = FileEntry::new(
            path,
            1,
            FileKind::Dicom,
            msg!("reason.not-scanned", why = "test"),
        );
        e.dicom = Some(DicomInfo {
            class: Some(DicomClass::Image),
            instance_number: Some(instance),
            image_position: Some([0.0, 0.0, z]),
            image_orientation: Some([1.0, 0.0, 0.0, 0.0, 1.0, 0.0]),
            ..Default::default()
        });
        e
    }

    fn series(files: &[&str]) -> Series {
        Series {
            series_instance_uid: Some("1.2.3".into()),
            number: None,
            description: None,
            modality: Some("CT".into()),
            body_part: None,
            class: Some(DicomClass::Image),
            files: files.iter().map(|f| f.to_string()).collect(),
            instance_numbers: Vec::new(),
            localizer: false,
            derived: false,
            secondary: false,
            lossy: false,
            slice_thickness: None,
            images_in_acquisition: None,
            frames: 0,
            axial: None,
            spacing_between_slices: None,
        }
    }

    fn study(series: Vec<Series>) -> Study {
        Study {
            study_instance_uid: None,
            patient: 0,
            date: None,
            description: None,
            accession_number: None,
            institution: None,
            modalities: vec!["CT".into()],
            image_count: series.iter().map(|x| x.files.len()).sum(),
            image_series: series.len(),
            series,
        }
    }

    #[test]
    fn the_middle_slice_is_chosen_by_position_not_by_instance_number() {
        // Instance numbers run head to feet, positions feet to head, with a gap: by position
        // the order is c, b, a, e, d and the middle one is a.
        let files = vec![
            slice("a", 1, 30.0),
            slice("b", 2, 20.0),
            slice("c", 3, 10.0),
            slice("d", 4, 90.0),
            slice("e", 5, 40.0),
        ];
        let study = study(vec![series(&["a", "b", "c", "d", "e"])]);
        let got = targets(&[study], &files);
        assert_eq!(got.len(), 1);
        assert_eq!(got[0].path, "a");
        assert_eq!(got[0].series_files, ["c", "b", "a", "e", "d"]);
    }

    #[test]
    fn without_positions_the_instance_order_is_kept_and_pictures_follow() {
        let mut files: Vec<FileEntry> = ["a", "b", "c", "d"]
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let mut e = slice(p, i as i64 + 1, 0.0);
                e.dicom.as_mut().unwrap().image_position = None;
                e
            })
            .collect();
        files.push(FileEntry::new(
            "photo.jpg",
            1,
            FileKind::Photo,
            msg!("reason.not-scanned", why = "test"),
        ));
        let mut sr = series(&["sr"]);
        sr.class = Some(DicomClass::StructuredReport);
        let study = study(vec![series(&["a", "b", "c", "d"]), sr]);
        let got = targets(&[study], &files);
        let paths: Vec<&str> = got.iter().map(|t| t.path.as_str()).collect();
        assert_eq!(paths, ["c", "photo.jpg"]);
        assert!(got[1].series_files.is_empty());
    }
}
