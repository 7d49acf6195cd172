// The gacha banner room's network side: the messages it sends, joining a banner with every handler wired, the pull
// request, the refusal's text, and the banner's wire shape to and from the domain's.
import type { Room } from '@colyseus/sdk';
import type { Banner } from '../../../../domain/games/gacha/banners.ts';
import { bannerDisclosure, BANNERS } from '../../../../domain/games/gacha/banners.ts';
import { ask, joinRoom, leaveRoom, RoomError } from '../../net/rooms.ts';
import type { BannerInfo, Currency, Legendary as LegendaryMessage, PullResult } from '../../net/types.ts';

export type { BannerInfo, Legendary as LegendaryMessage, PullResult } from '../../net/types.ts';
import { fmt } from '../../ui/dom.ts';

/** One card of a pull, as the room sends it. */
export type PullView = PullResult['pulls'][number];
export interface LegendaryEntry {
  username: string;
  itemId: string;
}

/** sessionStorage key under which rooms.ts keeps the gacha seat for a reload */
const SEAT_KEY = 'neon.room.gacha';

/** What the scene does with each message and state change of a banner room. */
export interface BannerHandlers {
  banner(b: BannerInfo): void;
  legendary(l: LegendaryMessage): void;
  /** an error not answering a request */
  error(message: string | undefined): void;
  /** the room's recent legendaries and player count */
  state(legendaries: LegendaryEntry[], players: number): void;
  left(): void;
}

/** Joins banner `id`'s room. A seat kept for a page reload would rejoin whichever banner it was on, without the
 *  `banner` greeting: that one is left and a fresh seat taken. */
export async function joinBanner(id: string): Promise<Room> {
  const heldSeat = sessionStorage.getItem(SEAT_KEY) !== null;
  let room = await joinRoom('gacha', { banner: id });
  if (heldSeat) {
    await leaveRoom(room);
    room = await joinRoom('gacha', { banner: id });
  }
  return room;
}

/** Wires a banner room's messages to the handlers. */
export function wireBanner(room: Room, on: BannerHandlers): void {
  room.onMessage('banner', (b: BannerInfo) => on.banner(b));
  room.onMessage('legendary', (l: LegendaryMessage) => on.legendary(l));
  room.onMessage('error', (e: { code?: string; message?: string; ref?: unknown }) => {
    if (e?.ref === undefined) on.error(e?.message);
  });
  room.onStateChange((s: any) => {
    const list: LegendaryEntry[] = [];
    s?.legendaries?.forEach?.((l: any) => list.push({ username: l.username, itemId: l.itemId }));
    on.state(list, Number(s?.players ?? 0));
  });
  room.onLeave(() => on.left());
}

/** Pulls `count` cards; resolves with the committed result. */
export async function sendPull(room: Room, count: 1 | 10): Promise<PullResult> {
  const { body } = await ask<PullResult>(room, 'pull', { count }, ['pull_result']);
  return body;
}

/** The player-facing text of a failed pull. */
export function describePullError(err: unknown, bannerCurrency: Currency): string {
  if (err instanceof RoomError && err.code === 'wallet/insufficient_funds') {
    const d = err.details as { currency?: string; balance?: number; required?: number };
    const currency = d.currency ?? bannerCurrency;
    return `Not enough ${currency}: this pull costs ${fmt(Number(d.required ?? 0))} ${currency} and you have ${fmt(Number(d.balance ?? 0))}.`;
  }
  return err instanceof Error ? err.message : 'The pull failed.';
}

/** A domain banner in the `banner` message's shape (shown before the room greets). */
export function fromDomain(b: Banner): BannerInfo {
  return bannerDisclosure(b);
}

/** The `banner` message as a domain banner (for the odds functions). */
export function toDomain(b: BannerInfo): Banner {
  const known = BANNERS.find((x) => x.id === b.id);
  return {
    version: 'gacha-v1',
    id: b.id,
    name: b.name,
    currency: b.currency,
    cost: b.cost,
    ratesBps: b.rates_bps,
    pity: b.pity_rules,
    items: b.items,
    shardItemId: known?.shardItemId ?? '',
    duplicate: b.duplicate,
  };
}
