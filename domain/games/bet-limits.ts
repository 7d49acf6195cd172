import { DomainError } from '../shared/errors.ts';

/** The smallest and largest amount one bet or stake may be (GOLD minor units; the BET_MIN and BET_MAX settings). */
export interface BetLimits {
  min: number;
  max: number;
}

/**
 * Throws `request/invalid` unless min ≤ amount ≤ max. `subject` opens the message: "A bet", "A stake", "A spin's
 * total bet".
 */
export function assertWithinBetLimits(amount: number, limits: BetLimits, subject: string): void {
  if (amount < limits.min || amount > limits.max) {
    throw new DomainError('request/invalid', `${subject} must be between ${limits.min} and ${limits.max}.`);
  }
}
