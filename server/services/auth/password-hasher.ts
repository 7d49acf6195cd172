import argon2 from 'argon2';
import pLimit, { type LimitFunction } from 'p-limit';
import { DomainError } from '../../../domain/shared/errors.ts';

export interface PasswordHasherOptions {
  /** argon2id memory cost (KiB) and iterations */
  memoryCost: number;
  timeCost: number;
  /** hashes computed at the same time (each takes a libuv thread and a core while it runs) */
  concurrency: number;
  /** hashes allowed to wait for a turn; one more is refused with `service/busy` instead of queueing */
  maxWaiting: number;
}

/**
 * argon2id hashing and verification through a bounded queue. A hash costs tens of milliseconds of CPU on purpose;
 * a burst of sign-ups or logins left unbounded would run several at once and starve the game rooms sharing the
 * cores. Here at most `concurrency` run, at most `maxWaiting` wait, and the rest are told to come back shortly.
 */
export class PasswordHasher {
  private readonly limit: LimitFunction;

  constructor(private readonly o: PasswordHasherOptions) {
    this.limit = pLimit(o.concurrency);
  }

  hash(password: string): Promise<string> {
    return this.queue(() =>
      argon2.hash(password, { type: argon2.argon2id, memoryCost: this.o.memoryCost, timeCost: this.o.timeCost, parallelism: 1 }),
    );
  }

  verify(hash: string, password: string): Promise<boolean> {
    return this.queue(() => argon2.verify(hash, password));
  }

  /** Hashes running and waiting now. */
  get load(): { running: number; waiting: number } {
    return { running: this.limit.activeCount, waiting: this.limit.pendingCount };
  }

  private queue<T>(work: () => Promise<T>): Promise<T> {
    if (this.limit.pendingCount >= this.o.maxWaiting) {
      return Promise.reject(
        new DomainError('service/busy', 'Too many sign-ups and logins at once; try again in a moment.', { retry_after: 1 }),
      );
    }
    return this.limit(work);
  }
}
