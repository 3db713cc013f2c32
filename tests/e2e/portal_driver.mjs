// Shared helpers for the browser tests: launching Debian's Chromium, reading the portal's
// published state, clicking named widgets and typing across ImGui frames.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const buildDir = process.env.CP_BUILD_DIR;
export const webDir = process.env.CP_WEB_DIR;
export const shotsDir = join(buildDir, 'e2e');
mkdirSync(shotsDir, { recursive: true });

export const STAFF = { email: 'owner@demo.test', password: process.env.CP_DEMO_PASSWORD || 'demo-password-123' };
export const CLIENT = { email: 'client@demo.test', password: STAFF.password };

export function step(text) { console.log(`e2e: ${text}`); }

export async function launchBrowser() {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-gl=swiftshader', '--enable-unsafe-swiftshader'],
  });
}

export async function portalState(page) {
  return JSON.parse(await page.evaluate(() => Module.ccall('cp_debug_state', 'string', [], [])));
}
export async function rects(page) {
  return JSON.parse(await page.evaluate(() => Module.ccall('cp_widget_rects', 'string', [], [])));
}
// Polls from node: page.waitForFunction evaluates a string in the page, which the portal's
// Content-Security-Policy (no 'unsafe-eval') rightly refuses.
export async function waitUntil(page, fn, arg, timeout = 15000) {
  const deadline = Date.now() + timeout;
  while (!(await page.evaluate(fn, arg))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${fn}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
export async function waitFrames(page, n = 3, timeout = 15000) {
  const start = await page.evaluate(() => window.cpFrame || 0);
  await waitUntil(page, (s) => (window.cpFrame || 0) >= s, start + n, timeout);
}
export async function waitFor(page, predicate, what, timeout = 15000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const state = await portalState(page);
    if (predicate(state)) return state;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(state)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
export async function waitForRect(page, name, timeout = 15000) {
  let r;
  const deadline = Date.now() + timeout;
  while (!(r = (await rects(page))[name])) {
    if (Date.now() > deadline) throw new Error(`widget ${name} never appeared: ${Object.keys(await rects(page))}`);
    await waitFrames(page, 1);
  }
  return r;
}
// The button is held across a frame, as a person's click is.
// The widget must also stand still for a frame: a popup's items are laid out once before
// the popup knows its size (and is shown), so a click at that first position misses it and
// closes the popup.
export async function click(page, name) {
  let r = await waitForRect(page, name);
  for (let tries = 0; tries < 10; tries++) {
    await waitFrames(page, 1);
    const now = (await rects(page))[name];
    if (now && now.x === r.x && now.y === r.y && now.w === r.w && now.h === r.h) break;
    r = now || (await waitForRect(page, name));
  }
  await page.mouse.move(r.x + r.w / 2, r.y + r.h / 2);
  await page.mouse.down();
  await waitFrames(page, 1);
  await page.mouse.up();
  await waitFrames(page, 2);
}
// ImGui 1.86 samples key state once per frame: a press and release inside one frame is
// never seen, so keys are held across frames.
export async function holdKey(page, key, modifier) {
  if (modifier) await page.keyboard.down(modifier);
  await page.keyboard.down(key);
  await waitFrames(page, 2);
  await page.keyboard.up(key);
  if (modifier) await page.keyboard.up(modifier);
  await waitFrames(page, 1);
}
export async function replaceText(page, name, text) {
  // On a loaded machine a click or keys can land before the field is active and be lost:
  // the field's text in the accessibility mirror says whether it took; one more try if not.
  for (let attempt = 0; attempt < 2; attempt++) {
    await click(page, name);
    await holdKey(page, 'a', 'Control');
    await holdKey(page, 'Backspace');
    await page.keyboard.type(text, { delay: 15 });
    await waitFrames(page, 2);
    const field = JSON.parse(await page.evaluate(() => Module.ccall('cp_a11y_tree', 'string', [], [])))
      .find((i) => i.id === name);
    if (!field || field.role !== 'textbox' || field.value === text) return;
  }
}
export async function openPortal(page, base, path = '/') {
  const response = await page.goto(base + path);
  await waitUntil(page, () => (window.cpFrame || 0) > 3, null, 30000);
  return response;
}
export async function signIn(page, who) {
  await replaceText(page, 'login.email', who.email);
  await replaceText(page, 'login.password', who.password);
  await click(page, 'login.submit');
  return waitFor(page, (s) => s.signed_in && s.invoices_loaded, 'the invoice list');
}

// The accessibility mirror's items ({id, role, name, value, ...}). The mirror is built while
// a frame is drawn, so a state change (an answer that just arrived) reaches it a frame later:
// two frames pass first.
export async function mirror(page) {
  await waitFrames(page, 2);
  return page.evaluate(() => JSON.parse(Module.ccall('cp_a11y_tree', 'string', [], [])));
}
// A screenshot into $CP_BUILD_DIR/e2e/ with the pointer parked away from any hover effect.
export async function shot(page, name) {
  await page.mouse.move(1, 1);
  await waitFrames(page, 4);
  return page.screenshot({ path: join(shotsDir, name) });
}
// Signs in through the login form and waits for the route the account lands on.
export async function signInAs(page, who, landing) {
  await replaceText(page, 'login.email', who.email);
  await replaceText(page, 'login.password', who.password);
  await click(page, 'login.submit');
  await waitFor(page, (x) => x.signed_in && x.route === landing, `${who.email} signed in`);
}
// A bearer token for `who`, signed in through the API.
export async function tokenOf(base, who) {
  const r = await api(base, 'POST', '/api/v1/auth/login', who);
  assert.equal(r.status, 200, JSON.stringify(r.body));
  return r.body.token;
}
// get(path[, token]): the body of a GET that must answer 200.
export function getter(base, token) {
  return async (path, as = token) => {
    const r = await api(base, 'GET', path, null, as);
    assert.equal(r.status, 200, `${path}: ${JSON.stringify(r.body)}`);
    return r.body;
  };
}

export async function api(base, method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  const r = await fetch(base + path, { method, headers, body: body ? JSON.stringify(body) : undefined });
  const text = await r.text();
  let parsed = null;
  try { parsed = JSON.parse(text); } catch { parsed = text; }
  return { status: r.status, body: parsed, headers: r.headers };
}

// Collects console errors and page errors; `unexpected()` leaves out failed loads the test
// provoked on purpose (status codes listed in `allowed`).
export function watchConsole(page) {
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  if (process.env.CP_E2E_CONSOLE) page.on('console', (m) => console.error('console:', m.type(), m.text()));
  return {
    errors,
    unexpected: (allowed = [401, 422, 429]) =>
      errors.filter((e) => !new RegExp(`Failed to load resource.*\\b(${allowed.join('|')})\\b`).test(e)),
  };
}

// Runs `body(t)` with a fresh server and browser; any failure prints the server's output.
export async function withPortal(body, { serverArgs = [] } = {}) {
  const { startServer } = await import('./server_process.mjs');
  const server = await startServer({ buildDir, webDir, args: serverArgs });
  let browser;
  try {
    browser = await launchBrowser();
    await body({ server, browser, base: server.base });
  } catch (e) {
    console.error(server.output().slice(-4000));
    throw e;
  } finally {
    if (browser) await browser.close();
    await server.stop();
  }
}

// Runs named checks one after another and reports every failure at the end, so one run
// against an old build shows which defects each check catches.
export function checks() {
  const failed = [];
  return {
    async step(name, body) {
      step(name);
      try {
        await body();
      } catch (e) {
        console.error(`e2e: FAILED: ${name}\n  ${String(e.message || e).split('\n').slice(0, 6).join('\n  ')}`);
        failed.push(name);
      }
    },
    done() {
      if (failed.length) throw new Error(`${failed.length} check(s) failed:\n - ${failed.join('\n - ')}`);
    },
  };
}
