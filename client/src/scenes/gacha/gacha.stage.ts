// The gacha's canvas: the banner's name, the breathing portal the cards are dealt from, the featured legendaries
// floating before the first pull, and a pull's cards dealt face down then flipped on the server's result (colour by
// rarity, a glow, rays and a burst for legendaries). A click on the stage or `skip` fast-forwards a reveal.
import Phaser from 'phaser';
import { RARITIES } from '../../../../domain/games/gacha/banners.ts';
import { COLORS } from '../../config.ts';
import { fmt } from '../../ui/dom.ts';
import type { NeonScene } from '../base.ts';
import { cardSlots, makeCard, setFace, showFront, type Card } from './gacha.card.ts';
import { itemName, pct, STYLE } from './gacha.format.ts';
import type { BannerInfo, PullView } from './gacha.net.ts';
import { CARD_H, CARD_W, makeGachaTextures } from './gacha.textures.ts';

const STAGE_Y = 318;
const DECK = { x: 640, y: 560 };

/** What the stage asks the scene. */
export interface StageHost {
  /** this visit of the scene still runs (work from an earlier visit must not touch it) */
  live(): boolean;
  pulling(): boolean;
  banner(): BannerInfo;
}

/** A dealt pull: flips its cards on the result, or clears them when the pull failed. */
export interface Deal {
  reveal(pulls: PullView[]): Promise<void>;
  cancel(): void;
}

export class GachaStage {
  private cards: Card[] = [];
  private fx: Phaser.GameObjects.GameObject[] = [];
  private nameText: Phaser.GameObjects.Text;
  private subText: Phaser.GameObjects.Text;
  private resultText: Phaser.GameObjects.Text;

  constructor(
    private readonly scene: NeonScene,
    private readonly host: StageHost,
  ) {
    makeGachaTextures(scene);
    const add = scene.add;
    const portal = add.graphics({ x: DECK.x, y: DECK.y });
    for (let i = 0; i < 4; i++) {
      portal.lineStyle(2, i % 2 ? COLORS.cyan : COLORS.pink, 0.32 - i * 0.05);
      portal.strokeEllipse(0, 0, 185 + i * 38, 36 + i * 9);
    }
    scene.tweens.add({
      targets: portal,
      alpha: { from: 0.55, to: 1 },
      scaleX: { from: 0.96, to: 1.04 },
      duration: 1800,
      yoyo: true,
      repeat: -1,
      ease: 'Sine.easeInOut',
    });
    this.nameText = add
      .text(scene.centerX, 92, '', { fontFamily: 'DejaVu Sans', fontSize: '38px', fontStyle: 'bold', color: '#ffd6fb' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#ff3df2', 16, true, true);
    this.subText = add.text(scene.centerX, 130, '', { fontFamily: 'DejaVu Sans', fontSize: '16px', color: '#a99fd6' }).setOrigin(0.5);
    this.resultText = add
      .text(scene.centerX, 512, '', { fontFamily: 'DejaVu Sans', fontSize: '24px', fontStyle: 'bold', color: '#ffc83d' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#000000', 8, true, true);
  }

  /** The banner's name and price line over the stage. */
  showBanner(b: BannerInfo): void {
    this.nameText.setText(b.name.toUpperCase());
    this.subText.setText(
      `${b.currency} banner · ${fmt(b.cost.single)} ${b.currency} a pull · ${fmt(b.cost.ten)} for ten (a rare or better guaranteed)`,
    );
  }

  /** Speeds the stage's tweens and timers up (a skipped reveal) or back to normal. */
  setSpeed(scale: number): void {
    this.scene.time.timeScale = scale;
    this.scene.tweens.timeScale = scale;
  }

  private clear(): void {
    for (const c of this.cards) {
      this.scene.tweens.killTweensOf(c.box);
      c.box.destroy();
    }
    for (const o of this.fx) {
      this.scene.tweens.killTweensOf(o);
      o.destroy();
    }
    this.cards = [];
    this.fx = [];
    this.resultText.setText('');
  }

  private card(x: number, y: number, scale: number): Card {
    const card = makeCard(this.scene, x, y, scale);
    this.cards.push(card);
    return card;
  }

  /** The banner's legendaries face up, gently floating, until the first pull. */
  showShowcase(): void {
    this.clear();
    const banner = this.host.banner();
    const featured = banner.items.legendary;
    const gap = 200,
      x0 = this.scene.centerX - ((featured.length - 1) * gap) / 2;
    featured.forEach((item, i) => {
      const card = this.card(x0 + i * gap, STAGE_Y - 10, 0.95);
      const pull = { rarity: 'legendary' as const, itemId: item.id, pityBefore: 0, guaranteed: false, duplicate: false };
      setFace(this.scene, card, pull, itemName(banner, item.id), true);
      showFront(card);
      this.glow(card, 0.35);
      this.scene.tweens.add({
        targets: card.box,
        y: card.box.y - 10,
        duration: 1600 + i * 250,
        yoyo: true,
        repeat: -1,
        ease: 'Sine.easeInOut',
      });
    });
    this.resultText
      .setColor('#a99fd6')
      .setFontSize(17)
      .setFontStyle('normal')
      .setText(`Featured legendaries · ${pct(banner.rates_bps.legendary / 10000)} per pull · guaranteed by pull ${banner.pity_rules.hard}`);
  }

  /** Deals `count` cards face down from the portal; the returned deal flips them on the result (or clears them). */
  deal(count: number): Deal {
    this.clear();
    const { live } = this.host;
    const slots = cardSlots(count, this.scene.centerX, STAGE_Y);
    const cards = slots.map((s) => this.card(DECK.x, DECK.y, s.scale));
    const dealt = Promise.all(
      cards.map((card, i) => {
        card.box.setScale(0.12).setAlpha(0);
        return this.tweenP({
          targets: card.box,
          x: slots[i].x,
          y: slots[i].y,
          scaleX: card.scale,
          scaleY: card.scale,
          alpha: 1,
          angle: { from: -25, to: 0 },
          duration: 340,
          delay: i * 55,
          ease: 'Cubic.easeOut',
        });
      }),
    );
    const tweens = this.scene.tweens;
    const shimmer = tweens.add({ targets: cards.map((c) => c.box), alpha: 0.8, duration: 380, yoyo: true, repeat: -1, delay: 420 });
    return {
      reveal: async (pulls) => {
        await dealt;
        shimmer.stop();
        cards.forEach((c) => c.box.setAlpha(1));
        for (let i = 0; i < pulls.length && live(); i++) {
          const flip = this.flip(cards[i], pulls[i]);
          if (pulls[i].rarity === 'legendary' || i === pulls.length - 1) await flip;
          else await this.waitP(count === 1 ? 0 : 120);
        }
        if (live()) this.announce(pulls);
        await this.waitP(260);
      },
      cancel: () => {
        shimmer.stop();
        for (const c of cards) tweens.add({ targets: c.box, alpha: 0, y: c.box.y + 30, duration: 220, onComplete: () => c.box.destroy() });
        this.cards = this.cards.filter((c) => !cards.includes(c));
        this.scene.time.delayedCall(260, () => {
          if (live() && !this.host.pulling() && this.cards.length === 0) this.showShowcase();
        });
      },
    };
  }

  /** Flips one card to its pull: squash, swap faces, stretch back; legendaries build up first and burst after. */
  private async flip(card: Card, pull: PullView): Promise<void> {
    setFace(this.scene, card, pull, itemName(this.host.banner(), pull.itemId));
    const s = card.scale;
    if (pull.rarity === 'legendary') {
      this.glow(card, 0);
      await this.tweenP({ targets: card.box, x: card.box.x + 4, duration: 45, yoyo: true, repeat: 5 });
    }
    await this.tweenP({ targets: card.box, scaleX: 0, scaleY: s * 1.06, duration: 120, ease: 'Sine.easeIn' });
    showFront(card);
    await this.tweenP({ targets: card.box, scaleX: s, scaleY: s, duration: 170, ease: 'Back.easeOut' });
    if (pull.rarity === 'legendary') {
      this.scene.cameras.main.flash(260, 255, 210, 90);
      this.burst(card.box.x, card.box.y, [COLORS.gold, 0xffffff, 0xffe9a0], 46);
      this.rays(card);
      const edge = this.scene.add
        .image(0, 0, 'card')
        .setDisplaySize(CARD_W + 22, CARD_H + 22)
        .setTint(COLORS.gold)
        .setBlendMode(Phaser.BlendModes.ADD)
        .setAlpha(0.5);
      card.box.addAt(edge, 0);
      card.front.push(edge);
      this.scene.tweens.add({
        targets: edge,
        alpha: { from: 0.25, to: 0.8 },
        duration: 700,
        yoyo: true,
        repeat: -1,
        ease: 'Sine.easeInOut',
      });
    } else if (pull.rarity === 'epic') {
      this.burst(card.box.x, card.box.y, [STYLE.epic.color, 0xffffff], 20);
    }
  }

  /** The line under the cards naming the best of the pull. */
  private announce(pulls: PullView[]): void {
    const name = (id: string) => itemName(this.host.banner(), id);
    const best = RARITIES.find((r) => pulls.some((p) => p.rarity === r))!;
    const top = pulls.filter((p) => p.rarity === best);
    let text: string;
    if (pulls.length === 1)
      text = `${STYLE[best].label.toUpperCase()} · ${name(pulls[0].itemId)}${pulls[0].duplicate ? ' (duplicate)' : ' · NEW'}`;
    else if (best === 'legendary' || best === 'epic')
      text = `${STYLE[best].label.toUpperCase()}! ${top.map((p) => name(p.itemId)).join(', ')}`;
    else
      text = RARITIES.filter((r) => pulls.some((p) => p.rarity === r))
        .map((r) => `${pulls.filter((p) => p.rarity === r).length} ${r}`)
        .join(' · ');
    this.resultText.setColor(STYLE[best].css).setFontSize(24).setFontStyle('bold').setText(text).setScale(0.6).setAlpha(0);
    this.scene.tweens.add({ targets: this.resultText, scale: 1, alpha: 1, duration: 260, ease: 'Back.easeOut' });
  }

  /** A soft pulsing halo behind a card. */
  private glow(card: Card, base: number): void {
    const halo = this.scene.add
      .image(card.box.x, card.box.y, 'glow')
      .setTint(COLORS.gold)
      .setBlendMode(Phaser.BlendModes.ADD)
      .setScale(5 * card.scale)
      .setAlpha(base)
      .setDepth(-1);
    this.scene.tweens.add({
      targets: halo,
      alpha: { from: base + 0.25, to: base + 0.6 },
      scale: { from: 4.6 * card.scale, to: 5.6 * card.scale },
      duration: 900,
      yoyo: true,
      repeat: -1,
      ease: 'Sine.easeInOut',
    });
    this.fx.push(halo);
  }

  /** Slowly turning light rays behind a legendary card. */
  private rays(card: Card): void {
    const img = this.scene.add
      .image(card.box.x, card.box.y, 'gacha-rays')
      .setTint(COLORS.gold)
      .setBlendMode(Phaser.BlendModes.ADD)
      .setAlpha(0.3)
      .setScale(card.scale * 1.25)
      .setDepth(-1);
    this.scene.tweens.add({ targets: img, angle: 360, duration: 14000, repeat: -1 });
    this.fx.push(img);
  }

  private burst(x: number, y: number, tint: number[], n: number): void {
    const p = this.scene.add.particles(x, y, 'dot', {
      speed: { min: 90, max: 300 },
      lifespan: { min: 500, max: 1000 },
      scale: { start: 0.7, end: 0 },
      alpha: { start: 1, end: 0 },
      tint,
      blendMode: 'ADD',
      emitting: false,
    });
    p.explode(n);
    this.fx.push(p);
  }

  private tweenP(config: Phaser.Types.Tweens.TweenBuilderConfig): Promise<void> {
    return new Promise((resolve) => {
      this.scene.tweens.add({ ...config, onComplete: () => resolve(), onStop: () => resolve() });
    });
  }

  private waitP(ms: number): Promise<void> {
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => this.scene.time.delayedCall(ms, () => resolve()));
  }
}
