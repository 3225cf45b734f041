//! What documents say (`document::facts`) against `../shared/corpus-records/labels.json`: the
//! label's `text` (the ground truth of each document's words) goes in, and the category,
//! language, patient, dates, tumour markers and pathology number that come out are compared
//! with the label. Prints a table and the totals; asserts issue 14's targets on the documents
//! with a text layer (category ≥ 95%, language ≥ 98%, patient name ≥ 95%, every labelled date
//! found) and markers and pathology numbers as labelled; the others (pictures, to be read by
//! OCR later) are printed and must not fail either.
//!
//! How labels and findings are compared is in `common` (shared with `tests/documents.rs`).

mod common;

use common::{category_ok, collapse, labels, strings};
use record_precheck::document::facts::{read, DocumentFacts};
use record_precheck::Limits;

#[derive(Default)]
struct Tally {
    docs: u32,
    category: u32,
    language: u32,
    name: u32,
    dates: u32,
    markers: u32,
    pathology: u32,
    sex: u32,
    id: u32,
    institution: u32,
}

impl Tally {
    fn line(&self, what: &str) -> String {
        let pct = |n: u32| 100.0 * n as f64 / self.docs.max(1) as f64;
        format!(
            "{what}: {} documents; category {} ({:.0}%), language {} ({:.0}%), name {} ({:.0}%), all dates {} ({:.0}%), markers {} ({:.0}%), pathology number {} ({:.0}%); sex {}, id {}, institution {}",
            self.docs,
            self.category, pct(self.category),
            self.language, pct(self.language),
            self.name, pct(self.name),
            self.dates, pct(self.dates),
            self.markers, pct(self.markers),
            self.pathology, pct(self.pathology),
            self.sex, self.id, self.institution,
        )
    }
}

fn mark(ok: bool) -> &'static str {
    if ok {
        "ok"
    } else {
        "NO"
    }
}

#[test]
fn corpus_records_against_their_labels() {
    let mut layer = Tally::default();
    let mut pictures = Tally::default();
    println!("| path | category | language | name | dates | markers | path. no | sex | id | institution |");
    println!("|---|---|---|---|---|---|---|---|---|---|");
    for entry in labels() {
        let Some(doc) = entry.get("document").filter(|d| d.is_object()) else {
            continue;
        };
        let text = doc["text"].as_str().unwrap_or_default();
        let (facts, note): (DocumentFacts, _) = read(text, &Limits::default());
        assert!(note.is_none());
        let patient = &doc["patient"];
        let person = facts.patients.first();
        let want_name = patient["name"].as_str().map(collapse);
        let found_dates = &facts.dates;
        let missing_dates: Vec<String> = strings(&doc["dates"])
            .into_iter()
            .filter(|d| !found_dates.contains(d))
            .collect();
        let mut want_markers = strings(&doc["tumour_markers"]);
        let mut got_markers = facts.tumour_markers.clone();
        want_markers.sort();
        got_markers.sort();
        let category = category_ok(doc["category"].as_str().unwrap_or(""), facts.category);
        let language = doc["language"].as_str() == facts.language.as_deref();
        let name = want_name.is_some() && want_name == person.map(|p| collapse(&p.name));
        let dates = missing_dates.is_empty();
        let markers = want_markers == got_markers;
        let pathology = doc["pathology_number"].as_str() == facts.pathology_number.as_deref();
        let sex = patient["sex"].as_str() == person.and_then(|p| p.sex.as_deref());
        let id = patient["id"].as_str() == person.and_then(|p| p.id.as_deref());
        let institution = doc["institution"].as_str() == facts.institution.as_deref();
        let tally = if doc["text_layer"].as_bool() == Some(true) {
            &mut layer
        } else {
            &mut pictures
        };
        tally.docs += 1;
        for (ok, n) in [
            (category, &mut tally.category),
            (language, &mut tally.language),
            (name, &mut tally.name),
            (dates, &mut tally.dates),
            (markers, &mut tally.markers),
            (pathology, &mut tally.pathology),
            (sex, &mut tally.sex),
            (id, &mut tally.id),
            (institution, &mut tally.institution),
        ] {
            *n += u32::from(ok);
        }
        println!(
            "| {} | {} {} | {} {} | {} {} | {} {} | {} {:?} | {} {} | {} | {} {} | {} |",
            entry["path"].as_str().unwrap_or(""),
            mark(category),
            facts.category.map_or("-", |c| c.as_str()),
            mark(language),
            facts.language.as_deref().unwrap_or("-"),
            mark(name),
            person.map_or("-", |p| p.name.as_str()),
            mark(dates),
            if dates {
                format!("{}", found_dates.len())
            } else {
                format!("missing {missing_dates:?}")
            },
            mark(markers),
            got_markers,
            mark(pathology),
            facts.pathology_number.as_deref().unwrap_or("-"),
            mark(sex),
            mark(id),
            person.and_then(|p| p.id.as_deref()).unwrap_or("-"),
            mark(institution),
        );
    }
    println!("{}", layer.line("text layer"));
    println!("{}", pictures.line("pictures (label text, OCR later)"));
    for (t, what) in [(&layer, "text layer"), (&pictures, "pictures")] {
        let n = t.docs as f64;
        assert!(t.docs > 0, "{what}: no documents");
        assert!(
            t.category as f64 >= 0.95 * n,
            "{what}: category {}/{}",
            t.category,
            t.docs
        );
        assert!(
            t.language as f64 >= 0.98 * n,
            "{what}: language {}/{}",
            t.language,
            t.docs
        );
        assert!(
            t.name as f64 >= 0.95 * n,
            "{what}: patient name {}/{}",
            t.name,
            t.docs
        );
        assert_eq!(t.dates, t.docs, "{what}: a labelled date was not found");
        assert_eq!(
            t.markers, t.docs,
            "{what}: tumour markers differ from the labels"
        );
        assert_eq!(
            t.pathology, t.docs,
            "{what}: pathology numbers differ from the labels"
        );
    }
}
