// What supervisors watch, computed by the server: the open, overdue and
// due-soon counts of a queue per assignee (L-6 deadlines, counted in SQL on
// both engines), and every transfer request (T-5) of the teams they oversee.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD } from './lib.mjs';

const H = 3600 * 1000;
let srv, admin, ids = {}, c = {}, customer, t0;

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  admin = await login(srv.url, 'admin');
  t0 = Date.parse('2026-11-02T09:00:00+08:00');
  assert.equal((await admin.post('/api/v1/test/clock', { now: new Date(t0).toISOString() })).status, 200);
  const one = (await admin.post('/api/v1/teams', { name: '一组' })).json.id;
  const two = (await admin.post('/api/v1/teams', { name: '二组' })).json.id;
  ids.team1 = one;
  ids.team2 = two;
  for (const [l, role, team] of [['a1', 'agent', one], ['a2', 'agent', one], ['b1', 'agent', two],
    ['lead1', 'team_lead', one], ['sup', 'supervisor', null], ['tech', 'technician', one]]) {
    const res = await admin.post('/api/v1/users', { login: l, name: l, role, password: PASSWORD,
      ...(team ? { team_id: team } : {}) });
    assert.equal(res.status, 201, res.text);
    ids[l] = res.json.id;
    c[l] = await login(srv.url, l);
  }
  customer = (await c.a1.post('/api/v1/customers', { name: '计数客户', phone: '13312345678' })).json;
});
after(async () => { await srv.cleanup(); });

async function ticket(who, assign = true) {
  const t = await c[who].post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject: '计数',
    description: '计数', customer_id: customer.id });
  assert.equal(t.status, 201, t.text);
  if (assign)
    assert.equal((await c[who].post(`/api/v1/tickets/${t.json.id}/transitions`, { to: 'assigned' })).status, 200);
  return t.json.id;
}

// Moves the server's clock; sessions idle that long have ended, so everyone
// signs in again.
async function clock(ms) {
  const r = await admin.post('/api/v1/test/clock', { now: new Date(ms).toISOString() });
  assert.equal(r.status, 200, r.text);
  admin = await login(srv.url, 'admin');
  for (const l of Object.keys(c)) c[l] = await login(srv.url, l);
}

test('L-6: the counts of a queue are computed by the server, per assignee, as time passes', async () => {
  // a1: two open (one to be resolved), a2: one; b1 (team two): one; one unassigned of a1's.
  const x1 = await ticket('a1');
  await ticket('a1');
  const done = await ticket('a1');
  for (const to of ['in_progress', 'resolved'])
    assert.equal((await c.a1.post(`/api/v1/tickets/${done}/transitions`, { to })).status, 200);
  await ticket('a2');
  await ticket('b1');
  await ticket('a1', false);
  let r = await c.sup.get(`/api/v1/tickets/counts?team_id=${ids.team1}`);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual([r.json.open, r.json.overdue, r.json.due_soon, r.json.due_soon_minutes], [4, 0, 0, 120]);
  const by = Object.fromEntries(r.json.by_assignee.map((x) => [x.assignee_id, x.open]));
  assert.deepEqual(by, { [ids.a1]: 2, [ids.a2]: 1, null: 1 }, 'unassigned under null; resolved not counted');
  // 23 h later the 24 h reply deadlines (L-6) are due within 2 h.
  await clock(t0 + 23 * H);
  r = await c.sup.get(`/api/v1/tickets/counts?team_id=${ids.team1}`);
  assert.deepEqual([r.json.open, r.json.overdue, r.json.due_soon], [4, 0, 4]);
  // A reply meets one of them; 25 h after registration the rest are overdue.
  assert.equal((await c.a1.post(`/api/v1/tickets/${x1}/entries`, { kind: 'reply', body: '您好，已收到' })).status, 201);
  await clock(t0 + 25 * H);
  r = await c.a1.get('/api/v1/tickets/counts?assignee_id=me');
  assert.deepEqual([r.json.open, r.json.overdue, r.json.due_soon], [2, 1, 0], JSON.stringify(r.json));
  r = await c.sup.get('/api/v1/tickets/counts');
  assert.deepEqual([r.json.open, r.json.overdue], [5, 4], 'every open ticket of the department');
  r = await c.sup.get(`/api/v1/tickets/counts?team_id=${ids.team1}&due_soon_minutes=10080`);
  assert.equal(r.json.due_soon, 1, 'the L-5 status update armed by the reply falls within a week');
  const bad = await c.sup.get('/api/v1/tickets/counts?due_soon_minutes=0');
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'due_soon_minutes');
  const unknown = await c.sup.get('/api/v1/tickets/counts?status=new');
  assert.equal(unknown.status, 422);
  assert.equal((await admin.get('/api/v1/tickets/counts')).status, 403, 'S-4: the admin sees no tickets');
});

test('T-5: supervisors list the transfer requests of any team, team leads of their own', async () => {
  await clock(t0 + 26 * H);
  const ta = await ticket('a1');
  const tb = await ticket('b1');
  const x1 = await c.a1.post(`/api/v1/tickets/${ta}/transfers`, { to_user_id: ids.a2, reason: '下班交接' });
  assert.equal(x1.status, 201, x1.text);
  const x2 = await c.b1.post(`/api/v1/tickets/${tb}/transfers`, { to_user_id: ids.a1, reason: '跨组' });
  assert.equal(x2.status, 201, x2.text);
  assert.equal((await c.a2.post(`/api/v1/transfers/${x1.json.id}/accept`)).status, 200);
  // The supervisor: everything, by team, by status.
  let r = await c.sup.get('/api/v1/transfers?box=team');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((x) => x.id), [x2.json.id, x1.json.id]);
  r = await c.sup.get(`/api/v1/transfers?box=team&team_id=${ids.team2}`);
  assert.deepEqual(r.json.items.map((x) => x.id), [x2.json.id]);
  r = await c.sup.get(`/api/v1/transfers?box=team&team_id=${ids.team1}&status=pending`);
  assert.deepEqual(r.json.items.map((x) => x.id), [x2.json.id], 'x2 goes to a member of team one');
  r = await c.sup.get('/api/v1/transfers?box=team&status=accepted');
  assert.deepEqual(r.json.items.map((x) => [x.id, x.status]), [[x1.json.id, 'accepted']]);
  // The team lead: their own team, whatever team_id they ask for.
  r = await c.lead1.get('/api/v1/transfers?box=team');
  assert.deepEqual(r.json.items.map((x) => x.id), [x2.json.id, x1.json.id]);
  r = await c.lead1.get(`/api/v1/transfers?box=team&team_id=${ids.team2}`);
  assert.equal(r.status, 403, r.text);
  // Agents and technicians do not oversee hand-overs.
  for (const who of ['a1', 'tech']) {
    r = await c[who].get('/api/v1/transfers?box=team');
    assert.equal(r.status, 403, `${who}: ${r.text}`);
  }
  r = await c.sup.get(`/api/v1/transfers?box=incoming&team_id=${ids.team1}`);
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'team_id');
});
