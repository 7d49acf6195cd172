// Live-ops widgets shared by the lobby: progress rows for events and missions with their claim/join buttons.
import { api, describeError, newIdempotencyKey } from '../net/api.ts';
import { describeReward } from '../net/hub.ts';
import type { ClaimResult, LiveEvent, Mission } from '../net/types.ts';
import { setBalances, toast } from '../state/store.ts';
import { busy, fmt, h } from './dom.ts';

function progressBar(progress: number, target: number) {
  const pct = Math.min(100, Math.round((progress / Math.max(1, target)) * 100));
  return h(
    'div',
    {
      class: 'bar',
      role: 'progressbar',
      'aria-valuemin': '0',
      'aria-valuemax': String(target),
      'aria-valuenow': String(Math.min(progress, target)),
    },
    h('i', { style: { width: `${pct}%` } }),
  );
}

/** Claims once: the Idempotency-Key is kept for retries of this click, and the server's balances are shown. */
async function claim(path: string, onDone: () => void): Promise<void> {
  try {
    const r = await api<ClaimResult>('POST', path, { idempotent: true, idempotencyKey: newIdempotencyKey() });
    setBalances(r.new_balances);
    toast(r.applied ? `Claimed: ${describeReward(r.reward_items)}` : 'Already claimed', r.applied ? 'reward' : 'info');
  } catch (err) {
    toast(describeError(err), 'error');
  }
  onDone();
}

export function missionRow(m: Mission, onChanged: () => void): HTMLElement {
  const claimable = m.status === 'claimable';
  const button = h(
    'button',
    {
      class: claimable ? 'primary' : '',
      testid: `claim-mission-${m.code}`,
      disabled: !claimable,
      onclick: (e: Event) => void busy(e.currentTarget as HTMLButtonElement, () => claim(`/missions/${m.id}/claim`, onChanged)),
    },
    m.status === 'claimed' ? 'Claimed' : claimable ? 'Claim' : `${fmt(Math.min(m.progress, m.target))}/${fmt(m.target)}`,
  );
  return h(
    'div',
    { class: 'item', testid: `mission-${m.code}`, 'data-status': m.status },
    h(
      'div',
      { class: 'progress grow' },
      h('span', {}, m.name, ' ', h('span', { class: 'muted small' }, `· ${m.period}`)),
      progressBar(m.progress, m.target),
      h('span', { class: 'small muted' }, `Reward: ${describeReward(m.reward)}`),
    ),
    button,
  );
}

export function eventRow(e: LiveEvent, onChanged: () => void): HTMLElement {
  const claimable = e.status === 'claimable';
  let button: HTMLButtonElement;
  if (!e.joined) {
    button = h(
      'button',
      {
        testid: `join-event-${e.code}`,
        onclick: (ev: Event) =>
          void busy(ev.currentTarget as HTMLButtonElement, async () => {
            try {
              await api('POST', `/events/${e.id}/participate`, { idempotent: true });
              toast(`Joined ${e.name}`, 'success');
            } catch (err) {
              toast(describeError(err), 'error');
            }
            onChanged();
          }),
      },
      'Join',
    );
  } else {
    button = h(
      'button',
      {
        class: claimable ? 'primary' : '',
        testid: `claim-event-${e.code}`,
        disabled: !claimable,
        onclick: (ev: Event) => void busy(ev.currentTarget as HTMLButtonElement, () => claim(`/events/${e.id}/claim`, onChanged)),
      },
      e.status === 'claimed'
        ? 'Claimed'
        : e.status === 'expired'
          ? 'Expired'
          : claimable
            ? 'Claim'
            : `${fmt(Math.min(e.progress, e.target))}/${fmt(e.target)}`,
    );
  }
  const ends = e.ends_at ? `ends ${new Date(e.ends_at.replace(' ', 'T').replace(/\+00$/, 'Z')).toUTCString().slice(5, 22)} UTC` : e.type;
  return h(
    'div',
    { class: 'item', testid: `event-${e.code}`, 'data-status': e.status ?? 'not_joined' },
    h(
      'div',
      { class: 'progress grow' },
      h('span', {}, e.name, ' ', h('span', { class: 'muted small' }, `· ${ends}`)),
      h('span', { class: 'small muted' }, e.description),
      e.joined ? progressBar(e.progress, e.target) : null,
      h('span', { class: 'small muted' }, `Reward: ${describeReward(e.reward)}`),
    ),
    button,
  );
}
