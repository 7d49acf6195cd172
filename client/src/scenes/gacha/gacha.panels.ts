// The gacha's side-panel contents: the disclosed rates with duplicate conversions, the pity counter and bar, the
// last pull's cards and the legendaries pulled in this room.
import { RARITIES, type DuplicateConversion } from '../../../../domain/games/gacha/banners.ts';
import { buildRarityTable, effectiveTopRate } from '../../../../domain/games/gacha/odds.ts';
import { fill, fmt, h } from '../../ui/dom.ts';
import { conversionText, itemName, pct, shards, STYLE } from './gacha.format.ts';
import { toDomain, type BannerInfo, type LegendaryEntry, type PullResult } from './gacha.net.ts';

/** The rates table and the average legendary rate with pity. */
export function renderRates(el: HTMLElement, b: BannerInfo): void {
  const eff = effectiveTopRate(toDomain(b), 1);
  fill(
    el,
    h(
      'table',
      { class: 'rates' },
      h('thead', {}, h('tr', {}, h('th', {}, 'Rarity'), h('th', { class: 'num' }, 'Rate'), h('th', { class: 'num' }, 'Duplicate gives'))),
      h(
        'tbody',
        {},
        ...RARITIES.map((r) =>
          h(
            'tr',
            { testid: `gacha-rate-${r}` },
            h(
              'td',
              { class: `r-${r}`, title: `${b.items[r].length} items: ${b.items[r].map((i) => i.name).join(', ')}` },
              h('span', { class: 'swatch' }),
              STYLE[r].label,
            ),
            h('td', { class: 'num' }, pct(b.rates_bps[r] / 10000)),
            h('td', { class: 'num' }, ...conversionLines(b.duplicate[r])),
          ),
        ),
      ),
    ),
    h('p', { class: 'small muted rates-note' }, `With pity, one pull in ${Math.round(1 / eff)} is legendary on average (${pct(eff)}).`),
  );
}

/** The pity counter (null while unknown), its bar with the soft-pity mark, and the next pull's legendary chance. */
export function renderPity(el: HTMLElement, b: BannerInfo, p: number | null): void {
  const { softStart, hard } = b.pity_rules;
  const next = p === null ? null : buildRarityTable(toDomain(b), p);
  fill(
    el,
    h(
      'div',
      { class: 'row spread' },
      h(
        'span',
        {},
        h('span', { class: 'pity-num', testid: 'gacha-pity' }, p === null ? '…' : String(p)),
        h('span', { class: 'muted' }, ` / ${hard} pulls`),
      ),
      h('span', { class: 'small muted' }, p === null ? '' : `${hard - p} to guarantee`),
    ),
    h(
      'div',
      {
        class: 'pity',
        role: 'progressbar',
        'aria-label': 'Pulls since the last legendary',
        'aria-valuemin': '0',
        'aria-valuemax': String(hard),
        'aria-valuenow': String(p ?? 0),
      },
      // the bar's fill and the soft-pity mark are data (a share of the hard pity), so they stay on the elements
      h('div', { class: 'bar' }, h('i', { style: { width: `${Math.round(((p ?? 0) / hard) * 100)}%` } })),
      h('span', { class: 'mark', title: `soft pity from pull ${softStart}`, style: { left: `${((softStart - 1) / hard) * 100}%` } }),
    ),
    h(
      'p',
      { class: 'small muted pity-note' },
      `Pulls since your last legendary. Soft pity raises the chance from pull ${softStart}; pull ${hard} is always legendary.`,
    ),
    next
      ? h(
          'p',
          { class: 'small' },
          'Next pull legendary chance: ',
          h('b', { class: 'r-legendary', testid: 'gacha-next-chance' }, pct(next.weights.legendary / next.total)),
        )
      : null,
  );
}

/** The last pull: what it cost, the duplicates' conversion and one row per card. */
export function renderPull(el: HTMLElement, b: BannerInfo, r: PullResult | null): void {
  if (!r) {
    fill(
      el,
      h('p', { class: 'muted small' }, 'Pull to reveal cards: new items go to your inventory, duplicates turn into shards and GOLD.'),
    );
    return;
  }
  const conv =
    r.converted.shards || r.converted.gold
      ? h('div', { class: 'summary', testid: 'gacha-converted' }, 'Duplicates converted: ', h('b', {}, conversionText(r.converted)))
      : null;
  fill(
    el,
    h(
      'p',
      { class: 'small muted list-head' },
      `${r.pulls.length} pull${r.pulls.length > 1 ? 's' : ''} · paid ${fmt(r.cost)} ${r.currency} · nonce ${r.fairness?.nonce ?? '–'}`,
    ),
    conv,
    ...r.pulls.map((p, i) =>
      h(
        'div',
        { class: 'pull-row', testid: `gacha-result-${i}`, 'data-rarity': p.rarity },
        h('span', { class: `r-${p.rarity}` }, h('span', { class: 'swatch' }), itemName(b, p.itemId)),
        p.duplicate
          ? h('span', { class: 'tag dup', title: 'duplicate' }, p.conversion ? conversionText(p.conversion) : 'duplicate')
          : h('span', { class: 'tag new' }, p.guaranteed ? 'NEW · guaranteed' : 'NEW'),
      ),
    ),
  );
}

/** The players on this banner and the last eight legendaries pulled here. */
export function renderLegendaries(el: HTMLElement, b: BannerInfo, legendaries: LegendaryEntry[], players: number): void {
  const list = legendaries.slice(-8).reverse();
  fill(
    el,
    h('p', { class: 'small muted list-head' }, `${players || 1} player${players > 1 ? 's' : ''} on this banner`),
    ...(list.length
      ? list.map((l) =>
          h('div', { class: 'pull-row' }, h('span', {}, l.username), h('span', { class: 'r-legendary' }, `★ ${itemName(b, l.itemId)}`)),
        )
      : [h('p', { class: 'muted small' }, 'No legendary yet in this room. Be the first!')]),
  );
}

function conversionLines(c: DuplicateConversion): HTMLElement[] {
  const lines = [c.shards ? `+${shards(c.shards)}` : '', c.gold ? `+${fmt(c.gold)} GOLD` : ''].filter(Boolean);
  return (lines.length ? lines : ['—']).map((l) => h('div', {}, l));
}
