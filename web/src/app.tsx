// The console's frame: the session, the top bar (navigation, search, live
// counts, language, the person) and the page the hash route names.
import { useEffect } from 'preact/hooks';
import { get, hasCsrf, type Me } from './api';
import { logout, signedIn, signedOut, toast, toastsCell } from './session';
import { refreshTransfers, transfersCell } from './transfers';
import { LangSelect } from './ui';
import { t, tv, useLang } from './i18n';
import { can, liveCell, meCell, useCell, useEvents, useRoute, userName } from './state';
import { Login } from './pages/login';
import { QueuePage, useQueueCounts } from './pages/queue';
import { TicketPage } from './pages/ticket';
import { RegisterPage } from './pages/register';
import { CustomerPage } from './pages/customer';
import { SearchBox, SearchPage } from './pages/search';
import { TransfersPage } from './pages/transfers';
import { RosterPage } from './pages/roster';
import { LeavePage } from './pages/leave';
import { BOARD_ROLES, BoardPage, ESCALATION_ROLES, EscalationsPage } from './pages/board';
import { APPROVER_ROLES, ApprovalsPage, ReviewPage } from './pages/complaints';
import { InboxPage, refreshInbox, unreadCell } from './pages/inbox';
import { CallbacksPage } from './pages/callbacks';
import { SurveyPage } from './pages/survey';
import { AttendancePage } from './pages/attendance';
import { HandoverPage } from './pages/handover';
import { DutyLogPage } from './pages/dutylog';
import { DispatchPage, FinancePage, ReturnsPage, VoucherPage, VouchersPage } from './pages/dispatch';

export function App() {
  useLang();
  const route = useRoute();
  // V-2: the customer's survey link needs no sign-in.
  if (route.parts[0] === 'survey' && route.parts[1]) return <SurveyPage key={route.parts[1]} token={route.parts[1]} />;
  return <StaffApp />;
}

function StaffApp() {
  const me = useCell(meCell);
  useEffect(() => {
    if (!hasCsrf()) {
      // Without the CSRF token of this browser's sign-in nothing can be
      // changed: sign in again.
      meCell.set(null);
      return;
    }
    get<Me>('/me')
      .then(signedIn)
      .catch(() => signedOut());
  }, []);
  if (me === undefined) return <div class="splash">{t('queue.loading')}</div>;
  if (me === null) return <Login />;
  return <Console me={me} />;
}

function Console(props: { me: Me }) {
  const route = useRoute();
  const { me } = props;
  useEvents((e) => {
    if (e.kind === 'transfer.requested') {
      refreshTransfers();
      toast(t('transfers.notice', { who: userName(e.by), n: e.number }), '/tickets/' + e.ticket_id);
    } else if (e.kind.startsWith('transfer.')) refreshTransfers();
    else if (e.kind === 'inbox.new') {
      // K-2: the inbox, live.
      refreshInbox();
      toast(t('inbox.toast', { n: tv('inboxkind', String(e.notification_kind)) }), '/inbox');
    }
  });
  useEffect(() => {
    refreshInbox();
  }, [me.id]);
  // `/` focuses the search box from anywhere but a text field.
  useEffect(() => {
    const f = (ev: KeyboardEvent) => {
      const el = ev.target as HTMLElement;
      const typing = el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT' || el.isContentEditable);
      if (ev.key === '/' && !typing && !ev.ctrlKey && !ev.metaKey && !ev.altKey) {
        ev.preventDefault();
        document.getElementById('search')?.focus();
      }
    };
    document.addEventListener('keydown', f);
    return () => document.removeEventListener('keydown', f);
  }, []);

  const [top, second] = route.parts;
  let page;
  if (!top || top === 'queue') page = <QueuePage me={me} scope={second || 'mine'} query={route.query} />;
  else if (top === 'tickets' && second) page = <TicketPage me={me} id={second} />;
  else if (top === 'new') page = <RegisterPage me={me} />;
  else if (top === 'customers' && second) page = <CustomerPage me={me} id={second} />;
  else if (top === 'search') page = <SearchPage me={me} q={route.query.get('q') || ''} />;
  else if (top === 'transfers') page = <TransfersPage me={me} />;
  else if (top === 'roster' && can(me, 'roster.read')) page = <RosterPage me={me} month={route.query.get('month') || undefined} />;
  else if (top === 'leave' && can(me, 'workforce.request')) page = <LeavePage me={me} />;
  else if (top === 'board' && BOARD_ROLES.has(me.role)) page = <BoardPage me={me} />;
  else if (top === 'escalations' && ESCALATION_ROLES.has(me.role)) page = <EscalationsPage me={me} />;
  else if (top === 'inbox') page = <InboxPage />;
  else if (top === 'approvals' && APPROVER_ROLES.has(me.role)) page = <ApprovalsPage me={me} />;
  else if (top === 'callbacks' && can(me, 'tickets.read')) page = <CallbacksPage me={me} status={route.query.get('status')} />;
  else if (top === 'review' && can(me, 'complaint_reviews.read')) page = <ReviewPage me={me} month={route.query.get('month')} />;
  else if (top === 'attendance' && can(me, 'attendance')) page = <AttendancePage me={me} />;
  else if (top === 'handover' && can(me, 'attendance')) page = <HandoverPage me={me} />;
  else if (top === 'duty-log' && can(me, 'attendance')) page = <DutyLogPage me={me} />;
  else if (top === 'dispatch' && can(me, 'dispatch')) page = <DispatchPage me={me} />;
  else if (top === 'vouchers' && second && can(me, 'tickets.read')) page = <VoucherPage me={me} id={second} />;
  else if (top === 'vouchers' && can(me, 'vouchers.work')) page = <VouchersPage me={me} />;
  else if (top === 'finance' && can(me, 'finance.read')) page = <FinancePage me={me} />;
  else if (top === 'returns' && can(me, 'returns.confirm')) page = <ReturnsPage me={me} />;
  else page = <p class="page-msg">{t('notfound')}</p>;

  return (
    <div class="shell">
      <a
        class="skip"
        href="#main"
        onClick={(e) => {
          e.preventDefault();
          document.getElementById('main')?.focus();
        }}
      >
        {t('nav.skip')}
      </a>
      <TopBar me={me} top={top || 'queue'} scope={second || 'mine'} />
      <main id="main" tabIndex={-1}>
        {page}
      </main>
      <Toasts />
    </div>
  );
}

function TopBar(props: { me: Me; top: string; scope: string }) {
  const { me, top, scope } = props;
  const transfers = useCell(transfersCell);
  const pending = transfers.filter((x) => x.status === 'pending').length;
  const unread = useCell(unreadCell);
  const tab = (href: string, label: string, active: boolean, extra?: preact.ComponentChildren) => (
    <a href={'#' + href} class={active ? 'tab active' : 'tab'} aria-current={active ? 'page' : undefined}>
      {label}
      {extra}
    </a>
  );
  const isQueue = top === 'queue';
  return (
    <header class="topbar">
      <a class="brand" href="#/">
        {t('app.name')}
      </a>
      <nav class="tabs" aria-label={t('nav.menu')}>
        {tab('/queue/mine', t('nav.mine'), isQueue && scope === 'mine')}
        {tab('/queue/owned', t('nav.owned'), isQueue && scope === 'owned')}
        {me.team_id
          ? tab('/queue/team', t('nav.team'), isQueue && scope === 'team')
          : can(me, 'tickets.assign') || me.role === 'vp' || me.role === 'gm'
            ? tab('/queue/all', t('nav.all'), isQueue && scope === 'all')
            : null}
        {BOARD_ROLES.has(me.role) && tab('/board', t('nav.board'), top === 'board')}
        {ESCALATION_ROLES.has(me.role) && tab('/escalations', t('nav.escalations'), top === 'escalations')}
        {can(me, 'vouchers.work') && tab('/vouchers', t('nav.vouchers'), top === 'vouchers')}
        {can(me, 'dispatch') && tab('/dispatch', t('nav.dispatch'), top === 'dispatch')}
        {can(me, 'finance.read') && tab('/finance', t('nav.finance'), top === 'finance')}
        {can(me, 'returns.confirm') && tab('/returns', t('nav.returns'), top === 'returns')}
        {can(me, 'tickets.write') && tab('/new', '＋ ' + t('nav.new'), top === 'new')}
        {can(me, 'roster.read') && tab('/roster', t('nav.roster'), top === 'roster')}
        {can(me, 'workforce.request') && tab('/leave', t('nav.leave'), top === 'leave')}
        {tab('/transfers', t('nav.transfers'), top === 'transfers',
          pending > 0 ? <span class="count" data-testid="transfer-count">{pending}</span> : null)}
        {APPROVER_ROLES.has(me.role) && tab('/approvals', t('nav.approvals'), top === 'approvals')}
        {can(me, 'tickets.read') && tab('/callbacks', t('nav.callbacks'), top === 'callbacks')}
        {can(me, 'complaint_reviews.read') && tab('/review', t('nav.review'), top === 'review')}
        {tab('/inbox', t('nav.inbox'), top === 'inbox',
          unread > 0 ? <span class="count" data-testid="inbox-count">{unread}</span> : null)}
        {can(me, 'attendance') && tab('/attendance', t('nav.attendance'), top === 'attendance')}
        {can(me, 'attendance') && tab('/handover', t('nav.handover'), top === 'handover')}
        {can(me, 'attendance') && tab('/duty-log', t('nav.duty_log'), top === 'duty-log')}
      </nav>
      <SearchBox />
      <HeaderCounts />
      <div class="me">
        <Live />
        <LangSelect />
        <span class="who" title={me.login}>
          {me.name}
          <small>{tv('role', me.role)}</small>
        </span>
        <button type="button" class="link" onClick={logout}>
          {t('logout')}
        </button>
      </div>
    </header>
  );
}

function HeaderCounts() {
  const c = useQueueCounts({ assignee_id: 'me' });
  if (!c) return <div class="counts" />;
  return (
    <div class="counts" title={t('counts.title', { o: c.overdue, d: c.dueSoon })}>
      <a href="#/queue/mine?overdue=true" class={'pill pill-over' + (c.overdue ? ' hot' : '')} data-testid="count-overdue">
        {t('counts.overdue')} <b>{c.overdue}{c.more ? '+' : ''}</b>
      </a>
      <a href="#/queue/mine" class={'pill pill-soon' + (c.dueSoon ? ' hot' : '')} data-testid="count-due-soon">
        {t('counts.due_soon')} <b>{c.dueSoon}{c.more ? '+' : ''}</b>
      </a>
    </div>
  );
}

function Live() {
  const live = useCell(liveCell);
  return <span class={'live' + (live ? ' on' : '')} title={live ? t('live.on') : t('live.off')} aria-label={live ? t('live.on') : t('live.off')} data-testid="live" />;
}

function Toasts() {
  const toasts = useCell(toastsCell);
  return (
    <div class="toasts" aria-live="polite">
      {toasts.map((x) => (
        <div class="toast" key={x.id}>
          {x.href ? <a href={'#' + x.href}>{x.text}</a> : x.text}
        </div>
      ))}
    </div>
  );
}
