// The audit chain (S-3): sign-ins (also failed), account changes and policy
// changes are recorded; a changed or deleted entry is found by verify.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { startServer, client, login, sql, PASSWORD, ENGINE } from './lib.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await login(srv.url, 'admin');
  await client(srv.url).post('/api/v1/auth/login', { login: 'admin', password: 'Wrong-password-9' });
  await admin.post('/api/v1/users', { login: 'audited', name: '被审计', role: 'agent', password: PASSWORD });
});
after(async () => { await srv.cleanup(); });

test('sign-ins, failed sign-ins and account creation are in the log', async () => {
  const res = await admin.get('/api/v1/audit?limit=200');
  assert.equal(res.status, 200);
  const actions = res.json.items.map((e) => e.action);
  for (const a of ['policy.publish', 'user.create', 'auth.login', 'auth.login_failed'])
    assert.ok(actions.includes(a), `${a} in ${actions}`);
  const failed = res.json.items.find((e) => e.action === 'auth.login_failed');
  assert.equal(failed.detail.login, 'admin');
  assert.equal(failed.ip, '127.0.0.1');
  const filtered = await admin.get('/api/v1/audit?action=auth.login');
  assert.ok(filtered.json.items.every((e) => e.action === 'auth.login'));
});

test('the client address is recorded as it connected, one-, two- and three-digit parts alike', async () => {
  // Any 127.x.y.z is this machine: the sign-in comes from 127.10.200.3.
  const url = new URL(srv.url + '/api/v1/auth/login');
  const body = JSON.stringify({ login: 'audited', password: 'Wrong-password-9' });
  const status = await new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: url.port, path: url.pathname, method: 'POST',
      localAddress: '127.10.200.3', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
    req.on('error', reject);
    req.end(body);
  });
  assert.equal(status, 401);
  const res = await admin.get('/api/v1/audit?action=auth.login_failed&limit=200');
  const mine = res.json.items.find((e) => e.detail.login === 'audited');
  assert.ok(mine, JSON.stringify(res.json.items));
  assert.equal(mine.ip, '127.10.200.3');
});

test('the chain verifies', async () => {
  const v = await admin.get('/api/v1/audit/verify');
  assert.equal(v.status, 200);
  assert.equal(v.json.ok, true);
  assert.ok(v.json.entries >= 4);
});

test('verification stays true while entries are being appended (S-3)', async () => {
  const writes = [];
  for (let i = 0; i < 12; i++) writes.push(admin.post('/api/v1/teams', { name: '并发组' + i }));
  const checks = [];
  for (let i = 0; i < 6; i++) checks.push(admin.get('/api/v1/audit/verify'));
  await Promise.all(writes);
  for (const v of await Promise.all(checks)) assert.equal(v.json.ok, true, JSON.stringify(v.json));
});

test('the store refuses to change or delete audit entries', () => {
  assert.throws(() => sql(srv.store, "UPDATE audit_log SET action = 'x' WHERE seq = 1"));
  assert.throws(() => sql(srv.store, 'DELETE FROM audit_log WHERE seq = 1'));
});

function dropGuards() {
  if (ENGINE === 'postgres')
    sql(srv.store, 'DROP TRIGGER audit_log_no_change ON audit_log');
  else
    sql(srv.store, 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;');
}

test('an entry changed behind kefu\'s back is found', async () => {
  dropGuards();
  sql(srv.store, `UPDATE audit_log SET detail = '{"login":"someone-else"}' WHERE seq = 2`);
  const v = await admin.get('/api/v1/audit/verify');
  assert.equal(v.json.ok, false);
  assert.equal(v.json.broken_seq, 2);
  assert.match(v.json.reason, /changed/);
});

test('a deleted entry is found, also at the end of the chain', async () => {
  // Undo the change by restoring the chain from a fresh store is not possible;
  // deleting entry 3 must be reported at 2 (still changed) or 3.
  sql(srv.store, 'DELETE FROM audit_log WHERE seq = 3');
  let v = await admin.get('/api/v1/audit/verify');
  assert.equal(v.json.ok, false);
  assert.ok(v.json.broken_seq <= 3);
});

test('deleting the newest entries is found through the head', async () => {
  const s2 = await startServer();
  const a2 = await login(s2.url, 'admin');
  try {
    const before = await a2.get('/api/v1/audit/verify');
    assert.equal(before.json.ok, true);
    if (ENGINE === 'postgres') sql(s2.store, 'DROP TRIGGER audit_log_no_change ON audit_log');
    else sql(s2.store, 'DROP TRIGGER audit_log_no_delete');
    sql(s2.store, 'DELETE FROM audit_log WHERE seq = (SELECT MAX(seq) FROM audit_log)');
    const v = await a2.get('/api/v1/audit/verify');
    assert.equal(v.json.ok, false);
    assert.match(v.json.reason, /deleted/);
  } finally {
    await s2.cleanup();
  }
});
