// What an operator may send to players: the limits of a notification and where its deep link may point.

/** Where a notification's deep link may take the player: a game or the shop. */
export const DEEP_LINKS = ['slot', 'crash', 'rps', 'gacha', 'shop'] as const;
export type DeepLink = (typeof DEEP_LINKS)[number];

/** A notification's life: scheduled → sending → sent | failed; canceled only while scheduled; a failed one may be retried. */
export const NOTIFICATION_STATUSES = ['scheduled', 'sending', 'sent', 'canceled', 'failed'] as const;
export type NotificationStatus = (typeof NOTIFICATION_STATUSES)[number];

export const TITLE_MAX = 80;
export const BODY_MAX = 500;
/** The furthest ahead a notification may be scheduled. */
export const SCHEDULE_MAX_DAYS = 90;
/** A dedupe key: letters, digits and `._:-`, at most 64 characters. */
export const DEDUPE_KEY = /^[A-Za-z0-9._:-]{1,64}$/;
/** The most players a `list` target may name. */
export const LIST_MAX = 10_000;

/** Who receives a notification: every player, a saved segment's members, or a list of players. */
export type NotificationTarget = { type: 'all' } | { type: 'segment'; segment_id: string } | { type: 'list'; user_ids: string[] };

/** The dedupe key a notification uses when the operator gives none: one delivery per player of this notification. */
export function defaultDedupeKey(notificationId: string): string {
  return `notification:${notificationId}`;
}

/** Whether a notification in `status` may still be canceled (only before its delivery started). */
export function isCancelable(status: NotificationStatus): boolean {
  return status === 'scheduled';
}

/** Whether a notification in `status` may be sent again (only after its delivery failed). */
export function isRetryable(status: NotificationStatus): boolean {
  return status === 'failed';
}
