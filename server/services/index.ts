import type { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { hostname } from 'node:os';
import type { Logger } from '../lib/logger.ts';
import { AuthService } from './auth.service.ts';
import { CrashChainService } from './crash-chain.service.ts';
import { EscrowService } from './escrow.service.ts';
import { FairnessService } from './fairness.service.ts';
import { GachaService } from './gacha.service.ts';
import { GameService } from './game.service.ts';
import { ProcessRegistry } from './process-registry.ts';
import { RecoveryService } from './recovery.service.ts';
import { statsAndXpHook } from './stats.hook.ts';
import { LoginLockout } from './lockout.ts';
import { TokenService } from './token.service.ts';
import { WalletService } from './wallet.service.ts';

export { withContext } from './context.ts';

/** The application services, built once per process from its config and connections. */
export function createServices(d: { config: Config; orm: MikroORM; redis: Redis; clock: Clock; logger?: Logger }) {
  const { config, orm, redis, clock } = d;
  const wallet = new WalletService(orm);
  const registry = new ProcessRegistry(redis, config.REDIS_PREFIX, config.INSTANCE_ID ?? `${hostname()}:${config.PORT}`);
  const fairness = new FairnessService(orm, clock);
  const games = new GameService(orm, wallet, fairness, clock, registry.id);
  games.onSessionEnd(statsAndXpHook);
  const crash = new CrashChainService(orm, registry.id);
  const escrow = new EscrowService(orm, wallet, games, clock);
  const gacha = new GachaService(orm, games);
  // AuthService and TokenService need each other (revocation fallback); the late-bound arrow breaks the cycle.
  let auth: AuthService | undefined;
  const tokens = new TokenService(config.JWT_SECRET, config.ACCESS_TOKEN_TTL_SECONDS, redis, config.REDIS_PREFIX, clock,
    (sid) => auth!.isSessionRevoked(sid));
  const lockout = new LoginLockout(redis, config.REDIS_PREFIX, config.LOGIN_MAX_FAILURES, config.LOGIN_WINDOW_SECONDS);
  auth = new AuthService({
    orm, wallet, tokens, lockout, clock,
    refreshTtlSeconds: config.REFRESH_TOKEN_TTL_SECONDS,
    signupBonusGold: config.SIGNUP_BONUS_GOLD,
    argon2: { memoryCost: config.ARGON2_MEMORY_KIB, timeCost: config.ARGON2_TIME_COST },
  });
  const recovery = d.logger ? new RecoveryService(orm, wallet, games, registry, d.logger) : undefined;
  return { wallet, tokens, auth, fairness, games, crash, escrow, gacha, registry, recovery };
}
export type Services = ReturnType<typeof createServices>;
