// Dispatch of service work (SPEC D, L-10) and the K-7 documents: a manager
// dispatches a service or repair ticket to a technician as a voucher (D-2);
// only that technician starts, records and completes it (403 for another);
// the customer's signature is a PNG or JPEG of at most 256 KiB (422 for
// something else, 413 above) served back with its content type; the fee is
// integer fen (D-3) and only on paid service (D-1); off-site work waits for
// an approved request (D-4); work not dispatched heads the next day's list
// (L-10); approved discount and return resolutions create a discount
// certificate and a return slip whose received quantity the manager
// confirms (K-7); the finance list shows them with the fees (D-3); the
// technician who completed the voucher is credited with the callback survey
// (V-4).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD } from './lib.mjs';

const DAY = 86400000;
// A 1×1 PNG and the start of a JPEG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01]);
let srv, admin, agent, manager, tech1, tech2, vp, ids = {}, customer;

async function user(login, role) {
  const res = await admin.post('/api/v1/users', { login, name: login, role, password: PASSWORD });
  assert.equal(res.status, 201, res.text);
  ids[login] = res.json.id;
}

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  admin = await login(srv.url, 'admin');
  for (const [l, r] of [['d.agent', 'agent'], ['d.manager', 'manager'], ['d.tech1', 'technician'],
    ['d.tech2', 'technician'], ['d.vp', 'vp']]) await user(l, r);
  agent = await login(srv.url, 'd.agent');
  manager = await login(srv.url, 'd.manager');
  tech1 = await login(srv.url, 'd.tech1');
  tech2 = await login(srv.url, 'd.tech2');
  vp = await login(srv.url, 'd.vp');
  customer = (await agent.post('/api/v1/customers', { name: '孙上门', phone: '13612345678',
    address: '上海市浦东新区世纪大道 1 号' })).json;
});
after(async () => { await srv.cleanup(); });

// Moves the test clock; sessions may end with the jump, so everyone signs in again.
async function setClock(ms) {
  const r = await admin.post('/api/v1/test/clock', { now: new Date(ms).toISOString() });
  assert.equal(r.status, 200, r.text);
  admin = await login(srv.url, 'admin');
  agent = await login(srv.url, 'd.agent');
  manager = await login(srv.url, 'd.manager');
  tech1 = await login(srv.url, 'd.tech1');
  tech2 = await login(srv.url, 'd.tech2');
  vp = await login(srv.url, 'd.vp');
}

async function ticket(type = 'service', extra = {}) {
  const res = await agent.post('/api/v1/tickets', { type, channel: 'phone', subject: `${type} 上门`,
    description: '空调不制冷,请上门检修。', customer_id: customer.id, service_class: 'paid', ...extra });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function dispatch(t, extra = {}) {
  const res = await manager.post(`/api/v1/tickets/${t.id}/vouchers`, { technician_id: ids['d.tech1'],
    scheduled_on: '2026-11-26', address: '上海市浦东新区世纪大道 1 号', ...extra });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

async function started(extra) {
  const v = await dispatch(await ticket(), extra);
  const res = await tech1.post(`/api/v1/vouchers/${v.id}/start`);
  assert.equal(res.status, 200, res.text);
  return res.json;
}

test('D-2: a manager dispatches a service ticket; the voucher has a number and meets L-10', async () => {
  const t = await ticket('repair');
  assert.ok(t.deadlines.some((d) => d.kind === 'dispatch' && !d.met_at), 'L-10 deadline set');
  const v = await dispatch(t);
  assert.match(v.number, /^PZ-\d{8}-\d{4}$/);
  assert.equal(v.status, 'dispatched');
  assert.equal(v.technician_id, ids['d.tech1']);
  assert.equal(v.ticket_number, t.number);
  const after = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.ok(after.deadlines.find((d) => d.kind === 'dispatch').met_at, 'L-10 met by the dispatch');
  // A second voucher while this one is in hand is 409.
  const again = await manager.post(`/api/v1/tickets/${t.id}/vouchers`, { technician_id: ids['d.tech2'],
    scheduled_on: '2026-11-26', address: 'x' });
  assert.equal(again.status, 409, again.text);
  // The technician sees it among their vouchers; the other technician not.
  assert.ok((await tech1.get('/api/v1/vouchers')).json.items.some((x) => x.id === v.id));
  assert.ok(!(await tech2.get('/api/v1/vouchers')).json.items.some((x) => x.id === v.id));
  const other = await tech2.get(`/api/v1/vouchers/${v.id}`);
  assert.equal(other.status, 403);
  assert.equal(other.json.error.rule, 'D-2');
});

test('D-2: only service and repair tickets, only managers, only technicians as receivers', async () => {
  const inquiry = await ticket('inquiry', { service_class: undefined });
  const res = await manager.post(`/api/v1/tickets/${inquiry.id}/vouchers`, { technician_id: ids['d.tech1'],
    scheduled_on: '2026-11-26', address: 'x' });
  assert.equal(res.status, 422);
  assert.equal(res.json.error.rule, 'D-2');
  const t = await ticket();
  const byAgent = await agent.post(`/api/v1/tickets/${t.id}/vouchers`, { technician_id: ids['d.tech1'],
    scheduled_on: '2026-11-26', address: 'x' });
  assert.equal(byAgent.status, 403);
  const toAgent = await manager.post(`/api/v1/tickets/${t.id}/vouchers`, { technician_id: ids['d.agent'],
    scheduled_on: '2026-11-26', address: 'x' });
  assert.equal(toAgent.status, 422);
  assert.equal(toAgent.json.error.field, 'technician_id');
  const badDate = await manager.post(`/api/v1/tickets/${t.id}/vouchers`, { technician_id: ids['d.tech1'],
    scheduled_on: '26.11.2026', address: 'x' });
  assert.equal(badDate.status, 422);
  assert.equal(badDate.json.error.field, 'scheduled_on');
});

test('D-2: a technician starting, editing or completing another technician\'s voucher gets 403', async () => {
  const v = await dispatch(await ticket());
  for (const [m, p, b] of [['POST', 'start'], ['PATCH', '', { work_done: 'x' }],
    ['POST', 'complete', { work_done: 'x', signer_name: '孙' }]]) {
    const res = await tech2.call(m, `/api/v1/vouchers/${v.id}${p ? '/' + p : ''}`, b ?? {});
    assert.equal(res.status, 403, `${m} ${p}: ${res.text}`);
    assert.equal(res.json.error.rule, 'D-2');
  }
  // The manager does not do the technician's work either (no vouchers.work).
  assert.equal((await manager.post(`/api/v1/vouchers/${v.id}/start`)).status, 403);
  const s = await tech1.post(`/api/v1/vouchers/${v.id}/start`);
  assert.equal(s.status, 200);
  const closeOther = await tech2.post(`/api/v1/vouchers/${v.id}/complete`, { work_done: 'x', signer_name: '孙' });
  assert.equal(closeOther.status, 403);
  assert.equal((await tech1.get(`/api/v1/vouchers/${v.id}`)).json.status, 'started', 'nothing written');
});

test('D-2: the technician completes with work, fee and the customer\'s signature; the manager countersigns', async () => {
  const v = await started();
  const sig = await tech1.put(`/api/v1/vouchers/${v.id}/signature`,
    { image_base64: 'data:image/png;base64,' + PNG.toString('base64') });
  assert.equal(sig.status, 200, sig.text);
  assert.deepEqual(sig.json.signature, { content_type: 'image/png', bytes: PNG.length });
  const img = await fetch(`${srv.url}/api/v1/vouchers/${v.id}/signature`,
    { headers: { authorization: `Bearer ${manager.token}` } });
  assert.equal(img.status, 200);
  assert.equal(img.headers.get('content-type'), 'image/png');
  assert.deepEqual(Buffer.from(await img.arrayBuffer()), PNG, 'the image comes back byte for byte');
  // Completing needs work done and the signer's name.
  const noWork = await tech1.post(`/api/v1/vouchers/${v.id}/complete`, { signer_name: '孙上门' });
  assert.equal(noWork.status, 422);
  assert.equal(noWork.json.error.field, 'work_done');
  const noName = await tech1.post(`/api/v1/vouchers/${v.id}/complete`, { work_done: '更换压缩机电容' });
  assert.equal(noName.status, 422);
  assert.equal(noName.json.error.field, 'signer_name');
  const done = await tech1.post(`/api/v1/vouchers/${v.id}/complete`, { work_done: '更换压缩机电容',
    parts: '电容 1 只', fee_fen: 12000, signer_name: '孙上门' });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.status, 'completed');
  assert.equal(done.json.fee_fen, 12000);
  assert.equal(done.json.collection, 'on_site', 'D-3: a small fee is collected on site by default');
  assert.ok(done.json.ended_at && done.json.signed_at);
  // Completed: no more edits.
  const edit = await tech1.patch(`/api/v1/vouchers/${v.id}`, { parts: 'x' });
  assert.equal(edit.status, 409);
  const cs = await manager.post(`/api/v1/vouchers/${v.id}/countersign`);
  assert.equal(cs.status, 200, cs.text);
  assert.equal(cs.json.status, 'countersigned');
  assert.equal(cs.json.countersigned_by, ids['d.manager']);
  const tl = (await agent.get(`/api/v1/tickets/${v.ticket_id}/timeline?limit=200`)).json.items.map((e) => e.kind);
  for (const k of ['voucher_dispatched', 'voucher_started', 'voucher_signature_captured',
    'voucher_completed', 'voucher_countersigned']) assert.ok(tl.includes(k), k);
});

test('D-2: a signature that is not an image is 422 naming the field; over 256 KiB is 413', async () => {
  const v = await started();
  const text = await tech1.put(`/api/v1/vouchers/${v.id}/signature`,
    { image_base64: Buffer.from('GIF89a not a png').toString('base64') });
  assert.equal(text.status, 422, text.text);
  assert.equal(text.json.error.field, 'image_base64');
  const notB64 = await tech1.put(`/api/v1/vouchers/${v.id}/signature`, { image_base64: '***' });
  assert.equal(notB64.status, 422);
  assert.equal(notB64.json.error.field, 'image_base64');
  const big = Buffer.concat([PNG, Buffer.alloc(256 * 1024)]);
  const tooBig = await tech1.put(`/api/v1/vouchers/${v.id}/signature`, { image_base64: big.toString('base64') });
  assert.equal(tooBig.status, 413, tooBig.text);
  assert.equal(tooBig.json.error.field, 'image_base64');
  // Exactly 256 KiB is accepted, as a raw JPEG body too.
  const max = Buffer.concat([JPEG, Buffer.alloc(256 * 1024 - JPEG.length)]);
  const raw = await fetch(`${srv.url}/api/v1/vouchers/${v.id}/signature`, { method: 'PUT',
    headers: { authorization: `Bearer ${tech1.token}`, 'content-type': 'image/jpeg' }, body: max });
  assert.equal(raw.status, 200, await raw.text());
  const rawBad = await fetch(`${srv.url}/api/v1/vouchers/${v.id}/signature`, { method: 'PUT',
    headers: { authorization: `Bearer ${tech1.token}`, 'content-type': 'image/png' }, body: 'hello' });
  assert.equal(rawBad.status, 422);
  assert.equal((await rawBad.json()).error.field, 'body');
  const rawBig = await fetch(`${srv.url}/api/v1/vouchers/${v.id}/signature`, { method: 'PUT',
    headers: { authorization: `Bearer ${tech1.token}`, 'content-type': 'image/jpeg' },
    body: Buffer.concat([max, Buffer.alloc(1)]) });
  assert.equal(rawBig.status, 413);
  const got = (await tech1.get(`/api/v1/vouchers/${v.id}`)).json;
  assert.deepEqual(got.signature, { content_type: 'image/jpeg', bytes: 256 * 1024 }, 'the accepted one is kept');
});

test('D-3, D-1: the fee is a non-negative integer in fen, on paid service, settled as it fits', async () => {
  const v = await started();
  for (const fee of [-1, 12.5, '100']) {
    const res = await tech1.patch(`/api/v1/vouchers/${v.id}`, { fee_fen: fee });
    assert.equal(res.status, 422, `${fee}: ${res.text}`);
    assert.equal(res.json.error.field, 'fee_fen');
  }
  // D-3: on site only up to dispatch.on_site_fee_max_fen (50000) inclusive.
  const atMax = await tech1.patch(`/api/v1/vouchers/${v.id}`, { fee_fen: 50000, collection: 'on_site' });
  assert.equal(atMax.status, 200, atMax.text);
  const over = await tech1.patch(`/api/v1/vouchers/${v.id}`, { fee_fen: 50001, collection: 'on_site' });
  assert.equal(over.status, 422);
  assert.equal(over.json.error.rule, 'D-3');
  assert.equal(over.json.error.field, 'collection');
  const inv = await tech1.patch(`/api/v1/vouchers/${v.id}`, { fee_fen: 50001 });
  assert.equal(inv.json.collection, 'invoice', 'a larger fee is invoiced by default');
  const stale = await tech1.patch(`/api/v1/vouchers/${v.id}`, { parts: 'x', version: 1 });
  assert.equal(stale.status, 409);
  // D-1: free service carries no fee.
  const free = await dispatch(await ticket('service', { service_class: 'free' }));
  await tech1.post(`/api/v1/vouchers/${free.id}/start`);
  const fee = await tech1.patch(`/api/v1/vouchers/${free.id}`, { fee_fen: 100 });
  assert.equal(fee.status, 422);
  assert.equal(fee.json.error.rule, 'D-1');
  assert.equal((await tech1.patch(`/api/v1/vouchers/${free.id}`, { fee_fen: 0 })).status, 200);
});

test('D-4: off-site work before the request is approved is refused with rule D-4', async () => {
  const v = await dispatch(await ticket(), { off_site: true, city: '苏州' });
  const early = await tech1.post(`/api/v1/vouchers/${v.id}/start`);
  assert.equal(early.status, 422, early.text);
  assert.equal(early.json.error.rule, 'D-4');
  const req = await tech1.post(`/api/v1/vouchers/${v.id}/offsite-request`,
    { destination: '苏州工业园区', reason: '客户设备在苏州工厂', estimated_cost_fen: 30000 });
  assert.equal(req.status, 201, req.text);
  assert.equal(req.json.offsite_request.status, 'pending');
  const pending = await tech1.post(`/api/v1/vouchers/${v.id}/start`);
  assert.equal(pending.status, 422);
  assert.equal(pending.json.error.rule, 'D-4');
  const byTech = await tech1.post(`/api/v1/vouchers/${v.id}/offsite-request/decision`, { decision: 'approve' });
  assert.equal(byTech.status, 403);
  const rej = await manager.post(`/api/v1/vouchers/${v.id}/offsite-request/decision`, { decision: 'reject' });
  assert.equal(rej.status, 200);
  assert.equal((await tech1.post(`/api/v1/vouchers/${v.id}/start`)).json.error.rule, 'D-4');
  assert.equal((await tech1.post(`/api/v1/vouchers/${v.id}/offsite-request`,
    { destination: '苏州', reason: '再次申请' })).status, 201, 'a rejected request may be filed again');
  const ok = await manager.post(`/api/v1/vouchers/${v.id}/offsite-request/decision`, { decision: 'approve' });
  assert.equal(ok.json.offsite_request.status, 'approved');
  const twice = await manager.post(`/api/v1/vouchers/${v.id}/offsite-request/decision`, { decision: 'approve' });
  assert.equal(twice.status, 409);
  const go = await tech1.post(`/api/v1/vouchers/${v.id}/start`);
  assert.equal(go.status, 200, go.text);
  // A voucher at home needs no request.
  const home = await dispatch(await ticket());
  assert.equal((await tech1.post(`/api/v1/vouchers/${home.id}/offsite-request`,
    { destination: 'x', reason: 'y' })).status, 409);
});

test('L-10: work not dispatched on its day heads the next day\'s dispatch list', async () => {
  const day1 = Date.parse('2026-12-01T10:00:00+08:00');
  await setClock(day1);
  const old = await ticket();
  await setClock(day1 + DAY);
  const fresh = await ticket('repair');
  const list = await manager.get('/api/v1/dispatch-list?date=2026-12-02');
  assert.equal(list.status, 200, list.text);
  const pos = (t) => list.json.pending.findIndex((x) => x.ticket_id === t.id);
  assert.ok(pos(old) >= 0 && pos(fresh) > pos(old), 'the carried-over ticket comes first');
  const o = list.json.pending[pos(old)];
  assert.equal(o.carried_over, true);
  assert.equal(o.rule, 'L-10');
  assert.equal(list.json.pending[pos(fresh)].carried_over, false);
  // On its own day the old one was not carried over; the new one did not exist.
  const before = (await manager.get('/api/v1/dispatch-list?date=2026-12-01')).json.pending;
  assert.equal(before.find((x) => x.ticket_id === old.id).carried_over, false);
  assert.ok(!before.some((x) => x.ticket_id === fresh.id));
  // Dispatched, it leaves the pending list and is scheduled.
  await dispatch(old, { scheduled_on: '2026-12-02' });
  const now = (await manager.get('/api/v1/dispatch-list?date=2026-12-02')).json;
  assert.ok(!now.pending.some((x) => x.ticket_id === old.id));
  assert.ok(now.scheduled.some((v) => v.ticket_id === old.id));
  assert.equal((await manager.get('/api/v1/dispatch-list?date=2026-13-01')).status, 422);
  assert.equal((await tech1.get('/api/v1/dispatch-list')).status, 403);
});

async function complaint() {
  const res = await agent.post('/api/v1/tickets', { type: 'complaint', channel: 'phone', subject: '产品质量',
    description: '收到的货物有破损。', customer_id: customer.id });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

test('K-7, D-3: approved discount → certificate, return → slip; the warehouse confirms; finance lists them', async () => {
  const today = (await manager.get('/api/v1/dispatch-list')).json.date;
  const paid = await started();
  const done = await tech1.post(`/api/v1/vouchers/${paid.id}/complete`, { work_done: '检修', fee_fen: 80000,
    signer_name: '孙上门' });
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.collection, 'invoice');
  const c1 = await complaint();
  const disc = await agent.post(`/api/v1/tickets/${c1.id}/resolutions`,
    { kind: 'discount', amount_fen: 150000, summary: '下次订货九折' });
  assert.equal(disc.status, 201, disc.text);
  let fin = (await manager.get(`/api/v1/finance?from=${today}&to=${today}`)).json;
  assert.ok(!fin.discount_certificates.some((d) => d.resolution_id === disc.json.id), 'not before approval');
  const ok = await vp.post(`/api/v1/resolutions/${disc.json.id}/decisions`, { decision: 'approve' });
  assert.equal(ok.status, 200, ok.text);
  const c2 = await complaint();
  const ret = await agent.post(`/api/v1/tickets/${c2.id}/resolutions`, { kind: 'return', quantity: 3, summary: '退货 3 件' });
  assert.equal(ret.status, 201, ret.text);
  fin = await manager.get(`/api/v1/finance?from=${today}&to=${today}`);
  assert.equal(fin.status, 200, fin.text);
  const cert = fin.json.discount_certificates.find((d) => d.resolution_id === disc.json.id);
  assert.ok(cert, 'K-7: the approved discount has its certificate');
  assert.match(cert.number, /^ZK-\d{8}-\d{4}$/);
  assert.equal(cert.amount_fen, 150000);
  const slip = fin.json.return_slips.find((d) => d.resolution_id === ret.json.id);
  assert.ok(slip, 'K-7: the return (approved without approval) has its slip');
  assert.equal(slip.quantity, 3);
  const tl = (await agent.get(`/api/v1/tickets/${c2.id}/timeline?limit=200`)).json.items;
  const made = tl.find((e) => e.kind === 'k7_document_created');
  assert.ok(made, 'K-7: recorded on the complaint\'s timeline with the approval');
  assert.equal(made.detail.rule, 'K-7');
  assert.equal(made.detail.document_number, slip.number);
  assert.equal(slip.status, 'awaiting');
  const fee = fin.json.service_fees.find((f) => f.voucher_id === paid.id);
  assert.ok(fee, 'D-3: the completed paid service is listed');
  assert.equal(fee.fee_fen, 80000);
  assert.equal(fee.collection, 'invoice');
  assert.ok(fin.json.totals.invoiced_fen >= 80000);
  assert.ok(fin.json.totals.discount_fen >= 150000);
  // The warehouse confirms between 1 and the slip's quantity.
  const over = await manager.post(`/api/v1/return-slips/${slip.id}/receipt`, { received_qty: 4 });
  assert.equal(over.status, 422);
  assert.equal(over.json.error.rule, 'K-7');
  assert.equal(over.json.error.field, 'received_qty');
  const zero = await manager.post(`/api/v1/return-slips/${slip.id}/receipt`, { received_qty: 0 });
  assert.equal(zero.status, 422);
  assert.equal(zero.json.error.field, 'received_qty');
  assert.equal((await tech1.post(`/api/v1/return-slips/${slip.id}/receipt`, { received_qty: 3 })).status, 403);
  const got = await manager.post(`/api/v1/return-slips/${slip.id}/receipt`, { received_qty: 3, note: '已入库' });
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.status, 'received');
  assert.equal(got.json.received_qty, 3);
  assert.equal((await manager.post(`/api/v1/return-slips/${slip.id}/receipt`, { received_qty: 3 })).status, 409);
  assert.ok((await manager.get('/api/v1/return-slips?status=received')).json.items.some((s) => s.id === slip.id));
  // A rejected discount creates nothing.
  const c3 = await complaint();
  const d3 = await agent.post(`/api/v1/tickets/${c3.id}/resolutions`, { kind: 'discount', amount_fen: 5000, summary: 'x' });
  await manager.post(`/api/v1/resolutions/${d3.json.id}/decisions`, { decision: 'reject' });
  fin = (await manager.get(`/api/v1/finance?from=${today}&to=${today}`)).json;
  assert.ok(!fin.discount_certificates.some((d) => d.resolution_id === d3.json.id));
  assert.equal((await agent.get('/api/v1/finance')).status, 403, 'finance.read only');
  assert.equal((await manager.get('/api/v1/finance?from=2026-12-02&to=2026-12-01')).status, 422);
});
