// A windowed list: only the rows in view (and a few around them) are in the
// page, so a queue of thousands of tickets scrolls as smoothly as one of ten.
// Rows have a fixed height. Arrow keys move between rows, Home and End jump.
import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';

const OVERSCAN = 8;

export function VirtualList<T>(props: {
  items: T[];
  rowHeight: number;
  label: string;
  keyOf: (item: T) => string;
  render: (item: T, index: number) => ComponentChildren;
  onNearEnd?: () => void;
  footer?: ComponentChildren;
}) {
  const { items, rowHeight } = props;
  const ref = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState(0);
  const [height, setHeight] = useState(800);
  const frame = useRef(0);
  const focusNext = useRef(-1);

  useLayoutEffect(() => {
    const el = ref.current!;
    setHeight(el.clientHeight);
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const first = Math.max(0, Math.floor(scroll / rowHeight) - OVERSCAN);
  const last = Math.min(items.length, Math.ceil((scroll + height) / rowHeight) + OVERSCAN);

  useEffect(() => {
    if (props.onNearEnd && items.length > 0 && last >= items.length - OVERSCAN) props.onNearEnd();
  }, [last, items.length]);

  useEffect(() => {
    if (focusNext.current < 0) return;
    const el = ref.current?.querySelector<HTMLElement>(`[data-index="${focusNext.current}"]`);
    if (el) {
      el.focus({ preventScroll: true });
      focusNext.current = -1;
    }
  });

  function onScroll() {
    if (frame.current) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      if (ref.current) setScroll(ref.current.scrollTop);
    });
  }

  function onKeyDown(ev: KeyboardEvent) {
    const target = (ev.target as HTMLElement).closest<HTMLElement>('[data-index]');
    if (!target) return;
    const i = Number(target.dataset.index);
    let next = -1;
    if (ev.key === 'ArrowDown') next = Math.min(items.length - 1, i + 1);
    else if (ev.key === 'ArrowUp') next = Math.max(0, i - 1);
    else if (ev.key === 'Home') next = 0;
    else if (ev.key === 'End') next = items.length - 1;
    else return;
    ev.preventDefault();
    const el = ref.current!;
    const top = next * rowHeight;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + el.clientHeight) el.scrollTop = top + rowHeight - el.clientHeight;
    setScroll(el.scrollTop);
    focusNext.current = next;
    const existing = el.querySelector<HTMLElement>(`[data-index="${next}"]`);
    if (existing) {
      existing.focus({ preventScroll: true });
      focusNext.current = -1;
    }
  }

  return (
    <div class="vlist" ref={ref} onScroll={onScroll} onKeyDown={onKeyDown} role="list" aria-label={props.label}>
      <div class="vlist-inner" style={{ height: items.length * rowHeight + 'px' }}>
        {items.slice(first, last).map((item, k) => {
          const i = first + k;
          return (
            <div role="listitem" aria-setsize={items.length} aria-posinset={i + 1} key={props.keyOf(item)} class="vrow" style={{ transform: `translateY(${i * rowHeight}px)`, height: rowHeight + 'px' }}>
              {props.render(item, i)}
            </div>
          );
        })}
      </div>
      {props.footer}
    </div>
  );
}
