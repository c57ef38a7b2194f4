// Complaints, the rest of issue 5: the inbox where major and crisis
// complaints wait for the manager and VP (K-2), the approvals inbox of
// resolutions by role (K-5), the fine an upheld service-caused complaint
// records (K-9, E-8), and the monthly review of last month's closed
// complaints, available from the 1st and overdue from the policy day (K-8).
// The clock is the server's test clock, set in the future so that months
// are fresh.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD } from './lib.mjs';

let srv, admin, c = {}, ids = {}, customer;
const USERS = [['r.agent', 'agent'], ['r.agent2', 'agent'], ['r.lead', 'team_lead'],
  ['r.mgr', 'manager'], ['r.vp', 'vp'], ['r.gm', 'gm'], ['r.vp2', 'vp']];

async function setClock(iso) {
  const r = await admin.post('/api/v1/test/clock', { now: iso });
  assert.equal(r.status, 200, r.text);
  // Sessions end with time moved days on: sign everyone in again.
  admin = await login(srv.url, 'admin');
  for (const [l] of USERS) c[l] = await login(srv.url, l);
}

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  admin = await login(srv.url, 'admin');
  for (const [l, role] of USERS) {
    const res = await admin.post('/api/v1/users', { login: l, name: l, role, password: PASSWORD });
    assert.equal(res.status, 201, res.text);
    ids[l] = res.json.id;
  }
  await setClock('2030-03-12T10:00:00+08:00');
  customer = (await c['r.agent'].post('/api/v1/customers', { name: '孙复核', phone: '13512345678', grade: 'B' })).json;
});
after(async () => { await srv.cleanup(); });

async function complaint(form = {}, who = 'r.agent') {
  const res = await c[who].post('/api/v1/tickets', { type: 'complaint', channel: 'phone',
    subject: '服务态度差', description: '客户投诉客服态度。', customer_id: customer.id,
    complaint: { cause: 'non_quality', non_quality_kind: 'service_attitude', severity: 'general', ...form } });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function close(t, who = 'r.agent') {
  for (const to of ['assigned', 'in_progress', 'resolved', 'closed']) {
    const res = await c[who].post(`/api/v1/tickets/${t.id}/transitions`, { to });
    assert.equal(res.status, 200, `${to}: ${res.text}`);
  }
}

// A complaint resolved with kind and closed.
async function closedWith(kind, form) {
  const t = await complaint(form);
  const r = await c['r.agent'].post(`/api/v1/tickets/${t.id}/resolutions`, { kind, summary: '处理意见' });
  assert.equal(r.status, 201, r.text);
  await close(t);
  return t;
}

const inbox = async (who, q = '') => {
  const res = await c[who].get('/api/v1/inbox' + q);
  assert.equal(res.status, 200, res.text);
  return res.json;
};

test('K-2: a major complaint waits in the inbox of every manager and VP until read; others get none', async () => {
  const before = {};
  for (const l of ['r.mgr', 'r.vp', 'r.vp2', 'r.gm', 'r.agent']) before[l] = (await inbox(l)).unread;
  const t = await complaint({ severity: 'major' });
  for (const l of ['r.mgr', 'r.vp', 'r.vp2']) {
    const box = await inbox(l, '?unread=true');
    assert.equal(box.unread, before[l] + 1, l);
    const n = box.items.find((x) => x.ticket_id === t.id);
    assert.ok(n, `${l} has the complaint`);
    assert.equal(n.kind, 'complaint.reported');
    assert.equal(n.payload.severity, 'major');
    assert.equal(n.payload.number, t.number);
    assert.equal(n.payload.rule, 'K-2');
    assert.equal(n.read_at, null);
  }
  for (const l of ['r.gm', 'r.agent']) assert.equal((await inbox(l)).unread, before[l], l);
  // Read by the manager: gone from the unread list, still in the inbox.
  const mine = (await inbox('r.mgr')).items.find((x) => x.ticket_id === t.id);
  const read = await c['r.mgr'].post(`/api/v1/inbox/${mine.id}/read`);
  assert.equal(read.status, 200, read.text);
  assert.ok(read.json.read_at);
  const again = await c['r.mgr'].post(`/api/v1/inbox/${mine.id}/read`);
  assert.equal(again.json.read_at, read.json.read_at, 'reading twice changes nothing');
  assert.ok(!(await inbox('r.mgr', '?unread=true')).items.some((x) => x.id === mine.id));
  assert.ok((await inbox('r.mgr')).items.some((x) => x.id === mine.id && x.read_at));
  // The VP's copy is the VP's own: still unread, and not the manager's to mark.
  assert.equal((await c['r.vp'].post(`/api/v1/inbox/${mine.id}/read`)).status, 404);
  assert.equal((await c['r.agent'].post('/api/v1/inbox/999999/read')).status, 404);
  assert.equal((await c['r.vp'].get('/api/v1/inbox?unread=maybe')).json.error.field, 'unread');
});

test('K-2: a complaint raised to crisis later reaches the inbox; a refused registration posts nothing', async () => {
  const t = await complaint();
  const n0 = (await inbox('r.vp')).unread;
  const bad = await c['r.agent'].post('/api/v1/tickets', { type: 'complaint', channel: 'phone',
    subject: 'x', description: 'x', customer_id: customer.id, complaint: { cause: 'bad', severity: 'crisis' } });
  assert.equal(bad.status, 422);
  assert.equal((await inbox('r.vp')).unread, n0, 'nothing half-written');
  const res = await c['r.agent'].patch(`/api/v1/tickets/${t.id}`, { complaint: { severity: 'crisis' } });
  assert.equal(res.status, 200, res.text);
  const box = await inbox('r.vp', '?unread=true');
  assert.equal(box.unread, n0 + 1);
  assert.equal(box.items[0].ticket_id, t.id);
  assert.equal(box.items[0].payload.severity, 'crisis');
});

test('K-2: the inbox post raises inbox.new on the recipient\'s event stream', async () => {
  const ac = new AbortController();
  const res = await fetch(srv.url + '/api/v1/events', { headers: { authorization: `Bearer ${c['r.vp2'].token}` }, signal: ac.signal });
  assert.equal(res.status, 200);
  const reader = res.body.getReader();
  let text = '';
  const t = await complaint({ severity: 'crisis' });
  // Streams may carry earlier events too: wait for this complaint's post.
  const mine = () => text.split('\n\n').some((b) => /^event: inbox\.new$/m.test(b) && b.includes(`"ticket_id":"${t.id}"`));
  const deadline = Date.now() + 5000;
  const dec = new TextDecoder();
  // One read in flight at a time, so that no chunk is dropped on a timeout.
  let pending = reader.read();
  while (Date.now() < deadline && !mine()) {
    const r = await Promise.race([pending, new Promise((res) => setTimeout(() => res(null), 250))]);
    if (!r) continue;
    if (r.done) break;
    text += dec.decode(r.value, { stream: true });
    pending = reader.read();
  }
  pending.catch(() => {}); // the read in flight ends with the abort
  ac.abort();
  assert.ok(mine(), text);
});

test('K-5: the approvals inbox lists what each role may decide; approving twice is 409', async () => {
  const mk = async (amount) => {
    const t = await complaint();
    const r = await c['r.agent'].post(`/api/v1/tickets/${t.id}/resolutions`, { kind: 'compensation', amount_fen: amount, summary: '赔偿' });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const m = await mk(100000), v = await mk(100001), g = await mk(500000);
  const list = async (who) => (await c[who].get('/api/v1/resolutions?decidable=true&limit=200')).json.items.map((x) => x.id);
  const mgr = await list('r.mgr'), vp = await list('r.vp'), gm = await list('r.gm');
  assert.ok(mgr.includes(m.id) && !mgr.includes(v.id) && !mgr.includes(g.id));
  assert.ok(vp.includes(m.id) && vp.includes(v.id) && !vp.includes(g.id));
  assert.ok(gm.includes(m.id) && gm.includes(v.id) && gm.includes(g.id));
  assert.deepEqual(await list('r.agent'), [], 'an agent decides nothing');
  // The VP's approval inbox entry for v.
  assert.ok((await inbox('r.vp')).items.some((x) => x.kind === 'complaint.approval_needed' && x.payload.resolution_id === v.id));
  assert.ok(!(await inbox('r.mgr')).items.some((x) => x.kind === 'complaint.approval_needed' && x.payload.resolution_id === v.id));
  const first = await c['r.vp'].post(`/api/v1/resolutions/${v.id}/decisions`, { decision: 'approve' });
  assert.equal(first.status, 200, first.text);
  const twice = await c['r.gm'].post(`/api/v1/resolutions/${v.id}/decisions`, { decision: 'approve' });
  assert.equal(twice.status, 409);
  assert.equal(twice.json.error.rule, 'K-5');
  assert.ok(!(await list('r.gm')).includes(v.id), 'decided: out of the inbox');
  assert.equal((await c['r.mgr'].get('/api/v1/resolutions?status=bogus')).json.error.field, 'status');
  const approved = (await c['r.mgr'].get('/api/v1/resolutions?status=approved&limit=200')).json.items;
  assert.ok(approved.some((x) => x.id === v.id));
});

test('K-9/E-8: an upheld service-caused complaint records the fine: 30, then 60, then dismissal proposed', async () => {
  const form = { service_caused: true, responsible_user_id: ids['r.agent2'] };
  const t1 = await closedWith('explanation', form);
  let fines = (await c['r.mgr'].get(`/api/v1/complaint-fines?user_id=${ids['r.agent2']}`)).json.items;
  assert.equal(fines.length, 1);
  assert.deepEqual([fines[0].ticket_id, fines[0].occurrence, fines[0].fine_fen, fines[0].propose_dismissal, fines[0].rule, fines[0].role],
    [t1.id, 1, 3000, false, 'E-8', 'responsible']);
  // Reopened and closed again: still one entry for the complaint.
  for (const to of ['reopened', 'in_progress', 'resolved', 'closed'])
    assert.equal((await c['r.agent'].post(`/api/v1/tickets/${t1.id}/transitions`, { to })).status, 200, to);
  await closedWith('explanation', form);
  await closedWith('explanation', form);
  fines = (await c['r.gm'].get(`/api/v1/complaint-fines?user_id=${ids['r.agent2']}`)).json.items;
  assert.deepEqual(fines.map((f) => [f.occurrence, f.fine_fen, f.propose_dismissal]),
    [[1, 3000, false], [2, 6000, false], [3, 6000, true]]);
  // Paged like every list.
  const p1 = (await c['r.gm'].get(`/api/v1/complaint-fines?user_id=${ids['r.agent2']}&limit=2`)).json;
  assert.equal(p1.items.length, 2);
  assert.ok(p1.next_cursor);
  const p2 = (await c['r.gm'].get(`/api/v1/complaint-fines?user_id=${ids['r.agent2']}&limit=2&cursor=${encodeURIComponent(p1.next_cursor)}`)).json;
  assert.deepEqual(p2.items.map((f) => f.occurrence), [3]);
  assert.equal(p2.next_cursor, null);
  const tl = (await c['r.agent'].get(`/api/v1/tickets/${t1.id}/timeline?limit=200`)).json.items;
  assert.equal(tl.filter((e) => e.kind === 'complaint_fine_recorded').length, 1);
});

test('K-9: not upheld, not service-caused, or nobody responsible: no fine', async () => {
  const who = ids['r.lead'];
  await closedWith('not_upheld', { service_caused: true, responsible_user_id: who });
  await closedWith('explanation', { service_caused: false, responsible_user_id: who });
  await closedWith('explanation', { service_caused: true });
  const t = await complaint({ service_caused: true, responsible_user_id: who });
  await close(t); // no resolution at all
  assert.deepEqual((await c['r.mgr'].get(`/api/v1/complaint-fines?user_id=${who}`)).json.items, []);
  assert.equal((await c['r.agent'].get('/api/v1/complaint-fines')).status, 403);
  assert.equal((await c['r.mgr'].get('/api/v1/complaint-fines?user_id=abc')).json.error.field, 'user_id');
});

test('K-8: last month\'s closed complaints are reviewed from the 1st, overdue from the policy day, once', async () => {
  // A complaint closed in March with a fine, and one still open (not listed).
  const fined = await closedWith('explanation', { service_caused: true, responsible_user_id: ids['r.agent'],
    responsible_department: '客服部' });
  const open = await complaint();
  let res = await c['r.gm'].get('/api/v1/complaint-reviews/2030-03');
  assert.equal(res.status, 422, 'March is not over');
  assert.equal(res.json.error.rule, 'K-8');
  await setClock('2030-04-01T00:00:00+08:00');
  res = await c['r.vp'].get('/api/v1/complaint-reviews/2030-03');
  assert.equal(res.status, 200, res.text);
  const rv = res.json;
  assert.deepEqual([rv.month, rv.opens_on, rv.due_before, rv.state, rv.overdue, rv.review],
    ['2030-03', '2030-04-01', '2030-04-10', 'open', false, null]);
  const numbers = rv.items.map((x) => x.ticket_id);
  assert.ok(numbers.includes(fined.id) && !numbers.includes(open.id));
  const item = rv.items.find((x) => x.ticket_id === fined.id);
  assert.equal(item.responsible_user_id, ids['r.agent']);
  assert.equal(item.responsible_department, '客服部');
  assert.equal(item.upheld, true);
  assert.equal(item.resolution.kind, 'explanation');
  assert.equal(item.proposed_fines.length, 1);
  assert.equal(item.proposed_fines[0].fine_fen, 3000);
  await setClock('2030-04-09T23:59:00+08:00');
  assert.equal((await c['r.gm'].get('/api/v1/complaint-reviews/2030-03')).json.state, 'open');
  await setClock('2030-04-10T00:00:00+08:00');
  res = await c['r.gm'].get('/api/v1/complaint-reviews/2030-03');
  assert.equal(res.json.state, 'overdue');
  assert.equal(res.json.overdue, true);
  // Only the GM office records it; every complaint needs one valid decision.
  const decisions = rv.items.map((x) => ({ ticket_id: x.ticket_id, sanction: x.ticket_id === fined.id ? 'warning' : 'none',
    ...(x.ticket_id === fined.id ? { fine_fen: 3000, comment: '首次' } : {}) }));
  assert.equal((await c['r.mgr'].post('/api/v1/complaint-reviews/2030-03', { decisions })).status, 403);
  const bad = [
    [{ decisions: decisions.slice(1) }, 'decisions'],
    [{ decisions: [...decisions, decisions[0]] }, `decisions[${decisions.length}].ticket_id`],
    [{ decisions: [{ ...decisions[0], ticket_id: open.id }, ...decisions.slice(1)] }, 'decisions[0].ticket_id'],
    [{ decisions: [{ ...decisions[0], sanction: 'fired' }, ...decisions.slice(1)] }, 'decisions[0].sanction'],
    [{ decisions: [{ ...decisions[0], fine_fen: -5 }, ...decisions.slice(1)] }, 'decisions[0].fine_fen'],
    [{}, 'decisions'],
  ];
  for (const [body, field] of bad) {
    const r = await c['r.gm'].post('/api/v1/complaint-reviews/2030-03', body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.equal(r.json.error.field, field, r.text);
  }
  assert.equal((await c['r.gm'].get('/api/v1/complaint-reviews/2030-03')).json.review, null, 'nothing written');
  res = await c['r.gm'].post('/api/v1/complaint-reviews/2030-03', { decisions, comment: '三月复核' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.json.state, 'reviewed');
  assert.equal(res.json.overdue, false);
  assert.equal(res.json.review.reviewed_by, ids['r.gm']);
  assert.equal(res.json.review.comment, '三月复核');
  const d = res.json.items.find((x) => x.ticket_id === fined.id).decision;
  assert.deepEqual(d, { sanction: 'warning', fine_fen: 3000, comment: '首次' });
  const twice = await c['r.gm'].post('/api/v1/complaint-reviews/2030-03', { decisions });
  assert.equal(twice.status, 409);
  assert.equal(twice.json.error.rule, 'K-8');
  const audit = (await admin.get('/api/v1/audit?action=complaint_review.create')).json.items;
  assert.equal(audit.length, 1);
  assert.equal((await c['r.gm'].get('/api/v1/complaint-reviews/2030-13')).json.error.field, 'month');
  assert.equal((await c['r.agent'].get('/api/v1/complaint-reviews/2030-03')).status, 403);
});
