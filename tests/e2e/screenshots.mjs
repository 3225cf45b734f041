// The README's screenshots of the page, in headless Debian Chromium (1280 px wide):
//
//   node tests/e2e/screenshots.mjs [OUT_DIR]     (default docs/; needs `cargo xtask build`)
//
// app-empty.png: the page before any file; app-cd.png: after the corpus' hospital CD
// (case-cd-ct) was picked as a folder, its series' thumbnails made; app-quick-look.png: the quick
// look through its longer series; app-zh.png: the same in Chinese; app-documents.png: after
// the documents of corpus-records/case-breast-documents were picked and read. Full-page screenshots.
// app-people.png, app-people-zh.png: the "Who is in these files?" panel for corpus-identity's
// mother-and-daughter case (two people), in English and Chinese.
// app-purpose.png: the checklist beside the answers, with the purpose of the review chosen ("The
// treatment is not working": the item it adds, its example questions); slip-imaging.png: the
// imaging department's request slip of corpus-identity's three-hospital case for the hospital
// whose CT has only thick slices, in English (Chinese with English beside it);
// slip-pathology-zh.png: corpus-records' breast case's pathology slip (借片), in Chinese.
// app-pictures.png: after corpus-records' case-liver-imaging (photos of a screen and of film, a
// QR slip and a QR share page) was picked: the cloud-film finding and what each picture shows.

import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';

import { CORPUS, ROOT, launchBrowser, lastReport, openApp, pickFolder, reportCount, startServer, waitReport } from './lib.mjs';

const out = resolve(ROOT, process.argv[2] ?? 'docs');

/** Waits for the thumbnails of the files given to be made and shown (ui/thumbs.js). */
async function thumbnailsMade(page) {
  await page.waitForFunction(() => {
    const el = document.querySelector('record-precheck')?.shadowRoot?.querySelector('[data-testid=thumbs]');
    return !!el && el.getAttribute('data-pending') === '0' && Number(el.getAttribute('data-made')) > 0;
  }, undefined, { timeout: 60_000 });
  await page.evaluate(() =>
    Promise.all([...document.querySelector('record-precheck').shadowRoot.querySelectorAll('img')].map((i) => i.decode().catch(() => {}))),
  );
}
const server = await startServer();
const browser = await launchBrowser();
try {
  const app = await openApp(browser, server, {
    contextOptions: { viewport: { width: 1280, height: 900 }, locale: 'en-GB' },
  });
  const { page } = app;
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: join(out, 'app-empty.png'), fullPage: true });
  await pickFolder(page, join(CORPUS, 'case-cd-ct'));
  await thumbnailsMade(page);
  await page.screenshot({ path: join(out, 'app-cd.png'), fullPage: true });
  // The quick look through the CD's longer series, one step on from its middle image.
  await page.locator('[data-testid=series-thumb]').last().click();
  await page.keyboard.press('ArrowRight');
  await page.waitForFunction(() => {
    const d = document.querySelector('record-precheck').shadowRoot.querySelector('[data-testid=quick-look]');
    return d.getAttribute('data-shown') === d.getAttribute('data-index');
  });
  await page.screenshot({ path: join(out, 'app-quick-look.png') });
  await page.keyboard.press('Escape');
  await page.locator('[data-testid=lang]').selectOption('zh');
  await page.waitForFunction(() => document.querySelector('record-precheck')?.getAttribute('lang') === 'zh');
  await page.screenshot({ path: join(out, 'app-zh.png'), fullPage: true });
  await app.context.close();

  const docs = await openApp(browser, server, {
    contextOptions: { viewport: { width: 1280, height: 900 }, locale: 'en-GB' },
  });
  const dir = join(CORPUS, '../corpus-records/case-breast-documents');
  const files = (await readdir(dir)).sort().map((f) => join(dir, f));
  const n = await reportCount(docs.page);
  await docs.page.locator('[data-testid=pick-files]').setInputFiles(files);
  await waitReport(docs.page, n);
  await lastReport(docs.page);
  await docs.page.screenshot({ path: join(out, 'app-documents.png'), fullPage: true });
  await docs.context.close();

  const pictures = await openApp(browser, server, {
    contextOptions: { viewport: { width: 1280, height: 900 }, locale: 'en-GB' },
  });
  const liver = join(CORPUS, '../corpus-records/case-liver-imaging');
  const n3 = await reportCount(pictures.page);
  await pictures.page.locator('[data-testid=pick-files]').setInputFiles((await readdir(liver)).sort().map((f) => join(liver, f)));
  await waitReport(pictures.page, n3);
  await thumbnailsMade(pictures.page);
  await pictures.page.screenshot({ path: join(out, 'app-pictures.png'), fullPage: true });
  await pictures.context.close();

  const people = await openApp(browser, server, {
    contextOptions: { viewport: { width: 1280, height: 900 }, locale: 'en-GB' },
  });
  await pickFolder(people.page, join(CORPUS, '../corpus-identity/case-04-mother-and-daughter'));
  const panel = people.page.locator('[data-testid=people]');
  await panel.screenshot({ path: join(out, 'app-people.png') });
  await people.page.locator('[data-testid=lang]').selectOption('zh');
  await people.page.waitForFunction(() => document.querySelector('record-precheck')?.getAttribute('lang') === 'zh');
  await panel.screenshot({ path: join(out, 'app-people-zh.png') });
  await people.context.close();

  const slips = await openApp(browser, server, {
    contextOptions: { viewport: { width: 1280, height: 900 }, locale: 'en-GB' },
  });
  await pickFolder(slips.page, join(CORPUS, '../corpus-identity/case-01-one-person-three-hospitals'));
  const n2 = await reportCount(slips.page);
  await slips.page.locator('[data-testid=decl-purpose] input[value=not-working]').check();
  await waitReport(slips.page, n2);
  await slips.page.locator('.checklist-grid').screenshot({ path: join(out, 'app-purpose.png') });
  /**
   * Opens the first slip of a department (of the hospital named, when given) and screenshots it
   * as an A4 page (96 dpi).
   */
  const slip = async (/** @type {import('playwright-core').Page} */ page, department, file, hospital = '') => {
    const button = page.locator(`[data-testid=print-request][data-department=${department}]`, { hasText: hospital }).first();
    const [popup] = await Promise.all([page.waitForEvent('popup'), button.click()]);
    await popup.waitForFunction(() => !!document.querySelector('section.slip'));
    await popup.setViewportSize({ width: 794, height: 1123 });
    await popup.emulateMedia({ media: 'print' });
    await popup.screenshot({ path: join(out, file), fullPage: true });
    await popup.close();
  };
  // The hospital whose CT has only 5 mm slices: the slip marks that study and asks for the thin
  // slices.
  await slip(slips.page, 'imaging', 'slip-imaging.png', '西山医科大学第一附属医院');
  await slips.context.close();
  const breast = await openApp(browser, server, {
    contextOptions: { viewport: { width: 1280, height: 900 }, locale: 'en-GB' },
  });
  await pickFolder(breast.page, join(CORPUS, '../corpus-records/case-breast-documents'));
  await breast.page.locator('[data-testid=lang]').selectOption('zh');
  await breast.page.waitForFunction(() => document.querySelector('record-precheck')?.getAttribute('lang') === 'zh');
  await slip(breast.page, 'pathology', 'slip-pathology-zh.png');
  await breast.context.close();
  console.log(
    `wrote app-empty.png, app-cd.png, app-quick-look.png, app-zh.png, app-documents.png, app-pictures.png, app-people.png, app-people-zh.png, app-purpose.png, slip-imaging.png, slip-pathology-zh.png to ${out}`,
  );
} finally {
  await browser.close();
  await server.stop();
}
