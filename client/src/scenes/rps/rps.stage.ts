// The duel's canvas: three pick cards, the two hands facing each other, the result banner, the search spinner and
// the pick timer bar, plus the reveal (both fists shake three times, then open on the real picks).
import Phaser from 'phaser';
import type { RpsPick } from '../../../../domain/games/rps/rules.ts';
import type { RpsState } from '../../../../rooms/rps/rps.state.ts';
import { COLORS } from '../../config.ts';
import { drawHand, HAND_COLORS } from '../../ui/rps-hands.ts';
import type { NeonScene } from '../base.ts';
import { PickCards, type PickHost } from './rps.cards.ts';
import type { Mode } from './rps.format.ts';
import type { RpsSeat } from './rps.net.ts';

const DUEL = { y: 318, mine: 455, theirs: 825 };

/** What the stage asks the scene. */
export interface StageHost extends PickHost {
  /** the names over the two hands */
  duelNames(): { mine: string; theirs: string };
}

export class RpsStage {
  /** the reveal animation is running */
  revealing = false;
  private header: Phaser.GameObjects.Text;
  private sub: Phaser.GameObjects.Text;
  private cards: PickCards;
  private duel: ReturnType<RpsStage['buildDuel']>;
  private banner: Phaser.GameObjects.Text;
  private bannerSub: Phaser.GameObjects.Text;
  private fx: Phaser.GameObjects.Graphics;
  private sparks: Phaser.GameObjects.Particles.ParticleEmitter;
  /** the pick window's length as first seen (the state carries only its deadline) */
  private pickWindow = { deadline: 0, ms: 1 };

  constructor(
    private readonly scene: NeonScene,
    private readonly host: StageHost,
  ) {
    const add = scene.add;
    scene.title('ROCK · PAPER · SCISSORS', 92);
    this.header = add
      .text(scene.centerX, 148, '', { fontFamily: 'DejaVu Sans', fontSize: '22px', fontStyle: 'bold', color: '#3ef0ff' })
      .setOrigin(0.5);
    this.fx = add.graphics();
    this.cards = new PickCards(scene, host);
    this.duel = this.buildDuel();
    this.banner = add
      .text(scene.centerX, 492, '', { fontFamily: 'DejaVu Sans', fontSize: '46px', fontStyle: 'bold', color: '#53f29a' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#000000', 12, true, true);
    this.bannerSub = add.text(scene.centerX, 545, '', { fontFamily: 'DejaVu Sans', fontSize: '20px', color: '#efeaff' }).setOrigin(0.5);
    this.sub = add.text(scene.centerX, 470, '', { fontFamily: 'DejaVu Sans', fontSize: '17px', color: '#a99fd6' }).setOrigin(0.5);
    this.sparks = add.particles(0, 0, 'dot', {
      lifespan: 900,
      speed: { min: 120, max: 320 },
      scale: { start: 0.6, end: 0 },
      alpha: { start: 1, end: 0 },
      tint: [COLORS.green, COLORS.gold, COLORS.cyan],
      blendMode: 'ADD',
      emitting: false,
    });
  }

  private buildDuel() {
    const add = this.scene.add;
    const glow = (x: number) => add.image(x, DUEL.y, 'glow').setScale(4.2).setBlendMode(Phaser.BlendModes.ADD).setAlpha(0.5);
    const mineGlow = glow(DUEL.mine),
      theirsGlow = glow(DUEL.theirs);
    const mineG = add.graphics(),
      theirsG = add.graphics();
    const mine = add.container(DUEL.mine, DUEL.y, [mineG]).setRotation(Math.PI / 2);
    const theirs = add
      .container(DUEL.theirs, DUEL.y, [theirsG])
      .setRotation(-Math.PI / 2)
      .setScale(-1, 1);
    const nameStyle = { fontFamily: 'DejaVu Sans', fontSize: '20px', fontStyle: 'bold', color: '#ffd6fb' };
    const duel = {
      mine,
      mineG,
      theirs,
      theirsG,
      mineGlow,
      theirsGlow,
      mineName: add.text(DUEL.mine, 200, 'YOU', nameStyle).setOrigin(0.5),
      theirsName: add.text(DUEL.theirs, 200, '', nameStyle).setOrigin(0.5),
      vs: add
        .text(this.scene.centerX, DUEL.y, 'VS', { fontFamily: 'DejaVu Sans', fontSize: '46px', fontStyle: 'bold', color: '#ffffff' })
        .setOrigin(0.5)
        .setShadow(0, 0, '#3ef0ff', 18, true, true),
      unknown: add
        .text(DUEL.theirs, DUEL.y, '?', { fontFamily: 'DejaVu Sans', fontSize: '120px', fontStyle: 'bold', color: '#a99fd6' })
        .setOrigin(0.5)
        .setShadow(0, 0, '#7b5cff', 20, true, true),
    };
    this.scene.tweens.add({ targets: duel.unknown, alpha: 0.35, duration: 650, yoyo: true, repeat: -1 });
    return duel;
  }

  /** Lays the stage out for a mode: the pick cards while choosing, the duel once picked, the texts of each step. */
  setMode(mode: Mode, myPick: RpsPick | null): void {
    this.cards.setMode(mode, myPick);
    if (mode !== 'done') {
      this.banner.setVisible(false);
      this.bannerSub.setVisible(false);
    }
    if (mode === 'idle') {
      this.showDuel(undefined);
      this.header.setText('CHOOSE A STAKE AND FIND AN OPPONENT').setColor('#3ef0ff');
      this.sub.setText('Nobody free? The house takes the other seat and picks from a provably fair draw.').setVisible(true);
    } else if (mode === 'joining' || mode === 'waiting') {
      this.showDuel(undefined);
      this.header.setText(mode === 'joining' ? 'JOINING…' : 'FINDING AN OPPONENT').setColor('#3ef0ff');
      this.sub.setText('The house steps in if nobody comes in a few seconds. Esc leaves (stake refunded).').setVisible(true);
    } else if (mode === 'picking') {
      if (myPick) this.showDuel(myPick);
      else this.showDuel(undefined);
      this.sub.setVisible(!myPick);
    } else {
      this.sub.setVisible(false);
    }
  }

  /** Duel layout: `undefined` hides it, null shows both hands as unknown, a pick shows mine against a "?" */
  showDuel(mine: RpsPick | null | undefined): void {
    const on = mine !== undefined;
    const d = this.duel;
    for (const o of [d.mine, d.theirs, d.mineGlow, d.theirsGlow, d.mineName, d.theirsName, d.vs]) o.setVisible(on);
    d.unknown.setVisible(on && !!mine);
    if (!on) return;
    d.mine.setAlpha(1).setScale(1).setY(DUEL.y);
    d.theirs.setAlpha(1).setScale(-1, 1).setY(DUEL.y);
    if (mine) {
      drawHand(d.mineG, mine);
      d.theirsG.clear();
      d.mineGlow.setTint(HAND_COLORS[mine]).setAlpha(0.55);
      d.theirsGlow.setTint(0x7b5cff).setAlpha(0.35);
    }
    const names = this.host.duelNames();
    d.theirsName.setText(names.theirs);
    d.mineName.setText(names.mine);
  }

  /** Both hands shake three times as fists, then `done` runs (the result is shown by `showResult`). */
  shake(done: () => void): void {
    this.revealing = true;
    drawHand(this.duel.mineG, 'rock', COLORS.cyan);
    drawHand(this.duel.theirsG, 'rock', COLORS.cyan);
    this.duel.unknown.setVisible(false);
    this.banner.setVisible(false);
    this.bannerSub.setVisible(false);
    const words = ['ROCK…', 'PAPER…', 'SCISSORS…'];
    let beat = 0;
    this.header.setText(words[0]).setColor('#ffc83d');
    this.scene.tweens.add({
      targets: [this.duel.mine, this.duel.theirs],
      y: DUEL.y - 34,
      duration: 170,
      yoyo: true,
      repeat: 2,
      ease: 'Sine.easeInOut',
      onRepeat: () => {
        beat = Math.min(beat + 1, 2);
        if (this.scene.active) this.header.setText(words[beat]);
      },
      onComplete: () => done(),
    });
  }

  /** Opens both hands on the real picks and shows the banner; the winning hand pops when animated. */
  showResult(
    picks: { mine: RpsPick | null; theirs: RpsPick | null },
    outcome: string,
    banner: [string, string, string],
    header: string,
    animate: boolean,
  ): void {
    const d = this.duel;
    this.revealing = false;
    drawHand(d.mineG, picks.mine);
    drawHand(d.theirsG, picks.theirs);
    d.unknown.setVisible(false);
    d.mineGlow.setTint(picks.mine ? HAND_COLORS[picks.mine] : COLORS.red);
    d.theirsGlow.setTint(picks.theirs ? HAND_COLORS[picks.theirs] : COLORS.red);
    const won = outcome === 'win',
      lost = outcome === 'loss';
    d.mine.setAlpha(lost ? 0.45 : 1);
    d.theirs.setAlpha(won ? 0.45 : 1);
    d.mineGlow.setAlpha(lost ? 0.12 : 0.55);
    d.theirsGlow.setAlpha(won ? 0.12 : 0.55);
    const tweens = this.scene.tweens;
    // the winning hand pops (the opponent's hand is mirrored: scaleX stays negative)
    if (won && animate)
      tweens.add({ targets: d.mine, scaleX: { from: 1.3, to: 1 }, scaleY: { from: 1.3, to: 1 }, duration: 380, ease: 'Back.easeOut' });
    if (lost && animate)
      tweens.add({ targets: d.theirs, scaleX: { from: -1.3, to: -1 }, scaleY: { from: 1.3, to: 1 }, duration: 380, ease: 'Back.easeOut' });
    const [title, color, line] = banner;
    this.banner.setText(title).setColor(color).setVisible(true);
    this.bannerSub.setText(line).setVisible(true);
    if (animate)
      tweens.add({ targets: this.banner, scale: { from: 1.4, to: 1 }, alpha: { from: 0, to: 1 }, duration: 320, ease: 'Back.easeOut' });
    if (won && animate) this.sparks.explode(60, DUEL.mine, DUEL.y);
    this.header.setText(header).setColor('#efeaff');
  }

  /** Draws one frame: the spinner while searching, the timer bar while picking; returns the seconds left to pick. */
  frame(time: number, mode: Mode, s: RpsState | undefined, myPick: RpsPick | null, opp: RpsSeat | undefined): number | null {
    const g = this.fx.clear();
    if (mode === 'joining' || mode === 'waiting') this.drawSpinner(g, time);
    if (mode !== 'picking' || !s || s.pickDeadline <= 0 || this.revealing) return null;
    const left = Math.max(0, s.pickDeadline - Date.now());
    const secs = Math.ceil(left / 1000);
    if (this.pickWindow.deadline !== s.pickDeadline) this.pickWindow = { deadline: s.pickDeadline, ms: Math.max(1000, left) };
    if (!myPick) {
      const w = 560,
        x = this.scene.centerX - w / 2,
        y = 500;
      const frac = Math.min(1, left / this.pickWindow.ms);
      const c = left < 3000 ? COLORS.red : COLORS.cyan;
      g.fillStyle(COLORS.line, 0.8).fillRoundedRect(x, y, w, 10, 5);
      g.fillStyle(c, 1).fillRoundedRect(x + (w - Math.max(10, w * frac)) / 2, y, Math.max(10, w * frac), 10, 5);
      this.header.setText(`PICK YOUR HAND · ${secs} s`).setColor(left < 3000 ? '#ff5a7a' : '#3ef0ff');
      this.sub.setText(
        opp
          ? opp.isHouse
            ? 'The house has picked. Your move.'
            : opp.hasPicked
              ? `${opp.username} has picked. Your move.`
              : `${opp.username} is choosing…`
          : '',
      );
    } else {
      this.header
        .setText(opp && !opp.hasPicked ? `WAITING FOR ${opp.username.toUpperCase()} · ${secs} s` : 'REVEALING…')
        .setColor('#ffc83d');
    }
    return secs;
  }

  /** A spinning neon ring. */
  private drawSpinner(g: Phaser.GameObjects.Graphics, time: number): void {
    const cx = this.scene.centerX,
      cy = 318,
      a0 = (time / 600) % (Math.PI * 2);
    g.lineStyle(3, COLORS.line, 0.9).strokeCircle(cx, cy, 86);
    for (let k = 0; k < 3; k++) {
      const a = a0 + (k * Math.PI * 2) / 3;
      g.lineStyle(8, [COLORS.pink, COLORS.cyan, COLORS.gold][k], 0.95)
        .beginPath()
        .arc(cx, cy, 86, a, a + 0.9)
        .strokePath();
    }
    const pulse = 0.5 + 0.5 * Math.sin(time / 260);
    g.fillStyle(COLORS.pink, 0.12 + 0.18 * pulse).fillCircle(cx, cy, 46 + 10 * pulse);
    g.fillStyle(0xffffff, 0.9).fillCircle(cx, cy, 8);
  }
}
