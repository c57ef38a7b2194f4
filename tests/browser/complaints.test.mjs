// Complaints and surveys in a real browser (issue 5): a complaint from
// registration through the form (K-1 … K-3, the server's field error next
// to its field), the VP's live inbox (K-2), a compensation over 100 000 fen
// that only the VP may approve (K-5, the approvals inbox), sending it, the
// customer's refusal and the linked second complaint with the chain visible
// from both ends (K-6); and a customer answering the public survey at phone
// width, then refused with a clear message on a second use (V-2); the
// callbacks page recording a survey with a complaint raised during the call
// (V-3) and re-issuing a link (the old one refused as replaced); the GM's
// monthly review of last month's closed complaints, overdue (K-8, K-9).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login } from './lib.mjs';

let env, url, agentApi;

before(async () => {
  env = await setup({ serverArgs: ['--test-clock'] });
  url = env.srv.url;
  await addUser(env.admin, { login: 'kf.amy', name: '艾米', role: 'agent' });
  await addUser(env.admin, { login: 'kf.mgr', name: '马经理', role: 'manager' });
  await addUser(env.admin, { login: 'kf.vp', name: '魏副总', role: 'vp' });
  await addUser(env.admin, { login: 'kf.gm', name: '高总', role: 'gm' });
  agentApi = await login(url, 'kf.amy');
});
after(async () => { await env.close(); });

test('K-1…K-6: registration, the form, VP approval of 1500 yuan, the refusal and the linked complaint', async () => {
  const page = await env.page();
  const vpPage = await env.page();
  await signIn(page, url, 'kf.amy');
  await signIn(vpPage, url, 'kf.vp');
  await vpPage.locator('[data-testid=live].on').waitFor();
  assert.equal(await vpPage.locator('[data-testid=inbox-count]').count(), 0, 'the VP\'s inbox is empty');

  // Registration (T-3) of a complaint for a new customer.
  await page.click('a.tab[href="#/new"]');
  await page.fill('#reg-customer-phone', '13966660001');
  await page.locator('[data-testid=customer-matches]', { hasText: '没有匹配的客户' }).waitFor();
  await page.fill('#reg-customer-name', '郑投诉');
  await page.selectOption('#reg-type', 'complaint');
  await page.fill('#reg-subject', '热水器漏水，售后态度差');
  await page.fill('#reg-description', '热水器到货即漏水，售后电话里态度很差。');
  await page.click('form[data-testid=register-form] button[type=submit]');
  await page.waitForURL(/#\/tickets\/\d+$/);
  const firstId = page.url().match(/tickets\/(\d+)$/)[1];
  const firstNumber = await page.locator('[data-testid=ticket-number]').innerText();

  // The complaint form: a defective quantity that is not a number is the
  // server's field error, shown next to that field.
  const form = page.locator('[data-testid=complaint-form]');
  await form.waitFor();
  await page.selectOption('#cf-complaint-cause', 'non_quality');
  await page.selectOption('#cf-complaint-non-quality-kind', 'service_attitude');
  await page.selectOption('#cf-complaint-severity', 'major');
  await page.check('#cf-complaint-service-caused');
  await page.fill('#cf-complaint-responsible-department', '售后服务部');
  await page.fill('#cf-complaint-order-no', 'SO-2026-7788');
  await page.fill('#cf-complaint-defective-qty', '三台');
  await form.locator('button[type=submit]').click();
  await page.locator('#cf-complaint-defective-qty-err').waitFor();
  assert.equal(await page.getAttribute('#cf-complaint-defective-qty', 'aria-invalid'), 'true');
  await page.fill('#cf-complaint-defective-qty', '3');
  await form.locator('button[type=submit]').click();
  await page.locator('.prio-critical').waitFor(); // K-2/T-9: major is critical
  const saved = (await agentApi.get('/api/v1/tickets/' + firstId)).json.complaint;
  assert.deepEqual([saved.cause, saved.non_quality_kind, saved.severity, saved.service_caused, saved.defective_qty],
    ['non_quality', 'service_attitude', 'major', true, 3]);

  // K-2: the VP's inbox shows it live, without reloading.
  await vpPage.locator('[data-testid=inbox-count]', { hasText: '1' }).waitFor();
  await vpPage.click('a.tab[href="#/inbox"]');
  const entry = vpPage.locator(`[data-testid=inbox] li[data-ticket="${firstId}"]`);
  await entry.waitFor();
  assert.match(await entry.innerText(), /重大投诉上报/);
  assert.match(await entry.innerText(), new RegExp(firstNumber));
  await entry.locator('button', { hasText: '标为已读' }).click();
  await vpPage.locator(`[data-testid=inbox] li.read[data-ticket="${firstId}"]`).waitFor();
  assert.equal(await vpPage.locator('[data-testid=inbox-count]').count(), 0);

  // K-4/K-5: 1500 yuan = 150 000 fen needs the VP. A bad amount first.
  const propose = page.locator('[data-testid=propose-form]');
  await page.selectOption('#res-kind', 'compensation');
  await page.fill('#res-amount-fen', '-5');
  await page.fill('#res-summary', '赔偿1500元并上门更换');
  await propose.locator('button[type=submit]').click();
  await page.locator('#res-amount-fen-err').waitFor();
  await page.fill('#res-amount-fen', '1500');
  await propose.locator('button[type=submit]').click();
  const res = page.locator('[data-testid=resolutions] li').first();
  await res.locator('[data-testid=res-approver]', { hasText: '需副总经理审批' }).waitFor();
  assert.equal(await res.locator('[data-testid=res-status]').innerText(), '待审批');
  assert.equal(await res.locator('button[data-action=approve]').count(), 0, 'the agent may not approve');
  assert.equal(await page.locator('button[data-action=send]').count(), 0, 'not sent before approval');

  // The manager's approvals inbox does not hold it; the VP's does.
  const mgrPage = await env.page();
  await signIn(mgrPage, url, 'kf.mgr');
  await mgrPage.click('a.tab[href="#/approvals"]');
  await mgrPage.locator('text=没有待审批的方案').waitFor();
  await vpPage.click('a.tab[href="#/approvals"]');
  const item = vpPage.locator(`[data-testid=approvals] li[data-ticket="${firstNumber}"]`);
  await item.waitFor();
  assert.match(await item.innerText(), /1500\.00 元/);
  await item.locator('input').fill('同意赔偿');
  await item.locator('button[data-action=approve]').click();
  await vpPage.locator('text=没有待审批的方案').waitFor();

  // The agent's page follows live: approved, then told to the customer.
  await res.locator('[data-testid=res-status]', { hasText: '已批准' }).waitFor();
  assert.match(await res.innerText(), /魏副总（副总经理）/);
  await page.click('button[data-action=send]');
  await res.locator('[data-testid=res-status]', { hasText: '已告知客户' }).waitFor();

  // K-6: the customer refuses: a new complaint, linked, opened at once.
  await page.click('button[data-action=refused]');
  await page.waitForURL((u) => /#\/tickets\/\d+$/.test(u.toString()) && !u.toString().endsWith('/' + firstId));
  await page.waitForFunction((n) => {
    const el = document.querySelector('[data-testid=ticket-number]');
    return el && el.textContent !== n;
  }, firstNumber);
  const secondNumber = await page.locator('[data-testid=ticket-number]').innerText();
  assert.notEqual(secondNumber, firstNumber);
  const chain = page.locator('[data-testid=complaint-chain]');
  await chain.waitFor();
  assert.deepEqual(await chain.locator('li').allInnerTexts().then((a) => a.map((x) => x.split(/\s/)[0])), [firstNumber, secondNumber]);
  // The form came with it; the chain is visible from the first one too.
  assert.equal(await page.inputValue('#cf-complaint-severity'), 'major');
  await chain.locator('a', { hasText: firstNumber }).click();
  await page.waitForURL(new RegExp(`#/tickets/${firstId}$`));
  await page.locator('[data-testid=complaint-chain] a', { hasText: secondNumber }).waitFor();
  await page.locator('[data-testid=resolutions] [data-testid=res-status]', { hasText: '客户不接受' }).waitFor();
  await page.locator('[data-testid=follow-up]').waitFor();
});

test('V-2: a customer answers the public survey at phone width; a second use is refused clearly', async () => {
  const t = (await agentApi.post('/api/v1/tickets', { type: 'repair', channel: 'phone', subject: '空调不制冷',
    description: '上门维修空调。', customer: { name: '冯调查', phone: '13966660002' } })).json;
  let closed;
  for (const to of ['assigned', 'in_progress', 'resolved', 'closed'])
    closed = await agentApi.post(`/api/v1/tickets/${t.id}/transitions`, { to });
  const token = closed.json.callback.survey_token;
  const page = await env.page({ width: 390, height: 844 });
  await page.goto(`${url}/#/survey/${token}`);
  const form = page.locator('[data-testid=survey-form]');
  await form.waitFor();
  assert.match(await form.innerText(), new RegExp(t.number));
  assert.equal(await page.locator('.topbar').count(), 0, 'no console, no sign-in');
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `fits the phone's width (overflow ${overflow}px)`);
  // Every item needs an answer.
  await form.locator('button[type=submit]').click();
  await page.locator('[data-field="survey.attitude"]').waitFor();
  for (const [dim, rating] of [['attitude', '非常满意'], ['skill', '满意'], ['arrival', '一般'], ['promise', '满意']])
    await page.locator(`fieldset[data-dim=${dim}] label`, { hasText: new RegExp(`^${rating}$`) }).click();
  await page.fill('#sv-comment', '师傅很专业');
  await form.locator('button[type=submit]').click();
  await page.locator('[data-testid=survey-thanks]').waitFor();
  const done = (await agentApi.get('/api/v1/callbacks?status=done')).json.items.find((x) => x.ticket_id === t.id);
  assert.deepEqual(done.survey && [done.survey.attitude, done.survey.skill, done.survey.arrival, done.survey.promise],
    ['very_satisfied', 'satisfied', 'average', 'satisfied']);
  assert.equal(done.answered_via, 'link');
  // The same link again: refused, in words the customer understands.
  await page.reload();
  const gone = page.locator('[data-testid=survey-gone]');
  await gone.waitFor();
  assert.match(await gone.innerText(), /已经提交过评价，每个链接只能使用一次/);
  assert.equal(await page.locator('[data-testid=survey-form]').count(), 0);
});

async function closedTicket(type, extra = {}) {
  const t = (await agentApi.post('/api/v1/tickets', { type, channel: 'phone', subject: '洗衣机维修回访',
    description: '上门维修洗衣机。', customer: { name: '褚回访', phone: '13966660003' }, ...extra })).json;
  let res;
  for (const to of ['assigned', 'in_progress', 'resolved', 'closed'])
    res = await agentApi.post(`/api/v1/tickets/${t.id}/transitions`, { to });
  assert.equal(res.status, 200, res.text);
  return res.json;
}

test('V-2/V-3: the callbacks page records the survey and a complaint raised in the call; a new link replaces the old', async () => {
  const a = await closedTicket('service');
  const b = await closedTicket('repair');
  const page = await env.page();
  await signIn(page, url, 'kf.amy');
  await page.click('a.tab[href="#/callbacks"]');
  const row = page.locator(`[data-testid=callbacks] li[data-ticket="${a.number}"]`);
  await row.waitFor();
  await row.locator('button[data-action=record]').click();
  const form = row.locator('[data-testid=result-form]');
  for (const [dim, rating] of [['attitude', '满意'], ['skill', '满意'], ['arrival', '较差'], ['promise', '满意']])
    await form.locator(`fieldset[data-dim=${dim}] label`, { hasText: new RegExp(`^${rating}$`) }).click();
  await form.locator('#cbr-raise').check();
  // The summary left empty: the server names it, next to the field.
  await form.locator('button[type=submit]').click();
  await page.locator('#cbr-complaint-summary-err').waitFor();
  await page.fill('#cbr-complaint-summary', '师傅迟到三小时');
  await page.selectOption('#cbr-complaint-severity', 'major');
  await form.locator('button[type=submit]').click();
  await row.waitFor({ state: 'detached' });
  const done = (await agentApi.get('/api/v1/callbacks?status=done')).json.items.find((x) => x.ticket_id === a.id);
  assert.equal(done.survey.arrival, 'poor');
  const f = (await agentApi.get('/api/v1/tickets/' + done.follow_up_ticket_id)).json;
  assert.deepEqual([f.type, f.subject, f.complaint.severity], ['complaint', '师傅迟到三小时', 'major']);

  // A new survey link for b: shown once; the old one says it was replaced.
  const rowB = page.locator(`[data-testid=callbacks] li[data-ticket="${b.number}"]`);
  await rowB.locator('button[data-action=reissue]').click();
  const link = await rowB.locator('[data-testid=survey-link] code').innerText();
  assert.match(link, /\/#\/survey\/[A-Za-z0-9_-]{43}$/);
  const phone = await env.page({ width: 390, height: 844 });
  await phone.goto(`${url}/#/survey/${b.callback.survey_token}`);
  await phone.locator('[data-testid=survey-gone]', { hasText: '已被新的链接取代' }).waitFor();
  await phone.goto(link);
  await phone.locator('[data-testid=survey-form]').waitFor();
});

test('K-8/K-9: the GM reviews last month\'s closed complaints, overdue, with the fine proposed', async () => {
  const amy = (await agentApi.get('/api/v1/me')).json;
  const t = (await agentApi.post('/api/v1/tickets', { type: 'complaint', channel: 'phone', subject: '客服态度恶劣',
    description: '客户投诉客服挂电话。', customer: { name: '卫复核', phone: '13966660004' },
    complaint: { cause: 'non_quality', non_quality_kind: 'service_attitude', severity: 'general',
      service_caused: true, responsible_user_id: amy.id } })).json;
  assert.equal((await agentApi.post(`/api/v1/tickets/${t.id}/resolutions`, { kind: 'explanation', summary: '道歉并说明' })).status, 201);
  for (const to of ['assigned', 'in_progress', 'resolved', 'closed'])
    assert.equal((await agentApi.post(`/api/v1/tickets/${t.id}/transitions`, { to })).status, 200);
  const month = t.created_at.slice(0, 7);
  const [y, m] = month.split('-').map(Number);
  const next = `${m === 12 ? y + 1 : y}-${String(m === 12 ? 1 : m + 1).padStart(2, '0')}`;
  const r = await env.admin.post('/api/v1/test/clock', { now: `${next}-12T09:00:00+08:00` });
  assert.equal(r.status, 200, r.text);
  const page = await env.page();
  await signIn(page, url, 'kf.gm');
  await page.goto(`${url}/#/review?month=${month}`);
  await page.locator('[data-testid=review-state]', { hasText: '已逾期未复核' }).waitFor();
  const row = page.locator(`table.review tr[data-ticket="${t.number}"]`);
  await row.waitFor();
  assert.match(await row.locator('[data-testid=fines]').innerText(), /艾米：第 1 次，30\.00 元/);
  const i = await page.locator('table.review tbody tr').evaluateAll((rows, n) => rows.findIndex((x) => x.dataset.ticket === n), t.number);
  assert.equal(await page.inputValue(`#rv-decisions-${i}-sanction`), 'warning');
  await page.fill(`#rv-decisions-${i}-comment`, '首次，警告');
  await page.click('[data-testid=review-form] button[type=submit]');
  await page.locator('[data-testid=review-state]', { hasText: '已复核' }).waitFor();
  await page.locator('[data-testid=reviewed-by]', { hasText: '高总' }).waitFor();
  assert.match(await row.locator('[data-testid=decision]').innerText(), /警告 · 30\.00 元 — 首次，警告/);
});
