// The HTTP core: health, readiness, metrics, request ids, static files, body
// limits, hostile requests, graceful shutdown.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { spawnSync } from 'node:child_process';
import { startServer, client, login, raw, rawStatus, rawBody, PASSWORD, BIN } from './lib.mjs';

let srv, admin;
before(async () => {
  srv = await startServer({ env: { KEFU_WEB: process.env.KEFU_WEB || new URL('../../web', import.meta.url).pathname } });
  admin = await login(srv.url, 'admin');
});
after(async () => { await srv.cleanup(); });

test('healthz and readyz answer', async () => {
  const h = await client(srv.url).get('/healthz');
  assert.equal(h.status, 200);
  assert.equal(h.json.status, 'ok');
  const r = await client(srv.url).get('/readyz');
  assert.equal(r.status, 200);
});

test('every response carries a request id, and a valid incoming one is kept', async () => {
  const a = await client(srv.url).get('/healthz');
  assert.match(a.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
  const b = await client(srv.url).get('/healthz', { 'x-request-id': 'trace-42' });
  assert.equal(b.headers.get('x-request-id'), 'trace-42');
  const c = await client(srv.url).get('/healthz', { 'x-request-id': 'bad id with spaces' });
  assert.notEqual(c.headers.get('x-request-id'), 'bad id with spaces');
});

test('metrics are Prometheus text with requests by route and status, latency and connections', async () => {
  await admin.get('/api/v1/me');
  const m = await client(srv.url).get('/metrics');
  assert.equal(m.status, 200);
  assert.match(m.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
  assert.match(m.text, /kefu_http_requests_total\{route="\/api\/v1\/me",method="GET",status="200"\} \d+/);
  assert.match(m.text, /kefu_http_request_duration_seconds_bucket\{route="\/api\/v1\/me",method="GET",le="\+Inf"\} \d+/);
  assert.match(m.text, /kefu_http_open_connections \d+/);
});

test('metrics count group write transactions and the writes they carried', async () => {
  const count = (text, name) => Number(text.match(new RegExp(`^${name} (\\d+)$`, 'm'))[1]);
  const before = await client(srv.url).get('/metrics');
  assert.equal((await admin.post('/api/v1/users', { login: 'metrics.agent', name: '计数', role: 'agent', password: PASSWORD })).status, 201);
  const agent = await login(srv.url, 'metrics.agent');
  const regs = await Promise.all([0, 1, 2].map((i) => agent.post('/api/v1/tickets', { type: 'inquiry', channel: 'web',
    subject: `计数 ${i}`, description: '登记', customer: { name: '计数客户', phone: `1390000222${i}` } })));
  for (const r of regs) assert.equal(r.status, 201, r.text);
  const after = await client(srv.url).get('/metrics');
  const commits = count(after.text, 'kefu_store_group_commits_total') - count(before.text, 'kefu_store_group_commits_total');
  const jobs = count(after.text, 'kefu_store_group_jobs_total') - count(before.text, 'kefu_store_group_jobs_total');
  // Three registrations, each with its search entry written later by the
  // indexer (which shares group transactions too): at least three writes,
  // in at most as many transactions.
  assert.ok(jobs >= 3, `jobs ${jobs}`);
  assert.ok(commits >= 1 && commits <= jobs, `commits ${commits}, jobs ${jobs}`);
  // The gauge of writes queued for the writer thread (the indexer may be
  // queued at this very moment).
  assert.ok(count(after.text, 'kefu_store_group_waiting') >= 0);
  // Their time by stage: every stage counts every job answered.
  const stage = (text, kind, s) => Number(text.match(new RegExp(`^kefu_store_group_write_seconds_${kind}\\{stage="${s}"\\} ([0-9.]+)$`, 'm'))[1]);
  for (const s of ['queue', 'transaction', 'durable']) {
    assert.ok(stage(after.text, 'count', s) - stage(before.text, 'count', s) >= 3, s);
    assert.ok(stage(after.text, 'sum', s) >= stage(before.text, 'sum', s), s);
  }
  assert.ok(stage(after.text, 'sum', 'transaction') > stage(before.text, 'sum', 'transaction'));
  // WAL checkpoints so far: a counter on SQLite, 0 on PostgreSQL.
  assert.ok(count(after.text, 'kefu_store_checkpoints_total') >= count(before.text, 'kefu_store_checkpoints_total'));
});

test('a second server on an address in use fails with a clear error instead of sharing the port', async () => {
  // Two processes accepting on one port would each get part of the
  // clients, silently; the second is refused instead.
  const port = new URL(srv.url).port;
  const r = spawnSync(BIN, ['serve', '--listen', `127.0.0.1:${port}`, '--db', srv.store.url],
    { encoding: 'utf8', timeout: 15000 });
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stderr, /cannot listen on 127\.0\.0\.1:\d+: Address already in use/);
  const h = await client(srv.url).get('/healthz');
  assert.equal(h.status, 200);
});

test('unknown endpoints are 404 and wrong methods 405 with Allow, in the error shape', async () => {
  const nf = await admin.get('/api/v1/nothing-here');
  assert.equal(nf.status, 404);
  assert.equal(nf.json.error.code, 'not_found');
  const m = await admin.call('DELETE', '/api/v1/me');
  assert.equal(m.status, 405);
  assert.match(m.headers.get('allow'), /GET/);
  assert.ok(m.json.error.message);
});

test('static files are served with their types, and paths with .. are refused', async () => {
  const index = await client(srv.url).get('/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  // A page carries the headers that govern what it may load, frame and send.
  assert.match(index.headers.get('content-security-policy'), /default-src 'self'/);
  assert.equal(index.headers.get('x-frame-options'), 'DENY');
  assert.equal(index.headers.get('referrer-policy'), 'no-referrer');
  assert.equal(index.headers.get('x-content-type-options'), 'nosniff');
  // An API answer: no sniffing, never cached.
  const health = await client(srv.url).get('/healthz');
  assert.equal(health.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(health.headers.get('cache-control'), 'no-store');
  for (const p of ['/../CMakeLists.txt', '/%2e%2e/CMakeLists.txt', '/..%2fCMakeLists.txt',
    '/./index.html', '/x/../../etc/passwd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd']) {
    const res = await raw(srv.url, `GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    const status = rawStatus(res);
    assert.ok(status === 404 || status === 400, `${p} → ${status}`);
    assert.doesNotMatch(res, /cmake_minimum_required|root:x:0/);
  }
  const missing = await client(srv.url).get('/no-such-file.js');
  assert.equal(missing.status, 404);
});

test('malformed JSON is 400, a non-object is 400, wrong types and unknown fields are 422 naming the field', async () => {
  const bad = await admin.post('/api/v1/teams', '{"name": ');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.code, 'bad_request');
  const arr = await admin.post('/api/v1/teams', '[1,2]');
  assert.equal(arr.status, 400);
  const type = await admin.post('/api/v1/teams', { name: 42 });
  assert.equal(type.status, 422);
  assert.equal(type.json.error.field, 'name');
  const unknown = await admin.post('/api/v1/teams', { name: '未知字段组', colour: 'red' });
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.error.field, 'colour');
  const missing = await admin.post('/api/v1/teams', {});
  assert.equal(missing.status, 422);
  assert.equal(missing.json.error.field, 'name');
  const empty = await admin.post('/api/v1/teams', '');
  assert.equal(empty.status, 400);
  const teams = await admin.get('/api/v1/teams');
  assert.ok(!teams.json.items.some((t) => t.name === '未知字段组'), 'nothing written');
});

test('invalid UTF-8 is 400 and over-long strings are 422', async () => {
  const bytes = Buffer.concat([Buffer.from('{"name":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]);
  const res = await admin.post('/api/v1/teams', new Uint8Array(bytes));
  assert.equal(res.status, 400);
  const long = await admin.post('/api/v1/teams', { name: '组'.repeat(65) });
  assert.equal(long.status, 422);
  assert.equal(long.json.error.field, 'name');
  assert.match(long.json.error.message, /longer than 64/);
  const ctl = await admin.post('/api/v1/teams', { name: 'a\u0001b' });
  assert.equal(ctl.status, 422);
  const nul = await admin.post('/api/v1/teams', '{"name":"a\\u0000b"}');
  assert.ok(nul.status === 400 || nul.status === 422);
});

test('a 2 MiB body is refused with 413 and the server keeps serving', async () => {
  const big = JSON.stringify({ name: 'x'.repeat(2 * 1024 * 1024) });
  const res = await admin.post('/api/v1/teams', big);
  assert.equal(res.status, 413);
  assert.equal(res.json.error.code, 'payload_too_large');
  // Chunked, without Content-Length.
  const token = admin.token;
  const chunk = 'a'.repeat(64 * 1024);
  let body = '';
  for (let i = 0; i < 40; i++) body += chunk.length.toString(16) + '\r\n' + chunk + '\r\n';
  body += '0\r\n\r\n';
  const r2 = await raw(srv.url, `POST /api/v1/teams HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n${body}`);
  assert.equal(rawStatus(r2), 413);
  assert.equal((await client(srv.url).get('/healthz')).status, 200);
  // Chunked and over 16 MiB: no answer can be queued while the body is
  // still arriving, so the connection is closed rather than left hanging.
  const u = new URL(srv.url);
  const outcome = await new Promise((resolve) => {
    const sock = net.connect(Number(u.port), u.hostname);
    const timer = setTimeout(() => { sock.destroy(); resolve('still open after 10 s'); }, 10000);
    const done = (how) => { clearTimeout(timer); sock.destroy(); resolve(how); };
    sock.on('end', () => done('closed'));
    sock.on('close', () => done('closed'));
    sock.on('error', () => done('closed'));
    sock.on('connect', () => {
      sock.write(`POST /api/v1/teams HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n`);
      const frame = chunk.length.toString(16) + '\r\n' + chunk + '\r\n';
      for (let i = 0; i < 18 * 16; i++) sock.write(frame);
    });
  });
  assert.equal(outcome, 'closed');
  assert.equal((await client(srv.url).get('/healthz')).status, 200);
});

test('10 000 headers are refused with a 4xx and the server keeps serving', async () => {
  let req = 'GET /api/v1/me HTTP/1.1\r\nHost: x\r\n';
  for (let i = 0; i < 10000; i++) req += `X-H${i}: v\r\n`;
  req += 'Connection: close\r\n\r\n';
  const res = await raw(srv.url, req);
  const status = rawStatus(res);
  assert.ok(status === 431 || status === 413 || status === 400 || status === 0, `status ${status}`);
  assert.equal((await client(srv.url).get('/healthz')).status, 200);
});

test('errors never leak SQL or internals', async () => {
  const res = await admin.get('/api/v1/users/99999999999999999999');
  assert.equal(res.status, 404);
  assert.doesNotMatch(res.text, /sqlite|SELECT|postgres/i);
});

test('tampered cursors are refused with 400', async () => {
  const page = await admin.get('/api/v1/users?limit=1');
  assert.equal(page.status, 200);
  const bad = await admin.get('/api/v1/users?limit=1&cursor=1.0000000000000000');
  assert.equal(bad.status, 400);
  assert.equal(bad.json.error.field, 'cursor');
  const limit = await admin.get('/api/v1/users?limit=500');
  assert.equal(limit.status, 422);
  assert.equal(limit.json.error.field, 'limit');
  const unknown = await admin.get('/api/v1/users?colour=red');
  assert.equal(unknown.status, 422);
  assert.equal(unknown.json.error.field, 'colour');
});

test('connection threads take new connections in turn: 16 opened at once are spread over both threads', async () => {
  // A client pool (or a proxy) opens its connections together. Each
  // connection stays on the thread that took it, so 16 on one thread of two
  // would be served by one core while the other idles.
  const two = await startServer({ args: ['--threads', '2'] });
  const socks = [];
  try {
    const port = Number(new URL(two.url).port);
    const ask = () => new Promise((resolve, reject) => {
      const s = net.connect(port, '127.0.0.1', () => s.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n'));
      socks.push(s);
      let got = '';
      s.on('data', (d) => { got += d; if (/\r\n\r\n[^]*\}/.test(got)) resolve(got); });
      s.on('error', reject);
    });
    const answers = await Promise.all(Array.from({ length: 16 }, ask));
    for (const a of answers) assert.match(a, /^HTTP\/1\.1 200/);
    const m = await client(two.url).get('/metrics');
    const per = [...m.text.matchAll(/^kefu_http_thread_connections\{thread="(\d+)"\} (\d+)$/gm)].map((x) => Number(x[2]));
    assert.equal(per.length, 2, m.text);
    // In turn: 8 and 8 of the 16, and the metrics request's own
    // connection on either.
    assert.equal(per[0] + per[1], 17, `connections by thread: ${per}`);
    assert.ok(Math.min(...per) >= 8, `connections by thread: ${per}`);
    // Closed connections are counted off their thread.
    for (const s of socks) s.destroy();
    let left;
    for (let i = 0; i < 50; i++) {
      const again = await client(two.url).get('/metrics');
      left = [...again.text.matchAll(/^kefu_http_thread_connections\{thread="(\d+)"\} (\d+)$/gm)].map((x) => Number(x[2]));
      if (left[0] + left[1] <= 2) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    assert.ok(left[0] + left[1] <= 2, `connections by thread after closing: ${left}`);
  } finally {
    for (const s of socks) s.destroy();
    await two.cleanup();
  }
});

test('writes run on write threads: while sign-ins run there, the only connection thread still answers', async () => {
  const one = await startServer({ args: ['--threads', '1', '--write-threads', '4'] });
  try {
    // A sign-in is a write (a session row) and spends tens of milliseconds
    // in argon2id. Eight people (parallel attempts on one account are
    // throttled) sign in at once; once the first is answered, the write
    // threads are busy with the others, and the connection thread answers
    // the metrics request meanwhile. Were writes run on the connection
    // thread, it could answer only between two of them, with none running.
    const adm = await login(one.url, 'admin');
    for (let i = 0; i < 8; i++)
      assert.equal((await adm.post('/api/v1/users', { login: `w${i}`, name: `w${i}`, role: 'agent', password: PASSWORD })).status, 201);
    const logins = Array.from({ length: 8 }, (_, i) =>
      fetch(one.url + '/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ login: `w${i}`, password: PASSWORD }) }).then(async (r) => { await r.text(); return r.status; }));
    await Promise.race(logins);
    const m = await client(one.url).get('/metrics');
    const running = Number(m.text.match(/^kefu_http_writes_running (\d+)$/m)[1]);
    const waiting = Number(m.text.match(/^kefu_http_writes_waiting (\d+)$/m)[1]);
    assert.deepEqual(await Promise.all(logins), Array(8).fill(200));
    assert.ok(running >= 2 && running <= 4, `writes running: ${running}`);
    assert.ok(waiting >= 0 && running + waiting <= 7, `writes waiting: ${waiting}`);
    const after = await client(one.url).get('/metrics');
    assert.match(after.text, /^kefu_http_writes_running 0$/m);
    assert.match(after.text, /^kefu_http_writes_waiting 0$/m);
  } finally {
    await one.cleanup();
  }
});
