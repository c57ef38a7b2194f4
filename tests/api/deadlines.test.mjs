// L-11, L-12: deadlines come from the policy in force at registration; time
// waiting for the customer is left out of the reply and close deadlines
// only when the policy says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD } from './lib.mjs';

let srv, customer;
const H = 3600 * 1000;

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  const admin = await login(srv.url, 'admin');
  await admin.post('/api/v1/users', { login: 'dl.agent', name: '时效', role: 'agent', password: PASSWORD });
  const agent = await login(srv.url, 'dl.agent');
  customer = (await agent.post('/api/v1/customers', { name: '时效客户', phone: '13322223333' })).json;
});
after(async () => { await srv.cleanup(); });

async function at(ms) {
  const r = await (await login(srv.url, 'admin')).post('/api/v1/test/clock', { now: new Date(ms).toISOString() });
  assert.equal(r.status, 200, r.text);
  return login(srv.url, 'dl.agent');
}

async function waitingTicket(agent) {
  const t = (await agent.post('/api/v1/tickets', { type: 'complaint', channel: 'phone', subject: '等待客户',
    description: '需要客户提供发票', customer_id: customer.id })).json;
  for (const to of ['assigned', 'in_progress', 'pending_customer'])
    assert.equal((await agent.post(`/api/v1/tickets/${t.id}/transitions`, { to })).status, 200);
  return t;
}

test('L-12 default: waiting for the customer counts, the reply deadline passes', async () => {
  let agent = await at(Date.now());
  const t = await waitingTicket(agent);
  const due = Date.parse(t.deadlines.find((d) => d.kind === 'reply').due_at);
  agent = await at(due + 60000);
  const got = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(got.overdue, true);
});

test('L-12 with pausing: no overdue while waiting, and the deadlines move on by the wait', async () => {
  let agent = await login(srv.url, 'dl.agent');
  const admin = await login(srv.url, 'admin');
  const pol = await admin.put('/api/v1/policy', { document: 'deadlines:\n  l12_pause_pending_customer: true\n',
    reason: '等待客户期间暂停时效' });
  assert.equal(pol.status, 201, pol.text);
  const t = await waitingTicket(agent);
  const reply = Date.parse(t.deadlines.find((d) => d.kind === 'reply').due_at);
  const close = Date.parse(t.deadlines.find((d) => d.kind === 'close').due_at);
  const start = Date.parse((await agent.get(`/api/v1/tickets/${t.id}`)).json.updated_at);
  agent = await at(start + 30 * H);
  let got = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(got.overdue, false, "not overdue while waiting for the customer");
  assert.equal((await agent.post(`/api/v1/tickets/${t.id}/transitions`, { to: 'in_progress' })).status, 200);
  got = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(Date.parse(got.deadlines.find((d) => d.kind === 'reply').due_at), reply + 30 * H);
  assert.equal(Date.parse(got.deadlines.find((d) => d.kind === 'close').due_at), close + 30 * H);
  const callback = got.deadlines.find((d) => d.kind === 'callback');
  assert.equal(Date.parse(callback.due_at), Date.parse(t.deadlines.find((d) => d.kind === 'callback').due_at),
    'L-4 is not paused');
});
