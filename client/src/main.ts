// Entry point: the Phaser game (WebGL, 1280×720 scaled to fit) with every scene, the DOM overlay and the toasts.
import Phaser from 'phaser';
import './ui/theme.css';
import './ui/components.css';
import { attachGame } from './app.ts';
import { HEIGHT, WIDTH } from './config.ts';
import { hooks } from './testing/hooks.ts';
import { watch } from './state/store.ts';
import { mountToasts } from './ui/hud.ts';
import { BackdropScene } from './scenes/backdrop.scene.ts';
import { BootScene } from './scenes/boot.scene.ts';
import { PreloadScene } from './scenes/preload.scene.ts';
import { AuthScene } from './scenes/auth.scene.ts';
import { LobbyScene } from './scenes/lobby.scene.ts';
import { SlotScene } from './scenes/slot/slot.scene.ts';
import { CrashScene } from './scenes/crash/crash.scene.ts';
import { RpsScene } from './scenes/rps/rps.scene.ts';
import { GachaScene } from './scenes/gacha/gacha.scene.ts';
import { ShopScene } from './scenes/shop/shop.scene.ts';
import { ProfileScene } from './scenes/profile.scene.ts';
import { FairnessScene } from './scenes/fairness.scene.ts';

const game = new Phaser.Game({
  type: Phaser.WEBGL,
  parent: 'game',
  width: WIDTH,
  height: HEIGHT,
  backgroundColor: '#07051a',
  banner: false,
  scale: { mode: Phaser.Scale.FIT, autoCenter: Phaser.Scale.CENTER_BOTH },
  scene: [
    BootScene,
    PreloadScene,
    BackdropScene,
    AuthScene,
    LobbyScene,
    SlotScene,
    CrashScene,
    RpsScene,
    GachaScene,
    ShopScene,
    ProfileScene,
    FairnessScene,
  ],
});

game.events.on(Phaser.Core.Events.POST_RENDER, () => {
  hooks.frame++;
});
game.events.once(Phaser.Core.Events.READY, () => {
  hooks.renderer = game.config.renderType === Phaser.WEBGL ? 'WEBGL' : game.config.renderType === Phaser.CANVAS ? 'CANVAS' : 'HEADLESS';
  hooks.width = WIDTH;
  hooks.height = HEIGHT;
  document.body.dataset.renderer = hooks.renderer;
});
attachGame(game);
mountToasts(document.getElementById('toasts')!);
watch(
  (s) => s.ui.hubConnected,
  (on) => {
    document.body.dataset.hub = String(on);
  },
);
