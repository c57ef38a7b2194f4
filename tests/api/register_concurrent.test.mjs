// T-4 under load: concurrent registrations share group transactions
// (kf_store_group_write). Every client gets its own ticket back, numbers are
// distinct and without gaps per prefix and day, and a registration that
// fails (a customer that does not exist) takes no number and leaves nothing
// behind while the registrations batched with it are committed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, sql, PASSWORD } from './lib.mjs';

let srv, admin, customer;

before(async () => {
  srv = await startServer({ args: ['--threads', '16'] });
  admin = await login(srv.url, 'admin');
  for (const l of ['reg.a', 'reg.b'])
    assert.equal((await admin.post('/api/v1/users', { login: l, name: l, role: 'agent', password: PASSWORD })).status, 201);
  const a = await login(srv.url, 'reg.a');
  customer = (await a.post('/api/v1/customers', { name: '李明', phone: '13912345678', grade: 'B' })).json;
});
after(async () => { await srv.cleanup(); });

test('T-4: 8 concurrent clients registering 500 tickets each get 4 000 distinct numbers in sequence', async () => {
  const clients = [];
  for (let i = 0; i < 8; i++) clients.push(await login(srv.url, i % 2 ? 'reg.a' : 'reg.b'));
  const per = 500;
  const results = await Promise.all(clients.map(async (c, ci) => {
    const got = [];
    for (let i = 0; i < per; i++) {
      const subject = `报修 ${ci}-${i}`;
      // Every 50th request names a customer that does not exist: refused,
      // while the requests batched with it go through.
      const bad = i % 50 === 49;
      const r = await c.post('/api/v1/tickets', {
        type: 'repair', channel: 'phone', subject,
        description: '热水器不出热水', customer_id: bad ? '999999999' : customer.id });
      if (bad) {
        assert.equal(r.status, 422, r.text);
        assert.equal(r.json.error.field, 'customer_id');
        continue;
      }
      assert.equal(r.status, 201, r.text);
      assert.equal(r.json.subject, subject, 'each client gets its own ticket back');
      got.push(r.json);
    }
    return got;
  }));
  const all = results.flat();
  const good = 8 * (per - per / 50);
  assert.equal(all.length, good);
  assert.equal(new Set(all.map((t) => t.number)).size, good, 'distinct numbers');
  assert.equal(new Set(all.map((t) => t.id)).size, good, 'distinct ids');
  const seqs = all.map((t) => Number(t.number.split('-')[2])).sort((a, b) => a - b);
  assert.equal(seqs[0], 1);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, 'no gaps');
  assert.equal(Number(sql(srv.store, 'SELECT COUNT(*) FROM tickets')), good, 'nothing of the refused ones');
  assert.equal(Number(sql(srv.store, "SELECT COUNT(*) FROM ticket_events WHERE kind = 'created'")), good);
  const v = await admin.get('/api/v1/audit/verify');
  assert.equal(v.status, 200, v.text);
  assert.equal(v.json.ok, true, 'one unbroken audit chain');
});
