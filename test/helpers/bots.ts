import type { Room } from '@colyseus/sdk';
import { joinAs } from './room-client.ts';

/**
 * Players for fault tests: each bot holds one real room connection (@colyseus/sdk) to a server process and plays
 * by itself until stopped, recording what it was told and how long each answer took. A bot never throws: a
 * dropped connection (a killed process) just ends its play.
 */
interface Answer {
  type: string;
  code?: string;
  ms: number;
  at: number;
}

abstract class Bot {
  readonly answers: Answer[] = [];
  readonly errors = new Map<string, number>();
  /** requests that went unanswered for longer than `stuckMs` (then resent) */
  stuck = 0;
  left = false;
  protected running = true;
  protected sentAt = 0;
  protected awaiting = false;
  /** the type of the request in flight */
  pendingType = '';
  private watchdog: NodeJS.Timeout;

  protected constructor(
    readonly room: Room,
    protected readonly stuckMs = 10_000,
  ) {
    room.reconnection.enabled = false; // a killed process is gone: the bot stops instead of retrying
    room.onLeave(() => {
      this.left = true;
      this.running = false;
    });
    room.onMessage('*', (type: string | number, payload: any) => this.onMessage(String(type), payload));
    this.watchdog = setInterval(() => this.watch(), 100);
  }

  protected abstract onMessage(type: string, payload: any): void;
  protected abstract watch(): void;

  protected record(type: string, payload: any) {
    const code = type === 'error' ? String(payload?.code) : undefined;
    if (code) this.errors.set(code, (this.errors.get(code) ?? 0) + 1);
    this.answers.push({ type, code, ms: this.awaiting ? Date.now() - this.sentAt : 0, at: Date.now() });
    this.awaiting = false;
  }

  protected send(type: string, payload: unknown) {
    if (!this.running || this.left) return;
    this.sentAt = Date.now();
    this.awaiting = true;
    this.pendingType = type;
    try {
      this.room.send(type, payload);
    } catch {
      this.running = false;
    }
  }

  /** Stops playing; waits for the answer in flight (at most `waitMs`), then leaves the room. */
  async stop(waitMs = 5000): Promise<void> {
    this.running = false;
    const end = Date.now() + waitMs;
    while (this.awaiting && !this.left && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
    clearInterval(this.watchdog);
    if (!this.left) await this.room.leave().catch(() => undefined);
  }

  /** Halts the bot without leaving (the connection is about to die). */
  halt() {
    this.running = false;
    clearInterval(this.watchdog);
  }

  count(type: string) {
    return this.answers.filter((a) => a.type === type).length;
  }

  /** How long the request in flight has waited for its answer (0 when none is). */
  pendingFor(): number {
    return this.awaiting && !this.left ? Date.now() - this.sentAt : 0;
  }

  /** `type waiting N ms` for the request in flight, or ''. */
  pending(): string {
    return this.pendingFor() > 0 ? `${this.constructor.name} ${this.pendingType} waiting ${this.pendingFor()} ms` : '';
  }

  /** Answers to requests sent at or after `from` and received at or before `to`. */
  answersBetween(from: number, to: number): Answer[] {
    return this.answers.filter((a) => a.at - a.ms >= from && a.at <= to);
  }
}

/** Spins again as soon as a result (or, after a pause, an error) arrives. */
export class SlotBot extends Bot {
  readonly shown: string[] = [];

  private constructor(
    room: Room,
    private readonly betPerLine: number,
    private readonly pauseMs: number,
  ) {
    super(room);
  }

  static async join(url: string, token: string, opts: { betPerLine?: number; pauseMs?: number } = {}): Promise<SlotBot> {
    const bot = new SlotBot(await joinAs(url, token, 'slot'), opts.betPerLine ?? 1, opts.pauseMs ?? 30);
    bot.spin();
    return bot;
  }

  private spin() {
    this.send('spin', { betPerLine: this.betPerLine });
  }

  protected onMessage(type: string, payload: any) {
    if (type !== 'spin_result' && type !== 'error') return;
    this.record(type, payload);
    if (type === 'spin_result') this.shown.push(payload.round_id, ...payload.free_spins.map((f: { round_id: string }) => f.round_id));
    setTimeout(() => this.spin(), type === 'error' ? 250 : this.pauseMs);
  }

  protected watch() {
    if (this.running && this.awaiting && Date.now() - this.sentAt > this.stuckMs) {
      this.stuck++;
      this.spin();
    }
  }
}

/** Bets on every round it sees open for betting (half of the bots with an auto cash-out), sometimes cashes out by hand. */
export class CrashBot extends Bot {
  /** crash round ids this bot's bets were accepted in */
  readonly betRounds = new Set<string>();
  /** the cash-outs this bot was told about (paid and committed) */
  readonly cashedOut: Array<{ round_id: string; payout: number; multiplier: number }> = [];
  private lastRound = '';
  private cashedOutOf = '';

  private constructor(
    room: Room,
    private readonly amount: number,
    private readonly autoCashout: number | null,
    private readonly cashoutAt: number | null,
  ) {
    super(room);
  }

  static async join(
    url: string,
    token: string,
    opts: { amount?: number; autoCashout?: number | null; cashoutAt?: number | null } = {},
  ): Promise<CrashBot> {
    return new CrashBot(await joinAs(url, token, 'crash'), opts.amount ?? 10, opts.autoCashout ?? null, opts.cashoutAt ?? null);
  }

  get state(): any {
    return this.room.state;
  }

  protected onMessage(type: string, payload: any) {
    if (type === 'bet_placed') this.betRounds.add(String(payload.crash_round_id));
    if (type === 'cashed_out') this.cashedOut.push({ round_id: payload.round_id, payout: payload.payout, multiplier: payload.multiplier });
    if (type === 'bet_placed' || type === 'cashed_out' || type === 'error') this.record(type, payload);
  }

  protected watch() {
    const st = this.state;
    if (!this.running || !st) return;
    if (st.phase === 'betting' && st.roundId && st.roundId !== this.lastRound && st.bettingEndsAt - Date.now() > 300) {
      this.lastRound = st.roundId;
      this.send('bet', { amount: this.amount, autoCashout: this.autoCashout });
    } else if (
      this.cashoutAt !== null &&
      st.phase === 'running' &&
      st.multiplier >= this.cashoutAt &&
      this.cashedOutOf !== st.roundId &&
      this.betRounds.has(st.roundId)
    ) {
      this.cashedOutOf = st.roundId;
      this.send('cashout', {});
    }
  }
}

/** How many answers of `type` the bots received, together. */
export function total(bots: Array<{ count(type: string): number }>, type: string): number {
  return bots.reduce((n, b) => n + b.count(type), 0);
}

/** Stops every bot (in parallel). */
export async function stopAll(bots: Array<{ stop: () => Promise<void> }>): Promise<void> {
  await Promise.all(bots.map((b) => b.stop()));
}
