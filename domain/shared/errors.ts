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

/** Every error code the application returns (transports map each to an HTTP status or a room error message). */
export const ERROR_CODES = [
  /** The request body, query or params failed validation. */
  'request/invalid',
  /** The request body is not valid JSON. */
  'request/malformed_json',
  /** The request body is larger than BODY_LIMIT. */
  'request/too_large',
  /** A required Idempotency-Key header is missing. */
  'idempotency/key_missing',
  /** The Idempotency-Key was already used with different content. */
  'idempotency/key_reuse',
  /** No or an invalid/expired/revoked access token. */
  'auth/unauthenticated',
  /** Wrong username or password. */
  'auth/invalid_credentials',
  /** A refresh token that is unknown, expired, revoked or already rotated. */
  'auth/invalid_refresh_token',
  /** Too many failed logins: locked for `retry_after` seconds. */
  'auth/locked',
  /** The username is taken (case-insensitively). */
  'auth/username_taken',
  /** The account is suspended or banned. */
  'auth/account_disabled',
  /** The caller's role does not allow this. */
  'auth/forbidden',
  /** The wallet balance is lower than the debit. */
  'wallet/insufficient_funds',
  /** An amount that is not a positive safe integer. */
  'wallet/invalid_amount',
  /** A game action arrived after the moment it needed (e.g. a crash cash-out after the crash). */
  'game/too_late',
  /** A game action that the current phase of the game does not allow. */
  'game/not_allowed',
  /** An idempotent request with this key is still being processed. */
  'idempotency/in_progress',
  /** The product is sold out (limited stock). */
  'shop/sold_out',
  /** A one-time product the player already owns (or has a pending purchase of). */
  'shop/already_owned',
  /** The player reached the product's per-player cap. */
  'shop/cap_reached',
  /** The product is inactive or outside its sale window. */
  'shop/not_available',
  /** An operator's edit names a product version (If-Match) that is no longer current. */
  'shop/stale_version',
  /** An operator's edit names a version (If-Match) of an event or a mission that is no longer current. */
  'resource/version_conflict',
  /** The payment webhook's signature is missing or wrong. */
  'payment/invalid_signature',
  /** The payment webhook's timestamp is outside the accepted window. */
  'payment/stale_timestamp',
  /** The payment webhook's nonce was already used. */
  'payment/replayed_nonce',
  /** No purchase has this receipt code. */
  'payment/unknown_receipt',
  /** The event or mission cannot be claimed now (not complete, expired, or not joined). */
  'event/not_claimable',
  /** The event is not running (inactive or outside its schedule). */
  'event/not_active',
  /** The daily streak reward cannot be claimed now (not played today, or already claimed). */
  'streak/not_claimable',
  /** An operator's edit names a segment version (If-Match) that is no longer current. */
  'segment/stale_version',
  /** Another segment already has this name. */
  'segment/name_taken',
  /** The resource does not exist. */
  'resource/not_found',
  /** Too many requests. */
  'rate/limited',
  /** A dependency (PostgreSQL, Redis) is unavailable. */
  'service/unavailable',
  /** The server is at capacity for this work (e.g. password hashing during a login burst); retry after `retry_after` s. */
  'service/busy',
  /** A wallet adjustment's debit is larger than the balance: nothing was written. */
  'wallet/would_go_negative',
  /** The operator who requested a wallet adjustment cannot approve it too. */
  'admin/self_approval',
  /** The wallet adjustment was already approved or rejected. */
  'admin/not_pending',
  /** The import was applied already (or is applying): an import applies once. */
  'import/not_validated',
  /** The import has no valid row to apply. */
  'import/nothing_valid',
  /** Admin writes are switched off (`npm run admin:writes -- off`); reads keep working. */
  'admin/writes_disabled',
  /** The admin job already ended (DONE, FAILED or CANCELED): there is nothing to cancel. */
  'job/not_cancelable',
  /** The admin job is still running, or has no failed items to run again. */
  'job/nothing_to_retry',
  /** The operation's status does not allow this step (e.g. applying a draft that was never shadowed). */
  'operation/invalid_status',
  /** The count typed to confirm an apply is not the number of players the shadow run planned. */
  'operation/confirmation_mismatch',
  /** The segment's members changed since the shadow run: shadow it again before applying. */
  'operation/stale_plan',
  /** This kind of operation cannot be undone (a delivered notification). */
  'operation/not_undoable',
  /** A live event's type or a live mission's period, or what its condition counts, cannot change (players' progress would no longer mean it). */
  'content/live_change_refused',
  /** The notification's delivery already started (or it was canceled): only a scheduled one can be canceled. */
  'notification/not_cancelable',
  /** Only a notification whose delivery failed can be retried. */
  'notification/not_retryable',
  /** A bet or pull that would take the player's net loss in a period past their loss limit (`remaining` left). */
  'limits/loss_limit',
  /** A bet or pull that would take the player's stakes in a period past their wager limit (`remaining` left). */
  'limits/wager_limit',
  /** A purchase that would take the player's spending in a period past their spend limit (`remaining` left). */
  'limits/spend_limit',
  /** The player is in a cool-off until `until`: no game rooms, no purchases. */
  'limits/cool_off',
  /** The player excluded themselves until `until`: no game rooms, no purchases. */
  'limits/self_excluded',
  /** An unexpected failure; details are in the log under the request id. */
  'internal/error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export class InsufficientFundsError extends DomainError {
  constructor(currency: string, balance: number, required: number) {
    super('wallet/insufficient_funds', `Not enough ${currency}: balance ${balance}, required ${required}.`, {
      currency,
      balance,
      required,
    });
  }
}
