// Attendance, handover and duty log in the console (W-15, W-16, W-17): the
// outgoing agent clocks in, fills the handover from the draft (an open ticket
// and an item carried over from the shift before), signs it, and may not
// clock out until the incoming agent, in another browser, confirms it; the
// unresolved items then carry over to the incoming agent. The duty log keeps
// the original entry when it is corrected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login } from './lib.mjs';

let env, url, outPage, inPage, ids = {}, ticket;

before(async () => {
  env = await setup();
  url = env.srv.url;
  for (const [l, name] of [['ho.prev', '周早班'], ['ho.out', '杨交班'], ['ho.in', '林接班']])
    ids[l] = (await addUser(env.admin, { login: l, name, role: 'agent' })).id;
  const out = await login(url, 'ho.out');
  const cu = (await out.post('/api/v1/customers', { name: '王业主', phone: '13700001111' })).json;
  ticket = (await out.post('/api/v1/tickets', { type: 'repair', channel: 'phone', subject: '水管漏水待维修',
    description: '厨房水管漏水', customer_id: cu.id })).json;
  // The shift before handed a customer promise over to ho.out, who confirmed it.
  const prev = await login(url, 'ho.prev');
  const h = await prev.post('/api/v1/handovers', { to_user_id: ids['ho.out'], equipment_checked: true,
    items: [{ kind: 'promise', text: '答应王业主下午回电' }] });
  assert.equal(h.status, 201, h.text);
  assert.equal((await out.post(`/api/v1/handovers/${h.json.id}/confirm`, {})).status, 200);
  outPage = await env.page();
  inPage = await env.page();
});
after(async () => { await env.close(); });

test('W-15, W-16: a handover with carried-over items is confirmed by the next agent; clock-out only after', async () => {
  await signIn(outPage, url, 'ho.out');
  await outPage.click('a.tab[href="#/attendance"]');
  await outPage.click('[data-testid=clock-in]');
  await outPage.locator('[data-testid=clock-msg]', { hasText: '已打卡上班' }).waitFor();
  await outPage.locator('[data-testid=clock-state]', { hasText: '上班中' }).waitFor();

  await outPage.click('a.tab[href="#/handover"]');
  const items = outPage.locator('[data-testid=handover-items]');
  await items.locator('li', { hasText: '答应王业主下午回电' }).locator('[data-testid=carried]').waitFor();
  await items.locator('li', { hasText: ticket.number }).waitFor();
  await outPage.selectOption('#ho-to-user-id', ids['ho.in']);
  await outPage.check('#ho-equipment');
  await outPage.fill('#ho-new-text', '3号电话线路有杂音，已报修');
  await outPage.click('[data-testid=add-item]');
  await outPage.fill('#ho-anomalies', '下午停电半小时');
  await outPage.click('form[data-testid=handover-form] button[type=submit]');
  await outPage.locator('[data-testid=handover-signed]').waitFor();

  // Signed but not confirmed: the clock-out is refused by W-16.
  await outPage.click('[data-testid=clock-out]');
  await outPage.locator('[data-testid=clock] .form-error', { hasText: 'W-16' }).waitFor();
  await outPage.locator('[data-testid=clock-state]', { hasText: '上班中' }).waitFor();

  // The incoming agent sees it, with the carried-over item, and confirms.
  await signIn(inPage, url, 'ho.in');
  await inPage.click('a.tab[href="#/handover"]');
  const card = inPage.locator('[data-testid=incoming-handovers] li.ho-card', { hasText: '杨交班' });
  await card.locator('li', { hasText: '答应王业主下午回电' }).locator('[data-testid=carried]').waitFor();
  await card.locator('li', { hasText: '3号电话线路有杂音' }).waitFor();
  await card.locator('li', { hasText: ticket.number }).waitFor();
  await card.locator('[data-testid=confirm-handover]').click();
  await inPage.locator('[data-testid=incoming-handovers]').waitFor({ state: 'detached' });
  // Unresolved items are now the incoming agent's, pre-filled as carried over.
  const mine = inPage.locator('[data-testid=handover-items]');
  for (const text of ['答应王业主下午回电', '3号电话线路有杂音', ticket.number])
    await mine.locator('li', { hasText: text }).locator('[data-testid=carried]').waitFor();

  // Now the outgoing agent clocks out.
  await outPage.click('[data-testid=clock-out]');
  await outPage.locator('[data-testid=clock-msg]', { hasText: '已打卡下班' }).waitFor();
  await outPage.locator('[data-testid=clock-state]', { hasText: '未上班' }).waitFor();
  await outPage.locator('[data-testid=outgoing-handovers] .badge.ho-confirmed').waitFor();
});

test('W-17: a duty log correction is a new entry; the original stays, marked corrected', async () => {
  await inPage.click('a.tab[href="#/duty-log"]');
  await inPage.selectOption('#duty-kind', 'call');
  await inPage.fill('#duty-body', '业户来电：3栋漏水');
  await inPage.click('form[data-testid=duty-form] button[type=submit]');
  const first = inPage.locator('[data-testid=duty-list] li', { hasText: '业户来电：3栋漏水' });
  await first.waitFor();
  const id = (await first.getAttribute('data-testid')).slice('duty-'.length);
  await inPage.click(`[data-testid=correct-${id}]`);
  await inPage.fill('#duty-body', '更正：是5栋漏水');
  await inPage.click('form[data-testid=duty-form] button[type=submit]');
  await inPage.locator('[data-testid=duty-list] li', { hasText: `更正第 ${id} 条` }).waitFor();
  await inPage.locator(`[data-testid=duty-${id}].duty-corrected`, { hasText: '业户来电：3栋漏水' }).waitFor();
  assert.equal(await inPage.locator('[data-testid=duty-list] li').count(), 2);
  // The page in Traditional Chinese and in English.
  await inPage.selectOption('[data-testid=lang]', 'zh-TW');
  await inPage.locator('h1', { hasText: '值班記錄' }).waitFor();
  await inPage.locator(`[data-testid=duty-${id}]`, { hasText: '已被第' }).waitFor();
  await inPage.selectOption('[data-testid=lang]', 'en');
  await inPage.locator('h1', { hasText: 'Duty log' }).waitFor();
  await inPage.locator(`[data-testid=duty-${id}]`, { hasText: 'corrected by entry' }).waitFor();
  await inPage.selectOption('[data-testid=lang]', 'zh-CN');
});
