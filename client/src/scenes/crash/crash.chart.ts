// The crash table's canvas: the framed chart with its grid, the neon curve and its head, cash-out tags, the big
// multiplier readout and the in-canvas cash-out button. Drawn every frame from the room state and this client's bet.
import Phaser from 'phaser';
import { msToReach, multiplierAt } from '../../../../domain/games/crash/curve.ts';
import { payoutAt } from '../../../../domain/games/crash/exposure.ts';
import type { CrashState } from '../../../../rooms/crash/crash.state.ts';
import { COLORS } from '../../config.ts';
import { fmt } from '../../ui/dom.ts';
import type { CanvasButton, NeonScene } from '../base.ts';
import { x100 } from '../../ui/dom.ts';
import type { MyBetView } from './crash.format.ts';

// chart frame (game coordinates) and the plot area inside it
const FRAME = { x: 296, y: 128, w: 688, h: 392 };
const PLOT = { x0: 360, x1: 960, y0: 150, y1: 488 };
/** the curve's own time (scaled ms) the x axis shows at least: the 2.00x point */
const MIN_SPAN = 8000;
/** Game coordinates of a curve time (x) and a multiplier in hundredths (y) on this frame's scales. */
interface Axes {
  X: (t: number) => number;
  Y: (m: number) => number;
}
const LABEL = { fontFamily: 'DejaVu Sans', fontSize: '13px', color: '#a99fd6' };

export class CrashChart {
  readonly cashout: CanvasButton;
  private chart: Phaser.GameObjects.Graphics;
  private flash: Phaser.GameObjects.Rectangle;
  private readout: Phaser.GameObjects.Text;
  private sub: Phaser.GameObjects.Text;
  private headGlow: Phaser.GameObjects.Image;
  private trail: Phaser.GameObjects.Particles.ParticleEmitter;
  private yLabels: Phaser.GameObjects.Text[] = [];
  private xLabels: Phaser.GameObjects.Text[] = [];
  private tags: Phaser.GameObjects.Text[] = [];
  /** the betting window's length as first seen for a round (the state carries only its end) */
  private betWindow = { round: '', ms: 1 };

  constructor(
    private readonly scene: NeonScene,
    onCashout: () => void,
  ) {
    const add = scene.add;
    scene.title('CRASH', 92);
    const bg = add.graphics();
    bg.fillStyle(COLORS.panel, 0.95).fillRoundedRect(FRAME.x, FRAME.y, FRAME.w, FRAME.h, 14);
    bg.lineStyle(4, COLORS.pink, 1).strokeRoundedRect(FRAME.x, FRAME.y, FRAME.w, FRAME.h, 14);
    // the readout sits behind the curve, which is drawn over it
    this.readout = add
      .text(scene.centerX, 262, '1.00x', { fontFamily: 'DejaVu Sans', fontSize: '88px', fontStyle: 'bold', color: '#ffffff' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#ff3df2', 18, true, true);
    this.sub = add
      .text(scene.centerX, 330, 'Connecting to the table…', {
        fontFamily: 'DejaVu Sans',
        fontSize: '22px',
        fontStyle: 'bold',
        color: '#3ef0ff',
      })
      .setOrigin(0.5);
    this.chart = add.graphics();
    for (let i = 0; i < 7; i++) this.yLabels.push(add.text(0, 0, '', LABEL).setOrigin(1, 0.5));
    for (let i = 0; i < 9; i++) this.xLabels.push(add.text(0, 0, '', LABEL).setOrigin(0.5, 0));
    for (let i = 0; i < 8; i++)
      this.tags.push(
        add
          .text(0, 0, '', { fontFamily: 'DejaVu Sans', fontSize: '12px', fontStyle: 'bold', color: '#53f29a' })
          .setOrigin(0.5, 1)
          .setVisible(false),
      );
    this.trail = add.particles(0, 0, 'dot', {
      lifespan: 600,
      speed: { min: 10, max: 50 },
      scale: { start: 0.45, end: 0 },
      alpha: { start: 0.9, end: 0 },
      tint: [COLORS.pink, COLORS.gold, COLORS.cyan],
      frequency: 25,
      blendMode: 'ADD',
      emitting: false,
    });
    this.headGlow = add.image(0, 0, 'glow').setScale(1.3).setTint(COLORS.pink).setBlendMode(Phaser.BlendModes.ADD).setVisible(false);
    this.flash = add.rectangle(FRAME.x + FRAME.w / 2, FRAME.y + FRAME.h / 2, FRAME.w, FRAME.h, COLORS.red, 1).setAlpha(0);
    this.cashout = scene.canvasButton('cashout', scene.centerX, 566, 300, 64, 'CASH OUT', onCashout);
    this.cashout.setEnabled(false);
  }

  showUnavailable(): void {
    this.sub.setText('TABLE UNAVAILABLE').setColor('#ff5a7a');
  }

  stopTrail(): void {
    this.trail.stop();
  }

  /** The red flash and shake of a crash. */
  crashFlash(): void {
    this.trail.stop();
    this.flash.setAlpha(0.55);
    this.scene.tweens.add({ targets: this.flash, alpha: 0, duration: 650, ease: 'Cubic.easeOut' });
    this.scene.cameras.main.shake(280, 0.006);
  }

  /** The green flash and spark burst of this client's cash-out. */
  celebrate(): void {
    this.scene.cameras.main.flash(180, 83, 242, 154);
    this.trail.explode(30);
  }

  /** Draws one frame; `now` is the server's clock (local time corrected by the learned skew). */
  draw(s: CrashState, bet: MyBetView, now: number): void {
    const ts = s.timeScale || 1;
    let m = 100,
      t = 0; // multiplier (hundredths) and curve time (scaled ms)
    if (s.phase === 'running' && s.runningSince > 0) {
      t = Math.max(0, (now - s.runningSince) * ts);
      m = Math.max(multiplierAt(t), s.multiplier);
      t = Math.max(t, msToReach(m));
    } else if (s.phase === 'crashed') {
      m = s.crashPoint || s.multiplier;
      t = msToReach(m);
    }
    const span = Math.max(MIN_SPAN, t / 0.82);
    const top = Math.max(200, 100 + (m - 100) / 0.78); // y axis top, hundredths
    const X = (tt: number) => PLOT.x0 + (tt / span) * (PLOT.x1 - PLOT.x0);
    const Y = (mm: number) => PLOT.y1 - ((mm - 100) / (top - 100)) * (PLOT.y1 - PLOT.y0);
    const axes = { X, Y };
    const g = this.chart.clear();
    this.drawGrid(g, axes, top, span / ts, ts);
    // the auto cash-out target of this client's bet, dashed
    if (bet.riding && bet.auto > 0 && bet.auto <= top) {
      const y = Y(bet.auto);
      g.lineStyle(2, COLORS.green, 0.7);
      for (let x = PLOT.x0; x < PLOT.x1; x += 18) g.lineBetween(x, y, Math.min(x + 10, PLOT.x1), y);
    }
    if (s.phase === 'betting' || t <= 0) {
      this.headGlow.setVisible(false);
      this.tags.forEach((tag) => tag.setVisible(false));
    } else {
      this.drawCurve(g, axes, t, m, s.phase === 'crashed');
      this.drawTags(g, s, axes, bet.userId);
    }
    this.drawReadout(s, m, now, bet);
  }

  /** Grid lines: multipliers on y, real seconds on x. */
  private drawGrid(g: Phaser.GameObjects.Graphics, { X, Y }: Axes, top: number, realSpan: number, ts: number) {
    const yStep = niceStep((top - 100) / 5);
    let i = 0;
    for (let v = 100; v <= top + 0.5 && i < this.yLabels.length; v += yStep, i++) {
      const y = Y(v);
      g.lineStyle(1, COLORS.line, v === 100 ? 0.9 : 0.45).lineBetween(PLOT.x0, y, PLOT.x1, y);
      this.yLabels[i]
        .setPosition(PLOT.x0 - 8, y)
        .setText(`${(v / 100).toFixed(yStep >= 100 ? 0 : 2)}x`)
        .setVisible(true);
    }
    for (; i < this.yLabels.length; i++) this.yLabels[i].setVisible(false);
    const xStep = niceStep(realSpan / 6, [1, 2, 5]);
    i = 0;
    for (let r = 0; r <= realSpan && i < this.xLabels.length; r += xStep, i++) {
      const x = X(r * ts);
      g.lineStyle(1, COLORS.line, 0.35).lineBetween(x, PLOT.y0, x, PLOT.y1);
      this.xLabels[i]
        .setPosition(x, PLOT.y1 + 6)
        .setText(`${(r / 1000).toFixed(xStep >= 1000 ? 0 : 1)}s`)
        .setVisible(true);
    }
    for (; i < this.xLabels.length; i++) this.xLabels[i].setVisible(false);
  }

  /** The curve up to curve time t (multiplier m at its head), its glow and its trail. */
  private drawCurve(g: Phaser.GameObjects.Graphics, { X, Y }: Axes, t: number, m: number, crashed: boolean) {
    const colour = crashed ? COLORS.red : COLORS.pink;
    const steps = 90;
    const pts: Array<[number, number]> = [];
    for (let k = 0; k <= steps; k++) {
      const tt = (t * k) / steps;
      pts.push([X(tt), Y(k === steps ? m : multiplierAt(tt))]);
    }
    // area under the curve
    g.fillStyle(colour, 0.12).beginPath().moveTo(pts[0][0], PLOT.y1);
    for (const [x, y] of pts) g.lineTo(x, y);
    g.lineTo(pts[steps][0], PLOT.y1).closePath().fillPath();
    // neon line: wide faint strokes under a bright core
    for (const [w, a] of [
      [16, 0.08],
      [9, 0.18],
      [5, 0.9],
    ] as const) {
      g.lineStyle(w, colour, a).beginPath().moveTo(pts[0][0], pts[0][1]);
      for (const [x, y] of pts) g.lineTo(x, y);
      g.strokePath();
    }
    g.lineStyle(2, 0xffffff, 0.85).beginPath().moveTo(pts[0][0], pts[0][1]);
    for (const [x, y] of pts) g.lineTo(x, y);
    g.strokePath();
    const [hx, hy] = pts[steps];
    g.fillStyle(0xffffff, 1).fillCircle(hx, hy, 6);
    this.headGlow.setPosition(hx, hy).setTint(colour).setVisible(true);
    if (!crashed) {
      this.trail.setPosition(hx, hy);
      if (!this.trail.emitting) this.trail.start();
    } else if (this.trail.emitting) this.trail.stop();
  }

  /** Cash-outs of this round on the curve (this client's first). */
  private drawTags(g: Phaser.GameObjects.Graphics, s: CrashState, { X, Y }: Axes, userId: string) {
    const outs: Array<{ name: string; at: number; me: boolean }> = [];
    s.bets.forEach((b, id) => {
      if (b.status === 'cashed_out' && b.cashedOutAt > 0) outs.push({ name: b.username, at: b.cashedOutAt, me: id === userId });
    });
    outs.sort((a, b) => Number(b.me) - Number(a.me) || a.at - b.at);
    for (let k = 0; k < this.tags.length; k++) {
      const o = outs[k];
      if (!o) {
        this.tags[k].setVisible(false);
        continue;
      }
      const x = X(msToReach(o.at)),
        y = Y(o.at);
      g.fillStyle(o.me ? COLORS.green : COLORS.cyan, 1).fillCircle(x, y, o.me ? 6 : 4);
      this.tags[k]
        .setPosition(x, y - 8)
        .setText(`${o.me ? 'YOU' : o.name} ${x100(o.at)}`)
        .setColor(o.me ? '#53f29a' : '#3ef0ff')
        .setVisible(true);
    }
  }

  private drawReadout(s: CrashState, m: number, now: number, bet: MyBetView): void {
    if (s.phase === 'betting') {
      const left = Math.max(0, s.bettingEndsAt - now);
      this.readout
        .setText(`${(left / 1000).toFixed(1)}s`)
        .setColor('#ffd6fb')
        .setFontSize(72);
      this.sub.setText(bet.riding ? `YOUR BET ${fmt(bet.amount)} IS IN · STARTING SOON` : 'PLACE YOUR BETS').setColor('#3ef0ff');
      // betting progress bar under the readout
      if (this.betWindow.round !== s.roundId) this.betWindow = { round: s.roundId, ms: Math.max(1000, left) };
      const w = 360,
        x = this.scene.centerX - w / 2,
        y = 372;
      const frac = Math.min(1, left / this.betWindow.ms);
      this.chart.fillStyle(COLORS.line, 0.8).fillRoundedRect(x, y, w, 10, 5);
      this.chart.fillStyle(COLORS.cyan, 1).fillRoundedRect(x, y, Math.max(10, w * frac), 10, 5);
      this.cashout.text.setText('CASH OUT');
      return;
    }
    const crashed = s.phase === 'crashed';
    this.readout
      .setText(x100(m))
      .setFontSize(88)
      .setColor(crashed ? '#ff5a7a' : bet.cashed ? '#53f29a' : '#ffffff');
    if (crashed) this.sub.setText(`CRASHED AT ${x100(m)}`).setColor('#ff5a7a');
    else if (bet.cashed) this.sub.setText(`YOU CASHED OUT · +${fmt(bet.lastPayout)} GOLD`).setColor('#53f29a');
    else if (bet.riding) this.sub.setText(`RIDING ${fmt(bet.amount)} GOLD`).setColor('#ffc83d');
    else this.sub.setText('ROUND IN PROGRESS').setColor('#a99fd6');
    this.cashout.text.setText(bet.riding && !crashed ? `CASH OUT ${fmt(payoutAt(bet.amount, m))}` : 'CASH OUT');
  }
}

/**
 * The local clock's offset from the server's (ms), corrected by a state patch. The server patches its multiplier at
 * 20 Hz; our clock is trusted while the curve drawn from it stays within what that multiplier allows (plus latency);
 * when it drifts out, the offset is moved just enough.
 */
export function correctSkew(s: CrashState, skew: number): number {
  const ts = s.timeScale || 1;
  const lo = msToReach(s.multiplier) / ts;
  const hi = msToReach(s.multiplier + 1) / ts + 250;
  const local = Date.now() - skew - s.runningSince;
  if (local < lo) return skew - (lo - local);
  if (local > hi) return skew + (local - hi);
  return skew;
}

/** A round grid step ≥ raw from 1-2-2.5-5 × 10^n (hundredths or ms). */
function niceStep(raw: number, mantissas = [1, 2, 2.5, 5]): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const k of mantissas) if (k * p >= raw) return k * p;
  return 10 * p;
}
