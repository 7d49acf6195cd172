// Read-only test hooks: `window.__neon` (scene, ready flag, frame counter, in-canvas button rects, renderer) mirrored
// onto <body data-scene data-ready>, so browser tests wait on state instead of sleeping. Nothing here changes outcomes.

export interface CanvasButton {
  x: number;
  y: number;
  width: number;
  height: number;
}
export interface NeonHooks {
  scene: string;
  ready: boolean;
  frame: number;
  renderer: 'WEBGL' | 'CANVAS' | 'HEADLESS' | 'unknown';
  width: number;
  height: number;
  buttons: Record<string, CanvasButton>;
  /** scene-specific facts (reels spinning, crash phase, last result …) */
  info: Record<string, unknown>;
}

export const hooks: NeonHooks = { scene: 'boot', ready: false, frame: 0, renderer: 'unknown', width: 0, height: 0, buttons: {}, info: {} };
(window as unknown as { __neon: NeonHooks }).__neon = hooks;

export function sceneEntered(key: string): void {
  hooks.scene = key;
  hooks.ready = false;
  hooks.buttons = {};
  hooks.info = {};
  document.body.dataset.scene = key;
  document.body.dataset.ready = 'false';
}

export function sceneReady(key: string): void {
  if (hooks.scene !== key) return;
  hooks.ready = true;
  document.body.dataset.ready = 'true';
}

export function setInfo(key: string, value: unknown): void {
  hooks.info[key] = value;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    document.body.dataset[`info${key[0].toUpperCase()}${key.slice(1)}`] = String(value);
}

export function registerButton(name: string, rect: CanvasButton): void {
  hooks.buttons[name] = rect;
}
