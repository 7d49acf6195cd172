// The lobby = the dashboard: balances and level (top bar), games, active events and missions with claim buttons,
// pending rewards, the daily streak and shop highlights. Everything shown comes from GET /api/dashboard or a hub push.
import { api, describeError, newIdempotencyKey } from '../net/api.ts';
import { describeReward, onHubPush } from '../net/hub.ts';
import type { Dashboard } from '../net/types.ts';
import { navigate, refreshDashboard } from '../app.ts';
import { setBalances, toast } from '../state/store.ts';
import { busy, fill, fmt, h } from '../ui/dom.ts';
import { eventRow, missionRow } from '../ui/liveops.ts';
import { setInfo } from '../testing/hooks.ts';
import { NeonScene } from './base.ts';

const GAMES = [
  { key: 'slot', name: 'Neon Slots', blurb: '5 reels · 20 lines · free spins ×3' },
  { key: 'crash', name: 'Crash', blurb: 'Ride the curve, cash out in time' },
  { key: 'rps', name: 'Rock Paper Scissors', blurb: 'Duel a player or the house' },
  { key: 'gacha', name: 'Gacha', blurb: 'Banners with published rates and pity' },
];

export class LobbyScene extends NeonScene {
  private left!: HTMLElement;
  private middle!: HTMLElement;
  private right!: HTMLElement;
  private refreshTimer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    super('lobby');
  }

  protected async build(): Promise<void> {
    this.left = h('section', { class: 'col narrow' });
    this.middle = h('section', { class: 'col grow' });
    this.right = h('section', { class: 'col narrow' });
    fill(this.screen, this.left, this.middle, this.right);
    this.onCleanup(
      onHubPush((type) => {
        if (['event_progress', 'reward_granted', 'purchase_update', 'stats_update', 'notification'].includes(type)) this.scheduleRefresh();
      }),
    );
    this.onCleanup(() => {
      if (this.refreshTimer) clearTimeout(this.refreshTimer);
    });
    await this.reload();
  }

  private scheduleRefresh(): void {
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = setTimeout(() => void this.reload(), 150);
  }

  private async reload(): Promise<void> {
    try {
      const d = await refreshDashboard();
      if (this.active) this.render(d);
    } catch (err) {
      if (this.active)
        fill(
          this.middle,
          h(
            'div',
            { class: 'panel' },
            h('p', { role: 'alert' }, `The lobby could not load: ${describeError(err)}`),
            h('button', { onclick: () => void this.reload() }, 'Retry'),
          ),
        );
    }
  }

  private render(d: Dashboard): void {
    const changed = () => void this.reload();
    setInfo('claimableMissions', d.missions.filter((m) => m.status === 'claimable').length);
    fill(
      this.left,
      h(
        'div',
        { class: 'panel' },
        h('h2', {}, `Welcome, ${d.profile.username}`),
        h('p', {}, `Level ${d.profile.level} · ${fmt(d.profile.xp)} XP`),
        h(
          'div',
          { class: 'bar' },
          h('i', {
            style: { width: `${Math.round((d.profile.level_progress.xp_in_level / d.profile.level_progress.xp_per_level) * 100)}%` },
          }),
        ),
        h(
          'p',
          { class: 'small muted' },
          `${d.profile.level_progress.xp_per_level - d.profile.level_progress.xp_in_level} XP to level ${d.profile.level + 1}`,
        ),
        h('p', { testid: 'lobby-gold' }, 'GOLD ', h('b', {}, fmt(d.balances.GOLD)), ' · GEM ', h('b', {}, fmt(d.balances.GEM))),
      ),
      this.streakPanel(d),
      h(
        'div',
        { class: 'panel', testid: 'pending-rewards' },
        h('h2', {}, 'Pending rewards'),
        h(
          'p',
          {},
          d.pending_rewards ? `${d.pending_rewards} reward(s) ready to claim below.` : 'Nothing waiting. Play to progress your missions.',
        ),
      ),
    );
    fill(
      this.middle,
      h(
        'div',
        { class: 'cards four' },
        ...GAMES.map((g) =>
          h(
            'button',
            { class: 'card play', testid: `play-${g.key}`, onclick: () => navigate(g.key) },
            h('b', {}, g.name),
            h('span', { class: 'small muted' }, g.blurb),
          ),
        ),
      ),
      h('div', { class: 'panel grow', testid: 'missions' }, h('h2', {}, 'Missions'), ...d.missions.map((m) => missionRow(m, changed))),
      h('div', { class: 'panel', testid: 'events' }, h('h2', {}, 'Events'), ...d.events.map((e) => eventRow(e, changed))),
    );
    fill(
      this.right,
      h(
        'div',
        { class: 'panel', testid: 'shop-highlights' },
        h('h2', {}, 'Shop highlights'),
        ...d.shop_highlights.map((p) =>
          h(
            'div',
            { class: 'item' },
            h(
              'span',
              {},
              p.name,
              h('br'),
              h('span', { class: 'small muted' }, p.discount_pct ? `-${p.discount_pct}% · ` : '', `${fmt(p.final_price)} ${p.currency}`),
            ),
          ),
        ),
        h('button', { testid: 'open-shop', onclick: () => navigate('shop') }, 'Open the shop'),
      ),
      h(
        'div',
        { class: 'panel grow', testid: 'recent-sessions' },
        h('h2', {}, 'Recent sessions'),
        d.recent_sessions.length
          ? h(
              'table',
              {},
              h(
                'tbody',
                {},
                ...d.recent_sessions.map((s) =>
                  h(
                    'tr',
                    {},
                    h('td', {}, s.game),
                    h('td', { class: 'num' }, `${s.rounds} rd`),
                    h('td', { class: `num ${s.won >= s.wagered ? 'win' : 'loss'}` }, fmt(s.won - s.wagered)),
                  ),
                ),
              ),
            )
          : h('p', { class: 'muted' }, 'No games played yet.'),
      ),
    );
  }

  private streakPanel(d: Dashboard): HTMLElement {
    const s = d.streak;
    const button = h(
      'button',
      {
        class: s.claimable ? 'primary' : '',
        testid: 'claim-streak',
        disabled: !s.claimable,
        onclick: (e: Event) =>
          void busy(e.currentTarget as HTMLButtonElement, async () => {
            try {
              const r = await api<{ new_balances: { GOLD: number; GEM: number }; reward_items: Record<string, number>; applied: boolean }>(
                'POST',
                '/streak/claim',
                { idempotent: true, idempotencyKey: newIdempotencyKey() },
              );
              setBalances(r.new_balances);
              toast(`Streak reward: ${describeReward(r.reward_items)}`, 'reward');
            } catch (err) {
              toast(describeError(err), 'error');
            }
            await this.reload();
          }),
      },
      s.claimable ? `Claim ${describeReward(s.reward)}` : s.lastClaimedDay === s.today ? 'Claimed today' : 'Play a game today',
    );
    return h(
      'div',
      { class: 'panel', testid: 'streak' },
      h('h2', {}, 'Daily streak'),
      h('p', {}, h('b', { class: 'streak-count' }, String(s.current)), ` day(s) · best ${s.best}`),
      h('p', { class: 'small muted' }, `${s.graceTokens} grace token(s) left this week`),
      button,
    );
  }
}
