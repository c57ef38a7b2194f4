// L-11, L-12: deadlines come from the policy in force at registration; time
// waiting for the customer is left out of the reply and close deadlines
// only when the policy says so. L-5: status updates armed by replies. L-9:
// middling and bad marketplace reviews. SPEC "Deadlines": business hours.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, login, sql, PASSWORD } from './lib.mjs';

let srv, customer;
const H = 3600 * 1000;

before(async () => {
  srv = await startServer({ args: ['--test-clock'] });
  const admin = await login(srv.url, 'admin');
  await admin.post('/api/v1/users', { login: 'dl.agent', name: '时效', role: 'agent', password: PASSWORD });
  const agent = await login(srv.url, 'dl.agent');
  customer = (await agent.post('/api/v1/customers', { name: '时效客户', phone: '13322223333' })).json;
});
after(async () => { await srv.cleanup(); });

async function at(ms) {
  const r = await (await login(srv.url, 'admin')).post('/api/v1/test/clock', { now: new Date(ms).toISOString() });
  assert.equal(r.status, 200, r.text);
  return login(srv.url, 'dl.agent');
}

async function waitingTicket(agent) {
  const t = (await agent.post('/api/v1/tickets', { type: 'complaint', channel: 'phone', subject: '等待客户',
    description: '需要客户提供发票', customer_id: customer.id })).json;
  for (const to of ['assigned', 'in_progress', 'pending_customer'])
    assert.equal((await agent.post(`/api/v1/tickets/${t.id}/transitions`, { to })).status, 200);
  return t;
}

test('L-12 default: waiting for the customer counts, the reply deadline passes', async () => {
  let agent = await at(Date.now());
  const t = await waitingTicket(agent);
  const due = Date.parse(t.deadlines.find((d) => d.kind === 'reply').due_at);
  agent = await at(due + 60000);
  const got = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(got.overdue, true);
});

test('L-12 with pausing: no overdue while waiting, and the deadlines move on by the wait', async () => {
  let agent = await login(srv.url, 'dl.agent');
  const admin = await login(srv.url, 'admin');
  const pol = await admin.put('/api/v1/policy', { document: 'deadlines:\n  l12_pause_pending_customer: true\n',
    reason: '等待客户期间暂停时效' });
  assert.equal(pol.status, 201, pol.text);
  const t = await waitingTicket(agent);
  const reply = Date.parse(t.deadlines.find((d) => d.kind === 'reply').due_at);
  const close = Date.parse(t.deadlines.find((d) => d.kind === 'close').due_at);
  const start = Date.parse((await agent.get(`/api/v1/tickets/${t.id}`)).json.updated_at);
  agent = await at(start + 30 * H);
  let got = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(got.overdue, false, "not overdue while waiting for the customer");
  assert.equal((await agent.post(`/api/v1/tickets/${t.id}/transitions`, { to: 'in_progress' })).status, 200);
  got = (await agent.get(`/api/v1/tickets/${t.id}`)).json;
  assert.equal(Date.parse(got.deadlines.find((d) => d.kind === 'reply').due_at), reply + 30 * H);
  assert.equal(Date.parse(got.deadlines.find((d) => d.kind === 'close').due_at), close + 30 * H);
  const callback = got.deadlines.find((d) => d.kind === 'callback');
  assert.equal(Date.parse(callback.due_at), Date.parse(t.deadlines.find((d) => d.kind === 'callback').due_at),
    'L-4 is not paused');
});

// ---- L-5, L-9, business hours ----

async function setPolicy(document, reason) {
  const admin = await login(srv.url, 'admin');
  const r = await admin.put('/api/v1/policy', { document, reason });
  assert.equal(r.status, 201, r.text);
}

const dl = (t, kind) => t.deadlines.find((d) => d.kind === kind);
const ms = (s) => Date.parse(s);

async function openTicket(agent, extra = {}) {
  const r = await agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'phone', subject: '延时问题',
    description: '需要技术部确认', customer_id: customer.id, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

async function move(agent, t, ...states) {
  let r;
  for (const to of states) {
    r = await agent.post(`/api/v1/tickets/${t.id}/transitions`, { to });
    assert.equal(r.status, 200, `${to}: ${r.text}`);
  }
  return r.json;
}

async function entry(agent, t, kind, body = '您好，问题还在处理中，明天给您答复') {
  const r = await agent.post(`/api/v1/tickets/${t.id}/entries`, { kind, body });
  assert.equal(r.status, 201, r.text);
}

const get = async (agent, t) => (await agent.get(`/api/v1/tickets/${t.id}`)).json;

test('L-5: a reply arms the status update, a note does not, the next reply meets it and arms the next', async () => {
  await setPolicy('deadlines:\n  l5_delay_status_hours: 24\n', '默认时效');
  let agent = await login(srv.url, 'dl.agent');
  const t = await openTicket(agent);
  assert.equal(dl(t, 'status_update'), undefined, 'no status update before the first reply');
  const t0 = ms(t.created_at);
  await move(agent, t, 'assigned', 'in_progress');
  agent = await at(t0 + 1 * H);
  await entry(agent, t, 'note', '内部：等技术部');
  assert.equal(dl(await get(agent, t), 'status_update'), undefined, 'an internal note tells the customer nothing');
  await entry(agent, t, 'reply');
  let got = await get(agent, t);
  let su = dl(got, 'status_update');
  assert.equal(su.rule, 'L-5');
  assert.equal(ms(su.due_at), t0 + 25 * H);
  assert.equal(su.met_at, null);
  assert.ok(dl(got, 'reply').met_at, 'the first reply meets L-6');
  agent = await at(t0 + 10 * H);
  await entry(agent, t, 'reply');
  su = dl(await get(agent, t), 'status_update');
  assert.equal(ms(su.due_at), t0 + 34 * H, 'the next reply arms the next update from its own time');
  assert.equal(su.met_at, null);
});

test('L-5: an update not given within 24 h makes the ticket overdue in the scan; the late reply clears it', async () => {
  let agent = await login(srv.url, 'dl.agent');
  const t = await openTicket(agent, { subject: 'L-5 逾期' });
  const t0 = ms(t.created_at);
  await move(agent, t, 'assigned', 'in_progress');
  await entry(agent, t, 'reply');
  agent = await at(t0 + 24 * H - 60000);
  assert.equal((await get(agent, t)).overdue, false, 'one minute before: not overdue');
  const admin = await login(srv.url, 'admin');
  const moved = await admin.post('/api/v1/test/clock', { now: new Date(t0 + 24 * H + 60000).toISOString() });
  assert.equal(moved.status, 200, moved.text);
  assert.ok(moved.json.overdue_marked >= 1);
  agent = await login(srv.url, 'dl.agent');
  let got = await get(agent, t);
  assert.equal(got.overdue, true);
  assert.ok(dl(got, 'status_update').overdue_at);
  assert.equal(got.escalated_to, 'supervisor', 'raised to the supervisor');
  const tl = (await agent.get(`/api/v1/tickets/${t.id}/timeline`)).json.items;
  const ev = tl.find((e) => e.kind === 'overdue');
  assert.equal(ev.detail.deadline, 'status_update');
  assert.equal(ev.detail.rule, 'L-5');
  const listed = (await agent.get('/api/v1/tickets?overdue=true&limit=200')).json.items;
  assert.ok(listed.some((x) => x.id === t.id));
  await entry(agent, t, 'reply', '您好，更新一下进度');
  got = await get(agent, t);
  assert.equal(got.overdue, false, 'the late update meets it and arms the next');
  assert.equal(ms(dl(got, 'status_update').due_at), t0 + 48 * H + 60000);
});

test('L-5: waiting for the customer suspends the update; back in progress re-arms it; resolving stops it', async () => {
  let agent = await login(srv.url, 'dl.agent');
  const t = await openTicket(agent, { subject: 'L-5 等待' });
  const quiet = await openTicket(agent, { subject: 'L-5 未回复' });
  const t0 = ms(t.created_at);
  await move(agent, t, 'assigned', 'in_progress');
  await move(agent, quiet, 'assigned', 'in_progress');
  await entry(agent, t, 'reply', '请提供发票照片');
  agent = await at(t0 + H);
  await move(agent, t, 'pending_customer');
  await move(agent, quiet, 'pending_customer');
  let su = dl(await get(agent, t), 'status_update');
  assert.equal(ms(su.met_at), t0 + H, 'the clock stops when it is the customer\'s turn');
  agent = await at(t0 + 48 * H);
  let got = await get(agent, t);
  assert.equal(got.overdue, false, 'no update is due while waiting for the customer');
  assert.equal(dl(got, 'status_update').overdue_at, null);
  await entry(agent, t, 'reply', '提醒：请提供发票照片');
  assert.equal(ms(dl(await get(agent, t), 'status_update').met_at), t0 + H, 'a reply while waiting arms nothing');
  agent = await at(t0 + 49 * H);
  got = await move(agent, t, 'in_progress');
  su = dl(got, 'status_update');
  assert.equal(su.met_at, null);
  assert.equal(ms(su.due_at), t0 + 73 * H, 're-armed from the moment the customer\'s turn ended');
  const q = await move(agent, quiet, 'in_progress');
  assert.equal(dl(q, 'status_update'), undefined, 'no reply yet: L-6 still runs, no status update');
  agent = await at(t0 + 50 * H);
  got = await move(agent, t, 'resolved');
  assert.equal(ms(dl(got, 'status_update').met_at), t0 + 50 * H, 'resolving stops it');
  agent = await at(t0 + 100 * H);
  got = await get(agent, t);
  assert.equal(got.overdue, false);
  assert.equal(dl(got, 'status_update').overdue_at, null);
  await entry(agent, t, 'reply', '问题已解决');
  assert.equal(ms(dl(await get(agent, t), 'status_update').met_at), t0 + 50 * H, 'a reply to a resolved ticket arms nothing');
  got = await move(agent, t, 'reopened');
  assert.equal(ms(dl(got, 'status_update').due_at), t0 + 124 * H, 'reopening restarts it');
});

test('L-9: a middling or bad marketplace review is due for handling in 7 days; a good one is not; resolving meets it', async () => {
  const agent = await login(srv.url, 'dl.agent');
  const review = (rating) => openTicket(agent, { channel: 'marketplace', subject: `店铺评价 ${rating}`,
    review_rating: rating });
  const bad = await review('bad');
  const middling = await review('middling');
  const good = await review('good');
  const none = await openTicket(agent, { channel: 'marketplace', subject: '店铺咨询' });
  for (const t of [bad, middling]) {
    assert.equal(t.channel, 'marketplace');
    const r = dl(t, 'review');
    assert.ok(r, `${t.review_rating}: review deadline`);
    assert.equal(r.rule, 'L-9');
    assert.equal(ms(r.due_at), ms(t.created_at) + 7 * 24 * H);
  }
  assert.equal(good.review_rating, 'good');
  assert.equal(dl(good, 'review'), undefined);
  assert.equal(none.review_rating, null);
  assert.equal(dl(none, 'review'), undefined);
  const done = await move(agent, bad, 'assigned', 'in_progress', 'resolved');
  assert.ok(dl(done, 'review').met_at, 'resolving meets L-9');
  // A rating changed afterwards adds or drops the deadline.
  let r = await agent.patch(`/api/v1/tickets/${good.id}`, { review_rating: 'middling' });
  assert.equal(r.status, 200, r.text);
  assert.equal(ms(dl(r.json, 'review').due_at), ms(good.created_at) + 7 * 24 * H);
  r = await agent.patch(`/api/v1/tickets/${middling.id}`, { review_rating: 'good' });
  assert.equal(r.status, 200, r.text);
  assert.equal(dl(r.json, 'review'), undefined, 'a good rating needs no handling');
  assert.ok(dl(r.json, 'reply'), 'the other deadlines stay');
  const tl = (await agent.get(`/api/v1/tickets/${middling.id}/timeline`)).json.items;
  assert.deepEqual(tl.find((e) => e.kind === 'updated').detail.changes.review_rating,
    { before: 'middling', after: 'good' });
});

test('L-9: bad input is refused naming the field, and nothing is written', async () => {
  const agent = await login(srv.url, 'dl.agent');
  const count = () => Number(sql(srv.store, 'SELECT COUNT(*) FROM tickets').trim());
  const before = count();
  for (const [body, field] of [
    [{ channel: 'phone', review_rating: 'bad' }, 'review_rating'],
    [{ channel: 'marketplace', review_rating: 'terrible' }, 'review_rating'],
    [{ channel: 'marketplace', review_rating: 3 }, 'review_rating'],
    [{ channel: 'taobao' }, 'channel'],
  ]) {
    const r = await agent.post('/api/v1/tickets', { type: 'inquiry', subject: '评价', description: '差评',
      customer_id: customer.id, ...body });
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.equal(r.json.error.field, field);
    if (field === 'channel') assert.match(r.json.error.message, /marketplace/);
  }
  assert.equal(count(), before, 'no ticket written');
  const t = await openTicket(agent, { channel: 'marketplace', review_rating: 'bad' });
  for (const [body, field] of [
    [{ channel: 'phone' }, 'channel'],
    [{ review_rating: 'awful' }, 'review_rating'],
  ]) {
    const r = await agent.patch(`/api/v1/tickets/${t.id}`, body);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.error.field, field);
  }
  const phone = await openTicket(agent);
  const r = await agent.patch(`/api/v1/tickets/${phone.id}`, { review_rating: 'bad' });
  assert.equal(r.status, 422);
  assert.equal(r.json.error.field, 'review_rating');
  const same = await get(agent, t);
  assert.equal(same.version, t.version, 'the refused changes wrote nothing');
  assert.equal(same.channel, 'marketplace');
  assert.equal((await get(agent, phone)).review_rating, null);
  // Moving a rated ticket off the marketplace works with the rating cleared.
  const off = await agent.patch(`/api/v1/tickets/${t.id}`, { channel: 'phone', review_rating: null });
  assert.equal(off.status, 200, off.text);
  assert.equal(dl(off.json, 'review'), undefined);
});

test('business hours: a listed type\'s deadlines skip the night and the weekend, other types count calendar time', async () => {
  await setPolicy('deadlines:\n  l12_pause_pending_customer: true\n  business_hours:\n    types: [inquiry]\n' +
    '    start: "09:00"\n    end: "18:00"\n    weekdays: [mon, tue, wed, thu, fri]\n', '工作时间计时');
  // Friday 4 January 2030, 23:59 in Shanghai (the policy's zone).
  const fri = ms('2030-01-04T23:59:00+08:00');
  let agent = await at(fri);
  const t = await openTicket(agent, { subject: '周五深夜来电' });
  const q = await openTicket(agent, { type: 'query', subject: '周五深夜查询' });
  const waiting = await openTicket(agent, { subject: '周五深夜，等客户资料' });
  await move(agent, waiting, 'assigned', 'in_progress', 'pending_customer');
  // 24 business hours of 9-hour days: Monday, Tuesday, and Wednesday to 15:00.
  assert.equal(ms(dl(t, 'reply').due_at), ms('2030-01-09T15:00:00+08:00'));
  assert.equal(ms(dl(q, 'reply').due_at), fri + 24 * H, 'a type not listed counts calendar time');
  agent = await at(ms('2030-01-07T08:00:00+08:00'));
  assert.equal((await get(agent, t)).overdue, false, 'not overdue over the weekend');
  assert.equal((await get(agent, q)).overdue, true);
  // L-5 counts business hours too: a reply on Monday at 10:00 is due for
  // an update 24 business hours later, on Wednesday at 16:00.
  agent = await at(ms('2030-01-07T10:00:00+08:00'));
  // L-12 in business hours: the wait from Friday night to Monday 10:00 took
  // one business hour, so the paused reply deadline moves on by one hour.
  const back = await move(agent, waiting, 'in_progress');
  assert.equal(ms(dl(back, 'reply').due_at), ms('2030-01-09T16:00:00+08:00'));
  await move(agent, t, 'assigned', 'in_progress');
  await entry(agent, t, 'reply');
  assert.equal(ms(dl(await get(agent, t), 'status_update').due_at), ms('2030-01-09T16:00:00+08:00'));
  await setPolicy('deadlines:\n  l5_delay_status_hours: 24\n', '恢复日历时间');
});

