// Attendance, handover, duty log and sign-in on shift (SPEC W-15 … W-18, S-2),
// on a server whose shifts come from the policy's templates (early 09:00–18:00,
// late 18:00–24:00; no roster published: kf_app_shifts_of's minimal source).
// W-15: on time, late 19 minutes 59 seconds, late exactly 20 minutes (an
// absence), early leave, the month view and full attendance. W-16: clock-out
// is refused until a handover is signed and confirmed by the incoming agent;
// open tickets are pre-filled, unresolved items carry over to the incoming
// agent; only the addressee confirms, once. W-17: the duty log is append-only,
// corrections are new entries. W-18: customers waiting at the end of the late
// shift extend it, and the overtime is recorded. S-2: with the policy on, a
// sign-in outside the shift and its 30 minutes of grace is 403 with rule S-2
// and audited, exactly 30 minutes before is allowed, exempt roles always are.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, sql, PASSWORD } from './lib.mjs';

const MIN = 60000;
const H = 60 * MIN;
// Tuesday 2026-12-01, local midnight (+08:00, the policy's zone).
const DAY = Date.parse('2026-12-01T00:00:00+08:00');
let srv, ids = {}, customer;

const USERS = [['at.early', 'agent'], ['at.slow', 'agent'], ['at.late20', 'agent'],
  ['at.night', 'agent'], ['at.other', 'agent'], ['at.sup', 'supervisor'], ['at.analyst', 'analyst']];

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  const admin = await login(srv.url, 'admin');
  for (const [l, role] of USERS) {
    const res = await admin.post('/api/v1/users', { login: l, name: l, role, password: PASSWORD });
    assert.equal(res.status, 201, res.text);
    ids[l] = res.json.id;
  }
  const early = await login(srv.url, 'at.early');
  customer = (await early.post('/api/v1/customers', { name: '交接客户', phone: '13911112222' })).json;
});
after(async () => { await srv.cleanup(); });

// Moves the test clock (sessions idle out when it jumps: sign in again after).
async function at(ms) {
  const r = await (await login(srv.url, 'admin')).post('/api/v1/test/clock',
    { now: new Date(ms).toISOString() });
  assert.equal(r.status, 200, r.text);
}

const as = (l) => login(srv.url, l);

test('W-15: clock-in against the shift; late 19:59 is late, late exactly 20 minutes is an absence', async () => {
  await at(DAY + 8 * H + 55 * MIN);
  const early = await as('at.early');
  let r = await early.post('/api/v1/attendance/clock-in', {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.clocked_in, true);
  assert.equal(r.json.shift.name, 'early');
  assert.equal(r.json.shift.rostered, false, 'no roster yet: a template slot');
  assert.equal(Date.parse(r.json.shift.start), DAY + 9 * H);
  assert.equal(r.json.late_minutes, 0);
  r = await early.post('/api/v1/attendance/clock-in', {});
  assert.equal(r.status, 409, 'already clocked in');

  await at(DAY + 9 * H + 19 * MIN + 59000);
  r = await (await as('at.slow')).post('/api/v1/attendance/clock-in');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.late_minutes, 19);
  assert.equal(r.json.absence, false);

  await at(DAY + 9 * H + 20 * MIN);
  r = await (await as('at.late20')).post('/api/v1/attendance/clock-in', {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.late_minutes, 20);
  assert.equal(r.json.absence, true, 'W-15: 20 minutes and more is an absence (及以上)');

  r = await (await as('at.analyst')).post('/api/v1/attendance/clock-in', {});
  assert.equal(r.status, 403, 'analysts do not clock in');
  r = await (await as('at.other')).post('/api/v1/attendance/clock-out', {});
  assert.equal(r.status, 409, 'not clocked in');
  r = await (await as('at.other')).post('/api/v1/attendance/clock-out', { customers_waiting: -1 });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'customers_waiting');
});

let handover;
test('W-16: handover pre-filled with open tickets; clock-out refused until the incoming agent confirms', async () => {
  await at(DAY + 17 * H + 45 * MIN);
  const early = await as('at.early');
  const night = await as('at.night');
  // The outgoing agent has an open ticket.
  const t = await early.post('/api/v1/tickets', { type: 'repair', channel: 'phone', subject: '空调漏水待配件',
    description: '等待配件到货', customer_id: customer.id });
  assert.equal(t.status, 201, t.text);
  const draft = await early.get('/api/v1/handovers/draft');
  assert.equal(draft.status, 200, draft.text);
  assert.ok(draft.json.items.some((i) => i.kind === 'ticket' && i.ticket_id === t.json.id),
    'the outgoing agent\'s open tickets are pre-filled');

  // In the last 15 minutes of the shift nothing signed: refused.
  let r = await early.post('/api/v1/attendance/clock-out', {});
  assert.equal(r.status, 409);
  assert.equal(r.json.error.rule, 'W-16');

  assert.equal((await night.post('/api/v1/attendance/clock-in', {})).status, 200);
  // Bad input names the field; the outgoing agent is not the incoming one.
  r = await early.post('/api/v1/handovers', { equipment_checked: true, to_user_id: ids['at.early'] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'to_user_id');
  assert.equal(r.json.error.rule, 'W-16');
  r = await early.post('/api/v1/handovers', { equipment_checked: true, items: [{ kind: 'promise' }] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'items[0].text');
  r = await early.post('/api/v1/handovers', { equipment_checked: true, items: [{ kind: 'ticket', ticket_id: '999999' }] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'items[0].ticket_id');
  r = await early.post('/api/v1/handovers', { items: [] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'equipment_checked');
  assert.equal((await early.get('/api/v1/handovers?box=outgoing')).json.items.length, 0,
    'refused handovers wrote nothing');

  // Signed, with a customer promise; the ticket left out is added unresolved.
  r = await early.post('/api/v1/handovers', { to_user_id: ids['at.night'], equipment_checked: true,
    anomalies: '3号电话线路杂音', notes: '晚班注意回访',
    items: [{ kind: 'promise', text: '答应王先生明早10点前回电' }, { kind: 'other', text: '打印机已修好', resolved: true }] });
  assert.equal(r.status, 201, r.text);
  handover = r.json;
  assert.equal(handover.status, 'pending');
  assert.equal(handover.items.length, 3);
  const ticketItem = handover.items.find((i) => i.kind === 'ticket');
  assert.equal(ticketItem.ticket_id, t.json.id);
  assert.equal(ticketItem.resolved, false);
  assert.equal(ticketItem.text, '空调漏水待配件');

  // Signed but not confirmed: still refused.
  r = await early.post('/api/v1/attendance/clock-out', {});
  assert.equal(r.status, 409);
  assert.equal(r.json.error.rule, 'W-16');

  // Only the addressee confirms.
  r = await early.post(`/api/v1/handovers/${handover.id}/confirm`, {});
  assert.equal(r.status, 403);
  assert.equal(r.json.error.rule, 'W-16');
  r = await (await as('at.other')).post(`/api/v1/handovers/${handover.id}/confirm`, {});
  assert.equal(r.status, 403);
  assert.equal(r.json.error.rule, 'W-16');
  const pending = await night.get('/api/v1/handovers?box=incoming&status=pending');
  assert.deepEqual(pending.json.items.map((h) => h.id), [handover.id]);
  assert.equal(pending.json.items[0].items.length, 3, 'listed with its items');
  r = await night.post(`/api/v1/handovers/${handover.id}/confirm`, { note: '已核对' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'confirmed');
  assert.equal(r.json.confirmed_by, ids['at.night']);
  r = await night.post(`/api/v1/handovers/${handover.id}/confirm`, {});
  assert.equal(r.status, 409, 'confirmed once');

  // Now the outgoing agent may leave: 10 minutes early (17:50).
  await at(DAY + 17 * H + 50 * MIN);
  r = await (await as('at.early')).post('/api/v1/attendance/clock-out', {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.clocked_in, false);
  assert.equal(r.json.early_leave_minutes, 10);

  // The incoming agent's next handover starts from the carried-over items.
  const nd = (await (await as('at.night')).get('/api/v1/handovers/draft')).json.items;
  const carried = nd.filter((i) => i.carried_from_item_id);
  assert.deepEqual(carried.map((i) => i.text).sort(), ['答应王先生明早10点前回电', '空调漏水待配件'].sort(),
    'unresolved items carry over; the resolved one does not');
  const get = await (await as('at.sup')).get(`/api/v1/handovers/${handover.id}`);
  assert.equal(get.status, 200, 'supervisors see handovers (attendance.all)');
  assert.equal((await (await as('at.other')).get(`/api/v1/handovers/${handover.id}`)).status, 403);
});

test('W-18: customers waiting at the end of the late shift extend it; the overtime is recorded', async () => {
  await at(DAY + 24 * H + 40 * MIN); // 00:40 the next day
  const night = await as('at.night');
  let r = await night.post('/api/v1/attendance/clock-out', { customers_waiting: 3 });
  assert.equal(r.status, 409, 'the handover window of the late shift');
  assert.equal(r.json.error.rule, 'W-16');
  // The late shift writes the book for the morning: no incoming agent named.
  const draft = (await night.get('/api/v1/handovers/draft')).json.items;
  const carriedTicket = draft.find((i) => i.kind === 'ticket');
  const promise = draft.find((i) => i.kind === 'promise');
  assert.ok(carriedTicket.carried_from_item_id && promise.carried_from_item_id);
  // The ticket named afresh (no carried_from_item_id), the promise left out.
  r = await night.post('/api/v1/handovers', { equipment_checked: true,
    items: [{ kind: 'ticket', ticket_id: carriedTicket.ticket_id, text: '配件明天到' }] });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.to_user_id, null);
  assert.equal(r.json.items.length, 2);
  assert.equal(r.json.items[0].carried_from_item_id, carriedTicket.carried_from_item_id,
    'naming a carried ticket afresh carries that item on');
  assert.equal(r.json.items[1].carried_from_item_id, promise.carried_from_item_id,
    'the item left out is carried on automatically');
  assert.equal(r.json.items[1].resolved, false);
  assert.equal((await night.get('/api/v1/handovers/draft')).json.items.filter((i) => i.carried_from_item_id).length, 0,
    'nothing is left on the carried-over list');
  // Carrying an item that is not on the list is refused.
  const bad = await night.post('/api/v1/handovers', { equipment_checked: true,
    items: [{ kind: 'other', text: 'x', carried_from_item_id: '999999' }] });
  assert.equal(bad.status, 422);
  assert.equal(bad.json.error.field, 'items[0].carried_from_item_id');
  r = await night.post('/api/v1/attendance/clock-out', { customers_waiting: 3 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.shift.name, 'late');
  assert.equal(r.json.extended, true);
  assert.equal(r.json.overtime_minutes, 40);
  const audit = await (await login(srv.url, 'admin')).get('/api/v1/audit?action=attendance.clock_out&limit=200');
  assert.ok(audit.json.items.some((e) => e.detail.rule === 'W-18' && e.detail.overtime_minutes === 40));
});

test('W-15: the month view classifies each shift; full attendance is broken by lateness and early leave', async () => {
  const sup = await as('at.sup');
  const month = async (c, login) => {
    const r = await c.get(`/api/v1/attendance?month=2026-12&user_id=${ids[login]}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const dayOf = (m) => m.days.find((d) => d.date === '2026-12-01');
  let m = await month(sup, 'at.night');
  let s = dayOf(m).shifts;
  assert.equal(s.length, 1);
  assert.equal(s[0].name, 'late');
  assert.equal(s[0].status, 'on_time');
  assert.equal(s[0].extended, true);
  assert.equal(s[0].overtime_minutes, 40);
  assert.equal(m.summary.overtime_minutes, 40);
  assert.equal(m.summary.full_attendance, true);

  m = await month(sup, 'at.early');
  s = dayOf(m).shifts[0];
  assert.equal(s.status, 'late');
  assert.equal(s.early_leave_minutes, 10);
  assert.equal(m.summary.early_leave, 1);
  assert.equal(m.summary.full_attendance, false);

  m = await month(sup, 'at.late20');
  s = dayOf(m).shifts[0];
  assert.equal(s.status, 'absence');
  assert.equal(s.absence_reason, 'late');
  assert.equal(s.late_minutes, 20);
  assert.equal(m.summary.absence, 1);
  assert.equal(m.summary.absenteeism, 0, 'no roster: nobody was rostered, no absenteeism');

  m = await month(sup, 'at.slow');
  assert.equal(dayOf(m).shifts[0].status, 'late');
  assert.equal(dayOf(m).shifts[0].late_minutes, 19);

  const other = await as('at.other');
  const own = await other.get('/api/v1/attendance?month=2026-12');
  assert.equal(own.status, 200, own.text);
  assert.equal(own.json.days.length, 0);
  assert.equal(own.json.user_id, ids['at.other']);
  let r = await other.get(`/api/v1/attendance?month=2026-12&user_id=${ids['at.night']}`);
  assert.equal(r.status, 403, 'another person\'s month needs attendance.all');
  r = await other.get('/api/v1/attendance?month=2026-13');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'month');
  r = await other.get('/api/v1/attendance');
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'month');
});

test('W-17: the duty log is append-only; a correction is a new entry naming the old one', async () => {
  const night = await as('at.night');
  let r = await night.post('/api/v1/duty-log', { kind: 'call', body: '业户来电报修:3栋漏水',
    day: '2026-12-01', shift: 'late', occurred_at: '2026-12-01T20:15:00+08:00' });
  assert.equal(r.status, 201, r.text);
  const first = r.json;
  assert.equal(first.shift, 'late');
  assert.equal(first.author_id, ids['at.night']);
  r = await night.post('/api/v1/duty-log', { kind: 'note', body: '更正:是5栋漏水', corrects_id: first.id });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.corrects_id, first.id);
  assert.equal(r.json.day, '2026-12-01', 'a correction takes the corrected entry\'s day');
  assert.equal(r.json.shift, 'late');
  const list = await night.get('/api/v1/duty-log?day=2026-12-01');
  assert.equal(list.status, 200, list.text);
  assert.equal(list.json.items.length, 2);
  assert.equal(list.json.items[0].body, '业户来电报修:3栋漏水', 'the original stays as written');
  assert.equal(list.json.items[0].corrected_by, r.json.id);
  for (const [body, field] of [[{ kind: 'gossip', body: 'x' }, 'kind'], [{ kind: 'note' }, 'body'],
    [{ kind: 'note', body: 'x', corrects_id: '999999' }, 'corrects_id'],
    [{ kind: 'note', body: 'x', shift: 'midnight' }, 'shift'],
    [{ kind: 'note', body: 'x', occurred_at: '2027-01-01T00:00:00+08:00' }, 'occurred_at']]) {
    const bad = await night.post('/api/v1/duty-log', body);
    assert.equal(bad.status, 422, JSON.stringify(body));
    assert.equal(bad.json.error.field, field);
  }
  assert.equal((await night.get('/api/v1/duty-log?day=2026-12-01')).json.items.length, 2);
  assert.equal((await night.call('DELETE', `/api/v1/duty-log`)).status, 405);
  assert.throws(() => sql(srv.store, `UPDATE duty_log SET body = 'x' WHERE id = ${first.id}`));
  assert.throws(() => sql(srv.store, `DELETE FROM duty_log WHERE id = ${first.id}`));
  assert.throws(() => sql(srv.store, 'DELETE FROM attendance_punches'));
});

test('S-2: with the policy on, staff sign in only on shift with 30 minutes of grace; refusals are audited', async () => {
  // Off by default: at.other signed in at 00:40 above.
  const admin = await login(srv.url, 'admin');
  const pub = await admin.put('/api/v1/policy', { document: 'security:\n  sign_in:\n    only_on_shift: true\n',
    reason: 'S-2 上班时间登录' });
  assert.equal(pub.status, 201, pub.text);
  await at(DAY + 24 * H + 3 * H); // 03:00 on 2 December
  await new Promise((r) => setTimeout(r, 1100)); // the policy in force is re-read once a second
  let r = await client(srv.url).post('/api/v1/auth/login',
    { login: 'at.other', password: PASSWORD });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.rule, 'S-2');
  assert.match(r.json.error.message, /08:30:00\+08:00/, 'says when sign-in opens');
  const audit = await (await login(srv.url, 'admin')).get('/api/v1/audit?action=auth.login_refused');
  assert.ok(audit.json.items.some((e) => e.detail.rule === 'S-2' && e.detail.login === 'at.other'));
  // Exempt roles sign in at any time.
  await login(srv.url, 'at.sup');
  // Exactly 30 minutes before the early shift: allowed.
  await at(DAY + 24 * H + 8 * H + 30 * MIN);
  await login(srv.url, 'at.other');
  // 00:30:01 after the late shift: refused.
  await at(DAY + 48 * H + 30 * MIN + 1000);
  r = await client(srv.url).post('/api/v1/auth/login',
    { login: 'at.other', password: PASSWORD });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.rule, 'S-2');
});
