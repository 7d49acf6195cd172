// Navigation and session life: one hash route per scene (#/slot), a guard that sends logged-out players to the
// login scene, and the session start (dashboard + hub) / end (logout) shared by every scene.
import type Phaser from 'phaser';
import { api, onSessionEnded } from './net/api.ts';
import { connectHub, disconnectHub } from './net/hub.ts';
import { forgetRooms } from './net/rooms.ts';
import type { Balances, Dashboard } from './net/types.ts';
import { applyDashboard, clearAuth, setBalances, store, toast } from './state/store.ts';
import { SCENES, type SceneKey } from './config.ts';

let game: Phaser.Game | null = null;
let current: SceneKey | null = null;

export function attachGame(g: Phaser.Game): void {
  game = g;
  // a returning player: the top bar needs the balances on any first scene, and a dead session is noticed at once
  if (store.getState().auth.accessToken) void refreshDashboard().catch(() => undefined);
  window.addEventListener('hashchange', () => route());
  onSessionEnded(() => {
    toast('Your session ended: please log in again.', 'error');
    void endSession();
  });
}

function fromHash(): SceneKey {
  const key = location.hash.replace(/^#\/?/, '') as SceneKey;
  return SCENES.includes(key) ? key : 'lobby';
}

/** Shows the scene of the current hash (or the login scene when logged out). */
export function route(): void {
  if (!game) return;
  let target = fromHash();
  const loggedIn = !!store.getState().auth.accessToken;
  if (!loggedIn) target = 'auth';
  else if (target === 'auth') target = 'lobby';
  if (target === current && game.scene.isActive(target)) return;
  if (current && game.scene.isActive(current)) game.scene.stop(current);
  current = target;
  game.scene.start(target);
  if (loggedIn) void connectHub().catch((err) => console.warn('hub unavailable', err));
}

export function navigate(key: string): void {
  const next = `#/${key}`;
  if (location.hash === next) route();
  else location.hash = next;
}

/** Reloads the lobby data (profile, balances, events, missions, streak, highlights) from the server. */
export async function refreshDashboard(): Promise<Dashboard> {
  const [d, balances] = await Promise.all([api<Dashboard>('GET', '/dashboard'), refreshWallet()]);
  applyDashboard(d);
  return { ...d, balances: store.getState().dashboard.balances ?? balances };
}

/** Reads the wallet (never cached) into the top bar, unless a newer update arrived while the read was in flight. */
export async function refreshWallet(): Promise<Balances> {
  const askedAt = performance.now();
  const { balances } = await api<{ balances: Balances }>('GET', '/wallet');
  setBalances(balances, askedAt);
  return balances;
}

export async function logout(): Promise<void> {
  try {
    await api('POST', '/auth/logout');
  } catch {
    /* the session is ended locally either way */
  }
  await endSession();
}

async function endSession(): Promise<void> {
  clearAuth();
  forgetRooms();
  await disconnectHub();
  navigate('auth');
}
