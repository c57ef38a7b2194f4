// Accounts and sign-in: R-1, S-1 (password rules, throttling, sessions),
// cookie + CSRF as API.md says, /me.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, client, login, kefu, PASSWORD } from './lib.mjs';

let srv, admin;
before(async () => {
  srv = await startServer();
  admin = await login(srv.url, 'admin');
});
after(async () => { await srv.cleanup(); });

test('login returns a token, a CSRF token and an HttpOnly SameSite=Strict cookie', async () => {
  const res = await client(srv.url).post('/api/v1/auth/login', { login: 'admin', password: PASSWORD });
  assert.equal(res.status, 200);
  assert.equal(res.json.token.length, 43);
  assert.ok(res.json.csrf_token);
  assert.equal(res.json.user.login, 'admin');
  assert.equal(res.json.user.role, 'admin');
  assert.ok(!('password_hash' in res.json.user));
  const cookie = res.headers.get('set-cookie');
  assert.match(cookie, /^kefu_session=[A-Za-z0-9_-]{43};/);
  assert.match(cookie, /HttpOnly/);
  assert.match(cookie, /SameSite=Strict/);
});

test('a wrong password and an unknown login get the same 401 (S-1)', async () => {
  const a = await client(srv.url).post('/api/v1/auth/login', { login: 'admin', password: 'Wrong-password-1' });
  const b = await client(srv.url).post('/api/v1/auth/login', { login: 'nobody', password: 'Wrong-password-1' });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(a.json.error.code, 'unauthorized');
  assert.equal(a.json.error.message, b.json.error.message);
});

test('/me tells the role and permissions', async () => {
  const me = await admin.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.role, 'admin');
  assert.ok(me.json.permissions.includes('users.write'));
});

test('missing, malformed and forged tokens get 401', async () => {
  assert.equal((await client(srv.url).get('/api/v1/me')).status, 401);
  const forged = await client(srv.url, 'A'.repeat(43)).get('/api/v1/me');
  assert.equal(forged.status, 401);
  assert.equal(forged.json.error.code, 'unauthorized');
  assert.equal((await client(srv.url, 'short').get('/api/v1/me')).status, 401);
  const basic = await client(srv.url).get('/api/v1/me', { authorization: 'Basic YWRtaW46eA==' });
  assert.equal(basic.status, 401);
});

test('cookie sessions need X-CSRF-Token on unsafe requests', async () => {
  const res = await client(srv.url).post('/api/v1/auth/login', { login: 'admin', password: PASSWORD });
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const c = client(srv.url);
  const me = await c.get('/api/v1/me', { cookie });
  assert.equal(me.status, 200, 'a GET with the cookie alone works');
  const noCsrf = await c.post('/api/v1/teams', { name: '无CSRF组' }, { cookie });
  assert.equal(noCsrf.status, 403);
  assert.match(noCsrf.json.error.message, /CSRF/);
  const badCsrf = await c.post('/api/v1/teams', { name: '错CSRF组' }, { cookie, 'x-csrf-token': 'x'.repeat(43) });
  assert.equal(badCsrf.status, 403);
  const ok = await c.post('/api/v1/teams', { name: 'CSRF组' }, { cookie, 'x-csrf-token': res.json.csrf_token });
  assert.equal(ok.status, 201);
  const teams = await admin.get('/api/v1/teams');
  assert.ok(!teams.json.items.some((t) => t.name === '无CSRF组' || t.name === '错CSRF组'), 'nothing written');
});

test('logout ends the session', async () => {
  const c = await login(srv.url, 'admin');
  assert.equal((await c.post('/api/v1/auth/logout')).status, 200);
  assert.equal((await c.get('/api/v1/me')).status, 401);
});

test('weak passwords are refused with 422 naming the field and the rule (S-1)', async () => {
  const cases = [
    ['Sh0rt-pw', /at least 10/],
    ['alllowercaseletters', /mix/],
    ['9876543210', /mix/],
    ['Password123', /common/],
    ['woaini1314', /common/],
    ['lisi.agent', /login/],
    ['tnega.isil', /login/],
  ];
  for (const [pw, why] of cases) {
    const res = await admin.post('/api/v1/users', { login: 'lisi.agent', name: '李四', role: 'agent', password: pw });
    assert.equal(res.status, 422, pw);
    assert.equal(res.json.error.code, 'validation_failed');
    assert.equal(res.json.error.field, 'password');
    assert.match(res.json.error.message, why, pw);
  }
  const users = await admin.get('/api/v1/users?limit=200');
  assert.ok(!users.json.items.some((u) => u.login === 'lisi.agent'), 'nothing written');
  const ten = await admin.post('/api/v1/users', { login: 'ten.chars', name: '十个字符', role: 'agent', password: 'Abcdefgh1!' });
  assert.equal(ten.status, 201, 'exactly 10 characters of two classes is enough');
});

test('repeated failures are slowed down, then locked (S-1), per account', async () => {
  await admin.post('/api/v1/users', { login: 'victim', name: '受害者', role: 'agent', password: PASSWORD });
  const c = client(srv.url);
  const statuses = [];
  for (let i = 0; i < 12; i++) {
    const r = await c.post('/api/v1/auth/login', { login: 'victim', password: 'Wrong-password-' + i });
    statuses.push(r.status);
    if (r.status === 429) {
      assert.ok(Number(r.headers.get('retry-after')) >= 1);
      assert.equal(r.json.error.code, 'too_many_requests');
    }
  }
  assert.ok(statuses.includes(429), `throttled at some point: ${statuses}`);
  // Even the right password is refused while throttled.
  const right = await c.post('/api/v1/auth/login', { login: 'victim', password: PASSWORD });
  assert.equal(right.status, 429);
  // Other accounts from elsewhere are unaffected by this account's lock.
  assert.equal((await admin.get('/api/v1/me')).status, 200);
});

test('kefu user add refuses a weak password and an unknown role with exit 1', () => {
  assert.throws(() => kefu(srv.store, ['user', 'add', '--login', 'weak', '--name', 'W', '--role', 'agent', '--password-stdin'], 'short\n'),
    (e) => e.status === 1 && /password/.test(e.stderr));
  assert.throws(() => kefu(srv.store, ['user', 'add', '--login', 'bad', '--name', 'B', '--role', 'king', '--password-stdin'], PASSWORD + '\n'),
    (e) => e.status === 1 && /role/.test(e.stderr));
  assert.throws(() => kefu(srv.store, ['user', 'add', '--login', 'x'], ''), (e) => e.status === 2);
});

test('changing one\'s own password ends the other sessions', async () => {
  await admin.post('/api/v1/users', { login: 'changer', name: '改密码', role: 'agent', password: PASSWORD });
  const a = await login(srv.url, 'changer');
  const b = await login(srv.url, 'changer');
  const wrong = await a.post('/api/v1/me/password', { current_password: 'nope-nope-1', new_password: 'New-passw0rd-2026' });
  assert.equal(wrong.status, 422);
  assert.equal(wrong.json.error.field, 'current_password');
  const ok = await a.post('/api/v1/me/password', { current_password: PASSWORD, new_password: 'New-passw0rd-2026' });
  assert.equal(ok.status, 200);
  assert.equal((await a.get('/api/v1/me')).status, 200);
  assert.equal((await b.get('/api/v1/me')).status, 401);
  await login(srv.url, 'changer', 'New-passw0rd-2026');
});

test('a deactivated account cannot sign in and its sessions end', async () => {
  const created = await admin.post('/api/v1/users', { login: 'leaver', name: '离职者', role: 'agent', password: PASSWORD });
  const s = await login(srv.url, 'leaver');
  assert.equal((await s.get('/api/v1/me')).status, 200); // the session is in use (and remembered)
  const off = await admin.patch(`/api/v1/users/${created.json.id}`, { active: false });
  assert.equal(off.status, 200);
  assert.equal(off.json.active, false);
  assert.equal((await s.get('/api/v1/me')).status, 401);
  const again = await client(srv.url).post('/api/v1/auth/login', { login: 'leaver', password: PASSWORD });
  assert.equal(again.status, 401);
});

test('S-1: a change to a person or a session counts at once, though sessions are answered from memory', async () => {
  const created = await admin.post('/api/v1/users', { login: 'mover', name: '调岗者', role: 'agent', password: PASSWORD });
  const s = await login(srv.url, 'mover');
  const other = await login(srv.url, 'mover');
  const erlang = { calls: 100, interval_minutes: 30, aht_seconds: 180, target_answer_seconds: 20,
    target_service_level_percent: 80 }; // roster.write: supervisors, not agents
  for (let i = 0; i < 3; i++) assert.equal((await s.get('/api/v1/me')).json.role, 'agent');
  assert.equal((await s.post('/api/v1/staffing/erlang-c', erlang)).status, 403);
  assert.equal((await other.get('/api/v1/me')).status, 200);
  const moved = await admin.patch(`/api/v1/users/${created.json.id}`, { role: 'supervisor', version: created.json.version });
  assert.equal(moved.status, 200, moved.text);
  const me = await s.get('/api/v1/me');
  assert.equal(me.json.role, 'supervisor', 'the new role at the very next request');
  assert.equal((await s.post('/api/v1/staffing/erlang-c', erlang)).status, 200, 'and its permissions');
  // Signing out one session leaves the other; the one signed out is refused at once.
  assert.equal((await s.post('/api/v1/auth/logout')).status, 200);
  assert.equal((await s.get('/api/v1/me')).status, 401);
  assert.equal((await other.get('/api/v1/me')).status, 200);
});

test('parallel guesses are throttled like sequential ones (S-1)', async () => {
  // The clock stands still: on a loaded machine the twelve slow hashes can
  // take longer than the 2 s slow-down, after which a guess is judged again,
  // as a sequential one would be.
  const frozen = await startServer({ args: ['--test-clock'] });
  try {
    const adm = await login(frozen.url, 'admin');
    assert.equal((await adm.post('/api/v1/test/clock', { now: new Date().toISOString() })).status, 200);
    await adm.post('/api/v1/users', { login: 'parallel', name: '并发', role: 'agent', password: PASSWORD });
    const tries = [];
    for (let i = 0; i < 12; i++)
      tries.push(client(frozen.url).post('/api/v1/auth/login', { login: 'parallel', password: 'Wrong-guess-' + i }));
    const statuses = (await Promise.all(tries)).map((r) => r.status);
    const judged = statuses.filter((s) => s === 401).length;
    assert.ok(judged <= 3, `only the first three guesses are judged: ${statuses}`);
    assert.equal(statuses.filter((s) => s === 429).length, 12 - judged);
  } finally {
    await frozen.cleanup();
  }
});
