// The agent console in a real browser: sign-in, registration, search,
// the state machine, masked personal data and the language.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login, focusedId, PASSWORD } from './lib.mjs';

let env, url, page, amy, amyApi;
const PHONE = '13955550001';

before(async () => {
  env = await setup();
  url = env.srv.url;
  const team = (await env.admin.post('/api/v1/teams', { name: '客服一组' })).json;
  amy = await addUser(env.admin, { login: 'amy', name: '艾米', role: 'agent', team_id: team.id });
  amyApi = await login(url, 'amy');
  page = await env.page();
});
after(async () => { await env.close(); });

const text = (sel) => page.locator(sel).first().innerText();
const moves = () => page.$$eval('.move', (els) => els.map((e) => e.dataset.to));

test('S-1: a wrong password is refused next to the password field; the right one opens the console', async () => {
  await page.goto(url + '/');
  assert.equal(await focusedId(page, 'login-login'), 'login-login', 'the login field has the focus');
  await page.press('#login-login', 'Enter');
  await page.locator('#login-login-err').waitFor();
  assert.equal(await text('#login-login-err'), '必填');

  await page.fill('#login-login', 'amy');
  await page.fill('#login-password', 'not-the-password');
  await page.press('#login-password', 'Enter');
  await page.locator('#login-password-err', { hasText: '账号或密码不正确' }).waitFor();
  assert.equal(await page.getAttribute('#login-password', 'aria-invalid'), 'true');
  assert.equal(await page.locator('.topbar').count(), 0, 'still signed out');

  await page.fill('#login-password', PASSWORD);
  await page.press('#login-password', 'Enter');
  await page.locator('.topbar .who', { hasText: '艾米' }).waitFor();
  await page.locator('[data-testid=live].on').waitFor(); // the event stream is open
  // The session survives a reload (cookie; the CSRF token is kept too).
  await page.reload();
  await page.locator('.topbar .who', { hasText: '艾米' }).waitFor();
});

let ticketNumber, ticketId;

test('T-3: registering a ticket for a new customer; the API\'s field errors appear next to the field', async () => {
  await page.click('a.tab[href="#/new"]');
  await page.fill('#reg-customer-phone', PHONE);
  await page.locator('[data-testid=customer-matches]', { hasText: '没有匹配的客户' }).waitFor();
  await page.fill('#reg-customer-name', '钱新客');
  await page.selectOption('#reg-type', 'complaint');
  await page.fill('#reg-description', '新买的冰箱漏水，地板都湿了，要求上门处理。');
  await page.click('form[data-testid=register-form] button[type=submit]');
  // The subject was left empty: the server names it, the form shows it there.
  await page.locator('#reg-subject-err').waitFor();
  assert.equal(await page.getAttribute('#reg-subject', 'aria-invalid'), 'true');
  assert.equal(await focusedId(page, 'reg-subject'), 'reg-subject');

  await page.fill('#reg-subject', '冰箱漏水要求上门');
  await page.press('#reg-subject', 'Enter'); // Enter submits
  await page.waitForURL(/#\/tickets\/\d+$/);
  ticketId = page.url().match(/tickets\/(\d+)$/)[1];
  ticketNumber = await text('[data-testid=ticket-number]');
  assert.match(ticketNumber, /^TS-\d{8}-\d{4}$/);
  assert.equal(await text('#ticket-title'), '冰箱漏水要求上门');
  assert.equal(await text('[data-testid=ticket-customer]'), '钱新客');

  const found = await amyApi.get('/api/v1/customers?q=' + PHONE);
  assert.equal(found.json.items.length, 1);
  assert.equal(found.json.items[0].name, '钱新客');
  const tk = await amyApi.get('/api/v1/tickets/' + ticketId);
  assert.equal(tk.json.contact, '139****0001', 'the calling number is the contact (masked, C-3)');
});

test('T-3: typing a phone on file finds the customer; the ticket is registered for them', async () => {
  await page.click('a.tab[href="#/new"]');
  await page.fill('#reg-customer-phone', '0001'); // the last four digits
  const match = page.locator('[data-testid=customer-matches] button.match', { hasText: '钱新客' });
  await match.waitFor();
  assert.match(await match.innerText(), /139\*{4}0001/, 'masked in the list');
  await match.click();
  await page.locator('[data-testid=chosen-customer]', { hasText: '钱新客' }).waitFor();
  assert.equal(await page.locator('#reg-customer-name').count(), 0, 'no new-customer fields');
  await page.fill('#reg-subject', '咨询冰箱保修期');
  await page.fill('#reg-description', '想了解保修期多久。');
  await page.click('form[data-testid=register-form] button[type=submit]');
  await page.waitForURL(/#\/tickets\/\d+$/);
  const list = await amyApi.get('/api/v1/customers?q=' + PHONE);
  assert.equal(list.json.items.length, 1, 'no second customer');
  const mine = await amyApi.get('/api/v1/tickets?customer_id=' + list.json.items[0].id);
  assert.equal(mine.json.items.length, 2);
});

test('T-10: a two-character Chinese search finds the ticket as you type; `/` focuses the box', async () => {
  await page.click('a.tab[href="#/queue/owned"]');
  await page.locator('.trow').first().waitFor();
  await page.locator('main').click({ position: { x: 5, y: 5 } });
  await page.keyboard.press('/');
  assert.equal(await focusedId(page, 'search'), 'search');
  await page.keyboard.type('漏水');
  const hit = page.locator(`[data-testid=search-results] a[data-number="${ticketNumber}"]`);
  await hit.waitFor();
  assert.equal(await page.locator('[data-testid=search-results] a[data-number]').count(), 1, 'only the leaking fridge');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL(new RegExp(`#/tickets/${ticketId}$`));
  await page.locator('[data-testid=ticket-number]', { hasText: ticketNumber }).waitFor();
});

// T-6 as src/rules/ticket.c has it; the console offers what the ticket's
// `allowed_transitions` says, so this checks the two agree.
test('T-6/T-7: the ticket moves through its states, offering only allowed moves; replies and notes differ', async () => {
  await page.goto(`${url}/#/tickets/${ticketId}`);
  await page.locator('.ticket-id .st-new').waitFor();
  assert.deepEqual(await moves(), ['assigned']);
  const step = async (to, expectNext) => {
    await page.click(`.move[data-to=${to}]`);
    await page.locator(`.ticket-id .st-${to}`).waitFor();
    assert.deepEqual((await moves()).sort(), [...expectNext].sort(), `after ${to}`);
  };
  await step('assigned', ['in_progress']);
  assert.equal(await text('[data-testid=ticket-assignee]'), '艾米');
  await step('in_progress', ['pending_customer', 'resolved']);

  await page.fill('#entry-body', '您好，师傅明天上午上门。');
  await page.press('#entry-body', 'Control+Enter');
  await page.locator('.tl-reply', { hasText: '师傅明天上午上门' }).waitFor();
  await page.check('input[name=kind][value=note]');
  await page.fill('#entry-body', '客户情绪激动，注意安抚');
  await page.click('form.composer button[type=submit]');
  const note = page.locator('.tl-note', { hasText: '注意安抚' });
  await note.waitFor();
  assert.match(await note.innerText(), /内部备注/);
  const styles = await page.evaluate(() => ['.tl-reply', '.tl-note'].map((s) => getComputedStyle(document.querySelector(s)).backgroundColor));
  assert.notEqual(styles[0], styles[1], 'a note looks different from a reply');
  const tl = (await amyApi.get(`/api/v1/tickets/${ticketId}/timeline`)).json.items;
  assert.deepEqual(tl.filter((e) => e.kind === 'reply' || e.kind === 'note').map((e) => [e.kind, e.internal]), [['reply', false], ['note', true]]);

  await step('pending_customer', ['in_progress', 'resolved']);
  await step('in_progress', ['pending_customer', 'resolved']);
  await step('resolved', ['closed', 'reopened']);
  await step('closed', ['reopened']);
  assert.equal(await page.locator('form.composer').count(), 0, 'a closed ticket takes no entries');
  await step('reopened', ['in_progress']);
  const events = tl.length;
  assert.ok((await amyApi.get(`/api/v1/tickets/${ticketId}/timeline`)).json.items.length > events);
});

test('C-3: a masked phone is revealed after a passed verification, with the time left', async () => {
  await page.click('[data-testid=ticket-customer]');
  await page.locator('[data-testid=masked]').waitFor();
  assert.equal(await text('dd[data-field=phone]'), '139****0001');
  await page.selectOption('#verify-method', 'id_number');
  await page.fill('#verify-note', '核对身份证后四位');
  await page.press('#verify-note', 'Enter');
  await page.locator('[data-testid=revealed]', { hasText: '剩' }).waitFor();
  await page.locator('dd[data-field=phone]', { hasText: PHONE }).waitFor();
  assert.equal(await page.locator('[data-testid=verify-form]').count(), 0);
  // The reveal is the agent's alone: the API shows others the masked record.
  const other = await addUser(env.admin, { login: 'bob', name: '鲍勃', role: 'agent' });
  assert.ok(other.id);
  const bob = await login(url, 'bob');
  const c = (await bob.get('/api/v1/customers?q=' + PHONE)).json.items[0];
  assert.equal(c.phone, '139****0001');
});

test('the language switch applies at once and is remembered', async () => {
  await page.selectOption('[data-testid=lang]', 'en');
  await page.locator('a.tab', { hasText: 'My queue' }).waitFor();
  assert.equal(await page.evaluate(() => localStorage.getItem('kefu.lang')), 'en');
  await page.reload();
  await page.locator('a.tab', { hasText: 'My queue' }).waitFor();
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  await page.click('.topbar button.link'); // sign out
  await page.locator('#login-title', { hasText: 'Sign in to the agent console' }).waitFor();
  await page.selectOption('[data-testid=lang]', 'zh-TW');
  await page.locator('#login-title', { hasText: '登入客服工作台' }).waitFor();
  await page.selectOption('[data-testid=lang]', 'zh-CN');
  await page.locator('#login-title', { hasText: '登录客服工作台' }).waitFor();
});
