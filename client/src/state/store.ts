// The one client store (zustand): slices for auth, dashboard, events, game, shop, rewards and ui. Balances and
// progress are only ever copied from server answers or hub pushes; the client never computes them.
import { createStore } from 'zustand/vanilla';
import type { Balances, Dashboard, LiveEvent, Mission, Product, Profile, Streak } from '../net/types.ts';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error' | 'reward';
  text: string;
}

export interface AuthSlice {
  userId: string | null;
  username: string | null;
  accessToken: string | null;
  refreshToken: string | null;
}
export interface ClientState {
  auth: AuthSlice;
  dashboard: { profile: Profile | null; balances: Balances | null; streak: Streak | null; pendingRewards: number; loadedAt: number };
  events: { events: LiveEvent[]; missions: Mission[] };
  game: { scene: string; room: string | null; roomId: string | null };
  shop: { products: Product[]; highlights: Product[] };
  rewards: { lastGrant: string | null };
  /** unread inbox messages; null until read from the server this session */
  inbox: { unread: number | null };
  ui: { toasts: Toast[]; hubConnected: boolean; busy: number };
}

const TOKENS_KEY = 'neon.auth';

function loadAuth(): AuthSlice {
  try {
    const saved = JSON.parse(localStorage.getItem(TOKENS_KEY) ?? 'null') as AuthSlice | null;
    if (saved?.accessToken && saved.refreshToken) return saved;
  } catch {
    /* corrupt storage: start logged out */
  }
  return { userId: null, username: null, accessToken: null, refreshToken: null };
}

export const store = createStore<ClientState>(() => ({
  auth: loadAuth(),
  dashboard: { profile: null, balances: null, streak: null, pendingRewards: 0, loadedAt: 0 },
  events: { events: [], missions: [] },
  game: { scene: 'boot', room: null, roomId: null },
  shop: { products: [], highlights: [] },
  rewards: { lastGrant: null },
  inbox: { unread: null },
  ui: { toasts: [], hubConnected: false, busy: 0 },
}));

/** Replaces one slice's fields (shallow). */
export function patch<K extends keyof ClientState>(slice: K, value: Partial<ClientState[K]>): void {
  store.setState((s) => ({ [slice]: { ...s[slice], ...value } }) as Partial<ClientState>);
}

export function setAuth(auth: AuthSlice): void {
  patch('auth', auth);
  if (auth.accessToken) localStorage.setItem(TOKENS_KEY, JSON.stringify(auth));
  else localStorage.removeItem(TOKENS_KEY);
}

export function clearAuth(): void {
  setAuth({ userId: null, username: null, accessToken: null, refreshToken: null });
  patch('inbox', { unread: null });
}

let balancesAt = 0;

/**
 * Balances exactly as the server reported them. `askedAt` is when the answer was asked for (performance.now()):
 * a read sent before the last applied update is older than it and is dropped, so a slow wallet read never
 * overwrites the balances a spin result or a push just showed. Results and pushes are applied as they arrive.
 */
export function setBalances(balances: Balances, askedAt = performance.now()): void {
  if (askedAt < balancesAt) return;
  balancesAt = askedAt;
  patch('dashboard', { balances: { GOLD: balances.GOLD, GEM: balances.GEM } });
}

/** The lobby data; its balances may be a few seconds old (the dashboard is cached), so they are not applied here. */
export function applyDashboard(d: Dashboard): void {
  patch('dashboard', { profile: d.profile, streak: d.streak, pendingRewards: d.pending_rewards, loadedAt: Date.now() });
  patch('events', { events: d.events, missions: d.missions });
  patch('shop', { highlights: d.shop_highlights });
}

let toastSeq = 0;
export function toast(text: string, kind: Toast['kind'] = 'info', ms = 4000): void {
  const t: Toast = { id: ++toastSeq, kind, text };
  patch('ui', { toasts: [...store.getState().ui.toasts, t].slice(-5) });
  setTimeout(() => patch('ui', { toasts: store.getState().ui.toasts.filter((x) => x.id !== t.id) }), ms);
}

/** Calls fn with the current value of a selector now and whenever it changes. */
export function watch<T>(select: (s: ClientState) => T, fn: (value: T) => void): () => void {
  let last = select(store.getState());
  fn(last);
  return store.subscribe((s) => {
    const next = select(s);
    if (next !== last) {
      last = next;
      fn(next);
    }
  });
}
