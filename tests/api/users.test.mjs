// People and teams: created by an admin, roles and levels checked,
// versions for concurrent edits, every change audited (S-3).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD } from './lib.mjs';

let srv, admin, team;
before(async () => {
  srv = await startServer();
  admin = await login(srv.url, 'admin');
  team = (await admin.post('/api/v1/teams', { name: '客服一组' })).json;
});
after(async () => { await srv.cleanup(); });

test('an admin creates an agent with level and team; ids are strings', async () => {
  const res = await admin.post('/api/v1/users', { login: 'wang.fang', name: '王芳', role: 'agent',
    level: 'junior', team_id: team.id, hired_on: '2026-03-01', password: PASSWORD });
  assert.equal(res.status, 201);
  assert.equal(typeof res.json.id, 'string');
  assert.equal(res.json.level, 'junior');
  assert.equal(res.json.team_id, team.id);
  assert.equal(res.json.version, 1);
  const got = await admin.get(`/api/v1/users/${res.json.id}`);
  assert.equal(got.json.name, '王芳');
});

test('an agent without a level starts as trainee (R-2); roles without levels refuse one', async () => {
  const a = await admin.post('/api/v1/users', { login: 'new.agent', name: '新人', role: 'agent', password: PASSWORD });
  assert.equal(a.json.level, 'trainee');
  const m = await admin.post('/api/v1/users', { login: 'mgr.x', name: '经理', role: 'manager', level: 'senior', password: PASSWORD });
  assert.equal(m.status, 422);
  assert.equal(m.json.error.field, 'level');
});

test('bad roles, levels, logins, teams and dates name their field', async () => {
  const base = { login: 'ok.login', name: '某人', role: 'agent', password: PASSWORD };
  const cases = [
    [{ role: 'king' }, 'role'],
    [{ level: 'guru' }, 'level'],
    [{ login: 'Has Space' }, 'login'],
    [{ login: 'x' }, 'login'],
    [{ team_id: '999999' }, 'team_id'],
    [{ team_id: 'abc' }, 'team_id'],
    [{ hired_on: '2026-02-30' }, 'hired_on'],
    [{ name: '' }, 'name'],
    [{ name: '名'.repeat(101) }, 'name'],
  ];
  for (const [patch, field] of cases) {
    const res = await admin.post('/api/v1/users', { ...base, ...patch });
    assert.equal(res.status, 422, JSON.stringify(patch));
    assert.equal(res.json.error.field, field, JSON.stringify(patch));
  }
  const list = await admin.get('/api/v1/users?limit=200');
  assert.ok(!list.json.items.some((u) => u.login === 'ok.login'), 'nothing written');
});

test('a duplicate login is 409 naming login', async () => {
  await admin.post('/api/v1/users', { login: 'dup', name: '甲', role: 'agent', password: PASSWORD });
  const again = await admin.post('/api/v1/users', { login: 'dup', name: '乙', role: 'agent', password: PASSWORD });
  assert.equal(again.status, 409);
  assert.equal(again.json.error.field, 'login');
});

test('PATCH with a stale version is 409; role changes are audited with before and after', async () => {
  const u = (await admin.post('/api/v1/users', { login: 'promote.me', name: '晋升者', role: 'agent', password: PASSWORD })).json;
  const ok = await admin.patch(`/api/v1/users/${u.id}`, { role: 'team_lead', level: 'senior', version: 1 });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.version, 2);
  const stale = await admin.patch(`/api/v1/users/${u.id}`, { name: '改名', version: 1 });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.error.code, 'conflict');
  const audit = await admin.get(`/api/v1/audit?action=user.role_change`);
  const entry = audit.json.items.find((e) => e.target_id === u.id);
  assert.ok(entry, 'role change audited');
  assert.deepEqual(entry.detail.changes.role, { before: 'agent', after: 'team_lead' });
  const supervisor = await admin.patch(`/api/v1/users/${u.id}`, { role: 'supervisor' });
  assert.equal(supervisor.json.level, null, 'a supervisor carries no agent level');
});

test('users are listed with cursor pagination', async () => {
  const seen = new Set();
  let cursor = null;
  let pages = 0;
  do {
    const res = await admin.get('/api/v1/users?limit=2' + (cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''));
    assert.equal(res.status, 200);
    for (const u of res.json.items) { assert.ok(!seen.has(u.id)); seen.add(u.id); }
    cursor = res.json.next_cursor;
    pages++;
  } while (cursor && pages < 50);
  const all = await admin.get('/api/v1/users?limit=200');
  assert.equal(seen.size, all.json.items.length);
});

test('an admin cannot deactivate themself', async () => {
  const me = await admin.get('/api/v1/me');
  const res = await admin.patch(`/api/v1/users/${me.json.id}`, { active: false });
  assert.equal(res.status, 409);
});
