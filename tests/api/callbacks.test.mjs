// Callbacks and surveys (SPEC V): closing a complaint, service or repair
// ticket creates a callback with a single-use survey link, other types none
// (V-1); the result records reached or not and the four-dimension survey
// (V-2); a poor rating opens a linked complaint (V-3); the customer answers
// through the link without signing in, once (410 after), not after expiry
// (410), an unknown token is 404, and nothing is written on refusal; bad
// input names the field; a second result is 409.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, client, PASSWORD } from './lib.mjs';

const DAY = 86400000;
let srv, admin, agent, analyst, anon, customer, ids = {};

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  admin = await login(srv.url, 'admin');
  for (const [l, role] of [['v.agent', 'agent'], ['v.analyst', 'analyst']]) {
    const res = await admin.post('/api/v1/users', { login: l, name: l, role, password: PASSWORD });
    assert.equal(res.status, 201, res.text);
    ids[role] = res.json.id;
  }
  agent = await login(srv.url, 'v.agent');
  analyst = await login(srv.url, 'v.analyst');
  anon = client(srv.url);
  customer = (await agent.post('/api/v1/customers', { name: '钱回访', phone: '13712345678', grade: 'A' })).json;
});
after(async () => { await srv.cleanup(); });

async function ticket(type, extra = {}) {
  const res = await agent.post('/api/v1/tickets', { type, channel: 'phone', subject: `${type} 回访`,
    description: '上门维修热水器。', customer_id: customer.id, ...extra });
  assert.equal(res.status, 201, res.text);
  return res.json;
}

// Walks a ticket to closed; returns the answer to the close.
async function close(t) {
  let res;
  for (const to of ['assigned', 'in_progress', 'resolved', 'closed']) {
    res = await agent.post(`/api/v1/tickets/${t.id}/transitions`, { to });
    assert.equal(res.status, 200, res.text);
  }
  return res.json;
}

async function closedWithCallback(type, extra) {
  const closed = await close(await ticket(type, extra));
  assert.ok(closed.callback, `V-1: closing a ${type} creates a callback`);
  return closed;
}

async function callbacks(status) {
  const res = await agent.get(`/api/v1/callbacks?status=${status}&limit=200`);
  assert.equal(res.status, 200, res.text);
  return res.json.items;
}

const timeline = async (id) => (await agent.get(`/api/v1/tickets/${id}/timeline?limit=200`)).json.items;
const good = { attitude: 'very_satisfied', skill: 'satisfied', arrival: 'average', promise: 'satisfied' };

test('V-1: closing a complaint, service or repair ticket creates a due callback with a survey token', async () => {
  for (const type of ['complaint', 'service', 'repair']) {
    const closed = await closedWithCallback(type);
    const cb = closed.callback;
    assert.equal(typeof cb.survey_token, 'string');
    assert.equal(cb.survey_token.length, 43);
    // Due per policy: callbacks.due_days_after_close (2 days).
    assert.equal(Date.parse(cb.due_at) - Date.parse(closed.closed_at), 2 * DAY);
    assert.equal(Date.parse(cb.survey_expires_at) - Date.parse(closed.closed_at), 7 * DAY);
    const listed = (await callbacks('due')).find((x) => x.id === cb.id);
    assert.ok(listed, 'listed among the due callbacks');
    assert.equal(listed.ticket_id, closed.id);
    assert.equal(listed.agent_id, ids.agent, 'V-4: credited to the ticket owner');
    assert.equal(listed.status, 'due');
    assert.equal(listed.survey, null);
    assert.ok(!JSON.stringify(listed).includes(cb.survey_token), 'the token is shown once only');
    assert.ok((await timeline(closed.id)).some((e) => e.kind === 'callback_created'));
  }
});

test('V-1: closing an inquiry, suggestion or help ticket creates no callback', async () => {
  for (const type of ['inquiry', 'suggestion', 'help']) {
    const closed = await close(await ticket(type));
    assert.equal(closed.callback, undefined, `${type}: no callback`);
    assert.ok(!(await callbacks('due')).some((x) => x.ticket_id === closed.id));
  }
});

test('V-1: a ticket reopened and closed again keeps its one open callback', async () => {
  const closed = await closedWithCallback('service');
  for (const to of ['reopened', 'in_progress', 'resolved', 'closed'])
    assert.equal((await agent.post(`/api/v1/tickets/${closed.id}/transitions`, { to })).status, 200);
  assert.equal((await callbacks('due')).filter((x) => x.ticket_id === closed.id).length, 1);
});

test('V-2: the result records reached and the four ratings; a second result is 409', async () => {
  const { callback } = await closedWithCallback('service');
  const res = await agent.post(`/api/v1/callbacks/${callback.id}/results`,
    { reached: true, survey: good, comment: '师傅很准时' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'done');
  assert.equal(res.json.reached, true);
  assert.equal(res.json.answered_via, 'staff');
  assert.deepEqual(res.json.survey, { ...good, score: 4 + 3 + 2 + 3 });
  assert.equal(res.json.follow_up_ticket_id, null, 'no poor rating, no linked ticket');
  assert.ok((await callbacks('done')).some((x) => x.id === callback.id));
  const again = await agent.post(`/api/v1/callbacks/${callback.id}/results`, { reached: true, survey: good });
  assert.equal(again.status, 409, again.text);
  assert.equal(again.json.error.rule, 'V-2');
  // The staff's result uses up the customer's link.
  const link = await anon.get(`/api/v1/public/surveys/${callback.survey_token}`);
  assert.equal(link.status, 410, link.text);
});

test('V-2: not reached leaves the callback unreached; a later call records the survey', async () => {
  const { callback } = await closedWithCallback('repair');
  const bad = await agent.post(`/api/v1/callbacks/${callback.id}/results`, { reached: false, survey: good });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.json.error.field, 'survey');
  const res = await agent.post(`/api/v1/callbacks/${callback.id}/results`, { reached: false });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'unreached');
  assert.equal(res.json.reached, false);
  assert.ok((await callbacks('unreached')).some((x) => x.id === callback.id));
  const later = await agent.post(`/api/v1/callbacks/${callback.id}/results`, { reached: true, survey: good });
  assert.equal(later.status, 200, later.text);
  assert.equal(later.json.status, 'done');
});

test('V-2: bad ratings and members name the field and write nothing', async () => {
  const { callback } = await closedWithCallback('service');
  const url = `/api/v1/callbacks/${callback.id}/results`;
  let res = await agent.post(url, { reached: true, survey: { ...good, attitude: 'great' } });
  assert.equal(res.status, 422, res.text);
  assert.equal(res.json.error.field, 'survey.attitude');
  res = await agent.post(url, { reached: true, survey: { ...good, promise: 'terrible' } });
  assert.equal(res.json.error.field, 'survey.promise');
  const { skill, ...noSkill } = good;
  res = await agent.post(url, { reached: true, survey: noSkill });
  assert.equal(res.status, 422);
  assert.equal(res.json.error.field, 'survey.skill');
  res = await agent.post(url, { reached: 'yes' });
  assert.equal(res.status, 422);
  assert.equal(res.json.error.field, 'reached');
  res = await agent.post('/api/v1/callbacks/999999/results', { reached: true });
  assert.equal(res.status, 404);
  assert.ok((await callbacks('due')).some((x) => x.id === callback.id), 'still due');
  res = await agent.get('/api/v1/callbacks?status=soon');
  assert.equal(res.status, 422);
  assert.equal(res.json.error.field, 'status');
});

test('V-3: a poor rating opens a complaint linked to the closed complaint', async () => {
  const closed = await closedWithCallback('complaint',
    { complaint: { cause: 'non_quality', non_quality_kind: 'service_attitude', severity: 'general' } });
  const res = await agent.post(`/api/v1/callbacks/${closed.callback.id}/results`,
    { reached: true, survey: { ...good, attitude: 'poor' }, comment: '态度差' });
  assert.equal(res.status, 200, res.text);
  assert.ok(res.json.follow_up_ticket_id, 'V-3: a linked ticket');
  const f = (await agent.get(`/api/v1/tickets/${res.json.follow_up_ticket_id}`)).json;
  assert.equal(f.type, 'complaint');
  assert.equal(f.status, 'new');
  assert.equal(f.parent_id, closed.id, 'in the complaint chain (K-6)');
  assert.equal(f.owner_id, ids.agent);
  const ev = (await timeline(f.id)).find((e) => e.kind === 'callback_follow_up');
  assert.ok(ev);
  assert.equal(ev.detail.rule, 'V-3');
  assert.equal(ev.detail.parent_id, closed.id);
});

test('V-3: a poor rating of a service ticket opens a linked complaint too', async () => {
  const closed = await closedWithCallback('service');
  const res = await agent.post(`/api/v1/callbacks/${closed.callback.id}/results`,
    { reached: true, survey: { ...good, arrival: 'poor' } });
  assert.equal(res.status, 200, res.text);
  const f = (await agent.get(`/api/v1/tickets/${res.json.follow_up_ticket_id}`)).json;
  assert.equal(f.type, 'complaint');
  assert.equal(f.customer_id, customer.id);
  const ev = (await timeline(f.id)).find((e) => e.kind === 'callback_follow_up');
  assert.equal(ev.detail.parent_id, closed.id);
  assert.equal(ev.detail.poor, 'arrival');
});

test('survey link: answered once without signing in; the second time is 410', async () => {
  const { callback, number } = await closedWithCallback('repair');
  const url = `/api/v1/public/surveys/${callback.survey_token}`;
  let res = await anon.get(url);
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.ticket_number, number);
  assert.deepEqual(res.json.dimensions, ['attitude', 'skill', 'arrival', 'promise']);
  assert.equal(res.json.status, 'open');
  // Refused input writes nothing: the link still works.
  res = await anon.post(url, { survey: { ...good, skill: 'meh' } });
  assert.equal(res.status, 422, res.text);
  assert.equal(res.json.error.field, 'survey.skill');
  assert.equal((await anon.get(url)).status, 200);
  res = await anon.post(url, { survey: { ...good, promise: 'poor' }, comment: '答应的事没办' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'answered');
  res = await anon.post(url, { survey: good });
  assert.equal(res.status, 410, res.text);
  assert.equal(res.json.error.code, 'gone');
  assert.match(res.json.error.message, /already used/);
  assert.equal((await anon.get(url)).status, 410);
  const done = (await callbacks('done')).find((x) => x.id === callback.id);
  assert.equal(done.answered_via, 'link');
  assert.equal(done.survey.promise, 'poor', 'the first answer stands');
  assert.ok(done.follow_up_ticket_id, 'V-3 through the link too');
  const f = (await agent.get(`/api/v1/tickets/${done.follow_up_ticket_id}`)).json;
  assert.equal(f.owner_id, ids.agent, 'owned by the ticket owner');
  const staff = await agent.post(`/api/v1/callbacks/${callback.id}/results`, { reached: true });
  assert.equal(staff.status, 409, 'done through the link');
});

test('survey link: an unknown token is 404', async () => {
  for (const t of ['x'.repeat(43), 'short', 'A'.repeat(200)]) {
    assert.equal((await anon.get(`/api/v1/public/surveys/${t}`)).status, 404);
    assert.equal((await anon.post(`/api/v1/public/surveys/${t}`, { survey: good })).status, 404);
  }
});

test('permissions: the analyst sees no callbacks; staff lists need sign-in', async () => {
  assert.equal((await analyst.get('/api/v1/callbacks?status=due')).status, 403);
  assert.equal((await anon.get('/api/v1/callbacks?status=due')).status, 401);
});

test('V-3: a complaint raised during the callback opens a linked complaint in the same transaction', async () => {
  const closed = await closedWithCallback('service');
  // Bad input writes nothing: the callback stays due.
  const bad = [
    [{ reached: false, complaint: { summary: '师傅迟到' } }, 'complaint'],
    [{ reached: true, complaint: {} }, 'complaint.summary'],
    [{ reached: true, complaint: { summary: '  ' } }, 'complaint.summary'],
    [{ reached: true, complaint: { summary: '师傅迟到', severity: 'huge' } }, 'complaint.severity'],
    [{ reached: true, complaint: { summary: '师傅迟到', extra: 1 } }, 'complaint.extra'],
  ];
  for (const [body, field] of bad) {
    const r = await agent.post(`/api/v1/callbacks/${closed.callback.id}/results`, body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.equal(r.json.error.field, field, r.text);
  }
  assert.ok((await callbacks('due')).some((x) => x.id === closed.callback.id), 'still due');
  const res = await agent.post(`/api/v1/callbacks/${closed.callback.id}/results`,
    { reached: true, survey: good, complaint: { summary: '上门师傅迟到两小时', severity: 'major' }, comment: '客户很生气' });
  assert.equal(res.status, 200, res.text);
  assert.equal(res.json.status, 'done');
  const f = (await agent.get(`/api/v1/tickets/${res.json.follow_up_ticket_id}`)).json;
  assert.equal(f.type, 'complaint');
  assert.equal(f.subject, '上门师傅迟到两小时');
  assert.equal(f.complaint.severity, 'major');
  assert.equal(f.priority, 'critical', 'K-2/T-9: a major complaint is critical');
  assert.equal(f.customer_id, customer.id);
  const ev = (await timeline(f.id)).find((e) => e.kind === 'callback_follow_up');
  assert.equal(ev.detail.rule, 'V-3');
  assert.equal(ev.detail.raised, true);
  assert.equal(ev.detail.parent_id, closed.id);
  // A complaint and a poor rating together open one complaint, not two.
  const c2 = await closedWithCallback('repair');
  const both = await agent.post(`/api/v1/callbacks/${c2.callback.id}/results`,
    { reached: true, survey: { ...good, skill: 'poor' }, complaint: { summary: '没修好' } });
  assert.equal(both.status, 200, both.text);
  const f2 = (await agent.get(`/api/v1/tickets/${both.json.follow_up_ticket_id}`)).json;
  assert.equal(f2.complaint.severity, 'general');
  assert.match(f2.description, /skill/);
  const opened = (await agent.get(`/api/v1/tickets?customer_id=${customer.id}&type=complaint&limit=200`)).json.items
    .filter((t) => t.subject === '没修好');
  assert.equal(opened.length, 1);
});

test('survey link: staff re-issue a link; the old one is refused as replaced, the new one works once', async () => {
  const { callback, id } = await closedWithCallback('repair');
  const oldUrl = `/api/v1/public/surveys/${callback.survey_token}`;
  assert.equal((await anon.get(oldUrl)).status, 200);
  assert.equal((await analyst.post(`/api/v1/callbacks/${callback.id}/survey-link`)).status, 403);
  assert.equal((await agent.post('/api/v1/callbacks/999999/survey-link')).status, 404);
  const res = await agent.post(`/api/v1/callbacks/${callback.id}/survey-link`);
  assert.equal(res.status, 201, res.text);
  assert.notEqual(res.json.survey_token, callback.survey_token);
  assert.equal(res.json.callback.id, callback.id);
  assert.equal(res.json.survey_expires_at, res.json.callback.survey_expires_at);
  let r = await anon.get(oldUrl);
  assert.equal(r.status, 410);
  assert.match(r.json.error.message, /replaced/);
  assert.equal((await anon.post(oldUrl, { survey: good })).status, 410);
  const newUrl = `/api/v1/public/surveys/${res.json.survey_token}`;
  assert.equal((await anon.get(newUrl)).status, 200);
  // The token is stored hashed, never as given.
  const ev = (await timeline(id)).find((e) => e.kind === 'survey_link_reissued');
  assert.ok(ev, 'on the timeline');
  assert.equal(ev.detail.callback_id, callback.id);
  assert.ok(!JSON.stringify(ev).includes(res.json.survey_token));
  const audit = (await admin.get('/api/v1/audit?action=ticket.survey_link_reissued')).json.items;
  assert.ok(audit.some((a) => a.detail.callback_id === callback.id));
  r = await anon.post(newUrl, { survey: good });
  assert.equal(r.status, 200, r.text);
  assert.equal((await anon.post(newUrl, { survey: good })).status, 410);
  const done = await agent.post(`/api/v1/callbacks/${callback.id}/survey-link`);
  assert.equal(done.status, 409, 'answered: no new link');
  assert.equal(done.json.error.rule, 'V-2');
});

// Last: moves the clock.
test('survey link: an expired link is 410 and writes nothing', async () => {
  const { callback } = await closedWithCallback('service');
  const url = `/api/v1/public/surveys/${callback.survey_token}`;
  const r = await admin.post('/api/v1/test/clock',
    { now: new Date(Date.parse(callback.survey_expires_at) + 1000).toISOString() });
  assert.equal(r.status, 200, r.text);
  agent = await login(srv.url, 'v.agent');
  let res = await anon.get(url);
  assert.equal(res.status, 410, res.text);
  assert.match(res.json.error.message, /expired/);
  res = await anon.post(url, { survey: good });
  assert.equal(res.status, 410);
  const still = (await callbacks('due')).find((x) => x.id === callback.id);
  assert.ok(still, 'still due');
  assert.equal(still.survey_link_used_at, null);
  // Staff may still record the result by phone.
  res = await agent.post(`/api/v1/callbacks/${callback.id}/results`, { reached: true, survey: good });
  assert.equal(res.status, 200, res.text);
});
