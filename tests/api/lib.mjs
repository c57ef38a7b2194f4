// Starts a real kefu server on a fresh store (SQLite file or a new
// PostgreSQL database) for each test file, and talks to it over HTTP.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import net from 'node:net';
import { randomBytes } from 'node:crypto';

export const BIN = process.env.KEFU_BIN || new URL('../../build/kefu', import.meta.url).pathname;
export const ENGINE = process.env.KEFU_TEST_ENGINE || 'sqlite';
export const PASSWORD = 'Test-passw0rd-2026';

function run(args, input, env) {
  return execFileSync(BIN, args, { input, env: { ...process.env, ...env }, encoding: 'utf8',
    stdio: ['pipe', 'pipe', 'pipe'] });
}

export function newStore() {
  const dir = mkdtempSync(join(tmpdir(), 'kefu-api-'));
  if (ENGINE === 'postgres') {
    const base = process.env.KEFU_TEST_PG;
    if (!base) throw new Error('KEFU_TEST_PG is not set');
    const name = 'kefu_' + randomBytes(6).toString('hex');
    const u = new URL(base);
    execFileSync('psql', ['-h', u.hostname, '-p', u.port, '-U', u.username || 'postgres',
      '-d', 'postgres', '-qc', `CREATE DATABASE ${name}`]);
    return { url: `${base}/${name}`, dir, sqlitePath: null, pgName: name };
  }
  const path = join(dir, 'kefu.db');
  return { url: `sqlite:${path}`, dir, sqlitePath: path, pgName: null };
}

// Runs SQL directly against the store (for tests that tamper with it).
export function sql(store, statement) {
  if (store.sqlitePath)
    // The server may hold the write lock a moment (its indexer, a scan):
    // wait for it as kefu's own connections do.
    return execFileSync('sqlite3', ['-cmd', '.timeout 5000', store.sqlitePath, statement],
      { encoding: 'utf8' });
  const u = new URL(store.url);
  return execFileSync('psql', ['-h', u.hostname, '-p', u.port, '-U', u.username || 'postgres',
    '-d', store.pgName, '-qAtc', statement], { encoding: 'utf8' });
}

export function kefu(store, args, input) {
  return run([...args, '--db', store.url], input);
}

// Starts a server; resolves when it prints its address.
export async function startServer(opts = {}) {
  const store = opts.store || newStore();
  if (!opts.store) {
    kefu(store, ['init']);
    kefu(store, ['user', 'add', '--login', 'admin', '--name', '系统管理员', '--role', 'admin',
      '--password-stdin'], PASSWORD + '\n');
  }
  const args = ['serve', '--listen', '127.0.0.1:0', '--db', store.url, '--threads', '4',
    ...(opts.args || [])];
  const child = spawn(BIN, args, { env: { ...process.env, ...(opts.env || {}) },
    stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 15000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const server = {
    url, store, child,
    get stderr() { return stderr; },
    async stop() {
      if (child.exitCode !== null) return child.exitCode;
      const done = new Promise((r) => child.on('exit', (code, sig) => r(code ?? sig)));
      child.kill('SIGTERM');
      const code = await done;
      return code;
    },
    async cleanup() {
      const code = await server.stop();
      if (!opts.keepStore) rmSync(store.dir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`server exited with ${code}:\n${stderr}`);
    },
  };
  return server;
}

// A small client: JSON in and out, remembers a bearer token.
export function client(base, token) {
  const call = async (method, path, body, headers = {}) => {
    const h = { ...headers };
    if (token) h.authorization = `Bearer ${token}`;
    let payload;
    if (body !== undefined) {
      h['content-type'] = 'application/json';
      payload = typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    }
    const res = await fetch(base + path, { method, headers: h, body: payload });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    return { status: res.status, headers: res.headers, json, text };
  };
  return {
    token,
    get: (p, h) => call('GET', p, undefined, h),
    post: (p, b, h) => call('POST', p, b, h),
    put: (p, b, h) => call('PUT', p, b, h),
    patch: (p, b, h) => call('PATCH', p, b, h),
    del: (p, h) => call('DELETE', p, undefined, h),
    call,
  };
}

export async function login(base, loginName, password = PASSWORD) {
  const res = await client(base).post('/api/v1/auth/login', { login: loginName, password });
  if (res.status !== 200) throw new Error(`login ${loginName} failed: ${res.status} ${res.text}`);
  return client(base, res.json.token);
}

// Sends raw bytes over TCP and returns the raw response (for malformed input).
export function raw(base, bytes, { timeout = 5000 } = {}) {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const sock = net.connect(Number(u.port), u.hostname);
    let data = '';
    const timer = setTimeout(() => { sock.destroy(); resolve(data); }, timeout);
    sock.on('data', (d) => { data += d.toString('latin1'); });
    sock.on('end', () => { clearTimeout(timer); resolve(data); });
    sock.on('error', (e) => { clearTimeout(timer); data ? resolve(data) : reject(e); });
    sock.write(bytes);
  });
}

export function rawStatus(response) {
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(response);
  return m ? Number(m[1]) : 0;
}

export function rawBody(response) {
  const i = response.indexOf('\r\n\r\n');
  return i < 0 ? '' : response.slice(i + 4);
}
