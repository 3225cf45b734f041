// @ts-check
/**
 * The document worker (documents.js starts it after the first report, when there are documents
 * to read): runs the report module's `readDocuments` (src/wasm/documents.rs), which scans a file
 * again with the document readers and returns its entry with what its documents say.
 *
 * The page does not load this file by its URL: `cargo xtask build` bundles it, worker-runtime.js
 * and the report module's glue into one script (see scan-worker.js).
 *
 * Messages in:  `{ type: "init", module }` (worker-runtime.js), `{ type: "read", id, path, file }`.
 * Messages out: `{ type: "ready" }`, `{ type: "init-failed", message }` (worker-runtime.js);
 *               `{ type: "read", id, entry }`; `{ type: "error", id, message, fatal }`
 *               (`fatal`: the wasm trapped, so this worker does nothing more and the page
 *               starts another for the next file).
 */
import init, { readDocuments } from "../pkg/record_precheck.js";
import { describe, reply, serve, trapped } from "./worker-runtime.js";

/** @typedef {{ type: "read", id: number, path: string, file: File }} ToDocumentWorker */

serve(init, (/** @type {ToDocumentWorker} */ msg) => {
  if (msg.type !== "read") return;
  try {
    reply({ type: "read", id: msg.id, entry: readDocuments(msg.path, msg.file) });
  } catch (err) {
    reply({ type: "error", id: msg.id, message: describe(err), fatal: trapped(err) });
  }
});
