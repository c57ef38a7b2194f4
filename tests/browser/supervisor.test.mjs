// Supervisor views fed by the server: the list of every transfer request of
// the teams a supervisor or team lead oversees (T-5), and the team board's
// counts from GET /tickets/counts (requests the page makes are checked).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login } from './lib.mjs';

let env, url, page, ids = {}, api = {};

before(async () => {
  env = await setup();
  url = env.srv.url;
  const one = (await env.admin.post('/api/v1/teams', { name: '售后一组' })).json;
  const two = (await env.admin.post('/api/v1/teams', { name: '售后二组' })).json;
  ids.one = one.id;
  ids.two = two.id;
  for (const [l, name, role, team] of [['ann', '安娜', 'agent', one.id], ['bob', '鲍勃', 'agent', one.id],
    ['cat', '凯特', 'agent', two.id], ['lea', '李组长', 'team_lead', one.id], ['sam', '孙主管', 'supervisor', null]]) {
    ids[l] = (await addUser(env.admin, { login: l, name, role, ...(team ? { team_id: team } : {}) })).id;
    api[l] = await login(url, l);
  }
  page = await env.page();
});
after(async () => { await env.close(); });

async function ticket(who, subject) {
  const cu = await api[who].post('/api/v1/customers', { name: subject + '客户' });
  const t = await api[who].post('/api/v1/tickets', { type: 'repair', channel: 'phone', subject,
    description: subject, customer_id: cu.json.id });
  assert.equal(t.status, 201, t.text);
  assert.equal((await api[who].post(`/api/v1/tickets/${t.json.id}/transitions`, { to: 'assigned' })).status, 200);
  return t.json;
}

test('T-5: the supervisor lists every team\'s transfer requests by status; a team lead their own team\'s', async () => {
  const a = await ticket('ann', '冰箱异响');
  const c = await ticket('cat', '洗衣机漏水');
  const x1 = (await api.ann.post(`/api/v1/tickets/${a.id}/transfers`, { to_user_id: ids.bob, reason: '轮休交接' })).json;
  const x2 = (await api.cat.post(`/api/v1/tickets/${c.id}/transfers`, { to_user_id: ids.bob, reason: '跨组协助' })).json;
  await signIn(page, url, 'sam');
  await page.goto(url + '/#/transfers');
  const list = page.locator('[data-testid=team-transfers]');
  await list.locator(`li[data-transfer="${x1.id}"]`, { hasText: '冰箱异响' }).waitFor();
  await list.locator(`li[data-transfer="${x2.id}"]`, { hasText: '洗衣机漏水' }).waitFor();
  assert.match(await list.locator(`li[data-transfer="${x1.id}"]`).innerText(), /安娜 → 鲍勃/);
  // Only team two: the transfer from 凯特.
  await page.selectOption('[data-testid=team-transfers-team]', ids.two);
  await list.locator(`li[data-transfer="${x1.id}"]`).waitFor({ state: 'detached' });
  assert.equal(await list.locator('li').count(), 1);
  // Accepted ones, after 鲍勃 accepts the first.
  assert.equal((await api.bob.post(`/api/v1/transfers/${x1.id}/accept`)).status, 200);
  await page.selectOption('[data-testid=team-transfers-team]', '');
  await page.selectOption('[data-testid=team-transfers-status]', 'accepted');
  await list.locator(`li[data-transfer="${x1.id}"][data-status=accepted]`).waitFor();
  assert.equal(await list.locator('li').count(), 1);

  // The team lead of team one: their team only, no team choice.
  const lead = await env.page();
  await signIn(lead, url, 'lea');
  await lead.goto(url + '/#/transfers');
  const ll = lead.locator('[data-testid=team-transfers]');
  await ll.locator(`li[data-transfer="${x2.id}"]`).waitFor(); // to 鲍勃, a member of team one
  assert.equal(await lead.locator('[data-testid=team-transfers-team]').count(), 0);
  // An agent has no such list.
  const agent = await env.page();
  await signIn(agent, url, 'cat');
  await agent.goto(url + '/#/transfers');
  await agent.locator('.transfers-page h1').waitFor();
  assert.equal(await agent.locator('[data-testid=team-transfers]').count(), 0);
});

test('the team board and the header counts come from the server\'s counts', async () => {
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/v1/tickets/counts')) asked.push(r.url()); });
  const listed = [];
  page.on('request', (r) => { if (/\/api\/v1\/tickets\?.*open=true/.test(r.url())) listed.push(r.url()); });
  await ticket('ann', '空调不制冷');
  await page.goto(url + '/#/board');
  await page.reload(); // a fresh start: every request of the page is seen
  const row = page.locator(`section.team[data-team="${ids.one}"] tr[data-login=ann] .n`);
  await row.waitFor();
  // 安娜 has 冰箱异响 handed to 鲍勃 (owner moves, she stays assignee) and 空调不制冷.
  const counts = await api.sam.get(`/api/v1/tickets/counts?team_id=${ids.one}`);
  const ann = counts.json.by_assignee.find((x) => x.assignee_id === ids.ann);
  await page.locator(`section.team[data-team="${ids.one}"] tr[data-login=ann] .n`, { hasText: String(ann.open) }).waitFor();
  assert.ok(asked.some((u) => u.includes(`team_id=${ids.one}`)), asked.join('\n'));
  assert.ok(asked.some((u) => u.includes('assignee_id=me')), 'the header counts');
  assert.deepEqual(listed, [], 'no open-ticket list is fetched to count');
});
