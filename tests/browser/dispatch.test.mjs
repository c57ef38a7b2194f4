// Dispatch in a real browser (D-2, L-10): the manager dispatches a service
// ticket from the dispatch list; the technician, on a phone-width screen
// (390 px), starts the voucher, records the work and the fee, has the
// customer sign on the canvas (mouse moves as the finger) and completes it;
// the signature is stored as a PNG; the manager sees the voucher completed
// and countersigns it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { setup, addUser, signIn, login } from './lib.mjs';

let env, url, manager, tech, ticket, voucherNumber;

before(async () => {
  env = await setup();
  url = env.srv.url;
  await addUser(env.admin, { login: 'mgr', name: '马经理', role: 'manager' });
  tech = await addUser(env.admin, { login: 'tech', name: '田师傅', role: 'technician' });
  await addUser(env.admin, { login: 'ag', name: '安客服', role: 'agent' });
  const ag = await login(url, 'ag');
  const cu = await ag.post('/api/v1/customers', { name: '孙上门', phone: '13655550002' });
  assert.equal(cu.status, 201, cu.text);
  const t = await ag.post('/api/v1/tickets', { type: 'service', channel: 'phone', subject: '空调不制冷',
    description: '请上门检修空调。', customer_id: cu.json.id, service_class: 'paid' });
  assert.equal(t.status, 201, t.text);
  ticket = t.json;
  manager = await env.page();
});
after(async () => { await env.close(); });

test('D-2: the manager dispatches a service ticket from the dispatch list', async () => {
  await signIn(manager, url, 'mgr');
  await manager.click('a.tab[href="#/dispatch"]');
  const row = manager.locator(`li[data-ticket="${ticket.number}"]`);
  await row.waitFor();
  await row.locator('select').selectOption(tech.id);
  await row.locator('input[name=address]').fill('浦东新区世纪大道 1 号');
  await row.locator('button[type=submit]').click();
  const scheduled = manager.locator('[data-testid=dispatch-scheduled] li').filter({ hasText: ticket.subject });
  await scheduled.waitFor();
  voucherNumber = await scheduled.getAttribute('data-voucher');
  assert.match(voucherNumber, /^PZ-\d{8}-\d{4}$/);
  assert.equal(await scheduled.locator('[data-testid=voucher-status]').innerText(), '已派工');
  assert.equal(await manager.locator(`li[data-ticket="${ticket.number}"]`).count(), 0, 'no longer waiting');
});

test('D-2: at phone width the technician completes the voucher with a signature drawn on the canvas', async () => {
  const phone = await env.page({ width: 390, height: 844 });
  await signIn(phone, url, 'tech');
  await phone.click('a.tab[href="#/vouchers"]');
  await phone.locator('[data-testid=my-vouchers] a', { hasText: voucherNumber }).click();
  await phone.locator('[data-testid=voucher-start]').click();
  await phone.locator('[data-testid=voucher-form]').waitFor();
  // The page fits the phone: no horizontal scrolling.
  assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= 390 + 1), 'no horizontal scroll at 390 px');
  await phone.fill('#v-work-done', '清洗冷凝器，补充制冷剂');
  await phone.fill('#v-parts', 'R32 制冷剂 0.5kg');
  await phone.fill('#v-fee-fen', '120.50');
  await phone.fill('#v-signer-name', '孙上门');
  const pad = phone.locator('[data-testid=signature-pad]');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  assert.ok(box.width <= 390 && box.width > 200, `the pad fits the screen (${box.width})`);
  await phone.mouse.move(box.x + 20, box.y + box.height / 2);
  await phone.mouse.down();
  for (let i = 1; i <= 20; i++)
    await phone.mouse.move(box.x + 20 + i * 12, box.y + box.height / 2 + Math.sin(i / 2) * 40, { steps: 2 });
  await phone.mouse.up();
  await phone.locator('[data-testid=voucher-complete]').click();
  const done = phone.locator('[data-testid=voucher-done]');
  await done.waitFor();
  assert.match(await done.innerText(), /¥120\.50/);
  assert.equal(await phone.locator('h1 [data-testid=voucher-status]').innerText(), '已完成');
  // The signature image is served back and drawn: a PNG with ink on it.
  // The element is in the page before its image has loaded: wait for the
  // load itself (a broken image ends complete with no width).
  const loaded = await phone
    .waitForFunction(() => {
      const img = document.querySelector('img.sig-img');
      return img && img.complete && img.naturalWidth > 0;
    }, null, { timeout: 10000 })
    .then(() => true, () => false);
  assert.ok(loaded, 'the image loads');
  const api = await login(url, 'tech');
  const list = (await api.get('/api/v1/vouchers')).json.items;
  const v = list.find((x) => x.number === voucherNumber);
  assert.equal(v.status, 'completed');
  assert.equal(v.fee_fen, 12050);
  assert.equal(v.signature.content_type, 'image/png');
  const res = await fetch(`${url}/api/v1/vouchers/${v.id}/signature`, { headers: { authorization: `Bearer ${api.token}` } });
  assert.equal(res.headers.get('content-type'), 'image/png');
  const bytes = Buffer.from(await res.arrayBuffer());
  assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  // Ink: the drawn canvas differs from a blank one of the same size.
  const blank = await phone.evaluate(({ w, h }) => {
    const c = document.createElement('canvas');
    c.width = w;
    c.height = h;
    const g = c.getContext('2d');
    g.fillStyle = '#fff';
    g.fillRect(0, 0, w, h);
    return c.toDataURL('image/png').length;
  }, { w: Math.round(box.width), h: Math.round(box.height) });
  assert.ok(bytes.length > blank, `the signature has strokes (${bytes.length} > ${blank} base64 chars of blank)`);
});

test('D-2: the manager sees the voucher completed and countersigns it', async () => {
  await manager.reload();
  const row = manager.locator(`[data-testid=dispatch-scheduled] li[data-voucher="${voucherNumber}"]`);
  await row.locator('[data-testid=voucher-status]', { hasText: '已完成' }).waitFor();
  await row.locator('button', { hasText: '核签' }).click();
  await row.locator('[data-testid=voucher-status]', { hasText: '经理已核签' }).waitFor();
});

test('K-7, D-3: the warehouse confirms a return slip; finance lists the certificate, the slip and the fee', async () => {
  const ag = await login(url, 'ag');
  const cu = await ag.post('/api/v1/customers', { name: '周退货', phone: '13655550003' });
  const mk = async () => (await ag.post('/api/v1/tickets', { type: 'complaint', channel: 'phone', subject: '外包装破损',
    description: '货物破损。', customer_id: cu.json.id })).json;
  const c1 = await mk();
  const ret = await ag.post(`/api/v1/tickets/${c1.id}/resolutions`, { kind: 'return', quantity: 5, summary: '退货 5 件' });
  assert.equal(ret.status, 201, ret.text);
  const c2 = await mk();
  const disc = await ag.post(`/api/v1/tickets/${c2.id}/resolutions`, { kind: 'discount', amount_fen: 30000, summary: '折扣' });
  const mgr = await login(url, 'mgr');
  assert.equal((await mgr.post(`/api/v1/resolutions/${disc.json.id}/decisions`, { decision: 'approve' })).status, 200);

  await manager.click('a.tab[href="#/returns"]');
  const row = manager.locator('[data-testid=return-slips] li').filter({ hasText: c1.number });
  await row.waitFor();
  // More than the slip's quantity is refused next to the field (K-7).
  await row.locator('input[name=received_qty]').fill('6');
  await row.locator('button[type=submit]').click();
  await row.locator('.field-error[data-field=received_qty]').waitFor();
  await row.locator('input[name=received_qty]').fill('5');
  await row.locator('button[type=submit]').click();
  await manager.locator('[data-testid=return-slips] li').filter({ hasText: c1.number }).waitFor({ state: 'detached' });

  await manager.click('a.tab[href="#/finance"]');
  await manager.locator('[data-testid=finance-certificates] li', { hasText: c2.number }).waitFor();
  assert.match(await manager.locator('[data-testid=finance-certificates] li', { hasText: c2.number }).innerText(), /¥300\.00/);
  assert.match(await manager.locator('[data-testid=finance-returns] li', { hasText: c1.number }).innerText(), /已签收 5/);
  assert.match(await manager.locator('[data-testid=finance-fees]').innerText(), /¥120\.50/);
});
