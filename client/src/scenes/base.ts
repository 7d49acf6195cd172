// Base of every screen: a Phaser scene plus its DOM overlay (top bar + a screen element), torn down on shutdown.
import Phaser from 'phaser';
import { COLORS, HEIGHT, WIDTH } from '../config.ts';
import { hud } from '../ui/hud.ts';
import { h } from '../ui/dom.ts';
import { registerButton, sceneEntered, sceneReady } from '../testing/hooks.ts';
import { patch } from '../state/store.ts';
import { logout, navigate } from '../app.ts';

/** An in-canvas button: its background, its label and a switch that greys it out and stops its clicks. */
export interface CanvasButton {
  bg: Phaser.GameObjects.Rectangle;
  text: Phaser.GameObjects.Text;
  setEnabled: (on: boolean) => void;
}

export abstract class NeonScene extends Phaser.Scene {
  protected ui!: HTMLElement;
  protected screen!: HTMLElement;
  private cleanups: Array<() => void> = [];
  private alive = false;

  constructor(
    readonly key: string,
    private readonly withHud = true,
  ) {
    super(key);
  }

  create(): void {
    this.alive = true;
    sceneEntered(this.key);
    patch('game', { scene: this.key });
    this.ui = document.getElementById('ui')!;
    this.ui.replaceChildren();
    if (this.withHud) {
      const bar = hud(this.key, navigate, () => void logout());
      this.ui.append(bar.el);
      this.onCleanup(bar.dispose);
    }
    this.screen = h('main', { class: 'screen', 'aria-label': this.key });
    this.ui.append(this.screen);
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.teardown());
    void Promise.resolve(this.build()).then(
      () => {
        if (this.alive) sceneReady(this.key);
      },
      (err) => {
        console.warn(`${this.key} failed to load`, err);
        if (this.alive) sceneReady(this.key);
      },
    );
  }

  /** Builds the scene (canvas + DOM); the scene counts as ready once it resolves. */
  protected abstract build(): Promise<void> | void;

  /** Called on shutdown, before the DOM is removed (leave rooms here). */
  protected dispose(): void | Promise<void> {}

  get active(): boolean {
    return this.alive;
  }

  protected onCleanup(fn: () => void): void {
    this.cleanups.push(fn);
  }

  /** Listens to key presses on the whole page while the scene runs. */
  protected onKey(handler: (e: KeyboardEvent) => void): void {
    window.addEventListener('keydown', handler);
    this.onCleanup(() => window.removeEventListener('keydown', handler));
  }

  private teardown(): void {
    this.alive = false;
    void this.dispose();
    this.cleanups.splice(0).forEach((fn) => {
      try {
        fn();
      } catch {
        /* already gone */
      }
    });
    if (this.screen?.isConnected) this.ui.replaceChildren();
  }

  /** A neon title drawn in the canvas. */
  title(text: string, y = 96): Phaser.GameObjects.Text {
    return this.add
      .text(WIDTH / 2, y, text, { fontFamily: 'DejaVu Sans', fontSize: '40px', fontStyle: 'bold', color: '#ffd6fb' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#ff3df2', 16, true, true);
  }

  /** An in-canvas button (game-feel controls); its rect is published to the test hooks. */
  canvasButton(name: string, x: number, y: number, w: number, hgt: number, label: string, onClick: () => void): CanvasButton {
    const bg = this.add.rectangle(x, y, w, hgt, COLORS.pink, 1).setStrokeStyle(3, 0xffd6fb).setInteractive({ useHandCursor: true });
    const text = this.add
      .text(x, y, label, { fontFamily: 'DejaVu Sans', fontSize: `${Math.round(hgt * 0.4)}px`, fontStyle: 'bold', color: '#ffffff' })
      .setOrigin(0.5);
    bg.on(Phaser.Input.Events.POINTER_OVER, () => bg.setFillStyle(0xff7af6));
    bg.on(Phaser.Input.Events.POINTER_OUT, () => bg.setFillStyle(COLORS.pink));
    bg.on(Phaser.Input.Events.POINTER_DOWN, () => onClick());
    registerButton(name, { x: x - w / 2, y: y - hgt / 2, width: w, height: hgt });
    return {
      bg,
      text,
      setEnabled: (on: boolean) => {
        bg.setAlpha(on ? 1 : 0.4);
        text.setAlpha(on ? 1 : 0.5);
        if (on) bg.setInteractive({ useHandCursor: true });
        else bg.disableInteractive();
      },
    };
  }

  get centerX() {
    return WIDTH / 2;
  }
  get centerY() {
    return HEIGHT / 2;
  }
}
