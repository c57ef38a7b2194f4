// Complaints (SPEC K): the complaint form (K-1 cause and product details,
// K-2 severity, K-3 responsibility) stored with the complaint ticket; major
// and crisis complaints critical (T-9) and reported to the manager and VP at
// once (K-2); resolutions and the approval authority by amount (K-4, K-5,
// boundaries through the API); the customer's refusal opening a linked
// complaint, the chain visible from either end (K-6); bad input.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD } from './lib.mjs';

let srv, admin, agent, agent2, supervisor, manager, vp, gm, customer, ids = {};

before(async () => {
  srv = await startServer();
  admin = await login(srv.url, 'admin');
  for (const [l, role] of [['k.agent', 'agent'], ['k.agent2', 'agent'], ['k.sup', 'supervisor'],
    ['k.mgr', 'manager'], ['k.vp', 'vp'], ['k.gm', 'gm']]) {
    const res = await admin.post('/api/v1/users', { login: l, name: l, role, password: PASSWORD });
    assert.equal(res.status, 201, res.text);
    ids[role === 'agent' && l === 'k.agent2' ? 'agent2' : role] = res.json.id;
  }
  agent = await login(srv.url, 'k.agent');
  agent2 = await login(srv.url, 'k.agent2');
  supervisor = await login(srv.url, 'k.sup');
  manager = await login(srv.url, 'k.mgr');
  vp = await login(srv.url, 'k.vp');
  gm = await login(srv.url, 'k.gm');
  customer = (await agent.post('/api/v1/customers', { name: '赵投诉', phone: '13612345678', grade: 'B' })).json;
});
after(async () => { await srv.cleanup(); });

const form = (extra = {}) => ({ cause: 'quality', severity: 'general', service_caused: false,
  order_no: 'SO-2026-0042', batch: 'B2611', delivered_on: '2026-11-01', defective_qty: 3, ...extra });

async function complaint(extra = {}, c = agent) {
  const res = await c.post('/api/v1/tickets', { type: 'complaint', channel: 'phone',
    subject: '热水器漏水', description: '客户反映热水器到货后漏水。', customer_id: customer.id, ...extra });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

const timeline = async (id) => (await agent.get(`/api/v1/tickets/${id}/timeline?limit=200`)).json.items;

// Opens an event stream and collects parsed events until stopped.
function listen(c) {
  const ac = new AbortController();
  const events = [];
  const ready = fetch(srv.url + '/api/v1/events', { headers: { authorization: `Bearer ${c.token}` },
    signal: ac.signal }).then(async (res) => {
    assert.equal(res.status, 200);
    const reader = res.body.getReader();
    const dec = new TextDecoder();
    let buf = '';
    (async () => {
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buf += dec.decode(value, { stream: true });
          let i;
          while ((i = buf.indexOf('\n\n')) >= 0) {
            const block = buf.slice(0, i);
            buf = buf.slice(i + 2);
            const ev = {};
            for (const line of block.split('\n')) {
              const m = /^(id|event|data): (.*)$/.exec(line);
              if (m) ev[m[1]] = m[1] === 'data' ? JSON.parse(m[2]) : m[2];
            }
            if (ev.event) events.push(ev);
          }
        }
      } catch { /* aborted */ }
    })();
  });
  return { events, ready, stop: () => ac.abort() };
}

async function waitFor(list, pred, ms = 2000) {
  const start = Date.now();
  while (Date.now() - start < ms) {
    const e = list.events.find(pred);
    if (e) return e;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('event not received: ' + JSON.stringify(list.events.map((e) => e.event)));
}

test('K-1/K-3: the complaint form is stored with the ticket and shown in it', async () => {
  const t = await complaint({ complaint: form({ cause: 'non_quality', non_quality_kind: 'transport',
    responsible_user_id: ids.agent2, responsible_department: '物流部' }) });
  assert.equal(t.priority, 'normal');
  assert.equal(t.parent_id, null);
  const c = t.complaint;
  assert.equal(c.cause, 'non_quality');
  assert.equal(c.non_quality_kind, 'transport');
  assert.equal(c.severity, 'general');
  assert.equal(c.service_caused, false);
  assert.equal(c.responsible_user_id, ids.agent2);
  assert.equal(c.responsible_department, '物流部');
  assert.equal(c.order_no, 'SO-2026-0042');
  assert.equal(c.batch, 'B2611');
  assert.equal(c.delivered_on, '2026-11-01');
  assert.equal(c.defective_qty, 3);
  assert.deepEqual(c.chain.map((x) => x.id), [t.id]);
  assert.deepEqual(c.resolutions, []);
  // PATCH changes members; the change is on the timeline.
  const p = await agent.patch(`/api/v1/tickets/${t.id}`, { complaint: { cause: 'quality', service_caused: true,
    investigation: '密封圈老化' } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.complaint.cause, 'quality');
  assert.equal(p.json.complaint.non_quality_kind, null, 'a quality problem has no non-quality kind');
  assert.equal(p.json.complaint.service_caused, true);
  assert.equal(p.json.complaint.investigation, '密封圈老化');
  assert.equal(p.json.complaint.order_no, 'SO-2026-0042', 'members not sent stay');
  assert.equal(p.json.version, t.version + 1);
  const ev = (await timeline(t.id)).find((e) => e.kind === 'updated');
  assert.deepEqual(ev.detail.changes.complaint.cause, { before: 'non_quality', after: 'quality' });
  // Other tickets show no form.
  const inq = await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'web', subject: '咨询',
    description: '保修期多久', customer_id: customer.id });
  assert.equal(inq.json.complaint, null);
});

test('K-2/T-9: a major complaint is critical and reported to the manager and VP at once', async () => {
  const m = listen(manager), v = listen(vp), other = listen(agent2);
  await Promise.all([m.ready, v.ready, other.ready]);
  const t = await complaint({ priority: 'normal', complaint: form({ severity: 'major' }) });
  assert.equal(t.priority, 'critical');
  const em = await waitFor(m, (e) => e.event === 'complaint.reported' && e.data.ticket_id === t.id);
  assert.equal(em.data.severity, 'major');
  assert.equal(em.data.rule, 'K-2');
  await waitFor(v, (e) => e.event === 'complaint.reported' && e.data.ticket_id === t.id);
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!other.events.some((e) => e.event === 'complaint.reported'), 'not to an unrelated agent');
  m.stop(); v.stop(); other.stop();
  assert.ok((await timeline(t.id)).some((e) => e.kind === 'complaint_reported' && e.detail.rule === 'K-2'));
  // T-9: the priority cannot be lowered below what the severity demands.
  const lower = await agent.patch(`/api/v1/tickets/${t.id}`, { priority: 'normal' });
  assert.equal(lower.status, 422);
  assert.equal(lower.json.error.rule, 'T-9');
});

test('K-2/T-9: raising a general complaint to crisis makes it critical and reports it', async () => {
  const t = await complaint({ complaint: form() });
  assert.equal(t.priority, 'normal');
  const v = listen(vp);
  await v.ready;
  const p = await agent.patch(`/api/v1/tickets/${t.id}`, { complaint: { severity: 'crisis' } });
  assert.equal(p.status, 200, p.text);
  assert.equal(p.json.priority, 'critical');
  assert.equal(p.json.complaint.severity, 'crisis');
  await waitFor(v, (e) => e.event === 'complaint.reported' && e.data.ticket_id === t.id);
  v.stop();
  const reported = (await timeline(t.id)).filter((e) => e.kind === 'complaint_reported');
  assert.equal(reported.length, 1);
  // Crisis → major is still reported: no second report.
  await agent.patch(`/api/v1/tickets/${t.id}`, { complaint: { severity: 'major' } });
  assert.equal((await timeline(t.id)).filter((e) => e.kind === 'complaint_reported').length, 1);
});

test('K-1/K-2: bad complaint forms are refused naming the field, and write nothing', async () => {
  const before = (await agent.get('/api/v1/tickets?type=complaint&limit=200')).json.items.length;
  const cases = [
    [{ complaint: form({ severity: 'severe' }) }, 'complaint.severity'],
    [{ complaint: form({ cause: 'weather' }) }, 'complaint.cause'],
    [{ complaint: form({ non_quality_kind: 'transport' }) }, 'complaint.non_quality_kind'],
    [{ complaint: form({ cause: 'non_quality', non_quality_kind: 'aliens' }) }, 'complaint.non_quality_kind'],
    [{ complaint: { cause: 'quality' } }, 'complaint.severity'],
    [{ complaint: { severity: 'general' } }, 'complaint.cause'],
    [{ complaint: form({ defective_qty: -1 }) }, 'complaint.defective_qty'],
    [{ complaint: form({ defective_qty: 1.5 }) }, 'complaint.defective_qty'],
    [{ complaint: form({ delivered_on: '2026-13-01' }) }, 'complaint.delivered_on'],
    [{ complaint: form({ responsible_user_id: '999999' }) }, 'complaint.responsible_user_id'],
    [{ complaint: form({ colour: 'red' }) }, 'complaint.colour'],
    [{ type: 'inquiry', complaint: form() }, 'complaint'],
  ];
  for (const [extra, field] of cases) {
    const res = await agent.post('/api/v1/tickets', { type: 'complaint', channel: 'phone', subject: '坏',
      description: '坏', customer_id: customer.id, ...extra });
    assert.equal(res.status, 422, `${field}: ${res.text}`);
    assert.equal(res.json.error.field, field, res.text);
  }
  assert.equal((await agent.get('/api/v1/tickets?type=complaint&limit=200')).json.items.length, before,
    'no ticket was registered');
  // PATCH: the same checks; the ticket stays as it was.
  const t = await complaint({ complaint: form() });
  const bad = await agent.patch(`/api/v1/tickets/${t.id}`, { subject: '新标题', complaint: { severity: 'huge' } });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'complaint.severity');
  const now = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(now.subject, t.subject);
  assert.equal(now.version, t.version);
  const inq = await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'web', subject: '咨询',
    description: '咨询', customer_id: customer.id });
  const onInquiry = await agent.patch(`/api/v1/tickets/${inq.json.id}`, { complaint: form() });
  assert.equal(onInquiry.status, 422);
  assert.equal(onInquiry.json.error.field, 'complaint');
  // K-1: once a complaint has a form, its type stays complaint.
  const retype = await agent.patch(`/api/v1/tickets/${t.id}`, { type: 'inquiry' });
  assert.equal(retype.status, 409);
  assert.equal(retype.json.error.rule, 'K-1');
});

const propose = (c, id, body) => c.post(`/api/v1/tickets/${id}/resolutions`, body);

test('K-5: the required approver follows the amount at the boundaries', async () => {
  const cases = [[100000, 'manager'], [100001, 'vp'], [499999, 'vp'], [500000, 'gm'], [0, null]];
  for (const [amount, role] of cases) {
    const t = await complaint({ complaint: form() });
    const res = await propose(agent, t.id, { kind: 'compensation', amount_fen: amount, summary: `赔偿 ${amount} 分` });
    assert.equal(res.status, 201, res.text);
    assert.equal(res.json.required_approver_role, role, `amount ${amount}`);
    assert.equal(res.json.status, role ? 'pending_approval' : 'approved', `amount ${amount}`);
    assert.equal(res.json.amount_fen, amount);
  }
  const t = await complaint({ complaint: form() });
  const none = await propose(agent, t.id, { kind: 'explanation', summary: '向客户解释安装要求' });
  assert.equal(none.status, 201, none.text);
  assert.equal(none.json.required_approver_role, null);
  assert.equal(none.json.status, 'approved');
  const ret = await propose(agent, (await complaint({ complaint: form() })).id,
    { kind: 'return', quantity: 3, summary: '退货三台' });
  assert.equal(ret.status, 201, ret.text);
  assert.equal(ret.json.quantity, 3);
  assert.equal(ret.json.status, 'approved');
});

test('K-5: a lower role is refused with 403 and nothing written; a higher role approves; twice is 409', async () => {
  const t = await complaint({ complaint: form() });
  const r = (await propose(agent, t.id, { kind: 'compensation', amount_fen: 100001, summary: '赔偿1000.01元' })).json;
  assert.equal(r.required_approver_role, 'vp');
  const events = (await timeline(t.id)).length;
  for (const c of [manager, agent, supervisor]) {
    const res = await c.post(`/api/v1/resolutions/${r.id}/decisions`, { decision: 'approve' });
    assert.equal(res.status, 403, res.text);
    assert.equal(res.json.error.code, 'forbidden');
    assert.equal(res.json.error.rule, 'K-5');
  }
  const rej = await manager.post(`/api/v1/resolutions/${r.id}/decisions`, { decision: 'reject' });
  assert.equal(rej.status, 403);
  assert.equal(rej.json.error.rule, 'K-5');
  assert.equal((await agent.get(`/api/v1/resolutions/${r.id}`)).json.status, 'pending_approval');
  assert.equal((await timeline(t.id)).length, events, 'nothing written on refusal');
  // K-5: not told to the customer before approval.
  const early = await agent.post(`/api/v1/resolutions/${r.id}/send`, {});
  assert.equal(early.status, 409, early.text);
  assert.equal(early.json.error.rule, 'K-5');
  // A higher role (the GM) may approve what the VP must.
  const ok = await gm.post(`/api/v1/resolutions/${r.id}/decisions`, { decision: 'approve', comment: '同意' });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.status, 'approved');
  assert.equal(ok.json.decided_role, 'gm');
  assert.equal(ok.json.decided_by, ids.gm);
  const twice = await vp.post(`/api/v1/resolutions/${r.id}/decisions`, { decision: 'approve' });
  assert.equal(twice.status, 409);
  const again = await gm.post(`/api/v1/resolutions/${r.id}/decisions`, { decision: 'reject' });
  assert.equal(again.status, 409);
  const tl = await timeline(t.id);
  assert.ok(tl.some((e) => e.kind === 'resolution_approved' && e.detail.decided_role === 'gm'));
  const sent = await agent.post(`/api/v1/resolutions/${r.id}/send`);
  assert.equal(sent.status, 200, sent.text);
  assert.equal(sent.json.status, 'sent');
  const resend = await agent.post(`/api/v1/resolutions/${r.id}/send`);
  assert.equal(resend.status, 409);
  // The approval trail is in the ticket (K-3).
  const view = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.deepEqual(view.complaint.resolutions.map((x) => x.status), ['sent']);
});

test('K-5: each role approves exactly up to its authority', async () => {
  const cases = [[100000, manager, true], [100001, manager, false], [100001, vp, true],
    [499999, vp, true], [500000, vp, false], [500000, gm, true], [100000, vp, true]];
  for (const [amount, who, allowed] of cases) {
    const t = await complaint({ complaint: form() });
    const r = (await propose(agent, t.id, { kind: 'discount', amount_fen: amount, summary: '折扣' })).json;
    const res = await who.post(`/api/v1/resolutions/${r.id}/decisions`, { decision: 'approve' });
    assert.equal(res.status, allowed ? 200 : 403, `${amount}: ${res.text}`);
    if (!allowed) assert.equal(res.json.error.rule, 'K-5');
  }
});

test('K-4/K-5: bad resolutions are refused naming the field, and write nothing', async () => {
  const t = await complaint({ complaint: form() });
  const cases = [
    [{ kind: 'compensation', amount_fen: -1, summary: 'x' }, 'amount_fen'],
    [{ kind: 'compensation', amount_fen: 1000.5, summary: 'x' }, 'amount_fen'],
    [{ kind: 'compensation', amount_fen: '1000', summary: 'x' }, 'amount_fen'],
    [{ kind: 'compensation', summary: 'x' }, 'amount_fen'],
    [{ kind: 'explanation', amount_fen: 100, summary: 'x' }, 'amount_fen'],
    [{ kind: 'return', summary: 'x' }, 'quantity'],
    [{ kind: 'return', quantity: 0, summary: 'x' }, 'quantity'],
    [{ kind: 'refund', summary: 'x' }, 'kind'],
    [{ kind: 'explanation' }, 'summary'],
    [{ kind: 'explanation', summary: '   ' }, 'summary'],
  ];
  for (const [body, field] of cases) {
    const res = await propose(agent, t.id, body);
    assert.equal(res.status, 422, `${JSON.stringify(body)}: ${res.text}`);
    assert.equal(res.json.error.field, field, res.text);
  }
  assert.deepEqual((await agent.get(`/api/v1/tickets/${t.id}`)).json.complaint.resolutions, []);
  const inq = await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'web', subject: '咨询',
    description: '咨询', customer_id: customer.id });
  const onInquiry = await propose(agent, inq.json.id, { kind: 'explanation', summary: 'x' });
  assert.equal(onInquiry.status, 422);
  assert.equal(onInquiry.json.error.rule, 'K-4');
  assert.equal((await propose(agent, 999999, { kind: 'explanation', summary: 'x' })).status, 404);
  assert.equal((await vp.post('/api/v1/resolutions/999999/decisions', { decision: 'approve' })).status, 404);
  const r = (await propose(agent, t.id, { kind: 'compensation', amount_fen: 5000, summary: '赔偿' })).json;
  const badDecision = await manager.post(`/api/v1/resolutions/${r.id}/decisions`, { decision: 'maybe' });
  assert.equal(badDecision.status, 422);
  assert.equal(badDecision.json.error.field, 'decision');
  // One resolution at a time waits for approval or sending.
  const second = await propose(agent, t.id, { kind: 'explanation', summary: 'y' });
  assert.equal(second.status, 409);
  assert.equal(second.json.error.rule, 'K-4');
  // Someone who does not handle the complaint may not propose.
  const t2 = await complaint({ complaint: form() });
  assert.equal((await propose(agent2, t2.id, { kind: 'explanation', summary: 'z' })).status, 403);
});

test('K-6: a refused resolution opens a linked complaint; the chain is visible from either end', async () => {
  const first = await complaint({ complaint: form({ severity: 'general', responsible_department: '售后部' }) });
  const noAnswer = await agent.post(`/api/v1/tickets/${first.id}/customer-responses`, { accepted: false });
  assert.equal(noAnswer.status, 409, 'nothing was sent yet');
  assert.equal(noAnswer.json.error.rule, 'K-6');
  const r1 = (await propose(agent, first.id, { kind: 'compensation', amount_fen: 50000, summary: '赔偿500元' })).json;
  assert.equal((await manager.post(`/api/v1/resolutions/${r1.id}/decisions`, { decision: 'approve' })).status, 200);
  assert.equal((await agent.post(`/api/v1/resolutions/${r1.id}/send`, { comment: '电话告知客户' })).status, 200);
  const refused = await agent.post(`/api/v1/tickets/${first.id}/customer-responses`,
    { accepted: false, comment: '客户要求退货' });
  assert.equal(refused.status, 201, refused.text);
  const second = refused.json;
  assert.notEqual(second.id, first.id);
  assert.equal(second.type, 'complaint');
  assert.equal(second.parent_id, first.id);
  assert.equal(second.complaint.parent_id, first.id);
  assert.equal(second.complaint.root_id, first.id);
  assert.equal(second.complaint.responsible_department, '售后部', 'the form is carried over');
  assert.equal(second.customer_id, first.customer_id);
  assert.equal(second.status, 'new');
  assert.deepEqual(second.complaint.chain.map((x) => x.id), [first.id, second.id]);
  const r1now = (await agent.get(`/api/v1/resolutions/${r1.id}`)).json;
  assert.equal(r1now.status, 'refused');
  assert.equal(r1now.follow_up_ticket_id, second.id);
  const firstNow = (await agent.get(`/api/v1/tickets/${first.id}`)).json;
  assert.deepEqual(firstNow.complaint.chain.map((x) => x.id), [first.id, second.id]);
  assert.ok((await timeline(first.id)).some((e) => e.kind === 'resolution_refused' && e.detail.follow_up_id === second.id));
  assert.ok((await timeline(second.id)).some((e) => e.kind === 'complaint_linked' && e.detail.parent_id === first.id));
  // Refused again: the chain grows and every member shows all of it.
  const r2 = (await propose(agent, second.id, { kind: 'explanation', summary: '再次解释' })).json;
  await agent.post(`/api/v1/resolutions/${r2.id}/send`);
  const third = (await agent.post(`/api/v1/tickets/${second.id}/customer-responses`, { accepted: false })).json;
  assert.equal(third.parent_id, second.id);
  const chain = [first.id, second.id, third.id];
  for (const id of chain)
    assert.deepEqual((await agent.get(`/api/v1/tickets/${id}`)).json.complaint.chain.map((x) => x.id), chain, `from ${id}`);
  // Accepted: no new complaint.
  const r3 = (await propose(agent, third.id, { kind: 'explanation', summary: '第三次' })).json;
  await agent.post(`/api/v1/resolutions/${r3.id}/send`);
  const ok = await agent.post(`/api/v1/tickets/${third.id}/customer-responses`, { accepted: true });
  assert.equal(ok.status, 200, ok.text);
  assert.equal(ok.json.id, third.id);
  assert.equal(ok.json.complaint.resolutions.at(-1).status, 'accepted');
  assert.equal(ok.json.complaint.chain.length, 3);
  const twice = await agent.post(`/api/v1/tickets/${third.id}/customer-responses`, { accepted: false });
  assert.equal(twice.status, 409);
  assert.equal(twice.json.error.rule, 'K-6');
});

test('K-5/S-3: decisions and sending are audited', async () => {
  const t = await complaint({ complaint: form() });
  const r = (await propose(agent, t.id, { kind: 'compensation', amount_fen: 600000, summary: '大额赔偿' })).json;
  assert.equal(r.required_approver_role, 'gm');
  await gm.post(`/api/v1/resolutions/${r.id}/decisions`, { decision: 'approve' });
  const audit = await gm.get('/api/v1/audit?action=ticket.resolution_approved');
  assert.equal(audit.status, 200, audit.text);
  assert.ok(audit.json.items.some((e) => e.target_id === t.id), audit.text);
  const verify = await gm.get('/api/v1/audit/verify');
  assert.equal(verify.json.ok, true);
});
