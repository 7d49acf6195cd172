// Rock-paper-scissors: pick a stake, find an opponent (the house takes the seat when nobody comes), pick one of
// three hands before the deadline, watch both picks revealed, see the payouts and rake. One room per duel; "Play
// again" leaves it and joins a new one. Balances only ever come from the server (the `balances` message, the wallet).
// This file holds the scene's life; the stage, controls, panels, duel facts and room wiring live beside it.
import type { RpsPick } from '../../../../domain/games/rps/rules.ts';
import type { RpsState } from '../../../../rooms/rps/rps.state.ts';
import { leaveRoom } from '../../net/rooms.ts';
import { refreshDashboard, refreshWallet } from '../../app.ts';
import { setBalances, store, toast } from '../../state/store.ts';
import { setInfo } from '../../testing/hooks.ts';
import { NeonScene } from '../base.ts';
import { RpsControls } from './rps.controls.ts';
import { Duel } from './rps.duel.ts';
import { describeOutcome, describePicks, NAMES, outcomeFor, type Mode } from './rps.format.ts';
import {
  describeRpsError,
  fetchCommitment,
  joinDuel,
  resultFromState,
  sendPick,
  wireDuel,
  type DuelResult,
  type RpsRoom,
  type SeatKey,
} from './rps.net.ts';
import { RpsPanels } from './rps.panels.ts';
import { RpsStage } from './rps.stage.ts';

/** the reconnection token rooms.ts keeps for a seat (a reload rejoins it) */
const SAVED_SEAT = 'neon.room.rps';

export class RpsScene extends NeonScene {
  private room: RpsRoom | null = null;
  private mode: Mode = 'idle';
  private stake = 50;
  private userId = '';
  private duel = new Duel();
  private picking = false;
  private leaving = false;
  private duels = 0;
  private errors = 0;
  private walletRefreshes = 0;
  private stage: RpsStage | null = null;
  private controls!: RpsControls;
  private panels!: RpsPanels;

  constructor() {
    super('rps');
  }

  protected async build(): Promise<void> {
    Object.assign(this, { room: null, mode: 'idle', duel: new Duel(), picking: false, leaving: false });
    Object.assign(this, { duels: 0, errors: 0, walletRefreshes: 0 });
    this.userId = store.getState().auth.userId ?? '';
    this.stake = Number(sessionStorage.getItem('neon.rps.stake')) || 50;
    this.stage = new RpsStage(this, {
      canPick: () => this.mode === 'picking' && !this.duel.myPick,
      pick: (p) => void this.pick(p),
      duelNames: () => this.duel.names(this.room?.state, store.getState().auth.username ?? ''),
    });
    this.controls = new RpsControls({
      mode: () => this.mode,
      chooseStake: (s) => this.chooseStake(s),
      play: () => void this.enter(this.stake),
      pick: (p) => void this.pick(p),
      cancel: () => void this.cancel(),
      backToStakes: () => void this.backToStakes(),
    });
    this.panels = new RpsPanels();
    this.screen.classList.add('game', 'rps');
    this.screen.append(...this.panels.elements(), this.controls.bar);
    this.chooseStake(this.stake);
    this.renderFairness();
    this.onKey(this.controls.onKey);
    for (const key of ['duels', 'errors', 'walletRefreshes']) setInfo(key, 0);
    // the dashboard first: its answer must not land after (and overwrite) the balances of a join
    if (!store.getState().dashboard.loadedAt) await refreshDashboard().catch(() => undefined);
    if (!this.active) return;
    // a reload mid-duel: rejoin the held seat (stake 0 can never open a new duel, so nothing new is staked)
    if (sessionStorage.getItem(SAVED_SEAT)) await this.enter(0, true);
    else this.setMode('idle');
  }

  protected override dispose(): void {
    this.leaving = true;
    void leaveRoom(this.room);
    this.room = null;
  }

  private chooseStake(s: number): void {
    this.stake = s;
    sessionStorage.setItem('neon.rps.stake', String(s));
    this.controls.showStake(s);
  }

  /** Joins a new duel at `stake` (leaving a finished one first), or with rejoin only takes back a held seat. */
  private async enter(stake: number, rejoin = false): Promise<void> {
    if (!rejoin && this.mode !== 'idle' && this.mode !== 'done') return;
    if (this.room) await this.leave();
    if (!this.active) return;
    this.duel.reset();
    this.setMode('joining');
    let room: RpsRoom;
    try {
      room = await joinDuel(stake);
    } catch (err) {
      if (!this.active) return;
      this.setMode('idle');
      if (!rejoin) this.fail(err, 'The duel could not be joined');
      return;
    }
    if (!this.active) {
      void leaveRoom(room);
      return;
    }
    this.room = room;
    setInfo('roomId', room.roomId);
    wireDuel(room, {
      seat: (m) => this.duel.takeSeat(m),
      result: (m) => this.onResult(room, m),
      balances: (b) => {
        setBalances(b);
        this.duels++;
        setInfo('duels', this.duels);
      },
      state: (s) => this.onState(room, s),
      left: () => this.onLeft(room),
    });
    if (room.state) this.onState(room, room.state);
    void this.refreshWallet(); // the stake was escrowed on join
  }

  private async leave(): Promise<void> {
    this.leaving = true;
    await leaveRoom(this.room);
    this.room = null;
    this.leaving = false;
  }

  private onLeft(room: RpsRoom): void {
    if (this.room !== room) return;
    this.room = null;
    if (this.leaving || !this.active) return;
    if (this.mode !== 'done') {
      toast('The duel connection was lost.', 'error');
      this.setMode('idle');
      void this.refreshWallet();
    }
  }

  private onState(room: RpsRoom, s: RpsState): void {
    if (!this.active || this.room !== room || !s?.seats) return; // (collections arrive with the first full state)
    const changed = this.duel.learn(s, this.userId);
    if (this.duel.opponent(s)?.isHouse && !this.duel.commitment) void this.loadCommitment();
    if (!changed) return;
    this.renderDuel(s);
    if (s.phase === 'waiting') this.setMode('waiting');
    else if (s.phase === 'picking') this.setMode('picking');
    else if (s.phase === 'done' && this.duel.revealedRoom !== room.roomId) {
      // rejoined after the reveal (no result message): the state holds the same facts
      this.onResult(room, resultFromState(s), false);
      void this.refreshWallet();
    }
  }

  private async cancel(): Promise<void> {
    if (this.mode !== 'waiting' && this.mode !== 'joining') return;
    if (!this.room) return;
    await this.leave();
    if (!this.active) return;
    toast('Left the queue: your stake is refunded.', 'info');
    this.setMode('idle');
    void this.refreshWallet();
  }

  private async backToStakes(): Promise<void> {
    if (this.mode !== 'done') return;
    await this.leave();
    if (this.active) this.setMode('idle');
  }

  private async pick(p: RpsPick): Promise<void> {
    const room = this.room;
    if (!room || this.mode !== 'picking' || this.duel.myPick || this.picking) return;
    this.picking = true;
    this.controls.lockPicks(true);
    try {
      const accepted = await sendPick(room, p);
      if (!this.active || this.room !== room) return;
      this.duel.myPick = accepted;
      setInfo('picked', accepted);
      this.duel.stateKey = '';
      if (room.state) this.onState(room, room.state);
      if (this.mode === 'picking') this.setMode('picking');
    } catch (err) {
      if (this.active) this.fail(err, 'The pick was refused');
    } finally {
      this.picking = false;
      if (this.active && this.mode === 'picking') this.controls.lockPicks(!!this.duel.myPick);
    }
  }

  private async refreshWallet(): Promise<void> {
    try {
      await refreshWallet();
      if (!this.active) return;
      this.walletRefreshes++;
      setInfo('walletRefreshes', this.walletRefreshes);
    } catch {
      /* the top bar keeps the last known balance */
    }
  }

  private async loadCommitment(): Promise<void> {
    this.duel.commitment = '';
    try {
      const hash = await fetchCommitment();
      if (!this.active) return;
      this.duel.commitment = hash;
      this.renderFairness();
    } catch {
      this.duel.commitment = null;
    }
  }

  private fail(err: unknown, what: string): void {
    const { code, text } = describeRpsError(err, what);
    this.errors++;
    setInfo('lastError', code);
    setInfo('lastErrorText', text);
    setInfo('errors', this.errors);
    toast(text, 'error');
  }

  private onResult(room: RpsRoom, r: DuelResult, animate = true): void {
    if (!this.active || this.room !== room) return;
    if (this.duel.revealedRoom === room.roomId) {
      // the state-built result came first: keep it, add what only the message carries (the house's fairness facts)
      if (r.house && this.duel.lastResult && !this.duel.lastResult.house) {
        this.duel.lastResult.house = r.house;
        this.renderFairness();
      }
      return;
    }
    this.duel.revealedRoom = room.roomId;
    this.duel.lastResult = r;
    const seat = this.duel.seat ?? 'a';
    const other: SeatKey = seat === 'a' ? 'b' : 'a';
    const outcome = outcomeFor(r, seat);
    setInfo('result', outcome);
    setInfo('payout', r.payouts[seat]);
    setInfo('rake', r.rake);
    setInfo('opponentPick', r.picks[other] ?? 'none');
    this.setMode('done');
    this.controls.resultText.textContent = 'Revealing…';
    this.renderFairness();
    const finish = () => {
      if (!this.active || this.room !== room || !this.stage) return;
      const pot = 2 * (room.state?.stake ?? this.stake);
      const banner = describeOutcome(outcome, r, seat, pot);
      this.stage.showResult({ mine: r.picks[seat], theirs: r.picks[other] }, outcome, banner, describePicks(r, seat, other), animate);
      this.controls.showOutcome(outcome, banner);
      this.panels.addHistory(r, seat, other, outcome, pot / 2, this.duel.opponent(room.state));
      setInfo('reveal', room.roomId);
    };
    this.stage?.showDuel(null);
    if (animate) this.stage?.shake(finish);
    else finish();
  }

  private setMode(mode: Mode): void {
    const prev = this.mode;
    this.mode = mode;
    setInfo('phase', mode);
    const stake = this.room?.state?.stake || this.stake;
    this.controls.setMode(mode, this.duel.myPick, this.picking, stake, this.stake);
    this.stage?.setMode(mode, this.duel.myPick);
    if (prev !== mode) this.renderDuel(this.room?.state ?? null);
  }

  private renderDuel(s: RpsState | null): void {
    const live = s?.seats && this.room ? s : null;
    const opp = live ? this.duel.opponent(live) : undefined;
    this.panels.renderDuel(live, { stake: this.stake, seat: this.duel.seat, myPick: this.duel.myPick, opp });
  }

  private renderFairness(): void {
    const opp = this.duel.opponent(this.room?.state);
    this.panels.renderFairness(this.duel.lastResult?.house ?? null, opp, this.duel.commitment);
  }

  override update(time: number): void {
    if (!this.stage) return;
    const s = this.room?.state?.seats ? this.room.state : undefined;
    const secs = this.stage.frame(time, this.mode, s, this.duel.myPick, this.duel.opponent(s));
    if (secs !== null) this.controls.setTimer(this.duel.myPick ? `${NAMES[this.duel.myPick]} picked` : `${secs} s left`);
  }
}
