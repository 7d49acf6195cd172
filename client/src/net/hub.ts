// The one hub subscription: joins the player's realtime hub room and applies its pushes to the store, with toasts.
import type { Room } from '@colyseus/sdk';
import { patch, setBalances, store, toast } from '../state/store.ts';
import type { HubServerMessages, RewardItems } from './types.ts';
import { joinRoom, leaveRoom } from './rooms.ts';

let hub: Room | null = null;
let connecting: Promise<void> | null = null;
/** scenes that want to refresh their data when live-ops progress or a purchase changes something */
const listeners = new Set<(type: string, payload: any) => void>();

export function onHubPush(fn: (type: string, payload: any) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export function connectHub(): Promise<void> {
  if (hub) return Promise.resolve();
  connecting ??= (async () => {
    try {
      hub = await joinRoom('hub');
      patch('ui', { hubConnected: true });
      hub.onMessage('profile_update', (p: HubServerMessages['profile_update']) => {
        setBalances(p.balances);
        const profile = store.getState().dashboard.profile;
        if (profile && p.level !== undefined && p.xp !== undefined)
          patch('dashboard', { profile: { ...profile, level: p.level, xp: p.xp } });
        emit('profile_update', p);
      });
      hub.onMessage('reward_granted', (p: HubServerMessages['reward_granted']) => {
        setBalances(p.new_balances);
        patch('rewards', { lastGrant: p.grant_key });
        if (p.applied) toast(`Reward: ${describeReward(p.reward_items)}`, 'reward');
        emit('reward_granted', p);
      });
      hub.onMessage('event_progress', (p: HubServerMessages['event_progress']) => {
        if (p.can_claim) toast(`${p.kind === 'event' ? 'Event' : 'Mission'} complete: claim your reward in the lobby`, 'success');
        emit('event_progress', p);
      });
      hub.onMessage('stats_update', (p: unknown) => emit('stats_update', p));
      hub.onMessage('purchase_update', (p: HubServerMessages['purchase_update']) => {
        if (p.balances) setBalances(p.balances);
        if (p.status === 'succeeded') toast(`Purchase complete: ${p.sku}`, 'success');
        else if (p.status === 'failed' || p.status === 'voided') toast(`Purchase ${p.status}: ${p.sku}`, 'error');
        emit('purchase_update', p);
      });
      hub.onMessage('notification', (p: HubServerMessages['notification']) => {
        if (p.kind === 'streak' && p.current) toast(`Daily streak: day ${p.current}`, 'info');
        if (p.kind === 'inbox') {
          const { unread } = store.getState().inbox;
          if (unread !== null) patch('inbox', { unread: unread + 1 });
          toast(`New message: ${String(p.title ?? '')}`, 'info');
        }
        emit('notification', p);
      });
      hub.onMessage('catalog_update', (p: unknown) => emit('catalog_update', p));
      hub.onMessage('welcome', () => undefined);
      hub.onMessage('pong', () => undefined);
      hub.onLeave(() => {
        hub = null;
        patch('ui', { hubConnected: false });
      });
    } finally {
      connecting = null;
    }
  })();
  return connecting;
}

export async function disconnectHub(): Promise<void> {
  const h = hub;
  hub = null;
  patch('ui', { hubConnected: false });
  await leaveRoom(h);
}

function emit(type: string, payload: unknown) {
  for (const fn of listeners) {
    try {
      fn(type, payload);
    } catch (err) {
      console.warn('hub listener failed', err);
    }
  }
}

export function describeReward(r: RewardItems | null | undefined): string {
  if (!r) return 'nothing';
  const parts: string[] = [];
  if (r.gold) parts.push(`${r.gold.toLocaleString('en-US')} GOLD`);
  if (r.gem) parts.push(`${r.gem.toLocaleString('en-US')} GEM`);
  if (r.xp) parts.push(`${r.xp} XP`);
  for (const i of r.items ?? []) parts.push(`${i.quantity}× ${i.item_id}`);
  return parts.join(' + ') || 'nothing';
}
