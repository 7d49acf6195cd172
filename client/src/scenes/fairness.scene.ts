// Provable fairness: the active server seed's hash, the client seed (change it), rotation (reveals the old seed),
// and verification of any past round in the browser with the same pure function the server uses (domain/fairness).
import { verifyRound, type PublishedRound, type Verification } from '../../../domain/fairness/verify.ts';
import { api, describeError } from '../net/api.ts';
import type { LedgerEntry, Seeds } from '../net/types.ts';
import { toast } from '../state/store.ts';
import { busy, fill, fmt, h } from '../ui/dom.ts';
import { setInfo } from '../testing/hooks.ts';
import { NeonScene } from './base.ts';

interface RoundRecord extends PublishedRound {
  round_id: string;
  bet: number;
  created_at: string;
  verification: Verification;
}

export class FairnessScene extends NeonScene {
  private seeds!: HTMLElement;
  private rounds!: HTMLElement;
  private result!: HTMLElement;
  private roundInput!: HTMLInputElement;

  constructor() {
    super('fairness');
  }

  protected async build(): Promise<void> {
    this.seeds = h('div', { class: 'panel', testid: 'seeds' });
    this.rounds = h('div', { class: 'panel grow', testid: 'my-rounds' });
    this.roundInput = h('input', { id: 'round-id', testid: 'verify-round-id', placeholder: 'round id (uuid)', class: 'grow' });
    this.result = h('div', { testid: 'verify-result', 'aria-live': 'polite' });
    const form = h(
      'form',
      { class: 'row' },
      this.roundInput,
      h('button', { type: 'submit', class: 'primary', testid: 'verify-submit' }, 'Verify'),
    );
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      void this.verify(this.roundInput.value.trim());
    });
    fill(
      this.screen,
      h(
        'section',
        { class: 'col wide' },
        this.seeds,
        h(
          'div',
          { class: 'panel small' },
          h('h2', {}, 'How it works'),
          h(
            'p',
            {},
            'Every draw is HMAC-SHA256(server seed, "client seed:nonce:cursor") turned into floats; the server seed’s SHA-256 is shown before you play. Rotating reveals the old seed, and every round it produced can be recomputed here, in your browser, with the same code the server uses.',
          ),
          h(
            'p',
            { class: 'muted' },
            'Crash rounds use a published SHA-256 hash chain instead: each round’s hash hashes to the previous one.',
          ),
        ),
      ),
      h(
        'section',
        { class: 'col grow' },
        h('div', { class: 'panel' }, h('h2', {}, 'Verify a round'), h('label', { for: 'round-id' }, 'Round id'), form, this.result),
        this.rounds,
      ),
    );
    await Promise.all([this.loadSeeds(), this.loadRounds()]);
  }

  private async loadSeeds(revealed?: { server_seed: string; server_seed_hash: string }): Promise<void> {
    try {
      const s = await api<Seeds>('GET', '/fairness/seeds');
      if (!this.active) return;
      const clientSeed = h('input', { id: 'client-seed', testid: 'client-seed', value: s.client_seed, maxLength: 64 });
      const setSeed = h(
        'button',
        {
          testid: 'client-seed-save',
          onclick: (e: Event) =>
            void busy(e.currentTarget as HTMLButtonElement, async () => {
              try {
                await api('POST', '/fairness/client-seed', { body: { client_seed: clientSeed.value.trim() }, idempotent: true });
                toast('Client seed saved: it applies from the next round', 'success');
                await this.loadSeeds();
              } catch (err) {
                toast(describeError(err), 'error');
              }
            }),
        },
        'Save',
      );
      const rotate = h(
        'button',
        {
          class: 'primary',
          testid: 'rotate-seed',
          onclick: (e: Event) =>
            void busy(e.currentTarget as HTMLButtonElement, async () => {
              try {
                const r = await api<{ previous: { server_seed: string; server_seed_hash: string } }>('POST', '/fairness/rotate', {
                  body: {},
                });
                toast('Seed rotated: the previous server seed is revealed', 'success');
                await this.loadSeeds(r.previous);
                await this.loadRounds();
              } catch (err) {
                toast(describeError(err), 'error');
              }
            }),
        },
        'Rotate seed',
      );
      setInfo('serverSeedHash', s.server_seed_hash);
      fill(
        this.seeds,
        h('h2', {}, 'Your seeds'),
        h('p', { class: 'small muted' }, 'Active server seed (SHA-256)'),
        h('p', { class: 'mono', testid: 'server-seed-hash' }, s.server_seed_hash),
        h('p', { class: 'small muted' }, `Next nonce: ${fmt(s.next_nonce)}`),
        h('label', { for: 'client-seed' }, 'Client seed', h('div', { class: 'row' }, clientSeed, setSeed)),
        h(
          'div',
          { class: 'row spaced' },
          rotate,
          h('span', { class: 'small muted' }, 'reveals the current server seed and starts a new one'),
        ),
        revealed
          ? h(
              'div',
              { testid: 'revealed-seed' },
              h('h3', {}, 'Revealed seed'),
              h('p', { class: 'mono' }, revealed.server_seed),
              h('p', { class: 'small muted mono' }, `hash ${revealed.server_seed_hash}`),
            )
          : null,
      );
    } catch (err) {
      fill(this.seeds, h('p', { role: 'alert' }, describeError(err)));
    }
  }

  /** Recent rounds, from the player's own ledger (bets and wins reference their round). */
  private async loadRounds(): Promise<void> {
    try {
      const page = await api<{ entries: LedgerEntry[] }>('GET', '/wallet/ledger?limit=50');
      if (!this.active) return;
      const seen = new Map<string, LedgerEntry>();
      for (const e of page.entries) if (e.ref_type === 'round' && e.ref_id && !seen.has(e.ref_id)) seen.set(e.ref_id, e);
      const ids = [...seen.keys()].slice(0, 15);
      setInfo('roundsListed', ids.length);
      fill(
        this.rounds,
        h('h2', {}, 'Your recent rounds'),
        ids.length
          ? h(
              'table',
              {},
              h(
                'tbody',
                {},
                ...ids.map((id) => {
                  const e = seen.get(id)!;
                  return h(
                    'tr',
                    {},
                    h('td', { class: 'mono' }, id.slice(0, 8)),
                    h('td', {}, new Date(e.created_at).toLocaleTimeString('en-GB')),
                    h('td', {}, e.reason),
                    h('td', { class: `num ${e.delta > 0 ? 'win' : 'loss'}` }, fmt(e.delta)),
                    h(
                      'td',
                      {},
                      h(
                        'button',
                        {
                          testid: `verify-${id}`,
                          onclick: () => {
                            this.roundInput.value = id;
                            void this.verify(id);
                          },
                        },
                        'Verify',
                      ),
                    ),
                  );
                }),
              ),
            )
          : h('p', { class: 'muted' }, 'No rounds yet: play a game, then verify it here.'),
      );
    } catch (err) {
      fill(this.rounds, h('p', { role: 'alert' }, describeError(err)));
    }
  }

  private async verify(id: string): Promise<void> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) {
      fill(this.result, h('p', { class: 'loss', role: 'alert' }, 'A round id is a UUID like 3f2a…-…; pick one from the list.'));
      return;
    }
    fill(this.result, h('p', { class: 'muted' }, 'Fetching the round…'));
    try {
      const r = await api<RoundRecord>('GET', `/fairness/rounds/${id}`, { anonymous: true });
      const mine = verifyRound(r);
      const verdict = !mine.verifiable ? 'not yet verifiable' : mine.matches ? 'verified' : 'MISMATCH';
      setInfo('verdict', verdict);
      fill(
        this.result,
        h(
          'p',
          {},
          h('b', { testid: 'verdict', class: mine.verifiable ? (mine.matches ? 'win' : 'loss') : 'muted' }, `Browser: ${verdict}`),
          ' · ',
          h(
            'span',
            { class: 'muted' },
            `server says: ${r.verification.verifiable ? (r.verification.matches ? 'verified' : 'mismatch') : 'not yet verifiable'}`,
          ),
        ),
        h('p', { class: 'small' }, mine.detail),
        h(
          'table',
          { class: 'small' },
          h(
            'tbody',
            {},
            h('tr', {}, h('th', {}, 'Game'), h('td', {}, `${r.game} (${r.algorithm_version ?? 'n/a'})`)),
            h('tr', {}, h('th', {}, 'Bet / payout'), h('td', {}, `${fmt(r.bet)} / ${fmt(r.payout)}`)),
            r.seed
              ? h('tr', {}, h('th', {}, 'Client seed · nonce'), h('td', { class: 'mono' }, `${r.seed.client_seed} · ${r.seed.nonce}`))
              : null,
            r.seed
              ? h('tr', {}, h('th', {}, 'Server seed'), h('td', { class: 'mono' }, r.seed.server_seed ?? 'hidden until you rotate'))
              : null,
            r.crash
              ? h('tr', {}, h('th', {}, 'Round hash'), h('td', { class: 'mono' }, r.crash.round_hash ?? 'published when the round ends'))
              : null,
          ),
        ),
        !mine.verifiable && r.seed
          ? h('p', { class: 'small muted' }, 'Rotate your seed (left) to reveal the server seed, then verify again.')
          : null,
      );
    } catch (err) {
      setInfo('verdict', 'error');
      fill(this.result, h('p', { class: 'loss', role: 'alert' }, describeError(err)));
    }
  }
}
