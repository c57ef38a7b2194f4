// The published API description (API.md: "kept true by a test"): the OpenAPI
// 3.1 document served at /api/v1/openapi.json describes every route of the
// route table (src/http/routes.c, as `kefu routes` prints it) with its
// permission, and describes nothing the server does not serve.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, client, login, BIN, PASSWORD } from './lib.mjs';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

// The route table: [{method, path, perm}] where perm is a permission name,
// '-' (public), '*' (any signed-in member of staff) or 'customer' (a customer
// signed in to the portal, S-4).
function routeTable() {
  const out = execFileSync(BIN, ['routes'], { encoding: 'utf8' });
  const routes = out.split('\n').filter((l) => l.trim()).map((l) => {
    const [method, path, perm, ...rest] = l.trim().split(/\s+/);
    assert.equal(rest.length, 0, `unexpected route line: ${l}`);
    assert.ok(method && path && perm, `unexpected route line: ${l}`);
    return { method, path, perm };
  });
  assert.ok(routes.length > 0, 'kefu routes printed nothing');
  return routes;
}

// Resolves a local JSON reference ("#/components/...").
function deref(doc, node) {
  const seen = new Set();
  while (node && typeof node === 'object' && typeof node.$ref === 'string') {
    assert.ok(!seen.has(node.$ref), `reference cycle at ${node.$ref}`);
    seen.add(node.$ref);
    assert.match(node.$ref, /^#\//, `only local references: ${node.$ref}`);
    let cur = doc;
    for (const part of node.$ref.slice(2).split('/')) {
      const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
      assert.ok(cur && typeof cur === 'object' && key in cur, `unresolved $ref ${node.$ref}`);
      cur = cur[key];
    }
    node = cur;
  }
  return node;
}

function operations(doc) {
  const ops = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [key, op] of Object.entries(item)) {
      if (METHODS.includes(key)) ops.push({ path, method: key.toUpperCase(), op, item });
    }
  }
  return ops;
}

let srv, doc, routes;
before(async () => {
  routes = routeTable();
  srv = await startServer();
  const res = await client(srv.url).get('/api/v1/openapi.json');
  assert.equal(res.status, 200, res.text);
  assert.match(res.headers.get('content-type'), /^application\/json/);
  doc = res.json;
});
after(async () => { await srv.cleanup(); });

test('the description is served without signing in and looks like OpenAPI 3.1', async () => {
  assert.ok(doc && typeof doc === 'object', 'a JSON object');
  assert.match(doc.openapi, /^3\.1\.\d+$/);
  assert.equal(typeof doc.info, 'object');
  assert.equal(typeof doc.info.title, 'string');
  assert.ok(doc.info.title.length > 0);
  assert.equal(typeof doc.info.version, 'string');
  assert.equal(typeof doc.paths, 'object');
  assert.ok(Object.keys(doc.paths).length > 0);
  for (const p of Object.keys(doc.paths)) assert.match(p, /^\//, `path ${p} starts with /`);
  // Security schemes as API.md describes sign-in.
  const s = doc.components.securitySchemes;
  assert.equal(s.bearerAuth.type, 'http');
  assert.equal(s.bearerAuth.scheme, 'bearer');
  assert.equal(s.cookieAuth.type, 'apiKey');
  assert.equal(s.cookieAuth.in, 'cookie');
  assert.equal(s.cookieAuth.name, 'kefu_session');
  assert.match(s.cookieAuth.description, /X-CSRF-Token/);
  // The error body of API.md.
  const e = doc.components.schemas.Error;
  assert.deepEqual(e.required, ['error']);
  const inner = deref(doc, e.properties.error);
  assert.deepEqual([...inner.required].sort(), ['code', 'message']);
  for (const k of ['code', 'message', 'field', 'rule']) assert.ok(inner.properties[k], `Error.error.${k}`);
  for (const code of ['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict',
    'payload_too_large', 'validation_failed', 'rule_violated', 'too_many_requests', 'internal'])
    assert.ok(inner.properties.code.enum.includes(code), `error code ${code}`);
  // Tags used by operations are declared.
  const declared = new Set((doc.tags || []).map((t) => t.name));
  for (const { path, method, op } of operations(doc))
    for (const t of op.tags || []) assert.ok(declared.has(t), `${method} ${path}: tag ${t} is declared`);
});

test('every route of the route table is documented with its permission', () => {
  const missing = [];
  const wrong = [];
  for (const r of routes) {
    const op = doc.paths[r.path]?.[r.method.toLowerCase()];
    if (!op) { missing.push(`${r.method} ${r.path}`); continue; }
    if (op['x-permission'] !== r.perm)
      wrong.push(`${r.method} ${r.path}: x-permission ${op['x-permission']}, route table ${r.perm}`);
  }
  assert.deepEqual(missing, [], 'routes not described in src/http/openapi.yaml');
  assert.deepEqual(wrong, [], 'x-permission differs from the route table');
});

test('every documented operation exists in the route table (no stale docs)', () => {
  const table = new Set(routes.map((r) => `${r.method} ${r.path}`));
  const stale = operations(doc).map(({ path, method }) => `${method} ${path}`)
    .filter((k) => !table.has(k));
  assert.deepEqual(stale, [], 'documented but not served');
  for (const [path, item] of Object.entries(doc.paths))
    assert.ok(METHODS.some((m) => item[m]), `${path} has at least one operation`);
});

test('every operation has a summary, a description, tags, a 2xx answer, and 401/403 where it applies', () => {
  const perm = new Map(routes.map((r) => [`${r.method} ${r.path}`, r.perm]));
  const ids = new Set();
  for (const { path, method, op } of operations(doc)) {
    const where = `${method} ${path}`;
    assert.equal(typeof op.summary, 'string', `${where}: summary`);
    assert.ok(op.summary.trim().length > 0, `${where}: summary`);
    assert.ok(typeof op.description === 'string' && op.description.trim(), `${where}: description`);
    assert.ok(Array.isArray(op.tags) && op.tags.length > 0, `${where}: tags`);
    if (op.operationId) {
      assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} is unique`);
      ids.add(op.operationId);
    }
    const codes = Object.keys(op.responses || {});
    assert.ok(codes.some((c) => /^2\d\d$/.test(c)), `${where}: a 2xx response`);
    const p = perm.get(where);
    if (p === undefined) continue; // reported by the stale-docs test
    if (p === '-') {
      assert.deepEqual(op.security, [], `${where}: public, so security: []`);
    } else {
      assert.ok(codes.includes('401'), `${where}: requires sign-in, so lists 401`);
      const sec = op.security ?? doc.security;
      assert.ok(Array.isArray(sec) && sec.length > 0, `${where}: requires sign-in, so has security`);
      for (const req of sec)
        for (const name of Object.keys(req))
          assert.ok(doc.components.securitySchemes[name], `${where}: security scheme ${name}`);
    }
    if (p === 'customer') {
      const sec = op.security ?? doc.security;
      assert.ok(sec.some((req) => 'portalCookieAuth' in req), `${where}: the portal cookie`);
      assert.ok(!sec.some((req) => 'cookieAuth' in req), `${where}: not the staff cookie`);
    }
    if (p !== '-' && p !== '*' && p !== 'customer')
      assert.ok(codes.includes('403'), `${where}: needs ${p}, so lists 403`);
  }
});

test('every error answer of an API operation is the Error body; every $ref resolves', () => {
  const walk = (node, where) => {
    if (Array.isArray(node)) { node.forEach((n, i) => walk(n, `${where}[${i}]`)); return; }
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') deref(doc, node);
    for (const [k, v] of Object.entries(node)) walk(v, `${where}.${k}`);
  };
  walk(doc, '$');
  const errorSchema = doc.components.schemas.Error;
  for (const { path, method, op } of operations(doc)) {
    if (!path.startsWith('/api/')) continue; // health probes answer their own shape
    for (const [code, r] of Object.entries(op.responses)) {
      if (/^[23]/.test(code)) continue;
      const res = deref(doc, r);
      const schema = deref(doc, res.content?.['application/json']?.schema);
      assert.equal(schema, errorSchema, `${method} ${path} ${code} answers the Error body`);
    }
  }
});

test('path parameters are declared; request bodies are strict objects', () => {
  for (const { path, method, op, item } of operations(doc)) {
    const where = `${method} ${path}`;
    const params = [...(item.parameters || []), ...(op.parameters || [])].map((p) => deref(doc, p));
    for (const m of path.matchAll(/\{([^}]+)\}/g)) {
      const p = params.find((x) => x.in === 'path' && x.name === m[1]);
      assert.ok(p, `${where}: path parameter ${m[1]} declared`);
      assert.equal(p.required, true, `${where}: path parameter ${m[1]} required`);
    }
    for (const p of params.filter((x) => x.in === 'path'))
      assert.ok(path.includes(`{${p.name}}`), `${where}: declared path parameter ${p.name} is in the path`);
    if (op.requestBody) {
      const schema = deref(doc, deref(doc, op.requestBody).content['application/json'].schema);
      assert.equal(schema.type, 'object', `${where}: body is an object`);
      assert.equal(schema.additionalProperties, false, `${where}: additionalProperties: false`);
      for (const f of schema.required || [])
        assert.ok(schema.properties[f], `${where}: required ${f} is a property`);
    }
  }
});

// Operations the per-role sign-in below cannot reach, and why.
const UNREACHABLE = {
  'POST /api/v1/test/clock': 'exists only on a server started with `kefu serve --test-clock` '
    + '(this one answers 404); tests/api/tickets.test.mjs and events.test.mjs use it',
};

test('the documented request bodies are what the server enforces (unknown and required members)', async (t) => {
  // One person per documented role, so that each operation is called by
  // someone whose role holds its x-permission (admin holds no customer or
  // ticket permission, S-4).
  const root = await login(srv.url, 'admin');
  const roles = doc.components.schemas.Role.enum;
  assert.ok(Array.isArray(roles) && roles.includes('admin'), 'the Role schema lists the roles');
  const people = []; // [{ role, c, me }] in the order of the Role enum
  for (const role of roles) {
    let c = root;
    if (role !== 'admin') {
      const res = await root.post('/api/v1/users', { login: `oa.${role}`, name: `OpenAPI ${role}`,
        role, password: PASSWORD });
      assert.equal(res.status, 201, `create ${role}: ${res.text}`);
      c = await login(srv.url, `oa.${role}`);
    }
    const me = await c.get('/api/v1/me');
    assert.equal(me.status, 200, me.text);
    people.push({ role, c, me: me.json });
  }
  // A customer for the portal's operations (S-4).
  const signup = await client(srv.url).post('/api/v1/portal/signup',
    { phone: '13800009999', name: 'OpenAPI 客户', password: PASSWORD });
  assert.equal(signup.status, 201, signup.text);
  const customer = { role: 'customer', c: client(srv.url, signup.json.token),
    me: { id: signup.json.account.id } };
  for (const key of Object.keys(UNREACHABLE))
    assert.ok(operations(doc).some(({ path, method }) => `${method} ${path}` === key),
      `UNREACHABLE names ${key}, which is not documented`);
  let checked = 0;
  for (const { path, method, op } of operations(doc)) {
    if (!op.requestBody) continue;
    const where = `${method} ${path}`;
    const perm = op['x-permission'];
    let who = null;
    let skip = UNREACHABLE[where] || false;
    if (!skip && perm === '-') who = { role: 'anonymous', c: client(srv.url), me: people[0].me };
    else if (!skip && perm === '*') who = people.find((p) => p.role === 'admin');
    else if (!skip && perm === 'customer') who = customer;
    else if (!skip) {
      who = people.find((p) => p.me.permissions.includes(perm));
      if (!who) skip = `no role holds ${perm}`;
    }
    await t.test(`${where}${who ? ` as ${who.role}` : ''}`, { skip }, async () => {
      const schema = deref(doc, deref(doc, op.requestBody).content['application/json'].schema);
      const url = path.replace('{id}', who.me.id).replace('{version}', '1')
        .replace('{month}', '2026-12');
      const c = who.c;
      const unknown = await c.call(method, url, { no_such_member: 1 });
      assert.equal(unknown.status, 422, `${where}: unknown member → ${unknown.status} ${unknown.text}`);
      assert.equal(unknown.json.error.field, 'no_such_member', where);
      if ((schema.required || []).length) {
        const empty = await c.call(method, url, {});
        assert.equal(empty.status, 422, `${where}: {} → ${empty.status}`);
        assert.ok(schema.required.includes(empty.json.error.field),
          `${where}: {} refused for ${empty.json.error.field}, which the description says is required`);
      }
    });
    if (!skip) checked++;
  }
  assert.ok(checked > 0, 'some request bodies were checked');
});
