// Gacha: one banner room at a time (tabs switch banners by leaving and joining `gacha` with {banner}). The left panel
// shows the disclosed rates, duplicate conversions and the pity counter the server reports; 1× and 10× pulls (buttons
// or keys 1 / 0) deal face-down cards while the round commits, then flip them over on the server's result: colour by
// rarity, a glow and a burst for legendaries. Balances and pity only ever come from the server's answers.
import Phaser from 'phaser';
import type { Room } from '@colyseus/sdk';
import {
  BANNERS,
  RARITIES,
  type Banner,
  type DuplicateConversion,
  type GachaItem,
  type Rarity,
} from '../../../domain/games/gacha/banners.ts';
import { buildRarityTable, effectiveTopRate } from '../../../domain/games/gacha/odds.ts';
import { api } from '../net/api.ts';
import { ask, joinRoom, leaveRoom, RoomError } from '../net/rooms.ts';
import type { Balances, Currency } from '../net/types.ts';
import { navigate, refreshWallet } from '../app.ts';
import { setBalances, store, toast, watch } from '../state/store.ts';
import { COLORS } from '../config.ts';
import { fill, fmt, h } from '../ui/dom.ts';
import { setInfo } from '../testing/hooks.ts';
import '../ui/gacha-theme.css';
import { NeonScene } from './base.ts';

/** The `banner` message (docs/protocol.md), sent on join. */
interface BannerInfo {
  id: string;
  name: string;
  currency: Currency;
  cost: { single: number; ten: number };
  rates_bps: Record<Rarity, number>;
  pity_rules: { softStart: number; hard: number };
  items: Record<Rarity, readonly GachaItem[]>;
  duplicate: Record<Rarity, DuplicateConversion>;
  version: string;
  pity?: number;
}
interface PullView {
  rarity: Rarity;
  itemId: string;
  pityBefore: number;
  guaranteed: boolean;
  duplicate: boolean;
  conversion?: DuplicateConversion;
}
interface PullResult {
  round_id: string;
  cost: number;
  currency: Currency;
  pulls: PullView[];
  pity: number;
  converted: DuplicateConversion;
  fairness: { nonce: number };
  balances: Balances;
}
interface LegendaryEntry {
  username: string;
  itemId: string;
}

const STYLE: Record<Rarity, { color: number; css: string; body: number; label: string }> = {
  legendary: { color: COLORS.gold, css: '#ffc83d', body: 0x2e1f06, label: 'Legendary' },
  epic: { color: 0xc35cff, css: '#c35cff', body: 0x22093a, label: 'Epic' },
  rare: { color: 0x3ea8ff, css: '#3ea8ff', body: 0x081a3c, label: 'Rare' },
  common: { color: 0x9aa3c7, css: '#9aa3c7', body: 0x161433, label: 'Common' },
};
const TABS = BANNERS.map((b) => b.id);
const CARD_W = 160,
  CARD_H = 220;
const STAGE_Y = 318;
const DECK = { x: 640, y: 560 };
/** sessionStorage key under which rooms.ts keeps the gacha seat for a reload */
const SEAT_KEY = 'neon.room.gacha';

/** One card on the stage: a container holding a back face and a front face (filled in on reveal). */
interface Card {
  box: Phaser.GameObjects.Container;
  back: Phaser.GameObjects.GameObject[];
  front: Phaser.GameObjects.GameObject[];
  scale: number;
}

export class GachaScene extends NeonScene {
  private room: Room | null = null;
  private joinSeq = 0;
  private bannerId = 'neon-standard';
  private banner!: BannerInfo;
  private pity: number | null = null;
  private pulling = false;
  private pulls = 0;
  private legendaries: LegendaryEntry[] = [];
  private playersHere = 0;
  private lastPull: PullResult | null = null;
  /** counts entries into the scene: work started on an earlier visit must not touch this one */
  private visit = 0;
  /** balances of a committed pull whose reveal is still running */
  private unshownBalances: Balances | null = null;
  // canvas
  private cards: Card[] = [];
  private fx: Phaser.GameObjects.GameObject[] = [];
  private nameText!: Phaser.GameObjects.Text;
  private subText!: Phaser.GameObjects.Text;
  private resultText!: Phaser.GameObjects.Text;
  private portal!: Phaser.GameObjects.Graphics;
  // DOM
  private tabs!: HTMLElement;
  private rates!: HTMLElement;
  private pityBox!: HTMLElement;
  private pullList!: HTMLElement;
  private legendList!: HTMLElement;
  private message!: HTMLElement;
  private pull1!: HTMLButtonElement;
  private pull10!: HTMLButtonElement;
  private cost1!: HTMLElement;
  private cost10!: HTMLElement;

  constructor() {
    super('gacha');
  }

  protected async build(): Promise<void> {
    this.visit++;
    this.makeTextures();
    this.pulls = 0;
    this.pity = null;
    this.pulling = false;
    this.cards = [];
    this.fx = [];
    this.lastPull = null;
    this.banner = fromDomain(BANNERS.find((b) => b.id === this.bannerId) ?? BANNERS[0]);
    this.portal = this.add.graphics({ x: DECK.x, y: DECK.y });
    this.drawPortal();
    this.tweens.add({
      targets: this.portal,
      alpha: { from: 0.55, to: 1 },
      scaleX: { from: 0.96, to: 1.04 },
      duration: 1800,
      yoyo: true,
      repeat: -1,
      ease: 'Sine.easeInOut',
    });
    this.nameText = this.add
      .text(this.centerX, 92, '', { fontFamily: 'DejaVu Sans', fontSize: '38px', fontStyle: 'bold', color: '#ffd6fb' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#ff3df2', 16, true, true);
    this.subText = this.add.text(this.centerX, 130, '', { fontFamily: 'DejaVu Sans', fontSize: '16px', color: '#a99fd6' }).setOrigin(0.5);
    this.resultText = this.add
      .text(this.centerX, 512, '', { fontFamily: 'DejaVu Sans', fontSize: '24px', fontStyle: 'bold', color: '#ffc83d' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#000000', 8, true, true);
    const onStageClick = () => this.skip();
    this.input.on(Phaser.Input.Events.POINTER_DOWN, onStageClick);
    this.onCleanup(() => this.input.off(Phaser.Input.Events.POINTER_DOWN, onStageClick));

    this.screen.classList.add('game', 'gacha');
    this.tabs = h('div', {
      class: 'tabs',
      role: 'tablist',
      'aria-label': 'Banners',
      onkeydown: (e: KeyboardEvent) => {
        if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
        e.preventDefault();
        const next = TABS[(TABS.indexOf(this.bannerId) + (e.key === 'ArrowRight' ? 1 : TABS.length - 1)) % TABS.length];
        void this.selectBanner(next); // re-renders the tabs at once, before joining the banner's room
        this.tabs.querySelector<HTMLButtonElement>(`[data-testid="gacha-tab-${next}"]`)?.focus();
      },
    });
    this.rates = h('div', { testid: 'gacha-rates' });
    this.pityBox = h('div', { testid: 'gacha-pity-box' });
    this.pullList = h('div', { testid: 'gacha-results' });
    this.legendList = h('div', { testid: 'gacha-legendaries' });
    this.message = h('div', { class: 'message', role: 'alert', testid: 'gacha-error', hidden: true });
    this.cost1 = h('span', { class: 'cost' });
    this.cost10 = h('span', { class: 'cost' });
    this.pull1 = h(
      'button',
      { class: 'primary big', testid: 'gacha-pull-1', disabled: true, onclick: () => void this.pull(1), 'aria-keyshortcuts': '1' },
      'Pull 1×',
      h('br'),
      this.cost1,
    );
    this.pull10 = h(
      'button',
      { class: 'primary big', testid: 'gacha-pull-10', disabled: true, onclick: () => void this.pull(10), 'aria-keyshortcuts': '0' },
      'Pull 10×',
      h('br'),
      this.cost10,
    );
    this.screen.append(
      h(
        'aside',
        { class: 'panel side left', 'aria-label': 'Banner' },
        this.tabs,
        h('h2', {}, 'Disclosed rates'),
        this.rates,
        h('h2', { style: { marginTop: '.9em' } }, 'Pity'),
        this.pityBox,
      ),
      h(
        'aside',
        { class: 'panel side right', 'aria-label': 'Results' },
        h('h2', {}, 'Your last pull'),
        this.pullList,
        h('h2', { style: { marginTop: '.9em' } }, 'Legendary pulls here'),
        this.legendList,
      ),
      this.message,
      h(
        'div',
        { class: 'controls' },
        this.pull1,
        this.pull10,
        h(
          'span',
          { class: 'muted small' },
          h('kbd', {}, '1'),
          ' pulls once · ',
          h('kbd', {}, '0'),
          ' pulls ten',
          h('br'),
          'click the cards to skip · ',
          h('a', { href: '#/fairness', style: { color: 'var(--cyan)' } }, 'verify rounds'),
        ),
      ),
    );
    const onKey = (e: KeyboardEvent) => {
      const tag = (e.target as HTMLElement | null)?.tagName;
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '1') {
        e.preventDefault();
        void this.pull(1);
      } else if (e.key === '0') {
        e.preventDefault();
        void this.pull(10);
      } else if (e.key === 'Escape' || ((e.key === ' ' || e.key === 'Enter') && this.pulling)) {
        if (this.pulling) {
          e.preventDefault();
          this.skip();
        }
      }
    };
    window.addEventListener('keydown', onKey);
    this.onCleanup(() => window.removeEventListener('keydown', onKey));
    this.onCleanup(() => {
      this.time.timeScale = 1;
      this.tweens.timeScale = 1;
    });
    this.onCleanup(
      watch(
        (st) => st.dashboard.balances,
        () => this.updateControls(),
      ),
    );

    this.renderAll();
    this.showShowcase();
    this.setPulling(false);
    await Promise.all([this.connect(this.bannerId), this.loadBalances()]);
  }

  /** The wallet as the server has it, for the top bar and the cost hints. */
  private async loadBalances(): Promise<void> {
    try {
      await refreshWallet();
    } catch {
      /* the top bar keeps what it had */
    }
  }

  protected override dispose(): void {
    if (this.unshownBalances) setBalances(this.unshownBalances);
    this.unshownBalances = null;
    this.joinSeq++;
    void leaveRoom(this.room);
    this.room = null;
  }

  // ---------------------------------------------------------------- room

  /** Leaves the current banner room (if any) and joins `id`'s; resolves once its `banner` message arrived. */
  private async connect(id: string): Promise<void> {
    const seq = ++this.joinSeq;
    const previous = this.room;
    this.room = null;
    this.legendaries = [];
    this.playersHere = 0;
    this.updateControls();
    await leaveRoom(previous);
    try {
      // a seat kept for a page reload would rejoin whichever banner it was on, without the `banner` greeting: start afresh
      const heldSeat = sessionStorage.getItem(SEAT_KEY) !== null;
      let room = await joinRoom('gacha', { banner: id });
      if (heldSeat) {
        await leaveRoom(room);
        room = await joinRoom('gacha', { banner: id });
      }
      if (seq !== this.joinSeq || !this.active) {
        void leaveRoom(room);
        return;
      }
      const greeted = new Promise<void>((resolve) => {
        room.onMessage('banner', (b: BannerInfo) => {
          if (room !== this.room) return;
          this.banner = b;
          if (typeof b.pity === 'number') this.setPity(b.pity);
          this.renderAll();
          if (!this.pulling && !this.lastPull) this.showShowcase();
          resolve();
        });
      });
      room.onMessage('legendary', (l: { username: string; item_id: string; banner_id: string }) => {
        if (room !== this.room || l.username === store.getState().auth.username) return;
        toast(`${l.username} pulled a legendary: ${this.itemName(l.item_id)}!`, 'reward');
      });
      room.onMessage('error', (e: { code?: string; message?: string; ref?: unknown }) => {
        if (room === this.room && e?.ref === undefined) this.showMessage(e?.message ?? 'The banner refused that.');
      });
      room.onStateChange((s: any) => {
        if (room !== this.room) return;
        const list: LegendaryEntry[] = [];
        s?.legendaries?.forEach?.((l: any) => list.push({ username: l.username, itemId: l.itemId }));
        this.legendaries = list;
        this.playersHere = Number(s?.players ?? 0);
        this.renderLegendaries();
      });
      room.onLeave(() => {
        if (room !== this.room || !this.active) return;
        this.room = null;
        this.updateControls();
        this.showMessage(
          'The connection to the banner was lost.',
          h(
            'button',
            {
              testid: 'gacha-rejoin',
              onclick: () => {
                this.hideMessage();
                void this.connect(this.bannerId);
              },
            },
            'Rejoin',
          ),
        );
      });
      this.room = room;
      await Promise.race([greeted, new Promise<void>((r) => setTimeout(r, 5000))]);
      if (seq !== this.joinSeq || !this.active) return;
      setInfo('banner', id);
      this.updateControls();
    } catch (err) {
      if (seq !== this.joinSeq || !this.active) return;
      this.showMessage(
        `Could not open the ${this.banner.name} banner: ${err instanceof Error ? err.message : 'unknown error'}`,
        h(
          'button',
          {
            testid: 'gacha-rejoin',
            onclick: () => {
              this.hideMessage();
              void this.connect(this.bannerId);
            },
          },
          'Try again',
        ),
      );
    }
  }

  private async selectBanner(id: string): Promise<void> {
    if (this.pulling || id === this.bannerId) return;
    this.bannerId = id;
    this.banner = fromDomain(BANNERS.find((b) => b.id === id)!);
    this.pity = null;
    this.lastPull = null;
    this.hideMessage();
    setInfo('banner', '');
    this.renderAll();
    this.showShowcase();
    await this.connect(id);
  }

  // ---------------------------------------------------------------- pulling

  private async pull(count: 1 | 10): Promise<void> {
    if (this.pulling || !this.room) return;
    const room = this.room;
    const v = this.visit;
    const live = () => this.active && v === this.visit;
    this.hideMessage();
    this.setPulling(true);
    const stage = this.deal(count);
    try {
      const { body } = await ask<PullResult>(room, 'pull', { count }, ['pull_result']);
      // committed: the top bar shows these after the reveal, or at once if the player leaves before it ends
      this.unshownBalances = body.balances;
      if (live()) await stage.reveal(body.pulls);
      if (!live()) {
        setBalances(body.balances);
        return;
      }
      this.unshownBalances = null;
      setBalances(body.balances);
      this.setPity(body.pity);
      this.lastPull = body;
      this.pulls++;
      setInfo('lastRarities', body.pulls.map((p) => p.rarity).join(','));
      setInfo('lastRound', body.round_id);
      this.renderPull(body);
      this.renderPity();
    } catch (err) {
      if (!live()) return;
      stage.cancel();
      this.showMessage(this.describe(err));
    } finally {
      if (live()) this.setPulling(false);
    }
  }

  private describe(err: unknown): string {
    if (err instanceof RoomError && err.code === 'wallet/insufficient_funds') {
      const d = err.details as { currency?: string; balance?: number; required?: number };
      const currency = d.currency ?? this.banner.currency;
      return `Not enough ${currency}: this pull costs ${fmt(Number(d.required ?? 0))} ${currency} and you have ${fmt(Number(d.balance ?? 0))}.`;
    }
    return err instanceof Error ? err.message : 'The pull failed.';
  }

  private setPulling(on: boolean): void {
    this.pulling = on;
    setInfo('pulling', on);
    setInfo('pulls', this.pulls);
    if (!on) {
      this.time.timeScale = 1;
      this.tweens.timeScale = 1;
    }
    this.updateControls();
  }

  private setPity(n: number): void {
    this.pity = n;
    setInfo('pity', n);
  }

  /** Fast-forwards a reveal in progress (click, Space, Enter or Escape). */
  private skip(): void {
    if (!this.pulling) return;
    this.time.timeScale = 6;
    this.tweens.timeScale = 6;
  }

  // ---------------------------------------------------------------- canvas: stage

  private clearStage(): void {
    for (const c of this.cards) {
      this.tweens.killTweensOf(c.box);
      c.box.destroy();
    }
    for (const o of this.fx) {
      this.tweens.killTweensOf(o);
      o.destroy();
    }
    this.cards = [];
    this.fx = [];
    this.resultText.setText('');
  }

  /** Slots for n cards: one large card, or two rows of five. */
  private slots(n: number): Array<{ x: number; y: number; scale: number }> {
    if (n === 1) return [{ x: this.centerX, y: STAGE_Y, scale: 1.15 }];
    const scale = 0.7,
      w = CARD_W * scale,
      gap = 16;
    const x0 = this.centerX - (5 * w + 4 * gap) / 2 + w / 2;
    return Array.from({ length: n }, (_, i) => ({
      x: x0 + (i % 5) * (w + gap),
      y: STAGE_Y - 84 + Math.floor(i / 5) * (CARD_H * scale + 14),
      scale,
    }));
  }

  /** The banner's legendaries face up, gently floating, until the first pull. */
  private showShowcase(): void {
    this.clearStage();
    const featured = this.banner.items.legendary;
    const gap = 200,
      x0 = this.centerX - ((featured.length - 1) * gap) / 2;
    featured.forEach((item, i) => {
      const card = this.makeCard(x0 + i * gap, STAGE_Y - 10, 0.95);
      this.setFace(card, { rarity: 'legendary', itemId: item.id, pityBefore: 0, guaranteed: false, duplicate: false }, true);
      this.showFront(card);
      this.glow(card, 0.35);
      this.tweens.add({ targets: card.box, y: card.box.y - 10, duration: 1600 + i * 250, yoyo: true, repeat: -1, ease: 'Sine.easeInOut' });
    });
    const hard = this.banner.pity_rules.hard;
    this.resultText
      .setColor('#a99fd6')
      .setFontSize(17)
      .setFontStyle('normal')
      .setText(`Featured legendaries · ${pct(this.banner.rates_bps.legendary / 10000)} per pull · guaranteed by pull ${hard}`);
  }

  /** Deals `count` cards face down from the portal; the returned stage flips them on the result (or clears them). */
  private deal(count: number): { reveal: (pulls: PullView[]) => Promise<void>; cancel: () => void } {
    this.clearStage();
    const v = this.visit;
    const live = () => this.active && v === this.visit;
    const slots = this.slots(count);
    const cards = slots.map((s) => this.makeCard(DECK.x, DECK.y, s.scale));
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
    const shimmer = this.tweens.add({ targets: cards.map((c) => c.box), alpha: 0.8, duration: 380, yoyo: true, repeat: -1, delay: 420 });
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
        for (const c of cards)
          this.tweens.add({ targets: c.box, alpha: 0, y: c.box.y + 30, duration: 220, onComplete: () => c.box.destroy() });
        this.cards = this.cards.filter((c) => !cards.includes(c));
        this.time.delayedCall(260, () => {
          if (live() && !this.pulling && this.cards.length === 0) this.showShowcase();
        });
      },
    };
  }

  /** Flips one card to its pull: squash, swap faces, stretch back; legendaries build up first and burst after. */
  private async flip(card: Card, pull: PullView): Promise<void> {
    this.setFace(card, pull);
    const s = card.scale;
    if (pull.rarity === 'legendary') {
      this.glow(card, 0);
      await this.tweenP({ targets: card.box, x: card.box.x + 4, duration: 45, yoyo: true, repeat: 5 });
    }
    await this.tweenP({ targets: card.box, scaleX: 0, scaleY: s * 1.06, duration: 120, ease: 'Sine.easeIn' });
    this.showFront(card);
    await this.tweenP({ targets: card.box, scaleX: s, scaleY: s, duration: 170, ease: 'Back.easeOut' });
    if (pull.rarity === 'legendary') {
      this.cameras.main.flash(260, 255, 210, 90);
      this.burst(card.box.x, card.box.y, [COLORS.gold, 0xffffff, 0xffe9a0], 46);
      this.rays(card);
      const edge = this.add
        .image(0, 0, 'card')
        .setDisplaySize(CARD_W + 22, CARD_H + 22)
        .setTint(COLORS.gold)
        .setBlendMode(Phaser.BlendModes.ADD)
        .setAlpha(0.5);
      card.box.addAt(edge, 0);
      card.front.push(edge);
      this.tweens.add({ targets: edge, alpha: { from: 0.25, to: 0.8 }, duration: 700, yoyo: true, repeat: -1, ease: 'Sine.easeInOut' });
    } else if (pull.rarity === 'epic') {
      this.burst(card.box.x, card.box.y, [STYLE.epic.color, 0xffffff], 20);
    }
  }

  private announce(pulls: PullView[]): void {
    const best = RARITIES.find((r) => pulls.some((p) => p.rarity === r))!;
    const top = pulls.filter((p) => p.rarity === best);
    let text: string;
    if (pulls.length === 1)
      text = `${STYLE[best].label.toUpperCase()} · ${this.itemName(pulls[0].itemId)}${pulls[0].duplicate ? ' (duplicate)' : ' · NEW'}`;
    else if (best === 'legendary' || best === 'epic')
      text = `${STYLE[best].label.toUpperCase()}! ${top.map((p) => this.itemName(p.itemId)).join(', ')}`;
    else
      text = RARITIES.filter((r) => pulls.some((p) => p.rarity === r))
        .map((r) => `${pulls.filter((p) => p.rarity === r).length} ${r}`)
        .join(' · ');
    this.resultText.setColor(STYLE[best].css).setFontSize(24).setFontStyle('bold').setText(text).setScale(0.6).setAlpha(0);
    this.tweens.add({ targets: this.resultText, scale: 1, alpha: 1, duration: 260, ease: 'Back.easeOut' });
  }

  private makeCard(x: number, y: number, scale: number): Card {
    const border = this.add
      .image(0, 0, 'card')
      .setDisplaySize(CARD_W + 8, CARD_H + 8)
      .setTint(COLORS.pink);
    const body = this.add.image(0, 0, 'card').setTint(0x1b0d47);
    const pattern = this.add.image(0, 0, 'gacha-back');
    const mark = this.add
      .text(0, 0, 'N', { fontFamily: 'DejaVu Sans', fontSize: '64px', fontStyle: 'bold', color: '#ffd6fb' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#ff3df2', 14, true, true);
    const label = this.add.text(0, 78, 'NEON CLUB', { fontFamily: 'DejaVu Sans', fontSize: '12px', color: '#a99fd6' }).setOrigin(0.5);
    const box = this.add.container(x, y, [border, body, pattern, mark, label]).setScale(scale).setSize(CARD_W, CARD_H);
    const card: Card = { box, back: [border, body, pattern, mark, label], front: [], scale };
    this.cards.push(card);
    return card;
  }

  /** Builds the front face of a card (hidden until showFront). */
  private setFace(card: Card, pull: PullView, showcase = false): void {
    for (const o of card.front) o.destroy();
    const st = STYLE[pull.rarity];
    const border = this.add
      .image(0, 0, 'card')
      .setDisplaySize(CARD_W + 8, CARD_H + 8)
      .setTint(st.color);
    const body = this.add.image(0, 0, 'card').setTint(st.body);
    const shine = this.add.image(0, -30, 'glow').setTint(st.color).setScale(2.2).setAlpha(0.55).setBlendMode(Phaser.BlendModes.ADD);
    const emblem = this.add.image(0, -32, `gacha-emblem-${pull.rarity}`);
    const tag = showcase ? '★ FEATURED' : pull.duplicate ? 'DUPLICATE' : 'NEW';
    const tagText = this.add
      .text(0, -92, tag, {
        fontFamily: 'DejaVu Sans',
        fontSize: '13px',
        fontStyle: 'bold',
        color: pull.duplicate ? '#a99fd6' : showcase ? '#ffc83d' : '#53f29a',
      })
      .setOrigin(0.5);
    const name = this.add
      .text(0, 30, this.itemName(pull.itemId), {
        fontFamily: 'DejaVu Sans',
        fontSize: '19px',
        fontStyle: 'bold',
        color: '#ffffff',
        align: 'center',
        wordWrap: { width: CARD_W - 20 },
      })
      .setOrigin(0.5);
    const rarity = this.add
      .text(0, 66, st.label.toUpperCase(), { fontFamily: 'DejaVu Sans', fontSize: '14px', fontStyle: 'bold', color: st.css })
      .setOrigin(0.5);
    const conv = pull.conversion
      ? [
          pull.conversion.shards ? `+${shards(pull.conversion.shards)}` : '',
          pull.conversion.gold ? `+${fmt(pull.conversion.gold)} GOLD` : '',
        ]
          .filter(Boolean)
          .join(' · ')
      : '';
    const convText = this.add.text(0, 90, conv, { fontFamily: 'DejaVu Sans', fontSize: '12px', color: '#ffc83d' }).setOrigin(0.5);
    card.front = [border, body, shine, emblem, tagText, name, rarity, convText];
    for (const o of card.front) (o as Phaser.GameObjects.Image).setVisible(false);
    card.box.add(card.front);
  }

  private showFront(card: Card): void {
    for (const o of card.back) (o as Phaser.GameObjects.Image).setVisible(false);
    for (const o of card.front) (o as Phaser.GameObjects.Image).setVisible(true);
  }

  /** A soft pulsing halo behind a card. */
  private glow(card: Card, base: number): void {
    const halo = this.add
      .image(card.box.x, card.box.y, 'glow')
      .setTint(COLORS.gold)
      .setBlendMode(Phaser.BlendModes.ADD)
      .setScale(5 * card.scale)
      .setAlpha(base)
      .setDepth(-1);
    this.tweens.add({
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
    const img = this.add
      .image(card.box.x, card.box.y, 'gacha-rays')
      .setTint(COLORS.gold)
      .setBlendMode(Phaser.BlendModes.ADD)
      .setAlpha(0.3)
      .setScale(card.scale * 1.25)
      .setDepth(-1);
    this.tweens.add({ targets: img, angle: 360, duration: 14000, repeat: -1 });
    this.fx.push(img);
  }

  private burst(x: number, y: number, tint: number[], n: number): void {
    const p = this.add.particles(x, y, 'dot', {
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

  /** The ring the cards are dealt from (drawn once; a tween makes it breathe). */
  private drawPortal(): void {
    const g = this.portal.clear();
    for (let i = 0; i < 4; i++) {
      g.lineStyle(2, i % 2 ? COLORS.cyan : COLORS.pink, 0.32 - i * 0.05);
      g.strokeEllipse(0, 0, 185 + i * 38, 36 + i * 9);
    }
  }

  private makeTextures(): void {
    if (this.textures.exists('gacha-back')) return;
    const g = this.make.graphics({}, false);
    g.lineStyle(1, 0x7b5cff, 0.35);
    for (let d = -CARD_H; d < CARD_W + CARD_H; d += 18) {
      g.lineBetween(d, 0, d + CARD_H, CARD_H);
      g.lineBetween(d + CARD_H, 0, d, CARD_H);
    }
    g.lineStyle(3, COLORS.pink, 0.9).strokeCircle(CARD_W / 2, CARD_H / 2, 50);
    g.lineStyle(1, COLORS.cyan, 0.7).strokeCircle(CARD_W / 2, CARD_H / 2, 58);
    g.fillStyle(0x1b0d47, 1).fillCircle(CARD_W / 2, CARD_H / 2, 48);
    g.generateTexture('gacha-back', CARD_W, CARD_H);
    g.clear();
    for (let i = 0; i < 16; i++) {
      const a = (i / 16) * Math.PI * 2,
        w = Math.PI / 40;
      g.fillStyle(0xffffff, 0.5).fillTriangle(
        200,
        200,
        200 + Math.cos(a - w) * 200,
        200 + Math.sin(a - w) * 200,
        200 + Math.cos(a + w) * 200,
        200 + Math.sin(a + w) * 200,
      );
    }
    g.generateTexture('gacha-rays', 400, 400);
    const emblems: Record<Rarity, number> = { common: 0, rare: 4, epic: 5, legendary: 8 };
    for (const r of RARITIES) {
      g.clear();
      const c = 40,
        pts = emblems[r],
        st = STYLE[r];
      if (pts === 0) {
        g.fillStyle(st.color, 1).fillCircle(c, c, 22);
        g.lineStyle(3, 0xffffff, 0.6).strokeCircle(c, c, 28);
      } else {
        const outer = r === 'legendary' ? 38 : 34,
          inner = pts === 4 ? 14 : r === 'legendary' ? 17 : 15;
        const points: Phaser.Math.Vector2[] = [];
        for (let i = 0; i < pts * 2; i++) {
          const a = -Math.PI / 2 + (i * Math.PI) / pts,
            rad = i % 2 ? inner : outer;
          points.push(new Phaser.Math.Vector2(c + Math.cos(a) * rad, c + Math.sin(a) * rad));
        }
        g.fillStyle(st.color, 1).fillPoints(points, true);
        g.lineStyle(2, 0xffffff, 0.75).strokePoints(points, true);
        g.fillStyle(0xffffff, 0.85).fillCircle(c, c, r === 'legendary' ? 7 : 5);
      }
      g.generateTexture(`gacha-emblem-${r}`, 80, 80);
    }
    g.destroy();
  }

  private tweenP(config: Phaser.Types.Tweens.TweenBuilderConfig): Promise<void> {
    return new Promise((resolve) => {
      this.tweens.add({ ...config, onComplete: () => resolve(), onStop: () => resolve() });
    });
  }

  private waitP(ms: number): Promise<void> {
    return ms <= 0 ? Promise.resolve() : new Promise((resolve) => this.time.delayedCall(ms, () => resolve()));
  }

  // ---------------------------------------------------------------- DOM

  private itemName(id: string): string {
    for (const r of RARITIES) {
      const found = this.banner.items[r].find((i) => i.id === id);
      if (found) return found.name;
    }
    for (const b of BANNERS)
      for (const r of RARITIES) {
        const f = b.items[r].find((i) => i.id === id);
        if (f) return f.name;
      }
    return id;
  }

  private renderAll(): void {
    const b = this.banner;
    this.nameText.setText(b.name.toUpperCase());
    this.subText.setText(
      `${b.currency} banner · ${fmt(b.cost.single)} ${b.currency} a pull · ${fmt(b.cost.ten)} for ten (a rare or better guaranteed)`,
    );
    fill(
      this.tabs,
      ...TABS.map((id) => {
        const info = BANNERS.find((x) => x.id === id)!;
        return h(
          'button',
          {
            role: 'tab',
            'aria-selected': String(id === this.bannerId),
            testid: `gacha-tab-${id}`,
            disabled: this.pulling,
            onclick: () => void this.selectBanner(id),
          },
          info.name,
          h('span', { class: 'small' }, info.currency),
        );
      }),
    );
    const eff = effectiveTopRate(toDomain(b), 1);
    fill(
      this.rates,
      h(
        'table',
        { class: 'rates' },
        h('thead', {}, h('tr', {}, h('th', {}, 'Rarity'), h('th', { class: 'num' }, 'Rate'), h('th', { class: 'num' }, 'Duplicate gives'))),
        h(
          'tbody',
          {},
          ...RARITIES.map((r) =>
            h(
              'tr',
              { testid: `gacha-rate-${r}` },
              h(
                'td',
                { class: `r-${r}`, title: `${b.items[r].length} items: ${b.items[r].map((i) => i.name).join(', ')}` },
                h('span', { class: 'swatch' }),
                STYLE[r].label,
              ),
              h('td', { class: 'num' }, pct(b.rates_bps[r] / 10000)),
              h('td', { class: 'num' }, ...conversionLines(b.duplicate[r])),
            ),
          ),
        ),
      ),
      h(
        'p',
        { class: 'small muted', style: { margin: '.5em 0 0' } },
        `With pity, one pull in ${Math.round(1 / eff)} is legendary on average (${pct(eff)}).`,
      ),
    );
    this.renderPity();
    this.renderPull(this.lastPull);
    this.renderLegendaries();
    this.updateControls();
  }

  private renderPity(): void {
    const { softStart, hard } = this.banner.pity_rules;
    const p = this.pity;
    const next = p === null ? null : buildRarityTable(toDomain(this.banner), p);
    fill(
      this.pityBox,
      h(
        'div',
        { class: 'row', style: { justifyContent: 'space-between' } },
        h(
          'span',
          {},
          h('span', { class: 'pity-num', testid: 'gacha-pity' }, p === null ? '…' : String(p)),
          h('span', { class: 'muted' }, ` / ${hard} pulls`),
        ),
        h('span', { class: 'small muted' }, p === null ? '' : `${hard - p} to guarantee`),
      ),
      h(
        'div',
        {
          class: 'pity',
          role: 'progressbar',
          'aria-label': 'Pulls since the last legendary',
          'aria-valuemin': '0',
          'aria-valuemax': String(hard),
          'aria-valuenow': String(p ?? 0),
        },
        h('div', { class: 'bar' }, h('i', { style: { width: `${Math.round(((p ?? 0) / hard) * 100)}%` } })),
        h('span', { class: 'mark', title: `soft pity from pull ${softStart}`, style: { left: `${((softStart - 1) / hard) * 100}%` } }),
      ),
      h(
        'p',
        { class: 'small muted', style: { margin: '.3em 0' } },
        `Pulls since your last legendary. Soft pity raises the chance from pull ${softStart}; pull ${hard} is always legendary.`,
      ),
      next
        ? h(
            'p',
            { class: 'small' },
            'Next pull legendary chance: ',
            h('b', { class: 'r-legendary', testid: 'gacha-next-chance' }, pct(next.weights.legendary / next.total)),
          )
        : null,
    );
  }

  private renderPull(r: PullResult | null): void {
    if (!r) {
      fill(
        this.pullList,
        h('p', { class: 'muted small' }, 'Pull to reveal cards: new items go to your inventory, duplicates turn into shards and GOLD.'),
      );
      return;
    }
    const conv =
      r.converted.shards || r.converted.gold
        ? h('div', { class: 'summary', testid: 'gacha-converted' }, 'Duplicates converted: ', h('b', {}, conversionText(r.converted)))
        : null;
    fill(
      this.pullList,
      h(
        'p',
        { class: 'small muted', style: { margin: '0 0 .3em' } },
        `${r.pulls.length} pull${r.pulls.length > 1 ? 's' : ''} · paid ${fmt(r.cost)} ${r.currency} · nonce ${r.fairness?.nonce ?? '–'}`,
      ),
      conv,
      ...r.pulls.map((p, i) =>
        h(
          'div',
          { class: 'pull-row', testid: `gacha-result-${i}`, 'data-rarity': p.rarity },
          h('span', { class: `r-${p.rarity}` }, h('span', { class: 'swatch' }), this.itemName(p.itemId)),
          p.duplicate
            ? h('span', { class: 'tag dup', title: 'duplicate' }, p.conversion ? conversionText(p.conversion) : 'duplicate')
            : h('span', { class: 'tag new' }, p.guaranteed ? 'NEW · guaranteed' : 'NEW'),
        ),
      ),
    );
  }

  private renderLegendaries(): void {
    const list = this.legendaries.slice(-8).reverse();
    fill(
      this.legendList,
      h(
        'p',
        { class: 'small muted', style: { margin: '0 0 .3em' } },
        `${this.playersHere || 1} player${this.playersHere > 1 ? 's' : ''} on this banner`,
      ),
      ...(list.length
        ? list.map((l) =>
            h('div', { class: 'pull-row' }, h('span', {}, l.username), h('span', { class: 'r-legendary' }, `★ ${this.itemName(l.itemId)}`)),
          )
        : [h('p', { class: 'muted small' }, 'No legendary yet in this room. Be the first!')]),
    );
  }

  private updateControls(): void {
    if (!this.pull1) return;
    const b = this.banner;
    const ready = !!this.room && !this.pulling;
    this.pull1.disabled = !ready;
    this.pull10.disabled = !ready;
    const bal = store.getState().dashboard.balances;
    const have = bal ? bal[b.currency] : null;
    this.cost1.textContent = `${fmt(b.cost.single)} ${b.currency}`;
    this.cost10.textContent = `${fmt(b.cost.ten)} ${b.currency}`;
    this.cost1.classList.toggle('loss', have !== null && have < b.cost.single);
    this.cost10.classList.toggle('loss', have !== null && have < b.cost.ten);
    this.tabs.querySelectorAll('button').forEach((el) => {
      (el as HTMLButtonElement).disabled = this.pulling;
    });
  }

  private showMessage(text: string, action?: HTMLElement): void {
    const shop =
      this.banner.currency === 'GEM' && /Not enough GEM/.test(text)
        ? h('button', { testid: 'gacha-go-shop', onclick: () => navigate('shop') }, 'Shop for GEM')
        : null;
    fill(this.message, h('span', {}, text), action ?? shop);
    this.message.hidden = false;
    setInfo('gachaError', text);
  }

  private hideMessage(): void {
    this.message.hidden = true;
    fill(this.message);
    setInfo('gachaError', '');
  }
}

function fromDomain(b: Banner): BannerInfo {
  return {
    id: b.id,
    name: b.name,
    currency: b.currency,
    cost: b.cost,
    rates_bps: b.ratesBps,
    pity_rules: b.pity,
    items: b.items,
    duplicate: b.duplicate,
    version: b.version,
  };
}

function toDomain(b: BannerInfo): Banner {
  const known = BANNERS.find((x) => x.id === b.id);
  return {
    version: 'gacha-v1',
    id: b.id,
    name: b.name,
    currency: b.currency,
    cost: b.cost,
    ratesBps: b.rates_bps,
    pity: b.pity_rules,
    items: b.items,
    shardItemId: known?.shardItemId ?? '',
    duplicate: b.duplicate,
  };
}

function conversionText(c: DuplicateConversion): string {
  const parts = [c.shards ? shards(c.shards) : '', c.gold ? `${fmt(c.gold)} GOLD` : ''].filter(Boolean);
  return parts.length ? `+${parts.join(' + ')}` : '—';
}

function conversionLines(c: DuplicateConversion): HTMLElement[] {
  const lines = [c.shards ? `+${shards(c.shards)}` : '', c.gold ? `+${fmt(c.gold)} GOLD` : ''].filter(Boolean);
  return (lines.length ? lines : ['—']).map((l) => h('div', {}, l));
}

function shards(n: number): string {
  return `${fmt(n)} shard${n === 1 ? '' : 's'}`;
}

function pct(x: number): string {
  const v = x * 100;
  return `${v >= 10 ? v.toFixed(0) : v >= 1 ? v.toFixed(1) : v.toFixed(2)}%`;
}
