// A living neon backdrop behind every screen: a perspective grid scrolling toward the viewer and drifting sparks.
import Phaser from 'phaser';
import { COLORS, HEIGHT, WIDTH } from '../config.ts';

export class BackdropScene extends Phaser.Scene {
  private grid!: Phaser.GameObjects.Graphics;
  private t = 0;

  constructor() {
    super('backdrop');
  }

  create(): void {
    this.grid = this.add.graphics();
    this.add.particles(0, 0, 'dot', {
      x: { min: 0, max: WIDTH },
      y: HEIGHT + 10,
      lifespan: 9000,
      speedY: { min: -60, max: -20 },
      scale: { start: 0.35, end: 0 },
      alpha: { start: 0.6, end: 0 },
      tint: [COLORS.pink, COLORS.cyan, 0x7b5cff],
      frequency: 220,
      blendMode: 'ADD',
    });
  }

  override update(_time: number, delta: number): void {
    this.t = (this.t + delta / 1000) % 1;
    const g = this.grid.clear();
    const horizon = HEIGHT * 0.55;
    g.fillGradientStyle(0x07051a, 0x07051a, 0x1a0a3d, 0x1a0a3d, 1).fillRect(0, horizon, WIDTH, HEIGHT - horizon);
    g.lineStyle(1, COLORS.pink, 0.35);
    for (let i = -12; i <= 12; i++) g.lineBetween(WIDTH / 2 + i * 18, horizon, WIDTH / 2 + i * 160, HEIGHT);
    for (let k = 0; k < 10; k++) {
      const p = ((k + this.t) / 10) ** 2;
      g.lineStyle(1, COLORS.cyan, 0.12 + 0.3 * p);
      g.lineBetween(0, horizon + p * (HEIGHT - horizon), WIDTH, horizon + p * (HEIGHT - horizon));
    }
  }
}
