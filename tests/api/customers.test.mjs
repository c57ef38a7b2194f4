// Customers (C-1 … C-5): records with versions, grades from the policy,
// personal data masked until the same person verified the caller, every
// verification and unmasked view audited (S-3), roles without customer
// access refused (S-4), search by name, phone, last four digits and company
// (T-10), the daily care list and the periodic callbacks due.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD, sql } from './lib.mjs';

let srv, admin, agent, agent2, manager, analyst, vp;
const ids = {};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A local date in the policy's zone (Asia/Shanghai, UTC+8) days from now.
function shanghaiDate(days = 0) {
  return new Date(Date.now() + 8 * 3600_000 + days * 86400_000).toISOString().slice(0, 10);
}

function countRows(table) {
  return Number(sql(srv.store, `SELECT COUNT(*) FROM ${table}`).trim());
}

async function auditEntries(action) {
  const res = await admin.get(`/api/v1/audit?action=${action}&limit=200`);
  assert.equal(res.status, 200, res.text);
  return res.json.items;
}

async function create(c, body, status = 201) {
  const res = await c.post('/api/v1/customers', body);
  assert.equal(res.status, status, res.text);
  return res.json;
}

async function search(c, q, extra = '') {
  const res = await c.get(`/api/v1/customers?q=${encodeURIComponent(q)}&limit=200${extra}`);
  assert.equal(res.status, 200, `${q}: ${res.text}`);
  return res.json.items;
}

before(async () => {
  srv = await startServer();
  admin = await login(srv.url, 'admin');
  const team = await admin.post('/api/v1/teams', { name: '客户测试组' });
  assert.equal(team.status, 201, team.text);
  const people = [['cust.agent1', 'agent'], ['cust.agent2', 'agent'], ['cust.manager', 'manager'],
    ['cust.analyst', 'analyst'], ['cust.vp', 'vp']];
  for (const [loginName, role] of people) {
    const res = await admin.post('/api/v1/users', { login: loginName, name: loginName, role,
      password: PASSWORD, ...(role === 'agent' ? { team_id: team.json.id } : {}) });
    assert.equal(res.status, 201, res.text);
    ids[loginName] = res.json.id;
  }
  agent = await login(srv.url, 'cust.agent1');
  agent2 = await login(srv.url, 'cust.agent2');
  manager = await login(srv.url, 'cust.manager');
  analyst = await login(srv.url, 'cust.analyst');
  vp = await login(srv.url, 'cust.vp');
});
after(async () => { await srv.cleanup(); });

test('C-1: a customer with every field is created, shown masked, read back with string ids', async () => {
  const cu = await create(agent, {
    name: '王芳', phone: '138-1234-5678', alt_phone: '+86 (10) 6234 5678',
    email: 'wang.fang@example.cn', address: '上海市浦东新区张杨路500号', company: '华东电器有限公司',
    grade: 'A', birthday: '1990-03-07', id_number: '11010119900307123x',
    tags: ['老客户', '电器', '老客户'], notes: '喜欢下午来电\n不要发短信',
  });
  assert.equal(typeof cu.id, 'string');
  assert.equal(cu.name, '王芳');
  // C-3: masked to everyone who has not verified the caller, the creator too.
  assert.equal(cu.masked, true);
  assert.equal(cu.phone, '138****5678');
  assert.equal(cu.alt_phone, '+86****5678');
  assert.equal(cu.email, 'w***@example.cn');
  assert.equal(cu.address, '上海市浦东新****');
  assert.equal(cu.id_number, '110********123X');
  assert.equal(cu.company, '华东电器有限公司');
  assert.equal(cu.grade, 'A');
  assert.equal(cu.birthday, '1990-03-07');
  assert.deepEqual(cu.tags, ['老客户', '电器'], 'a repeated tag is kept once');
  assert.equal(cu.notes, '喜欢下午来电\n不要发短信');
  assert.equal(cu.last_callback_at, null);
  assert.equal(cu.version, 1);
  assert.match(cu.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?\+08:00$/);
  assert.match(cu.updated_at, /\+08:00$/);
  const got = await agent.get(`/api/v1/customers/${cu.id}`);
  assert.equal(got.status, 200);
  assert.deepEqual(got.json, cu);
  // Stored normalised: the digits, a leading '+' kept.
  const row = sql(srv.store, `SELECT phone || '|' || alt_phone || '|' || id_number FROM customers WHERE id = ${cu.id}`).trim();
  assert.equal(row, '13812345678|+861062345678|11010119900307123X');
  ids.wang = cu.id;
});

test('C-1: PATCH changes what it carries; a stale version is 409 and changes nothing', async () => {
  const cu = await create(agent, { name: '赵磊', phone: '13900001234', grade: 'B' });
  const ok = await agent.patch(`/api/v1/customers/${cu.id}`, { company: '恒丰贸易', version: 1 });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.version, 2);
  assert.equal(ok.json.company, '恒丰贸易');
  assert.equal(ok.json.phone, '139****1234', 'untouched members stay');
  const stale = await agent.patch(`/api/v1/customers/${cu.id}`, { name: '改名', version: 1 });
  assert.equal(stale.status, 409);
  assert.equal(stale.json.error.code, 'conflict');
  assert.equal(stale.json.error.field, 'version');
  const after = (await agent.get(`/api/v1/customers/${cu.id}`)).json;
  assert.equal(after.name, '赵磊');
  assert.equal(after.version, 2);
  // null clears an optional member; without version the change is unconditional.
  const cleared = await agent.patch(`/api/v1/customers/${cu.id}`, { phone: null, tags: ['投诉过'] });
  assert.equal(cleared.status, 200, cleared.text);
  assert.equal(cleared.json.phone, null);
  assert.deepEqual(cleared.json.tags, ['投诉过']);
  assert.equal(cleared.json.version, 3);
});

test('S-3: creates and changes are audited with before and after, personal values masked', async () => {
  const created = (await auditEntries('customer.create')).find((e) => e.target_id === ids.wang);
  assert.ok(created, 'customer.create audited');
  assert.equal(created.actor_id, ids['cust.agent1']);
  assert.equal(created.target_type, 'customer');
  assert.equal(created.detail.phone, '138****5678');
  assert.equal(created.detail.id_number, '110********123X');
  assert.equal(created.detail.address, '上海市浦东新****');
  assert.equal(created.detail.email, 'w***@example.cn');
  assert.equal(created.detail.name, '王芳');
  assert.ok(!JSON.stringify(created.detail).includes('13812345678'), 'no clear phone in the audit log');
  const res = await agent.patch(`/api/v1/customers/${ids.wang}`,
    { phone: '13812340000', grade: 'VIP', version: 1 });
  assert.equal(res.status, 200, res.text);
  const updated = (await auditEntries('customer.update')).find((e) => e.target_id === ids.wang);
  assert.ok(updated, 'customer.update audited');
  assert.deepEqual(updated.detail.changes.phone, { before: '138****5678', after: '138****0000' });
  assert.deepEqual(updated.detail.changes.grade, { before: 'A', after: 'VIP' });
  assert.deepEqual(Object.keys(updated.detail.changes).sort(), ['grade', 'phone'], 'only what changed');
  const chain = await admin.get('/api/v1/audit/verify');
  assert.equal(chain.json.ok, true);
});

test('C-2: the grade is one of the policy grades; a customer without one gets the last (C)', async () => {
  const none = await create(agent, { name: '无等级' });
  assert.equal(none.grade, 'C');
  for (const grade of ['VIP', 'A', 'B', 'C']) {
    const cu = await create(agent, { name: `等级${grade}`, grade });
    assert.equal(cu.grade, grade);
  }
  const before = countRows('customers');
  for (const grade of ['D', 'vip', 'Gold']) {
    const res = await agent.post('/api/v1/customers', { name: '坏等级', grade });
    assert.equal(res.status, 422, grade);
    assert.equal(res.json.error.field, 'grade');
  }
  const patch = await agent.patch(`/api/v1/customers/${none.id}`, { grade: 'Z' });
  assert.equal(patch.status, 422);
  assert.equal(patch.json.error.field, 'grade');
  assert.equal(countRows('customers'), before, 'nothing written');
  assert.equal((await agent.get(`/api/v1/customers/${none.id}`)).json.version, 1);
});

test('C-3: masked until the same person passes a verification; others stay masked; a failed one opens nothing', async () => {
  const cu = await create(agent, { name: '钱进', phone: '13911112222', id_number: '310101198001011234',
    address: '北京市朝阳区建国路88号院3号楼', email: 'qian@example.com', grade: 'B' });
  const path = `/api/v1/customers/${cu.id}`;
  assert.equal((await agent.get(path)).json.masked, true);

  const failed = await agent2.post(`${path}/verifications`, { method: 'security_question', passed: false });
  assert.equal(failed.status, 201, failed.text);
  assert.equal(failed.json.passed, false);
  assert.equal(failed.json.expires_at, null);
  assert.equal(failed.json.method, 'security_question');
  assert.equal((await agent2.get(path)).json.phone, '139****2222', 'a failed verification opens nothing');

  const passed = await agent.post(`${path}/verifications`,
    { method: 'id_number', passed: true, note: '核对身份证后四位' });
  assert.equal(passed.status, 201, passed.text);
  assert.equal(passed.json.passed, true);
  assert.equal(passed.json.customer_id, cu.id);
  assert.equal(passed.json.user_id, ids['cust.agent1']);
  assert.equal(Date.parse(passed.json.expires_at) - Date.parse(passed.json.at), 15 * 60_000,
    'open for the policy default of 15 minutes');

  const open = (await agent.get(path)).json;
  assert.equal(open.masked, false);
  assert.equal(open.phone, '13911112222');
  assert.equal(open.id_number, '310101198001011234');
  assert.equal(open.address, '北京市朝阳区建国路88号院3号楼');
  assert.equal(open.email, 'qian@example.com');
  for (const [who, c] of [['another agent', agent2], ['the manager', manager], ['the VP', vp]]) {
    const other = (await c.get(path)).json;
    assert.equal(other.masked, true, who);
    assert.equal(other.phone, '139****2222', who);
  }
  // Lists and search results: unmasked only for the verified person.
  const mine = (await search(agent, '13911112222')).find((x) => x.id === cu.id);
  assert.equal(mine.masked, false);
  assert.equal(mine.phone, '13911112222');
  const theirs = (await search(agent2, '13911112222')).find((x) => x.id === cu.id);
  assert.equal(theirs.masked, true);
  const all = (await agent.get('/api/v1/customers?limit=200')).json.items;
  const listed = all.find((x) => x.id === cu.id);
  assert.equal(listed.masked, false);
  const others = all.filter((x) => x.id !== cu.id);
  assert.ok(others.length > 0 && others.every((x) => x.masked), 'only the verified record is open');

  // S-3: every verification and every unmasked view is audited.
  const verifications = (await auditEntries('customer.verify')).filter((e) => e.target_id === cu.id);
  assert.equal(verifications.length, 2);
  assert.deepEqual(verifications.map((e) => [e.actor_id, e.detail.method, e.detail.passed]),
    [[ids['cust.agent2'], 'security_question', false], [ids['cust.agent1'], 'id_number', true]]);
  assert.equal(verifications[1].detail.note, '核对身份证后四位');
  const views = (await auditEntries('customer.view_unmasked')).filter((e) => e.target_id === cu.id);
  assert.deepEqual(views.map((e) => e.detail.via).sort(), ['get', 'list', 'search']);
  assert.ok(views.every((e) => e.actor_id === ids['cust.agent1']), 'only the verified person saw it');
  const chain = await admin.get('/api/v1/audit/verify');
  assert.equal(chain.json.ok, true);
});

test('C-3: verification input is checked and nothing is written for a bad one', async () => {
  const before = countRows('customer_verifications');
  const path = `/api/v1/customers/${ids.wang}/verifications`;
  const cases = [
    [{ method: 'fingerprint', passed: true }, 'method'],
    [{ passed: true }, 'method'],
    [{ method: 'phone' }, 'passed'],
    [{ method: 'phone', passed: 'yes' }, 'passed'],
    [{ method: 'phone', passed: true, by: 'x' }, 'by'],
  ];
  for (const [body, field] of cases) {
    const res = await agent.post(path, body);
    assert.equal(res.status, 422, JSON.stringify(body));
    assert.equal(res.json.error.field, field, JSON.stringify(body));
  }
  const missing = await agent.post('/api/v1/customers/999999/verifications', { method: 'phone', passed: true });
  assert.equal(missing.status, 404);
  assert.equal(countRows('customer_verifications'), before, 'nothing written');
});

test('S-4: an analyst and an admin are refused every customer route; a VP may read only', async () => {
  const before = countRows('customers');
  const calls = [
    ['GET', '/api/v1/customers'],
    ['POST', '/api/v1/customers', { name: '不该有' }],
    ['GET', `/api/v1/customers/${ids.wang}`],
    ['PATCH', `/api/v1/customers/${ids.wang}`, { name: '不该改' }],
    ['POST', `/api/v1/customers/${ids.wang}/verifications`, { method: 'phone', passed: true }],
    ['GET', '/api/v1/customers/care'],
    ['GET', '/api/v1/customers/callbacks-due'],
  ];
  for (const [who, c] of [['analyst', analyst], ['admin', admin]]) {
    for (const [method, path, body] of calls) {
      const res = await c.call(method, path, body);
      assert.equal(res.status, 403, `${who} ${method} ${path}: ${res.text}`);
      assert.equal(res.json.error.code, 'forbidden');
    }
  }
  assert.equal((await vp.get(`/api/v1/customers/${ids.wang}`)).status, 200);
  assert.equal((await vp.post('/api/v1/customers', { name: '副总' })).status, 403);
  assert.equal((await vp.post(`/api/v1/customers/${ids.wang}/verifications`,
    { method: 'phone', passed: true })).status, 403);
  assert.equal(countRows('customers'), before, 'nothing written');
  assert.equal((await agent.get(`/api/v1/customers/${ids.wang}`)).json.name, '王芳');
});

test('T-10: search by name, fragment, full phone however typed, last four digits, company, address', async () => {
  const li = await create(agent, { name: '李秀兰', phone: '13700001111', company: '恒通物流',
    address: '北京市朝阳区建国路88号', grade: 'B' });
  const ouyang = await create(agent, { name: '欧阳秀英', phone: '15000001111', grade: 'VIP' });
  const smith = await create(agent, { name: 'John Smith', alt_phone: '+1 415 555 0199', company: 'Acme Trading' });
  const found = async (q, extra) => (await search(agent, q, extra)).map((x) => x.id);
  const has = (list, ...want) => want.every((id) => list.includes(id));

  let r = await found('李秀兰');
  assert.ok(has(r, li.id) && !r.includes(ouyang.id), 'full name');
  r = await found('秀兰');
  assert.ok(has(r, li.id) && !r.includes(ouyang.id), 'two-character fragment');
  r = await found('欧阳');
  assert.ok(has(r, ouyang.id) && !r.includes(li.id), 'two-character surname');
  r = await found('秀');
  assert.ok(has(r, li.id, ouyang.id), 'one character');
  for (const q of ['13700001111', '137-0000-1111', '137 0000 1111', '(137) 0000-1111']) {
    r = await found(q);
    assert.deepEqual(r, [li.id], `full phone typed as ${q}`);
  }
  r = await found('1111');
  assert.ok(has(r, li.id, ouyang.id), 'last four digits');
  r = await found('0199');
  assert.ok(has(r, smith.id), 'last four of the second phone');
  r = await found('恒通');
  assert.ok(has(r, li.id) && !r.includes(ouyang.id), 'company');
  r = await found('acme');
  assert.ok(has(r, smith.id), 'company word, any case');
  r = await found('SMITH');
  assert.ok(has(r, smith.id), 'Latin name, any case');
  r = await found('建国路');
  assert.ok(has(r, li.id), 'address words');
  r = await found('1111', '&grade=VIP');
  assert.deepEqual(r, [ouyang.id], 'search and grade filter together');
  const byGrade = (await agent.get('/api/v1/customers?grade=VIP&limit=200')).json.items;
  assert.ok(byGrade.length > 0 && byGrade.every((x) => x.grade === 'VIP'));
  // Results are masked like the records.
  const hit = (await search(agent, '李秀兰')).find((x) => x.id === li.id);
  assert.equal(hit.phone, '137****1111');
  assert.equal(hit.masked, true);
  // The index follows changes.
  const moved = await agent.patch(`/api/v1/customers/${li.id}`, { phone: '13799998888', name: '李秀芝' });
  assert.equal(moved.status, 200, moved.text);
  assert.ok(!(await found('13700001111')).includes(li.id), 'old number no longer found');
  assert.ok((await found('8888')).includes(li.id), 'new number found');
  assert.ok((await found('秀芝')).includes(li.id), 'new name found');
  assert.ok(!(await found('秀兰')).includes(li.id), 'old name no longer found');
  // Search results page with a cursor.
  const page1 = await agent.get(`/api/v1/customers?q=${encodeURIComponent('秀')}&limit=1`);
  assert.equal(page1.json.items.length, 1);
  assert.ok(page1.json.next_cursor);
  const page2 = await agent.get(`/api/v1/customers?q=${encodeURIComponent('秀')}&limit=1&cursor=${encodeURIComponent(page1.json.next_cursor)}`);
  assert.equal(page2.status, 200, page2.text);
  assert.equal(page2.json.items.length, 1);
  assert.notEqual(page2.json.items[0].id, page1.json.items[0].id);
});

test('customers are listed in id order with cursor pagination', async () => {
  const seen = [];
  let cursor = null;
  do {
    const res = await agent.get(`/api/v1/customers?limit=3${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    assert.equal(res.status, 200, res.text);
    seen.push(...res.json.items.map((x) => Number(x.id)));
    cursor = res.json.next_cursor;
  } while (cursor);
  assert.equal(seen.length, countRows('customers'));
  assert.deepEqual(seen, [...seen].sort((a, b) => a - b));
  const tampered = await agent.get('/api/v1/customers?cursor=3.0000000000000000');
  assert.equal(tampered.status, 400);
});

test('bad input names its field and writes nothing', async () => {
  const before = countRows('customers');
  const audits = (await auditEntries('customer.create')).length;
  const cases = [
    [{ name: '甲', nickname: '小甲' }, 'nickname'],
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: '   ' }, 'name'],
    [{ name: '名'.repeat(101) }, 'name'],
    [{ name: '甲', phone: 'abc' }, 'phone'],
    [{ name: '甲', phone: '1234' }, 'phone'],
    [{ name: '甲', phone: '1'.repeat(21) }, 'phone'],
    [{ name: '甲', phone: '138+12345678' }, 'phone'],
    [{ name: '甲', alt_phone: '电话' }, 'alt_phone'],
    [{ name: '甲', phone: 13812345678 }, 'phone'],
    [{ name: '甲', email: 'not-an-email' }, 'email'],
    [{ name: '甲', email: 'a@b' }, 'email'],
    [{ name: '甲', grade: 'Z' }, 'grade'],
    [{ name: '甲', birthday: shanghaiDate(2) }, 'birthday'],
    [{ name: '甲', birthday: '2026-02-30' }, 'birthday'],
    [{ name: '甲', birthday: '1899-12-31' }, 'birthday'],
    [{ name: '甲', id_number: '11-01' }, 'id_number'],
    [{ name: '甲', tags: 'vip' }, 'tags'],
    [{ name: '甲', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }, 'tags'],
    [{ name: '甲', tags: ['x'.repeat(33)] }, 'tags[0]'],
    [{ name: '甲', tags: ['ok', 5] }, 'tags[1]'],
    [{ name: '甲', tags: ['ok', ''] }, 'tags[1]'],
    [{ name: '甲', notes: '注'.repeat(2001) }, 'notes'],
    [{ name: '甲', version: 1 }, 'version'],
  ];
  for (const [body, field] of cases) {
    const res = await agent.post('/api/v1/customers', body);
    assert.equal(res.status, 422, `${JSON.stringify(body).slice(0, 80)} → ${res.status} ${res.text}`);
    assert.equal(res.json.error.code, 'validation_failed');
    assert.equal(res.json.error.field, field, JSON.stringify(body).slice(0, 80));
  }
  const patches = [
    [{ nickname: 'x' }, 'nickname'],
    [{ name: null }, 'name'],
    [{ grade: null }, 'grade'],
    [{ phone: '12' }, 'phone'],
    [{ version: 0 }, 'version'],
  ];
  const v = (await agent.get(`/api/v1/customers/${ids.wang}`)).json.version;
  for (const [body, field] of patches) {
    const res = await agent.patch(`/api/v1/customers/${ids.wang}`, body);
    assert.equal(res.status, 422, `${JSON.stringify(body)} → ${res.status} ${res.text}`);
    assert.equal(res.json.error.field, field);
  }
  assert.equal((await agent.get(`/api/v1/customers/${ids.wang}`)).json.version, v, 'no PATCH written');
  const queries = [
    ['q=' + encodeURIComponent('！？。,.…'), 'q'],
    ['q=' + encodeURIComponent('---'), 'q'],
    ['q=' + encodeURIComponent('字'.repeat(101)), 'q'],
    ['grade=Z', 'grade'],
    ['birthday=13-01', 'birthday'],
    ['birthday=0101', 'birthday'],
    ['no_such=1', 'no_such'],
    ['limit=0', 'limit'],
  ];
  for (const [qs, field] of queries) {
    const res = await agent.get(`/api/v1/customers?${qs}`);
    assert.equal(res.status, 422, `${qs} → ${res.status} ${res.text}`);
    assert.equal(res.json.error.field, field, qs);
  }
  for (const path of ['/api/v1/customers/999999', '/api/v1/customers/abc', '/api/v1/customers/0']) {
    assert.equal((await agent.get(path)).status, 404, path);
    assert.equal((await agent.patch(path, { name: '不存在' })).status, 404, path);
  }
  assert.equal(countRows('customers'), before, 'no customer written');
  assert.equal((await auditEntries('customer.create')).length, audits, 'no audit entry written');
});

test('C-4: the care list gives the day\'s birthdays, upcoming holidays and the customers to greet', async () => {
  const vip = await create(agent, { name: '生日贵宾', grade: 'VIP', birthday: '1985-12-24' });
  const c = await create(agent, { name: '生日普通', grade: 'C', birthday: '1990-12-24' });
  const a = await create(agent, { name: '夏天客户', grade: 'A', birthday: '1970-06-15' });
  const b = await create(agent, { name: '二组客户', grade: 'B', birthday: '1975-01-01' });
  const leapling = await create(agent, { name: '闰日客户', grade: 'C', birthday: '2000-02-29' });
  const care = async (date) => {
    const res = await agent.get(`/api/v1/customers/care?date=${date}`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  const idsOf = (list) => list.map((x) => x.id);

  const eve = await care('2026-12-24');
  assert.equal(eve.date, '2026-12-24');
  assert.ok(idsOf(eve.birthdays).includes(vip.id) && idsOf(eve.birthdays).includes(c.id));
  assert.ok(!idsOf(eve.birthdays).includes(a.id));
  assert.ok(eve.birthdays.every((x) => x.birthday.slice(5) === '12-24'));
  assert.deepEqual(eve.holidays, [{ date: '2026-12-25', name: '圣诞节 Christmas' }],
    'holiday_lead_days 1: Christmas is listed the day before');
  // Greetings go to the policy's holiday_greet_grades (VIP, A).
  const greet = idsOf(eve.greet);
  assert.ok(greet.includes(vip.id) && greet.includes(a.id));
  assert.ok(!greet.includes(c.id) && !greet.includes(b.id));
  assert.ok(eve.greet.every((x) => ['VIP', 'A'].includes(x.grade)));
  assert.ok(eve.greet.every((x) => x.masked), 'care lists are masked');
  assert.equal(eve.birthdays_more, false);
  assert.equal(eve.greet_more, false);

  const summer = await care('2026-06-15');
  assert.ok(idsOf(summer.birthdays).includes(a.id));
  assert.deepEqual(summer.holidays, []);
  assert.deepEqual(summer.greet, [], 'no holiday ahead: nobody to greet');

  const newYearsEve = await care('2026-12-31');
  assert.deepEqual(newYearsEve.holidays, [{ date: '2027-01-01', name: '元旦 New Year\'s Day' }]);
  const springEve = await care('2027-02-05');
  assert.deepEqual(springEve.holidays, [{ date: '2027-02-06', name: '春节 Spring Festival' }]);
  const newYear = await care('2027-01-01');
  assert.ok(idsOf(newYear.birthdays).includes(b.id));
  assert.deepEqual(newYear.holidays.map((h) => h.date), ['2027-01-01'], 'the holiday itself');

  // A 29 February birthday is remembered on 28 February in other years.
  assert.ok(idsOf((await care('2027-02-28')).birthdays).includes(leapling.id));
  assert.ok(!idsOf((await care('2028-02-28')).birthdays).includes(leapling.id));
  assert.ok(idsOf((await care('2028-02-29')).birthdays).includes(leapling.id));

  // Today by default, in the policy's time zone.
  const today = await agent.get('/api/v1/customers/care');
  assert.equal(today.status, 200, today.text);
  assert.equal(today.json.date, shanghaiDate());

  const capped = await agent.get('/api/v1/customers/care?date=2026-12-24&limit=1');
  assert.equal(capped.json.greet.length, 1);
  assert.equal(capped.json.greet_more, true);
  for (const qs of ['date=2026-13-01', 'date=yesterday', 'cursor=1.abc', 'foo=1']) {
    const res = await agent.get(`/api/v1/customers/care?${qs}`);
    assert.equal(res.status, 422, `${qs} → ${res.status} ${res.text}`);
  }
});

test('C-5: customers are due a periodic callback by the interval of their grade', async () => {
  const neverVip = await create(agent, { name: '从未回访贵宾', grade: 'VIP' });
  const oldA = await create(agent, { name: '三月前回访', grade: 'A' });
  const recentA = await create(agent, { name: '十天前回访', grade: 'A' });
  const neverB = await create(agent, { name: 'B级客户', grade: 'B' });
  const boundary = await create(agent, { name: '边界客户', grade: 'VIP' });
  const setLast = (id, ms) => sql(srv.store, `UPDATE customers SET last_callback_at = ${ms} WHERE id = ${id}`);
  setLast(oldA.id, Date.now() - 92 * 86400_000);
  setLast(recentA.id, Date.now() - 10 * 86400_000);
  setLast(boundary.id, Date.parse('2026-01-15T10:00:00+08:00'));
  const due = async (qs = '') => {
    const res = await agent.get(`/api/v1/customers/callbacks-due?limit=200${qs}`);
    assert.equal(res.status, 200, res.text);
    return res.json.items.map((x) => x.id);
  };
  const today = await due();
  assert.ok(today.includes(neverVip.id), 'a VIP never called back is due');
  assert.ok(today.includes(oldA.id), 'an A customer last called three months ago is due');
  assert.ok(!today.includes(recentA.id), 'an A customer called ten days ago is not');
  assert.ok(!today.includes(neverB.id), 'grade B has no periodic callback');
  // Every 2 months: last called on 15 January → due from 15 March.
  assert.ok(!(await due('&date=2026-03-14')).includes(boundary.id));
  assert.ok((await due('&date=2026-03-15')).includes(boundary.id));
  // 31 March − 2 months is the end of January.
  assert.ok((await due('&date=2026-03-31')).includes(boundary.id));
  // Pages.
  const page = await agent.get('/api/v1/customers/callbacks-due?limit=1');
  assert.equal(page.json.items.length, 1);
  assert.ok(page.json.next_cursor);
  const next = await agent.get(`/api/v1/customers/callbacks-due?limit=1&cursor=${encodeURIComponent(page.json.next_cursor)}`);
  assert.ok(Number(next.json.items[0].id) > Number(page.json.items[0].id));
  const bad = await agent.get('/api/v1/customers/callbacks-due?date=2026-02-30');
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'date');
});

test('C-3: the open time is the policy\'s verification_unmask_minutes in force, and it ends', async () => {
  const pub = await admin.put('/api/v1/policy', {
    document: 'customers:\n  verification_unmask_minutes: 1\n', reason: '缩短查看时间' });
  assert.equal(pub.status, 201, pub.text);
  await sleep(1100); // the policy in force is re-read at most once a second
  const cu = await create(agent, { name: '孙立', phone: '18600001234' });
  const path = `/api/v1/customers/${cu.id}`;
  const v = await agent.post(`${path}/verifications`, { method: 'phone', passed: true });
  assert.equal(v.status, 201, v.text);
  assert.equal(Date.parse(v.json.expires_at) - Date.parse(v.json.at), 60_000);
  assert.equal((await agent.get(path)).json.masked, false);
  // The minute passes (the store is moved instead of the clock).
  sql(srv.store, `UPDATE customer_verifications SET expires_at = ${Date.now() - 1000} WHERE customer_id = ${cu.id}`);
  const later = (await agent.get(path)).json;
  assert.equal(later.masked, true);
  assert.equal(later.phone, '186****1234');
});

test('C-2: a grade added to the policy can be given; the last grade is the default', async () => {
  const pub = await admin.put('/api/v1/policy', {
    document: 'customers:\n  grades: [VIP, A, B, C, D]\n', reason: '增加D级' });
  assert.equal(pub.status, 201, pub.text);
  await sleep(1100);
  assert.equal((await create(agent, { name: 'D级客户', grade: 'D' })).grade, 'D');
  assert.equal((await create(agent, { name: '默认等级' })).grade, 'D');
});

test('C-5: callbacks due for a date long ago answers, not a server error', async () => {
  const r = await manager.get('/api/v1/customers/callbacks-due?date=1900-01-15');
  assert.equal(r.status, 200, r.text);
});
