// A queue of 1 000 tickets: paged by cursor as it scrolls, with only the rows
// in view in the page; and the console at phone width.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login } from './lib.mjs';

let env, url, tickets = [];
const N = 1000;

before(async () => {
  env = await setup();
  url = env.srv.url;
  await addUser(env.admin, { login: 'amy', name: '艾米', role: 'agent' });
  const amy = await login(url, 'amy');
  const customer = (await amy.post('/api/v1/customers', { name: '周先生', phone: '13500001111' })).json;
  let next = 0;
  const worker = async () => {
    while (next < N) {
      const i = next++;
      const res = await amy.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone',
        subject: `批量咨询 ${i + 1}`, description: '队列滚动测试', customer_id: customer.id });
      assert.equal(res.status, 201, res.text);
      tickets[i] = res.json;
    }
  };
  await Promise.all(Array.from({ length: 6 }, worker));
});
after(async () => { await env.close(); });

test('a 1 000-ticket queue loads as it scrolls and keeps only the visible rows in the page', async () => {
  const page = await env.page();
  await signIn(page, url, 'amy');
  await page.click('a.tab[href="#/queue/owned"]');
  await page.locator('.trow').first().waitFor();
  const rows = () => page.locator('.trow').count();
  assert.ok(await rows() < 60, 'a window of rows, not the whole page');
  let maxRows = 0;
  for (let i = 0; i < 40; i++) {
    await page.$eval('.vlist', (el) => { el.scrollTop = el.scrollHeight; });
    await page.waitForTimeout(60);
    maxRows = Math.max(maxRows, await rows());
    if (/共 1000 条/.test(await page.locator('.vlist-foot').innerText())) break;
  }
  await page.locator('.vlist-foot', { hasText: '共 1000 条' }).waitFor();
  assert.ok(maxRows < 60, `at most ${maxRows} rows in the page`);
  // The last row is the oldest ticket; the keyboard walks the rows.
  const oldest = tickets.reduce((a, b) => (Number(a.id) < Number(b.id) ? a : b));
  await page.$eval('.vlist', (el) => { el.scrollTop = el.scrollHeight; });
  await page.locator(`.trow[data-number="${oldest.number}"]`).waitFor();
  assert.equal(await page.getAttribute(`.trow[data-number="${oldest.number}"]`, 'data-index'), String(N - 1));
  await page.focus(`.trow[data-number="${oldest.number}"]`);
  await page.keyboard.press('Home');
  await page.locator(`.trow[data-index="0"]:focus`).waitFor();
  await page.keyboard.press('ArrowDown');
  await page.locator(`.trow[data-index="1"]:focus`).waitFor();
  await page.keyboard.press('Enter');
  await page.waitForURL(/#\/tickets\/\d+$/);
  await page.context().close();
});

test('at phone width the queue is a list of cards and no page scrolls sideways', async () => {
  const page = await env.page({ width: 390, height: 844 });
  await signIn(page, url, 'amy');
  await page.click('a.tab[href="#/queue/owned"]');
  await page.locator('.trow').first().waitFor();
  assert.equal(await page.locator('.thead').count(), 0, 'no table header');
  const wide = () => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
  assert.ok(await wide() <= 0, 'queue fits');
  await page.locator('.trow').first().click();
  await page.locator('[data-testid=ticket-number]').waitFor();
  assert.ok(await wide() <= 0, 'ticket fits');
  await page.click('a.tab[href="#/new"]');
  await page.locator('#reg-customer-phone').waitFor();
  assert.ok(await wide() <= 0, 'registration fits');
  await page.context().close();
});
