import type { MikroORM } from '@mikro-orm/core';
import type { Redis } from 'ioredis';
import type { Config } from '../config/schema.ts';
import type { Clock } from '../../domain/shared/clock.ts';
import { AuthService } from './auth.service.ts';
import { LoginLockout } from './lockout.ts';
import { TokenService } from './token.service.ts';
import { WalletService } from './wallet.service.ts';

export { withContext } from './context.ts';

/** The application services, built once per process from its config and connections. */
export function createServices(d: { config: Config; orm: MikroORM; redis: Redis; clock: Clock }) {
  const { config, orm, redis, clock } = d;
  const wallet = new WalletService(orm);
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
  return { wallet, tokens, auth };
}
export type Services = ReturnType<typeof createServices>;
