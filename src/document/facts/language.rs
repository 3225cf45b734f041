//! The language of a document as a BCP-47 tag, from the scripts its letters are written in.
//!
//! Kana make it Japanese (`ja`: Japanese mixes kanji with kana, Chinese never uses kana), hangul
//! Korean (`ko`); Han text is Chinese, Traditional (`zh-Hant`) or Simplified (`zh-Hans`) by
//! counting the characters written differently in the two (`hant`), plain `zh` when it has none
//! of them; Cyrillic is Russian (`ru`) unless the letters only Ukrainian uses (`і ї є ґ`) say
//! `uk`; Latin is English (`en`) when English function words clearly outnumber those of the other
//! common Latin-script languages of hospital records (German, French, Spanish, Italian,
//! Portuguese, Dutch: each then has its own tag), and also when there is no function word at all
//! (a lab table of names and numbers); single-letter words are not counted (they are also lab
//! flags and units). A Han character counts as three letters against Latin or Cyrillic (a Chinese
//! word is one or two characters, an English one about five letters), so an English hospital
//! name in a Chinese report does not make it English. Too few letters, or a mix with no clear
//! winner, is `None`.
//!
//! Why not a detector crate: `whatlang` 0.16 (the small well-kept one) built alone into a wasm
//! module (`opt-level = "z"`, LTO) is 281,256 bytes (78,731 gzipped), for trigram profiles of 69
//! languages; it calls every Han text Mandarin, so Simplified vs Traditional would still need the
//! table here, and the scripts decide everything else hospital records are written in. This
//! module and its table are a few kilobytes.

use super::hant;
use super::prepare::{is_cyrillic, is_han, is_hangul, is_kana, Line};

/// Fewer letters than this: no language.
const MIN_LETTERS: u32 = 8;

/// Function words per Latin-script language (lower case), the commonest of each.
const LATIN_WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "with", "was", "is", "for", "to", "in", "on", "no", "not", "are",
            "at", "by", "from", "this", "her", "his", "patient", "date",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "das", "und", "mit", "nicht", "ist", "von", "zu", "den", "im", "bei",
            "eine", "ein", "patient", "datum",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "des", "du", "une", "avec", "est", "pour", "dans", "sur",
            "pas", "au",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "del", "con", "es", "para", "en", "por", "una", "sin",
            "paciente",
        ],
    ),
    (
        "it",
        &[
            "il", "la", "di", "che", "con", "per", "del", "della", "una", "non", "sono", "paziente",
        ],
    ),
    (
        "pt",
        &[
            "os", "de", "do", "da", "com", "para", "não", "uma", "em", "paciente",
        ],
    ),
    (
        "nl",
        &[
            "de", "het", "een", "en", "van", "met", "niet", "is", "op", "voor", "bij", "patiënt",
        ],
    ),
];

/// The document's language, or `None` when unsure.
pub(super) fn detect(lines: &[Line]) -> Option<String> {
    let (mut han, mut kana, mut hangul, mut cyrillic, mut latin) = (0u32, 0u32, 0u32, 0u32, 0u32);
    let (mut trad, mut simp, mut ukrainian, mut russian) = (0u32, 0u32, 0u32, 0u32);
    for c in lines.iter().flat_map(|l| l.text.chars()) {
        if is_han(c) {
            han += 1;
            if hant::simplified(c).is_some() {
                trad += 1;
            } else if hant::is_simplified_only(c) {
                simp += 1;
            }
        } else if is_kana(c) {
            kana += 1;
        } else if is_hangul(c) {
            hangul += 1;
        } else if is_cyrillic(c) {
            cyrillic += 1;
            match c.to_lowercase().next().unwrap_or(c) {
                'і' | 'ї' | 'є' | 'ґ' => ukrainian += 1,
                'ы' | 'э' | 'ё' | 'ъ' => russian += 1,
                _ => {}
            }
        } else if c.is_alphabetic() && (c.is_ascii() || ('\u{00C0}'..='\u{024F}').contains(&c)) {
            latin += 1;
        }
    }
    let cjk = han + kana + hangul;
    let weights = [("cjk", 3 * cjk), ("cyrillic", cyrillic), ("latin", latin)];
    let total: u32 = weights.iter().map(|w| w.1).sum();
    if cjk + cyrillic + latin < MIN_LETTERS {
        return None;
    }
    let (script, best) = weights.iter().copied().max_by_key(|w| w.1)?;
    // The winning script must hold most of the weighted letters.
    if best * 2 < total {
        return None;
    }
    match script {
        "cjk" if kana * 20 >= cjk && kana >= 3 => Some("ja".into()),
        "cjk" if hangul * 2 >= cjk => Some("ko".into()),
        "cjk" if han > 0 => chinese(trad, simp),
        "cyrillic" if ukrainian * 200 > cyrillic && ukrainian > russian => Some("uk".into()),
        "cyrillic" => Some("ru".into()),
        "latin" => latin_language(lines),
        _ => None,
    }
}

/// `zh-Hant` or `zh-Hans` by the characters that differ; `zh` alone when the text has none of
/// them, `None` when both are there in like numbers.
fn chinese(trad: u32, simp: u32) -> Option<String> {
    match (trad, simp) {
        (0, 0) => Some("zh".into()),
        (t, s) if t > 3 * s => Some("zh-Hant".into()),
        (t, s) if s > 3 * t => Some("zh-Hans".into()),
        _ => None,
    }
}

/// The Latin-script language whose function words are most frequent, when it is clear.
fn latin_language(lines: &[Line]) -> Option<String> {
    let mut counts = [0u32; LATIN_WORDS.len()];
    for word in lines
        .iter()
        .flat_map(|l| l.key.split(|c: char| !c.is_alphabetic()))
        .filter(|w| !w.is_empty())
    {
        for (i, (_, words)) in LATIN_WORDS.iter().enumerate() {
            if words.contains(&word) {
                counts[i] += 1;
            }
        }
    }
    let mut order: Vec<usize> = (0..counts.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(counts[i]));
    let (first, second) = (counts[order[0]], counts[order[1]]);
    if first >= 2 && first * 2 > second * 3 {
        Some(LATIN_WORDS[order[0]].0.into())
    } else if first == 0 {
        // Labels and values only (a lab table): Latin-script without a sentence; hospital
        // records in Latin script with no function word at all are most often English.
        Some("en".into())
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::super::prepare::lines;
    use super::*;

    fn lang(text: &str) -> Option<String> {
        detect(&lines(text, 1 << 20).0)
    }

    #[test]
    fn scripts_decide() {
        assert_eq!(
            lang("入院记录 患者因咳嗽两周入院，胸部CT示右肺结节。").as_deref(),
            Some("zh-Hans")
        );
        assert_eq!(
            lang("入院記錄 病人因咳嗽兩週入院，胸部電腦斷層顯示右肺結節。").as_deref(),
            Some("zh-Hant")
        );
        assert_eq!(
            lang("診療情報提供書 患者様は2024年に右肺腺癌と診断されました。").as_deref(),
            Some("ja")
        );
        assert_eq!(
            lang("진료의뢰서 환자는 폐암 진단을 받았습니다").as_deref(),
            Some("ko")
        );
        assert_eq!(
            lang("Выписной эпикриз. Больной поступил с жалобами на кашель.").as_deref(),
            Some("ru")
        );
        assert_eq!(
            lang("Виписка. Хворий надійшов зі скаргами на кашель і біль, її лікування.").as_deref(),
            Some("uk")
        );
        assert_eq!(
            lang("The patient was seen in clinic with a cough of two weeks.").as_deref(),
            Some("en")
        );
        assert_eq!(
            lang("Der Patient wurde mit Husten und Fieber in die Klinik aufgenommen.").as_deref(),
            Some("de")
        );
        assert_eq!(
            lang("Le patient est admis pour une toux avec de la fièvre.").as_deref(),
            Some("fr")
        );
        assert_eq!(lang("12 34 56"), None);
    }

    #[test]
    fn an_english_hospital_name_does_not_make_a_chinese_report_english() {
        let text = "Huaihai Provincial Hospital Department of Radiology\n胸部CT平扫\n检查所见：右肺上叶见结节。\n诊断意见：右肺结节。";
        assert_eq!(lang(text).as_deref(), Some("zh-Hans"));
    }
}
