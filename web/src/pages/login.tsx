// Sign-in: login and password; a wrong pair is shown next to the password,
// a field the server names next to that field, throttling with its wait.
import { useState } from 'preact/hooks';
import { ApiError, post, type LoginAnswer } from '../api';
import { onLogin } from '../session';
import { t, useLang } from '../i18n';
import { Field, FormError, LangSelect, errorText, fieldError, focusOnMount, type Errors } from '../ui';

export function Login() {
  useLang();
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);

  async function submit(ev: Event) {
    ev.preventDefault();
    const form = new FormData(ev.target as HTMLFormElement);
    const login = String(form.get('login') || '').trim();
    const password = String(form.get('password') || '');
    const missing: Errors = {};
    if (!login) missing.login = t('err.required');
    if (!password) missing.password = t('err.required');
    if (Object.keys(missing).length) {
      setErrors(missing);
      document.getElementById(missing.login ? 'login-login' : 'login-password')?.focus();
      return;
    }
    setBusy(true);
    setFormErr('');
    try {
      const answer = await post<LoginAnswer>('/auth/login', { login, password });
      await onLogin(answer);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 429)) {
        // The same answer for a wrong login and a wrong password (S-1).
        setErrors({ password: errorText(e) });
        const pw = document.getElementById('login-password') as HTMLInputElement | null;
        if (pw) {
          pw.select();
          pw.focus();
        }
      } else setFormErr(fieldError(e, ['login', 'password'], setErrors, 'login'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="login-page">
      <form class="card login" onSubmit={submit} noValidate aria-labelledby="login-title">
        <div class="login-head">
          <h1 id="login-title">{t('login.title')}</h1>
          <LangSelect />
        </div>
        <Field name="login" form="login" label={t('login.login')} errors={errors}>
          {(a) => <input {...a} autocomplete="username" ref={focusOnMount} autocapitalize="off" spellcheck={false} />}
        </Field>
        <Field name="password" form="login" label={t('login.password')} errors={errors}>
          {(a) => <input {...a} type="password" autocomplete="current-password" />}
        </Field>
        <FormError text={formErr} />
        <button type="submit" class="primary wide" disabled={busy}>
          {t('login.submit')}
        </button>
        <p class="api-link">
          API: <a href="/api/v1/openapi.json">/api/v1/openapi.json</a>
        </p>
      </form>
    </div>
  );
}
