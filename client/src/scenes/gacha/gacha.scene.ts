// Gacha: one banner room at a time (tabs switch banners by leaving and joining `gacha` with {banner}). The left panel
// shows the disclosed rates, duplicate conversions and the pity counter the server reports; 1× and 10× pulls (buttons
// or keys 1 / 0) deal face-down cards while the round commits, then flip them over on the server's result: colour by
// rarity, a glow and a burst for legendaries. Balances and pity only ever come from the server's answers.
// This file holds the scene's life; the stage, the controls, the panels and the room wiring live beside it.
import Phaser from 'phaser';
import type { Room } from '@colyseus/sdk';
import { BANNERS } from '../../../../domain/games/gacha/banners.ts';
import { leaveRoom } from '../../net/rooms.ts';
import type { Balances } from '../../net/types.ts';
import { navigate, refreshWallet } from '../../app.ts';
import { setBalances, store, toast, watch } from '../../state/store.ts';
import { h } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import { NeonScene } from '../base.ts';
import { GachaControls } from './gacha.controls.ts';
import { itemName } from './gacha.format.ts';
import {
  describePullError,
  fromDomain,
  joinBanner,
  sendPull,
  wireBanner,
  type BannerInfo,
  type LegendaryEntry,
  type PullResult,
} from './gacha.net.ts';
import { renderLegendaries, renderPity, renderPull, renderRates } from './gacha.panels.ts';
import { GachaStage } from './gacha.stage.ts';

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
  private stage!: GachaStage;
  private controls: GachaControls | null = null;

  constructor() {
    super('gacha');
  }

  protected async build(): Promise<void> {
    const v = ++this.visit;
    this.pulls = 0;
    this.pity = null;
    this.pulling = false;
    this.lastPull = null;
    this.controls = null;
    this.banner = fromDomain(BANNERS.find((b) => b.id === this.bannerId) ?? BANNERS[0]);
    this.stage = new GachaStage(this, {
      live: () => this.active && v === this.visit,
      pulling: () => this.pulling,
      banner: () => this.banner,
    });
    const onStageClick = () => this.skip();
    this.input.on(Phaser.Input.Events.POINTER_DOWN, onStageClick);
    this.onCleanup(() => this.input.off(Phaser.Input.Events.POINTER_DOWN, onStageClick));
    this.controls = new GachaControls(this.screen, {
      pull: (count) => void this.pull(count),
      skip: () => this.skip(),
      pulling: () => this.pulling,
      selectBanner: (id) => void this.selectBanner(id),
      bannerId: () => this.bannerId,
    });
    this.onKey(this.controls.onKey);
    this.onCleanup(() => this.stage.setSpeed(1));
    this.onCleanup(
      watch(
        (st) => st.dashboard.balances,
        () => this.updateControls(),
      ),
    );
    this.renderAll();
    this.stage.showShowcase();
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
      const room = await joinBanner(id);
      if (seq !== this.joinSeq || !this.active) {
        void leaveRoom(room);
        return;
      }
      let greet = () => {};
      const greeted = new Promise<void>((resolve) => (greet = resolve));
      wireBanner(room, {
        banner: (b) => {
          if (room !== this.room) return;
          this.banner = b;
          if (typeof b.pity === 'number') this.setPity(b.pity);
          this.renderAll();
          if (!this.pulling && !this.lastPull) this.stage.showShowcase();
          greet();
        },
        legendary: (l) => {
          if (room !== this.room || l.username === store.getState().auth.username) return;
          toast(`${l.username} pulled a legendary: ${itemName(this.banner, l.item_id)}!`, 'reward');
        },
        error: (message) => {
          if (room === this.room) this.showMessage(message ?? 'The banner refused that.');
        },
        state: (legendaries, players) => {
          if (room !== this.room) return;
          this.legendaries = legendaries;
          this.playersHere = players;
          this.renderLegendaries();
        },
        left: () => {
          if (room !== this.room || !this.active) return;
          this.room = null;
          this.updateControls();
          this.showMessage('The connection to the banner was lost.', this.rejoinButton('Rejoin'));
        },
      });
      this.room = room;
      await Promise.race([greeted, new Promise<void>((r) => setTimeout(r, 5000))]);
      if (seq !== this.joinSeq || !this.active) return;
      setInfo('banner', id);
      this.updateControls();
    } catch (err) {
      if (seq !== this.joinSeq || !this.active) return;
      const why = err instanceof Error ? err.message : 'unknown error';
      this.showMessage(`Could not open the ${this.banner.name} banner: ${why}`, this.rejoinButton('Try again'));
    }
  }

  private rejoinButton(label: string): HTMLElement {
    const onclick = () => {
      this.controls?.hideMessage();
      void this.connect(this.bannerId);
    };
    return h('button', { testid: 'gacha-rejoin', onclick }, label);
  }

  private async selectBanner(id: string): Promise<void> {
    if (this.pulling || id === this.bannerId) return;
    this.bannerId = id;
    this.banner = fromDomain(BANNERS.find((b) => b.id === id)!);
    this.pity = null;
    this.lastPull = null;
    this.controls?.hideMessage();
    setInfo('banner', '');
    this.renderAll();
    this.stage.showShowcase();
    await this.connect(id);
  }

  private async pull(count: 1 | 10): Promise<void> {
    if (this.pulling || !this.room) return;
    const room = this.room;
    const v = this.visit;
    const live = () => this.active && v === this.visit;
    this.controls?.hideMessage();
    this.setPulling(true);
    const stage = this.stage.deal(count);
    try {
      const body = await sendPull(room, count);
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
      this.renderPull();
      this.renderPity();
    } catch (err) {
      if (!live()) return;
      stage.cancel();
      this.showMessage(describePullError(err, this.banner.currency));
    } finally {
      if (live()) this.setPulling(false);
    }
  }

  private setPulling(on: boolean): void {
    this.pulling = on;
    setInfo('pulling', on);
    setInfo('pulls', this.pulls);
    if (!on) this.stage.setSpeed(1);
    this.updateControls();
  }

  private setPity(n: number): void {
    this.pity = n;
    setInfo('pity', n);
  }

  /** Fast-forwards a reveal in progress (click, Space, Enter or Escape). */
  private skip(): void {
    if (this.pulling) this.stage.setSpeed(6);
  }

  private renderAll(): void {
    if (!this.controls) return;
    this.stage.showBanner(this.banner);
    this.controls.renderTabs(this.bannerId, this.pulling);
    renderRates(this.controls.rates, this.banner);
    this.renderPity();
    this.renderPull();
    this.renderLegendaries();
    this.updateControls();
  }

  private renderPity(): void {
    if (this.controls) renderPity(this.controls.pityBox, this.banner, this.pity);
  }

  private renderPull(): void {
    if (this.controls) renderPull(this.controls.pullList, this.banner, this.lastPull);
  }

  private renderLegendaries(): void {
    if (this.controls) renderLegendaries(this.controls.legendList, this.banner, this.legendaries, this.playersHere);
  }

  private updateControls(): void {
    this.controls?.update(this.banner, !!this.room && !this.pulling, this.pulling, store.getState().dashboard.balances);
  }

  private showMessage(text: string, action?: HTMLElement): void {
    const shop =
      this.banner.currency === 'GEM' && /Not enough GEM/.test(text)
        ? h('button', { testid: 'gacha-go-shop', onclick: () => navigate('shop') }, 'Shop for GEM')
        : null;
    this.controls?.showMessage(text, action ?? shop);
  }
}
