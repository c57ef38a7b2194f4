// Console load times (issue 4: a page loads in under 1 s from a cold start on
// loopback). Starts `kefu serve` (build/kefu) on a fresh demo store with the
// built console (web/dist), then, five times, in a new browser context (no
// cache, no cookies): the sign-in page until its form is there, and after
// signing in as agent01, a reload of the queue until its first row is drawn.
// Needs chromium and tests/browser's playwright-core:
//   (cd tests/browser && npm ci) && node bench/console_load.mjs
import { chromium } from '../tests/browser/node_modules/playwright-core/index.mjs';
import { newStore, kefu, startServer, client } from '../tests/api/lib.mjs';

const root = new URL('..', import.meta.url).pathname;
process.env.KEFU_BIN ||= root + 'build/kefu';
const store = newStore();
kefu(store, ['init']);
kefu(store, ['demo']);
const srv = await startServer({ store, env: { KEFU_WEB: root + 'web/dist', KEFU_LOG_LEVEL: 'warn' } });
try {
  // Something in the queue.
  const s = await client(srv.url).post('/api/v1/auth/login', { login: 'agent01', password: 'Kefu-demo-2026' });
  const api = client(srv.url, s.json.token);
  const cust = (await api.get('/api/v1/customers?limit=50')).json.items;
  for (let i = 0; i < 50; i++) {
    const t = (await api.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject: `咨询 ${i}`,
      description: '加载测试', customer_id: cust[i].id })).json;
    await api.post(`/api/v1/tickets/${t.id}/transitions`, { to: 'assigned' });
  }
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'] });
  const rows = [];
  for (let i = 0; i < 5; i++) {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(srv.url + '/');
    await page.locator('#login-login').waitFor();
    const signIn = await page.evaluate(() => Math.round(performance.now()));
    await page.fill('#login-login', 'agent01');
    await page.fill('#login-password', 'Kefu-demo-2026');
    await page.press('#login-password', 'Enter');
    await page.locator('.trow').first().waitFor();
    await page.reload();
    await page.locator('.trow').first().waitFor();
    const queue = await page.evaluate(() => Math.round(performance.now()));
    rows.push({ 'sign-in form (ms)': signIn, 'queue after reload (ms)': queue });
    await context.close();
  }
  await browser.close();
  console.table(rows);
} finally {
  await srv.cleanup();
}
