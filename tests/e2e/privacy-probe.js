// Put into the page before the app's own scripts by cross.mjs (a classic script at the top of
// <head>, in a copy of the built app): WebDriver cannot run a script before a page loads, and
// the server log sees only what reaches the server. Records in `window.__privacy` the URL of
// every resource the document fetched (a PerformanceObserver, buffered: the document itself
// and everything after it) and every Content-Security-Policy violation (a request the policy
// blocked never reaches the server, nor the resource list).
(() => {
  /** @type {{ resources: string[], violations: string[] }} */
  const seen = { resources: [location.href], violations: [] };
  /** @type {any} */ (window).__privacy = seen;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) seen.resources.push(entry.name);
  }).observe({ type: 'resource', buffered: true });
  document.addEventListener('securitypolicyviolation', (e) => {
    seen.violations.push(`${e.effectiveDirective} blocked ${e.blockedURI} (${e.sourceFile}:${e.lineNumber})`);
  });
})();
