/**
 * A rule violation with a stable, namespaced code (`area/reason`). Transports map the code to a
 * status (HTTP) or an error message (rooms). A plain `Error` means a bug.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** Every error code the application returns, with the HTTP status it maps to. */
export const ERROR_STATUS = {
  /** The request body, query or params failed validation. */
  'request/invalid': 400,
  /** The request body is not valid JSON. */
  'request/malformed_json': 400,
  /** The request body is larger than BODY_LIMIT. */
  'request/too_large': 413,
  /** A required Idempotency-Key header is missing. */
  'idempotency/key_missing': 400,
  /** The Idempotency-Key was already used with different content. */
  'idempotency/key_reuse': 409,
  /** No or an invalid/expired/revoked access token. */
  'auth/unauthenticated': 401,
  /** Wrong username or password. */
  'auth/invalid_credentials': 401,
  /** A refresh token that is unknown, expired, revoked or already rotated. */
  'auth/invalid_refresh_token': 401,
  /** Too many failed logins: locked for `retry_after` seconds. */
  'auth/locked': 429,
  /** The username is taken (case-insensitively). */
  'auth/username_taken': 409,
  /** The account is suspended or banned. */
  'auth/account_disabled': 403,
  /** The caller's role does not allow this. */
  'auth/forbidden': 403,
  /** The wallet balance is lower than the debit. */
  'wallet/insufficient_funds': 402,
  /** An amount that is not a positive safe integer. */
  'wallet/invalid_amount': 400,
  /** A game action arrived after the moment it needed (e.g. a crash cash-out after the crash). */
  'game/too_late': 409,
  /** A game action that the current phase of the game does not allow. */
  'game/not_allowed': 409,
  /** An idempotent request with this key is still being processed. */
  'idempotency/in_progress': 409,
  /** The product is sold out (limited stock). */
  'shop/sold_out': 409,
  /** A one-time product the player already owns (or has a pending purchase of). */
  'shop/already_owned': 409,
  /** The player reached the product's per-player cap. */
  'shop/cap_reached': 409,
  /** The product is inactive or outside its sale window. */
  'shop/not_available': 409,
  /** The payment webhook's signature is missing or wrong. */
  'payment/invalid_signature': 401,
  /** The payment webhook's timestamp is outside the accepted window. */
  'payment/stale_timestamp': 401,
  /** The payment webhook's nonce was already used. */
  'payment/replayed_nonce': 409,
  /** No purchase has this receipt code. */
  'payment/unknown_receipt': 404,
  /** The event or mission cannot be claimed now (not complete, expired, or not joined). */
  'event/not_claimable': 409,
  /** The event is not running (inactive or outside its schedule). */
  'event/not_active': 409,
  /** The daily streak reward cannot be claimed now (not played today, or already claimed). */
  'streak/not_claimable': 409,
  /** The resource does not exist. */
  'resource/not_found': 404,
  /** Too many requests. */
  'rate/limited': 429,
  /** A dependency (PostgreSQL, Redis) is unavailable. */
  'service/unavailable': 503,
  /** The server is at capacity for this work (e.g. password hashing during a login burst); retry after `retry_after` s. */
  'service/busy': 503,
  /** An unexpected failure; details are in the log under the request id. */
  'internal/error': 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class InsufficientFundsError extends DomainError {
  constructor(currency: string, balance: number, required: number) {
    super('wallet/insufficient_funds', `Not enough ${currency}: balance ${balance}, required ${required}.`, {
      currency,
      balance,
      required,
    });
  }
}
