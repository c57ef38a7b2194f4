// The policy document (P-1 … P-4): the shipped default in force, validation
// naming the key, versions with author, reason and effective date, audited.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, kefu, PASSWORD, BIN } from './lib.mjs';
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

let srv, admin, agent;
before(async () => {
  srv = await startServer();
  admin = await login(srv.url, 'admin');
  await admin.post('/api/v1/users', { login: 'agent.p', name: '坐席', role: 'agent', password: PASSWORD });
  agent = await login(srv.url, 'agent.p');
});
after(async () => { await srv.cleanup(); });

test('version 1 is the shipped default with the seed values (P-2)', async () => {
  const res = await agent.get('/api/v1/policy');
  assert.equal(res.status, 200);
  assert.equal(res.json.version, 1);
  assert.equal(res.json.values.timezone, 'Asia/Shanghai');
  assert.equal(res.json.values.deadlines.l8_close_days, 6);
  assert.equal(res.json.values.complaints.approval.manager_up_to_fen, 100000);
  assert.equal(res.json.values.tickets.number_prefix_by_type.complaint, 'TS');
  assert.match(res.json.document, /l8_close_days/);
  assert.equal(res.json.author_login, null);
});

test('an invalid document is refused naming the key, and nothing is stored', async () => {
  const cases = [
    ['deadlines:\n  l8_close_days: -1\n', 'document.deadlines.l8_close_days'],
    ['deadlines:\n  l8_close_dayz: 6\n', 'document.deadlines.l8_close_dayz'],
    ['timezone: Mars/Olympus\n', 'document.timezone'],
    ['complaints:\n  approval:\n    manager_up_to_fen: 600000\n', null],
    ['deadlines: [1, 2\n', 'document'],
  ];
  for (const [doc, field] of cases) {
    const res = await admin.put('/api/v1/policy', { document: doc, reason: '测试' });
    assert.equal(res.status, 422, doc);
    assert.equal(res.json.error.code, 'validation_failed');
    if (field) assert.equal(res.json.error.field, field, doc);
    else assert.match(res.json.error.field, /^document\.complaints\.approval/);
  }
  const versions = await admin.get('/api/v1/policy/versions');
  assert.equal(versions.json.items.length, 1);
});

test('a new version takes effect at its date; the old one judges earlier events (P-1)', async () => {
  const future = new Date(Date.now() + 3600_000).toISOString();
  const res = await admin.put('/api/v1/policy', {
    document: 'deadlines:\n  l8_close_days: 5\n', reason: '缩短结案时限', effective_from: future });
  assert.equal(res.status, 201);
  assert.equal(res.json.version, 2);
  assert.equal(res.json.author_login, 'admin');
  assert.equal(res.json.reason, '缩短结案时限');
  const now = await agent.get('/api/v1/policy');
  assert.equal(now.json.version, 1, 'not yet in force');
  const v2 = await agent.get('/api/v1/policy/versions/2');
  assert.equal(v2.json.values.deadlines.l8_close_days, 5);
  assert.equal(v2.json.values.deadlines.l4_callback_days, now.json.values.deadlines.l4_callback_days,
    'keys left out keep the default');
  const immediate = await admin.put('/api/v1/policy', { document: 'deadlines:\n  l8_close_days: 7\n', reason: '立即生效' });
  assert.equal(immediate.status, 201);
  const current = await agent.get('/api/v1/policy');
  assert.equal(current.json.version, 3);
  assert.equal(current.json.values.deadlines.l8_close_days, 7);
  const list = await agent.get('/api/v1/policy/versions');
  assert.deepEqual(list.json.items.map((v) => v.version), [3, 2, 1]);
  const audit = await admin.get('/api/v1/audit?action=policy.publish');
  assert.equal(audit.json.items.length, 3);
  assert.equal(audit.json.items[1].detail.reason, '缩短结案时限');
});

test('a past effective date, a missing reason and an agent are refused', async () => {
  const past = await admin.put('/api/v1/policy', { document: 'timezone: Asia/Shanghai\n', reason: 'x',
    effective_from: '2020-01-01T00:00:00+08:00' });
  assert.equal(past.status, 422);
  assert.equal(past.json.error.field, 'effective_from');
  const noReason = await admin.put('/api/v1/policy', { document: 'timezone: Asia/Shanghai\n' });
  assert.equal(noReason.status, 422);
  assert.equal(noReason.json.error.field, 'reason');
  const byAgent = await agent.put('/api/v1/policy', { document: 'timezone: Asia/Shanghai\n', reason: 'x' });
  assert.equal(byAgent.status, 403);
  const missing = await agent.get('/api/v1/policy/versions/99');
  assert.equal(missing.status, 404);
});

test('validate checks a document without storing it', async () => {
  const ok = await admin.post('/api/v1/policy/validate', { document: 'chat:\n  away_max_minutes: 5\n' });
  assert.equal(ok.status, 200);
  const bad = await admin.post('/api/v1/policy/validate', { document: 'chat:\n  away_max_minutes: "5"\n' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'document.chat.away_max_minutes');
});

test('kefu policy check validates a file and names the key', () => {
  const good = join(srv.store.dir, 'good.yaml');
  const bad = join(srv.store.dir, 'bad.yaml');
  writeFileSync(good, execFileSync(BIN, ['policy', 'default'], { encoding: 'utf8' }));
  writeFileSync(bad, 'workforce:\n  rest:\n    max_consecutive_work_days: -3\n');
  assert.match(execFileSync(BIN, ['policy', 'check', good], { encoding: 'utf8' }), /ok/);
  assert.throws(() => execFileSync(BIN, ['policy', 'check', bad], { encoding: 'utf8', stdio: 'pipe' }),
    (e) => e.status === 1 && /workforce\.rest\.max_consecutive_work_days/.test(e.stderr));
});
