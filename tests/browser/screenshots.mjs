// Regenerates the console's screenshots in docs/screenshots/ (run by
// scripts/screenshots.sh): a fresh SQLite store with the demo department
// (`kefu demo`), a day's worth of tickets registered through the API at
// earlier instants (`--test-clock`), so that some are due soon and some
// overdue, then the pages as agent01 (杨静) sees them, and the customer
// portal as the customer of the escalated complaint sees it.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { newStore, kefu, startServer, client } from '../api/lib.mjs';
import { CHROMIUM, WEB } from './lib.mjs';

const OUT = process.argv[2] || new URL('../../docs/screenshots', import.meta.url).pathname;
const DEMO_PASSWORD = 'Kefu-demo-2026';
const H = 3600e3;

async function signIn(base, login) {
  const res = await client(base).post('/api/v1/auth/login', { login, password: DEMO_PASSWORD });
  if (res.status !== 200) throw new Error(`sign-in ${login}: ${res.text}`);
  return { api: client(base, res.json.token), me: res.json.user };
}
function must(res, what) {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${res.text}`);
  return res.json;
}

// [hours ago, type, priority, subject, description, assignee, then]
const TICKETS = [
  [70, 'complaint', 'urgent', '空调漏水，要求退货', '客户反映上周购买的挂式空调室内机漏水，地板被泡，要求退货并赔偿地板损失。', 'agent01', ['in_progress', 'reply', 'note', 'escalate']],
  [52, 'repair', null, '冰箱冷藏室不制冷', '冷冻正常，冷藏室温度降不下来，已断电重启无效。', 'agent01', ['in_progress', 'pending_customer']],
  [30, 'inquiry', null, '咨询热水器保修期', '客户想了解燃气热水器整机和主要部件的保修期。', 'agent01', []],
  [25.5, 'query', null, '查询上周报修进度', '上周报修的洗衣机至今没有师傅联系。', 'agent01', ['in_progress']],
  [23.2, 'complaint', null, '安装师傅迟到两小时', '约好上午九点安装，师傅十一点才到，态度也不好。', 'agent01', ['in_progress', 'reply']],
  [22.6, 'help', null, '老人不会用遥控器，请求上门指导', '独居老人，子女在外地，希望安排上门讲解空调遥控器用法。', 'agent01', []],
  [20, 'repair', 'urgent', '洗衣机脱水时噪音很大', '脱水时整机晃动并有异响，担心安全。', 'agent01', ['in_progress']],
  [16, 'suggestion', null, '建议延长周末售后服务时间', '周末客服下午五点就下班，上班族很难打进来。', 'agent01', []],
  [9, 'service', null, '油烟机清洗服务预约', '客户预约下周六上午油烟机深度清洗。', 'agent01', ['in_progress']],
  [6, 'complaint', 'critical', '快递破损，电视外壳有裂痕', '收货时外包装破损，开箱发现电视边框有裂痕。', 'agent01', []],
  [3, 'inquiry', null, '净水器滤芯多久换一次', '客户询问RO反渗透滤芯和前置滤芯的更换周期。', 'agent01', []],
  [1.2, 'repair', null, '微波炉门关不紧', '门关上后有缝隙，加热时指示灯闪烁。', 'agent01', []],
  [0.4, 'query', null, '发票抬头开错需要重开', '客户发票抬头写成了个人，需要改为公司抬头。', 'agent01', []],
  [40, 'complaint', null, '空气净化器有异味', '新买的净化器开机后有塑料味，担心有害。', 'agent02', ['in_progress']],
  [12, 'repair', null, '电视屏幕出现竖线', '开机后屏幕中间出现一条绿色竖线。', 'agent04', []],
  [26, 'complaint', 'urgent', '售后电话一直打不通', '连续两天拨打售后电话都在排队，等了二十多分钟没人接。', 'agent03', ['in_progress']],
  [22.8, 'repair', null, '空调外机噪音扰民', '邻居投诉外机夜间噪音大，需要上门检查减震。', 'agent03', []],
  [5, 'inquiry', null, '以旧换新活动怎么参加', '客户想把旧冰箱换成新款，询问补贴标准。', 'agent05', []],
  [2, 'service', null, '热水器年度保养预约', '预约本周末上门保养。', 'agent05', ['in_progress']],
];

async function main() {
  mkdirSync(OUT, { recursive: true });
  const store = newStore();
  kefu(store, ['init']);
  kefu(store, ['demo']);
  const srv = await startServer({ store, args: ['--test-clock'], env: { KEFU_WEB: WEB } });
  try {
    const base = srv.url;
    const now = Date.now();
    const admin = (await signIn(base, 'admin')).api;
    const setClock = async (ms) => must(await admin.post('/api/v1/test/clock', { now: new Date(ms).toISOString() }), 'clock');
    const users = must(await admin.get('/api/v1/users?limit=200'), 'users').items;
    const id = (login) => users.find((u) => u.login === login).id;
    const staff = {};
    for (const l of ['agent01', 'agent02', 'agent03', 'agent04', 'agent05']) staff[l] = await signIn(base, l);
    const customers = must(await staff.agent01.api.get('/api/v1/customers?limit=60'), 'customers').items;

    const order = [...TICKETS].sort((a, b) => b[0] - a[0]);
    let showcase = null;
    for (const [i, [ago, type, priority, subject, description, who, then]] of order.entries()) {
      await setClock(now - ago * H);
      const { api } = staff[who];
      const body = { type, channel: i % 4 === 3 ? 'web' : 'phone', subject, description,
        customer_id: customers[(i * 7) % customers.length].id };
      if (priority) body.priority = priority;
      const tk = must(await api.post('/api/v1/tickets', body), 'register');
      must(await api.post(`/api/v1/tickets/${tk.id}/transitions`, { to: 'assigned' }), 'assign');
      for (const step of then) {
        await setClock(now - ago * H + 20 * 60e3 * (then.indexOf(step) + 1));
        if (step === 'reply')
          must(await api.post(`/api/v1/tickets/${tk.id}/entries`, { kind: 'reply', body: '您好，非常抱歉给您带来不便。我们已安排售后师傅明天上午上门检查，检查后会第一时间给您答复。' }), 'reply');
        else if (step === 'note')
          must(await api.post(`/api/v1/tickets/${tk.id}/entries`, { kind: 'note', body: '客户情绪激动，提到要向消协投诉。地板损失需要照片和维修报价，已请客户补充。' }), 'note');
        else if (step === 'escalate')
          must(await api.post(`/api/v1/tickets/${tk.id}/escalations`, { reason: '客户要求赔偿地板损失，超出专员权限' }), 'escalate');
        else must(await api.post(`/api/v1/tickets/${tk.id}/transitions`, { to: step }), step);
      }
      if (then.includes('escalate')) showcase = tk;
    }
    // A colleague asks agent01 to take a ticket over (the top bar shows it).
    await setClock(now - 0.2 * H);
    const offered = must(await staff.agent02.api.get('/api/v1/tickets?owner_id=me&limit=1'), 'list').items[0];
    must(await staff.agent02.api.post(`/api/v1/tickets/${offered.id}/transfers`, { to_user_id: id('agent01'), reason: '明天轮休，请帮忙跟进' }), 'transfer');
    await setClock(now); // the overdue scan marks what passed meanwhile

    const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--lang=zh-CN', '--hide-scrollbars'] });
    // A page of its own browser context, signed in by signIn, arranged by act.
    const shootAs = async (name, { width = 1280, height = 800 }, signIn, act) => {
      const context = await browser.newContext({ viewport: { width, height }, deviceScaleFactor: 1, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
      const page = await context.newPage();
      await signIn(page);
      await act(page);
      await page.waitForTimeout(400);
      const file = join(OUT, name + '.png');
      await page.screenshot({ path: file });
      console.log('wrote', file);
      await context.close();
    };
    // Staff: the console's sign-in page.
    const shoot = (name, { width, height, user = 'agent01' } = {}, act) =>
      shootAs(name, { width, height }, async (page) => {
        await page.goto(base + '/');
        await page.fill('#login-login', user);
        await page.fill('#login-password', DEMO_PASSWORD);
        await page.press('#login-password', 'Enter');
        await page.locator('[data-testid=live].on').waitFor();
      }, act);
    await shoot('console-queue', {}, async (page) => {
      await page.locator('.trow').nth(5).waitFor();
    });
    await shoot('ticket-view', { width: 1280, height: 1000 }, async (page) => {
      await page.goto(`${base}/#/tickets/${showcase.id}`);
      await page.locator('.tl-note').waitFor();
    });
    await shoot('registration', {}, async (page) => {
      await page.click('a.tab[href="#/new"]');
      const c = customers[3];
      await page.fill('#reg-customer-phone', c.phone.slice(-4));
      await page.locator('[data-testid=customer-matches] button.match').first().waitFor();
      await page.selectOption('#reg-type', 'repair');
      await page.fill('#reg-subject', '热水器点不着火');
      await page.fill('#reg-description', '打开热水龙头后热水器有咔哒声但点不着火，已检查燃气阀是打开的。');
      await page.locator('#reg-customer-phone').focus();
    });
    await shoot('queue-phone', { width: 390, height: 780 }, async (page) => {
      await page.locator('.trow').nth(5).waitFor();
    });
    await shoot('team-board', { user: 'supervisor' }, async (page) => {
      await page.click('a.tab[href="#/board"]');
      await page.locator('table.load').first().waitFor();
    });
    // The customer portal: the showcase ticket's customer, with a portal
    // account issued by staff, on a phone: the conversation with the reply
    // (never the internal note, T-7) and the list of their requests.
    const portalPw = 'Kehu-mima-2026';
    must(await staff.agent01.api.post(`/api/v1/customers/${showcase.customer_id}/verifications`,
      { method: 'id_number', passed: true }), 'verification');
    const account = must(await staff.agent01.api.post(`/api/v1/customers/${showcase.customer_id}/portal-account`,
      { password: portalPw }), 'portal account');
    const shootPortal = (name, act) =>
      shootAs(name, { width: 390, height: 780 }, async (page) => {
        await page.goto(base + '/#/portal');
        await page.fill('#psi-phone', account.phone);
        await page.fill('#psi-password', portalPw);
        await page.press('#psi-password', 'Enter');
        await page.locator('[data-testid=portal-who]').waitFor();
      }, act);
    await shootPortal('portal-ticket', async (page) => {
      await page.goto(`${base}/#/portal/tickets/${showcase.id}`);
      await page.locator('[data-testid=portal-entry][data-kind=reply]').waitFor();
    });
    await shootPortal('portal-requests', async (page) => {
      await page.locator('[data-testid=portal-tickets] a').first().waitFor();
    });
    await browser.close();
  } finally {
    await srv.cleanup();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
