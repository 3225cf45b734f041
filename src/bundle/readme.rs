//! The small text files the bundle writes for people: `README.txt` (English and Chinese: what
//! is inside and how to open it), `timeline.md` and `questions.md` (what the patient wrote).
//! Pure string building from counts and the declarations.

use crate::readiness::Declarations;
use crate::text::Lang;

/// What the README says about the contents.
#[derive(Debug, Clone, Default)]
pub(crate) struct Contents {
    pub generated_by: String,
    pub created: Option<String>,
    pub inputs: usize,
    pub copied: usize,
    pub left_out: usize,
    pub unpacked: usize,
    /// Top-level folders that hold at least one file.
    pub folders: Vec<&'static str>,
}

/// The top-level folders, in the order the README explains them.
pub(crate) const FOLDERS: [&str; 7] = [
    "imaging",
    "documents",
    "photos-and-screenshots",
    "slides",
    "other",
    "unreadable",
    "not-checked",
];

fn folder_line(folder: &str, lang: Lang) -> &'static str {
    match (folder, lang) {
        ("imaging", Lang::En) => "Medical images (DICOM), one folder per patient, study and series:\r\n                           imaging/<patient>/<date>_<modality>_<study>/<series number>_<series>/",
        ("imaging", Lang::Zh) => "医学影像（DICOM），按患者、检查、序列分文件夹：\r\n                           imaging/<患者>/<日期>_<设备类型>_<检查>/<序列号>_<序列>/",
        ("documents", Lang::En) => "Reports, lab results and other documents, one folder per category.",
        ("documents", Lang::Zh) => "诊断报告、化验结果等文字资料，按类别分文件夹。",
        ("photos-and-screenshots", Lang::En) => "Photos and screenshots: kept, but they are not original imaging.",
        ("photos-and-screenshots", Lang::Zh) => "照片和截图：已保留，但它们不是原始影像。",
        ("slides", Lang::En) => "Whole-slide pathology images.",
        ("slides", Lang::Zh) => "病理全切片数字图像。",
        ("other", Lang::En) => "Files of other kinds, kept as they were given.",
        ("other", Lang::Zh) => "其他类型的文件，按原样保留。",
        ("unreadable", Lang::En) => "Files that could not be read (damaged or of an unknown format),\r\n                           kept so that the reviewer can still try them.",
        ("unreadable", Lang::Zh) => "无法读取的文件（已损坏或格式不明），保留以便审阅医生尝试打开。",
        ("not-checked", Lang::En) => "Files that were not checked (a size limit was reached), kept as given.",
        ("not-checked", Lang::Zh) => "未检查的文件（达到了大小上限），按原样保留。",
        _ => "",
    }
}

/// `README.txt`: English, then Chinese; CRLF line ends and a byte-order mark so that Windows
/// Notepad shows it right.
pub(crate) fn readme(c: &Contents) -> String {
    let mut s = String::from("\u{feff}");
    let when = c
        .created
        .as_deref()
        .map(|t| format!(" on {t} (UTC)"))
        .unwrap_or_default();
    let when_zh = c
        .created
        .as_deref()
        .map(|t| format!("于 {t}（UTC）"))
        .unwrap_or_default();
    let list = |lang: Lang| {
        let mut lines = String::new();
        for f in &c.folders {
            lines.push_str(&format!(
                "  {:<25}{}\r\n",
                format!("{f}/"),
                folder_line(f, lang)
            ));
        }
        lines
    };
    s.push_str(&format!(
        "MEDICAL RECORDS BUNDLE\r\n\
         Made by {gen}{when}.\r\n\
         \r\n\
         WHAT IS INSIDE\r\n\
         \x20 {:<25}The readiness report: open it in any web browser. Start here.\r\n\
         \x20 {:<25}The same report as data (JSON).\r\n\
         \x20 {:<25}The patient's own timeline of the illness.\r\n\
         \x20 {:<25}The patient's questions for the reviewer.\r\n\
         {folders}\
         \x20 {:<25}Every file the patient gave: its size, its SHA-256 checksum, and\r\n\
         \x20 {:<25}where it is in this bundle, or why it was left out.\r\n\
         \r\n\
         {inputs} files were given: {copied} are in this bundle and {left_out} were left out{unpacked}.\r\n\
         What was left out, and why (viewer software, system files, empty files, exact\r\n\
         duplicates, files the patient excluded), is in manifest.csv.\r\n\
         \r\n\
         HOW TO OPEN THE IMAGES\r\n\
         Unpack this zip, then open the imaging folder with a DICOM viewer, for example RadiAnt or\r\n\
         MicroDicom (Windows), Horos or OsiriX (macOS), or Weasis (any system); or import the\r\n\
         imaging folder into a PACS. There is no DICOMDIR: use the viewer's \"open folder\" or\r\n\
         \"import folder\" command. The report (report.html) opens in any browser, offline.\r\n\
         \r\n\
         HOW TO CHECK THAT NOTHING WAS CHANGED\r\n\
         Run `record-precheck verify` on this zip: it checks every file's CRC-32 and SHA-256\r\n\
         against manifest.json. Or compare a file's SHA-256 (sha256sum FILE on Linux,\r\n\
         shasum -a 256 FILE on macOS, certutil -hashfile FILE SHA256 on Windows) with\r\n\
         manifest.csv.\r\n\
         \r\n",
        "report.html",
        "report.json",
        "timeline.md",
        "questions.md",
        "manifest.csv, .json",
        "",
        gen = c.generated_by,
        folders = list(Lang::En),
        inputs = c.inputs,
        copied = c.copied,
        left_out = c.left_out,
        unpacked = if c.unpacked > 0 {
            format!(
                " ({} zip archive(s) were unpacked into the folders above)",
                c.unpacked
            )
        } else {
            String::new()
        },
    ));
    s.push_str(&format!(
        "医疗资料包\r\n\
         由 {gen} {when_zh}生成。\r\n\
         \r\n\
         包含内容\r\n\
         \x20 {:<25}资料完整性报告：用任何网页浏览器打开。请从这里开始。\r\n\
         \x20 {:<25}同一份报告的数据格式（JSON）。\r\n\
         \x20 {:<25}患者本人写的病情时间线。\r\n\
         \x20 {:<25}患者想问审阅医生的问题。\r\n\
         {folders}\
         \x20 {:<25}患者提供的每个文件：大小、SHA-256 校验值，以及它在本资料包中的位置，\r\n\
         \x20 {:<25}或未放入的原因。\r\n\
         \r\n\
         共提供 {inputs} 个文件：{copied} 个在本资料包中，{left_out} 个未放入{unpacked}。\r\n\
         未放入的文件及原因（看图软件、系统文件、空文件、完全相同的重复文件、患者排除的文件）见 manifest.csv。\r\n\
         \r\n\
         如何打开影像\r\n\
         先解压本 zip 文件，再用 DICOM 看图软件打开 imaging 文件夹，例如 RadiAnt 或 MicroDicom（Windows）、\r\n\
         Horos 或 OsiriX（macOS）、Weasis（各系统均可）；也可以把 imaging 文件夹导入 PACS。本资料包不含\r\n\
         DICOMDIR：请使用软件的“打开文件夹”或“导入文件夹”功能。报告（report.html）可离线用任何浏览器打开。\r\n\
         \r\n\
         如何确认文件未被改动\r\n\
         对本 zip 运行 `record-precheck verify`：它会按 manifest.json 核对每个文件的 CRC-32 和 SHA-256。\r\n\
         也可以自己计算文件的 SHA-256（Linux：sha256sum 文件；macOS：shasum -a 256 文件；\r\n\
         Windows：certutil -hashfile 文件 SHA256），与 manifest.csv 中的值比较。\r\n",
        "report.html",
        "report.json",
        "timeline.md",
        "questions.md",
        "manifest.csv, .json",
        "",
        gen = c.generated_by,
        folders = list(Lang::Zh),
        inputs = c.inputs,
        copied = c.copied,
        left_out = c.left_out,
        unpacked = if c.unpacked > 0 {
            format!("（其中 {} 个 zip 压缩包已解压到上述文件夹中）", c.unpacked)
        } else {
            String::new()
        },
    ));
    s
}

/// `timeline.md`: the patient's timeline as written.
pub(crate) fn timeline(d: &Declarations, lang: Lang) -> String {
    let (title, none) = match lang {
        Lang::En => (
            "# Timeline of the illness (as the patient wrote it)",
            "_No timeline was written._",
        ),
        Lang::Zh => ("# 病情时间线（患者本人所写）", "_尚未填写时间线。_"),
    };
    let body = d.timeline.trim();
    format!("{title}\n\n{}\n", if body.is_empty() { none } else { body })
}

/// `questions.md`: the patient's questions, numbered.
pub(crate) fn questions(d: &Declarations, lang: Lang) -> String {
    let (title, none) = match lang {
        Lang::En => (
            "# Questions for the reviewer (as the patient wrote them)",
            "_No questions were written._",
        ),
        Lang::Zh => ("# 想问审阅医生的问题（患者本人所写）", "_尚未填写问题。_"),
    };
    let qs: Vec<&str> = d
        .questions
        .iter()
        .map(|q| q.trim())
        .filter(|q| !q.is_empty())
        .collect();
    let mut s = format!("{title}\n\n");
    if qs.is_empty() {
        s.push_str(none);
        s.push('\n');
    }
    for (i, q) in qs.iter().enumerate() {
        // A question over several lines stays one list item.
        s.push_str(&format!("{}. {}\n", i + 1, q.replace('\n', "\n   ")));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readme_lists_only_folders_present_in_both_languages() {
        let c = Contents {
            generated_by: "record-precheck 0.1.0".into(),
            created: Some("2026-11-27T10:00:00Z".into()),
            inputs: 5,
            copied: 3,
            left_out: 2,
            unpacked: 1,
            folders: vec!["imaging", "documents"],
        };
        let r = readme(&c);
        assert!(r.contains("imaging/") && r.contains("documents/"));
        assert!(!r.contains("slides/"));
        assert!(r.contains("5 files were given: 3 are in this bundle and 2 were left out"));
        assert!(r.contains("共提供 5 个文件"));
        assert!(r.contains("1 zip archive(s) were unpacked"));
    }

    #[test]
    fn questions_are_numbered() {
        let d = Declarations {
            questions: vec![
                "Is surgery an option?".into(),
                " ".into(),
                "Why?\nReally".into(),
            ],
            ..Declarations::default()
        };
        assert_eq!(
            questions(&d, Lang::En),
            "# Questions for the reviewer (as the patient wrote them)\n\n1. Is surgery an option?\n2. Why?\n   Really\n"
        );
        assert!(timeline(&d, Lang::Zh).contains("尚未填写时间线"));
    }
}
