// The kefu command line: every command has --help, usage errors exit 2,
// failures exit 1; init migrates and refuses a newer schema.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { BIN, newStore, kefu, sql, startServer, client, PASSWORD } from './lib.mjs';

const run = (args, input) => spawnSync(BIN, args, { input, encoding: 'utf8' });

test('every command answers --help with exit 0', () => {
  for (const cmd of [[], ['init'], ['serve'], ['user'], ['user', 'add'], ['team'], ['policy'], ['demo'], ['routes']]) {
    const r = run([...cmd, '--help']);
    assert.equal(r.status, 0, cmd.join(' '));
    assert.match(r.stdout, /usage: kefu/, cmd.join(' '));
  }
});

test('usage errors exit 2 and failures exit 1', () => {
  assert.equal(run([]).status, 2);
  assert.equal(run(['frobnicate']).status, 2);
  assert.equal(run(['serve', '--threads', 'many']).status, 2);
  for (const w of ['0', '100001', 'x']) {
    const r = run(['serve', '--search-window', w]);
    assert.equal(r.status, 2, `--search-window ${w}`);
    assert.match(r.stderr, /--search-window must be 1 to 100000/);
  }
  const env = spawnSync(BIN, ['serve'], { encoding: 'utf8', env: { ...process.env, KEFU_SEARCH_WINDOW: '0' } });
  assert.equal(env.status, 2);
  assert.match(env.stderr, /KEFU_SEARCH_WINDOW must be 1 to 100000/);
  assert.equal(run(['init', '--bogus']).status, 2);
  assert.equal(run(['init', '--db', 'mysql://x']).status, 1);
  assert.equal(run(['policy', 'check', '/nonexistent.yaml']).status, 1);
});

test('init is idempotent and refuses a store whose schema is newer', () => {
  const store = newStore();
  assert.match(kefu(store, ['init']), /migrated from schema version 0/);
  assert.match(kefu(store, ['init']), /up to date/);
  sql(store, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
  const r = spawnSync(BIN, ['init', '--db', store.url], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /newer than this kefu/);
  const s = spawnSync(BIN, ['serve', '--db', store.url, '--listen', '127.0.0.1:0'], { encoding: 'utf8' });
  assert.equal(s.status, 1, 'serve refuses too');
});

test('serve refuses a store that was never initialised', () => {
  const store = newStore();
  const r = spawnSync(BIN, ['serve', '--db', store.url, '--listen', '127.0.0.1:0'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /kefu init/);
});

test('demo loads a whole department once', async () => {
  const store = newStore();
  kefu(store, ['init']);
  assert.match(kefu(store, ['demo']), /loaded/);
  assert.match(kefu(store, ['demo']), /already/);
  assert.equal(sql(store, 'SELECT COUNT(*) FROM customers').trim(), '200');
  // Requests in every state, registered by the agents at earlier instants.
  assert.equal(sql(store, 'SELECT COUNT(*) FROM tickets').trim(), '18');
  assert.equal(sql(store, 'SELECT COUNT(DISTINCT status) FROM tickets').trim(), '6');
  assert.equal(sql(store, 'SELECT COUNT(*) FROM tickets WHERE owner_id IS NULL').trim(), '0');
  const srv = await startServer({ store, keepStore: false });
  try {
    const res = await client(srv.url).post('/api/v1/auth/login', { login: 'manager', password: 'Kefu-demo-2026' });
    assert.equal(res.status, 200);
    assert.equal(res.json.user.name, '王建国');
    const users = await client(srv.url, res.json.token).get('/api/v1/users?limit=200');
    // The built-in intake account of the customer portal (T-5, migration
    // 007) is listed, inactive: it cannot sign in and takes no work.
    const intake = users.json.items.filter((u) => u.login === '@portal');
    assert.equal(intake.length, 1);
    assert.equal(intake[0].active, false);
    const roles = users.json.items.filter((u) => u.active).map((u) => u.role);
    for (const r of ['manager', 'supervisor', 'vp', 'gm', 'analyst', 'admin'])
      assert.equal(roles.filter((x) => x === r).length, 1, r);
    assert.equal(roles.filter((x) => x === 'team_lead').length, 2);
    assert.equal(roles.filter((x) => x === 'agent').length, 12);
    assert.equal(roles.filter((x) => x === 'technician').length, 2);
    const levels = new Set(users.json.items.filter((u) => u.active && u.role === 'agent').map((u) => u.level));
    assert.equal(levels.size, 5, 'agents across all levels');
  } finally {
    await srv.cleanup();
  }
});

test('SIGTERM lets a request in flight finish, then stops accepting and exits 0', async () => {
  const srv = await startServer();
  const u = new URL(srv.url);
  const sock = net.connect(Number(u.port), u.hostname);
  await new Promise((r) => sock.once('connect', r));
  let data = '';
  sock.on('data', (d) => { data += d; });
  // The connection is accepted and served once before the signal.
  sock.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
  while (!/\r\n\r\n\{"status":"ok"\}/.test(data)) await new Promise((r) => setTimeout(r, 5));
  data = '';
  // Sign-in takes tens of milliseconds (argon2id): long enough to be in flight.
  const body = JSON.stringify({ login: 'admin', password: PASSWORD });
  sock.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  await new Promise((r) => setTimeout(r, 5));
  srv.child.kill('SIGTERM');
  const code = await srv.stop();
  assert.equal(code, 0);
  assert.match(data, /^HTTP\/1\.1 200/, 'the request in flight was answered');
  assert.match(data, /"token"/);
  sock.destroy();
  await assert.rejects(fetch(srv.url + '/healthz'), 'no longer accepting');
  await srv.cleanup();
});
