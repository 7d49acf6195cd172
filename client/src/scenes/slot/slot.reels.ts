// The slot machine's canvas: the framed 5×3 reels, the paying lines, the win counter, the free-spin line and the
// in-canvas SPIN button. Reels blur while a spin is in flight and stop reel by reel on the committed grid.
import type Phaser from 'phaser';
import { SLOT_V1 } from '../../../../domain/games/slot/machine.ts';
import { COLORS } from '../../config.ts';
import { fmt } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import type { CanvasButton, NeonScene } from '../base.ts';
import { SLOT_SYMBOLS } from '../preload.scene.ts';
import type { SpinOutcomeView } from './slot.net.ts';

const CELL_W = 128,
  CELL_H = 106,
  COLS = 5,
  ROWS = 3;
const Y0 = 140;

export class SlotReels {
  readonly spinButton: CanvasButton;
  private cells: Phaser.GameObjects.Image[][] = [];
  private lines: Phaser.GameObjects.Graphics;
  private winText: Phaser.GameObjects.Text;
  private freeText: Phaser.GameObjects.Text;
  private x0: number;

  constructor(
    private readonly scene: NeonScene,
    onSpin: () => void,
  ) {
    const add = scene.add;
    const cx = scene.centerX;
    scene.title('NEON SLOTS', 92);
    this.x0 = cx - (COLS * CELL_W) / 2;
    add.rectangle(cx, Y0 + (ROWS * CELL_H) / 2, COLS * CELL_W + 24, ROWS * CELL_H + 24, COLORS.panel, 0.95).setStrokeStyle(4, COLORS.pink);
    for (let r = 0; r < ROWS; r++) {
      this.cells[r] = [];
      for (let c = 0; c < COLS; c++) {
        const sym = SLOT_V1.strips[c][r];
        this.cells[r][c] = add
          .image(this.x0 + c * CELL_W + CELL_W / 2, Y0 + r * CELL_H + CELL_H / 2, `sym-${sym}`)
          .setDisplaySize(CELL_W - 10, CELL_H - 8);
      }
    }
    this.lines = add.graphics();
    this.winText = add
      .text(cx, Y0 + ROWS * CELL_H + 34, '', { fontFamily: 'DejaVu Sans', fontSize: '30px', fontStyle: 'bold', color: '#ffc83d' })
      .setOrigin(0.5);
    this.freeText = add.text(cx, Y0 - 22, '', { fontFamily: 'DejaVu Sans', fontSize: '18px', color: '#3ef0ff' }).setOrigin(0.5);
    this.spinButton = scene.canvasButton('spin', cx, Y0 + ROWS * CELL_H + 96, 220, 64, 'SPIN', onSpin);
  }

  /** Clears the lines and texts of the previous spin. */
  clear(): void {
    this.lines.clear();
    this.winText.setText('');
    this.freeText.setText('');
  }

  setWinText(text: string): void {
    this.winText.setText(text);
  }

  setFreeText(text: string): void {
    this.freeText.setText(text);
  }

  /** Starts the reels blurring; the returned function stops them on a grid (or where they are) reel by reel. */
  start(): (grid: string[][] | null) => Promise<void> {
    const { time, tweens } = this.scene;
    const stopped = new Array(COLS).fill(false);
    const timer = time.addEvent({
      delay: 70,
      loop: true,
      callback: () => {
        for (let c = 0; c < COLS; c++) {
          if (stopped[c]) continue;
          for (let r = 0; r < ROWS; r++)
            this.cells[r][c]
              .setTexture(`sym-${SLOT_SYMBOLS[Math.floor(Math.random() * SLOT_SYMBOLS.length)]}`)
              .setDisplaySize(CELL_W - 10, CELL_H - 8);
        }
      },
    });
    const started = time.now;
    return (grid) =>
      new Promise<void>((resolve) => {
        const wait = Math.max(0, 350 - (time.now - started));
        for (let c = 0; c < COLS; c++) {
          time.delayedCall(wait + c * 140, () => {
            stopped[c] = true;
            for (let r = 0; r < ROWS; r++) {
              const cell = this.cells[r][c];
              if (grid) cell.setTexture(`sym-${grid[r][c]}`).setDisplaySize(CELL_W - 10, CELL_H - 8);
              tweens.add({ targets: cell, y: { from: cell.y - 14, to: cell.y }, duration: 160, ease: 'Back.easeOut' });
            }
            if (c === COLS - 1) {
              timer.remove();
              time.delayedCall(170, () => resolve());
            }
          });
        }
      });
  }

  /** Draws the paying lines and counts the payout up ("No win" for a paid spin without one). */
  async showWin(o: SpinOutcomeView, payout: number, bet: number): Promise<void> {
    const tweens = this.scene.tweens;
    this.lines.clear();
    const colors = [COLORS.cyan, COLORS.gold, COLORS.green, COLORS.pink];
    o.lineWins.forEach((w, i) => {
      const rows = SLOT_V1.paylines[w.line];
      this.lines.lineStyle(5, colors[i % colors.length], 0.9).beginPath();
      for (let c = 0; c < w.count; c++) {
        const x = this.x0 + c * CELL_W + CELL_W / 2,
          y = Y0 + rows[c] * CELL_H + CELL_H / 2;
        if (c === 0) this.lines.moveTo(x, y);
        else this.lines.lineTo(x, y);
        const cell = this.cells[rows[c]][c];
        tweens.add({ targets: cell, scale: { from: cell.scale * 1.08, to: cell.scale }, duration: 300, yoyo: false });
      }
      this.lines.strokePath();
    });
    if (payout > 0) {
      const counter = { v: 0 };
      await new Promise<void>((resolve) =>
        tweens.add({
          targets: counter,
          v: payout,
          duration: Math.min(900, 200 + payout),
          onUpdate: () => this.winText.setText(`WIN ${fmt(Math.round(counter.v))}`),
          onComplete: () => resolve(),
        }),
      );
      const parts = o.lineWins.map((w) => `line ${w.line + 1}: ${w.count}× ${w.symbol} = ${fmt(w.payout)}`);
      if (o.scatterCount >= 3) parts.push(`${o.scatterCount} scatters${o.freeSpinsAwarded ? ` → ${o.freeSpinsAwarded} free spins` : ''}`);
      setInfo('lastWinLines', parts.join('; '));
    } else if (bet > 0) {
      this.winText.setText('No win');
    }
  }
}
