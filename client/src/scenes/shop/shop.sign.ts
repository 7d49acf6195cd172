// The shop's canvas: the humming NEON SHOP sign with coins and gems floating beside it, and the burst of coins or
// gems out of it after a purchase.
import type Phaser from 'phaser';
import { COLORS } from '../../config.ts';
import type { NeonScene } from '../base.ts';
import type { Grant } from './shop.net.ts';

const Y = 96;

export class ShopSign {
  private sign: Phaser.GameObjects.Text;

  constructor(private readonly scene: NeonScene) {
    const cx = scene.centerX;
    const frame = scene.add.graphics();
    const drawFrame = (a: number) => {
      frame.clear();
      frame.lineStyle(3, COLORS.pink, 0.55 + 0.45 * a).strokeRoundedRect(cx - 190, Y - 30, 380, 60, 14);
      frame.lineStyle(1, COLORS.cyan, 0.25 + 0.35 * a).strokeRoundedRect(cx - 200, Y - 38, 400, 76, 18);
    };
    drawFrame(1);
    this.sign = scene.add
      .text(cx, Y, 'NEON SHOP', { fontFamily: 'DejaVu Sans', fontSize: '36px', fontStyle: 'bold', color: '#ffd6fb' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#ff3df2', 18, true, true);
    // the sign hums: a slow pulse with an occasional flicker
    scene.tweens.addCounter({
      from: 0.75,
      to: 1,
      duration: 1400,
      yoyo: true,
      repeat: -1,
      onUpdate: (tw) => {
        const v = tw.getValue() ?? 1;
        drawFrame(v);
        this.sign.setAlpha(0.85 + 0.15 * v);
      },
    });
    scene.time.addEvent({
      delay: 4200,
      loop: true,
      callback: () => scene.tweens.add({ targets: this.sign, alpha: 0.35, duration: 60, yoyo: true, repeat: 1 }),
    });
    const floaters: Array<[string, number, number]> = [
      ['coin', cx - 270, 0],
      ['gem', cx + 270, 600],
      ['coin', cx + 340, 1200],
      ['gem', cx - 340, 300],
    ];
    for (const [key, x, delay] of floaters) {
      const img = scene.add.image(x, Y, key).setScale(0.55);
      scene.tweens.add({
        targets: img,
        y: Y - 10,
        angle: { from: -8, to: 8 },
        duration: 1500,
        delay,
        yoyo: true,
        repeat: -1,
        ease: 'Sine.easeInOut',
      });
    }
  }

  /** A burst of coins or gems out of the sign after a purchase succeeded. */
  celebrate(granted?: Grant): void {
    const { scene } = this;
    const key = granted?.currencies?.GEM ? 'gem' : 'coin';
    const p = scene.add.particles(scene.centerX, Y, key, {
      speed: { min: 120, max: 320 },
      angle: { min: 200, max: 340 },
      gravityY: 520,
      lifespan: 1100,
      scale: { start: 0.45, end: 0.2 },
      alpha: { start: 1, end: 0 },
      rotate: { min: -180, max: 180 },
      emitting: false,
    });
    p.explode(24);
    scene.time.delayedCall(1300, () => p.destroy());
    scene.tweens.add({ targets: this.sign, scale: { from: 1.12, to: 1 }, duration: 380, ease: 'Back.easeOut' });
  }
}
