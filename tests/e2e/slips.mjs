// End-to-end tests of the request slips and the purpose of the review (issue 19) in headless
// Debian Chromium (Playwright):
//
//   node --test --test-reporter=tap tests/e2e/slips.mjs
//
// Needs what run.mjs needs (`cargo xtask build`, /usr/bin/chromium, the corpora, `npm ci` here).
// For cases of the corpora, every "Print the request for …" button opens its slip in a window
// of its own, and that window printed to PDF by Chromium (A4, the slip's own @page size) is ONE
// page, in English (Chinese with English beside it) and in Chinese; the slip names its
// department's title and nothing loads. The purpose question reorders the next steps, adds
// the item the purpose needs to the checklist and shows the example questions, per purpose.

import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { CORPUS, checkPrerequisites, launchBrowser, lastReport, openApp, pickFolder, reportCount, startServer, waitReport } from './lib.mjs';

/** @type {Awaited<ReturnType<typeof startServer>> | undefined} */
let server;
/** @type {import('playwright-core').Browser | undefined} */
let browser;
const prerequisites = checkPrerequisites();

before(async () => {
  if (prerequisites.length) return;
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The pages of a PDF: its page objects (`/Type /Page`, not the `/Pages` tree). */
function pdfPages(/** @type {Buffer} */ pdf) {
  return (pdf.toString('latin1').match(/\/Type\s*\/Page(?![a-zA-Z])/g) ?? []).length;
}

/** The departments' titles, as the catalogue words them in Chinese. */
const TITLES = {
  imaging: '影像科/放射科',
  pathology: '病理科',
  records: '病案室',
  laboratory: '检验科',
};

const CASES = [
  join(CORPUS, 'case-cd-ct'),
  join(CORPUS, '../corpus-identity/case-01-one-person-three-hospitals'),
  join(CORPUS, '../corpus-records/case-breast-documents'),
];

for (const dir of CASES) {
  for (const lang of ['en', 'zh']) {
    test(`every slip of ${dir.split('/').pop()} prints on one A4 page (${lang})`, { timeout: 180_000 }, async (t) => {
      if (prerequisites.length) return t.skip(prerequisites.join('; '));
      const app = await openApp(/** @type {any} */ (browser), server, { contextOptions: { locale: 'en-GB' } });
      const { page, context } = app;
      try {
        await pickFolder(page, dir);
        if (lang === 'zh') {
          await page.locator('[data-testid=lang]').selectOption('zh');
          await page.waitForFunction(() => document.querySelector('record-precheck')?.getAttribute('lang') === 'zh');
        }
        const buttons = page.locator('[data-testid=print-request]');
        const count = await buttons.count();
        const { report } = await lastReport(page);
        assert.equal(count, report.requests.length, 'one button per request slip');
        assert.ok(count > 0, 'the case has request slips');
        const requestsBefore = app.requests.length;
        for (let i = 0; i < count; i++) {
          const department = /** @type {keyof typeof TITLES} */ (await buttons.nth(i).getAttribute('data-department'));
          const [popup] = await Promise.all([page.waitForEvent('popup'), buttons.nth(i).click()]);
          await popup.waitForFunction(() => !!document.querySelector('section.slip'), undefined, { timeout: 20_000 });
          const text = await popup.evaluate(() => document.body.innerText);
          assert.ok(text.includes(TITLES[department]), `${department}: the title in Chinese`);
          assert.equal(/Imaging|Pathology|Medical records|Laboratory/.test(text), lang === 'en', `${department}: English beside only in English`);
          assert.ok(!/\{[a-z_]+\}|slip\./.test(text), `${department}: every placeholder filled: ${text}`);
          const pdf = await popup.pdf({ preferCSSPageSize: true, printBackground: true });
          assert.equal(pdfPages(pdf), 1, `${department} slip ${i + 1} prints on one page`);
          await popup.close();
        }
        const afterward = app.requests.slice(requestsBefore).filter((r) => !r.url.startsWith('blob:') && !r.url.startsWith('about:'));
        assert.deepEqual(afterward, [], 'opening the slips requested nothing');
      } finally {
        await context.close();
      }
    });
  }
}

/** The purposes, with the step each puts first and the item it adds (none for two of them). */
const PURPOSES = [
  ['new-diagnosis', 'request-pathology-slides', null],
  ['surgery-proposed', 'get-treatment-plan', 'treatment-plan'],
  ['conflicting-advice', 'get-written-opinions', 'written-opinions'],
  ['rare-condition', 'request-pathology-slides', null],
  ['not-working', 'get-baseline-and-latest-imaging', 'baseline-and-latest-imaging'],
];

test('the purpose question orders the next steps, adds its item and shows example questions', { timeout: 180_000 }, async (t) => {
  if (prerequisites.length) return t.skip(prerequisites.join('; '));
  const app = await openApp(/** @type {any} */ (browser), server, { contextOptions: { locale: 'en-GB' } });
  const { page, context } = app;
  try {
    await pickFolder(page, join(CORPUS, 'case-cd-ct'));
    const steps = () => page.locator('[data-testid=next-steps] li[data-step]').evaluateAll((li) => li.map((l) => l.getAttribute('data-step')));
    const items = () => page.locator('[data-testid=checklist] li[data-item]').evaluateAll((li) => li.map((l) => l.getAttribute('data-item')));
    const before = await steps();
    assert.equal(before[0], 'request-complete-series', 'without a purpose, the imaging first');
    assert.equal((await items()).length, 10);
    assert.ok(await page.locator('[data-testid=purpose-examples]').isHidden());
    for (const [purpose, first, item] of PURPOSES) {
      const n = await reportCount(page);
      await page.locator(`[data-testid=decl-purpose] input[value=${purpose}]`).check();
      await waitReport(page, n);
      const { report } = await lastReport(page);
      assert.equal(report.declarations.purpose, purpose, 'the report carries the purpose');
      assert.equal((await steps())[0], first, `${purpose}: the first step`);
      const shown = await items();
      assert.equal(shown.length, item ? 11 : 10, `${purpose}: the items`);
      if (item) assert.equal(shown[10], item);
      const examples = page.locator('[data-testid=purpose-examples] li');
      assert.equal(await examples.count(), 3, `${purpose}: three example questions`);
      assert.ok(!(await examples.first().innerText()).startsWith('purpose.'), 'the examples are words, not ids');
    }
    const n = await reportCount(page);
    await page.locator('[data-testid=decl-purpose] input[value=""]').check();
    await waitReport(page, n);
    assert.deepEqual(await steps(), before, 'no purpose: the order as before');
  } finally {
    await context.close();
  }
});
