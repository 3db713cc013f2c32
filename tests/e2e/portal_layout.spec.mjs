// Layout: a viewport the size of the screen (F11) and full screen, a 375 px phone, and the
// login, list and editor screens compared with reference images.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, portalState, waitFor, waitFrames, click, rects, checks, watchConsole,
  shotsDir, STAFF, CLIENT,
} from './portal_driver.mjs';
import { compareWithReference } from './screenshot_compare.mjs';

function inside(r, w, h, name) {
  assert.ok(r, `${name} is drawn`);
  assert.ok(r.x >= 0 && r.y >= 0 && r.x + r.w <= w && r.y + r.h <= h, `${name} inside ${w}x${h}: ${JSON.stringify(r)}`);
}
function apart(a, b, what) {
  const overlap = a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  assert.ok(!overlap, `${what} do not overlap: ${JSON.stringify(a)} ${JSON.stringify(b)}`);
}

await withPortal(async ({ browser, base }) => {
  const t = checks();

  await t.step('a viewport the size of the screen (F11) fills the canvas without errors', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, screen: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
    const seen = watchConsole(page);
    await openPortal(page, base);
    await page.setViewportSize({ width: 1920, height: 1080 });
    await waitFrames(page, 30);
    const canvas = await page.evaluate(() => { const c = document.getElementById('canvas'); return [c.width, c.height]; });
    assert.deepEqual(canvas, [1920, 1080], 'the backing store follows the viewport (no stretching)');
    const s = await portalState(page);
    assert.deepEqual(s.display_size, [1920, 1080]);
    const r = (await rects(page))['login.submit'];
    assert.ok(Math.abs(r.x + r.w / 2 - 960) < 2, `the login box is centred (${r.x + r.w / 2})`);
    assert.deepEqual(seen.errors, [], 'no console errors');
    await page.screenshot({ path: join(shotsDir, 'screen-size-1920.png') });
    await page.close();
  });

  await t.step('full screen through the Fullscreen API keeps the canvas sharp and quiet', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 720 }, screen: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
    const seen = watchConsole(page);
    await openPortal(page, base);
    await page.evaluate(() => { document.getElementById('canvas').addEventListener('click', () => document.documentElement.requestFullscreen(), { once: true }); });
    await page.mouse.click(5, 5);
    await waitFrames(page, 30);
    const state = await page.evaluate(() => [!!document.fullscreenElement, document.getElementById('canvas').width, innerWidth]);
    assert.equal(state[1], state[2], 'canvas pixels = CSS pixels at ratio 1');
    assert.deepEqual(seen.errors, []);
    await page.close();
  });

  await t.step('375 px: the login box fits', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await openPortal(page, base);
    await waitFrames(page, 5);
    const r = await rects(page);
    for (const name of ['login.window', 'login.email', 'login.password', 'login.submit']) inside(r[name], 375, 667, name);
    const backing = await page.evaluate(() => [document.getElementById('canvas').width, document.getElementById('canvas').height]);
    assert.deepEqual(backing, [750, 1334], 'HiDPI: the canvas has a device pixel per pixel');
    await page.screenshot({ path: join(shotsDir, 'login-375.png') });
    await page.close();
  });

  await t.step('375 px: the client portal has a narrow layout and the header does not overlap', async () => {
    const page = await browser.newPage({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    await openPortal(page, base);
    await signIn(page, CLIENT);
    await waitFrames(page, 5);
    const s = await portalState(page);
    assert.equal(s.narrow, true);
    const r = await rects(page);
    for (const name of ['header.firm', 'header.user', 'header.sign_out', 'invoices.row.0', 'invoices.row.0.balance_due']) {
      inside(r[name], 375, 667, name);
    }
    apart(r['header.firm'], r['header.sign_out'], 'firm name and Sign out');
    apart(r['header.user'], r['header.sign_out'], 'user and Sign out');
    apart(r['header.firm'], r['header.user'], 'firm name and user');
    await page.screenshot({ path: join(shotsDir, 'client-portal-375.png') });
    await page.close();
  });

  await t.step('resizing a signed-in window re-lays it out without clipping', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    await openPortal(page, base);
    await signIn(page, STAFF);
    for (const [w, h] of [[560, 700], [800, 700], [1024, 600], [1280, 800]]) {
      await page.setViewportSize({ width: w, height: h });
      await waitFrames(page, 5);
      const s = await portalState(page);
      assert.deepEqual(s.display_size, [w, h]);
      assert.equal(s.narrow, w < 640);
      const r = await rects(page);
      for (const name of ['header.sign_out', 'invoices.row.0.balance_due', 'invoices.filter.issued_from',
        'invoices.filter.issued_to']) inside(r[name], w, h, `${name} at ${w}x${h}`);
    }
    await page.close();
  });

  await t.step('the client portal is titled with the firm that bills them', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    await openPortal(page, base);
    await signIn(page, CLIENT);
    const s = await waitFor(page, (x) => x.firm_name === 'Demo Consulting LLC', 'the billing firm as title', 5000);
    assert.equal(s.is_portal_user, true);
    await page.close();
  });

  await t.step('login, list and editor match their reference images', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    await openPortal(page, base);
    await waitFrames(page, 5);
    await page.mouse.move(1, 1);
    const shots = [];
    shots.push(['login.png', await page.screenshot()]);
    await signIn(page, STAFF);
    await page.mouse.move(1, 1);
    await waitFrames(page, 5);
    shots.push(['invoices.png', await page.screenshot()]);
    await click(page, 'invoices.new');
    await page.mouse.move(1, 1);
    await waitFrames(page, 5);
    shots.push(['editor.png', await page.screenshot()]);
    const failures = [];
    for (const [name, png] of shots) {
      writeFileSync(join(shotsDir, `compare-${name}`), png);
      try {
        const r = await compareWithReference(browser, png, name);
        console.log(`e2e: ${name}: ${r.updated ? 'reference written' : `${(r.share * 100).toFixed(2)} % pixels differ`}`);
      } catch (e) {
        failures.push(e.message);
      }
    }
    assert.deepEqual(failures, []);
    await page.close();
  });
  t.done();
});
