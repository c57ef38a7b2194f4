// Global search (T-10): results as you type (debounced), tickets and
// customers; arrow keys walk the results, Enter opens one or, with none
// chosen, the full result list.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError, get, isAbort, type Customer, type Me, type Page, type TicketSummary } from '../api';
import { t, useLang } from '../i18n';
import { can, meCell, navigate, useCell, useDebounced } from '../state';
import { StatusBadge, errorText } from '../ui';
import { TicketTable, useTicketList } from './queue';

interface Hit {
  href: string;
  kind: 'ticket' | 'customer';
  ticket?: TicketSummary;
  customer?: Customer;
}

export function SearchBox() {
  useLang();
  const me = useCell(meCell);
  const [q, setQ] = useState('');
  const [open, setOpen] = useState(false);
  const [hits, setHits] = useState<Hit[] | null>(null);
  const [error, setError] = useState('');
  const [active, setActive] = useState(-1);
  const box = useRef<HTMLDivElement>(null);
  const dq = useDebounced(q.trim(), 200);

  useEffect(() => {
    if (!dq) {
      setHits(null);
      setError('');
      return;
    }
    const ac = new AbortController();
    const tickets = can(me, 'tickets.read')
      ? get<Page<TicketSummary>>('/tickets', { q: dq, limit: 6 }, ac.signal)
      : Promise.resolve({ items: [], next_cursor: null });
    const customers = can(me, 'customers.read')
      ? get<Page<Customer>>('/customers', { q: dq, limit: 4 }, ac.signal)
      : Promise.resolve({ items: [], next_cursor: null });
    Promise.all([tickets, customers])
      .then(([tp, cp]) => {
        setHits([
          ...tp.items.map((x): Hit => ({ href: '/tickets/' + x.id, kind: 'ticket', ticket: x })),
          ...cp.items.map((x): Hit => ({ href: '/customers/' + x.id, kind: 'customer', customer: x })),
        ]);
        setError('');
        setActive(-1);
      })
      .catch((e) => {
        if (isAbort(e)) return;
        setHits([]);
        setError(e instanceof ApiError && e.field === 'q' ? t('search.bad') : errorText(e));
      });
    return () => ac.abort();
  }, [dq]);

  // Close when focus or a click leaves the box.
  useEffect(() => {
    const f = (ev: Event) => {
      if (box.current && !box.current.contains(ev.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', f);
    document.addEventListener('focusin', f);
    return () => {
      document.removeEventListener('mousedown', f);
      document.removeEventListener('focusin', f);
    };
  }, []);

  function go(href: string) {
    setOpen(false);
    setActive(-1);
    navigate(href);
  }
  function onKeyDown(ev: KeyboardEvent) {
    const n = hits ? hits.length : 0;
    if (ev.key === 'ArrowDown') {
      ev.preventDefault();
      setOpen(true);
      setActive((a) => (n ? (a + 1) % n : -1));
    } else if (ev.key === 'ArrowUp') {
      ev.preventDefault();
      setActive((a) => (n ? (a <= 0 ? n - 1 : a - 1) : -1));
    } else if (ev.key === 'Escape') {
      setOpen(false);
      (ev.target as HTMLInputElement).blur();
    } else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (hits && active >= 0 && active < hits.length) go(hits[active].href);
      else if (q.trim()) go('/search?q=' + encodeURIComponent(q.trim()));
    }
  }

  const showing = open && q.trim() !== '' && (hits !== null || error !== '');
  return (
    <div class="search" ref={box} role="search">
      <input
        id="search"
        type="search"
        value={q}
        placeholder={t('search.placeholder')}
        aria-label={t('search.label')}
        aria-expanded={showing}
        aria-controls="search-results"
        aria-activedescendant={active >= 0 ? 'hit-' + active : undefined}
        role="combobox"
        autocomplete="off"
        onInput={(e) => {
          setQ((e.target as HTMLInputElement).value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onKeyDown={onKeyDown}
      />
      {showing && (
        <div class="search-pop" id="search-results" role="listbox" data-testid="search-results">
          {error && <p class="muted pad">{error}</p>}
          {hits && hits.length === 0 && !error && <p class="muted pad">{t('search.none')}</p>}
          {hits && hits.some((h) => h.kind === 'ticket') && <p class="pop-head">{t('search.tickets')}</p>}
          {hits?.map((h, i) =>
            h.kind === 'ticket' ? (
              <a id={'hit-' + i} role="option" aria-selected={i === active} class={'hit' + (i === active ? ' active' : '')} href={'#' + h.href} onClick={() => setOpen(false)} data-number={h.ticket!.number}>
                <span class="c-num">{h.ticket!.number}</span>
                <span class="hit-main">{h.ticket!.subject}</span>
                <span class="muted">{h.ticket!.customer_name}</span>
                <StatusBadge status={h.ticket!.status} />
              </a>
            ) : null,
          )}
          {hits && hits.some((h) => h.kind === 'customer') && <p class="pop-head">{t('search.customers')}</p>}
          {hits?.map((h, i) =>
            h.kind === 'customer' ? (
              <a id={'hit-' + i} role="option" aria-selected={i === active} class={'hit' + (i === active ? ' active' : '')} href={'#' + h.href} onClick={() => setOpen(false)}>
                <span class="hit-main">{h.customer!.name}</span>
                <span class="muted">{h.customer!.phone}</span>
                <span class="grade">{h.customer!.grade}</span>
              </a>
            ) : null,
          )}
          {q.trim() && !error && (
            <a class="hit all" href={'#/search?q=' + encodeURIComponent(q.trim())} onClick={() => setOpen(false)}>
              {t('search.all')} →
            </a>
          )}
        </div>
      )}
    </div>
  );
}

export function SearchPage(props: { me: Me; q: string }) {
  useLang();
  const { me, q } = props;
  const list = useTicketList(q && can(me, 'tickets.read') ? { q } : null);
  const [customers, setCustomers] = useState<Customer[]>([]);
  useEffect(() => {
    if (!q || !can(me, 'customers.read')) {
      setCustomers([]);
      return;
    }
    get<Page<Customer>>('/customers', { q, limit: 20 })
      .then((p) => setCustomers(p.items))
      .catch(() => setCustomers([]));
  }, [q]);
  return (
    <section class="queue-page search-page">
      <div class="queue-head">
        <h1>{t('search.title', { q })}</h1>
        {customers.length > 0 && (
          <ul class="cust-chips" aria-label={t('search.customers')}>
            {customers.map((c) => (
              <li key={c.id}>
                <a href={'#/customers/' + c.id}>
                  {c.name} <span class="muted">{c.phone}</span> <span class="grade">{c.grade}</span>
                </a>
              </li>
            ))}
          </ul>
        )}
      </div>
      <TicketTable list={list} label={t('search.tickets')} />
    </section>
  );
}
