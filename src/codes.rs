//! Layer 0: the codes of the JSON contract as enums — what a file is, finding codes, checklist
//! item ids, next-step ids, statuses, levels, answers, evidence. Each serialises to the same
//! kebab-case name the contract has always used, and [`code_enum!`] derives the rest (the name
//! as `&'static str`, `Display`, every variant in order), so a new code is one variant here and
//! its catalogue lines in `text/`; every `match` on it that must change fails to compile.

use serde::{Deserialize, Serialize};

/// Declares a code enum: serde and strum with the contract's kebab-case names, plus
/// [`as_str`](FileKind::as_str) and, in test builds, a TypeScript declaration (ts-rs).
macro_rules! code_enum {
    ($(#[$meta:meta])* pub enum $name:ident { $($(#[$vmeta:meta])* $variant:ident,)* }) => {
        #[derive(
            Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
            strum::Display, strum::EnumIter, strum::IntoStaticStr,
        )]
        #[serde(rename_all = "kebab-case")]
        #[strum(serialize_all = "kebab-case")]
        #[cfg_attr(test, derive(ts_rs::TS))]
        $(#[$meta])*
        pub enum $name { $($(#[$vmeta])* $variant,)* }

        impl $name {
            /// The name in the JSON contract.
            pub fn as_str(self) -> &'static str {
                self.into()
            }
        }
    };
}

code_enum! {
    /// What a file is, decided from its content.
    pub enum FileKind {
        Dicom,
        Dicomdir,
        Screenshot,
        Photo,
        Slide,
        Pdf,
        Document,
        Archive,
        Software,
        Other,
        Empty,
        Corrupt,
    }
}

code_enum! {
    /// How much a finding matters.
    pub enum Severity {
        Info,
        Warning,
        Serious,
    }
}

code_enum! {
    /// What a finding is about: the stable code of `findings[].code`.
    pub enum FindingCode {
        MultiplePatients,
        UnattributedDicom,
        SeriesIncomplete,
        LocalizerOnly,
        DerivedOnly,
        NoOriginalImaging,
        SecondaryCapture,
        PhotoOfScreen,
        DicomdirMissingFiles,
        DuplicateInstance,
        LossyOnly,
        TruncatedFile,
        CharsetRepaired,
        ReportInDicom,
        ViewerSoftwareSetAside,
        ArchiveLimitHit,
        SessionLimitHit,
        UnreadableFile,
        ArchiveNotOpened,
        IdentityCheck,
        // Adequacy (case/adequacy.rs).
        ThickSlicesOnly,
        ImagingNotRecent,
        SingleTimepoint,
        ReportWithoutImages,
        ImagesWithoutReport,
        CloudFilmLink,
    }
}

code_enum! {
    /// What weighed in judging whether two people of a case are one:
    /// `values.pairs[].reasons[]` of `multiple-patients` and `identity-check`.
    pub enum IdentityReason {
        SameName,
        NamePinyin,
        DifferentNames,
        NameNotPinyin,
        NamesNotComparable,
        SameId,
        SameBirthDate,
        DifferentBirthDates,
        BirthDateMissing,
        NoBirthDate,
        AgeFits,
        AgeDoesNotFit,
        DifferentSex,
    }
}

code_enum! {
    /// Why a series looks incomplete: `values.reasons[].kind` of `series-incomplete`.
    pub enum IncompleteReason {
        Gaps,
        StartsLate,
        FewerThanAcquired,
        FewImages,
    }
}

code_enum! {
    /// A yes / no / not sure answer.
    #[derive(Default)]
    pub enum Answer {
        Yes,
        No,
        #[default]
        Unsure,
    }
}

code_enum! {
    /// Where the pathology slides are (lent by the hospital: 借片).
    pub enum Slides {
        /// The patient has them (physically) or they are on their way.
        Have,
        /// Asked for from the hospital, not yet received.
        Requested,
        /// The hospital will not or cannot release them.
        NotAvailable,
    }
}

code_enum! {
    /// Whether an English translation or summary exists.
    pub enum Translation {
        Have,
        NotNeeded,
    }
}

code_enum! {
    /// What a document is, as the patient tags it (or as its name suggests).
    pub enum Category {
        DiagnosisReport,
        RadiologyReport,
        PathologyReport,
        LabResults,
        TreatmentHistory,
        DischargeSummary,
        OperationNote,
        GeneticReport,
        ReferralLetter,
        /// The patient's own notes: a timeline, questions.
        PatientNotes,
        Other,
        /// The proposed operation or treatment, in writing (手术方案, 治疗方案).
        TreatmentPlan,
    }
}

code_enum! {
    /// Where an event of the draft timeline comes from: `timeline_draft.events[].source`.
    pub enum EventSource {
        /// A date a document gives (an exam, a report, an admission, an operation…).
        Document,
        /// The date of an imaging study (DICOM).
        Study,
    }
}

code_enum! {
    /// A checklist item's state.
    #[cfg_attr(test, ts(rename = "ItemStatus"))]
    pub enum Status {
        Present,
        Partial,
        Missing,
        Declared,
        NotNeeded,
    }
}

code_enum! {
    /// How much a gap limits a review.
    #[derive(Default)]
    pub enum Impact {
        #[default]
        None,
        Low,
        Medium,
        High,
    }
}

code_enum! {
    /// The overall judgement.
    pub enum Level {
        Ready,
        ReviewableWithGaps,
        NotYetReviewable,
    }
}

code_enum! {
    /// Which kind of review what is there fits.
    pub enum ReviewFit {
        /// Everything a reviewer needs can travel as files.
        RemoteRecordReview,
        /// A remote review fits, but the glass slides must be shipped or brought.
        RemoteWithPhysicalSlides,
        /// Too little to review yet: gather records first.
        NotYet,
    }
}

code_enum! {
    /// The ten items of the second-opinion checklist (PRODUCT.md), in the report's order.
    pub enum ItemId {
        DiagnosisReport,
        ImagingDicom,
        RadiologyReport,
        PathologySlides,
        PathologyLabReports,
        TreatmentHistory,
        BloodWork,
        Timeline,
        Questions,
        Translation,
        // Issue 19 (slips): items only a purpose of the review requires.
        WrittenOpinions,
        BaselineAndLatestImaging,
        TreatmentPlan,
    }
}

impl ItemId {
    /// The statuses the checklist can give the item; each has its sentence in the catalogue.
    pub fn statuses(self) -> &'static [Status] {
        use Status::*;
        match self {
            ItemId::DiagnosisReport
            | ItemId::ImagingDicom
            | ItemId::PathologyLabReports
            | ItemId::Timeline
            | ItemId::Questions
            | ItemId::BloodWork => &[Present, Partial, Missing],
            ItemId::RadiologyReport => &[Present, Missing],
            ItemId::PathologySlides => &[Present, Declared, NotNeeded, Missing],
            ItemId::TreatmentHistory => &[Present, Declared, Missing],
            ItemId::Translation => &[Declared, NotNeeded, Partial, Missing],
            ItemId::WrittenOpinions | ItemId::BaselineAndLatestImaging => {
                &[Present, Partial, Missing]
            }
            ItemId::TreatmentPlan => &[Present, Missing],
        }
    }
}

code_enum! {
    /// What to do next: `readiness.next_steps[].id`.
    pub enum StepId {
        RemoveOtherPatientFiles,
        RequestImagingDicom,
        RequestCompleteSeries,
        RequestOriginalSeries,
        RequestLosslessCopy,
        RecopyTruncatedFiles,
        RequestPathologySlides,
        FollowUpSlidesRequest,
        AskForRecutSlidesOrBlocks,
        CopyWholeCd,
        RequestRadiologyReport,
        RequestPathologyLabReports,
        AddDiagnosisReport,
        AddTreatmentHistory,
        AddRecentBloodWork,
        WriteTimeline,
        WriteQuestions,
        GetTranslation,
        // Adequacy (case/adequacy.rs).
        RequestThinSlices,
        AddRecentImaging,
        RequestEarlierImaging,
        RequestImagesOfReport,
        RequestReportOfImages,
        // Issue 19 (slips): steps that fit how Chinese hospitals hand records out, and the
        // steps a purpose of the review adds.
        RequestRecordsCopy,
        RequestUltrasoundImages,
        GetWrittenOpinions,
        GetBaselineAndLatestImaging,
        GetTreatmentPlan,
        // Pictures (src/picture/): a cloud-film QR code.
        OpenCloudFilm,
        // Host profiles (src/profile.rs): an extra item of the host's the patient has not
        // ticked (`values.extra_item`: its id and texts in both languages).
        AddExtraItem,
    }
}

// Issue 19 (slips): the purpose of the review, and the request slips for hospital departments.

code_enum! {
    /// Why the patient seeks a second opinion (`declarations.purpose`): it orders the next
    /// steps and adds the items that purpose needs.
    pub enum Purpose {
        /// A new serious diagnosis: is it right?
        NewDiagnosis,
        /// An operation or another treatment that cannot be undone has been proposed.
        SurgeryProposed,
        /// Doctors have advised differently.
        ConflictingAdvice,
        /// A rare condition, seldom seen where the patient is treated.
        RareCondition,
        /// The treatment is not working.
        NotWorking,
    }
}

code_enum! {
    /// The hospital department a request slip is for: `requests[].department`.
    pub enum Department {
        /// 影像科/放射科: copies of the images.
        Imaging,
        /// 病理科: lending the slides (借片).
        Pathology,
        /// 病案室: copies of the medical record (病历复印).
        Records,
        /// 检验科: lab results.
        Laboratory,
    }
}

code_enum! {
    /// Why a request slip is made: `requests[].reasons[]`.
    pub enum RequestReason {
        /// No original DICOM images at all.
        NoOriginalImaging,
        /// A series looks incomplete (key images only, gaps).
        IncompleteSeries,
        /// Only localizers or processed views of a study.
        OriginalSeries,
        /// Only a lossy copy.
        LossyCopy,
        /// A CT or MR study has only thick slices (`thick-slices-only`): the thin-slice source
        /// images are asked for.
        ThinSlices,
        /// Ultrasound only: the images the report refers to.
        UltrasoundImages,
        /// The purpose needs the first and the latest scans side by side.
        BaselineAndLatest,
        /// No slides, and they matter (cancer, or not sure).
        SlidesMissing,
        /// Slides asked for, not yet received.
        SlidesRequested,
        /// The hospital will not lend the original slides: unstained slides from the block.
        SlidesNotLent,
        /// No diagnosis report or discharge summary.
        DiagnosisMissing,
        /// No treatment record.
        TreatmentMissing,
        /// No pathology report.
        PathologyReportMissing,
        /// No lab results.
        LabsMissing,
        /// Lab results, but not recent.
        LabsOld,
    }
}

/// What an item's judgement rests on: a file (as in `files[].path`) or something the patient
/// said. In JSON a string: the path, or `declared:<what>` (`declared:question-2`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum Evidence {
    File(String),
    Declared(Declared),
}

/// Something the patient said that an item rests on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Declared {
    SlidesHave,
    SlidesRequested,
    SlidesNotAvailable,
    NotCancer,
    TreatmentHistory,
    Timeline,
    Translation,
    /// The n-th question (from 1).
    Question(usize),
}

impl Declared {
    /// Every kind, with `Question(1)` for the questions: the catalogue has `evidence.<name>`.
    pub const KINDS: [Declared; 8] = [
        Declared::SlidesHave,
        Declared::SlidesRequested,
        Declared::SlidesNotAvailable,
        Declared::NotCancer,
        Declared::TreatmentHistory,
        Declared::Timeline,
        Declared::Translation,
        Declared::Question(1),
    ];

    /// The catalogue name: `evidence.<name>` (all questions share `question`).
    pub fn name(self) -> &'static str {
        match self {
            Declared::SlidesHave => "slides-have",
            Declared::SlidesRequested => "slides-requested",
            Declared::SlidesNotAvailable => "slides-not-available",
            Declared::NotCancer => "not-cancer",
            Declared::TreatmentHistory => "treatment-history",
            Declared::Timeline => "timeline",
            Declared::Translation => "translation",
            Declared::Question(_) => "question",
        }
    }
}

impl From<Evidence> for String {
    fn from(e: Evidence) -> String {
        match e {
            Evidence::File(path) => path,
            Evidence::Declared(Declared::Question(n)) => format!("declared:question-{n}"),
            Evidence::Declared(d) => format!("declared:{}", d.name()),
        }
    }
}

impl From<String> for Evidence {
    /// A `declared:` entry this version does not know stays a file path, as it reads.
    fn from(s: String) -> Evidence {
        let Some(what) = s.strip_prefix("declared:") else {
            return Evidence::File(s);
        };
        if let Some(n) = what.strip_prefix("question-").and_then(|n| n.parse().ok()) {
            return Evidence::Declared(Declared::Question(n));
        }
        match Declared::KINDS.into_iter().find(|d| d.name() == what) {
            Some(d) if !matches!(d, Declared::Question(_)) => Evidence::Declared(d),
            _ => Evidence::File(s),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use strum::IntoEnumIterator;

    #[test]
    fn names_are_the_serde_names() {
        fn check<T: IntoEnumIterator + Serialize + Copy + Into<&'static str>>() {
            for v in T::iter() {
                let json = serde_json::to_value(v).unwrap();
                assert_eq!(json.as_str(), Some(v.into()));
            }
        }
        check::<FileKind>();
        check::<FindingCode>();
        check::<ItemId>();
        check::<StepId>();
        check::<Status>();
        check::<Category>();
        assert_eq!(
            FindingCode::ViewerSoftwareSetAside.as_str(),
            "viewer-software-set-aside"
        );
        assert_eq!(Level::NotYetReviewable.to_string(), "not-yet-reviewable");
    }

    #[test]
    fn evidence_reads_back_what_it_writes() {
        let all = Declared::KINDS.into_iter().map(Evidence::Declared).chain([
            Evidence::Declared(Declared::Question(12)),
            Evidence::File("a/b.pdf".into()),
        ]);
        for e in all {
            let s = String::from(e.clone());
            assert_eq!(Evidence::from(s), e);
        }
        assert_eq!(
            String::from(Evidence::Declared(Declared::Question(2))),
            "declared:question-2"
        );
        assert_eq!(
            Evidence::from("declared:something-new".to_string()),
            Evidence::File("declared:something-new".into())
        );
    }
}

code_enum! {
    /// What a picture shows, from its pixels: `files[].picture.subject`.
    pub enum Subject {
        /// A paper report, form, prescription or lab slip, or an app's page of results.
        Document,
        /// A monitor or phone showing imaging (photographed or captured).
        Screen,
        /// Film on a viewing box or held to a window.
        Film,
        /// Skin, a wound, a microscope's view.
        Clinical,
        /// A QR-code slip or a page whose point is a QR code.
        Qr,
        Other,
        /// The pixels could not be looked at (the reason says why).
        Unknown,
    }
}
