// The crash table: one shared round loop (betting → running → crashed). The curve is drawn every frame from the
// server's round clock (runningSince, timeScale) with the published curve, corrected by the server's patched
// multiplier; bets, cash-outs and balances come only from the room's messages and state. This file holds the
// scene's life and this client's bet; the chart, the DOM controls and the room wiring live beside it.
import type { CrashState } from '../../../../rooms/crash/crash.state.ts';
import { leaveRoom } from '../../net/rooms.ts';
import { refreshDashboard } from '../../app.ts';
import { setBalances, store, toast } from '../../state/store.ts';
import { fmt, x100 } from '../../ui/dom.ts';
import { setInfo } from '../../testing/hooks.ts';
import { NeonScene } from '../base.ts';
import { MyBet, type BetStatus } from './crash.bet.ts';
import { correctSkew, CrashChart } from './crash.chart.ts';
import { CrashControls } from './crash.controls.ts';
import {
  describeCrashError,
  joinCrashTable,
  sendBet,
  sendCashout,
  type BetPlaced,
  type CashedOut,
  type Crashed,
  type CrashRoom,
  type Refunded,
  type YourBet,
} from './crash.net.ts';

export class CrashScene extends NeonScene {
  private room: CrashRoom | null = null;
  private state: CrashState | null = null;
  private userId = '';
  /** local clock − server clock (ms), learned from the multiplier patches */
  private skew = 0;
  private bet = new MyBet();
  private cashingOut = false;
  private lastPhase = '';
  private lastRound = '';
  private counts = { placed: 0, settled: 0, crashes: 0, errors: 0, requests: 0, answers: 0 };
  private leaving = false;
  private chart: CrashChart | null = null;
  private controls!: CrashControls;

  constructor() {
    super('crash');
  }

  protected async build(): Promise<void> {
    this.userId = store.getState().auth.userId ?? '';
    Object.assign(this, { bet: new MyBet(), skew: 0, cashingOut: false, lastPhase: '', lastRound: '', leaving: false, state: null });
    this.counts = { placed: 0, settled: 0, crashes: 0, errors: 0, requests: 0, answers: 0 };
    this.chart = new CrashChart(this, () => void this.cashOut());
    this.controls = new CrashControls(this.screen, {
      placeBet: () => void this.placeBet(),
      cashOut: () => void this.cashOut(),
      canCashOut: () => this.canCashOut(),
    });
    this.onKey(this.controls.onKey);
    this.publish();
    // the dashboard first: its answer must not land after (and overwrite) the balances of a bet
    if (!store.getState().dashboard.loadedAt) await refreshDashboard().catch(() => undefined);
    if (this.active) await this.connect();
  }

  protected override dispose(): void {
    this.leaving = true;
    void leaveRoom(this.room);
    this.room = null;
    this.state = null;
  }

  private async connect(): Promise<void> {
    let room: CrashRoom;
    try {
      room = await joinCrashTable({
        betPlaced: (m) => this.onBetPlaced(m),
        cashedOut: (m) => this.onCashedOut(m),
        refunded: (m) => this.onRefunded(m),
        crashed: (m) => this.onCrashed(m),
        yourBet: (m) => this.onYourBet(m),
        state: (s) => this.onState(s),
        left: () => this.onLeft(),
      });
    } catch (err) {
      if (!this.active) return;
      this.controls.statusLine.textContent = 'The table could not be joined.';
      this.chart?.showUnavailable();
      toast(`The crash table could not be joined: ${(err as Error).message}`, 'error');
      this.controls.offerRejoin('Try again', () => this.scene.restart());
      return;
    }
    if (!this.active) {
      void leaveRoom(room);
      return;
    }
    this.room = room;
    if (room.state) this.onState(room.state);
  }

  private onLeft(): void {
    if (this.leaving || !this.active) return;
    this.room = null;
    this.controls.statusLine.textContent = 'Disconnected from the table.';
    toast('You left the crash table (connection lost).', 'error');
    this.refreshControls();
    this.controls.offerRejoin('Rejoin', () => this.scene.restart());
  }

  // ---------------------------------------------------------------- room events

  private onState(s: CrashState): void {
    if (!this.active || !s?.bets) return; // (collections arrive with the first full state)
    this.state = s;
    if (s.phase === 'running' && s.runningSince > 0) this.skew = correctSkew(s, this.skew);
    if (s.roundId !== this.lastRound) {
      this.lastRound = s.roundId;
      // a new round: unless this client has a bet in it (placed, or told by `your_bet` on a reload), the status starts over
      if (this.bet.round !== s.roundId && this.bet.status !== 'placing') this.setStatus('none', s.roundId);
    }
    if (s.phase !== this.lastPhase) {
      const prev = this.lastPhase;
      this.lastPhase = s.phase;
      setInfo('phase', s.phase);
      setInfo('roundId', s.roundId);
      if (s.phase === 'crashed' && prev === 'running') this.chart?.crashFlash();
      if (s.phase === 'betting') this.chart?.stopTrail();
      this.refreshControls();
    }
    setInfo('multiplier', s.multiplier);
    this.controls.renderPlayers(s, this.userId);
    this.controls.renderHistory(s);
  }

  private onBetPlaced(m: BetPlaced): void {
    setBalances(m.balances);
    this.bet.amount = m.amount;
    this.bet.auto = m.auto_cashout ?? 0;
    this.counts.placed++;
    setInfo('betsPlaced', this.counts.placed);
    setInfo('lastBetRound', m.round_id);
    this.setStatus('placed', m.crash_round_id);
  }

  private onCashedOut(m: CashedOut): void {
    setBalances(m.balances);
    this.counts.settled++;
    this.bet.lastPayout = m.payout;
    setInfo('lastCashout', m.payout);
    setInfo('lastCashoutAt', m.multiplier);
    setInfo('lastCashoutReason', m.reason);
    this.controls.addMine(this.bet.amount, 'cashed_out', m.multiplier, m.payout, m.reason);
    if (m.reason === 'cap') toast(`The round hit the table's payout cap: cashed out at ${x100(m.multiplier)}.`, 'info');
    this.setStatus('cashed_out', this.bet.round);
    this.settledInfo('cashed_out');
    if (this.active) this.chart?.celebrate();
  }

  private onRefunded(m: Refunded): void {
    setBalances(m.balances);
    this.counts.settled++;
    this.controls.addMine(m.amount, 'refunded', 0, m.amount);
    toast(`The round did not run: your ${fmt(m.amount)} GOLD bet was refunded.`, 'info');
    this.setStatus('refunded', this.bet.round);
    this.settledInfo('refunded');
  }

  private onCrashed(m: Crashed): void {
    this.counts.crashes++;
    setInfo('crashes', this.counts.crashes);
    setInfo('lastCrash', m.crash_point);
    if (this.bet.status === 'placed' && this.bet.round === m.crash_round_id) {
      this.counts.settled++;
      this.controls.addMine(this.bet.amount, 'lost', m.crash_point, 0);
      this.setStatus('lost', m.crash_round_id);
      this.settledInfo('lost');
    }
  }

  private settledInfo(how: 'cashed_out' | 'lost' | 'refunded'): void {
    setInfo('lastSettled', how);
    setInfo('settled', this.counts.settled);
  }

  private setStatus(status: BetStatus, roundId: string): void {
    this.bet.set(status, roundId);
    this.refreshControls();
  }

  /** Back at the table with a bet in the round (a reload, another tab): it shows as this client's own. */
  private onYourBet(m: YourBet): void {
    this.bet.adopt({ amount: m.amount, autoCashout: m.auto_cashout ?? 0, status: m.status }, m.crash_round_id);
    if (m.status === 'cashed_out') this.bet.lastPayout = m.payout;
    this.refreshControls();
  }

  // ---------------------------------------------------------------- actions

  /** Bets once; betRequests / betAnswers (hooks) count the attempts and their answers (placed, refused, failed). */
  private async placeBet(): Promise<void> {
    this.counts.requests++;
    setInfo('betRequests', this.counts.requests);
    try {
      await this.tryBet();
    } finally {
      this.counts.answers++;
      setInfo('betAnswers', this.counts.answers);
    }
  }

  private async tryBet(): Promise<void> {
    const room = this.room,
      s = this.state;
    if (!room || !s) return;
    if (this.bet.status === 'placing') return;
    if (this.bet.status === 'placed' && this.bet.round === s.roundId)
      return this.fail('game/not_allowed', 'You already have a bet in this round.');
    if (s.phase !== 'betting') return this.fail('game/not_allowed', 'Bets are closed: wait for the next round.');
    const read = this.controls.readBet();
    if ('error' in read) return this.fail('request/invalid', read.error);
    const round = s.roundId;
    this.setStatus('placing', round);
    try {
      await sendBet(room, read.amount, read.autoCashout);
    } catch (err) {
      if (!this.active) return;
      if ((this.bet.status as BetStatus) === 'placing') this.setStatus('none', round);
      this.fail(err);
    }
  }

  private async cashOut(): Promise<void> {
    const room = this.room,
      s = this.state;
    if (!room || !s || this.cashingOut) return;
    if (this.bet.status !== 'placed' || this.bet.round !== s.roundId) return;
    if (s.phase !== 'running') {
      if (s.phase === 'betting') toast('The round has not started yet.', 'info', 2500);
      return;
    }
    this.cashingOut = true;
    this.refreshControls();
    try {
      await sendCashout(room);
    } catch (err) {
      if (this.active) this.fail(err);
    } finally {
      this.cashingOut = false;
      if (this.active) this.refreshControls();
    }
  }

  private canCashOut(): boolean {
    const s = this.state;
    return !!this.room && !!s && s.phase === 'running' && this.bet.status === 'placed' && this.bet.round === s.roundId && !this.cashingOut;
  }

  private fail(err: unknown, message?: string): void {
    const { code, text } = describeCrashError(err, message);
    this.counts.errors++;
    setInfo('lastError', code);
    setInfo('errors', this.counts.errors);
    toast(text, 'error');
  }

  // ---------------------------------------------------------------- views

  private refreshControls(): void {
    const s = this.state;
    const connected = !!this.room && !!s;
    const betting = connected && s!.phase === 'betting';
    const mineNow = !!s && this.bet.round === s.roundId;
    const canBet = betting && !(mineNow && (this.bet.status === 'placed' || this.bet.status === 'placing'));
    const canCash = this.canCashOut();
    this.chart?.cashout.setEnabled(canCash);
    const locked = !connected || (mineNow && this.bet.status === 'placed' && s!.phase !== 'crashed');
    this.controls.setEnabled(canBet, canCash, this.bet.status === 'placing', locked);
    if (connected) this.controls.statusLine.textContent = this.bet.describe(s!.phase, s!.roundId);
  }

  private publish(): void {
    setInfo('betStatus', 'none');
    for (const key of ['settled', 'betsPlaced', 'crashes', 'errors', 'betRequests', 'betAnswers']) setInfo(key, 0);
  }

  override update(): void {
    const s = this.state;
    if (!s || !this.chart) return;
    this.chart.draw(s, this.bet.view(s.roundId, this.userId), Date.now() - this.skew);
  }
}
