// The duty log (W-17, 值班记录): a day's entries, append-only. An entry is
// never edited: "correct" writes a new entry that names the old one, and the
// old one shows which entry corrected it.
import { useEffect, useState } from 'preact/hooks';
import { getAll, post, type DutyEntry, type Me } from '../api';
import { fmtTime, t, tv, useLang } from '../i18n';
import { Field, FormError, fieldError, type Errors } from '../ui';

function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' })
    .format(new Date());
}

const KINDS = ['event', 'call', 'incident', 'note'] as const;

export function DutyLogPage(_props: { me: Me }) {
  useLang();
  const [day, setDay] = useState(today());
  const [items, setItems] = useState<DutyEntry[]>([]);
  const [kind, setKind] = useState<string>('event');
  const [body, setBody] = useState('');
  const [corrects, setCorrects] = useState<DutyEntry | null>(null);
  const [errors, setErrors] = useState<Errors>({});
  const [err, setErr] = useState('');
  const load = () =>
    getAll<DutyEntry>('/duty-log', { day }, 2000)
      .then(setItems)
      .catch(() => setItems([]));
  useEffect(() => {
    load();
  }, [day]);

  async function submit(e: Event) {
    e.preventDefault();
    try {
      await post('/duty-log', { kind, body, ...(corrects ? { corrects_id: corrects.id } : { day }) });
      setBody('');
      setCorrects(null);
      setErrors({});
      setErr('');
      load();
    } catch (x) {
      setErr(fieldError(x, ['kind', 'body'], setErrors, 'duty'));
    }
  }

  return (
    <section class="duty-page">
      <h1>{t('duty.title')}</h1>
      <p class="muted">{t('duty.append_only')}</p>
      <section class="card">
        <label for="duty-day">{t('duty.day')}</label>{' '}
        <input id="duty-day" type="date" value={day} onInput={(e) => setDay((e.target as HTMLInputElement).value)} />
        {items.length === 0 ? (
          <p class="muted">{t('duty.none')}</p>
        ) : (
          <ol class="mini-list duty-list" data-testid="duty-list">
            {items.map((x) => (
              <li key={x.id} class={x.corrected_by ? 'duty-corrected' : ''} data-testid={'duty-' + x.id}>
                <span class="c-num">#{x.id}</span>
                <span class="badge">{tv('dk', x.kind)}</span>
                {x.shift && <span class="badge">{tv('shift', x.shift)}</span>}
                <span class="duty-body">{x.body}</span>
                <span class="muted">
                  {x.author_name} · {fmtTime(x.occurred_at)}
                  {x.corrects_id ? ' · ' + t('duty.corrects', { id: x.corrects_id }) : ''}
                  {x.corrected_by ? ' · ' + t('duty.corrected', { id: x.corrected_by }) : ''}
                </span>
                <button type="button" class="link" data-testid={'correct-' + x.id} onClick={() => { setCorrects(x); setBody(x.body); }}>
                  {t('duty.correct')}
                </button>
              </li>
            ))}
          </ol>
        )}
      </section>
      <form class="card" onSubmit={submit} data-testid="duty-form">
        {corrects && (
          <p>
            {t('duty.correcting', { id: corrects.id })}{' '}
            <button type="button" class="link" onClick={() => { setCorrects(null); setBody(''); }}>
              {t('common.cancel')}
            </button>
          </p>
        )}
        <Field name="kind" label={t('duty.kind')} errors={errors} form="duty">
          {(a) => (
            <select {...a} value={kind} onChange={(e) => setKind((e.target as HTMLSelectElement).value)}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {tv('dk', k)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="body" label={t('duty.body')} errors={errors} form="duty">
          {(a) => <textarea {...a} rows={3} value={body} onInput={(e) => setBody((e.target as HTMLTextAreaElement).value)} />}
        </Field>
        <FormError text={err} />
        <button type="submit" class="primary">
          {t('duty.add')}
        </button>
      </form>
    </section>
  );
}
