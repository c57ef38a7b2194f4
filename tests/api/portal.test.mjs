// The customer portal (S-4, S-1, T-2, T-5, T-6, T-7): customers' own accounts
// and sessions, kept apart from staff ones; a customer sees only their own
// tickets (another's is 404, like one that does not exist) and never an
// internal note; their reply moves the ticket as the state machine says.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startServer, client, login, sql, BIN, PASSWORD } from './lib.mjs';

let srv, admin, agent, sup, agentId;
const CUSTOMER_PW = 'Kehu-mima-2026';

async function signup(phone, name, password = CUSTOMER_PW) {
  const res = await client(srv.url).post('/api/v1/portal/signup', { phone, name, password });
  assert.equal(res.status, 201, res.text);
  return { c: client(srv.url, res.json.token), account: res.json.account, res };
}

before(async () => {
  srv = await startServer();
  admin = await login(srv.url, 'admin');
  for (const [l, role] of [['portal.agent', 'agent'], ['portal.sup', 'supervisor']]) {
    const res = await admin.post('/api/v1/users', { login: l, name: l, role, password: PASSWORD });
    assert.equal(res.status, 201, res.text);
    if (role === 'agent') agentId = res.json.id;
  }
  agent = await login(srv.url, 'portal.agent');
  sup = await login(srv.url, 'portal.sup');
});
after(async () => { await srv.cleanup(); });

test('S-4: self-registration makes a new customer record, never joins one by phone', async () => {
  const existing = await agent.post('/api/v1/customers', { name: '王老客户', phone: '13900001111' });
  assert.equal(existing.status, 201, existing.text);
  const t = await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone',
    subject: '老客户的工单', description: '机密内容', customer_id: existing.json.id });
  assert.equal(t.status, 201, t.text);
  // Someone signs up with that phone: a new record, and none of its tickets.
  const { c, account } = await signup('139-0000-1111', '冒名者');
  assert.notEqual(account.customer_id, existing.json.id);
  assert.equal(account.phone, '13900001111');
  assert.equal(account.self_registered, true);
  const mine = await c.get('/api/v1/portal/tickets');
  assert.equal(mine.status, 200, mine.text);
  assert.deepEqual(mine.json.items, []);
  assert.equal((await c.get(`/api/v1/portal/tickets/${t.json.id}`)).status, 404);
  // The phone now has an account: a second sign-up is refused, naming phone.
  const again = await client(srv.url).post('/api/v1/portal/signup',
    { phone: '13900001111', name: '又一个', password: CUSTOMER_PW });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.error.field, 'phone');
  // The message does not say the phone has an account (docs/api.md: the status still does).
  assert.equal(again.json.error.message,
    'this phone cannot be registered; if you have an account, sign in, otherwise ask customer service');
});

test('S-1: weak passwords and bad phones are refused with the field; nothing is written', async () => {
  const anon = client(srv.url);
  const weak = await anon.post('/api/v1/portal/signup', { phone: '13700000001', name: '弱密码', password: 'short' });
  assert.equal(weak.status, 422, weak.text);
  assert.equal(weak.json.error.field, 'password');
  const same = await anon.post('/api/v1/portal/signup', { phone: '13700000001', name: '同号', password: '13700000001' });
  assert.equal(same.status, 422);
  assert.equal(same.json.error.field, 'password');
  const phone = await anon.post('/api/v1/portal/signup', { phone: 'abc', name: '坏号', password: CUSTOMER_PW });
  assert.equal(phone.status, 422);
  assert.equal(phone.json.error.field, 'phone');
  const noName = await anon.post('/api/v1/portal/signup', { phone: '13700000001', name: '', password: CUSTOMER_PW });
  assert.equal(noName.status, 422);
  assert.equal(noName.json.error.field, 'name');
  const found = await agent.get('/api/v1/customers?q=13700000001');
  assert.deepEqual(found.json.items, [], 'no customer record was left behind');
  assert.equal((await anon.post('/api/v1/portal/login', { phone: '13700000001', password: CUSTOMER_PW })).status, 401);
});

test('T-2, T-5, T-7: a request from the portal, answered by staff; notes never reach the customer', async () => {
  const { c } = await signup('13711112222', '李客户');
  const bad = await c.post('/api/v1/portal/tickets', { type: 'repair', subject: '', description: '空调不制冷' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'subject');
  const badType = await c.post('/api/v1/portal/tickets', { type: 'gossip', subject: '空调', description: '空调不制冷' });
  assert.equal(badType.status, 422);
  assert.equal(badType.json.error.field, 'type');
  const sub = await c.post('/api/v1/portal/tickets', { type: 'repair', subject: '空调不制冷', description: '客厅空调不制冷' });
  assert.equal(sub.status, 201, sub.text);
  assert.match(sub.json.number, /^BX-\d{8}-\d{4}$/);
  assert.equal(sub.json.channel, 'web');
  assert.equal(sub.json.status, 'new');
  for (const k of ['owner_id', 'assignee_id', 'priority', 'deadlines', 'customer', 'contact'])
    assert.ok(!(k in sub.json), `no staff-only ${k} in the portal's ticket`);
  const id = sub.json.id;
  // Staff see it, owned by the intake account until someone is assigned (T-5).
  const staffView = await sup.get(`/api/v1/tickets/${id}`);
  assert.equal(staffView.status, 200, staffView.text);
  assert.equal(staffView.json.channel, 'web');
  const intake = sql(srv.store, `SELECT id FROM users WHERE login = '@portal'`).trim();
  assert.equal(staffView.json.owner_id, intake);
  const assigned = await sup.post(`/api/v1/tickets/${id}/transitions`, { to: 'assigned', assignee_id: agentId });
  assert.equal(assigned.status, 200, assigned.text);
  assert.equal(assigned.json.owner_id, agentId, 'the first staff member assigned becomes the owner');
  assert.equal(assigned.json.assignee_id, agentId);
  // The agent replies and leaves an internal note.
  assert.equal((await agent.post(`/api/v1/tickets/${id}/transitions`, { to: 'in_progress' })).status, 200);
  const reply = await agent.post(`/api/v1/tickets/${id}/entries`, { kind: 'reply', body: '师傅明天上午上门' });
  assert.equal(reply.status, 201, reply.text);
  const note = await agent.post(`/api/v1/tickets/${id}/entries`, { kind: 'note', body: '内部备注：客户难缠' });
  assert.equal(note.status, 201, note.text);
  const view = await c.get(`/api/v1/portal/tickets/${id}`);
  assert.equal(view.status, 200, view.text);
  assert.ok(view.text.includes('师傅明天上午上门'));
  assert.ok(!view.text.includes('内部备注'), 'T-7: the note is nowhere in the answer');
  assert.ok(!view.text.includes('portal.agent'), 'no staff names');
  assert.deepEqual([view.json.entries[0].kind, view.json.entries[0].author], ['created', 'customer']);
  const kinds = view.json.entries.map((e) => e.kind);
  assert.ok(!kinds.includes('note'));
  assert.deepEqual(view.json.entries.find((e) => e.kind === 'reply').author, 'staff');
  assert.ok(view.json.entries.some((e) => e.kind === 'status_changed' && e.status === 'in_progress' && e.body === null));
  // T-6, L-5: the agent waits for the customer; the customer's reply ends the wait.
  assert.equal((await agent.post(`/api/v1/tickets/${id}/transitions`, { to: 'pending_customer' })).status, 200);
  const answer = await c.post(`/api/v1/portal/tickets/${id}/replies`, { body: '明天上午我在家' });
  assert.equal(answer.status, 201, answer.text);
  assert.equal(answer.json.status, 'in_progress');
  const mine = answer.json.entries.filter((e) => e.kind === 'customer_reply');
  assert.equal(mine.length, 1);
  assert.equal(mine[0].author, 'customer');
  // It is on the staff timeline, not internal.
  const tl = await agent.get(`/api/v1/tickets/${id}/timeline`);
  const cr = tl.json.items.find((e) => e.kind === 'customer_reply');
  assert.ok(cr, tl.text);
  assert.equal(cr.body, '明天上午我在家');
  assert.equal(cr.internal, false);
  // L-5: the status-update clock restarted when the wait ended.
  const st = await agent.get(`/api/v1/tickets/${id}`);
  const su = st.json.deadlines.find((d) => d.kind === 'status_update');
  assert.ok(su && su.met_at === null, JSON.stringify(st.json.deadlines));
  // T-6: a reply to a resolved ticket reopens it; a closed one takes none.
  assert.equal((await agent.post(`/api/v1/tickets/${id}/transitions`, { to: 'resolved' })).status, 200);
  const reopen = await c.post(`/api/v1/portal/tickets/${id}/replies`, { body: '还是不制冷' });
  assert.equal(reopen.status, 201, reopen.text);
  assert.equal(reopen.json.status, 'reopened');
  for (const to of ['in_progress', 'resolved', 'closed'])
    assert.equal((await agent.post(`/api/v1/tickets/${id}/transitions`, { to })).status, 200, to);
  const closed = await c.post(`/api/v1/portal/tickets/${id}/replies`, { body: '再问一下' });
  assert.equal(closed.status, 409, closed.text);
  assert.equal(closed.json.error.rule, 'T-6');
  const empty = await c.post(`/api/v1/portal/tickets/${id}/replies`, { body: '' });
  assert.equal(empty.status, 422);
  assert.equal(empty.json.error.field, 'body');
});

test('S-4: another customer\'s ticket is 404 exactly like one that does not exist', async () => {
  const a = await signup('13722223333', '甲客户');
  const b = await signup('13722224444', '乙客户');
  const t = await a.c.post('/api/v1/portal/tickets', { type: 'inquiry', subject: '甲的咨询', description: '甲的问题' });
  assert.equal(t.status, 201);
  const other = await b.c.get(`/api/v1/portal/tickets/${t.json.id}`);
  const none = await b.c.get('/api/v1/portal/tickets/999999');
  assert.equal(other.status, 404);
  assert.equal(none.status, 404);
  assert.equal(other.json.error.message.replace(/\d+/g, 'N'), none.json.error.message.replace(/\d+/g, 'N'));
  const rep = await b.c.post(`/api/v1/portal/tickets/${t.json.id}/replies`, { body: '偷看' });
  assert.equal(rep.status, 404);
  assert.deepEqual((await b.c.get('/api/v1/portal/tickets')).json.items, []);
  const tl = await agent.get(`/api/v1/tickets/${t.json.id}/timeline`);
  assert.ok(!tl.text.includes('偷看'), 'nothing written');
});

test('S-4: a customer\'s token opens no staff endpoint, a staff token no portal one', async () => {
  const { c } = await signup('13733334444', '丙客户');
  const routes = execFileSync(BIN, ['routes'], { encoding: 'utf8' }).trim().split('\n')
    .map((l) => l.trim().split(/\s+/));
  const fill = (p) => p.replace(/\{[^}]+\}/g, '1');
  let staff = 0, portal = 0;
  for (const [method, path, perm] of routes) {
    if (perm === '-') continue;
    if (path === '/api/v1/test/clock') continue; // 404 here: the server has no test clock
    const body = method === 'GET' ? undefined : {};
    if (perm === 'customer') {
      portal++;
      const res = await agent.call(method, fill(path), body);
      assert.equal(res.status, 401, `${method} ${path} with a staff token → ${res.status}`);
    } else {
      staff++;
      const res = await c.call(method, fill(path), body);
      assert.equal(res.status, 401, `${method} ${path} with a customer token → ${res.status}`);
    }
  }
  assert.ok(staff > 30 && portal >= 6, `${staff} staff and ${portal} portal routes checked`);
  // The session itself works where it belongs.
  assert.equal((await c.get('/api/v1/portal/me')).status, 200);
});

test('S-1: portal sign-in: one answer for a wrong phone or password, throttled, then locked', async () => {
  await signup('13744445555', '丁客户');
  const anon = client(srv.url);
  const ok = await anon.post('/api/v1/portal/login', { phone: '137 4444 5555', password: CUSTOMER_PW });
  assert.equal(ok.status, 200, ok.text);
  assert.match(ok.headers.get('set-cookie'), /^kefu_portal=[^;]+; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict/);
  const wrongPw = await anon.post('/api/v1/portal/login', { phone: '13744445555', password: 'Wrong-passw0rd' });
  const noSuch = await anon.post('/api/v1/portal/login', { phone: '13799999999', password: 'Wrong-passw0rd' });
  assert.equal(wrongPw.status, 401);
  assert.equal(noSuch.status, 401);
  assert.equal(wrongPw.json.error.message, noSuch.json.error.message);
  const statuses = [];
  for (let i = 0; i < 12; i++)
    statuses.push((await anon.post('/api/v1/portal/login', { phone: '13744445555', password: 'Wrong-' + i })).status);
  assert.ok(statuses.includes(429), `throttled: ${statuses}`);
  const right = await anon.post('/api/v1/portal/login', { phone: '13744445555', password: CUSTOMER_PW });
  assert.equal(right.status, 429, 'even the right password while locked');
  // Cookie sessions need the CSRF token on unsafe requests; logout ends it.
  const cookie = ok.headers.get('set-cookie').split(';')[0];
  const noCsrf = await anon.post('/api/v1/portal/tickets', { type: 'inquiry', subject: 'x', description: 'y' }, { cookie });
  assert.equal(noCsrf.status, 403);
  const viaCookie = await anon.get('/api/v1/portal/tickets', { cookie });
  assert.equal(viaCookie.status, 200);
  const out = await anon.post('/api/v1/portal/logout', undefined, { cookie, 'x-csrf-token': ok.json.csrf_token });
  assert.equal(out.status, 200, out.text);
  assert.equal((await anon.get('/api/v1/portal/tickets', { cookie })).status, 401);
});

test('S-4: staff issue an account for an existing customer, who then sees that record\'s tickets', async () => {
  const cu = await agent.post('/api/v1/customers', { name: '赵核实', phone: '13755556666' });
  const t = await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone',
    subject: '电话登记的咨询', description: '问保修', customer_id: cu.json.id });
  await agent.post(`/api/v1/tickets/${t.json.id}/entries`, { kind: 'note', body: '内部：已核实身份' });
  // C-3: not before the caller's identity is verified.
  const early = await agent.post(`/api/v1/customers/${cu.json.id}/portal-account`, { password: CUSTOMER_PW });
  assert.equal(early.status, 403, early.text);
  assert.equal(early.json.error.rule, 'C-3');
  const failed = await agent.post(`/api/v1/customers/${cu.json.id}/verifications`, { method: 'id_number', passed: false });
  assert.equal(failed.status, 201);
  assert.equal((await agent.post(`/api/v1/customers/${cu.json.id}/portal-account`, { password: CUSTOMER_PW })).status, 403,
    'a failed verification opens nothing');
  const passed = await agent.post(`/api/v1/customers/${cu.json.id}/verifications`, { method: 'id_number', passed: true });
  assert.equal(passed.status, 201, passed.text);
  // Another agent's verification is not this one's.
  assert.equal((await sup.post(`/api/v1/customers/${cu.json.id}/portal-account`, { password: CUSTOMER_PW })).status, 403);
  const weak = await agent.post(`/api/v1/customers/${cu.json.id}/portal-account`, { password: 'abc' });
  assert.equal(weak.status, 422);
  assert.equal(weak.json.error.field, 'password');
  const acct = await agent.post(`/api/v1/customers/${cu.json.id}/portal-account`, { password: CUSTOMER_PW });
  assert.equal(acct.status, 201, acct.text);
  assert.equal(acct.json.customer_id, cu.json.id);
  assert.equal(acct.json.phone, '13755556666');
  assert.equal(acct.json.self_registered, false);
  const twice = await agent.post(`/api/v1/customers/${cu.json.id}/portal-account`, { password: CUSTOMER_PW });
  assert.equal(twice.status, 409);
  const none = await agent.post('/api/v1/customers/999999/portal-account', { password: CUSTOMER_PW });
  assert.equal(none.status, 404);
  const noPhone = await agent.post('/api/v1/customers', { name: '无电话' });
  await agent.post(`/api/v1/customers/${noPhone.json.id}/verifications`, { method: 'account', passed: true });
  const np = await agent.post(`/api/v1/customers/${noPhone.json.id}/portal-account`, { password: CUSTOMER_PW });
  assert.equal(np.status, 422);
  assert.equal(np.json.error.field, 'phone');
  const taken = await agent.post(`/api/v1/customers/${noPhone.json.id}/portal-account`, { phone: '13755556666', password: CUSTOMER_PW });
  assert.equal(taken.status, 409);
  assert.equal(taken.json.error.field, 'phone');
  assert.match(taken.json.error.message, /a portal account with this phone exists/, 'staff are told why');
  const res = await client(srv.url).post('/api/v1/portal/login', { phone: '13755556666', password: CUSTOMER_PW });
  assert.equal(res.status, 200, res.text);
  const c = client(srv.url, res.json.token);
  const list = await c.get('/api/v1/portal/tickets');
  assert.deepEqual(list.json.items.map((x) => x.id), [t.json.id]);
  const view = await c.get(`/api/v1/portal/tickets/${t.json.id}`);
  assert.ok(!view.text.includes('已核实身份'));
  assert.deepEqual([view.json.entries[0].kind, view.json.entries[0].author], ['created', 'staff'],
    'registered by staff on the phone');
  // S-3: issuing and signing in are audited.
  const audit = await admin.get('/api/v1/audit?action=portal.account_create');
  assert.ok(audit.json.items.some((e) => e.target_id === acct.json.id), audit.text);
});

test('portal lists page by cursor, newest first, and refuse unknown parameters', async () => {
  const { c } = await signup('13766667777', '翻页客户');
  const ids = [];
  for (let i = 0; i < 5; i++)
    ids.push((await c.post('/api/v1/portal/tickets', { type: 'inquiry', subject: `咨询${i}`, description: '问' })).json.id);
  const p1 = await c.get('/api/v1/portal/tickets?limit=3');
  assert.equal(p1.json.items.length, 3);
  assert.ok(p1.json.next_cursor);
  const p2 = await c.get(`/api/v1/portal/tickets?limit=3&cursor=${encodeURIComponent(p1.json.next_cursor)}`);
  assert.equal(p2.json.next_cursor, null);
  assert.deepEqual([...p1.json.items, ...p2.json.items].map((x) => x.id), ids.reverse());
  const unknown = await c.get('/api/v1/portal/tickets?customer_id=1');
  assert.equal(unknown.status, 422);
});

// Runs fn(server, admin) on a server of its own whose policy locks a client
// address after 3 failures (attempts, for sign-up).
async function withAddressLimit3(fn) {
  const own = await startServer();
  try {
    const root = await login(own.url, 'admin');
    const pub = await root.put('/api/v1/policy', {
      document: 'security:\n  login_throttle:\n    lock_address_after_failures: 3\n', reason: '测试地址限流' });
    assert.equal(pub.status, 201, pub.text);
    await new Promise((r) => setTimeout(r, 1100)); // the policy in force is re-read once a second
    await fn(own, root);
  } finally {
    await own.cleanup();
  }
}

test('S-1: sign-ups from one address are counted and locked past the address limit', async () => {
  await withAddressLimit3(async (own, root) => {
    const anon = client(own.url);
    for (let i = 0; i < 3; i++) {
      const r = await anon.post('/api/v1/portal/signup', { phone: `1370000100${i}`, name: `注册${i}`, password: CUSTOMER_PW });
      assert.equal(r.status, 201, r.text);
    }
    const locked = await anon.post('/api/v1/portal/signup', { phone: '13700001009', name: '第四个', password: CUSTOMER_PW });
    assert.equal(locked.status, 429, locked.text);
    assert.ok(Number(locked.headers.get('retry-after')) >= 1);
    const agentRes = await root.post('/api/v1/users', { login: 'lock.agent', name: 'x', role: 'agent', password: PASSWORD });
    assert.equal(agentRes.status, 201);
    const ag = await login(own.url, 'lock.agent');
    const found = await ag.get('/api/v1/customers?q=13700001009');
    assert.deepEqual(found.json.items, [], 'nothing written');
  });
});

test('S-1, S-3: failed portal sign-ins lock the portal budget of an address, never staff sign-in; phones are masked', async () => {
  await withAddressLimit3(async (own, root) => {
    const anon = client(own.url);
    for (let i = 0; i < 3; i++) {
      const r = await anon.post('/api/v1/portal/login', { phone: `1380000200${i}`, password: 'Wrong-passw0rd' });
      assert.equal(r.status, 401, r.text);
    }
    const locked = await anon.post('/api/v1/portal/login', { phone: '13800002009', password: 'Wrong-passw0rd' });
    assert.equal(locked.status, 429, 'the portal budget of the address is spent: ' + locked.text);
    // Staff sign-in from the same address has a budget of its own.
    const staff = await anon.post('/api/v1/auth/login', { login: 'admin', password: PASSWORD });
    assert.equal(staff.status, 200, staff.text);
    // So has sign-up.
    const su = await anon.post('/api/v1/portal/signup', { phone: '13800002100', name: '新注册', password: CUSTOMER_PW });
    assert.equal(su.status, 201, su.text);
    // S-3: the audit entry and the server log name the phone masked.
    const audit = await root.get('/api/v1/audit?action=portal.login_failed');
    assert.equal(audit.status, 200, audit.text);
    const phones = audit.json.items.map((e) => e.detail.phone).sort();
    assert.deepEqual(phones, ['138****2000', '138****2001', '138****2002']);
    assert.ok(!audit.text.includes('13800002000'), 'no unmasked phone in the audit log');
    assert.match(own.stderr, /portal:138\*\*\*\*2009/, 'the throttle warning names the masked phone');
    assert.ok(!own.stderr.includes('13800002009'), 'no unmasked phone in the server log');
  });
});

test('S-4: the built-in intake account @portal cannot be changed into a sign-in', async () => {
  const intake = sql(srv.store, `SELECT id FROM users WHERE login = '@portal'`).trim();
  const before = await admin.get(`/api/v1/users/${intake}`);
  assert.equal(before.status, 200, before.text);
  for (const [field, body] of [['password', { password: 'Portal-passw0rd-2026' }],
    ['active', { active: true }], ['name', { name: '改名' }], ['role', { role: 'admin' }]]) {
    const res = await admin.patch(`/api/v1/users/${intake}`, body);
    assert.equal(res.status, 403, `${field}: ${res.text}`);
    assert.equal(res.json.error.field, field);
    assert.match(res.json.error.message, /built-in/);
  }
  const after = await admin.get(`/api/v1/users/${intake}`);
  assert.deepEqual(after.json, before.json, 'nothing written');
  const res = await client(srv.url).post('/api/v1/auth/login', { login: '@portal', password: 'Portal-passw0rd-2026' });
  assert.equal(res.status, 401, res.text);
  // Other users are still changed as before.
  const other = await admin.patch(`/api/v1/users/${agentId}`, { name: 'portal.agent 改' });
  assert.equal(other.status, 200, other.text);
});

test('S-4: a self-registered customer record carries the self_registered tag; a staff-made one does not', async () => {
  const { account } = await signup('13788889999', '自助注册');
  const self = await agent.get(`/api/v1/customers/${account.customer_id}`);
  assert.equal(self.status, 200, self.text);
  assert.deepEqual(self.json.tags, ['self_registered']);
  const staffMade = await agent.post('/api/v1/customers', { name: '坐席登记', phone: '13788880000' });
  assert.equal(staffMade.status, 201, staffMade.text);
  const got = await agent.get(`/api/v1/customers/${staffMade.json.id}`);
  assert.deepEqual(got.json.tags, []);
});
