// The profile: level and XP, lifetime stats per game, recent sessions, the inventory, and the wallet statement
// (the player's own ledger, newest first, with reasons; paged with the server's cursor, filtered by currency; under
// its heading the head hash of each currency's hash chain, short, the full value in its tooltip).
import type { LedgerReason } from '../../../domain/economy/currency.ts';
import { api, describeError } from '../net/api.ts';
import type { GameStat, InventoryItem, LedgerPage, Profile, SessionRow } from '../net/types.ts';
import { patch, setBalances } from '../state/store.ts';
import { fill, fmt, h } from '../ui/dom.ts';
import { limitsPanel } from '../ui/limits.ts';
import { setInfo } from '../testing/hooks.ts';
import { NeonScene } from './base.ts';

/** A label for every ledger reason the server writes (the type makes a new reason a compile error here). */
const REASONS: Record<LedgerReason, string> = {
  signup_bonus: 'Welcome bonus',
  bet: 'Bet',
  win: 'Win',
  refund: 'Refund',
  purchase: 'Shop purchase',
  reward: 'Reward',
  admin_adjust: 'Adjustment by support',
  admin_adjustment: 'Adjustment by support',
  admin_operation: 'Club bonus or adjustment',
  shard_convert: 'Duplicate converted',
  rake: 'Rake',
  transfer: 'Transfer',
};

export class ProfileScene extends NeonScene {
  private ledgerBody!: HTMLElement;
  private heads!: HTMLElement;
  private more!: HTMLButtonElement;
  private cursor: number | null = null;
  private currency = '';

  constructor() {
    super('profile');
  }

  protected async build(): Promise<void> {
    const left = h('section', { class: 'col medium' });
    // the right column scrolls: the play limits, stats, sessions and the statement keep their own heights
    const right = h('section', { class: 'col grow scroll' });
    fill(this.screen, left, right);
    try {
      const askedAt = performance.now();
      const [profile, sessions, inventory] = await Promise.all([
        api<Profile>('GET', '/profile'),
        api<{ sessions: SessionRow[] }>('GET', '/games/sessions/recent'),
        api<{ items: InventoryItem[] }>('GET', '/inventory'),
      ]);
      if (!this.active) return;
      setBalances(profile.balances, askedAt);
      patch('dashboard', { profile });
      fill(left, this.profilePanel(profile), this.inventoryPanel(inventory.items));
      fill(right, limitsPanel(), this.statsPanel(profile.stats), this.sessionsPanel(sessions.sessions), this.ledgerPanel());
      await this.loadLedger(true);
    } catch (err) {
      fill(left, h('div', { class: 'panel', role: 'alert' }, `Your profile could not load: ${describeError(err)}`));
    }
  }

  private profilePanel(p: Profile): HTMLElement {
    return h(
      'div',
      { class: 'panel', testid: 'profile' },
      h('h2', {}, p.username),
      h('p', {}, `Level ${p.level} · ${fmt(p.xp)} XP`),
      h(
        'div',
        { class: 'bar' },
        h('i', { style: { width: `${Math.round((p.level_progress.xp_in_level / p.level_progress.xp_per_level) * 100)}%` } }),
      ),
      h(
        'p',
        { class: 'small muted' },
        `${p.level_progress.xp_in_level}/${p.level_progress.xp_per_level} XP in this level · 1 XP per 10 GOLD wagered`,
      ),
      h('p', {}, `Daily streak ${p.streak.current} (best ${p.streak.best})`),
      h('p', { class: 'small muted' }, `GOLD ${fmt(p.balances.GOLD)} · GEM ${fmt(p.balances.GEM)}`),
    );
  }

  private inventoryPanel(items: InventoryItem[]): HTMLElement {
    setInfo('inventoryCount', items.length);
    return h(
      'div',
      { class: 'panel grow', testid: 'inventory' },
      h('h2', {}, 'Inventory'),
      items.length
        ? h(
            'div',
            {},
            ...items.map((i) =>
              h(
                'div',
                { class: 'item', testid: `inventory-${i.item_id}` },
                h('span', {}, i.item_id),
                h(
                  'span',
                  { class: 'muted' },
                  `×${fmt(i.quantity)}${i.expires_at ? ` · until ${new Date(i.expires_at).toUTCString().slice(5, 22)}` : ''}`,
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'Nothing yet: items come from the shop, the gacha and rewards.'),
    );
  }

  private statsPanel(stats: GameStat[]): HTMLElement {
    return h(
      'div',
      { class: 'panel', testid: 'stats' },
      h('h2', {}, 'Stats per game'),
      stats.length
        ? h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Game'),
                h('th', { class: 'num' }, 'Sessions'),
                h('th', { class: 'num' }, 'Rounds'),
                h('th', { class: 'num' }, 'Wagered'),
                h('th', { class: 'num' }, 'Won'),
                h('th', { class: 'num' }, 'Biggest win'),
                h('th', { class: 'num' }, 'Best ×'),
              ),
            ),
            h(
              'tbody',
              {},
              ...stats.map((s) =>
                h(
                  'tr',
                  { testid: `stats-${s.game}` },
                  h('td', {}, s.game),
                  h('td', { class: 'num' }, fmt(s.sessions)),
                  h('td', { class: 'num' }, fmt(s.rounds)),
                  h('td', { class: 'num' }, fmt(s.wagered)),
                  h('td', { class: 'num' }, fmt(s.won)),
                  h('td', { class: 'num' }, fmt(s.biggest_win)),
                  h('td', { class: 'num' }, `${(s.biggest_multiplier / 100).toFixed(2)}×`),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'Play a game: stats appear when a session ends.'),
    );
  }

  private sessionsPanel(sessions: SessionRow[]): HTMLElement {
    return h(
      'div',
      { class: 'panel', testid: 'sessions' },
      h('h2', {}, 'Recent sessions'),
      sessions.length
        ? h(
            'table',
            {},
            h(
              'thead',
              {},
              h(
                'tr',
                {},
                h('th', {}, 'Game'),
                h('th', {}, 'Started'),
                h('th', {}, 'Status'),
                h('th', { class: 'num' }, 'Rounds'),
                h('th', { class: 'num' }, 'Wagered'),
                h('th', { class: 'num' }, 'Net'),
              ),
            ),
            h(
              'tbody',
              {},
              ...sessions.map((s) =>
                h(
                  'tr',
                  {},
                  h('td', {}, s.game),
                  h('td', {}, new Date(s.started_at).toLocaleString('en-GB')),
                  h('td', {}, s.status),
                  h('td', { class: 'num' }, fmt(s.rounds)),
                  h('td', { class: 'num' }, fmt(s.wagered)),
                  h('td', { class: `num ${s.won >= s.wagered ? 'win' : 'loss'}` }, fmt(s.won - s.wagered)),
                ),
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'No sessions yet.'),
    );
  }

  private ledgerPanel(): HTMLElement {
    this.ledgerBody = h('tbody', {});
    this.more = h('button', { testid: 'ledger-more', onclick: () => void this.loadLedger(false) }, 'Older entries');
    this.heads = h('p', { class: 'muted', testid: 'ledger-heads' });
    const filter = h(
      'select',
      { 'aria-label': 'Currency', testid: 'ledger-currency' },
      h('option', { value: '' }, 'All currencies'),
      h('option', { value: 'GOLD' }, 'GOLD'),
      h('option', { value: 'GEM' }, 'GEM'),
    );
    filter.addEventListener('change', () => {
      this.currency = filter.value;
      void this.loadLedger(true);
    });
    return h(
      'div',
      { class: 'panel grow', testid: 'ledger' },
      h('div', { class: 'row spread' }, h('h2', {}, 'Wallet statement'), filter),
      this.heads,
      h(
        'table',
        {},
        h(
          'thead',
          {},
          h(
            'tr',
            {},
            h('th', {}, 'When'),
            h('th', {}, 'Reason'),
            h('th', {}, 'Currency'),
            h('th', { class: 'num' }, 'Amount'),
            h('th', { class: 'num' }, 'Balance after'),
          ),
        ),
        this.ledgerBody,
      ),
      this.more,
    );
  }

  /** The head hash of each currency's chain: its first and last 8 hex digits, the whole hash and entry in the tooltip. */
  private showHeads(heads: LedgerPage['heads']): void {
    fill(
      this.heads,
      heads.length ? 'Chain head: ' : '',
      ...heads.flatMap((x, i) => [
        i > 0 ? ' · ' : '',
        `${x.currency} `,
        h(
          'code',
          { class: 'mono', title: `${x.hash} (entry #${x.entry_id})`, testid: `ledger-head-${x.currency}`, 'data-hash': x.hash },
          `${x.hash.slice(0, 8)}…${x.hash.slice(-8)}`,
        ),
      ]),
    );
  }

  private async loadLedger(reset: boolean): Promise<void> {
    if (reset) {
      this.cursor = null;
      this.ledgerBody.replaceChildren();
    }
    const q = new URLSearchParams({ limit: '20' });
    if (this.cursor !== null) q.set('cursor', String(this.cursor));
    if (this.currency) q.set('currency', this.currency);
    try {
      const page = await api<LedgerPage>('GET', `/wallet/ledger?${q}`);
      if (!this.active) return;
      this.showHeads(page.heads);
      for (const e of page.entries) {
        this.ledgerBody.append(
          h(
            'tr',
            { testid: 'ledger-row', 'data-reason': e.reason },
            h('td', {}, new Date(e.created_at).toLocaleString('en-GB')),
            h('td', {}, REASONS[e.reason as LedgerReason] ?? e.reason),
            h('td', {}, e.currency),
            h('td', { class: `num ${e.delta > 0 ? 'win' : 'loss'}` }, `${e.delta > 0 ? '+' : ''}${fmt(e.delta)}`),
            h('td', { class: 'num' }, fmt(e.balance_after)),
          ),
        );
      }
      this.cursor = page.next_cursor;
      this.more.hidden = page.next_cursor === null;
      setInfo('ledgerRows', this.ledgerBody.childElementCount);
    } catch (err) {
      this.ledgerBody.append(h('tr', {}, h('td', { colSpan: 5, role: 'alert' }, describeError(err))));
    }
  }
}
