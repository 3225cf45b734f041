//! Character-set decoding of arbitrary bytes under each declared character set.
#![no_main]
use libfuzzer_sys::fuzz_target;
use record_precheck::dicom::charset::decode;

const SETS: [&[&str]; 10] = [
    &[],
    &["ISO_IR 100"],
    &["ISO_IR 192"],
    &["GB18030"],
    &["GBK"],
    &["", "ISO 2022 IR 58"],
    &["ISO 2022 IR 6", "ISO 2022 IR 87", "ISO 2022 IR 159"],
    &["", "ISO 2022 IR 149"],
    &["ISO 2022 IR 13", "ISO 2022 IR 87"],
    &["nonsense"],
];

fuzz_target!(|data: &[u8]| {
    let Some((pick, raw)) = data.split_first() else {
        return;
    };
    let sets: Vec<String> = SETS[usize::from(*pick) % SETS.len()]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let decoded = decode(raw, &sets, pick & 0x80 != 0);
    assert!(decoded.text.chars().count() <= 4 * raw.len() + 16);
});
