// The gacha's generated textures, made once per game: the card back's pattern, the light rays behind a legendary
// and one emblem per rarity (a disc for common, stars with more points for rarer cards).
import Phaser from 'phaser';
import { RARITIES, type Rarity } from '../../../../domain/games/gacha/banners.ts';
import { COLORS } from '../../config.ts';
import { STYLE } from './gacha.format.ts';

export const CARD_W = 160,
  CARD_H = 220;

/** Generates gacha-back, gacha-rays and gacha-emblem-<rarity> unless they exist. */
export function makeGachaTextures(scene: Phaser.Scene): void {
  if (scene.textures.exists('gacha-back')) return;
  const g = scene.make.graphics({}, false);
  g.lineStyle(1, 0x7b5cff, 0.35);
  for (let d = -CARD_H; d < CARD_W + CARD_H; d += 18) {
    g.lineBetween(d, 0, d + CARD_H, CARD_H);
    g.lineBetween(d + CARD_H, 0, d, CARD_H);
  }
  g.lineStyle(3, COLORS.pink, 0.9).strokeCircle(CARD_W / 2, CARD_H / 2, 50);
  g.lineStyle(1, COLORS.cyan, 0.7).strokeCircle(CARD_W / 2, CARD_H / 2, 58);
  g.fillStyle(0x1b0d47, 1).fillCircle(CARD_W / 2, CARD_H / 2, 48);
  g.generateTexture('gacha-back', CARD_W, CARD_H);
  g.clear();
  for (let i = 0; i < 16; i++) {
    const a = (i / 16) * Math.PI * 2,
      w = Math.PI / 40;
    g.fillStyle(0xffffff, 0.5).fillTriangle(
      200,
      200,
      200 + Math.cos(a - w) * 200,
      200 + Math.sin(a - w) * 200,
      200 + Math.cos(a + w) * 200,
      200 + Math.sin(a + w) * 200,
    );
  }
  g.generateTexture('gacha-rays', 400, 400);
  const emblems: Record<Rarity, number> = { common: 0, rare: 4, epic: 5, legendary: 8 };
  for (const r of RARITIES) {
    g.clear();
    const c = 40,
      pts = emblems[r],
      st = STYLE[r];
    if (pts === 0) {
      g.fillStyle(st.color, 1).fillCircle(c, c, 22);
      g.lineStyle(3, 0xffffff, 0.6).strokeCircle(c, c, 28);
    } else {
      const outer = r === 'legendary' ? 38 : 34,
        inner = pts === 4 ? 14 : r === 'legendary' ? 17 : 15;
      const points: Phaser.Math.Vector2[] = [];
      for (let i = 0; i < pts * 2; i++) {
        const a = -Math.PI / 2 + (i * Math.PI) / pts,
          rad = i % 2 ? inner : outer;
        points.push(new Phaser.Math.Vector2(c + Math.cos(a) * rad, c + Math.sin(a) * rad));
      }
      g.fillStyle(st.color, 1).fillPoints(points, true);
      g.lineStyle(2, 0xffffff, 0.75).strokePoints(points, true);
      g.fillStyle(0xffffff, 0.85).fillCircle(c, c, r === 'legendary' ? 7 : 5);
    }
    g.generateTexture(`gacha-emblem-${r}`, 80, 80);
  }
  g.destroy();
}
