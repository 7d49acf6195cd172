// First scene: makes the generated textures every other scene uses, then hands over to the loader.
import Phaser from 'phaser';
import { sceneEntered } from '../testing/hooks.ts';

export class BootScene extends Phaser.Scene {
  constructor() {
    super('boot');
  }

  create(): void {
    sceneEntered('boot');
    const g = this.make.graphics({}, false);
    g.fillStyle(0xffffff, 1).fillCircle(8, 8, 8);
    g.generateTexture('dot', 16, 16);
    g.clear();
    for (let r = 32; r > 0; r -= 2) {
      g.fillStyle(0xffffff, 0.05);
      g.fillCircle(32, 32, r);
    }
    g.generateTexture('glow', 64, 64);
    g.clear();
    g.fillStyle(0xffffff, 1).fillRoundedRect(0, 0, 160, 220, 16);
    g.generateTexture('card', 160, 220);
    g.destroy();
    this.scene.start('preload');
  }
}
