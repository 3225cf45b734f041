//! JPEG, GIF and WebP: dimensions from `imagesize`, EXIF (JPEG, WebP) from `kamadak-exif`.

use super::{exif, kib_text, Evidence, RasterFacts};
use crate::text::{msg, Message};

pub(super) fn read_jpeg(
    head: &[u8],
    whole: bool,
    facts: &mut RasterFacts,
    ev: &mut Evidence,
) -> Result<(), Message> {
    match imagesize::blob_size(head) {
        Ok(sz) => set_dims(facts, sz.width, sz.height),
        Err(imagesize::ImageError::IoError(_)) if whole => {
            return Err(msg!("error.raster.jpeg-truncated", bytes = head.len()));
        }
        Err(imagesize::ImageError::IoError(_)) => {
            return Err(msg!(
                "error.raster.jpeg-no-frame",
                read = kib_text(head.len())
            ));
        }
        Err(_) => return Err(msg!("error.raster.jpeg-damaged")),
    }
    exif::apply_container(head, facts, ev);
    Ok(())
}

pub(super) fn read_gif(head: &[u8], facts: &mut RasterFacts) -> Result<(), Message> {
    match imagesize::blob_size(head) {
        Ok(sz) => {
            set_dims(facts, sz.width, sz.height);
            Ok(())
        }
        Err(_) => Err(msg!("error.raster.gif-cut", bytes = head.len())),
    }
}

pub(super) fn read_webp(
    head: &[u8],
    facts: &mut RasterFacts,
    ev: &mut Evidence,
) -> Result<(), Message> {
    match imagesize::blob_size(head) {
        Ok(sz) => {
            let (mut w, mut h) = (sz.width, sz.height);
            if head.get(12..16) == Some(&b"VP8 "[..]) {
                // Lossy frame: the top two bits of each 16-bit field are a scale.
                w &= 0x3FFF;
                h &= 0x3FFF;
            }
            set_dims(facts, w, h);
        }
        Err(_) => return Err(msg!("error.raster.webp")),
    }
    exif::apply_container(head, facts, ev);
    Ok(())
}

fn set_dims(facts: &mut RasterFacts, w: usize, h: usize) {
    facts.width = u32::try_from(w).ok().filter(|&v| v > 0);
    facts.height = u32::try_from(h).ok().filter(|&v| v > 0);
}

#[cfg(test)]
mod tests {
    use crate::raster::testdata::{iphone_exif, jpeg, run, tiff, Val};
    use crate::raster::RasterKind;

    #[test]
    fn jpeg_with_camera_exif_is_photo() {
        let v = run("IMG_4821.JPG", &jpeg(4032, 3024, Some(&iphone_exif())));
        assert_eq!(v.kind, RasterKind::Photo);
        assert_eq!(
            v.reason.to_string(),
            "JPEG with camera EXIF (Make=Apple, Model=iPhone 13)"
        );
        let f = &v.facts;
        assert_eq!(f.camera_make.as_deref(), Some("Apple"));
        assert_eq!(f.camera_model.as_deref(), Some("iPhone 13"));
        assert_eq!(f.software.as_deref(), Some("17.2.1"));
        assert_eq!(f.orientation, Some(6));
        assert_eq!(f.date_taken.as_deref(), Some("2024:03:02 10:16:05"));
        assert_eq!((f.width, f.height), (Some(4032), Some(3024)));

        // Exposure data and a capture date without Make/Model.
        let ex = tiff(
            &[(274, Val::Short(1))],
            &[
                (33434, Val::Rational(1, 100)),
                (36867, Val::Ascii("2024:01:01 00:00:00")),
            ],
            0,
        );
        let v = run("x.jpg", &jpeg(1000, 700, Some(&ex)));
        assert_eq!(v.kind, RasterKind::Photo);

        // Scanner EXIF is not a camera.
        let sc = tiff(
            &[
                (271, Val::Ascii("Canon")),
                (272, Val::Ascii("CanoScan LiDE 300")),
            ],
            &[],
            0,
        );
        let v = run("scan.jpg", &jpeg(2480, 3508, Some(&sc)));
        assert_eq!(v.kind, RasterKind::Screenshot);
        assert!(
            v.reason.to_string().contains("scan or export"),
            "{}",
            v.reason
        );
    }

    #[test]
    fn jpeg_names_and_sizes() {
        let v = run("IMG_1234.JPG", &jpeg(4032, 3024, None));
        assert_eq!(v.kind, RasterKind::Photo);
        assert!(v.reason.to_string().contains("no EXIF"), "{}", v.reason);
        let v = run("mmexport1700000000000.jpg", &jpeg(1080, 1440, None));
        assert_eq!(v.kind, RasterKind::Photo);
        assert!(v.reason.to_string().contains("messenger"), "{}", v.reason);
        let v = run("微信图片_20240301101010.jpg", &jpeg(3000, 4000, None));
        assert_eq!(v.kind, RasterKind::Photo);
        let v = run("IMG-20240101-WA0003.jpg", &jpeg(1600, 1200, None));
        assert_eq!(v.kind, RasterKind::Photo);
        let v = run("PXL_20240101_101010123.jpg", &jpeg(4080, 3072, None));
        assert_eq!(v.kind, RasterKind::Photo);
        // Right name, wrong shape or too small.
        assert_eq!(
            run("IMG_1234.JPG", &jpeg(1920, 1080, None)).kind,
            RasterKind::Screenshot
        );
        assert_eq!(
            run("IMG_1234.JPG", &jpeg(800, 600, None)).kind,
            RasterKind::Screenshot
        );
        // Camera shape, no name.
        assert_eq!(
            run("report.jpg", &jpeg(4032, 3024, None)).kind,
            RasterKind::Screenshot
        );
        let v = run("Screenshot_20240301-101010.jpg", &jpeg(1080, 2400, None));
        assert!(
            v.reason.to_string().contains("screenshot-style name"),
            "{}",
            v.reason
        );
    }
}
