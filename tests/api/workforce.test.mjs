// Workforce (SPEC W-1 … W-13): shift templates and coverage (W-1, W-3), the
// generated roster with per-agent counts (W-5, W-6), hand edits checked and
// their violations listed (W-6), publication and what may change after it
// (W-2), leave requests judged by notice, authority and who files them
// (W-8 … W-12) and an approved leave freeing its roster slot with the
// coverage gap shown, swaps agreed and approved level by level with the
// per-month and consecutive-day limits (W-13). The clock is the server's
// test clock, starting in November 2026 (the roster of December is made
// before the month starts, W-2).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, PASSWORD } from './lib.mjs';

let srv, admin;
const ids = {};
const c = {}; // login → client
const LOGINS = {
  sup: ['supervisor', 'A'], mgr: ['manager', null], lead_a: ['team_lead', 'A'],
  lead_b: ['team_lead', 'B'], a1: ['agent', 'A'], a2: ['agent', 'A'], a3: ['agent', 'A'],
  a4: ['agent', 'A'], b1: ['agent', 'B'],
};

// Moves the test clock; sessions end with the jump, so everyone signs in again.
async function at(iso) {
  const r = await (await login(srv.url, 'admin')).post('/api/v1/test/clock', { now: iso });
  assert.equal(r.status, 200, r.text);
  admin = await login(srv.url, 'admin');
  for (const l of Object.keys(LOGINS)) c[l] = await login(srv.url, `wf.${l}`);
}

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  admin = await login(srv.url, 'admin');
  await admin.post('/api/v1/test/clock', { now: '2026-11-20T10:00:00+08:00' });
  admin = await login(srv.url, 'admin');
  for (const t of ['A', 'B']) {
    const r = await admin.post('/api/v1/teams', { name: `排班组${t}` });
    assert.equal(r.status, 201, r.text);
    ids[`team${t}`] = r.json.id;
  }
  for (const [l, [role, team]] of Object.entries(LOGINS)) {
    const r = await admin.post('/api/v1/users', { login: `wf.${l}`, name: `员工${l}`, role,
      password: PASSWORD, ...(team ? { team_id: ids[`team${team}`] } : {}) });
    assert.equal(r.status, 201, r.text);
    ids[l] = r.json.id;
    c[l] = await login(srv.url, `wf.${l}`);
  }
});
after(async () => { await srv.cleanup(); });

const dayIndex = (roster, date) => roster.days.findIndex((d) => d.date === date);
const row = (roster, uid) => roster.agents.find((a) => a.user_id === uid);
const cell = (roster, uid, date) => row(roster, uid).cells[dayIndex(roster, date)];
const roster = async (month, who = 'sup') => {
  const r = await c[who].get(`/api/v1/rosters/${month}`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};

test('W-1, W-3: templates from the policy, a preset or the department, versioned and validated', async () => {
  let r = await c.a1.get('/api/v1/shift-templates');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.source, 'policy');
  assert.equal(r.json.version, 0);
  assert.deepEqual(r.json.templates.map((t) => [t.name, t.start, t.end, t.is_late_shift]),
    [['early', '09:00', '18:00', false], ['late', '18:00', '24:00', true]]);
  assert.deepEqual(Object.keys(r.json.presets).sort(), ['seed000_p1', 'seed000_p11', 'seed004']);
  assert.equal(r.json.coverage.min_agents_per_shift, 1);
  assert.equal((await c.a1.put('/api/v1/shift-templates', { preset: 'seed004', version: 0 })).status, 403);
  r = await c.sup.put('/api/v1/shift-templates', { preset: 'seed004', version: 0 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.source, 'department');
  assert.equal(r.json.version, 1);
  assert.deepEqual(r.json.templates.map((t) => [t.name, t.start, t.end]),
    [['early', '09:00', '16:30'], ['late', '16:00', '23:00']]);
  // Optimistic version: the one read before is stale now.
  r = await c.sup.put('/api/v1/shift-templates', { preset: 'seed000_p1', version: 0 });
  assert.equal(r.status, 409, r.text);
  r = await c.sup.put('/api/v1/shift-templates', { version: 1,
    templates: [{ name: 'early', start: '25:00', end: '18:00', is_late_shift: false }] });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.field, 'templates.early.start');
  r = await c.sup.put('/api/v1/shift-templates', { preset: 'seed000_p1', version: 1,
    coverage: { min_agents_per_shift: 1, by_date: { '2026-13-01': 2 } } });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.field, 'coverage.by_date');
  r = await c.sup.put('/api/v1/shift-templates', { preset: 'seed004', templates: [], version: 1 });
  assert.equal(r.status, 422, r.text);
  // W-3: a promotion day needs two on each shift.
  r = await c.sup.put('/api/v1/shift-templates', { preset: 'seed000_p1', version: 1,
    coverage: { min_agents_per_shift: 1, by_date: { '2026-12-12': 2 } } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.version, 2);
  assert.equal(r.json.coverage.by_date['2026-12-12'], 2);
  assert.equal(r.json.templates[1].end, '24:00');
});

let dec; // the December roster

test('W-6, W-5, W-3: a generated roster covers every shift, counts each agent, is deterministic', async () => {
  assert.equal((await c.a1.post('/api/v1/rosters/2026-12/generate', { team_id: ids.teamA })).status, 403);
  let r = await c.sup.post('/api/v1/rosters/2026-13/generate', { team_id: ids.teamA });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.field, 'month');
  // W-6: a wish for a day off and a preferred shift are taken into account.
  r = await c.a1.put('/api/v1/rosters/2026-12/wishes', { days_off: ['2026-12-25'], preferred_shift: 'early' });
  assert.equal(r.status, 200, r.text);
  r = await c.a1.put('/api/v1/rosters/2026-12/wishes', { days_off: ['2027-01-01'] });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.field, 'days_off[0]');
  r = await c.a1.put('/api/v1/rosters/2026-12/wishes', { user_id: ids.a2, days_off: [] });
  assert.equal(r.status, 403, 'wishes of someone else need roster.write');
  r = await c.sup.post('/api/v1/rosters/2026-12/generate', { team_id: ids.teamA, seed: 7 });
  assert.equal(r.status, 200, r.text);
  dec = r.json;
  assert.equal(dec.status, 'draft');
  assert.equal(dec.days.length, 31);
  // The team's agents and team lead, not the supervisor.
  assert.deepEqual(dec.agents.map((a) => a.user_id).sort(),
    [ids.lead_a, ids.a1, ids.a2, ids.a3, ids.a4].sort());
  assert.deepEqual(dec.gaps, [], 'W-3: every shift covered, the promotion day with two');
  assert.deepEqual(dec.shortfalls, []);
  assert.equal(dec.hard_violations, 0);
  const i12 = dayIndex(dec, '2026-12-12');
  for (const s of ['early', 'late'])
    assert.ok(dec.agents.filter((a) => a.cells[i12] === s).length >= 2, `two on the ${s} shift of the promotion day`);
  // W-5: the counts are those of the grid.
  for (const a of dec.agents) {
    const worked = a.cells.filter((x) => x !== 'rest' && x !== 'leave');
    assert.equal(a.counts.work_days, worked.length);
    assert.equal(a.counts.late, a.cells.filter((x) => x === 'late').length);
    assert.equal(a.counts.weekend, a.cells.filter((x, d) => x !== 'rest' && x !== 'leave'
      && ['sat', 'sun'].includes(dec.days[d].weekday)).length);
    assert.ok(a.cells.filter((x) => x === 'rest').length >= 4, 'W-4: at least 4 rest days');
  }
  const lates = dec.agents.filter((a) => a.user_id !== ids.a1).map((a) => a.counts.late);
  assert.ok(Math.max(...lates) - Math.min(...lates) <= 2, `W-5: late shifts spread evenly: ${lates}`);
  assert.equal(cell(dec, ids.a1, '2026-12-25'), 'rest', 'W-6: the wished day off is granted');
  assert.equal(row(dec, ids.a1).wishes.preferred_shift, 'early');
  // A draft is the supervisor's: agents do not see it yet (W-2).
  assert.equal((await c.a1.get('/api/v1/rosters/2026-12')).status, 404);
  // Same input, same seed: the same roster.
  r = await c.sup.post('/api/v1/rosters/2026-12/generate', { team_id: ids.teamA, seed: 7, version: dec.version });
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.agents.map((a) => a.cells), dec.agents.map((a) => a.cells));
  assert.equal(r.json.version, dec.version + 1);
  r = await c.sup.post('/api/v1/rosters/2026-12/generate', { team_id: ids.teamA, seed: 7, version: dec.version });
  assert.equal(r.status, 409, 'a stale version is refused');
  dec = await roster('2026-12');
});

test('W-6, W-2: a hand edit lists its violations; publishing needs the hard ones fixed, then only leave and swaps change it', async () => {
  const edit = (version, changes) => c.sup.put('/api/v1/rosters/2026-12/assignments', { version, changes });
  const days = (from, to, shift) => Array.from({ length: to - from + 1 }, (_, k) =>
    ({ user_id: ids.a3, date: `2026-12-${String(from + k).padStart(2, '0')}`, shift }));
  // Seven working days in a row (W-4: at most six), day 8 off.
  let r = await edit(dec.version, [...days(1, 7, 'early'), ...days(8, 8, null)]);
  assert.equal(r.status, 200, r.text);
  const w4 = r.json.change_violations.find((v) => v.rule === 'W-4' && v.kind === 'consecutive_days');
  assert.ok(w4, `the edit's W-4 violation is listed: ${JSON.stringify(r.json.change_violations)}`);
  assert.equal(w4.hard, true);
  assert.equal(w4.user_id, ids.a3);
  assert.ok(r.json.hard_violations >= 1);
  assert.equal(cell(r.json, ids.a3, '2026-12-07'), 'early', 'the edit is kept, with its violation shown');
  const v1 = r.json.version;
  r = await c.sup.post('/api/v1/rosters/2026-12/publish', { version: v1 });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.rule, 'W-4');
  // Stale version.
  assert.equal((await edit(dec.version, days(4, 4, null))).status, 409);
  assert.equal((await edit(v1, [{ user_id: ids.sup, date: '2026-12-04', shift: null }])).json.error.field,
    'changes[0].user_id');
  assert.equal((await edit(v1, [{ user_id: ids.a3, date: '2026-12-04', shift: 'night' }])).json.error.field,
    'changes[0].shift');
  // The fix: a rest day in the middle (and two more rest days for W-4's minimum).
  r = await edit(v1, [...days(4, 4, null), ...days(20, 20, null), ...days(27, 27, null)]);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.hard_violations, 0, JSON.stringify(r.json.violations.filter((v) => v.hard)));
  r = await c.sup.post('/api/v1/rosters/2026-12/publish', { version: r.json.version });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'published');
  dec = r.json;
  // W-2: no more hand edits or generation.
  r = await edit(dec.version, days(10, 10, null));
  assert.equal(r.status, 409);
  assert.equal(r.json.error.rule, 'W-2');
  r = await c.sup.post('/api/v1/rosters/2026-12/generate', { team_id: ids.teamA });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.rule, 'W-2');
  // Now everyone on it sees it.
  assert.equal((await c.a1.get('/api/v1/rosters/2026-12')).status, 200);
});

let jan; // January: three people, two of them in team A and one in team B

test('W-9, W-6, W-3: leave of up to 3 days is the supervisor\'s; approved, it frees the slot and the gap shows', async () => {
  let r = await c.sup.post('/api/v1/rosters/2027-01/generate', { user_ids: [ids.a1, ids.a2, ids.b1], seed: 3 });
  assert.equal(r.status, 200, r.text);
  jan = r.json;
  r = await c.sup.post('/api/v1/rosters/2027-01/publish', { version: jan.version });
  assert.equal(r.status, 200, r.text);
  jan = r.json;
  // A day on which a2 works a shift that has exactly its need.
  let date, shift;
  for (const d of jan.days) {
    const s = cell(jan, ids.a2, d.date);
    if (s === 'rest') continue;
    const n = jan.agents.filter((a) => a.cells[dayIndex(jan, d.date)] === s).length;
    if (n === 1) { date = d.date; shift = s; break; }
  }
  assert.ok(date, 'a2 works alone on some shift');
  const start = `${date}T00:00:00+08:00`;
  const end = new Date(Date.parse(start) + 86400000).toISOString();
  r = await c.a2.post('/api/v1/leave-requests', { type: 'personal', start, end, reason: '家里有事' });
  assert.equal(r.status, 201, r.text);
  const leave = r.json;
  assert.equal(leave.status, 'pending');
  assert.equal(leave.days, 1);
  assert.deepEqual(leave.levels, ['supervisor']);
  assert.equal(leave.awaiting, 'supervisor');
  assert.equal(leave.late_notice, false);
  // Overlapping leave is refused.
  assert.equal((await c.a2.post('/api/v1/leave-requests', { type: 'annual', start, end, reason: 'x' })).status, 409);
  // Level by level: the manager does not decide the supervisor's step.
  r = await c.mgr.post(`/api/v1/leave-requests/${leave.id}/decisions`, { decision: 'approve' });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.rule, 'W-9');
  assert.equal((await c.a1.post(`/api/v1/leave-requests/${leave.id}/decisions`, { decision: 'approve' })).status, 403);
  r = await c.sup.get('/api/v1/leave-requests?scope=inbox');
  assert.equal(r.status, 200, r.text);
  assert.ok(r.json.items.some((x) => x.id === leave.id), 'in the supervisor\'s inbox');
  assert.ok(!(await c.mgr.get('/api/v1/leave-requests?scope=inbox')).json.items.some((x) => x.id === leave.id));
  assert.equal((await c.a2.get('/api/v1/leave-requests?scope=inbox')).status, 403);
  assert.ok((await c.a2.get('/api/v1/leave-requests')).json.items.some((x) => x.id === leave.id), 'in a2\'s own list');
  r = await c.sup.post(`/api/v1/leave-requests/${leave.id}/decisions`, { decision: 'approve', comment: '同意' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  assert.deepEqual(r.json.freed_shifts, [{ month: '2027-01', date, shift }]);
  assert.equal((await c.sup.post(`/api/v1/leave-requests/${leave.id}/decisions`, { decision: 'reject' })).status, 409);
  jan = await roster('2027-01', 'a2');
  assert.equal(cell(jan, ids.a2, date), 'leave');
  assert.equal(row(jan, ids.a2).counts.leave, 1);
  assert.ok(jan.gaps.some((g) => g.date === date && g.shift === shift && g.short === 1),
    `W-3: the gap shows: ${JSON.stringify(jan.gaps)}`);
  assert.ok(jan.violations.some((v) => v.rule === 'W-3' && v.date === date));
  // Longer than 3 days: the supervisor, then the manager.
  r = await c.a1.post('/api/v1/leave-requests', { type: 'marriage', start: '2027-01-20T00:00:00+08:00',
    end: '2027-01-24T00:00:00+08:00', reason: '结婚' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.days, 4);
  assert.deepEqual(r.json.levels, ['supervisor', 'manager']);
  r = await c.sup.post(`/api/v1/leave-requests/${r.json.id}/decisions`, { decision: 'approve' });
  assert.equal(r.json.status, 'pending');
  assert.equal(r.json.awaiting, 'manager');
  r = await c.mgr.post(`/api/v1/leave-requests/${r.json.id}/decisions`, { decision: 'reject', comment: '人手不足' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'rejected');
  assert.equal(r.json.decisions.length, 2);
});

test('W-10, W-12: only sick leave is filed for someone else; the department head records emergencies', async () => {
  const body = { start: '2027-01-05T00:00:00+08:00', end: '2027-01-06T00:00:00+08:00', reason: '代请' };
  let r = await c.a1.post('/api/v1/leave-requests', { ...body, type: 'personal', user_id: ids.b1 });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.rule, 'W-10');
  r = await c.a1.post('/api/v1/leave-requests', { ...body, type: 'sick', user_id: ids.b1 });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.user_id, ids.b1);
  assert.equal(r.json.filed_by, ids.a1);
  r = await c.sup.post('/api/v1/leave-requests', { ...body, start: '2027-01-07T00:00:00+08:00',
    end: '2027-01-08T00:00:00+08:00', type: 'personal', user_id: ids.a1, emergency: true });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.rule, 'W-12');
  r = await c.mgr.post('/api/v1/leave-requests', { ...body, start: '2027-01-07T00:00:00+08:00',
    end: '2027-01-08T00:00:00+08:00', type: 'personal', user_id: ids.a1, emergency: true });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.emergency, true);
  assert.deepEqual(r.json.levels, ['manager']);
  r = await c.a1.post('/api/v1/leave-requests', { ...body, type: 'holiday' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'type');
  r = await c.a1.post('/api/v1/leave-requests', { ...body, end: body.start, type: 'annual' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'end');
});

test('W-8, W-11: late notice needs a manager; a late shift\'s leave before 12:00 that day', async () => {
  // An agent on December's early shift of the 15th, one on the late shift of the 16th.
  const early = dec.agents.find((a) => cell(dec, a.user_id, '2026-12-15') === 'early');
  const lates = dec.agents.filter((a) => cell(dec, a.user_id, '2026-12-16') === 'late'
    && cell(dec, a.user_id, '2026-12-15') !== 'early');
  assert.ok(early && lates.length >= 1);
  const login = (uid) => Object.keys(ids).find((k) => ids[k] === uid);
  // 23 hours before the 09:00 shift: late notice (W-8), the manager decides too.
  await at('2026-12-14T10:00:00+08:00');
  let r = await c[login(early.user_id)].post('/api/v1/leave-requests', { type: 'personal',
    start: '2026-12-15T00:00:00+08:00', end: '2026-12-16T00:00:00+08:00', reason: '急事' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.late_notice, true);
  assert.equal(r.json.notice_minutes, 23 * 60);
  assert.deepEqual(r.json.levels, ['supervisor', 'manager']);
  assert.match(r.json.note, /manager/);
  // W-11: 11:59 on the day is in time (special leave, 2 h notice), 12:00 is not.
  const late = lates[0];
  const body = { type: 'personal', special: true, start: '2026-12-16T18:00:00+08:00',
    end: '2026-12-17T00:00:00+08:00', reason: '孩子生病' };
  await at('2026-12-16T12:00:00+08:00');
  r = await c[login(late.user_id)].post('/api/v1/leave-requests', body);
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.rule, 'W-11');
  assert.match(r.json.error.message, /12:00/);
});

test('W-11: a late shift\'s leave at 11:59 the same day is accepted', async () => {
  const late = dec.agents.find((a) => cell(dec, a.user_id, '2026-12-17') === 'late');
  assert.ok(late);
  const login = Object.keys(ids).find((k) => ids[k] === late.user_id);
  await at('2026-12-17T11:59:00+08:00');
  const r = await c[login].post('/api/v1/leave-requests', { type: 'personal', special: true,
    start: '2026-12-17T18:00:00+08:00', end: '2026-12-18T00:00:00+08:00', reason: '孩子生病' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.late_notice, false);
});

test('W-13: a swap needs the other person and a supervisor; at most 2 a month, never on consecutive days', async () => {
  dec = await roster('2026-12');
  const people = [ids.a1, ids.a2, ids.a3, ids.a4, ids.lead_a];
  const login = (uid) => Object.keys(ids).find((k) => ids[k] === uid);
  // A partner for uid on date: on the other shift (a shift for a shift keeps
  // everyone's working days, so no rest rule is at stake, W-4).
  const partner = (uid, date, not = []) => people.find((p) => p !== uid && !not.includes(p)
    && cell(dec, p, date) !== cell(dec, uid, date) && ['early', 'late'].includes(cell(dec, p, date)));
  // Dates from the 20th on which a1 works.
  const works = dec.days.map((d) => d.date).filter((d) => d >= '2026-12-20'
    && ['early', 'late'].includes(cell(dec, ids.a1, d)));
  // Two working days in a row with a partner each (different people).
  const d1 = works.find((d) => works.includes(next(d)) && partner(ids.a1, d)
    && partner(ids.a1, next(d), [partner(ids.a1, d)]));
  function next(d) { const t = new Date(Date.parse(`${d}T12:00:00+08:00`) + 86400000); return t.toISOString().slice(0, 10); }
  assert.ok(d1, 'a1 works two days in a row after the 20th');
  const p1 = partner(ids.a1, d1);
  let r = await c.a1.post('/api/v1/swap-requests', { with_user_id: p1, date: d1, shift: 'night' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'shift');
  r = await c.a1.post('/api/v1/swap-requests', { with_user_id: p1, date: d1, shift: cell(dec, ids.a1, d1) });
  assert.equal(r.status, 201, r.text);
  const swap = r.json;
  assert.equal(swap.status, 'pending');
  assert.equal(swap.needs_team_leads, false);
  // Only the other person, a supervisor (or the team leads when teams differ) decide.
  const outsider = people.find((p) => p !== ids.a1 && p !== p1 && p !== ids.lead_a);
  r = await c[login(outsider)].post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' });
  assert.equal(r.status, 403);
  assert.equal(r.json.error.rule, 'W-13');
  assert.ok((await c[login(p1)].get('/api/v1/swap-requests?scope=inbox')).json.items.some((s) => s.id === swap.id));
  r = await c[login(p1)].post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'pending');
  assert.equal(r.json.approvals.counterpart, 'approved');
  // The second swap of a1 on the next day: consecutive days.
  const d2 = next(d1);
  const p2 = partner(ids.a1, d2, [p1]);
  r = await c.a1.post('/api/v1/swap-requests', { with_user_id: p2, date: d2, shift: cell(dec, ids.a1, d2) });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.rule, 'W-13', r.text);
  assert.match(r.json.error.message, /consecutive days/);
  assert.match(r.json.error.message, /员工a1/);
  r = await c.sup.post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  const before = dec;
  dec = await roster('2026-12');
  assert.equal(cell(dec, ids.a1, d1), cell(before, p1, d1), 'W-2: the published roster changed by the swap');
  assert.equal(cell(dec, p1, d1), cell(before, ids.a1, d1));
  // A second swap two days later is fine, a third in the month is refused.
  const later = works.filter((d) => d >= next(next(d1)) && d !== next(d1));
  let second;
  for (const d of later) {
    const p = partner(ids.a1, d, [p1]);
    if (!p) continue;
    r = await c.a1.post('/api/v1/swap-requests', { with_user_id: p, date: d, shift: cell(dec, ids.a1, d) });
    assert.equal(r.status, 201, r.text);
    second = d;
    break;
  }
  assert.ok(second, 'a second swap');
  const third = later.find((d) => d > next(second) && partner(ids.a1, d, [p1]));
  assert.ok(third, 'a date for a third swap');
  r = await c.a1.post('/api/v1/swap-requests', { with_user_id: partner(ids.a1, third, [p1]), date: third,
    shift: cell(dec, ids.a1, third) });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.rule, 'W-13');
  assert.match(r.json.error.message, /at most 2 swaps per person per month/);
});

test('W-13: across teams both team leads approve too', async () => {
  jan = await roster('2027-01');
  const d = jan.days.map((x) => x.date).find((x) => ['early', 'late'].includes(cell(jan, ids.b1, x))
    && ['early', 'late'].includes(cell(jan, ids.a1, x)) && cell(jan, ids.a1, x) !== cell(jan, ids.b1, x)
    && x >= '2027-01-10');
  assert.ok(d);
  let r = await c.b1.post('/api/v1/swap-requests', { with_user_id: ids.a1, date: d, shift: cell(jan, ids.b1, d) });
  assert.equal(r.status, 201, r.text);
  const swap = r.json;
  assert.equal(swap.needs_team_leads, true);
  for (const who of ['a1', 'sup', 'lead_b']) {
    r = await c[who].post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' });
    assert.equal(r.status, 200, `${who}: ${r.text}`);
    assert.equal(r.json.status, 'pending', `still waiting after ${who}`);
  }
  r = await c.lead_b.post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' });
  assert.equal(r.status, 403, 'a decision given is not given twice');
  assert.ok((await c.lead_a.get('/api/v1/swap-requests?scope=inbox')).json.items.some((s) => s.id === swap.id));
  r = await c.lead_a.post(`/api/v1/swap-requests/${swap.id}/decisions`, { decision: 'approve' });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'approved');
  assert.deepEqual(r.json.approvals, { counterpart: 'approved', supervisor: 'approved',
    requester_team_lead: 'approved', with_team_lead: 'approved' });
  const after = await roster('2027-01');
  assert.equal(cell(after, ids.a1, d), cell(jan, ids.b1, d));
  // A swap on a draft month is refused (W-2).
  r = await c.a1.post('/api/v1/swap-requests', { with_user_id: ids.a2, date: '2027-02-10', shift: 'early' });
  assert.equal(r.status, 409);
  assert.equal(r.json.error.rule, 'W-2');
});

test('W-3, W-6: infeasible coverage is reported shift by shift, with why', async () => {
  // One person cannot staff two shifts a day: every shift left is short.
  let r = await c.sup.post('/api/v1/rosters/2027-02/generate', { user_ids: [ids.a4], seed: 1 });
  assert.equal(r.status, 200, r.text);
  const feb = r.json;
  assert.ok(feb.shortfalls.length >= 28, `a shortfall per day at least: ${feb.shortfalls.length}`);
  const s = feb.shortfalls[0];
  assert.equal(s.rule, 'W-3');
  assert.equal(s.need, 1);
  assert.equal(s.short, s.need - s.assigned);
  assert.match(s.message, /need 1, 0 assigned \(short 1\) of 1 agents?/);
  assert.equal(feb.gaps.length, feb.shortfalls.length, 'the same gaps in the grid');
  assert.ok(feb.violations.some((v) => v.rule === 'W-3' && v.kind === 'coverage' && v.hard));
  assert.equal(feb.hard_violations, 0, 'no hard rest or leave violation: it can be published');
  r = await c.a4.put('/api/v1/rosters/2027-02/wishes', { days_off: [], preferred_shift: 'night' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'preferred_shift');
  r = await c.sup.post('/api/v1/rosters/2027-02/generate', { user_ids: [ids.a4, ids.sup] });
  assert.equal(r.status, 200, 'a supervisor may be rostered when named');
  r = await c.sup.post('/api/v1/rosters/2027-02/generate', { user_ids: ['999999'] });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'user_ids[0]');
});

test('W-13, W-4: a swap that would break a rest rule is refused', async () => {
  let r = await c.sup.post('/api/v1/rosters/2027-03/generate', { user_ids: [ids.a3, ids.a4], iterations: 0 });
  assert.equal(r.status, 200, r.text);
  // a3: early every day but the 7th, 14th, 21st, 28th; a4: late but the 3rd, 10th, 17th, 24th, 31st.
  const changes = [];
  for (let d = 1; d <= 31; d++) {
    const date = `2027-03-${String(d).padStart(2, '0')}`;
    changes.push({ user_id: ids.a3, date, shift: d % 7 === 0 ? null : 'early' });
    changes.push({ user_id: ids.a4, date, shift: d % 7 === 3 ? null : 'late' });
  }
  r = await c.sup.put('/api/v1/rosters/2027-03/assignments', { version: r.json.version, changes });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.hard_violations, 0, JSON.stringify(r.json.violations.filter((v) => v.hard)));
  r = await c.sup.post('/api/v1/rosters/2027-03/publish', { version: r.json.version });
  assert.equal(r.status, 200, r.text);
  // a4 gives the late shift of the 7th to a3, who would then work 13 days in a row.
  r = await c.a4.post('/api/v1/swap-requests', { with_user_id: ids.a3, date: '2027-03-07', shift: 'late' });
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error.rule, 'W-4');
  // The 8th: a3 early, a4 late; exchanging them keeps every rest rule.
  r = await c.a4.post('/api/v1/swap-requests', { with_user_id: ids.a3, date: '2027-03-08', shift: 'late' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.with_shift, 'early');
});

// W-15 and S-2 read the published roster (app/attendance.c, "the roster
// interface"): March 2027 above has a3 on the early shift every day but the
// 7th, 14th, 21st and 28th, and a4 on the late shift but the 3rd, 10th, 17th,
// 24th and 31st.
test('W-15, S-2: clock-in and sign-in are judged against the published roster', async () => {
  await at('2027-03-07T09:25:00+08:00');
  let r = await c.a3.post('/api/v1/attendance/clock-in', {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.shift, null, 'the 7th is a3\'s rest day: no shift to be late for');
  await at('2027-03-07T12:00:00+08:00');
  r = await c.a3.post('/api/v1/attendance/clock-out', {});
  assert.equal(r.status, 200, r.text);
  await at('2027-03-08T09:25:00+08:00');
  r = await c.a3.post('/api/v1/attendance/clock-in', {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.shift.name, 'early');
  assert.equal(r.json.shift.rostered, true);
  assert.equal(r.json.late_minutes, 25);
  assert.equal(r.json.absence, true, 'late 20 minutes or more on a rostered shift (W-15)');
  await at('2027-03-08T17:50:00+08:00');
  r = await c.a4.post('/api/v1/attendance/clock-in', {});
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.shift.name, 'late');
  assert.equal(r.json.shift.rostered, true);
  assert.equal(r.json.late_minutes, 0);
  // S-2 on: a3 rests on the 14th and may not sign in; a4 works its late shift.
  await at('2027-03-14T17:40:00+08:00');
  const pub = await admin.put('/api/v1/policy', { document: 'security:\n  sign_in:\n    only_on_shift: true\n',
    reason: 'S-2 上班时间登录' });
  assert.equal(pub.status, 201, pub.text);
  await new Promise((res) => setTimeout(res, 1100)); // the policy in force is re-read once a second
  r = await client(srv.url).post('/api/v1/auth/login', { login: 'wf.a3', password: PASSWORD });
  assert.equal(r.status, 403, r.text);
  assert.equal(r.json.error.rule, 'S-2');
  r = await client(srv.url).post('/api/v1/auth/login', { login: 'wf.a4', password: PASSWORD });
  assert.equal(r.status, 200, r.text);
});

// W-3: staffing from a contact forecast by Erlang C, the published example
// (100 calls in 30 minutes, AHT 180 s, 80 % answered in 20 s: 14 agents,
// P(wait) 0.1741, service level 0.8884); bad input names the field; agents
// may not use it (roster.write).
test('W-3: the Erlang C staffing of a forecast, with the published example', async () => {
  const ask = (who, body) => c[who].post('/api/v1/staffing/erlang-c', body);
  const example = { calls: 100, interval_minutes: 30, aht_seconds: 180, target_answer_seconds: 20,
    target_service_level_percent: 80 };
  let r = await ask('sup', example);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.agents, 14);
  assert.equal(r.json.traffic_erlangs, 10);
  assert.ok(Math.abs(r.json.wait_probability - 0.1741) < 0.0001, r.text);
  assert.ok(Math.abs(r.json.service_level - 0.8884) < 0.0001, r.text);
  r = await ask('sup', { ...example, calls: 0 });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.agents, 0);
  for (const [field, value] of [['interval_minutes', 0], ['aht_seconds', -1],
    ['target_service_level_percent', 100], ['calls', 1.5]]) {
    r = await ask('sup', { ...example, [field]: value });
    assert.equal(r.status, 422, `${field}=${value}: ${r.text}`);
    assert.equal(r.json.error.field, field);
  }
  r = await ask('sup', { ...example, extra: 1 });
  assert.equal(r.status, 422);
  assert.equal((await ask('a1', example)).status, 403);
});
