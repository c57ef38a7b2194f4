// Tickets: registration (T-3, T-4, T-5, T-9), the state machine (T-6),
// replies and notes (T-7), escalation (T-8), search (T-10), queues, transfers,
// deadlines and the overdue scan (L-4 … L-12), bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, sql, PASSWORD, ENGINE } from './lib.mjs';

let srv, admin, agent, agent2, supervisor, manager, customer;

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  admin = await login(srv.url, 'admin');
  for (const [login_, role] of [['agent.a', 'agent'], ['agent.b', 'agent'], ['sup', 'supervisor'], ['mgr', 'manager']])
    assert.equal((await admin.post('/api/v1/users', { login: login_, name: login_, role, password: PASSWORD })).status, 201);
  agent = await login(srv.url, 'agent.a');
  agent2 = await login(srv.url, 'agent.b');
  supervisor = await login(srv.url, 'sup');
  manager = await login(srv.url, 'mgr');
  customer = (await agent.post('/api/v1/customers', { name: '张建华', phone: '13812345678', grade: 'B' })).json;
});
after(async () => { await srv.cleanup(); });

const register = (c, extra = {}) => c.post('/api/v1/tickets', {
  type: 'complaint', channel: 'phone', subject: '空调漏水要求退货',
  description: '客户反映新买的空调漏水，要求退货。', customer_id: customer.id, ...extra });

test('T-3/T-4/T-5: registration numbers the ticket, makes the registrant owner, computes deadlines', async () => {
  const res = await register(agent);
  assert.equal(res.status, 201, res.text);
  const t = res.json;
  assert.match(t.number, /^TS-\d{8}-\d{4}$/);
  assert.equal(t.status, 'new');
  assert.equal(t.overdue, false);
  const me = await agent.get('/api/v1/me');
  assert.equal(t.owner_id, me.json.id);
  const kinds = t.deadlines.map((d) => d.kind).sort();
  assert.deepEqual(kinds, ['callback', 'close', 'reply', 'report']);
  const reply = t.deadlines.find((d) => d.kind === 'reply');
  assert.equal(reply.rule, 'L-6');
  assert.equal(Date.parse(reply.due_at) - Date.parse(t.created_at), 24 * 3600 * 1000);
  assert.equal(t.customer.masked, true);
  assert.deepEqual(t.allowed_transitions, ['assigned']);
});

test('T-3: a ticket for a customer not on file creates the customer', async () => {
  const res = await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'web', subject: '咨询保修期',
    description: '请问保修期多久？', customer: { name: '李新客', phone: '13900001111' } });
  assert.equal(res.status, 201, res.text);
  assert.match(res.json.number, /^ZX-/);
  assert.equal(res.json.customer.name, '李新客');
  const c = await agent.get(`/api/v1/customers/${res.json.customer_id}`);
  assert.equal(c.status, 200);
});

test('T-9: a VIP customer\'s request is critical whatever was asked', async () => {
  const vip = (await agent.post('/api/v1/customers', { name: '王贵宾', phone: '13700002222', grade: 'VIP' })).json;
  const res = await register(agent, { customer_id: vip.id, priority: 'normal' });
  assert.equal(res.json.priority, 'critical');
  const lower = await agent.patch(`/api/v1/tickets/${res.json.id}`, { priority: 'normal' });
  assert.equal(lower.status, 422);
  assert.equal(lower.json.error.rule, 'T-9');
});

test('T-4: 8 concurrent clients registering get distinct numbers in sequence', async () => {
  const clients = [];
  for (let i = 0; i < 8; i++) clients.push(await login(srv.url, i % 2 ? 'agent.a' : 'agent.b'));
  const per = 25;
  const results = await Promise.all(clients.map(async (c) => {
    const nums = [];
    for (let i = 0; i < per; i++) {
      const r = await c.post('/api/v1/tickets', { type: 'repair', channel: 'phone', subject: '报修' + i,
        description: '热水器不出热水', customer_id: customer.id });
      assert.equal(r.status, 201, r.text);
      nums.push(r.json.number);
    }
    return nums;
  }));
  const all = results.flat();
  assert.equal(new Set(all).size, 8 * per);
  const seqs = all.map((n) => Number(n.split('-')[2])).sort((a, b) => a - b);
  for (let i = 1; i < seqs.length; i++) assert.equal(seqs[i], seqs[i - 1] + 1, 'no gaps');
});

test('T-6: moving through the states, and refusals naming the current state', async () => {
  const t = (await register(agent)).json;
  const go = (c, to, extra = {}) => c.post(`/api/v1/tickets/${t.id}/transitions`, { to, ...extra });
  let r = await go(agent, 'resolved');
  assert.equal(r.status, 409);
  assert.match(r.json.error.message, /is new/);
  assert.equal(r.json.error.rule, 'T-6');
  r = await go(agent, 'new');
  assert.equal(r.status, 409, 'same state');
  r = await go(agent, 'assigned');
  assert.equal(r.status, 200);
  assert.equal(r.json.assignee_id, (await agent.get('/api/v1/me')).json.id, 'self-assigned');
  for (const to of ['in_progress', 'pending_customer', 'in_progress', 'resolved', 'closed', 'reopened', 'in_progress']) {
    r = await go(agent, to);
    assert.equal(r.status, 200, `${to}: ${r.text}`);
    assert.equal(r.json.status, to);
  }
  r = await go(agent, 'sideways');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'to');
  const tl = await agent.get(`/api/v1/tickets/${t.id}/timeline?limit=200`);
  const changes = tl.json.items.filter((e) => e.kind === 'status_changed');
  assert.equal(changes.length, 8);
  assert.deepEqual(changes[0].detail.status, { before: 'new', after: 'assigned' });
  assert.ok(changes.every((e) => e.actor_id && e.at));
});

test('T-6: only the owner, assignee or a supervisor moves a ticket; assigning others needs tickets.assign', async () => {
  const t = (await register(agent)).json;
  const other = await agent2.post(`/api/v1/tickets/${t.id}/transitions`, { to: 'assigned' });
  assert.equal(other.status, 403);
  const b = (await agent2.get('/api/v1/me')).json;
  const byAgent = await agent.post(`/api/v1/tickets/${t.id}/transitions`, { to: 'assigned', assignee_id: b.id });
  assert.equal(byAgent.status, 403);
  const bySup = await supervisor.post(`/api/v1/tickets/${t.id}/transitions`, { to: 'assigned', assignee_id: b.id });
  assert.equal(bySup.status, 200);
  assert.equal(bySup.json.assignee_id, b.id);
  assert.equal((await agent2.post(`/api/v1/tickets/${t.id}/transitions`, { to: 'in_progress' })).status, 200);
});

test('T-7: replies and internal notes are different entries; a reply meets L-6', async () => {
  const t = (await register(agent)).json;
  const note = await agent.post(`/api/v1/tickets/${t.id}/entries`, { kind: 'note', body: '内部：先查批次' });
  assert.equal(note.status, 201);
  assert.equal(note.json.internal, true);
  const reply = await agent.post(`/api/v1/tickets/${t.id}/entries`, { kind: 'reply', body: '您好，我们已受理。' });
  assert.equal(reply.status, 201);
  assert.equal(reply.json.internal, false);
  const got = await agent.get(`/api/v1/tickets/${t.id}`);
  assert.ok(got.json.deadlines.find((d) => d.kind === 'reply').met_at);
  const bad = await agent.post(`/api/v1/tickets/${t.id}/entries`, { kind: 'shout', body: 'x' });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'kind');
});

test('T-5: a transfer moves ownership only when the receiver accepts', async () => {
  const t = (await register(agent)).json;
  const b = (await agent2.get('/api/v1/me')).json;
  const req = await agent.post(`/api/v1/tickets/${t.id}/transfers`, { to_user_id: b.id, reason: '换班' });
  assert.equal(req.status, 201);
  assert.equal((await agent.get(`/api/v1/tickets/${t.id}`)).json.owner_id, t.owner_id, 'not yet');
  const dup = await agent.post(`/api/v1/tickets/${t.id}/transfers`, { to_user_id: b.id, reason: '再转' });
  assert.equal(dup.status, 409);
  const notMine = await agent.post(`/api/v1/transfers/${req.json.id}/accept`);
  assert.equal(notMine.status, 403);
  const inbox = await agent2.get('/api/v1/transfers?box=incoming&status=pending');
  assert.ok(inbox.json.items.some((x) => x.id === req.json.id));
  const ok = await agent2.post(`/api/v1/transfers/${req.json.id}/accept`);
  assert.equal(ok.status, 200);
  assert.equal(ok.json.status, 'accepted');
  assert.equal((await agent.get(`/api/v1/tickets/${t.id}`)).json.owner_id, b.id);
  const again = await agent2.post(`/api/v1/transfers/${req.json.id}/accept`);
  assert.equal(again.status, 409);
});

test('T-8: escalation one level up; skipping needs an emergency and notifies the skipped', async () => {
  const t = (await register(agent)).json;
  const skip = await agent.post(`/api/v1/tickets/${t.id}/escalations`, { to: 'vp', reason: '金额大' });
  assert.equal(skip.status, 422);
  assert.equal(skip.json.error.rule, 'T-8');
  const one = await agent.post(`/api/v1/tickets/${t.id}/escalations`, { reason: '需要主管决定' });
  assert.equal(one.status, 200);
  assert.equal(one.json.escalated_to, 'supervisor');
  const urgent = await agent.post(`/api/v1/tickets/${t.id}/escalations`, { to: 'gm', emergency: true, reason: '媒体介入' });
  assert.equal(urgent.status, 200);
  assert.equal(urgent.json.escalated_to, 'gm');
  const tl = await agent.get(`/api/v1/tickets/${t.id}/timeline?limit=200`);
  const notice = tl.json.items.find((e) => e.kind === 'escalation_skip_notice');
  assert.deepEqual(notice.detail.notify_roles, ['manager', 'vp']);
  const top = await agent.post(`/api/v1/tickets/${t.id}/escalations`, { reason: '再上' });
  assert.equal(top.status, 409);
});

test('T-10: two-character Chinese words, phone, number and names find tickets; punctuation alone is refused', async () => {
  const who = (await agent.post('/api/v1/customers', { name: '欧阳修远', phone: '13698765432' })).json;
  const t = (await agent.post('/api/v1/tickets', { type: 'complaint', channel: 'phone', subject: '洗衣机漏电',
    description: '使用时有麻手感觉', customer_id: who.id })).json;
  for (const q of ['漏电', '洗衣机', '麻', t.number, '13698765432', '5432', '欧阳修远', '修远']) {
    const res = await agent.get('/api/v1/tickets?q=' + encodeURIComponent(q));
    assert.equal(res.status, 200, q);
    assert.ok(res.json.items.some((x) => x.id === t.id), `${q} finds ${t.number}`);
  }
  const none = await agent.get('/api/v1/tickets?q=' + encodeURIComponent('冰箱'));
  assert.ok(!none.json.items.some((x) => x.id === t.id));
  const punct = await agent.get('/api/v1/tickets?q=' + encodeURIComponent('！？。'));
  assert.equal(punct.status, 422);
  assert.equal(punct.json.error.field, 'q');
});

test('T-10: a match in the subject ranks above one in the description', async () => {
  const a = (await register(agent, { subject: '冷凝管滴水严重', description: '见附件照片' })).json;
  const b = (await register(agent, { subject: '其他问题', description: '空调冷凝管有点滴水' })).json;
  const r = await agent.get('/api/v1/tickets?q=' + encodeURIComponent('冷凝管'));
  const ids = r.json.items.map((x) => x.id);
  assert.ok(ids.indexOf(a.id) >= 0 && ids.indexOf(b.id) >= 0);
  assert.ok(ids.indexOf(a.id) < ids.indexOf(b.id), 'subject match first although older');
});

test('T-10: Latin capitals beyond ASCII fold alike on both engines', async () => {
  const t = (await register(agent, { subject: 'ŁÓDŹ ŐRSÉG Ǆemal 配件', description: '外贸订单' })).json;
  for (const q of ['łódź', 'ŁÓDŹ', 'őrség', 'ǆemal', 'Ǆemal']) {
    const res = await agent.get('/api/v1/tickets?q=' + encodeURIComponent(q));
    assert.equal(res.status, 200, q);
    assert.ok(res.json.items.some((x) => x.id === t.id), `${q} finds ${t.number}`);
  }
});

test('T-10, T-6: a search with open=true follows the ticket through resolved, closed and reopened', async () => {
  const t = (await register(agent, { subject: '燃气热水器熄火', description: '洗澡时水突然变凉' })).json;
  const older = (await register(agent, { subject: '热水器熄火两次', description: '已关闭的旧单' })).json;
  const q = '/api/v1/tickets?q=' + encodeURIComponent('熄火');
  const found = async (extra) => (await agent.get(q + extra)).json.items.map((x) => x.id);
  const go = (id, to) => agent.post(`/api/v1/tickets/${id}/transitions`, { to });
  for (const to of ['assigned', 'in_progress', 'resolved', 'closed'])
    assert.equal((await go(older.id, to)).status, 200, to);
  assert.deepEqual(await found('&open=true'), [t.id]);
  assert.deepEqual((await found('')).sort(), [t.id, older.id].sort());
  for (const to of ['assigned', 'in_progress']) assert.equal((await go(t.id, to)).status, 200, to);
  assert.deepEqual(await found('&open=true'), [t.id], 'open to open');
  assert.equal((await go(t.id, 'resolved')).status, 200);
  assert.deepEqual(await found('&open=true'), [], 'resolved is not open');
  assert.equal((await go(t.id, 'closed')).status, 200);
  assert.deepEqual(await found('&open=true'), []);
  assert.equal((await go(t.id, 'reopened')).status, 200);
  assert.deepEqual(await found('&open=true'), [t.id], 'reopened is open again');
  const me = (await agent.get('/api/v1/me')).json;
  assert.deepEqual(await found(`&open=true&assignee_id=${me.id}`), [t.id]);
  // A subject changed while open: found by the new words only.
  const v = (await agent.get(`/api/v1/tickets/${t.id}`)).json.version;
  const upd = await agent.patch(`/api/v1/tickets/${t.id}`, { subject: '燃气热水器点不着', version: v });
  assert.equal(upd.status, 200, upd.text);
  assert.deepEqual(await found('&open=true'), [], 'old words');
  const now = await agent.get('/api/v1/tickets?q=' + encodeURIComponent('点不着') + '&open=true');
  assert.deepEqual(now.json.items.map((x) => x.id), [t.id]);
  // A subject changed while resolved, then while closed: still not open.
  const edit = async (subject) => {
    const ver = (await agent.get(`/api/v1/tickets/${t.id}`)).json.version;
    const r = await agent.patch(`/api/v1/tickets/${t.id}`, { subject, version: ver });
    assert.equal(r.status, 200, r.text);
  };
  assert.equal((await go(t.id, 'in_progress')).status, 200);
  assert.equal((await go(t.id, 'resolved')).status, 200);
  await edit('燃气热水器打火无反应');
  assert.deepEqual(await found('&open=true'), []);
  const fire = '/api/v1/tickets?q=' + encodeURIComponent('打火');
  assert.deepEqual((await agent.get(fire + '&open=true')).json.items, [], 'resolved, edited');
  assert.deepEqual((await agent.get(fire)).json.items.map((x) => x.id), [t.id]);
  assert.equal((await go(t.id, 'closed')).status, 200);
  await edit('燃气热水器打火后冒烟');
  assert.deepEqual((await agent.get(fire + '&open=true')).json.items, [], 'closed, edited');
  assert.equal((await go(t.id, 'reopened')).status, 200);
  assert.deepEqual((await agent.get(fire + '&open=true')).json.items.map((x) => x.id), [t.id]);
});

test('T-10: a search with open=true finds open tickets older than many newer resolved matches', async () => {
  // A window of 3 matches: a search with other filters looks through the
  // newest 30 on SQLite; open=true looks through the open tickets only.
  const s = await startServer({ args: ['--search-window', '3'] });
  try {
    const adm = await login(s.url, 'admin');
    assert.equal((await adm.post('/api/v1/users', { login: 'old.a', name: 'old.a', role: 'agent', password: PASSWORD })).status, 201);
    const a = await login(s.url, 'old.a');
    const cust = (await a.post('/api/v1/customers', { name: '孙旧单', phone: '13911113333' })).json;
    const reg = async (subject) => {
      const r = await a.post('/api/v1/tickets', { type: 'complaint', channel: 'phone', subject,
        description: '电梯', customer_id: cust.id });
      assert.equal(r.status, 201, r.text);
      return r.json.id;
    };
    const old = [await reg('电梯困人'), await reg('电梯异响')];
    for (let i = 0; i < 35; i++) {
      const id = await reg(`电梯报修${i}`);
      for (const to of ['assigned', 'in_progress', 'resolved'])
        assert.equal((await a.post(`/api/v1/tickets/${id}/transitions`, { to })).status, 200, to);
    }
    const q = '/api/v1/tickets?q=' + encodeURIComponent('电梯');
    const ids = async (extra) => (await a.get(q + extra)).json.items.map((x) => x.id).sort();
    assert.deepEqual(await ids('&open=true'), old.slice().sort());
    assert.deepEqual(await ids('&open=true&type=complaint'), old.slice().sort());
    assert.deepEqual(await ids(`&open=true&assignee_id=me`), [], 'nobody assigned');
  } finally {
    await s.cleanup();
  }
});

test('T-10: a search with a type finds that type\'s matches older than many newer ones, and follows a change of type', async () => {
  // A window of 3 matches: other filters look through the newest 30 matches
  // on SQLite; the type is part of the search index and reaches all.
  const s = await startServer({ args: ['--search-window', '3'] });
  try {
    const adm = await login(s.url, 'admin');
    assert.equal((await adm.post('/api/v1/users', { login: 'ty.a', name: 'ty.a', role: 'agent', password: PASSWORD })).status, 201);
    const a = await login(s.url, 'ty.a');
    const cust = (await a.post('/api/v1/customers', { name: '赵水管', phone: '13911114444' })).json;
    const reg = async (type, subject) => {
      const r = await a.post('/api/v1/tickets', { type, channel: 'phone', subject,
        description: '水管', customer_id: cust.id });
      assert.equal(r.status, 201, r.text);
      return r.json.id;
    };
    const old = [await reg('repair', '水管爆裂'), await reg('repair', '水管漏水')];
    for (let i = 0; i < 35; i++) await reg('inquiry', `水管咨询${i}`);
    const q = '/api/v1/tickets?q=' + encodeURIComponent('水管');
    const ids = async (extra) => (await a.get(q + extra)).json.items.map((x) => x.id).sort();
    assert.deepEqual(await ids('&type=repair'), old.slice().sort());
    assert.deepEqual(await ids('&type=complaint'), []);
    // The older repair becomes an inquiry.
    const v = (await a.get(`/api/v1/tickets/${old[0]}`)).json.version;
    const upd = await a.patch(`/api/v1/tickets/${old[0]}`, { type: 'inquiry', version: v });
    assert.equal(upd.status, 200, upd.text);
    assert.deepEqual(await ids('&type=repair'), [old[1]]);
    const inquiries = (await a.get(q + '&type=inquiry&limit=100')).json.items.map((x) => x.id);
    assert.equal(inquiries.length, 3, 'the window of the newest 3 inquiries');
    // A word that names a type is not a type.
    assert.deepEqual((await a.get('/api/v1/tickets?q=repair')).json.items, []);
  } finally {
    await s.cleanup();
  }
});

test('T-10: search ranks a window of the newest matches, pages it stably, and filters reach older ones', async () => {
  // A server of its own whose window is 3 matches (kefu serve --search-window).
  const s = await startServer({ args: ['--search-window', '3'] });
  try {
    const adm = await login(s.url, 'admin');
    for (const l of ['win.a', 'win.b'])
      assert.equal((await adm.post('/api/v1/users', { login: l, name: l, role: 'agent', password: PASSWORD })).status, 201);
    const a = await login(s.url, 'win.a');
    const b = await login(s.url, 'win.b');
    const bId = (await b.get('/api/v1/me')).json.id;
    const cust = (await a.post('/api/v1/customers', { name: '钱多多', phone: '13911112222' })).json;
    const reg = async (c, subject, description) => {
      const r = await c.post('/api/v1/tickets', { type: 'repair', channel: 'phone', subject, description,
        customer_id: cust.id });
      assert.equal(r.status, 201, r.text);
      return r.json.id;
    };
    // Oldest first: t1 and t2 by b (t1 with the word in its subject), t3 … t5 by a.
    const t1 = await reg(b, '墙面渗水', '楼上');
    const t2 = await reg(b, '其他', '厨房渗水');
    const t3 = await reg(a, '其他', '卫生间渗水');
    const t4 = await reg(a, '阳台渗水', '雨后');
    const t5 = await reg(a, '其他', '窗台渗水');
    const ids = (r) => r.json.items.map((x) => x.id);
    const q = '/api/v1/tickets?q=' + encodeURIComponent('渗水');
    // The newest three matches, the subject match first, then newest first;
    // t1 ranks best of all but is older than the window.
    const all = await a.get(q);
    assert.equal(all.status, 200, all.text);
    assert.deepEqual(ids(all), [t4, t5, t3]);
    assert.equal(all.json.next_cursor, null, 'the window holds three');
    // Paged by two: a ticket registered between the pages neither enters
    // nor shifts the window the first page was read from.
    const p1 = await a.get(q + '&limit=2');
    assert.deepEqual(ids(p1), [t4, t5]);
    assert.ok(p1.json.next_cursor);
    const t6 = await reg(a, '屋顶渗水', '顶楼');
    const p2 = await a.get(q + '&limit=2&cursor=' + encodeURIComponent(p1.json.next_cursor));
    assert.equal(p2.status, 200, p2.text);
    assert.deepEqual(ids(p2), [t3]);
    assert.equal(p2.json.next_cursor, null);
    // A new search sees the new ticket.
    assert.deepEqual(ids(await a.get(q)), [t6, t4, t5]);
    // A filter narrows before the window is taken: b's tickets are older
    // than the window, and found, best first.
    assert.deepEqual(ids(await a.get(q + `&owner_id=${bId}`)), [t1, t2]);
    assert.equal(ids(await b.get(q + '&owner_id=me&limit=1')).length, 1);
    // Conditions with an index in id order (owner, type) are walked beside
    // the matches on SQLite; those without one (overdue=false) are checked
    // on each match's ticket, alone or after the others.
    assert.deepEqual(ids(await a.get(q + '&type=repair')), [t6, t4, t5]);
    assert.deepEqual(ids(await a.get(q + `&owner_id=${bId}&type=repair`)), [t1, t2]);
    assert.deepEqual(ids(await a.get(q + `&owner_id=${bId}&type=complaint`)), []);
    assert.deepEqual(ids(await a.get(q + '&type=complaint')), []);
    assert.deepEqual(ids(await a.get(q + '&overdue=false')), [t6, t4, t5]);
    assert.deepEqual(ids(await a.get(q + `&owner_id=${bId}&overdue=false`)), [t1, t2]);
    assert.deepEqual(ids(await a.get(q + `&owner_id=${bId}&overdue=true`)), []);
    // On SQLite a search with filters looks through the newest ten windows
    // of matches (30 here) only; PostgreSQL looks through all.
    for (let i = 0; i < 30; i++) await reg(a, '其他', `渗水记录${i}`);
    assert.deepEqual(ids(await a.get(q + `&owner_id=${bId}`)), ENGINE === 'sqlite' ? [] : [t1, t2]);
  } finally {
    await s.cleanup();
  }
});

test('queues: filters and a cursor that stays stable while tickets are added', async () => {
  const me = (await agent.get('/api/v1/me')).json;
  const first = await agent.get(`/api/v1/tickets?owner_id=me&limit=3`);
  assert.equal(first.status, 200);
  assert.ok(first.json.items.every((x) => x.owner_id === me.id));
  await register(agent); // a new ticket must not shift the next page
  const second = await agent.get(`/api/v1/tickets?owner_id=me&limit=3&cursor=${encodeURIComponent(first.json.next_cursor)}`);
  const ids1 = first.json.items.map((x) => Number(x.id));
  const ids2 = second.json.items.map((x) => Number(x.id));
  assert.ok(Math.min(...ids1) > Math.max(...ids2), 'pages do not overlap');
  const complaints = await agent.get('/api/v1/tickets?type=complaint&status=new');
  assert.ok(complaints.json.items.every((x) => x.type === 'complaint' && x.status === 'new'));
  for (const [q, field] of [['status=flying', 'status'], ['type=rumour', 'type'], ['overdue=maybe', 'overdue'], ['assignee_id=abc', 'assignee_id']]) {
    const r = await agent.get('/api/v1/tickets?' + q);
    assert.equal(r.status, 422, q);
    assert.equal(r.json.error.field, field);
  }
  const tampered = await agent.get('/api/v1/tickets?cursor=999.abcdef0123456789');
  assert.equal(tampered.status, 400);
});

test('bad input is refused and nothing is written', async () => {
  const count = () => Number(sql(srv.store, 'SELECT COUNT(*) FROM tickets').trim());
  const n0 = count();
  const cases = [
    [{ type: 'gossip' }, 'type'],
    [{ channel: 'pigeon' }, 'channel'],
    [{ customer_id: '99999999' }, 'customer_id'],
    [{ subject: '' }, 'subject'],
    [{ description: '长'.repeat(20001) }, 'description'],
    [{ priority: 'whenever' }, 'priority'],
    [{ service_class: 'gold' }, 'service_class'],
    [{ product: { model: 'X', colour: 'red' } }, 'product.colour'],
    [{ customer: { name: '某' } }, 'customer_id'],
    [{ colour: 'red' }, 'colour'],
  ];
  for (const [extra, field] of cases) {
    const r = await register(agent, extra);
    assert.equal(r.status, 422, JSON.stringify(extra).slice(0, 80));
    assert.equal(r.json.error.field, field, JSON.stringify(extra).slice(0, 80));
  }
  const nested = await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'web', subject: 's', description: 'd',
    customer: { name: '某人', phone: '138', shoe_size: 42 } });
  assert.equal(nested.status, 422);
  assert.match(nested.json.error.field, /^customer\./);
  assert.equal(count(), n0);
  assert.equal((await agent.get('/api/v1/tickets/99999999')).status, 404);
  assert.equal((await agent.get('/api/v1/tickets/abc')).status, 404);
});

test('T-5/T-7: only the people responsible reply to the customer; colleagues may add notes', async () => {
  const t = (await register(agent)).json;
  const reply = await agent2.post(`/api/v1/tickets/${t.id}/entries`, { kind: 'reply', body: '我来回复' });
  assert.equal(reply.status, 403);
  const note = await agent2.post(`/api/v1/tickets/${t.id}/entries`, { kind: 'note', body: '同事备注' });
  assert.equal(note.status, 201);
});

test('PATCH refuses an empty subject, an assignee on a new ticket, and a closed ticket cannot be escalated', async () => {
  const t = (await register(agent)).json;
  const empty = await agent.patch(`/api/v1/tickets/${t.id}`, { subject: '  ' });
  assert.equal(empty.status, 422);
  assert.equal(empty.json.error.field, 'subject');
  const me = (await agent.get('/api/v1/me')).json;
  const early = await supervisor.patch(`/api/v1/tickets/${t.id}`, { assignee_id: me.id });
  assert.equal(early.status, 409);
  assert.equal(early.json.error.rule, 'T-6');
  for (const to of ['assigned', 'in_progress', 'resolved', 'closed'])
    assert.equal((await agent.post(`/api/v1/tickets/${t.id}/transitions`, { to })).status, 200, to);
  const esc = await agent.post(`/api/v1/tickets/${t.id}/escalations`, { reason: '太晚了' });
  assert.equal(esc.status, 409);
  const bad = await agent.get('/api/v1/tickets?customer_id=me');
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'customer_id');
});

test('L-11: a type change recomputes the unmet deadlines and keeps the met ones', async () => {
  const t = (await register(agent, { type: 'inquiry' })).json;
  await agent.post(`/api/v1/tickets/${t.id}/entries`, { kind: 'reply', body: '已回复' });
  const r = await agent.patch(`/api/v1/tickets/${t.id}`, { type: 'complaint' });
  assert.equal(r.status, 200, r.text);
  // L-5's status update, armed by the reply rather than computed at
  // registration, stays as it was.
  assert.deepEqual(r.json.deadlines.map((d) => d.kind).sort(),
    ['callback', 'close', 'reply', 'report', 'status_update']);
  assert.ok(r.json.deadlines.find((d) => d.kind === 'reply').met_at, 'the met reply stays met');
});

test('T-5: a transfer asked for by an earlier owner is void once the ticket moved on', async () => {
  const t = (await register(agent)).json;
  const b = (await agent2.get('/api/v1/me')).json;
  const s = (await supervisor.get('/api/v1/me')).json;
  const x1 = (await agent.post(`/api/v1/tickets/${t.id}/transfers`, { to_user_id: b.id, reason: '一' })).json;
  assert.equal((await agent2.post(`/api/v1/transfers/${x1.id}/accept`)).status, 200);
  // agent.a asks again although no longer the owner: refused (T-5).
  const again = await agent.post(`/api/v1/tickets/${t.id}/transfers`, { to_user_id: s.id, reason: '二' });
  assert.equal(again.status, 403);
});

test('invalid UTF-8 in a query parameter is 400', async () => {
  const r = await agent.get('/api/v1/customers?q=%E4');
  assert.equal(r.status, 400);
  assert.equal(r.json.error.field, 'q');
});

test('C-3: the raw contact of a ticket is masked like the customer\'s phone', async () => {
  const t = (await register(agent, { contact: '13812345678' })).json;
  assert.equal(t.contact, '138****5678');
  const addr = (await register(agent, { contact: '上海市浦东新区张杨路100号' })).json;
  assert.notEqual(addr.contact, '上海市浦东新区张杨路100号');
  assert.match(addr.contact, /\*/);
});

test('C-3/S-3: a ticket shows its customer unmasked only after verification, and that view is audited', async () => {
  const t = (await register(agent)).json;
  assert.equal(t.customer.masked, true);
  const v = await agent.post(`/api/v1/customers/${customer.id}/verifications`, { method: 'id_number', passed: true });
  assert.equal(v.status, 201, v.text);
  const got = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(got.customer.masked, false);
  assert.equal(got.customer.phone, '13812345678');
  const audit = await admin.get('/api/v1/audit?action=customer.view_unmasked&limit=200');
  assert.ok(audit.json.items.some((e) => e.target_id === customer.id && e.detail.via === 'ticket'),
    JSON.stringify(audit.json.items.map((e) => e.detail)));
  const other = (await agent2.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(other.customer.masked, true, 'not for a colleague');
});

test('L-4 … L-8: a passed deadline marks the ticket overdue and raises it to the supervisor', async () => {
  const t = (await register(agent)).json;
  await agent.post(`/api/v1/tickets/${t.id}/entries`, { kind: 'reply', body: '已受理' });
  // Waiting for the customer, so that no L-5 status update falls due first.
  for (const to of ['assigned', 'in_progress', 'pending_customer'])
    assert.equal((await agent.post(`/api/v1/tickets/${t.id}/transitions`, { to })).status, 200, to);
  const callback = t.deadlines.find((d) => d.kind === 'callback');
  // Sessions end with the clock's jump, so everyone signs in again after it.
  const at = async (ms) => {
    const r = await (await login(srv.url, 'admin')).post('/api/v1/test/clock', { now: new Date(ms).toISOString() });
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  // One minute before the callback deadline: nothing.
  await at(Date.parse(callback.due_at) - 60000);
  agent = await login(srv.url, 'agent.a');
  assert.equal((await agent.get(`/api/v1/tickets/${t.id}`)).json.overdue, false);
  const moved = await at(Date.parse(callback.due_at) + 1000);
  assert.ok(moved.overdue_marked >= 1);
  agent = await login(srv.url, 'agent.a');
  supervisor = await login(srv.url, 'sup');
  const got = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(got.overdue, true);
  assert.equal(got.escalated_to, 'supervisor');
  assert.ok(got.deadlines.find((d) => d.kind === 'callback').overdue_at);
  assert.equal(got.deadlines.find((d) => d.kind === 'reply').overdue_at, null, 'met deadlines stay met');
  const tl = await agent.get(`/api/v1/tickets/${t.id}/timeline?limit=200`);
  const ev = tl.json.items.find((e) => e.kind === 'overdue');
  assert.equal(ev.detail.rule, 'L-4');
  const list = await supervisor.get('/api/v1/tickets?overdue=true');
  assert.ok(list.json.items.some((x) => x.id === t.id));
});
