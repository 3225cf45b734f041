//! Whole documents made up for these tests, in layouts and wordings the development corpus does
//! not have (US and UK English, Taiwan, Japan, Russia, a referral slip, a receipt, a patient's
//! English timeline), each checked against what a reader of it would say; and hostile text.

use super::*;

fn facts_of(text: &str) -> DocumentFacts {
    let (facts, note) = read(text, &Limits::default());
    assert!(note.is_none());
    facts
}

fn person(f: &DocumentFacts) -> &PersonNamed {
    f.patients.first().expect("a patient")
}

#[test]
fn us_radiology_report_with_month_first_dates() {
    let f = facts_of(
        "RIVERBEND MEDICAL CENTER\nDepartment of Radiology\nCT CHEST WITH CONTRAST\n\
         Patient Name: DOE, JANE   MRN: 00123456   DOB: 04/17/1958   Sex: Female\n\
         Exam Date: 03/02/2024   Ordering: Dr. K. Patel\n\
         TECHNIQUE: Axial images of the chest after IV contrast.\n\
         FINDINGS: A 14 mm spiculated nodule in the right upper lobe. No effusion.\n\
         IMPRESSION: Right upper lobe nodule, suspicious. Compare with 11/28/2023.\n\
         Electronically signed 03/02/2024 16:05",
    );
    assert_eq!(f.category, Some(Category::RadiologyReport));
    assert_eq!(f.language.as_deref(), Some("en"));
    let p = person(&f);
    assert_eq!(p.name, "DOE, JANE");
    assert_eq!(p.sex.as_deref(), Some("F"));
    assert_eq!(p.birth_date.as_deref(), Some("1958-04-17"));
    assert_eq!(p.id.as_deref(), Some("00123456"));
    assert_eq!(f.dates, ["2024-03-02", "2023-11-28"]);
    assert_eq!(f.institution.as_deref(), Some("RIVERBEND MEDICAL CENTER"));
}

#[test]
fn uk_operation_note() {
    let f = facts_of(
        "St Bride's Infirmary | General Surgery\nOPERATION NOTE\n\
         Name: Thomas Hughes    Hospital No: RX-44120    Age: 67\n\
         Date of operation: 12 January 2024\n\
         Surgeon: Mr A. Khan   Anaesthesia: general\n\
         Procedure: laparoscopic right hemicolectomy\n\
         Findings: tumour at the hepatic flexure, no metastases seen.\n\
         Estimated blood loss: 50 ml. Closure with absorbable sutures.",
    );
    assert_eq!(f.category, Some(Category::OperationNote));
    assert_eq!(f.language.as_deref(), Some("en"));
    assert_eq!(person(&f).name, "Thomas Hughes");
    assert_eq!(person(&f).age, Some(67));
    assert_eq!(person(&f).id.as_deref(), Some("RX-44120"));
    assert_eq!(f.dates, ["2024-01-12"]);
    assert_eq!(f.institution.as_deref(), Some("St Bride's Infirmary"));
}

#[test]
fn taiwan_discharge_summary_with_minguo_dates() {
    let f = facts_of(
        "國立東岸大學醫院\n出院病歷摘要\n病歷號碼：A1234567　姓名：陳美玲　性別：女　出生日期：民國50年3月8日\n\
         入院日期：112/12/02　出院日期：112/12/09\n住院經過：病人因右側乳房腫塊入院，接受手術治療，術後恢復良好。\n\
         出院診斷：右側乳癌 pT1cN0",
    );
    assert_eq!(f.category, Some(Category::DischargeSummary));
    assert_eq!(f.language.as_deref(), Some("zh-Hant"));
    let p = person(&f);
    assert_eq!(p.name, "陳美玲");
    assert_eq!(p.sex.as_deref(), Some("F"));
    assert_eq!(p.birth_date.as_deref(), Some("1961-03-08"));
    assert_eq!(f.dates, ["2023-12-02", "2023-12-09"]);
    assert_eq!(f.institution.as_deref(), Some("國立東岸大學醫院"));
}

#[test]
fn chinese_outpatient_record_without_spaces() {
    let f = facts_of(
        "门诊病历\n姓名:张伟性别:男年龄:58岁门诊号:MZ0099123\n就诊日期:2024年1月9日\n\
         主诉:咳嗽2周。\n现病史:2周前无明显诱因出现咳嗽，胸部CT示右肺上叶结节。\n初步诊断:右肺结节\n处理:建议穿刺活检。",
    );
    assert_eq!(f.category, Some(Category::DiagnosisReport));
    assert_eq!(f.language.as_deref(), Some("zh-Hans"));
    let p = person(&f);
    assert_eq!(
        (p.name.as_str(), p.sex.as_deref(), p.age, p.id.as_deref()),
        ("张伟", Some("M"), Some(58), Some("MZ0099123"))
    );
    assert_eq!(f.dates, ["2024-01-09"]);
}

#[test]
fn genetic_report_in_english_leaves_the_birth_date_out() {
    let f = facts_of(
        "Comprehensive Genomic Profiling Report\nPatient Name: Maria Garcia   Date of Birth: 1970-05-06\n\
         Specimen received: 2024-02-01   Report date: 2024-02-14\n\
         Method: next-generation sequencing (NGS) of 324 genes\n\
         EGFR exon 19 deletion detected (VAF 23%). TMB 4 mut/Mb. PD-L1 TPS 60%.\n\
         No other pathogenic variants found.",
    );
    assert_eq!(f.category, Some(Category::GeneticReport));
    assert_eq!(person(&f).birth_date.as_deref(), Some("1970-05-06"));
    assert_eq!(f.dates, ["2024-02-01", "2024-02-14"]);
}

#[test]
fn russian_blood_test() {
    let f = facts_of(
        "ГБУЗ «Городская поликлиника № 7»\nОбщий анализ крови и онкомаркеры\n\
         ФИО: Иванов Пётр Сергеевич   Дата рождения: 12.04.1960\nДата взятия: 05.02.2024\n\
         Показатель Результат Норма\nГемоглобин 131 г/л 130-160\nРЭА 3,2 нг/мл до 5,0\nПСА общий 1,1 нг/мл до 4,0",
    );
    assert_eq!(f.category, Some(Category::LabResults));
    assert_eq!(f.language.as_deref(), Some("ru"));
    let p = person(&f);
    assert_eq!(p.name, "Иванов Пётр Сергеевич");
    assert_eq!(p.sex.as_deref(), Some("M"));
    assert_eq!(p.birth_date.as_deref(), Some("1960-04-12"));
    assert_eq!(f.dates, ["2024-02-05"]);
    assert_eq!(f.tumour_markers, ["CEA", "PSA"]);
}

#[test]
fn japanese_pathology_report() {
    let f = facts_of(
        "さくら総合病院 病理診断科\n病理組織診断報告書\n患者氏名 山田 花子 様　性別 女性\n病理番号 S24-00123\n\
         採取日 令和6年1月15日\n診断：胃生検、腺癌（中分化型）を認めます。\n所見：異型腺管が浸潤性に増殖しています。",
    );
    assert_eq!(f.category, Some(Category::PathologyReport));
    assert_eq!(f.language.as_deref(), Some("ja"));
    assert_eq!(person(&f).name, "山田 花子");
    assert_eq!(f.pathology_number.as_deref(), Some("S24-00123"));
    assert_eq!(f.dates, ["2024-01-15"]);
    assert_eq!(f.institution.as_deref(), Some("さくら総合病院"));
}

#[test]
fn referral_slip_receipt_and_notes() {
    let f = facts_of(
        "江北县人民医院\n双向转诊单\n患者姓名：刘洋 性别：女 年龄：45岁\n\
         初步诊断：左肺占位\n转诊原因：需进一步诊治，转上级医院。\n转诊日期：2024-03-18",
    );
    assert_eq!(f.category, Some(Category::ReferralLetter));
    assert_eq!(person(&f).name, "刘洋");
    let f = facts_of("江北县人民医院\n门诊收费收据\n姓名：刘洋\n挂号费 10.00\n检查费 320.00\n合计 330.00\n2024-03-18");
    assert_eq!(f.category, Some(Category::Other));
    let f = facts_of(
        "My treatment timeline\n2023-03-01 Found a lump, saw my GP\n2023-03-20 Biopsy: invasive carcinoma\n\
         2023-04-12 Surgery\n2023-05-10 Started chemotherapy\nQuestions: should I have radiotherapy?",
    );
    assert_eq!(f.category, Some(Category::PatientNotes));
    assert_eq!(f.dates.len(), 4);
}

#[test]
fn unsure_is_none() {
    assert_eq!(facts_of("2024-01-01 复查").category, None);
    assert_eq!(facts_of("").category, None);
    assert_eq!(facts_of("").language, None);
    // Two kinds of record weighed alike: neither wins.
    assert_eq!(facts_of("病理\n检验").category, None);
}

#[test]
fn hostile_text_is_bounded() {
    let limits = Limits {
        facts_text_bytes: 4096,
        ..Limits::default()
    };
    let long = "姓名 ".repeat(10_000);
    let (facts, note) = read(&long, &limits);
    assert!(facts.patients.is_empty());
    let note = note.expect("cut");
    assert_eq!(note.id, "note.document-text-cut");
    for text in [
        "1-1-1-1-1-1-1-1".repeat(500),
        "2024-".repeat(2000),
        "::::||||  №№№ ".repeat(1000),
        "\u{0}\u{1}\u{FFFF}\u{10FFFF}\r\r\n\n".repeat(300),
        "CA CA CA 19- 19- ca19-".repeat(500),
        "Patient: ".repeat(2000),
        "a".repeat(100_000),
    ] {
        let _ = read(&text, &Limits::default());
    }
    let many: String = (0..400)
        .map(|i| format!("2020-01-{:02} ", i % 28 + 1) + &format!("{}年1月1日\n", 1901 + i))
        .collect();
    assert!(read(&many, &Limits::default()).0.dates.len() <= Limits::default().facts_max_items);
}

#[test]
fn radicals_in_a_text_layer_read_as_ideographs() {
    // "某市第⼀⼈⺠医院" as some PDF writers emit it: U+2F00 KANGXI RADICAL ONE, U+2F08 KANGXI
    // RADICAL MAN and U+2EA0 CJK RADICAL CIVILIAN instead of 一, 人 and 民; and 检查⽇期 with
    // U+2F47 KANGXI RADICAL SUN for 日.
    let text: String = [
        "某市第",
        "\u{2F00}\u{2F08}\u{2EA0}",
        "医院\n病理诊断报告\n姓名 王小东  性别 男  检查",
        "\u{2F47}",
        "期 2024-03-08",
    ]
    .concat();
    let f = facts_of(&text);
    assert_eq!(f.institution.as_deref(), Some("某市第一人民医院"));
    assert_eq!(person(&f).name, "王小东");
    assert_eq!(f.dates, ["2024-03-08"]);
}
