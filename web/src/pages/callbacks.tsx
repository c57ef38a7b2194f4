// Callbacks (SPEC V) in the console: the list of callbacks due, not reached
// and done; the result form with the four-dimension survey (V-2) and a
// complaint the customer raises during the call (V-3); a new survey link for
// a customer who lost theirs (the old one stops working).
import { useEffect, useState } from 'preact/hooks';
import { getAll, post, surveyUrl, RATINGS, SURVEY_DIMS, type Callback, type Me } from '../api';
import { fmtTime, t, tv, useLang } from '../i18n';
import { can, useEvents } from '../state';
import { toast } from '../session';
import { Countdown, Field, FormError, errorText, fieldError, type Errors } from '../ui';

const STATUSES = ['due', 'unreached', 'done'] as const;

export function CallbacksPage(props: { me: Me; status: string | null }) {
  useLang();
  const status = STATUSES.includes(props.status as any) ? (props.status as string) : 'due';
  const [items, setItems] = useState<Callback[] | null>(null);
  const [open, setOpen] = useState<string | null>(null);
  const [link, setLink] = useState<{ id: string; url: string } | null>(null);
  const [err, setErr] = useState('');
  async function load() {
    try {
      setItems(await getAll<Callback>('/callbacks', { status }));
      setErr('');
    } catch (e) {
      setErr(errorText(e));
    }
  }
  useEffect(() => {
    setItems(null);
    load();
  }, [status]);
  useEvents((e) => {
    if (e.kind === 'ticket.status' || e.kind.startsWith('callback.')) load();
  });
  async function reissue(cb: Callback) {
    try {
      const x = await post<{ survey_token: string }>('/callbacks/' + cb.id + '/survey-link');
      setLink({ id: cb.id, url: surveyUrl(x.survey_token) });
      setErr('');
      load();
    } catch (e) {
      setErr(errorText(e));
    }
  }
  const writer = can(props.me, 'tickets.write');
  return (
    <section class="card wide" aria-labelledby="cb-title">
      <h1 id="cb-title">{t('callbacks.title')}</h1>
      <nav class="seg" aria-label={t('queue.status')}>
        {STATUSES.map((s) => (
          <a href={'#/callbacks?status=' + s} class={s === status ? 'on' : ''} aria-current={s === status ? 'page' : undefined}>
            {tv('cbstatus', s)}
          </a>
        ))}
      </nav>
      <FormError text={err} />
      {items === null ? (
        <p class="muted">{t('queue.loading')}</p>
      ) : items.length === 0 ? (
        <p class="muted">{t('callbacks.empty')}</p>
      ) : (
        <ul class="callbacks" data-testid="callbacks">
          {items.map((cb) => (
            <li key={cb.id} data-id={cb.id} data-ticket={cb.ticket_number}>
              <div class="row-between">
                <span>
                  <a href={'#/tickets/' + cb.ticket_id}>{cb.ticket_number}</a> {tv('type', cb.ticket_type)} · {cb.ticket_subject}
                </span>
                {cb.status !== 'done' ? <Countdown dueAt={cb.due_at} /> : <span class="muted">{tv('cbstatus', 'done')}</span>}
              </div>
              {cb.survey && (
                <p class="muted">
                  {SURVEY_DIMS.map((d) => tv('dim', d) + '：' + tv('rating', String(cb.survey![d]))).join('，')}
                  {cb.comment ? ' — ' + cb.comment : ''}
                </p>
              )}
              {cb.follow_up_ticket_id && (
                <p>
                  <a href={'#/tickets/' + cb.follow_up_ticket_id}>{t('callbacks.follow_up')}</a>
                </p>
              )}
              {link && link.id === cb.id && (
                <p class="banner" data-testid="survey-link">
                  {t('callbacks.link')}：<code>{link.url}</code>
                </p>
              )}
              {writer && cb.status !== 'done' && (
                <div class="row-end">
                  <button type="button" class="link" onClick={() => reissue(cb)} data-action="reissue">
                    {t('callbacks.reissue')}
                  </button>
                  <button type="button" onClick={() => setOpen(open === cb.id ? null : cb.id)} data-action="record">
                    {t('callbacks.record')}
                  </button>
                </div>
              )}
              {open === cb.id && (
                <ResultForm
                  cb={cb}
                  onDone={() => {
                    setOpen(null);
                    load();
                  }}
                />
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** The four ratings as radio rows (V-2); used by staff and the public page. */
export function SurveyInputs(props: { form: string; value: Record<string, string>; errors: Errors; onChange: (v: Record<string, string>) => void }) {
  return (
    <>
      {SURVEY_DIMS.map((d) => (
        <fieldset class={'rating-row' + (props.errors['survey.' + d] ? ' has-error' : '')} data-dim={d}>
          <legend>{tv('dim', d)}</legend>
          <div class="ratings">
            {RATINGS.map((r) => (
              <label class={props.value[d] === r ? 'on' : ''}>
                <input type="radio" name={props.form + '-' + d} value={r} checked={props.value[d] === r} onChange={() => props.onChange({ ...props.value, [d]: r })} />
                {tv('rating', r)}
              </label>
            ))}
          </div>
          {props.errors['survey.' + d] && (
            <small class="field-error" role="alert" data-field={'survey.' + d}>
              {props.errors['survey.' + d]}
            </small>
          )}
        </fieldset>
      ))}
    </>
  );
}

function ResultForm(props: { cb: Callback; onDone: () => void }) {
  const [reached, setReached] = useState(true);
  const [survey, setSurvey] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [raise, setRaise] = useState(false);
  const [summary, setSummary] = useState('');
  const [severity, setSeverity] = useState('general');
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);
  const answered = SURVEY_DIMS.filter((d) => survey[d]).length;
  async function submit(ev: Event) {
    ev.preventDefault();
    const body: Record<string, unknown> = { reached };
    if (reached && answered > 0) body.survey = survey;
    if (comment.trim()) body.comment = comment.trim();
    if (reached && raise) body.complaint = { summary, severity };
    setBusy(true);
    try {
      const cb = await post<Callback>('/callbacks/' + props.cb.id + '/results', body);
      toast(t('callbacks.saved') + (cb.follow_up_ticket_id ? ' · ' + t('callbacks.follow_up') : ''), cb.follow_up_ticket_id ? '/tickets/' + cb.follow_up_ticket_id : undefined);
      props.onDone();
    } catch (e) {
      const fields = ['survey', 'comment', 'complaint', 'complaint.summary', 'complaint.severity', ...SURVEY_DIMS.map((d) => 'survey.' + d)];
      setFormErr(fieldError(e, fields, setErrors, 'cbr'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form class="result-form" onSubmit={submit} noValidate data-testid="result-form">
      <label class="checkbox">
        <input type="checkbox" id="cbr-reached" checked={reached} onChange={(e) => setReached((e.target as HTMLInputElement).checked)} /> {t('callbacks.reached')}
      </label>
      {reached && (
        <>
          <h3>{t('callbacks.survey')}</h3>
          <SurveyInputs form={'cbr' + props.cb.id} value={survey} errors={errors} onChange={setSurvey} />
          <label class="checkbox">
            <input type="checkbox" id="cbr-raise" checked={raise} onChange={(e) => setRaise((e.target as HTMLInputElement).checked)} /> {t('callbacks.raise')}
          </label>
          {raise && (
            <div class="grid-form">
              <Field name="complaint.summary" form="cbr" label={t('callbacks.complaint_summary')} errors={errors}>
                {(a) => <input {...a} value={summary} maxLength={200} onInput={(e) => setSummary((e.target as HTMLInputElement).value)} />}
              </Field>
              <Field name="complaint.severity" form="cbr" label={t('complaint.severity')} errors={errors}>
                {(a) => (
                  <select {...a} value={severity} onChange={(e) => setSeverity((e.target as HTMLSelectElement).value)}>
                    {['general', 'major', 'crisis'].map((s) => (
                      <option value={s}>{tv('severity', s)}</option>
                    ))}
                  </select>
                )}
              </Field>
            </div>
          )}
        </>
      )}
      <Field name="comment" form="cbr" label={t('callbacks.comment')} errors={errors}>
        {(a) => <textarea {...a} rows={2} value={comment} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />}
      </Field>
      <FormError text={formErr} />
      <p class="muted">{fmtTime(props.cb.survey_expires_at) && t('survey.expires', { t: fmtTime(props.cb.survey_expires_at) })}</p>
      <div class="row-end">
        <button type="submit" class="primary" disabled={busy}>
          {t('callbacks.save')}
        </button>
      </div>
    </form>
  );
}
