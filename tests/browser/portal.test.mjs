// The customer portal in a real browser (S-4, S-1, T-7): a customer registers
// and submits a request at phone width; an agent, in a second browser
// context, replies and leaves an internal note on the console; the portal
// shows the reply without a reload and never the note (in the page or in
// the API's JSON); a second customer cannot see the first one's request.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login, focusedId } from './lib.mjs';

let env, url, cust, agentPage, agent, sup, ticketId, ticketNumber;
const PW = 'Kehu-mima-2026';

before(async () => {
  env = await setup();
  url = env.srv.url;
  agent = await addUser(env.admin, { login: 'pam', name: '潘敏', role: 'agent' });
  await addUser(env.admin, { login: 'sue', name: '苏主管', role: 'supervisor' });
  sup = await login(url, 'sue');
  cust = await env.page({ width: 390, height: 800 });
  agentPage = await env.page();
});
after(async () => { await env.close(); });

const sideways = (page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test('S-1/S-4: a customer registers (the password rules next to the field) and submits a request', async () => {
  await cust.goto(url + '/#/portal');
  await cust.locator('#psi-phone').waitFor();
  await cust.click('a[href="#/portal/signup"]');
  await cust.fill('#psu-phone', '138 0013 8000');
  await cust.fill('#psu-name', '周女士');
  await cust.fill('#psu-password', 'short');
  await cust.press('#psu-password', 'Enter');
  await cust.locator('#psu-password-err').waitFor();
  assert.equal(await cust.getAttribute('#psu-password', 'aria-invalid'), 'true');
  await cust.fill('#psu-password', PW);
  await cust.press('#psu-password', 'Enter');
  await cust.locator('[data-testid=portal-who]', { hasText: '周女士' }).waitFor();
  await cust.locator('text=您还没有提交过请求').waitFor();

  await cust.click('[data-testid=portal-new]');
  await cust.selectOption('#pnr-type', 'repair');
  await cust.fill('#pnr-description', '厨房水龙头一直滴水。');
  await cust.click('form button[type=submit]');
  // The subject was left empty: the server names it; the form shows it there.
  await cust.locator('#pnr-subject-err').waitFor();
  assert.equal(await focusedId(cust, 'pnr-subject'), 'pnr-subject');
  await cust.fill('#pnr-subject', '水龙头漏水');
  await cust.click('form button[type=submit]');
  const num = cust.locator('[data-testid=portal-number]');
  await num.waitFor();
  ticketNumber = await num.innerText();
  assert.match(ticketNumber, /^BX-\d{8}-\d{4}$/);
  ticketId = cust.url().split('/').pop();
  assert.equal(await sideways(cust), 0, 'no sideways scrolling at 390 px');
});

test('T-7: the agent\'s reply reaches the portal without a reload; the internal note never does', async () => {
  // A supervisor assigns the request; the agent becomes its owner (T-5).
  const a = await sup.post(`/api/v1/tickets/${ticketId}/transitions`, { to: 'assigned', assignee_id: agent.id });
  assert.equal(a.status, 200, a.text);
  assert.equal(a.json.owner_id, agent.id);
  await signIn(agentPage, url, 'pam');
  await agentPage.goto(url + '/#/tickets/' + ticketId);
  await agentPage.locator('[data-testid=ticket-number]', { hasText: ticketNumber }).waitFor();
  await agentPage.fill('#entry-body', '师傅今天下午三点上门维修');
  await agentPage.click('.composer button[type=submit]');
  await agentPage.locator('.tl-reply', { hasText: '师傅今天下午三点上门维修' }).waitFor();
  await agentPage.check('input[name=kind][value=note]');
  await agentPage.fill('#entry-body', '内部：该客户上月投诉过');
  await agentPage.click('.composer button[type=submit]');
  await agentPage.locator('.tl-note', { hasText: '该客户上月投诉过' }).waitFor();

  // The portal page, left open, shows the reply by itself (it polls).
  await cust.locator('[data-testid=portal-entry][data-kind=reply]', { hasText: '师傅今天下午三点上门维修' })
    .waitFor({ timeout: 15000 });
  const html = await cust.content();
  assert.ok(!html.includes('该客户上月投诉过'), 'the note is nowhere in the page');
  assert.ok(!html.includes('潘敏'), 'no staff names in the page');
  const json = await cust.evaluate(async (id) => (await fetch('/api/v1/portal/tickets/' + id)).text(), ticketId);
  assert.ok(json.includes('师傅今天下午三点上门维修'));
  assert.ok(!json.includes('该客户上月投诉过'), 'the note is nowhere in the API answer');
  assert.ok(!/"internal"|"note"/.test(json));

  // The customer answers; the agent's console shows it, as the customer's.
  await cust.fill('#prp-body', '好的，我下午在家');
  await cust.click('form button[type=submit]');
  await cust.locator('[data-testid=portal-entry][data-kind=customer_reply]', { hasText: '我下午在家' }).waitFor();
  await agentPage.reload();
  await agentPage.locator('.tl-customer', { hasText: '好的，我下午在家' }).waitFor();
  assert.equal(await sideways(cust), 0);
});

test('S-4: a second customer cannot see the first one\'s request', async () => {
  const other = await env.page({ width: 390, height: 800 });
  await other.goto(url + '/#/portal/signup');
  await other.fill('#psu-phone', '13800138001');
  await other.fill('#psu-name', '吴先生');
  await other.fill('#psu-password', PW);
  await other.press('#psu-password', 'Enter');
  await other.locator('text=您还没有提交过请求').waitFor();
  await other.goto(url + '/#/portal/tickets/' + ticketId);
  await other.locator('.page-msg', { hasText: '找不到该记录' }).waitFor();
  assert.ok(!(await other.content()).includes('水龙头漏水'));
  const status = await other.evaluate(async (id) => (await fetch('/api/v1/portal/tickets/' + id)).status, ticketId);
  assert.equal(status, 404);
  // Their own list does not have it either.
  await other.goto(url + '/#/portal');
  await other.locator('text=您还没有提交过请求').waitFor();
});

test('S-4, C-3: staff open a portal account for an existing customer once verified; the customer sees the record\'s requests', async () => {
  const api = await login(url, 'pam');
  const cu = (await api.post('/api/v1/customers', { name: '郑老先生', phone: '13800138002' })).json;
  const tk = await api.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject: '电话咨询保修',
    description: '问冰箱保修', customer_id: cu.id });
  assert.equal(tk.status, 201, tk.text);
  await agentPage.goto(url + '/#/customers/' + cu.id);
  const card = agentPage.locator('[data-testid=portal-account]');
  await card.locator('text=核实客户身份后').waitFor();
  assert.equal(await card.locator('form').count(), 0, 'no form before the verification');
  await agentPage.click('[data-testid=verify-form] button[type=submit]');
  await agentPage.locator('[data-testid=revealed]').waitFor();
  await agentPage.fill('#pacct-password', 'short');
  await agentPage.click('[data-testid=portal-account] button[type=submit]');
  await agentPage.locator('#pacct-password-err').waitFor();
  await agentPage.fill('#pacct-password', PW);
  await agentPage.click('[data-testid=portal-account] button[type=submit]');
  await card.locator('[role=status]', { hasText: '13800138002' }).waitFor();

  const old = await env.page({ width: 390, height: 800 });
  await old.goto(url + '/#/portal');
  await old.fill('#psi-phone', '138-0013-8002');
  await old.fill('#psi-password', PW);
  await old.press('#psi-password', 'Enter');
  await old.locator('[data-testid=portal-tickets] a', { hasText: '电话咨询保修' }).waitFor();
});

test('S-4: the console marks a self-registered customer record; a staff-made one is not marked', async () => {
  const api = await login(url, 'pam');
  const found = await api.get('/api/v1/customers?q=' + encodeURIComponent('13800138000'));
  const self = found.json.items.find((x) => x.name === '周女士');
  assert.ok(self, found.text);
  await agentPage.goto(url + '/#/customers/' + self.id);
  await agentPage.locator('[data-testid=self-registered]', { hasText: '客户自助注册' }).waitFor();
  const made = (await api.post('/api/v1/customers', { name: '坐席建档', phone: '13800138009' })).json;
  await agentPage.goto(url + '/#/customers/' + made.id);
  await agentPage.locator('h1', { hasText: '坐席建档' }).waitFor();
  assert.equal(await agentPage.locator('[data-testid=self-registered]').count(), 0);
});
