// Team queues: GET /api/v1/tickets?team_id= lists the tickets of a team —
// those whose assignee, or whose owner while nobody is assigned, is in it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD } from './lib.mjs';

let srv, a1, a2, b1, lead, loner, teamA, teamB, customer;

before(async () => {
  srv = await startServer();
  const admin = await login(srv.url, 'admin');
  teamA = (await admin.post('/api/v1/teams', { name: '一组' })).json;
  teamB = (await admin.post('/api/v1/teams', { name: '二组' })).json;
  const people = [['a1', 'agent', teamA.id], ['a2', 'agent', teamA.id], ['b1', 'agent', teamB.id],
    ['leadb', 'team_lead', teamB.id], ['loner', 'agent', null]];
  for (const [l, role, team] of people) {
    const res = await admin.post('/api/v1/users', { login: l, name: l, role, password: PASSWORD, ...(team ? { team_id: team } : {}) });
    assert.equal(res.status, 201, res.text);
  }
  [a1, a2, b1, lead, loner] = await Promise.all(['a1', 'a2', 'b1', 'leadb', 'loner'].map((l) => login(srv.url, l)));
  customer = (await a1.post('/api/v1/customers', { name: '赵客户', phone: '13600001234' })).json;
});
after(async () => { await srv.cleanup(); });

const register = async (c, subject) => {
  const res = await c.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject,
    description: '队列测试', customer_id: customer.id });
  assert.equal(res.status, 201, res.text);
  return res.json;
};
const ids = (res) => res.json.items.map((x) => x.subject).sort();

test('team queue: the assignee, or the owner while unassigned, is in the team', async () => {
  await register(a1, 'A-unassigned'); // owner a1 (team A), nobody assigned
  const tb = await register(b1, 'B-taken-by-A'); // owner b1 (team B) …
  const me = (await a2.get('/api/v1/me')).json;
  // … assigned to a2 of team A by B's team lead (tickets.assign).
  const moved = await lead.post(`/api/v1/tickets/${tb.id}/transitions`, { to: 'assigned', assignee_id: me.id });
  assert.equal(moved.status, 200, moved.text);
  await register(b1, 'B-unassigned');

  const qa = await a1.get(`/api/v1/tickets?team_id=${teamA.id}`);
  assert.equal(qa.status, 200, qa.text);
  assert.deepEqual(ids(qa), ['A-unassigned', 'B-taken-by-A']);
  const qb = await b1.get(`/api/v1/tickets?team_id=${teamB.id}`);
  assert.deepEqual(ids(qb), ['B-unassigned']);

  // `me` is the caller's own team; it combines with the other filters.
  assert.deepEqual(ids(await a2.get('/api/v1/tickets?team_id=me')), ids(qa));
  const open = await a1.get('/api/v1/tickets?team_id=me&status=assigned');
  assert.deepEqual(ids(open), ['B-taken-by-A']);
});

test('team queue: bad team ids are refused naming team_id; no team, no `me`', async () => {
  for (const bad of ['abc', '0', '-1']) {
    const r = await a1.get('/api/v1/tickets?team_id=' + bad);
    assert.equal(r.status, 422, bad);
    assert.equal(r.json.error.field, 'team_id');
  }
  const none = await loner.get('/api/v1/tickets?team_id=me');
  assert.equal(none.status, 422);
  assert.equal(none.json.error.field, 'team_id');
  const empty = await a1.get('/api/v1/tickets?team_id=999999');
  assert.equal(empty.status, 200);
  assert.deepEqual(empty.json.items, []);
});
