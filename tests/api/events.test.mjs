// Server-sent events (GET /api/v1/events): new-ticket, assignment, transfer,
// escalation and overdue events reach the people they concern within a
// second; a reconnecting client gets what it missed (Last-Event-ID).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD } from './lib.mjs';

let srv, admin, agent, agent2, supervisor, customer;

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  admin = await login(srv.url, 'admin');
  for (const [l, role] of [['ev.a', 'agent'], ['ev.b', 'agent'], ['ev.sup', 'supervisor']])
    await admin.post('/api/v1/users', { login: l, name: l, role, password: PASSWORD });
  agent = await login(srv.url, 'ev.a');
  agent2 = await login(srv.url, 'ev.b');
  supervisor = await login(srv.url, 'ev.sup');
  customer = (await agent.post('/api/v1/customers', { name: '事件客户', phone: '13511112222' })).json;
});
after(async () => { await srv.cleanup(); });

// Opens a stream and collects parsed events until stopped.
function listen(client, lastEventId) {
  const ac = new AbortController();
  const events = [];
  const headers = { authorization: `Bearer ${client.token}` };
  if (lastEventId) headers['last-event-id'] = String(lastEventId);
  const ready = fetch(srv.url + '/api/v1/events', { headers, signal: ac.signal }).then(async (res) => {
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/event-stream/);
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const ev = {};
            for (const line of block.split('\n')) {
              const m = /^(id|event|data): (.*)$/.exec(line);
              if (m) ev[m[1]] = m[1] === 'data' ? JSON.parse(m[2]) : m[2];
            }
            if (ev.event) events.push(ev);
          }
        }
      } catch { /* aborted */ }
    })();
  });
  return { events, ready, stop: () => ac.abort() };
}

async function waitFor(list, pred, ms = 1500) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    const e = list.events.find(pred);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('event not received within ' + ms + ' ms: ' + JSON.stringify(list.events.map((e) => e.event)));
}

test('a new ticket reaches supervisors within a second, and not an unrelated agent', async () => {
  const sup = listen(supervisor);
  const other = listen(agent2);
  await Promise.all([sup.ready, other.ready]);
  const t = (await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject: '事件测试',
    description: '测试', customer_id: customer.id })).json;
  const e = await waitFor(sup, (x) => x.event === 'ticket.created' && x.data.ticket_id === t.id, 1000);
  assert.equal(e.data.number, t.number);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!other.events.some((x) => x.data.ticket_id === t.id));
  sup.stop(); other.stop();
});

test('assignment and transfer reach the people concerned', async () => {
  const b = listen(agent2);
  await b.ready;
  const me2 = (await agent2.get('/api/v1/me')).json;
  const t = (await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject: '转交',
    description: '测试', customer_id: customer.id })).json;
  await supervisor.post(`/api/v1/tickets/${t.id}/transitions`, { to: 'assigned', assignee_id: me2.id });
  await waitFor(b, (x) => x.event === 'ticket.assigned' && x.data.ticket_id === t.id);
  await agent.post(`/api/v1/tickets/${t.id}/transfers`, { to_user_id: me2.id, reason: '下班' });
  const tr = await waitFor(b, (x) => x.event === 'transfer.requested' && x.data.ticket_id === t.id);
  assert.ok(tr.data.transfer_id);
  b.stop();
});

test('escalation reaches the role it goes to', async () => {
  const sup = listen(supervisor);
  await sup.ready;
  const t = (await agent.post('/api/v1/tickets', { type: 'complaint', channel: 'phone', subject: '升级',
    description: '测试', customer_id: customer.id })).json;
  await agent.post(`/api/v1/tickets/${t.id}/escalations`, { reason: '请主管处理' });
  await waitFor(sup, (x) => x.event === 'ticket.escalated' && x.data.ticket_id === t.id);
  sup.stop();
});

test('a reconnecting client gets what it missed with Last-Event-ID', async () => {
  const first = listen(supervisor);
  await first.ready;
  const t1 = (await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject: '断线前',
    description: '测试', customer_id: customer.id })).json;
  const seen = await waitFor(first, (x) => x.data.ticket_id === t1.id);
  first.stop();
  const t2 = (await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject: '断线中',
    description: '测试', customer_id: customer.id })).json;
  const again = listen(supervisor, seen.id);
  await again.ready;
  await waitFor(again, (x) => x.data.ticket_id === t2.id);
  assert.ok(!again.events.some((x) => x.data.ticket_id === t1.id), 'nothing twice');
  again.stop();
  const bad = await supervisor.get('/api/v1/events', { 'last-event-id': 'yesterday' });
  assert.equal(bad.status, 422);
});

test('an overdue ticket appears in the supervisor\'s stream (L-6)', async () => {
  const t = (await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject: '逾期',
    description: '测试', customer_id: customer.id })).json;
  const due = Date.parse(t.deadlines.find((d) => d.kind === 'reply').due_at);
  const adm = await login(srv.url, 'admin');
  const r = await adm.post('/api/v1/test/clock', { now: new Date(due + 1000).toISOString() });
  assert.equal(r.status, 200);
  const sup = listen(await login(srv.url, 'ev.sup'), 0);
  await sup.ready;
  // The overdue event was written before this stream opened: replay it.
  sup.stop();
  const since = listen(await login(srv.url, 'ev.sup'), 1);
  await since.ready;
  const e = await waitFor(since, (x) => x.event === 'ticket.overdue' && x.data.ticket_id === t.id);
  assert.equal(e.data.rule, 'L-6');
  since.stop();
});

test('a stream ends within a keep-alive period of its session ending (logout)', async () => {
  const c = await login(srv.url, 'ev.b');
  const ac = new AbortController();
  const res = await fetch(srv.url + '/api/v1/events', { headers: { authorization: `Bearer ${c.token}` }, signal: ac.signal });
  assert.equal(res.status, 200);
  const reader = res.body.getReader();
  assert.equal((await c.post('/api/v1/auth/logout')).status, 200);
  const start = Date.now();
  let ended = false;
  const timer = setTimeout(() => ac.abort(), 20000);
  try {
    for (;;) {
      const { done } = await reader.read();
      if (done) { ended = true; break; }
    }
  } catch { /* aborted */ }
  clearTimeout(timer);
  assert.ok(ended, 'the server ended the stream');
  assert.ok(Date.now() - start < 20000);
});
