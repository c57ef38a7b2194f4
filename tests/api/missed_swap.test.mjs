// W-14: a swap whose unclear handover led to a missed or empty shift counts
// against the person responsible for it. kefu's reading: a rostered shift a
// person took through an approved swap (W-13) that ended in absenteeism
// (over, no clock-in, no leave: W-15) is marked in the attendance month with
// `missed_swap` (rule W-14) naming the person who took it (responsible) and
// the one it came from; what it costs is the policy's
// workforce.swaps.missed_shift_penalty: absenteeism by default (seed000_p1),
// a 20 yuan fine with preset seed000_p7. The other person, who worked the
// shift they took, and the responsible person's own missed shifts are not
// W-14. The clock is the server's test clock.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, PASSWORD } from './lib.mjs';

const MONTH = '2026-12';
let srv;
const ids = {};

async function at(iso) {
  const r = await (await login(srv.url, 'admin')).post('/api/v1/test/clock', { now: iso });
  assert.equal(r.status, 200, r.text);
}
const as = (l) => login(srv.url, l);

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  await at('2026-11-20T10:00:00+08:00');
  const admin = await login(srv.url, 'admin');
  const team = await admin.post('/api/v1/teams', { name: '换班组' });
  assert.equal(team.status, 201, team.text);
  for (const [l, role] of [['ms.sup', 'supervisor'], ['ms.a', 'agent'], ['ms.b', 'agent']]) {
    const r = await admin.post('/api/v1/users', { login: l, name: `员工${l.slice(3)}`, role,
      password: PASSWORD, team_id: team.json.id });
    assert.equal(r.status, 201, r.text);
    ids[l] = r.json.id;
  }
  const sup = await as('ms.sup');
  let r = await sup.post(`/api/v1/rosters/${MONTH}/generate`, { team_id: team.json.id });
  assert.equal(r.status, 200, r.text);
  r = await sup.post(`/api/v1/rosters/${MONTH}/publish`, { version: r.json.version });
  assert.equal(r.status, 200, r.text);
});
after(async () => { await srv.cleanup(); });

const shiftsOn = (m, date) => m.days.find((d) => d.date === date)?.shifts ?? [];

test('W-14: a shift taken through a swap and missed is the taker\'s absenteeism; the policy\'s preset sets the cost', async () => {
  const sup = await as('ms.sup');
  const roster = (await sup.get(`/api/v1/rosters/${MONTH}`)).json;
  const row = (l) => roster.agents.find((x) => x.user_id === ids[l]);
  const isShift = (c) => c !== 'rest' && c !== 'leave';
  const a = row('ms.a'), b = row('ms.b');
  // A swaps her shift for B's different one, on a day the rest rules allow (W-4).
  const a1 = await as('ms.a');
  let swap = null, d = -1;
  for (let i = 1; i < roster.days.length - 1 && !swap; i++) {
    if (!isShift(a.cells[i]) || !isShift(b.cells[i]) || a.cells[i] === b.cells[i]) continue;
    const r = await a1.post('/api/v1/swap-requests', { with_user_id: ids['ms.b'], date: roster.days[i].date, shift: a.cells[i] });
    if (r.status === 201) { swap = r.json; d = i; } else assert.equal(r.json.error.rule, 'W-4', r.text);
  }
  assert.ok(swap, 'a day on which A and B work different shifts and may swap');
  const date = roster.days[d].date;
  const aTook = b.cells[d], bTook = a.cells[d];
  let r = await (await as('ms.b')).post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  r = await sup.post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');

  // B works the shift B took: clocks in at its start. A never comes.
  const tmpl = roster.shifts.find((s) => s.name === bTook);
  await at(`${date}T${tmpl.start}:00+08:00`);
  r = await (await as('ms.b')).post('/api/v1/attendance/clock-in', {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.shift.name, bTook);
  // Two days later every shift of that day is over.
  const later = new Date(Date.parse(`${date}T12:00:00+08:00`) + 2 * 86400000).toISOString();
  await at(later);

  const month = async (l, who = 'ms.sup') => {
    const res = await (await as(who)).get(`/api/v1/attendance?month=${MONTH}&user_id=${ids[l]}`);
    assert.equal(res.status, 200, res.text);
    return res.json;
  };
  const all = (m) => m.days.flatMap((x) => x.shifts);
  let ma = await month('ms.a');
  const missed = shiftsOn(ma, date).find((s) => s.name === aTook);
  assert.equal(missed.status, 'absenteeism');
  assert.deepEqual(missed.missed_swap, {
    rule: 'W-14', swap_id: swap.id, responsible_user_id: ids['ms.a'], responsible_name: '员工a',
    taken_from_user_id: ids['ms.b'], taken_from_name: '员工b', counts_as_absenteeism: true, fine_fen: 0,
  });
  // A's other missed shifts (not from a swap) are absenteeism without W-14.
  const others = all(ma).filter((s) => s !== missed && s.status === 'absenteeism');
  assert.ok(others.length > 0, 'A missed her own shifts before the swap day too');
  assert.ok(others.every((s) => !('missed_swap' in s)));
  assert.equal(ma.summary.missed_swap_shifts, 1);
  assert.equal(ma.summary.swap_fines_fen, 0);
  assert.equal(ma.summary.absenteeism, others.length + 1, 'seed000_p1: it counts as absenteeism');
  // A sees the same in her own month.
  const mine = await month('ms.a', 'ms.a');
  assert.equal(shiftsOn(mine, date).find((s) => s.name === aTook).missed_swap.rule, 'W-14');

  // B worked the shift B took: not W-14; B's own missed shifts neither.
  const mb = await month('ms.b');
  const worked = shiftsOn(mb, date).find((s) => s.name === bTook);
  assert.notEqual(worked.status, 'absenteeism');
  assert.ok(all(mb).every((s) => !('missed_swap' in s)));
  assert.equal(mb.summary.missed_swap_shifts, 0);

  // Preset seed000_p7 (§篇7): a fine of 20 yuan instead of absenteeism.
  const pub = await (await login(srv.url, 'admin')).put('/api/v1/policy', {
    document: 'workforce:\n  swaps:\n    missed_shift_penalty:\n      preset: seed000_p7\n',
    reason: 'W-14 换班交接不清扣罚20元' });
  assert.equal(pub.status, 201, pub.text);
  ma = await month('ms.a');
  const fined = shiftsOn(ma, date).find((s) => s.name === aTook);
  assert.equal(fined.missed_swap.fine_fen, 2000);
  assert.equal(fined.missed_swap.counts_as_absenteeism, false);
  assert.equal(ma.summary.swap_fines_fen, 2000);
  assert.equal(ma.summary.absenteeism, others.length, 'seed000_p7: not counted as absenteeism');
  assert.equal(ma.summary.full_attendance, false);
});
