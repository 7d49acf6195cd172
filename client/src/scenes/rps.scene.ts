// Rock-paper-scissors: pick a stake, find an opponent (the house takes the seat when nobody comes), pick one of
// three hands before the deadline, watch both picks revealed, see the payouts and rake. One room per duel; "Play
// again" leaves it and joins a new one. Balances only ever come from the server (the `balances` message, the wallet).
import Phaser from 'phaser';
import type { Room } from '@colyseus/sdk';
import { PICKS, type RpsPick } from '../../../domain/games/rps/rules.ts';
import type { RpsState } from '../../../rooms/rps/rps.state.ts';
import { api } from '../net/api.ts';
import { ask, joinRoom, leaveRoom, RoomError } from '../net/rooms.ts';
import type { Balances, Seeds } from '../net/types.ts';
import { refreshDashboard, refreshWallet } from '../app.ts';
import { setBalances, store, toast } from '../state/store.ts';
import { COLORS } from '../config.ts';
import { fill, fmt, h } from '../ui/dom.ts';
import { drawHand, HAND_COLORS } from '../ui/rps-hands.ts';
import { registerButton, setInfo } from '../testing/hooks.ts';
import { NeonScene } from './base.ts';

type Mode = 'idle' | 'joining' | 'waiting' | 'picking' | 'done';
type SeatKey = 'a' | 'b';
interface HouseInfo {
  pick: RpsPick;
  nonce: number;
  server_seed_hash: string;
}
interface DuelResult {
  duel_id?: string;
  picks: Record<SeatKey, RpsPick | null>;
  result: SeatKey | 'draw' | 'void';
  payouts: Record<SeatKey, number>;
  rake: number;
  house: HouseInfo | null;
}

const STAKES = [10, 25, 50, 100, 250, 500];
const KEYS: Record<string, RpsPick> = { KeyR: 'rock', KeyP: 'paper', KeyS: 'scissors' };
const NAMES: Record<RpsPick, string> = { rock: 'Rock', paper: 'Paper', scissors: 'Scissors' };
const CARD = { w: 190, h: 236, y: 318, xs: [410, 640, 870] };
const DUEL = { y: 318, mine: 455, theirs: 825 };
/** the reconnection token rooms.ts keeps for a seat (a reload rejoins it) */
const SAVED_SEAT = 'neon.room.rps';

export class RpsScene extends NeonScene {
  private room: Room<any, RpsState> | null = null;
  private mode: Mode = 'idle';
  private stake = 50;
  private userId = '';
  private seat: SeatKey | null = null;
  private myPick: RpsPick | null = null;
  private picking = false;
  private leaving = false;
  private revealedRoom = '';
  private duels = 0;
  private errors = 0;
  private walletRefreshes = 0;
  private commitment: string | null = null;
  private lastResult: DuelResult | null = null;
  private stateKey = '';
  /** the pick window's length as first seen (the state carries only its deadline) */
  private pickWindow = { deadline: 0, ms: 1 };

  // canvas
  private header!: Phaser.GameObjects.Text;
  private sub!: Phaser.GameObjects.Text;
  private cards: Array<{
    pick: RpsPick;
    bg: Phaser.GameObjects.Graphics;
    hand: Phaser.GameObjects.Container;
    g: Phaser.GameObjects.Graphics;
    label: Phaser.GameObjects.Text;
    key: Phaser.GameObjects.Text;
    zone: Phaser.GameObjects.Zone;
    hover: boolean;
  }> = [];
  private duel!: {
    mine: Phaser.GameObjects.Container;
    mineG: Phaser.GameObjects.Graphics;
    theirs: Phaser.GameObjects.Container;
    theirsG: Phaser.GameObjects.Graphics;
    mineGlow: Phaser.GameObjects.Image;
    theirsGlow: Phaser.GameObjects.Image;
    mineName: Phaser.GameObjects.Text;
    theirsName: Phaser.GameObjects.Text;
    vs: Phaser.GameObjects.Text;
    unknown: Phaser.GameObjects.Text;
  };
  private banner!: Phaser.GameObjects.Text;
  private bannerSub!: Phaser.GameObjects.Text;
  private fx!: Phaser.GameObjects.Graphics;
  private sparks!: Phaser.GameObjects.Particles.ParticleEmitter;
  private revealing = false;

  // DOM
  private sections!: Record<'idle' | 'wait' | 'pick' | 'done', HTMLElement>;
  private stakeButtons: HTMLButtonElement[] = [];
  private findButton!: HTMLButtonElement;
  private pickButtons: HTMLButtonElement[] = [];
  private timerText!: HTMLElement;
  private waitText!: HTMLElement;
  private resultText!: HTMLElement;
  private againButton!: HTMLButtonElement;
  private duelPanel!: HTMLElement;
  private fairPanel!: HTMLElement;
  private historyList!: HTMLElement;

  constructor() {
    super('rps');
  }

  protected async build(): Promise<void> {
    Object.assign(this, {
      room: null,
      mode: 'idle',
      seat: null,
      myPick: null,
      picking: false,
      leaving: false,
      revealedRoom: '',
      duels: 0,
      errors: 0,
      walletRefreshes: 0,
      commitment: null,
      lastResult: null,
      stateKey: '',
      revealing: false,
    });
    this.cards = [];
    this.stakeButtons = [];
    this.pickButtons = [];
    this.userId = store.getState().auth.userId ?? '';
    this.stake = Number(sessionStorage.getItem('neon.rps.stake')) || 50;
    this.buildCanvas();
    this.buildDom();
    setInfo('duels', 0);
    setInfo('errors', 0);
    setInfo('walletRefreshes', 0);
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

  // ---------------------------------------------------------------- building

  private buildCanvas(): void {
    this.title('ROCK · PAPER · SCISSORS', 92);
    this.header = this.add
      .text(this.centerX, 148, '', { fontFamily: 'DejaVu Sans', fontSize: '22px', fontStyle: 'bold', color: '#3ef0ff' })
      .setOrigin(0.5);
    this.fx = this.add.graphics();
    PICKS.forEach((pick, i) => {
      const x = CARD.xs[i];
      const bg = this.add.graphics();
      const g = this.add.graphics();
      const hand = this.add.container(x, CARD.y - 2, [g]).setScale(0.78);
      drawHand(g, pick);
      const label = this.add
        .text(x, CARD.y + 78, NAMES[pick].toUpperCase(), {
          fontFamily: 'DejaVu Sans',
          fontSize: '22px',
          fontStyle: 'bold',
          color: '#efeaff',
        })
        .setOrigin(0.5);
      const key = this.add
        .text(x, CARD.y + 102, `press ${pick[0].toUpperCase()}`, { fontFamily: 'DejaVu Sans', fontSize: '13px', color: '#a99fd6' })
        .setOrigin(0.5);
      const zone = this.add.zone(x, CARD.y, CARD.w, CARD.h).setInteractive({ useHandCursor: true });
      const card = { pick, bg, hand, g, label, key, zone, hover: false };
      zone.on(Phaser.Input.Events.POINTER_OVER, () => {
        card.hover = true;
        this.drawCard(card);
      });
      zone.on(Phaser.Input.Events.POINTER_OUT, () => {
        card.hover = false;
        this.drawCard(card);
      });
      zone.on(Phaser.Input.Events.POINTER_DOWN, () => void this.pick(pick));
      registerButton(`pick-${pick}`, { x: x - CARD.w / 2, y: CARD.y - CARD.h / 2, width: CARD.w, height: CARD.h });
      this.cards.push(card);
      this.tweens.add({ targets: hand, y: hand.y - 8, duration: 1100 + i * 170, yoyo: true, repeat: -1, ease: 'Sine.easeInOut' });
    });
    const glow = (x: number) => this.add.image(x, DUEL.y, 'glow').setScale(4.2).setBlendMode(Phaser.BlendModes.ADD).setAlpha(0.5);
    const mineGlow = glow(DUEL.mine),
      theirsGlow = glow(DUEL.theirs);
    const mineG = this.add.graphics(),
      theirsG = this.add.graphics();
    const mine = this.add.container(DUEL.mine, DUEL.y, [mineG]).setRotation(Math.PI / 2);
    const theirs = this.add
      .container(DUEL.theirs, DUEL.y, [theirsG])
      .setRotation(-Math.PI / 2)
      .setScale(-1, 1);
    const nameStyle = { fontFamily: 'DejaVu Sans', fontSize: '20px', fontStyle: 'bold', color: '#ffd6fb' };
    this.duel = {
      mine,
      mineG,
      theirs,
      theirsG,
      mineGlow,
      theirsGlow,
      mineName: this.add.text(DUEL.mine, 200, 'YOU', nameStyle).setOrigin(0.5),
      theirsName: this.add.text(DUEL.theirs, 200, '', nameStyle).setOrigin(0.5),
      vs: this.add
        .text(this.centerX, DUEL.y, 'VS', { fontFamily: 'DejaVu Sans', fontSize: '46px', fontStyle: 'bold', color: '#ffffff' })
        .setOrigin(0.5)
        .setShadow(0, 0, '#3ef0ff', 18, true, true),
      unknown: this.add
        .text(DUEL.theirs, DUEL.y, '?', { fontFamily: 'DejaVu Sans', fontSize: '120px', fontStyle: 'bold', color: '#a99fd6' })
        .setOrigin(0.5)
        .setShadow(0, 0, '#7b5cff', 20, true, true),
    };
    this.tweens.add({ targets: this.duel.unknown, alpha: 0.35, duration: 650, yoyo: true, repeat: -1 });
    this.banner = this.add
      .text(this.centerX, 492, '', { fontFamily: 'DejaVu Sans', fontSize: '46px', fontStyle: 'bold', color: '#53f29a' })
      .setOrigin(0.5)
      .setShadow(0, 0, '#000000', 12, true, true);
    this.bannerSub = this.add.text(this.centerX, 545, '', { fontFamily: 'DejaVu Sans', fontSize: '20px', color: '#efeaff' }).setOrigin(0.5);
    this.sub = this.add.text(this.centerX, 470, '', { fontFamily: 'DejaVu Sans', fontSize: '17px', color: '#a99fd6' }).setOrigin(0.5);
    this.sparks = this.add.particles(0, 0, 'dot', {
      lifespan: 900,
      speed: { min: 120, max: 320 },
      scale: { start: 0.6, end: 0 },
      alpha: { start: 1, end: 0 },
      tint: [COLORS.green, COLORS.gold, COLORS.cyan],
      blendMode: 'ADD',
      emitting: false,
    });
  }

  private drawCard(c: RpsScene['cards'][number]): void {
    const on = this.mode === 'picking' && !this.myPick;
    const color = HAND_COLORS[c.pick];
    const x = c.zone.x - CARD.w / 2,
      y = CARD.y - CARD.h / 2;
    c.bg.clear();
    if (on && c.hover) c.bg.fillStyle(color, 0.16).fillRoundedRect(x - 8, y - 8, CARD.w + 16, CARD.h + 16, 22);
    c.bg.fillStyle(COLORS.panel, 0.94).fillRoundedRect(x, y, CARD.w, CARD.h, 16);
    c.bg.lineStyle(on && c.hover ? 5 : 3, color, on ? 1 : 0.55).strokeRoundedRect(x, y, CARD.w, CARD.h, 16);
  }

  private buildDom(): void {
    this.screen.classList.add('game');
    this.stakeButtons = STAKES.map((s) =>
      h('button', { type: 'button', testid: `rps-stake-${s}`, 'aria-pressed': 'false', onclick: () => this.chooseStake(s) }, fmt(s)),
    );
    this.findButton = h(
      'button',
      { class: 'primary big', testid: 'rps-find', onclick: () => void this.enter(this.stake) },
      'Find opponent',
    );
    this.pickButtons = PICKS.map((p) =>
      h(
        'button',
        { class: 'big', testid: `rps-pick-${p}`, onclick: () => void this.pick(p), title: `Key ${p[0].toUpperCase()}` },
        `${NAMES[p]} (${p[0].toUpperCase()})`,
      ),
    );
    this.timerText = h('span', { class: 'muted', testid: 'rps-timer', style: { minWidth: '4.5em' } });
    this.waitText = h('span', { testid: 'rps-wait-text' }, 'Looking for an opponent…');
    this.resultText = h('span', { testid: 'rps-result-text', role: 'status', 'aria-live': 'polite' });
    this.againButton = h('button', { class: 'primary big', testid: 'rps-again', onclick: () => void this.enter(this.stake) }, 'Play again');
    this.sections = {
      idle: h(
        'div',
        { class: 'row' },
        h('span', { class: 'muted' }, 'Stake'),
        h('div', { class: 'row', role: 'group', 'aria-label': 'Stake (GOLD)', style: { gap: '.3em' } }, ...this.stakeButtons),
        this.findButton,
      ),
      wait: h(
        'div',
        { class: 'row' },
        this.waitText,
        h('button', { testid: 'rps-cancel', onclick: () => void this.cancel() }, 'Cancel (Esc)'),
      ),
      pick: h('div', { class: 'row' }, ...this.pickButtons, this.timerText),
      done: h(
        'div',
        { class: 'row' },
        this.resultText,
        this.againButton,
        h('button', { testid: 'rps-change', onclick: () => void this.backToStakes() }, 'Change stake'),
      ),
    };
    this.duelPanel = h('div', { class: 'small', testid: 'rps-duel' });
    this.fairPanel = h('div', { class: 'small', testid: 'rps-fairness' });
    this.historyList = h('div', { class: 'small', testid: 'rps-history' }, h('p', { class: 'muted' }, 'Your duels show here.'));
    this.screen.append(
      h(
        'aside',
        { class: 'panel side left', 'aria-label': 'This duel' },
        h('h2', {}, 'Duel'),
        this.duelPanel,
        h('h3', {}, 'Rules'),
        h(
          'p',
          { class: 'small muted' },
          'Rock beats scissors, scissors beat paper, paper beats rock. The winner takes the pot minus a 2 % rake; a draw returns both stakes. No pick before the timer ends forfeits.',
        ),
      ),
      h(
        'aside',
        { class: 'panel side right', 'aria-label': 'Fairness and history' },
        h('h2', {}, 'Fairness'),
        this.fairPanel,
        h('h2', { style: { marginTop: '.8em' } }, 'Your duels'),
        this.historyList,
      ),
      h(
        'div',
        { class: 'controls', testid: 'rps-controls' },
        ...Object.values(this.sections),
        h(
          'span',
          { class: 'muted small' },
          'R · P · S pick · Enter plays · ',
          h('a', { href: '#/fairness', style: { color: 'var(--cyan)' } }, 'verify rounds'),
        ),
      ),
    );
    this.chooseStake(this.stake);
    this.renderFairness();

    const onKey = (e: KeyboardEvent) => {
      if (e.repeat || e.ctrlKey || e.metaKey || e.altKey) return;
      const t = e.target as HTMLElement | null;
      const tag = t?.tagName ?? '';
      if (tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA' || t?.isContentEditable) return;
      const pick = KEYS[e.code];
      if (pick && this.mode === 'picking') {
        e.preventDefault();
        void this.pick(pick);
        return;
      }
      if (e.code === 'Escape' && this.mode === 'waiting') {
        e.preventDefault();
        void this.cancel();
        return;
      }
      // Enter plays, also on a just chosen stake chip; other focused buttons and links keep their Enter
      const onChip = tag === 'BUTTON' && this.sections.idle.contains(t);
      if (
        (e.code === 'Enter' || e.code === 'NumpadEnter') &&
        (onChip || (tag !== 'BUTTON' && tag !== 'A')) &&
        (this.mode === 'idle' || this.mode === 'done')
      ) {
        e.preventDefault();
        void this.enter(this.stake);
      }
    };
    window.addEventListener('keydown', onKey);
    this.onCleanup(() => window.removeEventListener('keydown', onKey));
  }

  private chooseStake(s: number): void {
    this.stake = s;
    sessionStorage.setItem('neon.rps.stake', String(s));
    for (const b of this.stakeButtons) {
      const on = b.dataset.testid === `rps-stake-${s}`;
      b.setAttribute('aria-pressed', String(on));
      b.classList.toggle('primary', on);
    }
    this.findButton.textContent = `Find opponent · ${fmt(s)} GOLD`;
    setInfo('stake', s);
  }

  // ---------------------------------------------------------------- room life

  /** Joins a new duel at `stake` (leaving a finished one first), or with rejoin only takes back a held seat. */
  private async enter(stake: number, rejoin = false): Promise<void> {
    if (!rejoin && this.mode !== 'idle' && this.mode !== 'done') return;
    if (this.room) {
      this.leaving = true;
      await leaveRoom(this.room);
      this.room = null;
      this.leaving = false;
    }
    if (!this.active) return;
    Object.assign(this, { seat: null, myPick: null, lastResult: null, commitment: null, stateKey: '' });
    this.setMode('joining');
    let room: Room<any, RpsState>;
    try {
      room = await joinRoom<RpsState>('rps', { stake });
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
    this.attach(room);
    void this.refreshWallet(); // the stake was escrowed on join
  }

  private attach(room: Room<any, RpsState>): void {
    setInfo('roomId', room.roomId);
    room.onMessage('seat', (m: { seat: SeatKey; stake: number; duel_id: string }) => {
      this.seat = m.seat;
      setInfo('seat', m.seat);
      setInfo('duelId', m.duel_id);
    });
    room.onMessage('pick_accepted', () => undefined);
    room.onMessage('result', (m: DuelResult) => this.onResult(room, m));
    room.onMessage('balances', (m: { balances: Balances }) => {
      setBalances(m.balances);
      this.duels++;
      setInfo('duels', this.duels);
    });
    room.onMessage('error', () => undefined);
    room.onStateChange((s) => this.onState(room, s));
    room.onLeave(() => {
      if (this.room !== room) return;
      this.room = null;
      if (this.leaving || !this.active) return;
      if (this.mode !== 'done') {
        toast('The duel connection was lost.', 'error');
        this.setMode('idle');
        void this.refreshWallet();
      }
    });
    if (room.state) this.onState(room, room.state);
  }

  private onState(room: Room<any, RpsState>, s: RpsState): void {
    if (!this.active || this.room !== room || !s?.seats) return; // (collections arrive with the first full state)
    if (!this.seat)
      s.seats.forEach((seat, key) => {
        if (!seat.isHouse && seat.userId === this.userId) this.seat = key as SeatKey;
      });
    const me = this.seat ? s.seats.get(this.seat) : undefined;
    if (me?.hasPicked && me.pick && !this.myPick) {
      this.myPick = me.pick as RpsPick;
      setInfo('picked', this.myPick);
    }
    const opp = this.opponent(s);
    if (opp?.isHouse && !this.commitment) void this.loadCommitment();
    const key = [s.phase, s.result, this.seat, me?.hasPicked, opp?.username, opp?.hasPicked, this.myPick].join('|');
    if (key !== this.stateKey) {
      this.stateKey = key;
      this.renderDuel(s);
      if (s.phase === 'waiting') this.setMode('waiting');
      else if (s.phase === 'picking') this.setMode('picking');
      else if (s.phase === 'done' && this.revealedRoom !== room.roomId) {
        // rejoined after the reveal (no result message): the state holds the same facts
        const seat = (k: SeatKey) => s.seats.get(k);
        this.onResult(
          room,
          {
            picks: { a: (seat('a')?.revealed || null) as RpsPick | null, b: (seat('b')?.revealed || null) as RpsPick | null },
            result: (s.result || 'void') as DuelResult['result'],
            payouts: { a: seat('a')?.payout ?? 0, b: seat('b')?.payout ?? 0 },
            rake: s.rake,
            house: null,
          },
          false,
        );
        void this.refreshWallet();
      }
    }
  }

  private opponent(s: RpsState) {
    const other = this.seat === 'a' ? 'b' : this.seat === 'b' ? 'a' : null;
    return other ? s.seats?.get(other) : undefined;
  }

  private async cancel(): Promise<void> {
    if (this.mode !== 'waiting' && this.mode !== 'joining') return;
    if (!this.room) return;
    this.leaving = true;
    await leaveRoom(this.room);
    this.room = null;
    this.leaving = false;
    if (!this.active) return;
    toast('Left the queue: your stake is refunded.', 'info');
    this.setMode('idle');
    void this.refreshWallet();
  }

  private async backToStakes(): Promise<void> {
    if (this.mode !== 'done') return;
    this.leaving = true;
    await leaveRoom(this.room);
    this.room = null;
    this.leaving = false;
    if (this.active) this.setMode('idle');
  }

  private async pick(p: RpsPick): Promise<void> {
    const room = this.room;
    if (!room || this.mode !== 'picking' || this.myPick || this.picking) return;
    this.picking = true;
    this.pickButtons.forEach((b) => {
      b.disabled = true;
    });
    try {
      const { body } = await ask<{ pick: RpsPick }>(room, 'pick', { pick: p }, ['pick_accepted']);
      if (!this.active || this.room !== room) return;
      this.myPick = body.pick;
      setInfo('picked', body.pick);
      this.stateKey = '';
      if (room.state) this.onState(room, room.state);
      if (this.mode === 'picking') this.setMode('picking');
    } catch (err) {
      if (this.active) this.fail(err, 'The pick was refused');
    } finally {
      this.picking = false;
      if (this.active && this.mode === 'picking')
        this.pickButtons.forEach((b) => {
          b.disabled = !!this.myPick;
        });
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
    this.commitment = '';
    try {
      const seeds = await api<Seeds>('GET', '/fairness/seeds');
      if (!this.active) return;
      this.commitment = seeds.server_seed_hash;
      this.renderFairness();
    } catch {
      this.commitment = null;
    }
  }

  private fail(err: unknown, what: string): void {
    let code = 'internal/error',
      text = `${what}.`;
    if (err instanceof RoomError) {
      code = err.code;
      text = err.message;
    } else if (err instanceof Error) {
      text = /GOLD|stake|funds/i.test(err.message) ? err.message : `${what}: ${err.message}`;
      const c = (err as { code?: unknown }).code;
      if (typeof c === 'string' || typeof c === 'number') code = String(c);
    }
    this.errors++;
    setInfo('lastError', code);
    setInfo('lastErrorText', text);
    setInfo('errors', this.errors);
    toast(text, 'error');
  }

  // ---------------------------------------------------------------- the reveal

  private onResult(room: Room<any, RpsState>, r: DuelResult, animate = true): void {
    if (!this.active || this.room !== room) return;
    if (this.revealedRoom === room.roomId) {
      // the state-built result came first: keep it, add what only the message carries (the house's fairness facts)
      if (r.house && this.lastResult && !this.lastResult.house) {
        this.lastResult.house = r.house;
        this.renderFairness();
      }
      return;
    }
    this.revealedRoom = room.roomId;
    this.lastResult = r;
    const seat = this.seat ?? 'a';
    const other: SeatKey = seat === 'a' ? 'b' : 'a';
    const outcome = r.result === 'void' ? 'void' : r.result === 'draw' ? 'draw' : r.result === seat ? 'win' : 'loss';
    setInfo('result', outcome);
    setInfo('payout', r.payouts[seat]);
    setInfo('rake', r.rake);
    setInfo('opponentPick', r.picks[other] ?? 'none');
    this.setMode('done');
    this.resultText.textContent = 'Revealing…';
    this.renderFairness();
    const finish = () => {
      if (!this.active || this.room !== room) return;
      this.revealing = false;
      drawHand(this.duel.mineG, r.picks[seat]);
      drawHand(this.duel.theirsG, r.picks[other]);
      this.duel.unknown.setVisible(false);
      this.duel.mineGlow.setTint(r.picks[seat] ? HAND_COLORS[r.picks[seat]!] : COLORS.red);
      this.duel.theirsGlow.setTint(r.picks[other] ? HAND_COLORS[r.picks[other]!] : COLORS.red);
      const won = outcome === 'win',
        lost = outcome === 'loss';
      this.duel.mine.setAlpha(lost ? 0.45 : 1);
      this.duel.theirs.setAlpha(won ? 0.45 : 1);
      this.duel.mineGlow.setAlpha(lost ? 0.12 : 0.55);
      this.duel.theirsGlow.setAlpha(won ? 0.12 : 0.55);
      // the winning hand pops (the opponent's hand is mirrored: scaleX stays negative)
      if (won && animate)
        this.tweens.add({
          targets: this.duel.mine,
          scaleX: { from: 1.3, to: 1 },
          scaleY: { from: 1.3, to: 1 },
          duration: 380,
          ease: 'Back.easeOut',
        });
      if (lost && animate)
        this.tweens.add({
          targets: this.duel.theirs,
          scaleX: { from: -1.3, to: -1 },
          scaleY: { from: 1.3, to: 1 },
          duration: 380,
          ease: 'Back.easeOut',
        });
      const mine = r.payouts[seat];
      const pot = 2 * (room.state?.stake ?? this.stake);
      const [title, color, line] =
        outcome === 'win'
          ? ['YOU WIN', '#53f29a', `+${fmt(mine)} GOLD · pot ${fmt(pot)} − rake ${fmt(r.rake)}`]
          : outcome === 'loss'
            ? ['YOU LOSE', '#ff5a7a', `${r.picks[seat] ? '' : 'No pick in time · '}−${fmt(pot / 2)} GOLD`]
            : outcome === 'draw'
              ? ['DRAW', '#ffc83d', `Stake returned: ${fmt(mine)} GOLD`]
              : ['NO DUEL', '#a99fd6', `Nobody picked · stakes returned`];
      this.banner.setText(title).setColor(color).setVisible(true);
      this.bannerSub.setText(line).setVisible(true);
      if (animate)
        this.tweens.add({
          targets: this.banner,
          scale: { from: 1.4, to: 1 },
          alpha: { from: 0, to: 1 },
          duration: 320,
          ease: 'Back.easeOut',
        });
      if (won && animate) this.sparks.explode(60, DUEL.mine, DUEL.y);
      this.header.setText(this.describePicks(r, seat, other)).setColor('#efeaff');
      this.resultText.textContent = `${title === 'YOU WIN' ? 'You won' : title === 'YOU LOSE' ? 'You lost' : title === 'DRAW' ? 'Draw' : 'No duel'} · ${line}`;
      this.resultText.className = won ? 'win' : lost ? 'loss' : 'muted';
      this.addHistory(r, seat, other, outcome, pot / 2);
      setInfo('reveal', room.roomId);
    };
    this.showDuel(null);
    if (!animate) {
      finish();
      return;
    }
    // both hands shake three times as fists, then open on the real picks
    this.revealing = true;
    drawHand(this.duel.mineG, 'rock', COLORS.cyan);
    drawHand(this.duel.theirsG, 'rock', COLORS.cyan);
    this.duel.unknown.setVisible(false);
    this.banner.setVisible(false);
    this.bannerSub.setVisible(false);
    const words = ['ROCK…', 'PAPER…', 'SCISSORS…'];
    let beat = 0;
    this.header.setText(words[0]).setColor('#ffc83d');
    this.tweens.add({
      targets: [this.duel.mine, this.duel.theirs],
      y: DUEL.y - 34,
      duration: 170,
      yoyo: true,
      repeat: 2,
      ease: 'Sine.easeInOut',
      onRepeat: () => {
        beat = Math.min(beat + 1, 2);
        if (this.active) this.header.setText(words[beat]);
      },
      onComplete: () => finish(),
    });
  }

  private describePicks(r: DuelResult, seat: SeatKey, other: SeatKey): string {
    const name = (p: RpsPick | null) => (p ? NAMES[p].toUpperCase() : 'NO PICK');
    return `${name(r.picks[seat])}  vs  ${name(r.picks[other])}`;
  }

  private addHistory(r: DuelResult, seat: SeatKey, other: SeatKey, outcome: string, stake: number): void {
    if (this.historyList.querySelector('p.muted')) this.historyList.replaceChildren();
    const opp = this.room?.state ? this.opponent(this.room.state) : undefined;
    const mine = r.payouts[seat];
    const right =
      outcome === 'win'
        ? h('span', { class: 'win' }, `+${fmt(mine)}`)
        : outcome === 'loss'
          ? h('span', { class: 'loss' }, `−${fmt(stake)}`)
          : h('span', { class: 'muted' }, outcome);
    this.historyList.prepend(
      h(
        'div',
        { class: 'item', testid: 'rps-history-row' },
        h(
          'span',
          {},
          `${r.picks[seat] ? NAMES[r.picks[seat]!] : 'No pick'} vs ${r.picks[other] ? NAMES[r.picks[other]!] : 'no pick'}`,
          h('br'),
          h('span', { class: 'muted' }, `${opp?.isHouse ? 'House' : (opp?.username ?? 'Opponent')} · stake ${fmt(stake)}`),
        ),
        right,
      ),
    );
    while (this.historyList.childElementCount > 10) this.historyList.lastElementChild?.remove();
  }

  // ---------------------------------------------------------------- views

  private setMode(mode: Mode): void {
    const prev = this.mode;
    this.mode = mode;
    setInfo('phase', mode);
    const show = { idle: mode === 'idle', wait: mode === 'joining' || mode === 'waiting', pick: mode === 'picking', done: mode === 'done' };
    // (style, not the hidden attribute: .row sets display and would win over [hidden])
    for (const [k, el] of Object.entries(this.sections)) el.style.display = show[k as keyof typeof show] ? '' : 'none';
    this.pickButtons.forEach((b) => {
      b.disabled = mode !== 'picking' || !!this.myPick || this.picking;
      b.classList.toggle('primary', false);
    });
    if (this.myPick) this.pickButtons[PICKS.indexOf(this.myPick)]?.classList.add('primary');
    this.againButton.textContent = `Play again · ${fmt(this.room?.state?.stake || this.stake)} GOLD`;
    this.waitText.textContent =
      mode === 'joining'
        ? `Joining a ${fmt(this.stake)} GOLD duel…`
        : `Waiting for an opponent at ${fmt(this.room?.state?.stake || this.stake)} GOLD…`;

    const choosing = mode === 'idle' || (mode === 'picking' && !this.myPick);
    this.cards.forEach((c) => {
      c.bg.setVisible(choosing);
      c.hand.setVisible(choosing);
      c.label.setVisible(choosing);
      c.key.setVisible(choosing && mode === 'picking');
      c.hand.setAlpha(mode === 'idle' ? 0.6 : 1);
      c.label.setAlpha(mode === 'idle' ? 0.6 : 1);
      if (choosing) c.zone.setInteractive({ useHandCursor: mode === 'picking' });
      else c.zone.disableInteractive();
      this.drawCard(c);
    });
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
      if (this.myPick) this.showDuel(this.myPick);
      else this.showDuel(undefined);
      this.sub.setVisible(!this.myPick);
    } else {
      this.sub.setVisible(false);
    }
    if (prev !== mode) this.renderDuel(this.room?.state ?? null);
  }

  /** Duel layout: `undefined` hides it, null shows both hands as unknown, a pick shows mine against a "?" */
  private showDuel(mine: RpsPick | null | undefined): void {
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
    const opp = this.room?.state ? this.opponent(this.room.state) : undefined;
    d.theirsName.setText(opp ? (opp.isHouse ? 'HOUSE' : opp.username.toUpperCase()) : 'OPPONENT');
    d.mineName.setText(`YOU · ${store.getState().auth.username ?? ''}`.toUpperCase());
  }

  private renderDuel(s: RpsState | null): void {
    if (!s?.seats || !this.room) {
      fill(
        this.duelPanel,
        h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Stake'), h('b', {}, `${fmt(this.stake)} GOLD`)),
        h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Pot'), h('span', {}, `${fmt(2 * this.stake)} GOLD`)),
        h(
          'p',
          { class: 'muted' },
          'Both seats stake the same; the stake is held when you join and refunded if you leave before a duel starts.',
        ),
      );
      return;
    }
    const opp = this.opponent(s);
    const me = this.seat ? s.seats.get(this.seat) : undefined;
    const pickState = (seat: typeof me, isMe: boolean) =>
      !seat
        ? h('span', { class: 'muted' }, '—')
        : s.phase === 'done'
          ? h('span', {}, seat.revealed ? NAMES[seat.revealed as RpsPick] : 'no pick')
          : seat.hasPicked
            ? h('span', { class: 'win' }, isMe && this.myPick ? NAMES[this.myPick] : 'picked ✓')
            : h('span', { style: { color: 'var(--gold)' } }, s.phase === 'picking' ? 'choosing…' : 'seated');
    fill(
      this.duelPanel,
      h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Stake'), h('b', {}, `${fmt(s.stake)} GOLD`)),
      h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Pot'), h('span', {}, `${fmt(2 * s.stake)} GOLD`)),
      h(
        'div',
        { class: 'item', testid: 'rps-seat-me' },
        h('span', {}, 'You', h('br'), h('span', { class: 'muted' }, `seat ${this.seat ?? '?'}`)),
        pickState(me, true),
      ),
      h(
        'div',
        { class: 'item', testid: 'rps-seat-opponent' },
        h(
          'span',
          {},
          opp ? (opp.isHouse ? 'House' : opp.username) : 'Waiting…',
          h('br'),
          h('span', { class: 'muted' }, opp?.isHouse ? 'provably fair pick' : opp ? 'player' : 'no opponent yet'),
        ),
        pickState(opp, false),
      ),
      s.phase === 'done' && me
        ? h(
            'div',
            { class: 'item' },
            h('span', { class: 'muted' }, 'Your payout'),
            h('b', { class: me.payout > s.stake ? 'win' : me.payout < s.stake ? 'loss' : '' }, `${fmt(me.payout)} GOLD`),
          )
        : null,
      s.phase === 'done' ? h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Rake'), h('span', {}, `${fmt(s.rake)} GOLD`)) : null,
    );
  }

  private renderFairness(): void {
    const house = this.lastResult?.house ?? null;
    const opp = this.room?.state ? this.opponent(this.room.state) : undefined;
    const link = h(
      'a',
      { href: '#/fairness', testid: 'rps-fairness-link', style: { color: 'var(--cyan)' } },
      'Verify on the fairness page',
    );
    if (house) {
      const same = this.commitment ? this.commitment === house.server_seed_hash : null;
      fill(
        this.fairPanel,
        h('p', {}, `The house picked ${NAMES[house.pick].toLowerCase()} from your draw.`),
        h('div', { class: 'item' }, h('span', { class: 'muted' }, 'Nonce'), h('b', { testid: 'rps-nonce' }, String(house.nonce))),
        h('p', { class: 'muted', style: { margin: '.4em 0 .2em' } }, 'Server seed hash'),
        h('div', { class: 'mono', testid: 'rps-seed-hash' }, house.server_seed_hash),
        same === null
          ? null
          : h(
              'p',
              { class: same ? 'win' : 'loss' },
              same ? '✓ matches the committed hash shown during the duel' : 'differs from the hash shown during the duel',
            ),
        h('p', { class: 'muted' }, 'Reveal the seed to re-check the pick: floor(f × 3) → rock, paper, scissors.'),
        link,
      );
    } else if (opp?.isHouse && this.commitment) {
      fill(
        this.fairPanel,
        h('p', {}, 'The house picks from your provably fair draw. Committed server seed hash:'),
        h('div', { class: 'mono', testid: 'rps-commitment' }, this.commitment),
        link,
      );
    } else {
      fill(
        this.fairPanel,
        h(
          'p',
          { class: 'muted' },
          'Against the house, its pick comes from your seed pair: the server seed hash and nonce show here after the reveal.',
        ),
        link,
      );
    }
  }

  // ---------------------------------------------------------------- every frame

  override update(time: number): void {
    if (!this.fx) return;
    const g = this.fx.clear();
    const s = this.room?.state?.seats ? this.room.state : undefined;
    if (this.mode === 'joining' || this.mode === 'waiting') {
      // a spinning neon ring
      const cx = this.centerX,
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
    if (this.mode === 'picking' && s && s.pickDeadline > 0 && !this.revealing) {
      const left = Math.max(0, s.pickDeadline - Date.now());
      const secs = Math.ceil(left / 1000);
      const w = 560,
        x = this.centerX - w / 2,
        y = 500;
      if (this.pickWindow.deadline !== s.pickDeadline) this.pickWindow = { deadline: s.pickDeadline, ms: Math.max(1000, left) };
      const frac = Math.min(1, left / this.pickWindow.ms);
      const c = left < 3000 ? COLORS.red : COLORS.cyan;
      if (!this.myPick) {
        g.fillStyle(COLORS.line, 0.8).fillRoundedRect(x, y, w, 10, 5);
        g.fillStyle(c, 1).fillRoundedRect(x + (w - Math.max(10, w * frac)) / 2, y, Math.max(10, w * frac), 10, 5);
        this.header.setText(`PICK YOUR HAND · ${secs} s`).setColor(left < 3000 ? '#ff5a7a' : '#3ef0ff');
        const opp = this.opponent(s);
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
        const opp = this.opponent(s);
        this.header
          .setText(opp && !opp.hasPicked ? `WAITING FOR ${opp.username.toUpperCase()} · ${secs} s` : 'REVEALING…')
          .setColor('#ffc83d');
      }
      this.timerText.textContent = this.myPick ? `${NAMES[this.myPick]} picked` : `${secs} s left`;
    }
  }
}
