// One gacha card on the stage: a container holding a face-down back and a front face filled in on reveal.
import Phaser from 'phaser';
import { COLORS } from '../../config.ts';
import { fmt } from '../../ui/dom.ts';
import { shards, STYLE } from './gacha.format.ts';
import type { PullView } from './gacha.net.ts';
import { CARD_H, CARD_W } from './gacha.textures.ts';

export interface Card {
  box: Phaser.GameObjects.Container;
  back: Phaser.GameObjects.GameObject[];
  front: Phaser.GameObjects.GameObject[];
  scale: number;
}

/** A face-down card at (x, y). */
export function makeCard(scene: Phaser.Scene, x: number, y: number, scale: number): Card {
  const add = scene.add;
  const border = add
    .image(0, 0, 'card')
    .setDisplaySize(CARD_W + 8, CARD_H + 8)
    .setTint(COLORS.pink);
  const body = add.image(0, 0, 'card').setTint(0x1b0d47);
  const pattern = add.image(0, 0, 'gacha-back');
  const mark = add
    .text(0, 0, 'N', { fontFamily: 'DejaVu Sans', fontSize: '64px', fontStyle: 'bold', color: '#ffd6fb' })
    .setOrigin(0.5)
    .setShadow(0, 0, '#ff3df2', 14, true, true);
  const label = add.text(0, 78, 'NEON CLUB', { fontFamily: 'DejaVu Sans', fontSize: '12px', color: '#a99fd6' }).setOrigin(0.5);
  const box = add.container(x, y, [border, body, pattern, mark, label]).setScale(scale).setSize(CARD_W, CARD_H);
  return { box, back: [border, body, pattern, mark, label], front: [], scale };
}

/** Builds the front face of a card for a pull named `name` (hidden until showFront). */
export function setFace(scene: Phaser.Scene, card: Card, pull: PullView, name: string, showcase = false): void {
  const add = scene.add;
  for (const o of card.front) o.destroy();
  const st = STYLE[pull.rarity];
  const border = add
    .image(0, 0, 'card')
    .setDisplaySize(CARD_W + 8, CARD_H + 8)
    .setTint(st.color);
  const body = add.image(0, 0, 'card').setTint(st.body);
  const shine = add.image(0, -30, 'glow').setTint(st.color).setScale(2.2).setAlpha(0.55).setBlendMode(Phaser.BlendModes.ADD);
  const emblem = add.image(0, -32, `gacha-emblem-${pull.rarity}`);
  const tag = showcase ? '★ FEATURED' : pull.duplicate ? 'DUPLICATE' : 'NEW';
  const tagText = add
    .text(0, -92, tag, {
      fontFamily: 'DejaVu Sans',
      fontSize: '13px',
      fontStyle: 'bold',
      color: pull.duplicate ? '#a99fd6' : showcase ? '#ffc83d' : '#53f29a',
    })
    .setOrigin(0.5);
  const nameText = add
    .text(0, 30, name, {
      fontFamily: 'DejaVu Sans',
      fontSize: '19px',
      fontStyle: 'bold',
      color: '#ffffff',
      align: 'center',
      wordWrap: { width: CARD_W - 20 },
    })
    .setOrigin(0.5);
  const rarity = add
    .text(0, 66, st.label.toUpperCase(), { fontFamily: 'DejaVu Sans', fontSize: '14px', fontStyle: 'bold', color: st.css })
    .setOrigin(0.5);
  const conv = pull.conversion
    ? [pull.conversion.shards ? `+${shards(pull.conversion.shards)}` : '', pull.conversion.gold ? `+${fmt(pull.conversion.gold)} GOLD` : '']
        .filter(Boolean)
        .join(' · ')
    : '';
  const convText = add.text(0, 90, conv, { fontFamily: 'DejaVu Sans', fontSize: '12px', color: '#ffc83d' }).setOrigin(0.5);
  card.front = [border, body, shine, emblem, tagText, nameText, rarity, convText];
  for (const o of card.front) (o as Phaser.GameObjects.Image).setVisible(false);
  card.box.add(card.front);
}

/** Turns a card face up. */
export function showFront(card: Card): void {
  for (const o of card.back) (o as Phaser.GameObjects.Image).setVisible(false);
  for (const o of card.front) (o as Phaser.GameObjects.Image).setVisible(true);
}

/** Where n cards lie on the stage around (cx, y): one large card, or two rows of five. */
export function cardSlots(n: number, cx: number, y: number): Array<{ x: number; y: number; scale: number }> {
  if (n === 1) return [{ x: cx, y, scale: 1.15 }];
  const scale = 0.7,
    w = CARD_W * scale,
    gap = 16;
  const x0 = cx - (5 * w + 4 * gap) / 2 + w / 2;
  return Array.from({ length: n }, (_, i) => ({
    x: x0 + (i % 5) * (w + gap),
    y: y - 84 + Math.floor(i / 5) * (CARD_H * scale + 14),
    scale,
  }));
}
