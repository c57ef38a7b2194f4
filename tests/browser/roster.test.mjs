// The roster in a real browser (W-2, W-6, W-8, W-9): a supervisor generates
// next month's roster, changes a cell and sees the checker's violation
// (W-6), changes it back and publishes (W-2); an agent requests leave on a
// day she works, the supervisor approves it from the inbox (W-9), and the
// agent's open roster page shows the day as leave without a reload. The
// agent records her wishes for the month. W-13: she asks a colleague for a
// swap, he agrees, the supervisor approves, and her open roster page shows
// the two exchanged cells without a reload.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login } from './lib.mjs';

let env, url, sup, ann, annId, month;

before(async () => {
  env = await setup();
  url = env.srv.url;
  const team = (await env.admin.post('/api/v1/teams', { name: '排班一组' })).json;
  await addUser(env.admin, { login: 'sup', name: '主管苏', role: 'supervisor', team_id: team.id });
  annId = (await addUser(env.admin, { login: 'ann', name: '安妮', role: 'agent', team_id: team.id })).id;
  await addUser(env.admin, { login: 'bob', name: '鲍勃', role: 'agent', team_id: team.id });
  await addUser(env.admin, { login: 'cat', name: '凯特', role: 'agent', team_id: team.id });
  const d = new Date();
  const y = d.getMonth() === 11 ? d.getFullYear() + 1 : d.getFullYear();
  month = `${y}-${String(((d.getMonth() + 1) % 12) + 1).padStart(2, '0')}`;
  sup = await env.page();
  ann = await env.page();
});
after(async () => { await env.close(); });

const annRow = (page) => page.locator(`tr[data-user="${annId}"]`);

test('W-6, W-2: the supervisor generates, edits a cell and sees the violation, then publishes', async () => {
  await signIn(sup, url, 'sup');
  await sup.click('a.tab[href="#/roster"]');
  await sup.goto(`${url}/#/roster?month=${month}`);
  await sup.locator('[data-testid=roster-none]').waitFor();
  await sup.click('[data-testid=roster-generate]');
  await sup.locator('[data-testid=roster-grid]').waitFor();
  assert.equal(await sup.locator('[data-testid=roster-status]').innerText(), '草稿');
  assert.equal(await sup.locator('[data-testid=roster-grid] tbody tr').count(), 3, 'the three agents of the team');
  // A rest day of Ann's becomes an early shift: a day more than her share.
  const rest = annRow(sup).locator('td[data-cell=rest]').first();
  const day = await rest.getAttribute('data-day');
  await rest.locator('button').click();
  await sup.selectOption(`tr[data-user="${annId}"] td[data-day="${day}"] select`, 'early');
  await sup.locator('[data-testid=change-violations] li').first().waitFor();
  const text = await sup.locator('[data-testid=change-violations]').innerText();
  assert.match(text, /W-\d/, 'the violation names its rule');
  assert.equal(await annRow(sup).locator(`td[data-day="${day}"]`).getAttribute('data-cell'), 'early');
  // Back to rest, then publish.
  await annRow(sup).locator(`td[data-day="${day}"] button`).click();
  await sup.selectOption(`tr[data-user="${annId}"] td[data-day="${day}"] select`, 'rest');
  await sup.locator(`tr[data-user="${annId}"] td[data-day="${day}"][data-cell=rest]`).waitFor();
  await sup.click('[data-testid=roster-publish]');
  await sup.locator('[data-testid=roster-status]', { hasText: '已发布' }).waitFor();
  assert.equal(await sup.locator('[data-testid=roster-generate]').count(), 0, 'W-2: no regeneration once published');
});

test('W-8, W-9, W-6: an agent requests leave, the supervisor approves, the roster shows it live', async () => {
  const api = await login(url, 'ann');
  const roster = (await api.get(`/api/v1/rosters/${month}`)).json;
  const mine = roster.agents.find((a) => a.user_id === annId);
  // A day from the 10th on which Ann works (plenty of notice, W-8).
  const d = mine.cells.findIndex((c, i) => i >= 9 && c !== 'rest' && c !== 'leave');
  assert.ok(d >= 0);
  const date = roster.days[d].date;
  const next = roster.days[d + 1]?.date ?? `${month}-${roster.days.length}`;
  await signIn(ann, url, 'ann');
  await ann.goto(`${url}/#/roster?month=${month}`);
  await annRow(ann).locator(`td[data-day="${date}"]`).waitFor();
  assert.notEqual(await annRow(ann).locator(`td[data-day="${date}"]`).getAttribute('data-cell'), 'leave');
  // The leave form, in a second tab of the same person.
  const form = await env.page();
  await signIn(form, url, 'ann');
  await form.click('a.tab[href="#/leave"]');
  await form.selectOption('#leave-type', 'personal');
  await form.fill('#leave-start', `${date}T00:00`);
  await form.fill('#leave-end', d + 1 < roster.days.length ? `${next}T00:00` : `${date}T23:59`);
  await form.fill('#leave-reason', '家中有事');
  await form.click('[data-testid=leave-form] button[type=submit]');
  await form.locator('[data-testid=leave-mine] li', { hasText: '待审批' }).waitFor();
  // W-6: wishes for a month; a shift that does not exist is named at its field.
  await form.fill('#wish-month', month);
  await form.fill('#wish-days-off', `${month}-24, ${month}-25`);
  await form.fill('#wish-preferred-shift', 'night');
  await form.click('[data-testid=wish-form] button[type=submit]');
  await form.locator('#wish-preferred-shift-err').waitFor();
  await form.fill('#wish-preferred-shift', 'early');
  await form.click('[data-testid=wish-form] button[type=submit]');
  await form.locator('[data-testid=wish-form] [role=status]', { hasText: '已保存' }).waitFor();
  // The supervisor's inbox.
  await sup.click('a.tab[href="#/leave"]');
  const item = sup.locator('[data-testid=leave-inbox] li', { hasText: '安妮' });
  await item.waitFor();
  await item.locator('button.primary').click();
  await sup.locator('[data-testid=leave-inbox]').waitFor({ state: 'detached' });
  // Ann's roster page, open all along, shows the leave (roster.changed).
  await ann.locator(`tr[data-user="${annId}"] td[data-day="${date}"][data-cell=leave]`).waitFor();
  await form.locator('[data-testid=leave-mine] li', { hasText: '已批准' }).waitFor();
});

test('W-13, W-2: an agent asks a colleague for a swap, the colleague agrees, the supervisor approves, the roster shows it live', async () => {
  const api = await login(url, 'ann');
  const roster = (await api.get(`/api/v1/rosters/${month}`)).json;
  const mine = roster.agents.find((a) => a.user_id === annId);
  const bobRow = roster.agents.find((a) => a.name === '鲍勃');
  const isShift = (c) => c !== 'rest' && c !== 'leave';
  // Days from the 10th on which both work, on different shifts: the swap
  // changes neither person's count of working days (W-4).
  const days = roster.days.map((x, i) => i).filter((i) => i >= 9 && isShift(mine.cells[i]) && isShift(bobRow.cells[i]) && mine.cells[i] !== bobRow.cells[i]);
  assert.ok(days.length > 0, 'a day on which Ann and Bob work different shifts');
  const form = await env.page();
  await signIn(form, url, 'ann');
  await form.click('a.tab[href="#/leave"]');
  await form.selectOption('#swap-with-user-id', { label: '鲍勃' });
  // A swap that would shorten someone's rest between shifts is refused
  // (W-4, named on the form); the next such day is asked then.
  let d = -1;
  for (const i of days) {
    await form.fill('#swap-date', roster.days[i].date);
    await form.fill('#swap-shift', mine.cells[i]);
    const [res] = await Promise.all([
      form.waitForResponse((r) => r.url().endsWith('/api/v1/swap-requests') && r.request().method() === 'POST'),
      form.click('[data-testid=swap-form] button[type=submit]'),
    ]);
    if (res.status() === 201) { d = i; break; }
    assert.equal(res.status(), 422);
    await form.locator('[data-testid=swap-form] [role=alert]', { hasText: 'W-4' }).waitFor();
  }
  assert.ok(d >= 0, 'a swap the rest rules allow');
  const date = roster.days[d].date;
  const annShift = mine.cells[d], bobShift = bobRow.cells[d];
  await form.locator('[data-testid=leave-mine] li', { hasText: date }).filter({ hasText: '待审批' }).waitFor();
  // Bob agrees from his inbox; the supervisor's inbox has it too.
  const bob = await env.page();
  await signIn(bob, url, 'bob');
  await bob.click('a.tab[href="#/leave"]');
  const ask = bob.locator('[data-testid=swap-inbox] li', { hasText: date });
  await ask.waitFor();
  assert.match(await ask.innerText(), /安妮 ⇄ 鲍勃/);
  await ask.locator('button.primary', { hasText: '同意换班' }).click();
  await bob.locator('[data-testid=swap-inbox]').waitFor({ state: 'detached' });
  // The roster has not changed yet: the supervisor's approval is missing (W-13).
  assert.equal(await annRow(ann).locator(`td[data-day="${date}"]`).getAttribute('data-cell'), annShift);
  await sup.click('a.tab[href="#/leave"]');
  const item = sup.locator('[data-testid=swap-inbox] li', { hasText: date });
  await item.waitFor();
  await item.locator('button.primary', { hasText: '批准' }).click();
  await sup.locator('[data-testid=swap-inbox]').waitFor({ state: 'detached' });
  // Ann's roster page, open all along, shows the exchanged cells (roster.changed).
  await ann.locator(`tr[data-user="${annId}"] td[data-day="${date}"][data-cell="${bobShift}"]`).waitFor();
  await ann.locator(`tr[data-user="${bobRow.user_id}"] td[data-day="${date}"][data-cell="${annShift}"]`).waitFor();
  await form.locator('[data-testid=leave-mine] li', { hasText: date }).filter({ hasText: '已批准' }).waitFor();
});
