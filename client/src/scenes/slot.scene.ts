// The slot hall: the player's own 5×3 machine. Reels spin while the spin is in flight and stop, reel by reel, on
// the grid the server committed; paying lines are drawn, wins counted up, free spins played one after another.
import Phaser from 'phaser';
import type { Room } from '@colyseus/sdk';
import { SLOT_V1 } from '../../../domain/games/slot/machine.ts';
import type { LineWin } from '../../../domain/games/slot/rules.ts';
import { ask, joinRoom, leaveRoom, RoomError } from '../net/rooms.ts';
import type { Balances } from '../net/types.ts';
import { setBalances, toast } from '../state/store.ts';
import { COLORS } from '../config.ts';
import { fill, fmt, h } from '../ui/dom.ts';
import { setInfo } from '../testing/hooks.ts';
import { SLOT_SYMBOLS } from './preload.scene.ts';
import { NeonScene } from './base.ts';

interface SpinOutcomeView {
  grid: string[][];
  lineWins: LineWin[];
  scatterCount: number;
  freeSpinsAwarded: number;
  totalPayout: number;
}
interface SpinResult {
  round_id: string;
  bet: number;
  payout: number;
  total_payout: number;
  outcome: SpinOutcomeView;
  free_spins: Array<{ round_id: string; payout: number; outcome: SpinOutcomeView; nonce: number }>;
  fairness: { nonce: number };
  balances: Balances;
}

const CELL_W = 128,
  CELL_H = 106,
  COLS = 5,
  ROWS = 3;

export class SlotScene extends NeonScene {
  private room: Room | null = null;
  private cells: Phaser.GameObjects.Image[][] = [];
  private lines!: Phaser.GameObjects.Graphics;
  private winText!: Phaser.GameObjects.Text;
  private freeText!: Phaser.GameObjects.Text;
  private spinning = false;
  private spins = 0;
  private betLevels: number[] = [...SLOT_V1.betLevels];
  private bet!: HTMLSelectElement;
  private spinButton!: HTMLButtonElement;
  private canvasSpin!: ReturnType<NeonScene['canvasButton']>;
  private bigWins!: HTMLElement;
  private history!: HTMLElement;

  constructor() {
    super('slot');
  }

  protected async build(): Promise<void> {
    this.title('NEON SLOTS', 92);
    const x0 = this.centerX - (COLS * CELL_W) / 2,
      y0 = 140;
    this.add
      .rectangle(this.centerX, y0 + (ROWS * CELL_H) / 2, COLS * CELL_W + 24, ROWS * CELL_H + 24, COLORS.panel, 0.95)
      .setStrokeStyle(4, COLORS.pink);
    for (let r = 0; r < ROWS; r++) {
      this.cells[r] = [];
      for (let c = 0; c < COLS; c++) {
        const sym = SLOT_V1.strips[c][r];
        this.cells[r][c] = this.add
          .image(x0 + c * CELL_W + CELL_W / 2, y0 + r * CELL_H + CELL_H / 2, `sym-${sym}`)
          .setDisplaySize(CELL_W - 10, CELL_H - 8);
      }
    }
    this.lines = this.add.graphics();
    this.winText = this.add
      .text(this.centerX, y0 + ROWS * CELL_H + 34, '', { fontFamily: 'DejaVu Sans', fontSize: '30px', fontStyle: 'bold', color: '#ffc83d' })
      .setOrigin(0.5);
    this.freeText = this.add
      .text(this.centerX, y0 - 22, '', { fontFamily: 'DejaVu Sans', fontSize: '18px', color: '#3ef0ff' })
      .setOrigin(0.5);
    this.canvasSpin = this.canvasButton('spin', this.centerX, y0 + ROWS * CELL_H + 96, 220, 64, 'SPIN', () => void this.spin());

    this.screen.classList.add('game');
    this.bet = h('select', { id: 'bet', testid: 'slot-bet', 'aria-label': 'Bet per line' });
    this.spinButton = h('button', { class: 'primary big', testid: 'slot-spin', onclick: () => void this.spin(), disabled: true }, 'Spin');
    this.bigWins = h('div', { class: 'small' });
    this.history = h('div', { class: 'small', testid: 'slot-history' });
    this.screen.append(
      h('aside', { class: 'panel side left' }, h('h2', {}, 'Big wins'), this.bigWins),
      h('aside', { class: 'panel side right' }, h('h2', {}, 'Your spins'), this.history),
      h(
        'div',
        { class: 'controls' },
        h('label', { for: 'bet', style: { flexDirection: 'row', alignItems: 'center' } }, 'Bet per line ', this.bet),
        h('span', { class: 'muted', testid: 'slot-total-bet' }),
        this.spinButton,
        h(
          'span',
          { class: 'muted small' },
          'Space spins · ',
          h('a', { href: '#/fairness', style: { color: 'var(--cyan)' } }, 'verify rounds'),
        ),
      ),
    );
    this.bet.addEventListener('change', () => this.showTotal());
    const onKey = (e: KeyboardEvent) => {
      if (e.code === 'Space' && (e.target as HTMLElement)?.tagName !== 'SELECT' && (e.target as HTMLElement)?.tagName !== 'BUTTON') {
        e.preventDefault();
        void this.spin();
      }
    };
    window.addEventListener('keydown', onKey);
    this.onCleanup(() => window.removeEventListener('keydown', onKey));
    this.setBetLevels(this.betLevels);
    this.setSpinning(false);

    this.room = await joinRoom('slot');
    if (!this.active) {
      void leaveRoom(this.room);
      return;
    }
    this.room.onMessage('machine', (m: { bet_levels: number[] }) => this.setBetLevels(m.bet_levels));
    this.room.onMessage('big_win', (b: { username: string; payout: number; multiplier: number }) =>
      toast(`Big win! ${b.username} won ${fmt(b.payout)} GOLD (${b.multiplier}×)`, 'reward'),
    );
    this.room.onStateChange((s: any) => this.renderBigWins(s));
    this.spinButton.disabled = false;
  }

  protected override dispose(): void {
    void leaveRoom(this.room);
    this.room = null;
  }

  private setBetLevels(levels: number[]): void {
    this.betLevels = levels;
    const prev = Number(this.bet.value) || levels[0];
    fill(this.bet, ...levels.map((l) => h('option', { value: String(l), selected: l === prev }, fmt(l))));
    this.showTotal();
  }

  private showTotal(): void {
    const total = Number(this.bet.value) * SLOT_V1.paylines.length;
    this.screen.querySelector('[data-testid="slot-total-bet"]')!.textContent =
      `Total bet ${fmt(total)} GOLD (${SLOT_V1.paylines.length} lines)`;
  }

  private setSpinning(on: boolean): void {
    this.spinning = on;
    setInfo('spinning', on);
    setInfo('spins', this.spins);
    if (this.spinButton) this.spinButton.disabled = on || !this.room;
    this.canvasSpin?.setEnabled(!on);
  }

  private async spin(): Promise<void> {
    if (this.spinning || !this.room) return;
    this.setSpinning(true);
    this.lines.clear();
    this.winText.setText('');
    this.freeText.setText('');
    const stopSpin = this.startReels();
    try {
      const { body } = await ask<SpinResult>(this.room, 'spin', { betPerLine: Number(this.bet.value) }, ['spin_result']);
      await stopSpin(body.outcome.grid);
      await this.showWin(body.outcome, body.payout, body.bet);
      for (let i = 0; i < body.free_spins.length && this.active; i++) {
        this.freeText.setText(`FREE SPIN ${i + 1} / ${body.free_spins.length} · wins ×${SLOT_V1.freeSpinMultiplier}`);
        const fs = body.free_spins[i];
        const stop = this.startReels();
        await stop(fs.outcome.grid);
        await this.showWin(fs.outcome, fs.payout, 0);
      }
      if (body.free_spins.length) this.freeText.setText(`${body.free_spins.length} free spin(s) played`);
      this.winText.setText(body.total_payout > 0 ? `WIN ${fmt(body.total_payout)} GOLD` : 'No win');
      setBalances(body.balances);
      this.spins++;
      setInfo('lastPayout', body.total_payout);
      setInfo('lastRound', body.round_id);
      this.addHistory(body);
    } catch (err) {
      await stopSpin(null);
      toast(err instanceof RoomError || err instanceof Error ? err.message : 'The spin failed.', 'error');
    } finally {
      if (this.active) this.setSpinning(false);
    }
  }

  /** Starts the reels blurring; the returned function stops them on a grid (or where they are) reel by reel. */
  private startReels(): (grid: string[][] | null) => Promise<void> {
    const stopped = new Array(COLS).fill(false);
    const timer = this.time.addEvent({
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
    const started = this.time.now;
    return (grid) =>
      new Promise<void>((resolve) => {
        const wait = Math.max(0, 350 - (this.time.now - started));
        for (let c = 0; c < COLS; c++) {
          this.time.delayedCall(wait + c * 140, () => {
            stopped[c] = true;
            for (let r = 0; r < ROWS; r++) {
              const cell = this.cells[r][c];
              if (grid) cell.setTexture(`sym-${grid[r][c]}`).setDisplaySize(CELL_W - 10, CELL_H - 8);
              this.tweens.add({ targets: cell, y: { from: cell.y - 14, to: cell.y }, duration: 160, ease: 'Back.easeOut' });
            }
            if (c === COLS - 1) {
              timer.remove();
              this.time.delayedCall(170, () => resolve());
            }
          });
        }
      });
  }

  private async showWin(o: SpinOutcomeView, payout: number, bet: number): Promise<void> {
    this.lines.clear();
    const x0 = this.centerX - (COLS * CELL_W) / 2,
      y0 = 140;
    const colors = [COLORS.cyan, COLORS.gold, COLORS.green, COLORS.pink];
    o.lineWins.forEach((w, i) => {
      const rows = SLOT_V1.paylines[w.line];
      this.lines.lineStyle(5, colors[i % colors.length], 0.9).beginPath();
      for (let c = 0; c < w.count; c++) {
        const x = x0 + c * CELL_W + CELL_W / 2,
          y = y0 + rows[c] * CELL_H + CELL_H / 2;
        if (c === 0) this.lines.moveTo(x, y);
        else this.lines.lineTo(x, y);
        this.tweens.add({
          targets: this.cells[rows[c]][c],
          scale: { from: this.cells[rows[c]][c].scale * 1.08, to: this.cells[rows[c]][c].scale },
          duration: 300,
          yoyo: false,
        });
      }
      this.lines.strokePath();
    });
    if (payout > 0) {
      const counter = { v: 0 };
      await new Promise<void>((resolve) =>
        this.tweens.add({
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

  private addHistory(r: SpinResult): void {
    const row = h(
      'div',
      { class: 'item' },
      h('span', {}, `Bet ${fmt(r.bet)}`),
      h('span', { class: r.total_payout > 0 ? 'win' : 'muted' }, r.total_payout > 0 ? `+${fmt(r.total_payout)}` : '0'),
    );
    this.history.prepend(row);
    while (this.history.childElementCount > 12) this.history.lastElementChild?.remove();
  }

  private renderBigWins(state: any): void {
    const list: Array<{ username: string; payout: number; multiplier: number }> = [];
    state?.bigWins?.forEach?.((b: any) => list.push({ username: b.username, payout: b.payout, multiplier: b.multiplier }));
    fill(
      this.bigWins,
      ...(list.length
        ? list
            .slice(-8)
            .reverse()
            .map((b) =>
              h('div', { class: 'item' }, h('span', {}, b.username), h('span', { class: 'win' }, `${fmt(b.payout)} · ${b.multiplier}×`)),
            )
        : [h('p', { class: 'muted' }, 'No big wins yet: 20× the bet or more shows here.')]),
    );
  }
}
