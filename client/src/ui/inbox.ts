// The inbox in the top bar: a button with the unread count, and a panel of messages (newest first). Opening a message
// marks it read; its deep link goes to a game or the shop. A hub `notification` push bumps the count (net/hub.ts).
import { api, describeError } from '../net/api.ts';
import type { InboxMessage } from '../net/types.ts';
import { patch, store, toast, watch } from '../state/store.ts';
import { fill, h } from './dom.ts';

const LINK_LABELS: Record<string, string> = { slot: 'Slot', crash: 'Crash', rps: 'RPS', gacha: 'Gacha', shop: 'Shop' };
const PAGE = 20;

/** Reads the unread count (one small request) into the store. */
export async function refreshUnread(): Promise<void> {
  const r = await api<{ unread: number }>('GET', '/inbox?limit=1');
  patch('inbox', { unread: r.unread });
}

/** The top bar's inbox button and its panel; `go` navigates to a scene. Returns the element and its unsubscribe. */
export function inboxControl(go: (key: string) => void): { el: HTMLElement; dispose: () => void } {
  const badge = h('span', { class: 'badge', testid: 'inbox-badge', hidden: true });
  const panel = h('section', { class: 'inbox-panel panel', testid: 'inbox-panel', hidden: true, 'aria-label': 'Inbox' });
  const button = h(
    'button',
    { class: 'ghost inbox-button', testid: 'inbox-button', title: 'Inbox', 'aria-expanded': 'false' },
    'Inbox',
    badge,
  );
  button.addEventListener('click', () => {
    const open = panel.hidden;
    panel.hidden = !open;
    button.setAttribute('aria-expanded', String(open));
    if (open) void load(panel, go);
  });
  const el = h('div', { class: 'inbox' }, button, panel);
  const off = watch(
    (s) => s.inbox.unread,
    (n) => {
      badge.hidden = !n;
      badge.textContent = n ? String(n) : '';
    },
  );
  if (store.getState().auth.accessToken && store.getState().inbox.unread === null) void refreshUnread().catch(() => undefined);
  return { el, dispose: off };
}

async function load(panel: HTMLElement, go: (key: string) => void): Promise<void> {
  fill(panel, h('p', { class: 'muted small' }, 'Loading…'));
  try {
    const r = await api<{ items: InboxMessage[]; unread: number }>('GET', `/inbox?limit=${PAGE}`);
    patch('inbox', { unread: r.unread });
    fill(
      panel,
      h('h3', {}, 'Inbox'),
      r.items.length === 0 ? h('p', { class: 'muted small', testid: 'inbox-empty' }, 'No messages yet.') : null,
      ...r.items.map((m) => messageRow(m, go)),
    );
  } catch (err) {
    fill(panel, h('p', { class: 'small' }, describeError(err)));
  }
}

function messageRow(m: InboxMessage, go: (key: string) => void): HTMLElement {
  const body = h('div', { class: 'inbox-body', hidden: true }, h('p', { class: 'small' }, m.body));
  if (m.deep_link) {
    const link = m.deep_link;
    body.append(h('button', { class: 'primary', testid: 'inbox-open', onclick: () => go(link) }, `Go to ${LINK_LABELS[link] ?? link}`));
  }
  const row = h(
    'article',
    { class: 'inbox-item', testid: 'inbox-item', 'data-read': String(!!m.read_at) },
    h(
      'button',
      { class: 'inbox-title', testid: 'inbox-title', onclick: () => void open(m, row, body) },
      h('span', { class: 'dot', 'aria-label': m.read_at ? 'read' : 'unread' }),
      h('span', { class: 'grow' }, m.title),
      h('span', { class: 'muted small' }, new Date(m.created_at).toLocaleString()),
    ),
    body,
  );
  return row;
}

async function open(m: InboxMessage, row: HTMLElement, body: HTMLElement): Promise<void> {
  body.hidden = !body.hidden;
  if (m.read_at) return;
  try {
    const r = await api<{ message: InboxMessage; unread: number }>('POST', `/inbox/${m.id}/read`, { idempotent: true });
    m.read_at = r.message.read_at;
    row.dataset.read = 'true';
    patch('inbox', { unread: r.unread });
  } catch (err) {
    toast(describeError(err), 'error');
  }
}
