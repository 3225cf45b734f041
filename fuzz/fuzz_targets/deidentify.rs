//! De-identifying a DICOM file as it streams, on arbitrary bytes after a preamble + `DICM`,
//! after `DICM` at 0, or bare: read to the end, it ends with `Ok(0)` or an error, never a panic
//! and never a stream that goes on (a bundle entry must end).
#![no_main]
use std::io::{Cursor, ErrorKind, Read};

use libfuzzer_sys::fuzz_target;
use record_precheck::dicom::deidentify::{Deidentified, Options, Person};

fuzz_target!(|data: &[u8]| {
    let Some((mode, rest)) = data.split_first() else {
        return;
    };
    let mut file = Vec::with_capacity(rest.len() + 132);
    match mode % 3 {
        0 => {
            file.resize(128, 0);
            file.extend_from_slice(b"DICM");
        }
        1 => file.extend_from_slice(b"DICM"),
        _ => {}
    }
    file.extend_from_slice(rest);
    let options = Options {
        secret: [7; 32],
        modified_dates: mode & 4 != 0,
        patient_characteristics: mode & 8 != 0,
        clean_descriptors: mode & 16 != 0,
    };
    let person = Person {
        pseudonym: "PATIENT-1".into(),
        identifiers: vec!["DOE^JANE".into(), "12345".into()],
    };
    let size = file.len() as u64;
    let mut reader = Deidentified::new(Cursor::new(file), size, options, person);
    // Undefined lengths add delimiters and the writer adds a few elements: far less than this.
    // A deflated data set may inflate more, but is deflated again on the way out.
    let bound = 64 * size + (1 << 20);
    let mut out = 0u64;
    let mut buf = vec![0u8; 1 << 16];
    loop {
        match reader.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                out += n as u64;
                assert!(
                    out <= bound,
                    "{out} bytes out of {size} in, and still going"
                );
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
});
