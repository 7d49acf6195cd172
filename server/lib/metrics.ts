import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { observePhases, ROUND_PHASES, type RoundMarks } from '../services/games/round-marks.ts';

/** The Prometheus registry of one process, with the metrics every part of the server records into. */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  /** a `{phase}` histogram of a round's way through the server (see `observePhases`) */
  const phaseHistogram = (name: string, help: string) =>
    new Histogram({ name, help, labelNames: ['phase'] as const, buckets: SPIN_PHASE_BUCKETS, registers: [registry] });
  const httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency by method, route and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const roundsSettled = new Counter({
    name: 'game_rounds_settled_total',
    help: 'Game rounds settled (committed), by game',
    labelNames: ['game'] as const,
    registers: [registry],
  });
  const commitBatchSize = new Histogram({
    name: 'game_commit_batch_size',
    help: 'Round requests (spins, pulls) settled per committed transaction (group commit)',
    buckets: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    registers: [registry],
  });
  const roomMessages = new Counter({
    name: 'colyseus_room_messages_total',
    help: 'Client messages dispatched to room handlers, by room type',
    labelNames: ['room'] as const,
    registers: [registry],
  });
  const roomRefusals = new Counter({
    name: 'colyseus_refused_messages_total',
    help: 'Client messages a room refused without running them, by room type and reason (invalid, unknown_type, rate_limited)',
    labelNames: ['room', 'reason'] as const,
    registers: [registry],
  });
  const badFrames = new Counter({
    name: 'colyseus_bad_frames_total',
    help: 'Client frames refused before reaching a room (over the size limit, malformed, undecodable); the client is disconnected',
    registers: [registry],
  });
  const roomFailures = new Counter({
    name: 'colyseus_room_failures_total',
    help: 'Room work that failed, by room type and kind (unavailable: PostgreSQL or Redis away, answered service/unavailable; internal: a bug)',
    labelNames: ['room', 'kind'] as const,
    registers: [registry],
  });
  const patchDuration = new Histogram({
    name: 'colyseus_patch_duration_seconds',
    help: 'Time of one state patch cycle of a room (encode the changes, send them to every client), by room type',
    labelNames: ['room'] as const,
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05],
    registers: [registry],
  });
  const spinPhases = phaseHistogram(
    'slot_spin_phase_seconds',
    "Where a slot spin's time goes, by phase: mailbox (message in → queued), queue (→ its batch starts), lock (BEGIN and the row locks), write (plan and the write statement), commit (COMMIT), reply (→ result sent); total is message in → result sent",
  );
  const crashBetPhases = phaseHistogram(
    'crash_bet_phase_seconds',
    "Where a crash bet's time goes, by phase: mailbox (message in → queued), queue (→ its opening batch starts), lock (BEGIN and the wallet locks), write (the write statement), commit (COMMIT), reply (→ bet_placed sent); total is message in → bet_placed sent",
  );
  const crashCashoutPhases = phaseHistogram(
    'crash_cashout_phase_seconds',
    "Where a crash cash-out's time goes, by phase: mailbox (message in → taken by the table), queue (→ its settlement commit starts, after the one in flight), lock (BEGIN, the rounds claimed and the wallets locked), write (the write statement), commit (COMMIT), reply (→ cashed_out sent); total is message in → cashed_out sent",
  );
  const gameMoney = ['wagered', 'paid', 'staked_rounds'].map(
    (what) =>
      new Counter({
        name: `neon_game_${what}_total`,
        help:
          what === 'staked_rounds'
            ? 'Settled rounds with a stake (the n of the RTP band), by game and algorithm version'
            : `Minor units ${what} over settled rounds (free spins' payouts included), by game and algorithm version`,
        labelNames: ['game', 'algorithm'] as const,
        registers: [registry],
      }),
  );
  return {
    registry,
    httpDuration,
    roundsSettled,
    gameWagered: gameMoney[0],
    gamePaid: gameMoney[1],
    gameStakedRounds: gameMoney[2],
    commitBatchSize,
    roomMessages,
    roomRefusals,
    badFrames,
    roomFailures,
    patchDuration,
    spinPhases,
    crashBetPhases,
    crashCashoutPhases,
  };
}

/** 1-2-5 steps from 50 µs to 5 s: fine enough to read a phase's p50 and p99 from the buckets. */
export const SPIN_PHASE_BUCKETS = [0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5];

/** The rooms' probe (rooms/shared/base-room.ts) recording into this registry. */
export function roomProbe(metrics: Metrics) {
  return {
    message: (room: string) => metrics.roomMessages.inc({ room }),
    patch: (room: string, seconds: number) => metrics.patchDuration.observe({ room }, seconds),
    refused: (room: string, reason: string) => metrics.roomRefusals.inc({ room, reason }),
    failed: (room: string, kind: string) => metrics.roomFailures.inc({ room, kind }),
    spin: phaseRecorder(metrics.spinPhases),
    crashBet: phaseRecorder(metrics.crashBetPhases),
    crashCashout: phaseRecorder(metrics.crashCashoutPhases),
  };
}

/** Records a round's phases into a `{phase}` histogram (one labelled child per phase, looked up once). */
function phaseRecorder(histogram: Histogram<'phase'>) {
  const child = Object.fromEntries([...ROUND_PHASES, 'total'].map((p) => [p, histogram.labels({ phase: p })]));
  const observe = (phase: string, seconds: number) => child[phase].observe(seconds);
  return (marks: RoundMarks, sent: number) => observePhases(marks, sent, observe);
}

/**
 * Records settled rounds' money per game and algorithm version into the RTP counters. The labelled children are
 * looked up (and their series started at 0) once per (game, algorithm): a settled round costs three increments.
 */
export function gameMoneyRecorder(metrics: Metrics) {
  const children = new Map<string, { wagered: Counter.Internal; paid: Counter.Internal; staked: Counter.Internal }>();
  return (game: string, algorithm: string, m: { wagered: number; paid: number; staked: number }) => {
    const key = `${game}\u0000${algorithm}`;
    let c = children.get(key);
    if (!c) {
      const labels = { game, algorithm };
      c = {
        wagered: metrics.gameWagered.labels(labels),
        paid: metrics.gamePaid.labels(labels),
        staked: metrics.gameStakedRounds.labels(labels),
      };
      // every series exists from the first settled round, at 0 until it counts something: a game that has paid
      // nothing yet exports paid = 0, not no series (the RTP rule divides paid by wagered)
      for (const child of Object.values(c)) child.inc(0);
      children.set(key, c);
    }
    if (m.wagered) c.wagered.inc(m.wagered);
    if (m.paid) c.paid.inc(m.paid);
    if (m.staked) c.staked.inc(m.staked);
  };
}

/** A game's published return per unit bet and its σ, for one algorithm version. */
export interface PublishedLaw {
  game: string;
  algorithm: string;
  rtp: number;
  sigma: number;
}

/**
 * The published RTP and σ per game and algorithm version as gauges, read on the first scrape (the slot's exact
 * figures take a moment to enumerate: not at startup).
 */
export function registerPublishedRtp(metrics: Metrics, laws: () => readonly PublishedLaw[]) {
  const gauge = (name: string, help: string, pick: (l: PublishedLaw) => number) =>
    new Gauge({
      name,
      help,
      labelNames: ['game', 'algorithm'] as const,
      registers: [metrics.registry],
      collect() {
        for (const l of laws()) this.set({ game: l.game, algorithm: l.algorithm }, pick(l));
      },
    });
  gauge('neon_game_rtp_published', 'The published (designed) return to player per unit bet, by game and algorithm version', (l) => l.rtp);
  gauge(
    'neon_game_rtp_sigma',
    "The published standard deviation of one round's return per unit bet (the band is rtp ± z·sigma/√rounds), by game and algorithm version",
    (l) => l.sigma,
  );
}

/** Redis calls on request paths that took their fallback (PostgreSQL, a cache miss, a dropped push, a 503), by component (RedisGuard). */
export function registerRedisFallbacks(metrics: Metrics) {
  return new Counter({
    name: 'redis_fallbacks_total',
    help: 'Redis calls on request paths that failed, stalled past REDIS_COMMAND_TIMEOUT_MS or met Redis known down, and took their fallback, by component',
    labelNames: ['component'] as const,
    registers: [metrics.registry],
  });
}

export type Metrics = ReturnType<typeof createMetrics>;

/** Redis connection health, recorded by watchRedis (server/lib/redis.ts) for each connection and BullMQ queue or worker. */
export function createRedisMetrics(metrics: Metrics) {
  const dependencyUp = new Gauge({
    name: 'dependency_up',
    help: 'Whether a connection to a backing service works (1) or is failing (0), by service and component',
    labelNames: ['service', 'component'] as const,
    registers: [metrics.registry],
  });
  const redisErrors = new Counter({
    name: 'redis_connection_errors_total',
    help: 'Connection errors (refused, reset, closed) a Redis connection, BullMQ queue or worker reported, by component',
    labelNames: ['component'] as const,
    registers: [metrics.registry],
  });
  return { dependencyUp, redisErrors };
}

/** Time per phase of the requests that mark phases (server/lib/phases.ts): purchase, claim, dashboard, by route pattern. */
export function registerHttpPhases(metrics: Metrics) {
  return new Histogram({
    name: 'neon_http_phase_seconds',
    help: 'Time spent in each phase of a request (auth, transaction begin, idempotency key, locks and writes, commit, pushes, response), by route',
    labelNames: ['route', 'phase'] as const,
    buckets: [0.0001, 0.00025, 0.0005, 0.001, 0.002, 0.004, 0.008, 0.016, 0.032, 0.064, 0.128, 0.256, 0.512, 1],
    registers: [metrics.registry],
  });
}
