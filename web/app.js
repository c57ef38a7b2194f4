// Sign-in page: talks to the API with the session cookie and CSRF token.
'use strict';
const $ = (id) => document.getElementById(id);
const roles = { agent: '客服专员', technician: '服务人员', team_lead: '组长', supervisor: '客服主管',
  manager: '部门经理', vp: '副总经理', gm: '总经理', analyst: '数据分析员', admin: '系统管理员' };

function show(user) {
  $('login').hidden = !!user;
  $('me').hidden = !user;
  if (user) {
    $('name').textContent = user.name;
    $('role').textContent = roles[user.role] || user.role;
  }
}

$('login').addEventListener('submit', async (ev) => {
  ev.preventDefault();
  const form = new FormData(ev.target);
  const res = await fetch('/api/v1/auth/login', { method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: form.get('login'), password: form.get('password') }) });
  const body = await res.json();
  if (!res.ok) { $('error').textContent = body.error.message; return; }
  sessionStorage.setItem('csrf', body.csrf_token);
  $('error').textContent = '';
  show(body.user);
});

$('logout').addEventListener('click', async () => {
  await fetch('/api/v1/auth/logout', { method: 'POST',
    headers: { 'x-csrf-token': sessionStorage.getItem('csrf') || '' } });
  sessionStorage.removeItem('csrf');
  show(null);
});

fetch('/api/v1/me').then((r) => (r.ok ? r.json() : null)).then(show).catch(() => show(null));
