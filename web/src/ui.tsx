// Pieces every page uses: form fields with the API's error next to them,
// badges, and deadline countdowns coloured as they near.
import type { ComponentChildren } from 'preact';
import { ApiError } from './api';
import { LANGS, fmtDuration, fmtTime, setLang, t, tv, useLang, type Key, type Lang } from './i18n';
import { useNow } from './state';

/** Due within this is "due soon" (orange, and counted in the header). */
export const DUE_SOON_MS = 2 * 3600 * 1000;
/** Due within this is shown in amber. */
export const DUE_WARN_MS = 8 * 3600 * 1000;

export type DueState = 'over' | 'soon' | 'warn' | 'ok' | 'none';

export function dueState(dueAt: string | null | undefined, now: number, overdue = false): DueState {
  if (!dueAt) return overdue ? 'over' : 'none';
  const left = Date.parse(dueAt) - now;
  if (left < 0 || overdue) return 'over';
  if (left < DUE_SOON_MS) return 'soon';
  if (left < DUE_WARN_MS) return 'warn';
  return 'ok';
}

/** A deadline as a live countdown ("剩 1小时5分", "逾期 3小时"). */
export function Countdown(props: { dueAt: string | null; overdue?: boolean; metAt?: string | null }) {
  const now = useNow();
  if (props.metAt) return <span class="due due-met">{t('due.met')}</span>;
  if (!props.dueAt) {
    return props.overdue ? <span class="due due-over">{t('ticket.overdue')}</span> : <span class="due due-none">{t('due.none')}</span>;
  }
  const left = Date.parse(props.dueAt) - now;
  const state = dueState(props.dueAt, now, props.overdue && left < 0);
  const text = left < 0 ? t('due.over', { t: fmtDuration(-left) }) : t('due.in', { t: fmtDuration(left) });
  return (
    <time class={'due due-' + (props.overdue && state !== 'over' ? 'over' : state)} dateTime={props.dueAt} title={fmtTime(props.dueAt)}>
      {props.overdue && left >= 0 ? t('ticket.overdue') + ' · ' : ''}
      {text}
    </time>
  );
}

export function StatusBadge(props: { status: string }) {
  return <span class={'badge st-' + props.status}>{tv('status', props.status)}</span>;
}
export function PriorityBadge(props: { priority: string }) {
  if (props.priority === 'normal') return <span class="prio prio-normal">{tv('priority', 'normal')}</span>;
  return <span class={'badge prio-' + props.priority}>{tv('priority', props.priority)}</span>;
}

/** Field errors by the API's field name (`subject`, `customer.phone`). */
export type Errors = Record<string, string>;

/** The words to show for a failed request. */
export function errorText(e: unknown): string {
  if (e instanceof ApiError) {
    if (e.status === 401 && e.code === 'unauthorized') return t('login.bad');
    if (e.status === 429) return t('login.throttled', { s: e.retryAfter ?? 60 });
    if (e.code === 'validation_failed' && /must not be (empty|blank)|is required|missing/.test(e.message))
      return t('err.required');
    if (e.code === 'forbidden' && !e.rule) return t('err.forbidden') + ' — ' + e.message;
    if (e.code === 'not_found') return t('err.not_found');
    return e.rule ? `${e.message} (${e.rule})` : e.message;
  }
  if (e instanceof TypeError) return t('err.network');
  return String(e);
}

/** Puts an API error next to its field when the form has that field, and
 * answers the error for the whole form otherwise. Focuses the field. */
export function fieldError(e: unknown, fields: string[], setErrors: (e: Errors) => void, formId?: string): string {
  if (e instanceof ApiError && e.field && fields.includes(e.field)) {
    setErrors({ [e.field]: errorText(e) });
    const el = document.getElementById(fieldId(e.field, formId));
    if (el) setTimeout(() => el.focus(), 0);
    return '';
  }
  setErrors({});
  return errorText(e);
}

export function fieldId(name: string, formId = 'f') {
  return formId + '-' + name.replace(/[^a-z0-9]+/gi, '-');
}

/** A labelled form control with the API's error for `name` below it. */
/* Focuses an element when it is mounted. The autofocus attribute is honoured
   only once per document, so a field in a view rendered later (after a
   sign-out, or once the session check answers) would stay unfocused. The
   function is stable, so the element is focused once, not on every render. */
export function focusOnMount(el: HTMLElement | null) {
  el?.focus();
}

export function Field(props: {
  name: string;
  label: string;
  errors: Errors;
  form?: string;
  hint?: string;
  class?: string;
  children: (attrs: { id: string; name: string; 'aria-invalid': boolean; 'aria-describedby'?: string }) => ComponentChildren;
}) {
  const id = fieldId(props.name, props.form);
  const err = props.errors[props.name];
  const described = [err ? id + '-err' : '', props.hint ? id + '-hint' : ''].filter(Boolean).join(' ');
  return (
    <div class={'field' + (err ? ' has-error' : '') + (props.class ? ' ' + props.class : '')}>
      {props.label && <label for={id}>{props.label}</label>}
      {props.children({ id, name: props.name, 'aria-invalid': !!err, 'aria-describedby': described || undefined })}
      {props.hint && !err && (
        <small class="hint" id={id + '-hint'}>
          {props.hint}
        </small>
      )}
      {err && (
        <small class="field-error" id={id + '-err'} role="alert" data-field={props.name}>
          {err}
        </small>
      )}
    </div>
  );
}

export function FormError(props: { text: string }) {
  return props.text ? (
    <p class="form-error" role="alert">
      {props.text}
    </p>
  ) : null;
}

export function LangSelect() {
  const lang = useLang();
  return (
    <label class="lang">
      <span class="sr">{t('lang.label')}</span>
      <select value={lang} onChange={(e) => setLang((e.target as HTMLSelectElement).value as Lang)} data-testid="lang" aria-label={t('lang.label')}>
        {LANGS.map((l) => (
          <option value={l.id}>{l.label}</option>
        ))}
      </select>
    </label>
  );
}


/** Small line icons (no emoji: the machines' fonts may lack them). */
export function Icon(props: { name: 'lock' | 'unlock' | 'mail' }) {
  const paths = {
    lock: 'M5 11h14v10H5zM8 11V7a4 4 0 0 1 8 0v4',
    unlock: 'M5 11h14v10H5zM8 11V7a4 4 0 0 1 7.5-2',
    mail: 'M3 6h18v12H3zM3 7l9 6 9-6',
  };
  return (
    <svg class="icon" viewBox="0 0 24 24" width="14" height="14" aria-hidden="true" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round">
      <path d={paths[props.name]} />
    </svg>
  );
}

/** The keyboard shortcuts, for a side panel. */
export function KeyHelp() {
  const rows: [string, Key][] = [
    ['/', 'help.search'],
    ['Enter', 'help.submit'],
    ['Ctrl+Enter', 'help.send'],
    ['↑ ↓ Home End', 'help.rows'],
    ['Enter', 'help.open'],
  ];
  return (
    <section class="card keyhelp">
      <h2>{t('help.title')}</h2>
      <dl>
        {rows.map(([k, v]) => (
          <>
            <dt>
              <kbd>{k}</kbd>
            </dt>
            <dd>{t(v)}</dd>
          </>
        ))}
      </dl>
    </section>
  );
}
