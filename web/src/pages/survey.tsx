// The customer's survey (V-2) at the link the callback sent: no sign-in,
// laid out for a phone. Answered once; a used, replaced or expired link says
// so plainly.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, SURVEY_DIMS } from '../api';
import { fmtTime, t, useLang } from '../i18n';
import { FormError, LangSelect, errorText, fieldError, type Errors } from '../ui';
import { SurveyInputs } from './callbacks';

/** The server's reason for a refused link, in the customer's language. */
function goneText(e: unknown): string {
  if (!(e instanceof ApiError)) return errorText(e);
  if (e.status === 404) return t('survey.unknown');
  if (/already used/.test(e.message)) return t('survey.used');
  if (/replaced/.test(e.message)) return t('survey.replaced');
  if (/expired/.test(e.message)) return t('survey.expired');
  return e.message;
}

interface PublicSurvey {
  ticket_number: string;
  subject: string;
  expires_at: string;
  status: 'open' | 'answered';
}

export function SurveyPage(props: { token: string }) {
  useLang();
  const path = '/public/surveys/' + encodeURIComponent(props.token);
  const [s, setS] = useState<PublicSurvey | null>(null);
  const [gone, setGone] = useState('');
  const [done, setDone] = useState(false);
  const [value, setValue] = useState<Record<string, string>>({});
  const [comment, setComment] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [formErr, setFormErr] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    document.title = t('survey.title');
    api<PublicSurvey>('GET', path)
      .then(setS)
      .catch((e) => setGone(goneText(e)));
  }, [props.token]);
  async function submit(ev: Event) {
    ev.preventDefault();
    const missing: Errors = {};
    for (const d of SURVEY_DIMS) if (!value[d]) missing['survey.' + d] = t('survey.pick');
    if (Object.keys(missing).length) {
      setErrors(missing);
      return;
    }
    setBusy(true);
    try {
      await api('POST', path, { survey: value, ...(comment.trim() ? { comment: comment.trim() } : {}) });
      setDone(true);
    } catch (e) {
      if (e instanceof ApiError && (e.status === 410 || e.status === 404)) setGone(goneText(e));
      else setFormErr(fieldError(e, ['comment', ...SURVEY_DIMS.map((d) => 'survey.' + d)], setErrors, 'sv'));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div class="survey-page">
      <header class="survey-head">
        <h1>{t('survey.title')}</h1>
        <LangSelect />
      </header>
      {done ? (
        <p class="survey-done" role="status" data-testid="survey-thanks">
          {t('survey.thanks')}
        </p>
      ) : gone ? (
        <div class="survey-gone" role="alert" data-testid="survey-gone">
          <p>
            <strong>{t('survey.gone')}</strong>
          </p>
          <p>{gone}</p>
        </div>
      ) : !s ? (
        <p class="muted">{t('queue.loading')}</p>
      ) : (
        <form onSubmit={submit} noValidate data-testid="survey-form">
          <p>{t('survey.intro', { n: s.ticket_number, s: s.subject })}</p>
          <SurveyInputs form="sv" value={value} errors={errors} onChange={setValue} />
          <label for="sv-comment">{t('survey.comment')}</label>
          <textarea id="sv-comment" rows={3} value={comment} maxLength={2000} onInput={(e) => setComment((e.target as HTMLTextAreaElement).value)} />
          <FormError text={formErr} />
          <button type="submit" class="primary block" disabled={busy}>
            {t('survey.submit')}
          </button>
          <p class="muted">{t('survey.expires', { t: fmtTime(s.expires_at) })}</p>
        </form>
      )}
    </div>
  );
}
