// Responsible play in the game (docs/limits.md): the profile's "Play limits" panel (loss / wager / spend limits per
// currency and UTC period with usage, remaining and pending raises; the reality-check interval; a cool-off or a
// self-exclusion behind a typed confirmation) and the reality-check dialog the game rooms trigger.
import { api, describeError } from '../net/api.ts';
import type { PlayLimits, RealityCheckMessage } from '../net/types.ts';
import { toast } from '../state/store.ts';
import { setInfo } from '../testing/hooks.ts';
import { busy, fill, fmt, h } from './dom.ts';

const KIND_LABEL = { loss: 'Loss limit', wager: 'Wager limit', spend: 'Spend limit' } as const;
const PERIOD_LABEL = { day: 'per day', week: 'per week', month: 'per month' } as const;
const CURRENCIES = { loss: ['GOLD', 'GEM'], wager: ['GOLD', 'GEM'], spend: ['USD', 'GEM'] } as const;
const CONFIRM = 'I understand';
const when = (iso: string) => new Date(iso).toUTCString().slice(5, 22) + ' UTC';
const money = (n: number | null, currency: string) =>
  n === null ? 'none' : currency === 'USD' ? `$${(n / 100).toFixed(2)}` : `${fmt(n)} ${currency}`;

/** The "Play limits" panel of the profile. */
export function limitsPanel(): HTMLElement {
  const body = h('div', {});
  const panel = h('div', { class: 'panel', testid: 'play-limits' }, h('h2', {}, 'Play limits'), body);
  const load = async () => {
    try {
      render(await api<PlayLimits>('GET', '/limits'));
    } catch (err) {
      fill(body, h('p', { role: 'alert' }, `Your limits could not load: ${describeError(err)}`));
    }
  };
  const render = (v: PlayLimits) => {
    setInfo('playLimits', v.limits.length);
    fill(body, blockSection(v), limitsTable(v, save), limitForm(save), realityCheck(v, load), blockForm(v, load));
  };
  const save = async (limits: Array<{ kind: string; currency: string; period: string; amount: number | null }>) => {
    try {
      const v = await api<PlayLimits>('PUT', '/limits', { body: { limits } });
      const l = v.limits.find((x) => x.kind === limits[0].kind && x.currency === limits[0].currency && x.period === limits[0].period);
      toast(l?.pending ? `Raised limits apply after 24 h (${when(l.pending.effective_at)}).` : 'Limit saved: it applies now.', 'info');
      render(v);
    } catch (err) {
      toast(describeError(err), 'error');
    }
  };
  void load();
  return panel;
}

function blockSection(v: PlayLimits): HTMLElement | null {
  if (!v.block) return null;
  const what = v.block.kind === 'cool_off' ? 'You are taking a break' : 'You excluded yourself from play';
  return h(
    'p',
    { class: 'limits-block', testid: 'limits-block', role: 'status' },
    `${what} until ${when(v.block.until)}. Games and purchases are closed.`,
  );
}

function limitsTable(v: PlayLimits, save: (l: Array<{ kind: string; currency: string; period: string; amount: null }>) => Promise<void>) {
  if (!v.limits.length)
    return h('p', { class: 'muted small' }, 'No limits set. A lower limit applies at once; a higher one after 24 hours.');
  return h(
    'table',
    { testid: 'limits-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}, 'Limit'),
        h('th', { class: 'num' }, 'Amount'),
        h('th', { class: 'num' }, 'Used'),
        h('th', { class: 'num' }, 'Left'),
        h('th', {}, ''),
      ),
    ),
    h(
      'tbody',
      {},
      ...v.limits.map((l) =>
        h(
          'tr',
          { testid: `limit-${l.kind}-${l.currency}-${l.period}` },
          h('td', {}, `${KIND_LABEL[l.kind]} ${l.currency} ${PERIOD_LABEL[l.period]}`),
          h(
            'td',
            { class: 'num' },
            money(l.amount, l.currency),
            l.pending
              ? h(
                  'div',
                  { class: 'small muted', testid: 'limit-pending' },
                  `→ ${money(l.pending.amount, l.currency)} from ${when(l.pending.effective_at)}`,
                )
              : null,
          ),
          h('td', { class: 'num' }, money(l.used, l.currency)),
          h('td', { class: 'num', testid: 'limit-remaining' }, l.remaining === null ? '—' : money(l.remaining, l.currency)),
          h(
            'td',
            {},
            l.pending && l.pending.amount === null
              ? null
              : h(
                  'button',
                  {
                    class: 'ghost small',
                    onclick: () => void save([{ kind: l.kind, currency: l.currency, period: l.period, amount: null }]),
                  },
                  'Remove',
                ),
          ),
        ),
      ),
    ),
  );
}

function limitForm(save: (l: Array<{ kind: string; currency: string; period: string; amount: number }>) => Promise<void>): HTMLElement {
  const kind = h(
    'select',
    { 'aria-label': 'Kind', testid: 'limit-kind' },
    ...Object.entries(KIND_LABEL).map(([k, t]) => h('option', { value: k }, t)),
  );
  const currency = h('select', { 'aria-label': 'Currency', testid: 'limit-currency' });
  const period = h(
    'select',
    { 'aria-label': 'Period', testid: 'limit-period' },
    ...Object.entries(PERIOD_LABEL).map(([k, t]) => h('option', { value: k }, t)),
  );
  const amount = h('input', { type: 'number', min: '0', step: '1', placeholder: 'Amount', 'aria-label': 'Amount', testid: 'limit-amount' });
  const currencies = () =>
    fill(
      currency,
      ...CURRENCIES[kind.value as keyof typeof CURRENCIES].map((c) => h('option', { value: c }, c === 'USD' ? 'USD cents' : c)),
    );
  kind.addEventListener('change', currencies);
  currencies();
  const button = h('button', { class: 'primary', testid: 'limit-save' }, 'Set limit');
  button.addEventListener('click', () => {
    const n = Number(amount.value);
    if (!amount.value || !Number.isSafeInteger(n) || n < 0) return toast('Enter a whole amount of 0 or more.', 'error');
    void busy(button, () => save([{ kind: kind.value, currency: currency.value, period: period.value, amount: n }]));
  });
  return h('div', { class: 'row limits-form' }, kind, currency, period, amount, button);
}

function realityCheck(v: PlayLimits, reload: () => Promise<void>): HTMLElement {
  const select = h(
    'select',
    { 'aria-label': 'Reality check', testid: 'reality-check' },
    h('option', { value: '' }, `Default (${v.reality_check_custom ? 'club setting' : `${v.reality_check_minutes} min`})`),
    ...[15, 30, 45, 60, 90, 120].map((m) =>
      h('option', { value: String(m), selected: v.reality_check_custom && v.reality_check_minutes === m }, `every ${m} min`),
    ),
  );
  select.addEventListener('change', async () => {
    try {
      await api('PUT', '/limits/reality-check', { body: { minutes: select.value ? Number(select.value) : null } });
      await reload();
    } catch (err) {
      toast(describeError(err), 'error');
    }
  });
  return h('div', { class: 'row' }, h('span', { class: 'small' }, 'Reality check while playing:'), select);
}

function blockForm(v: PlayLimits, reload: () => Promise<void>): HTMLElement {
  const choice = h(
    'select',
    { 'aria-label': 'Break', testid: 'block-choice' },
    h('option', { value: 'cool_off:24h' }, 'Cool-off 24 hours'),
    h('option', { value: 'cool_off:7d' }, 'Cool-off 7 days'),
    h('option', { value: 'cool_off:30d' }, 'Cool-off 30 days'),
    h('option', { value: 'self_exclusion:6m' }, 'Self-exclusion 6 months'),
    h('option', { value: 'self_exclusion:1y' }, 'Self-exclusion 1 year'),
  );
  const confirm = h('input', { type: 'text', placeholder: `Type "${CONFIRM}"`, 'aria-label': 'Confirmation', testid: 'block-confirm' });
  const button = h('button', { class: 'danger', testid: 'block-start', disabled: true }, 'Start break');
  confirm.addEventListener('input', () => (button.disabled = confirm.value !== CONFIRM));
  button.addEventListener('click', () => {
    const [kind, duration] = choice.value.split(':');
    void busy(button, async () => {
      try {
        await api('POST', '/limits/block', { body: { kind, duration, confirm: confirm.value } });
        toast('Your break started. Games and purchases are closed until it ends.', 'info');
        await reload();
      } catch (err) {
        toast(describeError(err), 'error');
      }
    });
  });
  return h(
    'div',
    { class: 'limits-break' },
    h('h3', {}, v.block ? 'Extend your break' : 'Take a break'),
    h('p', { class: 'small muted' }, 'Games and purchases close until it ends. It cannot be ended or shortened, by you or by support.'),
    h('div', { class: 'row' }, choice, confirm, button),
  );
}

let realityChecks = 0;

/** The reality-check dialog: time played and net result, with Continue or Leave (leave returns to the lobby). */
export function showRealityCheck(m: RealityCheckMessage, leave: () => void): void {
  document.querySelector('[data-testid="reality-check-dialog"]')?.parentElement?.remove();
  const net = Object.entries(m.net)
    .map(([c, n]) => `${n > 0 ? '+' : ''}${fmt(n)} ${c}`)
    .join(', ');
  const wagered = Object.entries(m.wagered)
    .map(([c, n]) => `${fmt(n)} ${c}`)
    .join(', ');
  const close = () => root.remove();
  const played = m.minutes_played >= 1 ? `${m.minutes_played} minutes` : `${m.seconds_played} seconds`;
  const root = h(
    'div',
    { class: 'shop-backdrop' },
    h(
      'div',
      { class: 'shop-modal', role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': 'rc-title', testid: 'reality-check-dialog' },
      h('h2', { id: 'rc-title' }, 'Reality check'),
      h('p', {}, `You have played for ${played} at this table.`),
      h('p', { testid: 'reality-check-net' }, `Staked ${wagered || '0'} · net result ${net || '0'}`),
      h(
        'div',
        { class: 'actions' },
        h('button', { testid: 'reality-check-leave', onclick: () => (close(), leave()) }, 'Leave'),
        h('button', { class: 'primary', testid: 'reality-check-continue', onclick: close }, 'Continue'),
      ),
    ),
  );
  (document.getElementById('ui') ?? document.body).append(root);
  setInfo('realityChecks', ++realityChecks);
}
