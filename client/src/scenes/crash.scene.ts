// The crash table: one shared round loop (betting → running → crashed). The curve is drawn every frame from the
// server's round clock (runningSince, timeScale) with the published curve, corrected by the server's patched
// multiplier; bets, cash-outs and balances come only from the room's messages and state.
import Phaser from 'phaser';
import type { Room } from '@colyseus/sdk';
import { msToReach, multiplierAt } from '../../../domain/games/crash/curve.ts';
import { payoutAt } from '../../../domain/games/crash/exposure.ts';
import type { CrashState } from '../../../rooms/crash/crash.state.ts';
import { ask, joinRoom, leaveRoom, RoomError } from '../net/rooms.ts';
import type { Balances } from '../net/types.ts';
import { refreshDashboard } from '../app.ts';
import { setBalances, store, toast } from '../state/store.ts';
import { COLORS } from '../config.ts';
import { fill, fmt, h } from '../ui/dom.ts';
import { setInfo } from '../testing/hooks.ts';
import { NeonScene } from './base.ts';

type BetStatus = 'none' | 'placing' | 'placed' | 'cashed_out' | 'lost' | 'refunded';
interface BetPlaced {
  ref: string;
  round_id: string;
  crash_round_id: string;
  amount: number;
  auto_cashout: number | null;
  balances: Balances;
}
interface CashedOut {
  round_id: string;
  multiplier: number;
  payout: number;
  reason: 'cashout' | 'auto_cashout' | 'cap';
  balances: Balances;
}
interface Crashed {
  crash_round_id: string;
  crash_point: number;
  version: string;
}
interface Refunded {
  round_id: string;
  amount: number;
  balances: Balances;
}
interface BetView {
  userId: string;
  username: string;
  amount: number;
  autoCashout: number;
  cashedOutAt: number;
  payout: number;
  status: string;
}

// chart frame (game coordinates) and the plot area inside it
const FRAME = { x: 296, y: 128, w: 688, h: 392 };
const PLOT = { x0: 360, x1: 960, y0: 150, y1: 488 };
/** the curve's own time (scaled ms) the x axis shows at least: the 2.00x point */
const MIN_SPAN = 8000;
const x100 = (m: number) => `${(m / 100).toFixed(2)}x`;

export class CrashScene extends NeonScene {
  private room: Room<any, CrashState> | null = null;
  private state: CrashState | null = null;
  private userId = '';
  /** local clock − server clock (ms), learned from the multiplier patches */
  private skew = 0;
  private status: BetStatus = 'none';
  private statusRound = '';
  private myAmount = 0;
  private myAuto = 0;
  private cashingOut = false;
  private lastPhase = '';
  private lastRound = '';
  private counts = { placed: 0, settled: 0, crashes: 0, errors: 0, requests: 0, answers: 0 };
  private betsKey = '';
  private historyKey = '';
  private leaving = false;
  private lastPayout = 0;
  /** the betting window's length as first seen for a round (the state carries only its end) */
  private betWindow = { round: '', ms: 1 };

  // canvas
  private chart!: Phaser.GameObjects.Graphics;
  private flash!: Phaser.GameObjects.Rectangle;
  private readout!: Phaser.GameObjects.Text;
  private sub!: Phaser.GameObjects.Text;
  private headGlow!: Phaser.GameObjects.Image;
  private trail!: Phaser.GameObjects.Particles.ParticleEmitter;
  private yLabels: Phaser.GameObjects.Text[] = [];
  private xLabels: Phaser.GameObjects.Text[] = [];
  private tags: Phaser.GameObjects.Text[] = [];
  private canvasCashout!: ReturnType<NeonScene['canvasButton']>;

  // DOM
  private amount!: HTMLInputElement;
  private auto!: HTMLInputElement;
  private betButton!: HTMLButtonElement;
  private cashButton!: HTMLButtonElement;
  private statusLine!: HTMLElement;
  private players!: HTMLElement;
  private playersHead!: HTMLElement;
  private historyChips!: HTMLElement;
  private mine!: HTMLElement;

  constructor() {
    super('crash');
  }

  protected async build(): Promise<void> {
    this.userId = store.getState().auth.userId ?? '';
    Object.assign(this, {
      status: 'none',
      statusRound: '',
      skew: 0,
      cashingOut: false,
      lastPhase: '',
      lastRound: '',
      betsKey: '',
      historyKey: '',
      leaving: false,
      state: null,
      lastPayout: 0,
      betWindow: { round: '', ms: 1 },
    });
    this.counts = { placed: 0, settled: 0, crashes: 0, errors: 0, requests: 0, answers: 0 };
    this.yLabels = [];
    this.xLabels = [];
    this.tags = [];
    this.buildCanvas();
    this.buildDom();
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

  // ---------------------------------------------------------------- building

  private buildCanvas(): void {
    this.title('CRASH', 92);
    const bg = this.add.graphics();
    bg.fillStyle(COLORS.panel, 0.95).fillRoundedRect(FRAME.x, FRAME.y, FRAME.w, FRAME.h, 14);
    bg.lineStyle(4, COLORS.pink, 1).strokeRoundedRect(FRAME.x, FRAME.y, FRAME.w, FRAME.h, 14);
    // the readout sits behind the curve, which is drawn over it
    this.readout = this.add
      .text(this.centerX, 262, '1.00x', { fontFamily: 'DejaVu Sans', fontSize: '88px', fontStyle: 'bold', color: '#ffffff' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#ff3df2', 18, true, true);
    this.sub = this.add
      .text(this.centerX, 330, 'Connecting to the table…', {
        fontFamily: 'DejaVu Sans',
        fontSize: '22px',
        fontStyle: 'bold',
        color: '#3ef0ff',
      })
      .setOrigin(0.5);
    this.chart = this.add.graphics();
    for (let i = 0; i < 7; i++)
      this.yLabels.push(this.add.text(0, 0, '', { fontFamily: 'DejaVu Sans', fontSize: '13px', color: '#a99fd6' }).setOrigin(1, 0.5));
    for (let i = 0; i < 9; i++)
      this.xLabels.push(this.add.text(0, 0, '', { fontFamily: 'DejaVu Sans', fontSize: '13px', color: '#a99fd6' }).setOrigin(0.5, 0));
    for (let i = 0; i < 8; i++)
      this.tags.push(
        this.add
          .text(0, 0, '', { fontFamily: 'DejaVu Sans', fontSize: '12px', fontStyle: 'bold', color: '#53f29a' })
          .setOrigin(0.5, 1)
          .setVisible(false),
      );
    this.trail = this.add.particles(0, 0, 'dot', {
      lifespan: 600,
      speed: { min: 10, max: 50 },
      scale: { start: 0.45, end: 0 },
      alpha: { start: 0.9, end: 0 },
      tint: [COLORS.pink, COLORS.gold, COLORS.cyan],
      frequency: 25,
      blendMode: 'ADD',
      emitting: false,
    });
    this.headGlow = this.add.image(0, 0, 'glow').setScale(1.3).setTint(COLORS.pink).setBlendMode(Phaser.BlendModes.ADD).setVisible(false);
    this.flash = this.add.rectangle(FRAME.x + FRAME.w / 2, FRAME.y + FRAME.h / 2, FRAME.w, FRAME.h, COLORS.red, 1).setAlpha(0);
    this.canvasCashout = this.canvasButton('cashout', this.centerX, 566, 300, 64, 'CASH OUT', () => void this.cashOut());
    this.canvasCashout.setEnabled(false);
  }

  private buildDom(): void {
    this.screen.classList.add('game');
    this.amount = h('input', {
      id: 'crash-amount',
      testid: 'crash-amount',
      type: 'number',
      min: '1',
      step: '1',
      value: '100',
      inputmode: 'numeric',
      style: { width: '6.5em' },
    });
    this.auto = h('input', {
      id: 'crash-auto',
      testid: 'crash-auto',
      type: 'number',
      min: '1.01',
      step: '0.01',
      placeholder: 'off',
      inputmode: 'decimal',
      style: { width: '5.5em' },
    });
    this.betButton = h('button', { class: 'primary big', type: 'submit', testid: 'crash-bet', disabled: true }, 'Bet');
    this.cashButton = h(
      'button',
      {
        class: 'big',
        type: 'button',
        style: { whiteSpace: 'nowrap' },
        testid: 'crash-cashout',
        disabled: true,
        onclick: () => void this.cashOut(),
      },
      'Cash out',
    );
    this.statusLine = h(
      'span',
      {
        class: 'small',
        testid: 'crash-status',
        role: 'status',
        'aria-live': 'polite',
        style: { width: '12em', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' },
      },
      'Connecting…',
    );
    const form = h(
      'form',
      {
        class: 'controls',
        testid: 'crash-controls',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void this.placeBet();
        },
      },
      h(
        'label',
        { for: 'crash-amount', style: { flexDirection: 'row', alignItems: 'center', whiteSpace: 'nowrap' } },
        'Bet ',
        this.amount,
        ' GOLD',
      ),
      h(
        'label',
        {
          for: 'crash-auto',
          style: { flexDirection: 'row', alignItems: 'center', whiteSpace: 'nowrap' },
          title: 'Cash out automatically at this multiplier (leave empty for manual)',
        },
        'Auto cash-out ',
        this.auto,
        ' ×',
      ),
      this.betButton,
      this.cashButton,
      this.statusLine,
      h(
        'span',
        { class: 'muted small' },
        'Enter bets · Space cashes out · ',
        h('a', { href: '#/fairness', style: { color: 'var(--cyan)' } }, 'verify rounds'),
      ),
    );
    this.playersHead = h('p', { class: 'small muted', testid: 'crash-players-head' }, 'No bets yet this round.');
    this.players = h('div', { class: 'small', testid: 'crash-players' });
    this.historyChips = h('div', { class: 'badges', testid: 'crash-history', style: { marginBottom: '.8em' } });
    this.mine = h('div', { class: 'small', testid: 'crash-mine' }, h('p', { class: 'muted' }, 'Your bets show here.'));
    this.screen.append(
      h('aside', { class: 'panel side left', 'aria-label': 'Players this round' }, h('h2', {}, 'Players'), this.playersHead, this.players),
      h(
        'aside',
        { class: 'panel side right', 'aria-label': 'History' },
        h('h2', {}, 'Last crashes'),
        this.historyChips,
        h('h2', {}, 'Your rounds'),
        this.mine,
      ),
      form,
    );

    const onKey = (e: KeyboardEvent) => {
      if (e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      const tag = t?.tagName ?? '';
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || t?.isContentEditable) return; // typing: the form handles Enter
      if (tag === 'BUTTON' || tag === 'A') {
        // a focused button keeps Enter and Space, except Space on this table's own buttons while a cash-out is possible
        if (e.code === 'Space' && form.contains(t) && this.canCashOut()) {
          e.preventDefault();
          void this.cashOut();
        }
        return;
      }
      if (e.code === 'Space') {
        e.preventDefault();
        void this.cashOut();
      } else if (e.code === 'Enter' || e.code === 'NumpadEnter') {
        e.preventDefault();
        void this.placeBet();
      }
    };
    window.addEventListener('keydown', onKey);
    this.onCleanup(() => window.removeEventListener('keydown', onKey));
  }

  private async connect(): Promise<void> {
    let room: Room<any, CrashState>;
    try {
      room = await joinRoom<CrashState>('crash');
    } catch (err) {
      if (!this.active) return;
      this.statusLine.textContent = 'The table could not be joined.';
      this.sub.setText('TABLE UNAVAILABLE').setColor('#ff5a7a');
      toast(`The crash table could not be joined: ${(err as Error).message}`, 'error');
      this.screen
        .querySelector('.controls')
        ?.append(h('button', { testid: 'crash-rejoin', onclick: () => this.scene.restart() }, 'Try again'));
      return;
    }
    if (!this.active) {
      void leaveRoom(room);
      return;
    }
    this.room = room;
    room.onMessage('bet_placed', (m: BetPlaced) => this.onBetPlaced(m));
    room.onMessage('cashed_out', (m: CashedOut) => this.onCashedOut(m));
    room.onMessage('bet_refunded', (m: Refunded) => this.onRefunded(m));
    room.onMessage('crashed', (m: Crashed) => this.onCrashed(m));
    room.onMessage('error', () => undefined); // errors are answered to ask(); unmatched ones are shown there
    room.onStateChange((s) => this.onState(s));
    room.onLeave(() => {
      if (this.leaving || !this.active) return;
      this.room = null;
      this.statusLine.textContent = 'Disconnected from the table.';
      toast('You left the crash table (connection lost).', 'error');
      this.refreshControls();
      this.screen
        .querySelector('.controls')
        ?.append(h('button', { testid: 'crash-rejoin', onclick: () => this.scene.restart() }, 'Rejoin'));
    });
    if (room.state) this.onState(room.state);
  }

  // ---------------------------------------------------------------- room events

  private onState(s: CrashState): void {
    if (!this.active || !s?.bets) return; // (collections arrive with the first full state)
    this.state = s;
    if (s.phase === 'running' && s.runningSince > 0) this.learnSkew(s);
    if (s.roundId !== this.lastRound) {
      this.lastRound = s.roundId;
      // a new round: unless this client has a bet in it (a reload mid-round), the bet status starts over
      const mine = s.bets.get(this.userId);
      if (mine) this.adopt(mine, s.roundId);
      else if (this.statusRound !== s.roundId && this.status !== 'placing') this.setStatus('none', s.roundId);
    } else if (this.statusRound !== s.roundId && this.status === 'none') {
      const mine = s.bets.get(this.userId);
      if (mine) this.adopt(mine, s.roundId);
    }
    if (s.phase !== this.lastPhase) {
      const prev = this.lastPhase;
      this.lastPhase = s.phase;
      setInfo('phase', s.phase);
      setInfo('roundId', s.roundId);
      if (s.phase === 'crashed' && prev === 'running') this.crashFlash();
      if (s.phase === 'betting') this.trail.stop();
      this.refreshControls();
    }
    setInfo('multiplier', s.multiplier);
    this.renderPlayers(s);
    this.renderHistory(s);
  }

  /** Takes over a bet found in the state (after a reload the seat and its bet are back). */
  private adopt(b: { amount: number; autoCashout: number; status: string; payout: number }, roundId: string): void {
    this.myAmount = b.amount;
    this.myAuto = b.autoCashout;
    const st: BetStatus = b.status === 'riding' ? 'placed' : (b.status as BetStatus);
    this.setStatus(st, roundId);
  }

  /**
   * The server patches its multiplier at 20 Hz. Our clock is trusted while the curve drawn from it stays within
   * what that multiplier allows (plus latency); when it drifts out, the offset is moved just enough.
   */
  private learnSkew(s: CrashState): void {
    const ts = s.timeScale || 1;
    const lo = msToReach(s.multiplier) / ts;
    const hi = msToReach(s.multiplier + 1) / ts + 250;
    const local = Date.now() - this.skew - s.runningSince;
    if (local < lo) this.skew -= lo - local;
    else if (local > hi) this.skew += local - hi;
  }

  private onBetPlaced(m: BetPlaced): void {
    setBalances(m.balances);
    this.myAmount = m.amount;
    this.myAuto = m.auto_cashout ?? 0;
    this.counts.placed++;
    setInfo('betsPlaced', this.counts.placed);
    setInfo('lastBetRound', m.round_id);
    this.setStatus('placed', m.crash_round_id);
  }

  private onCashedOut(m: CashedOut): void {
    setBalances(m.balances);
    this.counts.settled++;
    this.lastPayout = m.payout;
    setInfo('lastCashout', m.payout);
    setInfo('lastCashoutAt', m.multiplier);
    setInfo('lastCashoutReason', m.reason);
    this.addMine(this.myAmount, 'cashed_out', m.multiplier, m.payout, m.reason);
    if (m.reason === 'cap') toast(`The round hit the table's payout cap: cashed out at ${x100(m.multiplier)}.`, 'info');
    this.setStatus('cashed_out', this.statusRound);
    this.settledInfo('cashed_out');
    if (this.active) {
      this.cameras.main.flash(180, 83, 242, 154);
      this.trail.explode(30);
    }
  }

  private onRefunded(m: Refunded): void {
    setBalances(m.balances);
    this.counts.settled++;
    this.addMine(m.amount, 'refunded', 0, m.amount);
    toast(`The round did not run: your ${fmt(m.amount)} GOLD bet was refunded.`, 'info');
    this.setStatus('refunded', this.statusRound);
    this.settledInfo('refunded');
  }

  private onCrashed(m: Crashed): void {
    this.counts.crashes++;
    setInfo('crashes', this.counts.crashes);
    setInfo('lastCrash', m.crash_point);
    if (this.status === 'placed' && this.statusRound === m.crash_round_id) {
      this.counts.settled++;
      this.addMine(this.myAmount, 'lost', m.crash_point, 0);
      this.setStatus('lost', m.crash_round_id);
      this.settledInfo('lost');
    }
  }

  private settledInfo(how: 'cashed_out' | 'lost' | 'refunded'): void {
    setInfo('lastSettled', how);
    setInfo('settled', this.counts.settled);
  }

  private setStatus(status: BetStatus, roundId: string): void {
    this.status = status;
    this.statusRound = roundId;
    setInfo('betStatus', status === 'placing' ? 'none' : status);
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
    if (this.status === 'placing') return;
    if (this.status === 'placed' && this.statusRound === s.roundId) {
      this.fail('game/not_allowed', 'You already have a bet in this round.');
      return;
    }
    if (s.phase !== 'betting') {
      this.fail('game/not_allowed', 'Bets are closed: wait for the next round.');
      return;
    }
    const amount = Number(this.amount.value);
    if (!Number.isInteger(amount) || amount < 1) {
      this.fail('request/invalid', 'Enter a whole number of GOLD to bet.');
      this.amount.focus();
      return;
    }
    let autoCashout: number | undefined;
    if (this.auto.value.trim() !== '') {
      const x = Number(this.auto.value);
      autoCashout = Math.round(x * 100);
      if (!Number.isFinite(x) || autoCashout < 101) {
        this.fail('request/invalid', 'Auto cash-out must be at least 1.01× (or empty).');
        this.auto.focus();
        return;
      }
    }
    const round = s.roundId;
    this.setStatus('placing', round);
    try {
      await ask(room, 'bet', autoCashout ? { amount, autoCashout } : { amount }, ['bet_placed']);
    } catch (err) {
      if (!this.active) return;
      if ((this.status as BetStatus) === 'placing') this.setStatus('none', round);
      this.fail(err);
    }
  }

  private async cashOut(): Promise<void> {
    const room = this.room,
      s = this.state;
    if (!room || !s || this.cashingOut) return;
    if (this.status !== 'placed' || this.statusRound !== s.roundId) return;
    if (s.phase !== 'running') {
      if (s.phase === 'betting') toast('The round has not started yet.', 'info', 2500);
      return;
    }
    this.cashingOut = true;
    this.refreshControls();
    try {
      await ask(room, 'cashout', {}, ['cashed_out']);
    } catch (err) {
      if (this.active) this.fail(err);
    } finally {
      this.cashingOut = false;
      if (this.active) this.refreshControls();
    }
  }

  private canCashOut(): boolean {
    const s = this.state;
    return !!this.room && !!s && s.phase === 'running' && this.status === 'placed' && this.statusRound === s.roundId && !this.cashingOut;
  }

  private fail(err: unknown, message?: string): void {
    let code = 'internal/error',
      text = message ?? 'The table refused that.';
    if (typeof err === 'string') code = err;
    else if (err instanceof RoomError) {
      code = err.code;
      const d = err.details as { reason?: string; balance?: number; required?: number };
      if (code === 'wallet/insufficient_funds')
        text = `Not enough GOLD${d.balance !== undefined ? `: you have ${fmt(d.balance)}` : ''}${d.required !== undefined ? `, the bet needs ${fmt(d.required)}` : ''}.`;
      else if (code === 'game/too_late') text = `Too late! ${err.message}`;
      else if (code === 'rate/limited') text = 'Slow down: too many actions at once.';
      else text = err.message;
    } else if (err instanceof Error) text = err.message;
    this.counts.errors++;
    setInfo('lastError', code);
    setInfo('errors', this.counts.errors);
    toast(text, 'error');
  }

  // ---------------------------------------------------------------- DOM

  private refreshControls(): void {
    const s = this.state;
    const connected = !!this.room && !!s;
    const betting = connected && s!.phase === 'betting';
    const mineNow = !!s && this.statusRound === s.roundId;
    const canBet = betting && !(mineNow && (this.status === 'placed' || this.status === 'placing'));
    const canCash = this.canCashOut();
    this.betButton.disabled = !canBet;
    this.betButton.textContent = this.status === 'placing' ? 'Placing…' : 'Bet';
    this.cashButton.disabled = !canCash;
    this.cashButton.classList.toggle('primary', canCash);
    this.canvasCashout.setEnabled(canCash);
    const locked = !connected || (mineNow && this.status === 'placed' && s!.phase !== 'crashed');
    // a riding bet locks its fields; the focus leaves them so Space (cash out) works straight after Enter (bet)
    if (locked && (document.activeElement === this.amount || document.activeElement === this.auto))
      (document.activeElement as HTMLElement).blur();
    this.amount.disabled = this.auto.disabled = locked;
    if (!connected) return;
    let line: string;
    if (mineNow && this.status === 'placed')
      line =
        s!.phase === 'betting'
          ? `Bet ${fmt(this.myAmount)} placed${this.myAuto ? ` · auto ${x100(this.myAuto)}` : ''}`
          : `Riding ${fmt(this.myAmount)} GOLD`;
    else if (mineNow && this.status === 'cashed_out') line = `Cashed out: +${fmt(this.lastPayout)} GOLD`;
    else if (mineNow && this.status === 'lost') line = `Lost ${fmt(this.myAmount)} GOLD`;
    else if (mineNow && this.status === 'refunded') line = 'Bet refunded';
    else if (this.status === 'placing') line = 'Placing your bet…';
    else line = s!.phase === 'betting' ? 'Place your bet' : 'Next round soon';
    this.statusLine.textContent = line;
  }

  private renderPlayers(s: CrashState): void {
    const list: BetView[] = [];
    s.bets.forEach((b, userId) =>
      list.push({
        userId,
        username: b.username,
        amount: b.amount,
        autoCashout: b.autoCashout,
        cashedOutAt: b.cashedOutAt,
        payout: b.payout,
        status: b.status,
      }),
    );
    const key = list.map((b) => `${b.userId}:${b.amount}:${b.status}:${b.cashedOutAt}:${b.payout}`).join('|') + s.phase;
    if (key === this.betsKey) return;
    this.betsKey = key;
    setInfo('players', list.length);
    const order = (b: BetView) => (b.status === 'cashed_out' ? 0 : b.status === 'riding' ? 1 : 2);
    list.sort((a, b) => order(a) - order(b) || b.cashedOutAt - a.cashedOutAt || b.amount - a.amount);
    const wagered = list.reduce((sum, b) => sum + b.amount, 0);
    this.playersHead.textContent = list.length
      ? `${list.length} bet${list.length === 1 ? '' : 's'} · ${fmt(wagered)} GOLD`
      : s.phase === 'betting'
        ? 'No bets yet this round.'
        : 'Nobody bet this round.';
    fill(
      this.players,
      ...list.slice(0, 40).map((b) => {
        const me = b.userId === this.userId;
        const what =
          b.status === 'cashed_out'
            ? h('span', { class: 'win' }, `${x100(b.cashedOutAt)} · +${fmt(b.payout)}`)
            : b.status === 'lost'
              ? h('span', { class: 'loss' }, 'lost')
              : b.status === 'refunded'
                ? h('span', { class: 'muted' }, 'refunded')
                : h('span', { style: { color: 'var(--cyan)' } }, b.autoCashout ? `auto ${x100(b.autoCashout)}` : 'riding');
        return h(
          'div',
          { class: 'item', testid: me ? 'crash-player-me' : 'crash-player' },
          h(
            'span',
            { style: me ? { color: 'var(--pink)', fontWeight: 'bold' } : {} },
            me ? `${b.username} (you)` : b.username,
            h('br'),
            h('span', { class: 'muted' }, `${fmt(b.amount)} GOLD`),
          ),
          what,
        );
      }),
    );
  }

  private renderHistory(s: CrashState): void {
    const points: number[] = [];
    s.history.forEach((p) => points.push(p));
    const key = points.join(',');
    if (key === this.historyKey) return;
    this.historyKey = key;
    setInfo('history', points.length);
    fill(
      this.historyChips,
      ...(points.length
        ? points
            .slice()
            .reverse()
            .map((p) =>
              h(
                'span',
                {
                  class: 'badge',
                  testid: 'crash-history-chip',
                  style: {
                    color: p >= 1000 ? 'var(--gold)' : p >= 200 ? 'var(--green)' : 'var(--red)',
                    fontSize: '.8em',
                    textTransform: 'none',
                  },
                },
                x100(p),
              ),
            )
        : [h('span', { class: 'muted small' }, 'No rounds yet.')]),
    );
  }

  private addMine(amount: number, how: 'cashed_out' | 'lost' | 'refunded', multiplier: number, payout: number, reason?: string): void {
    if (this.mine.querySelector('p.muted')) this.mine.replaceChildren();
    const right =
      how === 'cashed_out'
        ? h('span', { class: 'win' }, `${x100(multiplier)}${reason === 'auto_cashout' ? ' auto' : ''} · +${fmt(payout)}`)
        : how === 'lost'
          ? h('span', { class: 'loss' }, `crashed ${x100(multiplier)}`)
          : h('span', { class: 'muted' }, 'refunded');
    this.mine.prepend(h('div', { class: 'item', testid: 'crash-mine-row' }, h('span', {}, `Bet ${fmt(amount)}`), right));
    while (this.mine.childElementCount > 10) this.mine.lastElementChild?.remove();
  }

  private publish(): void {
    setInfo('betStatus', 'none');
    setInfo('settled', 0);
    setInfo('betsPlaced', 0);
    setInfo('crashes', 0);
    setInfo('errors', 0);
    setInfo('betRequests', 0);
    setInfo('betAnswers', 0);
  }

  // ---------------------------------------------------------------- canvas, every frame

  private crashFlash(): void {
    this.trail.stop();
    this.flash.setAlpha(0.55);
    this.tweens.add({ targets: this.flash, alpha: 0, duration: 650, ease: 'Cubic.easeOut' });
    this.cameras.main.shake(280, 0.006);
  }

  override update(): void {
    const s = this.state;
    if (!s || !this.chart) return;
    const ts = s.timeScale || 1;
    const now = Date.now() - this.skew;
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
    this.drawChart(s, t, m, span, top, ts);
    this.drawReadout(s, m, now);
  }

  private drawChart(s: CrashState, t: number, m: number, span: number, top: number, ts: number): void {
    const g = this.chart.clear();
    const X = (tt: number) => PLOT.x0 + (tt / span) * (PLOT.x1 - PLOT.x0);
    const Y = (mm: number) => PLOT.y1 - ((mm - 100) / (top - 100)) * (PLOT.y1 - PLOT.y0);
    // grid: multipliers on y, real seconds on x
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
    const realSpan = span / ts;
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

    const riding = this.status === 'placed' && this.statusRound === s.roundId;
    // the auto cash-out target of this client's bet, dashed
    if (riding && this.myAuto > 0 && this.myAuto <= top) {
      const y = Y(this.myAuto);
      g.lineStyle(2, COLORS.green, 0.7);
      for (let x = PLOT.x0; x < PLOT.x1; x += 18) g.lineBetween(x, y, Math.min(x + 10, PLOT.x1), y);
    }
    if (s.phase === 'betting' || t <= 0) {
      this.headGlow.setVisible(false);
      this.tags.forEach((tag) => tag.setVisible(false));
      return;
    }
    const crashed = s.phase === 'crashed';
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
    // cash-outs of this round on the curve
    const outs: Array<{ name: string; at: number; me: boolean }> = [];
    s.bets.forEach((b, userId) => {
      if (b.status === 'cashed_out' && b.cashedOutAt > 0) outs.push({ name: b.username, at: b.cashedOutAt, me: userId === this.userId });
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

  private drawReadout(s: CrashState, m: number, now: number): void {
    const riding = this.status === 'placed' && this.statusRound === s.roundId;
    if (s.phase === 'betting') {
      const left = Math.max(0, s.bettingEndsAt - now);
      this.readout
        .setText(`${(left / 1000).toFixed(1)}s`)
        .setColor('#ffd6fb')
        .setFontSize(72);
      this.sub.setText(riding ? `YOUR BET ${fmt(this.myAmount)} IS IN · STARTING SOON` : 'PLACE YOUR BETS').setColor('#3ef0ff');
      // betting progress bar under the readout
      if (this.betWindow.round !== s.roundId) this.betWindow = { round: s.roundId, ms: Math.max(1000, left) };
      const w = 360,
        x = this.centerX - w / 2,
        y = 372;
      const frac = Math.min(1, left / this.betWindow.ms);
      this.chart.fillStyle(COLORS.line, 0.8).fillRoundedRect(x, y, w, 10, 5);
      this.chart.fillStyle(COLORS.cyan, 1).fillRoundedRect(x, y, Math.max(10, w * frac), 10, 5);
      this.canvasCashout.text.setText('CASH OUT');
      return;
    }
    const crashed = s.phase === 'crashed';
    const cashed = this.status === 'cashed_out' && this.statusRound === s.roundId;
    this.readout
      .setText(x100(m))
      .setFontSize(88)
      .setColor(crashed ? '#ff5a7a' : cashed ? '#53f29a' : '#ffffff');
    if (crashed) this.sub.setText(`CRASHED AT ${x100(m)}`).setColor('#ff5a7a');
    else if (cashed) this.sub.setText(`YOU CASHED OUT · +${fmt(this.lastPayout)} GOLD`).setColor('#53f29a');
    else if (riding) this.sub.setText(`RIDING ${fmt(this.myAmount)} GOLD`).setColor('#ffc83d');
    else this.sub.setText('ROUND IN PROGRESS').setColor('#a99fd6');
    this.canvasCashout.text.setText(riding && !crashed ? `CASH OUT ${fmt(payoutAt(this.myAmount, m))}` : 'CASH OUT');
  }
}

/** A round grid step ≥ raw from 1-2-2.5-5 × 10^n (hundredths or ms). */
function niceStep(raw: number, mantissas = [1, 2, 2.5, 5]): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(raw, 1e-9)));
  for (const k of mantissas) if (k * p >= raw) return k * p;
  return 10 * p;
}
