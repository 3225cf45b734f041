// @ts-check
/**
 * The entry point for host pages (the name the embedding contract and dist/package.json give):
 * `<script type="module" src=".../record-precheck.js"></script>` defines `<record-precheck>`.
 * It is app.js under a stable name; app.js owns the element and its contract.
 */
export * from "./app.js";
