// @ts-check
/**
 * The page's own words (buttons, the drop zone, progress, the declaration controls) in English
 * and Simplified Chinese. Everything the report says (findings, checklist items, next steps,
 * kinds, categories, statuses…) comes from the Rust message tables through the wasm API
 * (`messages`, `findingSentences`, …), so those texts live in one place: src/text/en.rs and zh.rs.
 *
 * Placeholders are `{name}`; `ui()` fills them.
 */

/** @typedef {"en" | "zh"} UiLang */

/** @type {Record<string, string>} */
const EN = {
  "privacy": "Your files stay on this device: they are read here, in this browser, and nothing is uploaded or stored.",
  "privacy-send": "Your files are read here, in this browser, and nothing is stored. Nothing is uploaded unless you choose to send the bundle to {host}, after seeing what it holds.",
  "lede": "Before you ask a specialist for a second opinion: see what your files are, what a reviewer will be able to look at, and what to ask your hospital for.",
  "lang-label": "Language",
  "drop-title": "Drop files, a folder or a zip here",
  "drop-hint": "or press here to choose files. A hospital CD: drop or choose its whole folder.",
  "pick-files": "Choose files or zips",
  "pick-folder": "Choose a folder (a copied CD)",
  "cancel": "Cancel",
  "start-over": "Start over",
  "progress-label": "Files checked",
  "progress-text": "{done} / {total} files · {bytes}",
  "progress-current": "Now: {path}",
  "status-collecting": "Finding the files…",
  "status-scanning": "Checking {total} files on this device…",
  "status-done": "Done: {total} files checked on this device.",
  "status-added": "Added {added} files; {total} in all.",
  "status-cancelled": "Cancelled. The files of the cancelled batch were not added.",
  "status-nothing": "No files were found in what was dropped.",
  "status-error": "Something went wrong: {message}",
  "status-reading-documents": "Reading what the documents say and what the pictures show, on this device: {done} of {total}…",
  "status-documents-read": "Done: {total} files checked and {read} documents read on this device.",
  "status-pictures-read": "Done: {total} files checked on this device: {read} documents read, {pictures} pictures looked at.",
  "status-pictures-only": "Done: {total} files checked on this device, {pictures} pictures looked at.",
  "status-documents-failed": "{read} documents read; {failed} could not be read (they are kept, as they are).",
  "files-count": "{count} files",
  "files-inside": " (and {count} inside zips)",
  "summary-no-patients": "No names were found in the files.",
  "summary-files": "Files checked",
  "not-original": "Not original imaging",
  "not-original-ask": "Ask the hospital for the original DICOM images.",
  "not-original-intro": "Photos, screenshots and screen captures are not original imaging:",
  "filter-kind": "Show",
  "filter-all": "All kinds ({count})",
  "filter-text": "Search file names",
  "filter-shown": "Showing {shown} of {total} files.",
  "show-more": "Show more files",
  "declarations": "Tell us about your case",
  "declarations-hint": "Your answers change the checklist at once. They stay on this page.",
  "treatment-written": "My treatment history (dates, drugs, doses) is written down",
  "review-date": "Date of the review (or today): imaging is judged recent against it",
  "timeline-hint": "When the symptoms began, each test with its date, each treatment and how it went.",
  "timeline-draft": "Start from the dates found in your records",
  "questions-hint": "3 to 5 specific questions work best. Name what you ask about (a finding, a drug, an option, a body part, a number), for example: “Is the 8 mm nodule in the right lung likely benign?”, “Is surgery still an option after 4 cycles of chemotherapy?”, “Should I stay on osimertinib?” A question such as “What do you think?” names nothing a reviewer can answer.",
  "question-n": "Question {n}",
  "question-add": "Add a question",
  "question-remove": "Remove question {n}",
  "categories": "What each document is",
  "categories-hint": "Read from each document's words (from its file name when it has none to read); correct it if it is wrong.",
  "category-for": "Category of {path}",
  "printable": "Printable report",
  "save-html": "Save the report (HTML)",
  "popup-blocked": "The report window was blocked: allow pop-ups for this page, or save the report instead.",
  "bundle": "Save everything in one file",
  "bundle-hint": "One zip for the specialist: your imaging sorted by patient, study and series, your documents by category, this report, and a list of every file with a fingerprint (SHA-256) that proves nothing was lost or changed. It is made on this device and saved where you choose, or in your downloads; saving uploads nothing.",
  "bundle-deflate": "Make it smaller (slower; helps only for uncompressed images and documents)",
  "bundle-save": "Save the bundle",
  "bundle-save-download": "Download the bundle",
  "bundle-excluded": "Left out of the bundle: {count} unticked in the list below.",
  "bundle-other-people": "Left out of the bundle: {count} files that may belong to someone you said is not you (see “Who is in these files?”).",
  "bundle-include": "Include {path} in the bundle",
  "bundle-include-col": "In bundle",
  "thumb-alt": "Picture of {what}",
  "thumb-picture-alt": "Picture: {path}",
  "quick-look-open": "Quick look: {series}",
  "people-title": "Who is in these files?",
  "people-intro": "These files may belong to more than one person. Check each card: if they are all you (at different hospitals, or with your name written differently), say so; if a card is someone else, press “Not me” and that person's files are left out of the bundle.",
  "people-all-me": "These are all me",
  "people-all-me-hint": "Every person shown, except those marked “Not me”, counts as you.",
  "people-not-me": "Not me",
  "people-undo": "Undo",
  "people-excluded": "You said this is not you: the files that may belong to this person are left out of the bundle.",
  "people-merged": "You said the people shown are all you: they count as one person.",
  "people-reset": "Forget these choices",
  "people-file-left-out": "Left out of the bundle: may belong to {person}, who you said is not you.",
  "people-file-row": "{path}: left out of the bundle, you said {person} is not you",
  "bundle-set-aside": "Left out of the bundle by the check: not a medical record (disc viewer software, a system file), empty, or the disc's index; the bundle's manifest says why.",
  "bundle-set-aside-row": "{path}: left out of the bundle by the check",
  "bundle-set-aside-count": "{count} files are left out by the check (disc viewer software, system files, empty files, the disc's index…); the bundle's manifest lists each with the reason.",
  "bundle-progress-label": "Bundle written",
  "bundle-progress": "{done} of {total} · {file}",
  "bundle-left": "about {time} left",
  "bundle-saved": "Saved {name} ({bytes}). Files in it: {copied}; left out: {left} (the manifest in the zip says why).",
  "bundle-downloaded": "{name} ({bytes}) is in your downloads. Files in it: {copied}; left out: {left} (the manifest in the zip says why).",
  "bundle-saved-located": "Saved {name} ({bytes}). Files in it: {copied}; left out: {left} (the manifest in the zip says why). Where {located} photos were taken was removed from them.",
  "bundle-downloaded-located": "{name} ({bytes}) is in your downloads. Files in it: {copied}; left out: {left} (the manifest in the zip says why). Where {located} photos were taken was removed from them.",
  "bundle-deidentify": "De-identify the imaging (for a first look by someone who does not need to know who you are)",
  "bundle-deid-hint": "Names, IDs, birth dates, hospitals and dates are taken out of the DICOM images and you are called PATIENT-1 in the bundle. This is not anonymous: documents, photos and screenshots are not de-identified (they still show your name), and some images show a name in the picture itself — the manifest lists which to look at.",
  "bundle-deid-dates": "Keep the time between scans (every date moved back by the same number of days)",
  "bundle-deid-characteristics": "Keep sex, age, height and weight",
  "bundle-deid-descriptors": "Keep the study and series descriptions (names taken out)",
  "bundle-key-hint": "Who is who in this bundle. This list is not in the bundle; save it apart only if you need it:",
  "bundle-key-save": "Save this list as a separate file",
  "bundle-keep-metadata": "Keep where photos were taken and the camera's details (by default they are removed; the pictures stay the same)",
  "bundle-cancelled": "The bundle was cancelled; nothing was saved.",
  "bundle-failed": "The bundle could not be saved: {message}",
  "bundle-file-changed": "a file changed or was removed after it was checked. Check the files again (pick them again), then save the bundle again.",
  "send": "Send to {host}",
  "send-hint": "Only if you want to: the bundle can be sent to {host}. You first see exactly what would be sent; nothing leaves this device until you press Send.",
  "send-prepare": "Prepare to send",
  "send-what": "What will be sent",
  "send-file": "File",
  "send-size": "Size",
  "send-count": "Files in it",
  "send-count-value": "{copied} files ({left} left out)",
  "send-to": "To",
  "send-confirm": "Send",
  "send-discard": "Don't send",
  "send-progress-label": "Sent",
  "send-progress": "{done} of {total} ({percent}%)",
  "send-pause": "Pause",
  "send-resume": "Resume",
  "send-retry": "Try again",
  "send-preparing": "Making the bundle to send…",
  "send-ready": "Nothing has been sent yet. Check what will be sent, then press Send.",
  "send-sending": "Sending to {host}…",
  "send-paused": "Paused. Resume goes on from where it stopped.",
  "send-retrying": "The connection was lost; trying again…",
  "send-offline": "This device is offline; sending goes on when it is back online.",
  "send-sent": "Sent to {host}: {name} ({bytes}).",
  "send-failed": "The bundle could not be sent: {message}",
  "send-discarded": "Nothing was sent.",
  "send-cancelled": "The bundle was cancelled; nothing was sent.",
  "share-report": "Share the full report with {host}: names, dates and file names included. Without this, {host} sees only counts and what is missing.",
  "finish": "Finish — clear everything",
  "status-finished": "Everything was cleared: no file of the last patient is left on this page.",
  "idle-warning": "Nobody has used this screen for a while. Everything will be cleared in a minute.",
  "idle-continue": "I am still here",
  "bundle-busy": "Wait until the files are checked.",
  "evidence-more": "and {count} more",
  "report-title": "Second-opinion records check",
  "bundle-save-kiosk": "Save to your USB drive…",
  "bundle-kiosk-picker": "Put your USB drive in, then choose it in the window that opens: the bundle is saved only where you choose.",
  "bundle-kiosk-download": "This computer saves into its download folder: after saving, copy the file to your USB drive, or it stays on this computer.",
  "bundle-where-picker": "{name} was saved where you chose. If that was your USB drive, take it with you; if it was on this computer, ask the staff to delete it.",
  "bundle-where-download": "{name} is in this computer's download folder. Copy it to your USB drive and take it with you: otherwise it stays on this computer, and \"Finish\" cannot delete it — ask the staff.",
  "finish-erased-h": "Cleared",
  "finish-files": "{count} files and your answers: forgotten by this page",
  "finish-workers": "The workers that read your files: stopped, and new ones started",
  "finish-memory": "Bundles kept in this page's memory, and their download links: let go",
  "finish-windows": "Printable report windows: {count} closed",
  "finish-storage": "Stored by this site: nothing (checked: local and session storage, databases, caches other than the app's offline copy, cookies)",
  "finish-left-h": "Not erased — this page cannot delete these",
  "finish-left-download": "{name} in this computer's download folder: the page cannot delete it — ask the staff.",
  "finish-left-picker": "{name}, saved where you chose: the page cannot delete it — take it with you, or ask the staff if it is on this computer.",
  "finish-left-storage": "This site's storage is not empty ({what}): not written by this page — ask the staff to clear the browser's data.",
  "finish-left-own": "Your own files (on your USB drive, disc or phone): only read, never changed — take them with you.",
  "consent-h": "Sending abroad: your separate consent",
  "consent-what-t": "What is sent",
  "consent-what": "Your medical records: the files you gave ({count}) except those you unticked, this report, your timeline and your questions. They are health information, and they show who you are (names, ID numbers, dates of birth).",
  "consent-to-t": "To whom",
  "consent-where-t": "Where",
  "consent-where": "{country}: outside the country you are in, where a different law protects your data.",
  "consent-why-t": "What for",
  "consent-refuse": "You may say no: then nothing is sent, and you can still save the bundle yourself. Nothing can be sent until you tick the box below.",
  "consent-agree": "I agree that my medical records are sent to {recipient} in {country}, for {purpose}.",
  "consent-purpose-default": "a second opinion on my records",
  "send-consent-withdrawn": "You withdrew your consent: the prepared bundle was let go, and nothing was sent.",
};

/** @type {Record<string, string>} */
const ZH = {
  "privacy": "您的文件只留在本机：只在这个浏览器里读取，不会上传，也不会保存。",
  "privacy-send": "您的文件只在这个浏览器里读取，不会保存。只有在您看过压缩包内容、并选择发送到 {host} 之后，才会上传。",
  "lede": "请专家会诊之前，先看看您的文件都是什么、专家能看到什么，以及还需要向医院索取什么。",
  "lang-label": "语言",
  "drop-title": "把文件、文件夹或压缩包拖到这里",
  "drop-hint": "或点击这里选择文件。医院光盘：请拖入或选择整个光盘文件夹。",
  "pick-files": "选择文件或压缩包",
  "pick-folder": "选择文件夹（拷贝的光盘）",
  "cancel": "取消",
  "start-over": "重新开始",
  "progress-label": "已检查的文件",
  "progress-text": "{done} / {total} 个文件 · {bytes}",
  "progress-current": "正在检查：{path}",
  "status-collecting": "正在查找文件…",
  "status-scanning": "正在本机检查 {total} 个文件…",
  "status-done": "完成：已在本机检查 {total} 个文件。",
  "status-added": "新增 {added} 个文件，共 {total} 个。",
  "status-cancelled": "已取消。取消的这批文件没有加入。",
  "status-nothing": "拖入的内容中没有找到文件。",
  "status-error": "出错了：{message}",
  "status-reading-documents": "正在本机读取文档内容、查看图片：{done}/{total}…",
  "status-documents-read": "完成：已在本机检查 {total} 个文件，读取了 {read} 份文档的内容。",
  "status-pictures-read": "完成：已在本机检查 {total} 个文件：读取了 {read} 份文档，查看了 {pictures} 张图片。",
  "status-pictures-only": "完成：已在本机检查 {total} 个文件，查看了 {pictures} 张图片。",
  "status-documents-failed": "已读取 {read} 份文档；{failed} 份无法读取（原样保留）。",
  "files-count": "{count} 个文件",
  "files-inside": "（另有压缩包内的 {count} 个）",
  "summary-no-patients": "文件中没有找到姓名。",
  "summary-files": "已检查的文件",
  "not-original": "不是原始影像",
  "not-original-ask": "请向医院索取原始 DICOM 影像。",
  "not-original-intro": "照片、截图和屏幕截图都不是原始影像：",
  "filter-kind": "显示",
  "filter-all": "全部类型（{count}）",
  "filter-text": "搜索文件名",
  "filter-shown": "显示 {total} 个文件中的 {shown} 个。",
  "show-more": "显示更多文件",
  "declarations": "请告诉我们您的情况",
  "declarations-hint": "您的回答会立即更新清单，只保留在本页上。",
  "treatment-written": "我的治疗经过（日期、药物、剂量）已经写好",
  "review-date": "会诊日期（或今天）：据此判断影像是否够新",
  "timeline-hint": "症状什么时候出现、每次检查及日期、每次治疗及效果。",
  "timeline-draft": "从记录中找到的日期开始填写",
  "questions-hint": "写 3 到 5 个具体问题最合适。请写明问的是什么（哪个病灶、哪种药、哪种治疗方案、哪个部位、哪个数值），例如：“右肺 8 mm 的结节良性的可能性大吗？”“化疗 4 个周期后还能做手术吗？”“奥希替尼还要继续吃吗？”像“您怎么看？”这样的问题没有具体对象，专家难以回答。",
  "question-n": "问题 {n}",
  "question-add": "添加问题",
  "question-remove": "删除问题 {n}",
  "categories": "每份资料的类型",
  "categories-hint": "根据文档中的文字判断（无法读取文字时根据文件名推测）；如有错误请更正。",
  "category-for": "{path} 的类型",
  "printable": "可打印的报告",
  "save-html": "保存报告（HTML）",
  "popup-blocked": "报告窗口被浏览器拦截：请允许本页弹出窗口，或改为保存报告。",
  "bundle": "把所有资料保存为一个文件",
  "bundle-hint": "为专家准备的一个压缩包（zip）：影像按患者、检查和序列整理，文件按类型分好，附上这份报告，以及每个文件的清单和校验码（SHA-256），证明没有遗漏、没有改动。压缩包在本设备上生成，保存到您选择的位置或下载文件夹；保存不会上传任何内容。",
  "bundle-deflate": "压缩得更小（更慢；只对未压缩的影像和文档有用）",
  "bundle-save": "保存压缩包",
  "bundle-save-download": "下载压缩包",
  "bundle-excluded": "下方列表中取消勾选的 {count} 个文件不会放入压缩包。",
  "bundle-other-people": "可能属于您说不是您本人的人的 {count} 个文件不会放入压缩包（见“这些文件里有谁？”）。",
  "bundle-include": "把 {path} 放入压缩包",
  "bundle-include-col": "放入",
  "thumb-alt": "{what}的缩略图",
  "thumb-picture-alt": "图片：{path}",
  "quick-look-open": "快速浏览：{series}",
  "people-title": "这些文件里有谁？",
  "people-intro": "这些文件可能属于不止一个人。请核对每张卡片：如果都是您本人（在不同医院，或姓名写法不同），请确认；如果某张卡片是别人，请点“不是我”，这个人的文件将不放入压缩包。",
  "people-all-me": "这些都是我",
  "people-all-me-hint": "除标为“不是我”的以外，显示的每个人都算作您本人。",
  "people-not-me": "不是我",
  "people-undo": "撤销",
  "people-excluded": "您说这不是您：可能属于此人的文件不放入压缩包。",
  "people-merged": "您确认显示的这些人都是您本人：按同一个人计。",
  "people-reset": "清除这些选择",
  "people-file-left-out": "不放入压缩包：可能属于 {person}，您说此人不是您。",
  "people-file-row": "{path}：不放入压缩包，您说 {person} 不是您",
  "bundle-set-aside": "检查已将其排除在压缩包之外：不是医疗记录（光盘阅片软件、系统文件）、空文件或光盘索引；压缩包的清单写明原因。",
  "bundle-set-aside-row": "{path}：检查已将其排除在压缩包之外",
  "bundle-set-aside-count": "检查排除了 {count} 个文件（光盘阅片软件、系统文件、空文件、光盘索引等）；压缩包的清单逐一写明原因。",
  "bundle-progress-label": "压缩包进度",
  "bundle-progress": "{done} / {total} · {file}",
  "bundle-left": "约剩 {time}",
  "bundle-saved": "已保存 {name}（{bytes}）：包含 {copied} 个文件，{left} 个未放入（原因见压缩包中的清单）。",
  "bundle-downloaded": "{name}（{bytes}）已下载：包含 {copied} 个文件，{left} 个未放入（原因见压缩包中的清单）。",
  "bundle-saved-located": "已保存 {name}（{bytes}）：包含 {copied} 个文件，{left} 个未放入（原因见压缩包中的清单）。已从 {located} 张照片中去掉拍摄地点。",
  "bundle-downloaded-located": "{name}（{bytes}）已下载：包含 {copied} 个文件，{left} 个未放入（原因见压缩包中的清单）。已从 {located} 张照片中去掉拍摄地点。",
  "bundle-deidentify": "对影像去标识化（给不需要知道您是谁的人先看）",
  "bundle-deid-hint": "DICOM 影像中的姓名、ID、出生日期、医院和日期会被去掉，打包文件中以 PATIENT-1 称呼您。这并不等于匿名：文档、照片和截图不会去标识化（仍显示您的姓名），有些影像的画面本身也显示姓名——需要查看的文件见清单。",
  "bundle-deid-dates": "保留检查之间的间隔（所有日期前移相同的天数）",
  "bundle-deid-characteristics": "保留性别、年龄、身高和体重",
  "bundle-deid-descriptors": "保留检查和序列的描述（去掉姓名）",
  "bundle-key-hint": "打包文件中的对应关系。此列表不在打包文件中；只有需要时才另外保存：",
  "bundle-key-save": "将此列表另存为文件",
  "bundle-keep-metadata": "保留照片的拍摄地点和相机信息（默认去掉；图片本身不变）",
  "bundle-cancelled": "已取消，没有保存任何文件。",
  "bundle-failed": "压缩包无法保存：{message}",
  "bundle-file-changed": "有文件在检查之后被修改或删除。请重新选择并检查这些文件，然后再保存压缩包。",
  "send": "发送到 {host}",
  "send-hint": "仅在您愿意时：可以把压缩包发送到 {host}。您会先看到将要发送的确切内容；在您按下“发送”之前，任何内容都不会离开本设备。",
  "send-prepare": "准备发送",
  "send-what": "将要发送的内容",
  "send-file": "文件",
  "send-size": "大小",
  "send-count": "包含的文件",
  "send-count-value": "{copied} 个文件（{left} 个未放入）",
  "send-to": "发送到",
  "send-confirm": "发送",
  "send-discard": "不发送",
  "send-progress-label": "已发送",
  "send-progress": "{done} / {total}（{percent}%）",
  "send-pause": "暂停",
  "send-resume": "继续",
  "send-retry": "重试",
  "send-preparing": "正在生成要发送的压缩包……",
  "send-ready": "尚未发送任何内容。请核对将要发送的内容，然后按“发送”。",
  "send-sending": "正在发送到 {host}……",
  "send-paused": "已暂停。按“继续”从中断处接着发送。",
  "send-retrying": "连接中断，正在重试……",
  "send-offline": "本设备已离线；恢复联网后会自动继续发送。",
  "send-sent": "已发送到 {host}：{name}（{bytes}）。",
  "send-failed": "压缩包无法发送：{message}",
  "send-discarded": "没有发送任何内容。",
  "send-cancelled": "已取消，没有发送任何内容。",
  "share-report": "把完整报告分享给 {host}（包括姓名、日期和文件名）。不勾选时，{host} 只能看到数量和缺少的项目。",
  "finish": "完成 — 全部清除",
  "status-finished": "已全部清除：上一位患者的文件不会留在此页面上。",
  "idle-warning": "此屏幕已有一段时间无人使用，一分钟后将清除全部内容。",
  "idle-continue": "我还在使用",
  "bundle-busy": "请等文件检查完毕。",
  "evidence-more": "另有 {count} 个",
  "report-title": "第二诊疗意见：病历资料自查",
  "bundle-save-kiosk": "保存到您的U盘…",
  "bundle-kiosk-picker": "请插入您的U盘，然后在弹出的窗口中选择它：压缩包只会保存到您选择的位置。",
  "bundle-kiosk-download": "这台电脑会把文件保存到它的下载文件夹：保存后请把文件复制到您的U盘，否则它会留在这台电脑上。",
  "bundle-where-picker": "{name} 已保存到您选择的位置。如果那是您的U盘，请带走；如果保存在这台电脑上，请让工作人员删除。",
  "bundle-where-download": "{name} 在这台电脑的下载文件夹中。请把它复制到您的U盘并带走：否则它会留在这台电脑上，“结束”也无法删除它——请联系工作人员。",
  "finish-erased-h": "已清除",
  "finish-files": "{count} 个文件和您的回答：本页面已忘记",
  "finish-workers": "读取您文件的后台进程：已停止，并已换成新的",
  "finish-memory": "本页面内存中的压缩包及其下载链接：已释放",
  "finish-windows": "可打印报告窗口：已关闭 {count} 个",
  "finish-storage": "本网站存储的内容：无（已检查：本地存储、会话存储、数据库、除本应用离线副本以外的缓存、Cookie）",
  "finish-left-h": "未清除——本页面无法删除以下内容",
  "finish-left-download": "这台电脑下载文件夹中的 {name}：本页面无法删除它——请联系工作人员。",
  "finish-left-picker": "保存在您所选位置的 {name}：本页面无法删除它——请带走；如果保存在这台电脑上，请联系工作人员。",
  "finish-left-storage": "本网站的存储不是空的（{what}）：不是本页面写入的——请让工作人员清除浏览器数据。",
  "finish-left-own": "您自己的文件（在您的U盘、光盘或手机上）：只被读取，没有被改动——请带走。",
  "consent-h": "发送到境外：需要您单独同意",
  "consent-what-t": "发送什么",
  "consent-what": "您的病历资料：您提供的文件（{count} 个，您取消勾选的除外）、这份报告、您写的时间线和问题。这些是健康信息，并能识别您的身份（姓名、证件号、出生日期）。",
  "consent-to-t": "发送给谁",
  "consent-where-t": "发送到哪里",
  "consent-where": "{country}：在您所在的国家（地区）之外，那里保护个人信息的法律与此不同。",
  "consent-why-t": "用于什么",
  "consent-refuse": "您可以拒绝：拒绝则不会发送任何内容，您仍可以自己保存压缩包。在您勾选下面的方框之前，什么都不能发送。",
  "consent-agree": "我同意将我的病历资料发送给位于{country}的{recipient}，用于{purpose}。",
  "consent-purpose-default": "对我的病历资料提供第二诊疗意见",
  "send-consent-withdrawn": "您已撤回同意：准备好的压缩包已释放，没有发送任何内容。",
};

/** @type {Record<UiLang, Record<string, string>>} */
export const UI = { en: EN, zh: ZH };

/**
 * Adds the words of a part of the page loaded on demand (ui/ocr.js), so that they stay out of
 * what the page loads before the first scan.
 * @param {Record<string, string>} en
 * @param {Record<string, string>} zh
 */
export function addWords(en, zh) {
  Object.assign(EN, en);
  Object.assign(ZH, zh);
}

/**
 * The page text `id` in `lang`, placeholders filled from `values`.
 * @param {UiLang} lang
 * @param {string} id
 * @param {Record<string, string | number>} [values]
 * @returns {string}
 */
export function ui(lang, id, values = {}) {
  const text = UI[lang][id] ?? EN[id] ?? id;
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in values ? String(values[name]) : whole,
  );
}

/**
 * The language to start in: the element's `lang` attribute, else the browser's.
 * @param {string | null | undefined} tag
 * @returns {UiLang}
 */
export function pickLang(tag) {
  const t = (tag || "").toLowerCase();
  return t.startsWith("zh") ? "zh" : "en";
}

/**
 * A duration for people: `40 s`, `3 min`, `1 h 5 min` (`秒`, `分钟`, `小时` in Chinese).
 * @param {UiLang} lang
 * @param {number} seconds
 * @returns {string}
 */
export function formatDuration(lang, seconds) {
  const s = Math.max(1, Math.round(seconds));
  const [sec, min, hr] = lang === "zh" ? [" 秒", " 分钟", " 小时"] : [" s", " min", " h"];
  if (s < 60) return `${s}${sec}`;
  const m = Math.round(s / 60);
  if (m < 60) return `${m}${min}`;
  return `${Math.floor(m / 60)}${hr} ${m % 60}${min}`;
}

/**
 * A byte count for people: `812 KB`, `60 MB`, `1.2 GB`.
 * @param {number} n
 * @returns {string}
 */
export function formatBytes(n) {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  while (n >= 1000 && i < units.length - 1) {
    n /= 1000;
    i += 1;
  }
  const digits = i === 0 || n >= 10 ? 0 : 1;
  return `${n.toFixed(digits)} ${units[i]}`;
}
