//! The patient's own timeline of `corpus-records` (the label says which file is one, its text
//! and its dates): the checklist finds the months its labelled dates fall in and that it names a
//! treatment (the corpus README: "the patient's own timeline" of treatments).

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

#[test]
fn the_patients_own_timelines_give_their_labelled_dates_and_treatments() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus-records/labels.json");
    let labels: Vec<Value> = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let timelines: Vec<&Value> = labels
        .iter()
        .filter(|l| l["document"]["category"] == "timeline")
        .collect();
    assert!(
        !timelines.is_empty(),
        "the corpus labels a patient's timeline"
    );
    for l in timelines {
        let d = &l["document"];
        let text = d["text"].as_str().expect("the label gives the text");
        // Distinct months of the labelled dates (YYYY-MM-DD).
        let months: BTreeSet<&str> = d["dates"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x.as_str()?.get(..7))
            .collect();
        let facts = record_precheck::notes::timeline_facts(text);
        assert_eq!(facts.dates, months.len(), "{}", l["path"]);
        assert!(facts.treatment, "{}", l["path"]);
    }
}
