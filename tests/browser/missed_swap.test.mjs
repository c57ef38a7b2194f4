// W-14 in the console: a shift an agent took through an approved swap and
// then missed shows on her attendance page as missed after a swap, naming the
// colleague it came from (the swap and the clock are set up through the API,
// on the server's test clock; the page is what is checked).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login } from './lib.mjs';

const MONTH = '2026-12';
let env, url, date;

async function at(iso) {
  const r = await (await login(url, 'admin')).post('/api/v1/test/clock', { now: iso });
  assert.equal(r.status, 200, r.text);
}

before(async () => {
  env = await setup({ serverArgs: ['--test-clock'] });
  url = env.srv.url;
  await at('2026-11-20T10:00:00+08:00');
  const admin = await login(url, 'admin');
  const team = (await admin.post('/api/v1/teams', { name: '换班组' })).json;
  await addUser(admin, { login: 'ms.sup', name: '主管苏', role: 'supervisor', team_id: team.id });
  const a = (await addUser(admin, { login: 'ms.a', name: '安妮', role: 'agent', team_id: team.id })).id;
  const b = (await addUser(admin, { login: 'ms.b', name: '鲍勃', role: 'agent', team_id: team.id })).id;
  const sup = await login(url, 'ms.sup');
  let r = await sup.post(`/api/v1/rosters/${MONTH}/generate`, { team_id: team.id });
  assert.equal(r.status, 200, r.text);
  const roster = (await sup.post(`/api/v1/rosters/${MONTH}/publish`, { version: r.json.version })).json;
  const ra = roster.agents.find((x) => x.user_id === a), rb = roster.agents.find((x) => x.user_id === b);
  const work = (c) => c !== 'rest' && c !== 'leave';
  const ann = await login(url, 'ms.a');
  let swap = null;
  for (let i = 1; i < roster.days.length - 1 && !swap; i++) {
    if (!work(ra.cells[i]) || !work(rb.cells[i]) || ra.cells[i] === rb.cells[i]) continue;
    r = await ann.post('/api/v1/swap-requests', { with_user_id: b, date: roster.days[i].date, shift: ra.cells[i] });
    if (r.status === 201) { swap = r.json; date = roster.days[i].date; }
  }
  assert.ok(swap, 'a swap the rest rules allow');
  assert.equal((await (await login(url, 'ms.b')).post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' })).status, 200);
  r = await sup.post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' });
  assert.equal(r.json.status, 'approved', r.text);
  // Two days after the swapped day, nobody having clocked in.
  await at(new Date(Date.parse(`${date}T12:00:00+08:00`) + 2 * 86400000).toISOString());
});
after(async () => { await env.close(); });

test('W-14: the shift Ann took through the swap and missed shows as missed after a swap, from Bob', async () => {
  const page = await env.page();
  await signIn(page, url, 'ms.a');
  await page.click('a.tab[href="#/attendance"]');
  await page.fill('#att-month', MONTH);
  await page.locator('[data-testid=att-table]').waitFor();
  const rows = page.locator('[data-testid=att-table] tbody tr', { hasText: date });
  await rows.first().waitFor();
  const marked = rows.filter({ hasText: '换班后缺岗（W-14，班次换自 鲍勃）' });
  assert.equal(await marked.count(), 1, 'the one shift taken through the swap');
  assert.match(await marked.innerText(), /旷工/);
  // Her own missed shifts on other days are absenteeism without W-14.
  const plain = page.locator('[data-testid=att-table] tbody tr', { hasText: '旷工' });
  assert.ok(await plain.count() > 1);
  assert.equal(await page.locator('[data-testid=att-table] tbody tr', { hasText: 'W-14' }).count(), 1);
});
