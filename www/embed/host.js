// @ts-check
/**
 * The example host page's script (www/embed/index.html): logs the element's events into the
 * page (`#event-log`) and the console, as a host's analytics or next step would. Holds no
 * report: only the event's name and a short summary. This host is not trusted (no
 * `share-report="full"`): its `precheck-report` is the redacted report (`redacted: true`: counts
 * and levels, no names or file names) until the patient consents in the send step.
 */
const log = /** @type {HTMLOListElement} */ (document.getElementById("event-log"));
for (const type of ["precheck-report", "precheck-bundle-ready", "precheck-reset", "precheck-error"]) {
  document.addEventListener(type, (e) => {
    const detail = /** @type {CustomEvent} */ (e).detail;
    let summary = "";
    if (type === "precheck-report") summary = `${detail.files.length} files, readiness ${detail.readiness?.level ?? "?"}, ${detail.redacted ? "redacted" : "full report"}`;
    else if (type === "precheck-bundle-ready") summary = `${detail.name}, ${detail.bytes} bytes`;
    else if (type === "precheck-error") summary = `${detail.code}: ${detail.message}`;
    const li = document.createElement("li");
    li.dataset.type = type;
    li.textContent = summary ? `${type}: ${summary}` : type;
    log.append(li);
    console.info(li.textContent);
  });
}
