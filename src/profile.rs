//! Host profiles (issue 19 item 5): what a host — a second-opinion service embedding the
//! checker, or running the CLI — sets for its reviewers: the languages they read, which checklist
//! items it requires (the others stay in the checklist but do not lower the level), how recent
//! imaging and labs must be, and extra items with their own texts in English and Chinese. An
//! extra item is `missing` until the patient ticks it (`declarations.extra_items`: then
//! `declared`); the tool never judges it from the files. [`Profile::parse`] validates strictly
//! and bounds the size; the report names the profile that judged it (`report.profile`).

use serde::{Deserialize, Serialize};
use strum::IntoEnumIterator;

use crate::codes::ItemId;

/// Most bytes of a profile's JSON text.
pub const MAX_PROFILE_BYTES: usize = 32 * 1024;
/// Most extra items, reviewer languages and required items a profile may list.
const MAX_EXTRA_ITEMS: usize = 20;
const MAX_LANGUAGES: usize = 8;
const MAX_REQUIRED: usize = 64;
/// Most characters of an id, a name or title, and a description.
const MAX_ID_CHARS: usize = 64;
const MAX_TITLE_CHARS: usize = 200;
const MAX_DESCRIPTION_CHARS: usize = 1000;
/// Longest recency window, in months (ten years).
const MAX_MONTHS: u32 = 120;
/// The windows without a profile: imaging and labs within 3 months of the newest record.
pub const DEFAULT_RECENT_MONTHS: u32 = 3;

/// A host's profile, as the host writes it (`--profile FILE`, the element's `profile` attribute).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Profile {
    /// Lower-case letters, digits and `-`; the redacted report keeps it.
    pub id: String,
    /// Shown in the report ("Judged against the profile …").
    pub name: String,
    /// The languages the host's reviewers read (BCP-47: `en`, `zh-Hans`); none: the patient's
    /// answer, else English. A document in any of them needs no translation.
    #[serde(default)]
    pub reviewer_languages: Vec<String>,
    /// The items that lower the level when missing: checklist item ids (`imaging-dicom`…) and
    /// extra item ids. None (absent): every checklist item, and no extra item.
    #[serde(default)]
    pub required: Option<Vec<String>>,
    /// How recent imaging and labs must be.
    #[serde(default)]
    pub recent_months: RecentMonths,
    /// Items of the host's own, beside the checklist's.
    #[serde(default)]
    pub extra_items: Vec<ExtraItemText>,
}

/// Recency windows in months (1–120), before the newest record or the patient's review date.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, default)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct RecentMonths {
    /// `imaging-not-recent` when the newest study is older than this.
    pub imaging: u32,
    /// The `blood-work` item is partial when the newest lab result is older than this.
    pub labs: u32,
}

impl Default for RecentMonths {
    fn default() -> Self {
        RecentMonths {
            imaging: DEFAULT_RECENT_MONTHS,
            labs: DEFAULT_RECENT_MONTHS,
        }
    }
}

/// A text in both languages.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct Bilingual {
    pub en: String,
    pub zh: String,
}

impl Bilingual {
    /// The text in `lang`.
    pub fn get(&self, lang: crate::text::Lang) -> &str {
        match lang {
            crate::text::Lang::En => &self.en,
            crate::text::Lang::Zh => &self.zh,
        }
    }
}

/// An extra item as the profile defines it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ExtraItemText {
    pub id: String,
    pub title: Bilingual,
    pub description: Bilingual,
}

/// Which profile judged a report (`report.profile`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(test, derive(ts_rs::TS))]
pub struct ProfileName {
    pub id: String,
    pub name: String,
}

impl Profile {
    /// A profile from its JSON text, validated: every problem is named in the message.
    pub fn parse(text: &str) -> Result<Profile, String> {
        if text.len() > MAX_PROFILE_BYTES {
            return Err(format!(
                "the profile is {} bytes, over the {MAX_PROFILE_BYTES}-byte limit",
                text.len()
            ));
        }
        let profile: Profile =
            serde_json::from_str(text).map_err(|e| format!("the profile is not valid: {e}"))?;
        profile.validate()?;
        Ok(profile)
    }

    /// Checks ids, texts, languages, windows and counts; the first problem is the error.
    pub fn validate(&self) -> Result<(), String> {
        check_id("the profile's id", &self.id)?;
        check_text("the profile's name", &self.name, MAX_TITLE_CHARS)?;
        if self.reviewer_languages.len() > MAX_LANGUAGES {
            return Err(format!(
                "the profile lists {} reviewer languages, more than {MAX_LANGUAGES}",
                self.reviewer_languages.len()
            ));
        }
        for tag in &self.reviewer_languages {
            if crate::text::primary_language(tag).is_none() {
                return Err(format!(
                    "the reviewer language {tag:?} is not a language tag (e.g. \"en\", \"zh-Hans\")"
                ));
            }
        }
        for (what, months) in [
            ("recent_months.imaging", self.recent_months.imaging),
            ("recent_months.labs", self.recent_months.labs),
        ] {
            if !(1..=MAX_MONTHS).contains(&months) {
                return Err(format!(
                    "{what} is {months}: give a number of months from 1 to {MAX_MONTHS}"
                ));
            }
        }
        if self.extra_items.len() > MAX_EXTRA_ITEMS {
            return Err(format!(
                "the profile has {} extra items, more than {MAX_EXTRA_ITEMS}",
                self.extra_items.len()
            ));
        }
        let mut extra_ids: Vec<&str> = Vec::new();
        for x in &self.extra_items {
            check_id("an extra item's id", &x.id)?;
            if ItemId::iter().any(|i| i.as_str() == x.id) {
                return Err(format!(
                    "the extra item {:?} has the id of a checklist item: give it its own",
                    x.id
                ));
            }
            if extra_ids.contains(&x.id.as_str()) {
                return Err(format!("the extra item {:?} is listed twice", x.id));
            }
            extra_ids.push(&x.id);
            for (lang, title, description) in [
                ("en", &x.title.en, &x.description.en),
                ("zh", &x.title.zh, &x.description.zh),
            ] {
                let whose = |part: &str| format!("the extra item {:?}'s {part}.{lang}", x.id);
                check_text(&whose("title"), title, MAX_TITLE_CHARS)?;
                check_text(&whose("description"), description, MAX_DESCRIPTION_CHARS)?;
            }
        }
        if let Some(required) = &self.required {
            if required.len() > MAX_REQUIRED {
                return Err(format!(
                    "the profile requires {} items, more than {MAX_REQUIRED}",
                    required.len()
                ));
            }
            for (i, id) in required.iter().enumerate() {
                let known =
                    ItemId::iter().any(|x| x.as_str() == id) || extra_ids.contains(&id.as_str());
                if !known {
                    let names: Vec<&str> = ItemId::iter().map(ItemId::as_str).collect();
                    return Err(format!(
                        "the profile requires {id:?}, which is no checklist item ({}) nor one of its extra items",
                        names.join(", ")
                    ));
                }
                if required[..i].contains(id) {
                    return Err(format!("the profile requires {id:?} twice"));
                }
            }
        }
        Ok(())
    }

    /// Whether the profile requires the checklist item or extra item `id`.
    pub fn requires(&self, id: &str) -> bool {
        match &self.required {
            Some(required) => required.iter().any(|r| r == id),
            None => ItemId::iter().any(|x| x.as_str() == id),
        }
    }

    /// Its id and name, for the report.
    pub fn name(&self) -> ProfileName {
        ProfileName {
            id: self.id.clone(),
            name: self.name.clone(),
        }
    }
}

/// Whether a required item counts: the checklist item `id` without a profile, else as it says.
pub fn required(profile: Option<&Profile>, id: ItemId) -> bool {
    profile.is_none_or(|p| p.requires(id.as_str()))
}

fn check_id(what: &str, id: &str) -> Result<(), String> {
    let well_formed = !id.is_empty()
        && id.chars().count() <= MAX_ID_CHARS
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
    if well_formed {
        Ok(())
    } else {
        Err(format!(
            "{what} {id:?} is not an id: use 1 to {MAX_ID_CHARS} lower-case letters, digits and '-'"
        ))
    }
}

fn check_text(what: &str, text: &str, max: usize) -> Result<(), String> {
    let chars = text.trim().chars().count();
    if chars == 0 {
        Err(format!("{what} is missing or empty"))
    } else if chars > max {
        Err(format!("{what} has {chars} characters, more than {max}"))
    } else {
        Ok(())
    }
}
