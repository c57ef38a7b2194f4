// Roles and permissions: one person per role, signed in once each, and
// every route of the route table (`kefu routes`) called as each of them. A
// route that needs a permission answers 403 forbidden exactly to the roles
// that lack it (as /me reports the role's permissions), and the permission is
// checked before the request is validated. The role → permission table is
// written out here literally, so that a change to src/rules/roles.c has to be
// made deliberately in both places.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, client, login, BIN, PASSWORD } from './lib.mjs';

const ROLES = ['agent', 'technician', 'team_lead', 'supervisor', 'manager', 'vp', 'gm',
  'analyst', 'admin'];

// The expected permissions of each role (src/rules/roles.c).
const READ = ['users.read', 'teams.read', 'policy.read'];
const EXPECTED = {
  agent: READ,
  technician: READ,
  team_lead: READ,
  supervisor: READ,
  manager: ['users.read', 'teams.read', 'teams.write', 'policy.read'],
  vp: READ,
  gm: ['users.read', 'teams.read', 'audit.read', 'policy.read'],
  analyst: READ,
  admin: ['users.read', 'users.write', 'teams.read', 'teams.write', 'audit.read', 'policy.read',
    'policy.write'],
};
const ALL_PERMS = [...new Set(Object.values(EXPECTED).flat())];

function routeTable() {
  const out = execFileSync(BIN, ['routes'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.trim()).map((l) => {
    const [method, path, perm] = l.trim().split(/\s+/);
    return { method, path, perm };
  });
}

let srv, routes, ids;
const users = {}; // role → { id, c (client), me }

// Fills path parameters with ids that exist.
function concrete(path) {
  return path.replace(/\{([^}]+)\}/g, (_, name) => {
    if (path.startsWith('/api/v1/policy/versions/') && name === 'version') return '1';
    if (path.startsWith('/api/v1/teams/') && name === 'id') return ids.team;
    if (path.startsWith('/api/v1/users/') && name === 'id') return ids.user;
    if (name === 'id') return ids.user;
    throw new Error(`permissions.test.mjs: give path parameter {${name}} of ${path} an existing value`);
  });
}

// The smallest request: path parameters filled, an empty object as body.
function minimal(c, route) {
  const path = concrete(route.path);
  return route.method === 'GET' || route.method === 'DELETE' ? c.call(route.method, path)
    : c.call(route.method, path, {});
}

// A request that is wrong in every way a handler could check before the
// permission: an unknown query parameter, malformed path parameters and a
// body that is not JSON.
function malformed(c, route) {
  const path = route.path.replace(/\{[^}]+\}/g, '0') + '?no_such_parameter=1&limit=0';
  return route.method === 'GET' || route.method === 'DELETE' ? c.call(route.method, path)
    : c.call(route.method, path, '{"not json');
}

before(async () => {
  routes = routeTable();
  srv = await startServer();
  const root = await login(srv.url, 'admin');
  const team = await root.post('/api/v1/teams', { name: '权限测试组' });
  assert.equal(team.status, 201, team.text);
  ids = { team: team.json.id };
  for (const role of ROLES) {
    const res = await root.post('/api/v1/users', { login: `perm.${role}`, name: `权限 ${role}`,
      role, password: PASSWORD, ...(role === 'agent' ? { team_id: team.json.id } : {}) });
    assert.equal(res.status, 201, `create ${role}: ${res.text}`);
    users[role] = { id: res.json.id };
  }
  ids.user = users.agent.id;
  // Each person signs in exactly once (sign-in throttling counts attempts).
  for (const role of ROLES) {
    users[role].c = await login(srv.url, `perm.${role}`);
    const me = await users[role].c.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    users[role].me = me.json;
  }
});
after(async () => { await srv.cleanup(); });

test('/me reports each role with exactly the permissions of the role table', () => {
  for (const role of ROLES) {
    const me = users[role].me;
    assert.equal(me.role, role);
    assert.equal(me.login, `perm.${role}`);
    assert.deepEqual([...me.permissions].sort(), [...EXPECTED[role]].sort(), `permissions of ${role}`);
  }
});

test('the route table names only known permissions, and each is held by some role', () => {
  const named = new Set(routes.map((r) => r.perm).filter((p) => p !== '-' && p !== '*'));
  assert.ok(named.size > 0);
  for (const p of named)
    assert.ok(ALL_PERMS.includes(p), `route permission ${p} is in the expected table of this test`);
  for (const p of ALL_PERMS)
    assert.ok(routes.some((r) => r.perm === p), `permission ${p} guards at least one route`);
});

test('every permission-guarded route is 403 forbidden exactly for the roles that lack it', async () => {
  const guarded = routes.filter((r) => r.perm !== '-' && r.perm !== '*');
  const problems = [];
  for (const route of guarded) {
    for (const role of ROLES) {
      const { c, me } = users[role];
      const has = me.permissions.includes(route.perm);
      const res = await minimal(c, route);
      const where = `${route.method} ${route.path} as ${role} (${has ? 'has' : 'lacks'} ${route.perm})`;
      if (has) {
        if (res.status === 403 || res.status === 401 || res.status >= 500)
          problems.push(`${where} → ${res.status} ${res.text}`);
      } else if (res.status !== 403 || res.json?.error?.code !== 'forbidden') {
        problems.push(`${where} → ${res.status} ${res.text}, expected 403 forbidden`);
      }
    }
  }
  assert.deepEqual(problems, []);
});

test('the permission is checked before the request is validated', async () => {
  const guarded = routes.filter((r) => r.perm !== '-' && r.perm !== '*');
  const problems = [];
  let checked = 0;
  for (const route of guarded) {
    for (const role of ROLES) {
      const { c, me } = users[role];
      if (me.permissions.includes(route.perm)) continue;
      checked++;
      const res = await malformed(c, route);
      if (res.status !== 403 || res.json?.error?.code !== 'forbidden')
        problems.push(`${route.method} ${route.path} as ${role}, malformed → ${res.status} ${res.text}`);
    }
  }
  assert.ok(checked > 0);
  assert.deepEqual(problems, [], 'validated (or looked up) before checking the permission');
});

test('every route that needs sign-in is 401 without a token or with a bad one', async () => {
  const anon = client(srv.url);
  const bad = client(srv.url, 'x'.repeat(43));
  for (const route of routes.filter((r) => r.perm !== '-')) {
    for (const [who, c] of [['no token', anon], ['a bad token', bad]]) {
      const res = await minimal(c, route);
      assert.equal(res.status, 401, `${route.method} ${route.path} with ${who} → ${res.status}`);
      assert.equal(res.json.error.code, 'unauthorized');
    }
  }
  // The everyone-signed-in routes in particular (logout, me, password).
  assert.ok(routes.some((r) => r.perm === '*'));
});

test('public routes answer without a token', async () => {
  const anon = client(srv.url);
  const pub = routes.filter((r) => r.perm === '-');
  assert.ok(pub.length > 0);
  for (const route of pub) {
    const res = await minimal(anon, route);
    assert.ok(res.status !== 401 && res.status !== 403 && res.status < 500,
      `${route.method} ${route.path} without a token → ${res.status} ${res.text}`);
    if (route.method === 'GET') assert.equal(res.status, 200, `${route.method} ${route.path}`);
  }
});

test('signed-in routes open to everyone work for every role', async () => {
  for (const role of ROLES) {
    const me = await users[role].c.get('/api/v1/me');
    assert.equal(me.status, 200, role);
    // A wrong current password is refused as a validation problem, not a permission one.
    const pw = await users[role].c.post('/api/v1/me/password',
      { current_password: 'not-the-password', new_password: 'An0ther-passw0rd-2026' });
    assert.equal(pw.status, 422, `${role}: ${pw.text}`);
    assert.equal(pw.json.error.field, 'current_password');
  }
});
