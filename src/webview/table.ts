import type { UiStrings } from '../protocol';
import { fill, h, setText, stateClass } from './dom';
import { endpoint, peerKey, remainingSeconds, type LiveRow } from './model';

export type SortColumn = 'local' | 'remote' | 'state' | 'timer' | 'queues' | 'process';
export interface SortOrder { column: SortColumn; descending: boolean }

const COLUMNS: SortColumn[] = ['local', 'remote', 'state', 'timer', 'queues', 'process'];
/** Row height in px (styles.css sets it): only the rows in view (plus a margin) are in the DOM. */
const ROW_H = 24;
const MARGIN_ROWS = 12;

interface RowView {
  tr: HTMLTableRowElement;
  cells: HTMLTableCellElement[];
  chip: HTMLSpanElement;
  live: LiveRow;
}

/** Compares endpoints by address, then numerically by port. */
const byEndpoint = (a: { address: string; port: number }, b: { address: string; port: number }) =>
  a.address.localeCompare(b.address) || a.port - b.port;

/**
 * The live socket table: keyed rows updated in place (only changed text is written), sorting
 * by any column, a text filter, keyboard selection, and timers that count down between polls.
 */
export class SocketTable {
  readonly element: HTMLElement;
  private readonly tbody: HTMLTableSectionElement;
  private readonly headers: HTMLButtonElement[] = [];
  private readonly ths: HTMLTableCellElement[] = [];
  private readonly count: HTMLElement;
  private readonly noTimers: HTMLElement;
  private readonly filterInput: HTMLInputElement;
  private readonly views = new Map<string, RowView>();
  /** Keys of the rows attached to the DOM (the window), in order. */
  private order: string[] = [];
  /** Keys of every row that passes the filter, in sort order. */
  private allKeys: string[] = [];
  private readonly scroller: HTMLElement;
  private readonly topPad: HTMLTableRowElement;
  private readonly bottomPad: HTMLTableRowElement;
  private scrollFrame = 0;
  private rows: LiveRow[] = [];
  private hasTimers = true;
  selected: string | undefined;

  constructor(private readonly strings: UiStrings, public sort: SortOrder, public filter: string,
    private readonly onSelect: (key: string | undefined) => void, private readonly onViewStateChange: () => void) {
    this.filterInput = h('input', { type: 'search', class: 'filter', placeholder: strings.filterPlaceholder, 'aria-label': strings.filterLabel, value: filter });
    this.filterInput.addEventListener('input', () => {
      this.filter = this.filterInput.value;
      this.render();
      this.onViewStateChange();
    });
    this.count = h('span', { class: 'row-count', 'aria-live': 'polite' });
    this.noTimers = h('p', { class: 'no-timers', id: 'no-timers', hidden: true }, strings.noTimersPlatform);
    const titles: Record<SortColumn, string> = {
      local: strings.colLocal, remote: strings.colRemote, state: strings.colState,
      timer: strings.colTimer, queues: strings.colQueues, process: strings.colProcess,
    };
    const headRow = h('tr');
    for (const column of COLUMNS) {
      const button = h('button', { type: 'button', class: 'sort', 'data-column': column }, titles[column]);
      button.addEventListener('click', () => {
        this.sort = { column, descending: this.sort.column === column ? !this.sort.descending : false };
        this.render();
        this.onViewStateChange();
      });
      const th = h('th', { scope: 'col', class: `col-${column}` }, button);
      this.headers.push(button);
      this.ths.push(th);
      headRow.append(th);
    }
    this.tbody = h('tbody');
    this.tbody.addEventListener('keydown', (e) => this.onKey(e));
    const table = h('table', { class: 'sockets', 'aria-label': strings.tableLabel }, h('thead', {}, headRow), this.tbody);
    const pad = () => h('tr', { class: 'pad', 'aria-hidden': 'true' }, h('td', { colspan: COLUMNS.length }));
    this.topPad = pad();
    this.bottomPad = pad();
    this.scroller = h('div', { class: 'table-scroll' }, table);
    this.scroller.addEventListener('scroll', () => {
      if (this.scrollFrame === 0) {
        this.scrollFrame = requestAnimationFrame(() => {
          this.scrollFrame = 0;
          this.render();
        });
      }
    });
    this.element = h('section', { class: 'table-wrap' },
      h('div', { class: 'table-tools' }, this.filterInput, this.count), this.noTimers, this.scroller);
  }

  /** Replaces the rows (one poll) and redraws what changed. */
  setRows(rows: Iterable<LiveRow>, hasTimers: boolean): void {
    this.rows = [...rows];
    this.hasTimers = hasTimers;
    this.noTimers.hidden = hasTimers;
    this.render();
  }

  select(key: string | undefined): void {
    this.selected = key;
    this.markSelection();
  }

  /** Moves every visible countdown on; called a few times per second. */
  tick(now: number): void {
    for (const key of this.order) {
      const view = this.views.get(key)!;
      if (view.live.row.timer) {
        setText(view.cells[3], this.timerText(view.live, now));
      }
    }
  }

  private visible(): LiveRow[] {
    const needle = this.filter.trim().toLowerCase();
    const rows = needle === '' ? this.rows : this.rows.filter((r) => this.searchText(r).includes(needle));
    const now = performance.now();
    const key = (r: LiveRow): number | string => {
      switch (this.sort.column) {
        case 'timer': return remainingSeconds(r, now) ?? Infinity;
        case 'queues': return r.row.rxQueue + r.row.txQueue;
        case 'state': return r.row.state;
        case 'process': return this.processText(r);
        default: return 0;
      }
    };
    const compare = (a: LiveRow, b: LiveRow): number => {
      if (this.sort.column === 'local') {
        return byEndpoint(a.row.local, b.row.local) || byEndpoint(a.row.remote, b.row.remote);
      }
      if (this.sort.column === 'remote') {
        return byEndpoint(a.row.remote, b.row.remote) || byEndpoint(a.row.local, b.row.local);
      }
      const ka = key(a);
      const kb = key(b);
      const primary = typeof ka === 'number' && typeof kb === 'number' ? ka - kb : String(ka).localeCompare(String(kb));
      return primary || byEndpoint(a.row.local, b.row.local);
    };
    const sorted = [...rows].sort(compare);
    return this.sort.descending ? sorted.reverse() : sorted;
  }

  private searchText(r: LiveRow): string {
    return `${endpoint(r.row.local)} ${endpoint(r.row.remote)} ${r.row.state} ${this.processText(r)}`.toLowerCase();
  }

  private processText(r: LiveRow): string {
    const { process, pid, inode } = r.row;
    if (process) {
      return pid !== null ? `${process} (${pid})` : process;
    }
    if (pid !== null) {
      return `pid ${pid}`;
    }
    return inode === 0 ? this.strings.noProcess : this.strings.processUnknown;
  }

  private timerText(r: LiveRow, now: number): string {
    if (!this.hasTimers) {
      return '—';
    }
    const timer = r.row.timer;
    const left = remainingSeconds(r, now);
    if (!timer || left === undefined) {
      return this.strings.noTimer;
    }
    const seconds = left.toFixed(1);
    switch (timer.kind) {
      case 'timewait':
        return fill(r.row.state === 'FIN_WAIT2' ? this.strings.timerFinWait2 : this.strings.timerTimeWait, { seconds });
      case 'keepalive':
        return fill(this.strings.timerKeepalive, { seconds, probes: r.row.probes });
      case 'retransmit':
        return fill(this.strings.timerRetransmit, { seconds, count: r.row.retransmits });
      case 'probe':
        return fill(this.strings.timerProbe, { seconds });
      default: {
        const never: never = timer.kind;
        return String(never);
      }
    }
  }

  /**
   * Writes the rows in view, in order, creating or reusing one <tr> per socket. Rows outside
   * the scrolled window are not in the DOM (two padding rows keep the scroll height), so a
   * poll of 1,000 sockets costs what the visible few dozen cost.
   */
  render(): void {
    const performanceNow = performance.now();
    const rows = this.visible();
    this.allKeys = rows.map((r) => r.key);
    const alive = new Set(this.rows.map((r) => r.key));
    for (const [key, view] of this.views) {
      if (!alive.has(key)) {
        view.tr.remove();
        this.views.delete(key);
      }
    }
    const top = this.scroller.scrollTop;
    const height = this.scroller.clientHeight || 800;
    const start = Math.max(0, Math.floor(top / ROW_H) - MARGIN_ROWS);
    const end = Math.min(rows.length, Math.ceil((top + height) / ROW_H) + MARGIN_ROWS);
    const shown = rows.slice(start, end);
    for (const live of shown) {
      this.fillRow(this.views.get(live.key) ?? this.create(live), live, performanceNow);
    }
    const keys = shown.map((r) => r.key);
    if (keys.length !== this.order.length || keys.some((k, i) => k !== this.order[i])) {
      this.tbody.replaceChildren(this.topPad, ...keys.map((k) => this.views.get(k)!.tr), this.bottomPad);
      this.order = keys;
    }
    this.topPad.style.height = `${start * ROW_H}px`;
    this.bottomPad.style.height = `${(rows.length - end) * ROW_H}px`;
    for (const [i, th] of this.ths.entries()) {
      const sorted = COLUMNS[i] === this.sort.column;
      th.setAttribute('aria-sort', sorted ? (this.sort.descending ? 'descending' : 'ascending') : 'none');
      this.headers[i].classList.toggle('sorted', sorted);
      this.headers[i].classList.toggle('descending', sorted && this.sort.descending);
    }
    this.ths[3].classList.toggle('muted', !this.hasTimers);
    setText(this.count, fill(this.strings.rowsShown, { shown: rows.length, total: this.rows.length }));
    this.markSelection();
  }

  private fillRow(view: RowView, live: LiveRow, now: number): void {
    view.live = live;
    const r = live.row;
    setText(view.cells[0], endpoint(r.local));
    setText(view.cells[1], endpoint(r.remote));
    setText(view.chip, r.state);
    const chipClass = `chip ${stateClass(r.state)}`;
    if (view.chip.className !== chipClass) {
      view.chip.className = chipClass;
      view.tr.dataset.state = r.state;
    }
    setText(view.cells[3], this.timerText(live, now));
    setText(view.cells[4], fill(this.strings.queues, { rx: r.rxQueue, tx: r.txQueue }));
    setText(view.cells[5], this.processText(live));
    view.cells[5].classList.toggle('kernel-held', r.pid === null && r.inode === 0);
  }

  private create(live: LiveRow): RowView {
    const chip = h('span', { class: 'chip' });
    const cells = COLUMNS.map((c) => h('td', { class: `col-${c}` }));
    cells[2].append(chip);
    cells[3].setAttribute('aria-describedby', 'no-timers');
    const tr = h('tr', { tabindex: -1, 'data-key': live.key, 'aria-selected': 'false' }, ...cells);
    tr.addEventListener('click', () => this.choose(live.key));
    const view = { tr, cells, chip, live };
    this.views.set(live.key, view);
    return view;
  }

  private choose(key: string | undefined): void {
    this.selected = key;
    if (key && !this.order.includes(key)) {
      // Bring a row chosen by keyboard into the window before focusing it.
      const index = this.allKeys.indexOf(key);
      this.scroller.scrollTop = Math.max(0, index * ROW_H - this.scroller.clientHeight / 2);
      this.render();
    }
    this.markSelection();
    if (key) {
      this.views.get(key)?.tr.focus();
    }
    this.onSelect(key);
  }

  private markSelection(): void {
    const selected = this.selected ? this.views.get(this.selected) : undefined;
    const peer = selected ? peerKey(selected.live.row) : undefined;
    let focusable = false;
    for (const key of this.order) {
      const view = this.views.get(key)!;
      const isSelected = key === this.selected;
      const isPeer = key === peer;
      if (view.tr.classList.contains('selected') !== isSelected) {
        view.tr.classList.toggle('selected', isSelected);
        view.tr.setAttribute('aria-selected', String(isSelected));
      }
      if (view.tr.classList.contains('peer') !== isPeer) {
        view.tr.classList.toggle('peer', isPeer);
        view.tr.title = isPeer ? this.strings.peerRow : '';
      }
      const tab = isSelected ? 0 : -1;
      if (view.tr.tabIndex !== tab) {
        view.tr.tabIndex = tab;
      }
      focusable ||= isSelected;
    }
    // Keep one row reachable with Tab (roving tabindex).
    if (!focusable && this.order.length > 0) {
      this.views.get(this.order[0])!.tr.tabIndex = 0;
    }
  }

  private onKey(e: KeyboardEvent): void {
    const current = this.selected ? this.allKeys.indexOf(this.selected) : -1;
    let next: number | undefined;
    switch (e.key) {
      case 'ArrowDown': next = Math.min(this.allKeys.length - 1, current + 1); break;
      case 'ArrowUp': next = Math.max(0, current - 1); break;
      case 'Home': next = 0; break;
      case 'End': next = this.allKeys.length - 1; break;
      case 'Escape': this.choose(undefined); return;
      case 'Enter':
      case ' ':
        next = current < 0 ? 0 : current;
        break;
      default: return;
    }
    e.preventDefault();
    if (next !== undefined && next >= 0) {
      this.choose(this.allKeys[next]);
    }
  }

  /** The table as the host's probe reports it. */
  probe(): { key: string; state: string; timer: string }[] {
    return this.order.map((key) => {
      const view = this.views.get(key)!;
      return { key, state: view.chip.textContent ?? '', timer: view.cells[3].textContent ?? '' };
    });
  }
}
