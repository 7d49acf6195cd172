/// <reference lib="dom" />
// Browser end-to-end helpers: Debian's Chromium driven by playwright-core (never a downloaded browser), one page per
// test with page errors and console errors collected, waits on the game's own state (window.__neon), screenshots.
import { expect } from 'chai';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface GamePage {
  context: BrowserContext;
  page: Page;
  /** page errors and console.error lines seen so far */
  errors: string[];
}

export async function openGame(browser: Browser, baseUrl: string): Promise<GamePage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    // Chromium logs every 4xx answer of the API as a failed resource; a refused bad input is expected, not an error
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text()) && msg.location().url.includes('/api/'))
      return;
    errors.push(`console.error: ${msg.text()}`);
  });
  await page.goto(baseUrl);
  return { context, page, errors };
}

/** Waits until the given scene has loaded its data (body[data-scene=…][data-ready=true]). */
export async function waitForScene(page: Page, scene: string, timeout = 20000): Promise<void> {
  await page.waitForSelector(`body[data-scene="${scene}"][data-ready="true"]`, { timeout });
}

export async function hookInfo<T = unknown>(page: Page, key: string): Promise<T> {
  return page.evaluate((k) => (window as any).__neon.info[k], key) as Promise<T>;
}

export async function renderer(page: Page): Promise<string> {
  return page.evaluate(() => (window as any).__neon.renderer as string);
}

/** Waits for n more rendered frames (the game's own frame counter). */
export async function waitFrames(page: Page, n = 3): Promise<void> {
  const start = await page.evaluate(() => (window as any).__neon.frame as number);
  await page.waitForFunction((s) => (window as any).__neon.frame >= s, start + n);
}

/** Distinct colours in a sample of the canvas screenshot: a blank canvas has one or two. */
export async function canvasColours(page: Page): Promise<number> {
  const png = await page.locator('#game canvas').screenshot();
  const probe = await page.context().newPage();
  try {
    return await probe.evaluate(async (b64) => {
      const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const g = c.getContext('2d')!;
      g.drawImage(bmp, 0, 0);
      const data = g.getImageData(0, 0, bmp.width, bmp.height).data;
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 37) seen.add((data[i] << 16) | (data[i + 1] << 8) | data[i + 2]);
      return seen.size;
    }, png.toString('base64'));
  } finally {
    await probe.close();
  }
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) });
}

/** In an `afterEach`: a screenshot of the page named after the test that just failed (`this.currentTest`), if it did. */
export async function screenshotIfFailed(test: { state?: string; title: string } | undefined, page: Page): Promise<void> {
  if (test?.state === 'failed') await screenshot(page, `failed-${test.title.replace(/\W+/g, '-')}`).catch(() => undefined);
}

/** The signed-in player's session as the game client keeps it in the page's localStorage. */
export function pageAuth(page: Page): Promise<{ accessToken: string; userId: string }> {
  return page.evaluate(() => JSON.parse(localStorage.getItem('neon.auth')!) as { accessToken: string; userId: string });
}

/** Clicks an in-canvas button by its published game-coordinate rect (works with Scale.FIT). */
export async function clickCanvasButton(page: Page, name: string): Promise<void> {
  const rect = (await page.evaluate((n) => (window as any).__neon.buttons[n], name)) as
    { x: number; y: number; width: number; height: number } | undefined;
  if (!rect) throw new Error(`no canvas button ${name}`);
  const box = (await page.locator('#game canvas').boundingBox())!;
  const scale = box.width / 1280;
  await page.mouse.click(box.x + (rect.x + rect.width / 2) * scale, box.y + (rect.y + rect.height / 2) * scale);
}

/** The GOLD shown in the top bar, as a number. */
export async function shownGold(page: Page): Promise<number> {
  const text = await page.getByTestId('balance-gold').first().textContent();
  return Number((text ?? '').replace(/[^\d]/g, ''));
}

export interface AdminPage extends GamePage {
  /** the path (and query) of every request the page made, in order */
  requests: string[];
  /** Content-Security-Policy violations the page reported */
  cspViolations: string[];
}

/** Opens the admin console at `path` (default /admin/) in a fresh context with the given viewport. */
export async function openAdmin(
  browser: Browser,
  baseUrl: string,
  viewport: { width: number; height: number } = { width: 1280, height: 800 },
  path = '/admin/',
): Promise<AdminPage> {
  const context = await browser.newContext({ viewport, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  const cspViolations: string[] = [];
  page.on('pageerror', (err) => errors.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    if (/^Failed to load resource: the server responded with a status of 4\d\d/.test(msg.text()) && msg.location().url.includes('/api/'))
      return;
    if (/Content Security Policy/i.test(msg.text())) cspViolations.push(msg.text());
    errors.push(`console.error: ${msg.text()}`);
  });
  page.on('request', (req) => {
    const url = new URL(req.url());
    requests.push(url.protocol.startsWith('http') ? url.pathname + url.search : `${url.protocol}…`);
  });
  await page.goto(baseUrl + path);
  return { context, page, errors, requests, cspViolations };
}

/** Logs an operator in on the admin console's login page and waits for the navigation. */
export async function adminLogIn(page: Page, op: { username: string; password: string }): Promise<void> {
  await page.getByTestId('login-form').waitFor();
  await page.getByLabel('Username').fill(op.username);
  await page.getByLabel('Password').fill(op.password);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.getByTestId('nav').waitFor();
}

/**
 * The admin pages a test opens: `open` logs an operator in on a fresh context at `path`; `closeChecked` (for afterEach)
 * asserts that each page opened since logged no error (those matching `allow` aside) and no CSP violation, then closes it.
 */
export function adminPages(target: () => { browser: Browser; url: string }, opts: { allow?: RegExp } = {}) {
  const opened: AdminPage[] = [];
  return {
    async open(op: { username: string; password: string }, path: string): Promise<AdminPage> {
      const { browser, url } = target();
      const a = await openAdmin(browser, url, { width: 1280, height: 800 }, path);
      opened.push(a);
      await adminLogIn(a.page, op);
      return a;
    },
    async closeChecked(): Promise<void> {
      for (const a of opened.splice(0)) {
        expect(a.errors.filter((e) => !opts.allow?.test(e))).to.deep.equal([]);
        expect(a.cspViolations).to.deep.equal([]);
        await a.context.close();
      }
    },
  };
}
