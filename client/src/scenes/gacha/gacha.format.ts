// How gacha facts read and look: rarity colours and labels, item names, shard and GOLD conversions, percentages.
import { BANNERS, RARITIES, type DuplicateConversion, type Rarity } from '../../../../domain/games/gacha/banners.ts';
import { COLORS } from '../../config.ts';
import { fmt } from '../../ui/dom.ts';
import type { BannerInfo } from './gacha.net.ts';

/** Each rarity's card colour (canvas and CSS), card body and label. */
export const STYLE: Record<Rarity, { color: number; css: string; body: number; label: string }> = {
  legendary: { color: COLORS.gold, css: '#ffc83d', body: 0x2e1f06, label: 'Legendary' },
  epic: { color: 0xc35cff, css: '#c35cff', body: 0x22093a, label: 'Epic' },
  rare: { color: 0x3ea8ff, css: '#3ea8ff', body: 0x081a3c, label: 'Rare' },
  common: { color: 0x9aa3c7, css: '#9aa3c7', body: 0x161433, label: 'Common' },
};

/** An item's name (looked up on the banner shown, then on every banner). */
export function itemName(banner: BannerInfo, id: string): string {
  for (const r of RARITIES) {
    const found = banner.items[r].find((i) => i.id === id);
    if (found) return found.name;
  }
  for (const b of BANNERS)
    for (const r of RARITIES) {
      const f = b.items[r].find((i) => i.id === id);
      if (f) return f.name;
    }
  return id;
}

export function conversionText(c: DuplicateConversion): string {
  const parts = [c.shards ? shards(c.shards) : '', c.gold ? `${fmt(c.gold)} GOLD` : ''].filter(Boolean);
  return parts.length ? `+${parts.join(' + ')}` : '—';
}

export function shards(n: number): string {
  return `${fmt(n)} shard${n === 1 ? '' : 's'}`;
}

export function pct(x: number): string {
  const v = x * 100;
  return `${v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2)}%`;
}
