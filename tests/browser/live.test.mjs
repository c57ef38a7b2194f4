// What arrives without a reload (the event stream): a transfer offered to an
// agent in another browser, its acceptance, and the header's overdue and
// due-soon counts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login } from './lib.mjs';

let env, url, amy, ben, amyApi, customer;

before(async () => {
  env = await setup({ serverArgs: ['--test-clock'] });
  url = env.srv.url;
  const team = (await env.admin.post('/api/v1/teams', { name: '客服二组' })).json;
  amy = await addUser(env.admin, { login: 'amy', name: '艾米', role: 'agent', team_id: team.id });
  ben = await addUser(env.admin, { login: 'ben', name: '本杰', role: 'agent', team_id: team.id });
  amyApi = await login(url, 'amy');
  customer = (await amyApi.post('/api/v1/customers', { name: '孙女士', phone: '13712345678' })).json;
});
after(async () => { await env.close(); });

async function register(api, subject) {
  const res = await api.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject,
    description: subject, customer_id: customer.id });
  assert.equal(res.status, 201, res.text);
  const moved = await api.post(`/api/v1/tickets/${res.json.id}/transitions`, { to: 'assigned' });
  assert.equal(moved.status, 200, moved.text);
  return res.json;
}

async function setClock(ms) {
  const res = await env.admin.post('/api/v1/test/clock', { now: new Date(ms).toISOString() });
  assert.equal(res.status, 200, res.text);
}

test('T-5: a transfer reaches the other agent live; accepting it moves ownership, seen by both', async () => {
  const tk = await register(amyApi, '转交测试：洗衣机噪音');
  const a = await env.page();
  const b = await env.page();
  await signIn(a, url, 'amy');
  await signIn(b, url, 'ben');
  await b.locator('[data-testid=live].on').waitFor();
  assert.equal(await b.locator('[data-testid=transfer-count]').count(), 0);

  await a.goto(`${url}/#/tickets/${tk.id}`);
  await a.selectOption('#transfer-to-user-id', ben.id);
  await a.fill('#transfer-reason', '下班交接');
  await a.press('#transfer-reason', 'Enter');
  await a.locator('[data-testid=transfer-waiting]', { hasText: '本杰' }).waitFor();

  // Ben sees it without reloading: the count in the top bar and a notice.
  await b.locator('[data-testid=transfer-count]', { hasText: '1' }).waitFor();
  await b.locator('.toast', { hasText: tk.number }).click();
  await b.waitForURL(new RegExp(`#/tickets/${tk.id}$`));
  await b.locator('[data-testid=transfer-offer]', { hasText: '下班交接' }).waitFor();
  await b.click('[data-testid=transfer-offer] button.primary');
  await b.locator('[data-testid=ticket-owner]', { hasText: '本杰' }).waitFor();
  assert.equal(await b.locator('[data-testid=transfer-count]').count(), 0);

  // Amy's open ticket follows (transfer.accepted reaches both).
  await a.locator('[data-testid=ticket-owner]', { hasText: '本杰' }).waitFor();
  assert.equal(await a.locator('[data-testid=transfer-waiting]').count(), 0);
  const now = (await amyApi.get(`/api/v1/tickets/${tk.id}`)).json;
  assert.equal(now.owner_id, ben.id);
  await a.context().close();
  await b.context().close();
});

test('L-6: overdue and due-soon counts follow the event stream; countdowns are coloured', async () => {
  const page = await env.page();
  await signIn(page, url, 'amy');
  await page.locator('[data-testid=live].on').waitFor();
  const count = (id) => page.locator(`[data-testid=${id}] b`).innerText();
  await page.locator('[data-testid=count-overdue] b', { hasText: /^0$/ }).waitFor();
  const before = { overdue: await count('count-overdue'), soon: await count('count-due-soon') };
  assert.deepEqual(before, { overdue: '0', soon: '0' });

  // A ticket registered 22.5 hours ago: its 24-hour reply deadline (L-6) is
  // 1.5 hours away. One registered 25 hours ago is an hour past it.
  const real = Date.now();
  await setClock(real - 22.5 * 3600e3);
  const soon = await register(amyApi, '快到期的咨询');
  await setClock(real - 25 * 3600e3);
  const late = await register(amyApi, '已逾期的咨询');
  await setClock(real); // the overdue scan marks the late one and tells amy
  await page.locator('[data-testid=count-due-soon] b', { hasText: /^1$/ }).waitFor();
  await page.locator('[data-testid=count-overdue] b', { hasText: /^1$/ }).waitFor();
  assert.equal((await amyApi.get(`/api/v1/tickets/${late.id}`)).json.overdue, true);

  await page.click('a.tab[href="#/queue/mine"]');
  const row = (tk) => page.locator(`.trow[data-number="${tk.number}"] .due`);
  await row(soon).waitFor();
  assert.match(await row(soon).getAttribute('class'), /due-soon/);
  assert.match(await row(soon).innerText(), /^剩 1小时(29|30)分$/);
  assert.match(await row(late).getAttribute('class'), /due-over/);
  assert.match(await row(late).innerText(), /逾期/);
  await page.context().close();
});

test('supervisor views: the team board counts each member\'s load; escalations arrive in the inbox live (T-8)', async () => {
  await addUser(env.admin, { login: 'sue', name: '苏主管', role: 'supervisor' });
  const first = await register(amyApi, '上报测试：冰箱异响');
  assert.equal((await amyApi.post(`/api/v1/tickets/${first.id}/escalations`, { reason: '需要主管决定' })).status, 200);
  const page = await env.page();
  await signIn(page, url, 'sue');
  await page.locator('[data-testid=live].on').waitFor();

  await page.click('a.tab[href="#/board"]');
  const amyRow = page.locator('tr[data-login=amy]');
  await amyRow.waitFor();
  const open = (await amyApi.get('/api/v1/tickets?assignee_id=me&open=true&limit=200')).json.items.length;
  assert.equal(await amyRow.locator('.n').innerText(), String(open));
  assert.equal(await page.locator('tr[data-login=ben] .n').innerText(), '0');

  await page.click('a.tab[href="#/escalations"]');
  await page.locator(`.trow[data-number="${first.number}"]`).waitFor();
  const second = await register(amyApi, '上报测试：空调不制热');
  assert.equal((await amyApi.post(`/api/v1/tickets/${second.id}/escalations`, { reason: '客户第三次来电' })).status, 200);
  await page.locator(`.trow[data-number="${second.number}"]`).waitFor(); // no reload
  // With them, the ticket the overdue scan raised to the supervisor (L-6).
  const sue = await login(url, 'sue');
  const all = (await sue.get('/api/v1/tickets?open=true&limit=200')).json;
  const raised = all.items.filter((x) => x.escalated_to === 'supervisor').map((x) => x.number).sort();
  assert.equal(raised.length, 3);
  assert.deepEqual((await page.$$eval('.trow', (els) => els.map((e) => e.dataset.number))).sort(), raised);
  await page.context().close();
});
