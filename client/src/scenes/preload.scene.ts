// The loading scene: a progress bar while the art (SVG symbols, coin, gem, logo) loads, then the first route.
import Phaser from 'phaser';
import { COLORS, HEIGHT, WIDTH } from '../config.ts';
import { route } from '../app.ts';
import { sceneEntered, setInfo } from '../testing/hooks.ts';

export const SLOT_SYMBOLS = ['TEN', 'JACK', 'QUEEN', 'KING', 'CHERRY', 'BELL', 'BAR', 'SEVEN', 'W', 'S'] as const;

export class PreloadScene extends Phaser.Scene {
  constructor() {
    super('preload');
  }

  preload(): void {
    sceneEntered('preload');
    const w = 520,
      x = (WIDTH - w) / 2,
      y = HEIGHT / 2;
    this.add
      .text(WIDTH / 2, y - 60, 'NEON CLUB', { fontFamily: 'DejaVu Sans', fontSize: '48px', fontStyle: 'bold', color: '#ffd6fb' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#ff3df2', 18, true, true);
    this.add.rectangle(WIDTH / 2, y, w + 8, 28, COLORS.panel).setStrokeStyle(2, COLORS.line);
    const bar = this.add.rectangle(x, y, 1, 20, COLORS.cyan).setOrigin(0, 0.5);
    const label = this.add
      .text(WIDTH / 2, y + 40, 'Loading 0 %', { fontFamily: 'DejaVu Sans', fontSize: '18px', color: '#a99fd6' })
      .setOrigin(0.5);
    this.load.on(Phaser.Loader.Events.PROGRESS, (p: number) => {
      bar.width = Math.max(1, w * p);
      label.setText(`Loading ${Math.round(p * 100)} %`);
      setInfo('loadProgress', Math.round(p * 100));
    });
    for (const s of SLOT_SYMBOLS) this.load.svg(`sym-${s}`, `/assets/sym-${s}.svg`, { width: 120, height: 100 });
    this.load.svg('coin', '/assets/coin.svg', { width: 64, height: 64 });
    this.load.svg('gem', '/assets/gem.svg', { width: 64, height: 64 });
    this.load.svg('logo', '/assets/logo.svg', { width: 480, height: 120 });
  }

  create(): void {
    this.scene.launch('backdrop');
    this.scene.stop();
    route();
  }
}
