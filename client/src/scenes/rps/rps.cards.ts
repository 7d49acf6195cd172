// The three pick cards of the duel (rock, paper, scissors): drawn in the canvas, lit under the pointer while a
// pick can be made, clicked to pick; their rects are published to the test hooks.
import Phaser from 'phaser';
import { PICKS, type RpsPick } from '../../../../domain/games/rps/rules.ts';
import { COLORS } from '../../config.ts';
import { drawHand, HAND_COLORS } from '../../ui/rps-hands.ts';
import { registerButton } from '../../testing/hooks.ts';
import type { NeonScene } from '../base.ts';
import { NAMES, type Mode } from './rps.format.ts';

const CARD = { w: 190, h: 236, y: 318, xs: [410, 640, 870] };

interface PickCard {
  pick: RpsPick;
  bg: Phaser.GameObjects.Graphics;
  hand: Phaser.GameObjects.Container;
  label: Phaser.GameObjects.Text;
  key: Phaser.GameObjects.Text;
  zone: Phaser.GameObjects.Zone;
  hover: boolean;
}

/** What the cards ask the scene. */
export interface PickHost {
  /** a pick can be made now (the cards light up under the pointer) */
  canPick(): boolean;
  pick(p: RpsPick): void;
}

export class PickCards {
  private cards: PickCard[];

  constructor(
    private readonly scene: NeonScene,
    private readonly host: PickHost,
  ) {
    this.cards = PICKS.map((pick, i) => this.build(pick, i));
  }

  /** Shows the cards while choosing (dimmed before a duel), clickable only while picking. */
  setMode(mode: Mode, myPick: RpsPick | null): void {
    const choosing = mode === 'idle' || (mode === 'picking' && !myPick);
    this.cards.forEach((c) => {
      c.bg.setVisible(choosing);
      c.hand.setVisible(choosing);
      c.label.setVisible(choosing);
      c.key.setVisible(choosing && mode === 'picking');
      c.hand.setAlpha(mode === 'idle' ? 0.6 : 1);
      c.label.setAlpha(mode === 'idle' ? 0.6 : 1);
      if (choosing) c.zone.setInteractive({ useHandCursor: mode === 'picking' });
      else c.zone.disableInteractive();
      this.draw(c);
    });
  }

  private build(pick: RpsPick, i: number): PickCard {
    const add = this.scene.add;
    const x = CARD.xs[i];
    const bg = add.graphics();
    const g = add.graphics();
    const hand = add.container(x, CARD.y - 2, [g]).setScale(0.78);
    drawHand(g, pick);
    const label = add
      .text(x, CARD.y + 78, NAMES[pick].toUpperCase(), { fontFamily: 'DejaVu Sans', fontSize: '22px', fontStyle: 'bold', color: '#efeaff' })
      .setOrigin(0.5);
    const key = add
      .text(x, CARD.y + 102, `press ${pick[0].toUpperCase()}`, { fontFamily: 'DejaVu Sans', fontSize: '13px', color: '#a99fd6' })
      .setOrigin(0.5);
    const zone = add.zone(x, CARD.y, CARD.w, CARD.h).setInteractive({ useHandCursor: true });
    const card: PickCard = { pick, bg, hand, label, key, zone, hover: false };
    zone.on(Phaser.Input.Events.POINTER_OVER, () => {
      card.hover = true;
      this.draw(card);
    });
    zone.on(Phaser.Input.Events.POINTER_OUT, () => {
      card.hover = false;
      this.draw(card);
    });
    zone.on(Phaser.Input.Events.POINTER_DOWN, () => this.host.pick(pick));
    registerButton(`pick-${pick}`, { x: x - CARD.w / 2, y: CARD.y - CARD.h / 2, width: CARD.w, height: CARD.h });
    this.scene.tweens.add({ targets: hand, y: hand.y - 8, duration: 1100 + i * 170, yoyo: true, repeat: -1, ease: 'Sine.easeInOut' });
    return card;
  }

  private draw(c: PickCard): void {
    const on = this.host.canPick();
    const color = HAND_COLORS[c.pick];
    const x = c.zone.x - CARD.w / 2,
      y = CARD.y - CARD.h / 2;
    c.bg.clear();
    if (on && c.hover) c.bg.fillStyle(color, 0.16).fillRoundedRect(x - 8, y - 8, CARD.w + 16, CARD.h + 16, 22);
    c.bg.fillStyle(COLORS.panel, 0.94).fillRoundedRect(x, y, CARD.w, CARD.h, 16);
    c.bg.lineStyle(on && c.hover ? 5 : 3, color, on ? 1 : 0.55).strokeRoundedRect(x, y, CARD.w, CARD.h, 16);
  }
}
