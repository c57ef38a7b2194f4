// Browser tests of the console: a real kefu (tests/api/lib.mjs's startServer,
// on a fresh SQLite store by default) serving the built console, driven by
// playwright-core through Debian's chromium. No browser is downloaded.
//   KEFU_BIN      the kefu binary (default build/kefu)
//   KEFU_WEB      the built console (default web/dist)
//   CHROMIUM      the browser (default /usr/bin/chromium)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';
import { startServer, login, PASSWORD } from '../api/lib.mjs';

export { PASSWORD, login };

export const WEB = process.env.KEFU_WEB || new URL('../../web/dist', import.meta.url).pathname;
export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';

// Flags that work headless as root on a small machine with no network.
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-dev-shm-usage', '--lang=zh-CN'];

/** A server with the console and a browser (playwright's launch gives it a
 * fresh, temporary profile, removed when it closes). */
export async function setup({ serverArgs = [] } = {}) {
  if (!existsSync(join(WEB, 'index.html')))
    throw new Error(`no built console in ${WEB}: run (cd web && npm ci && npm run build)`);
  const srv = await startServer({ args: serverArgs, env: { KEFU_WEB: WEB } });
  const browser = await chromium.launch({
    executablePath: CHROMIUM, headless: true, args: ARGS,
  }).catch((e) => {
    throw new Error(`cannot start ${CHROMIUM} (apt-get install chromium): ${e.message}`);
  });
  const admin = await login(srv.url, 'admin');
  const pages = [];
  return {
    srv, browser, admin,
    /** A new browser context (its own cookies and storage) with one page. */
    async page({ width = 1280, height = 800 } = {}) {
      const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      // Patience for a waiting locator, not a speed limit: CI runs two test
      // files at once against a sanitizer build on two shared cores, where a
      // page that takes 4 s alone once took more than 10.
      page.setDefaultTimeout(30000);
      page.errors = [];
      page.on('pageerror', (e) => page.errors.push(e.message));
      page.on('console', (m) => { if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) page.errors.push(m.text()); });
      pages.push(page);
      return page;
    },
    async close() {
      const errors = pages.flatMap((p) => p.errors);
      await browser.close();
      await srv.cleanup();
      assert.deepEqual(errors, [], 'no script errors in the pages');
    },
  };
}

/** Creates a person through the API (as admin). */
export async function addUser(admin, fields) {
  const res = await admin.post('/api/v1/users', { password: PASSWORD, ...fields });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

/** Signs in through the sign-in page. */
export async function signIn(page, url, loginName, password = PASSWORD) {
  await page.goto(url + '/');
  await page.fill('#login-login', loginName);
  await page.fill('#login-password', password);
  await page.press('#login-password', 'Enter');
  await page.waitForSelector('.topbar');
}

// The id of the element that holds the focus once it is `id`, or what holds
// it after a few seconds: focus moves when a view has rendered, which may be
// after the event the test waited for.
export async function focusedId(page, id, timeout = 5000) {
  try {
    await page.waitForFunction((want) => document.activeElement && document.activeElement.id === want, id, { timeout });
  } catch {
    /* the assertion that follows names what holds the focus */
  }
  return page.evaluate(() => (document.activeElement ? document.activeElement.id : ''));
}
