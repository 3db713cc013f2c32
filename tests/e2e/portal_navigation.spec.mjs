// URLs, history, reload and session expiry; the keyboard (initial focus, Tab, Enter, arrows,
// Escape that keeps edits and asks before discarding); the wheel.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, portalState, waitFor, waitFrames, click, replaceText, holdKey, rects, api,
  checks, watchConsole, shotsDir, STAFF,
} from './portal_driver.mjs';

const SCREEN = { login: 0, invoices: 1, editor: 2, detail: 3, not_found: 4, signed_out: 5 };

await withPortal(async ({ browser, base }) => {
  const t = checks();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleWatch = watchConsole(page);
  await openPortal(page, base);
  const login = await api(base, 'POST', '/api/v1/auth/login', STAFF);
  const list = (await api(base, 'GET', '/api/v1/invoices?limit=200', null, login.body.token)).body.data;
  const issued = list.findIndex((i) => i.status !== 'draft');
  const draft = list.findIndex((i) => i.status === 'draft');

  await t.step('initial focus is on the email field; Tab and Enter sign in', async () => {
    let s = await waitFor(page, (x) => x.focused === 'login.email', 'focus on the email field', 5000);
    await page.keyboard.type(STAFF.email, { delay: 10 });
    await holdKey(page, 'Tab');
    s = await waitFor(page, (x) => x.focused === 'login.password', 'focus on the password field', 5000);
    await page.keyboard.type(STAFF.password, { delay: 10 });
    await holdKey(page, 'Tab');
    await waitFor(page, (x) => x.focused === 'login.submit', 'focus on Sign in', 5000);
    await holdKey(page, 'Enter');
    s = await waitFor(page, (x) => x.signed_in && x.invoices_loaded, 'signed in by keyboard');
    assert.equal(s.screen, SCREEN.invoices);
  });
  if (!(await portalState(page)).signed_in) await signIn(page, STAFF);

  await t.step('every screen has a route in the address bar', async () => {
    await waitFor(page, (s) => s.route === '#/invoices', 'route #/invoices', 5000);
    assert.equal(new URL(page.url()).hash, '#/invoices');
    await click(page, `invoices.row.${issued}`);
    await waitFor(page, (s) => s.detail_loaded, 'the detail');
    assert.equal(new URL(page.url()).hash, `#/invoices/${list[issued].id}`);
    const title = await page.title();
    assert.match(title, /Demo Consulting LLC/);
  });

  await t.step('Back returns to the list, Forward to the invoice (not the login screen)', async () => {
    await page.goBack();
    await waitFor(page, (s) => s.screen === SCREEN.invoices, 'the list after Back', 5000);
    assert.equal(new URL(page.url()).hash, '#/invoices');
    await page.goForward();
    const s = await waitFor(page, (x) => x.screen === SCREEN.detail && x.detail_loaded, 'the invoice after Forward', 5000);
    assert.equal(s.signed_in, true);
    assert.equal(s.detail_number, list[issued].number);
  });

  await t.step('reload keeps the session and the screen', async () => {
    await page.reload();
    await waitFrames(page, 5, 30000);
    const s = await waitFor(page, (x) => x.screen === SCREEN.detail && x.detail_loaded, 'the same invoice after reload');
    assert.equal(s.signed_in, true);
    assert.equal(s.detail_number, list[issued].number);
  });

  await t.step('a draft opens and cp_debug_state still answers', async () => {
    assert.ok(draft >= 0, 'the demo has a draft');
    await page.goto(`${base}/#/invoices/${list[draft].id}`);
    const s = await waitFor(page, (x) => x.detail_loaded && x.route === `#/invoices/${list[draft].id}`, 'the draft');
    assert.equal(s.detail_number, '');
    await waitFrames(page, 2);
    const tree = await page.evaluate(() => JSON.parse(Module.ccall('cp_a11y_tree', 'string', [], [])));
    const verification = tree.find((i) => i.id === 'detail.verification');
    assert.ok(verification, 'the verification line is there');
    assert.doesNotMatch(verification.name, /issued/, 'a draft is not said to be issued');
  });

  await t.step('a path deep link (/invoices) opens the portal, not a JSON 404', async () => {
    const response = await page.goto(`${base}/invoices`);
    assert.equal(response.status(), 200);
    assert.match(response.headers()['content-type'], /text\/html/);
    await waitFrames(page, 5, 30000);
    const s = await waitFor(page, (x) => x.screen === SCREEN.invoices, 'the list from /invoices');
    assert.equal(new URL(page.url()).hash, '#/invoices');
    assert.equal(s.signed_in, true);
  });

  await t.step('an unknown route shows a not-found screen', async () => {
    await page.goto(`${base}/#/no/such/screen`);
    const s = await waitFor(page, (x) => x.screen === SCREEN.not_found, 'the not-found screen');
    assert.ok((await rects(page))['not_found.home'], 'with a way home');
    await page.screenshot({ path: join(shotsDir, 'not-found.png') });
    assert.equal(s.signed_in, true);
  });

  await t.step('a deep link in a new tab asks to sign in, then opens that screen', async () => {
    const other = await context.newPage();
    await openPortal(other, base, `/#/invoices/${list[issued].id}`);
    let s = await portalState(other);
    assert.equal(s.screen, SCREEN.login);
    await signIn(other, STAFF).catch(() => {});
    s = await waitFor(other, (x) => x.screen === SCREEN.detail && x.detail_loaded, 'the deep-linked invoice');
    assert.equal(s.detail_number, list[issued].number);
    await other.close();
  });

  await t.step('keyboard in the table: arrows move, Enter opens, Escape goes back', async () => {
    await page.goto(`${base}/#/invoices`);
    await waitFor(page, (x) => x.screen === SCREEN.invoices && x.invoices_loaded, 'the list');
    await holdKey(page, 'ArrowDown');
    await holdKey(page, 'ArrowDown');
    await holdKey(page, 'Enter');
    let s = await waitFor(page, (x) => x.screen === SCREEN.detail, 'an invoice opened by Enter', 5000);
    await holdKey(page, 'Escape');
    s = await waitFor(page, (x) => x.screen === SCREEN.invoices, 'Escape back to the list', 5000);
    assert.equal(s.route, '#/invoices');
  });

  await t.step('Escape in a field keeps the edit; leaving with unsaved changes asks first', async () => {
    await click(page, 'invoices.new');
    await click(page, 'editor.rounding');
    assert.equal((await portalState(page)).popup_open, true, 'the combo is open');
    await holdKey(page, 'Escape');
    let c = await portalState(page);
    assert.equal(c.popup_open, false, 'Escape closes the combo');
    assert.equal(c.screen, SCREEN.editor, 'and stays on the screen');
    await replaceText(page, 'editor.line.0.description', 'Kept after Escape');
    await holdKey(page, 'Escape');
    let s = await portalState(page);
    assert.equal(s.editor_descriptions[0], 'Kept after Escape', 'Escape did not undo the edit');
    assert.equal(s.screen, SCREEN.editor);
    assert.equal(s.editor_unsaved, true);
    await holdKey(page, 'Escape');
    s = await waitFor(page, (x) => x.editor_leave_prompt, 'the unsaved-changes prompt', 5000);
    assert.equal(s.screen, SCREEN.editor, 'still in the editor');
    await click(page, 'editor.leave.stay');
    s = await portalState(page);
    assert.equal(s.screen, SCREEN.editor);
    assert.equal(s.editor_descriptions[0], 'Kept after Escape');
    await page.goBack();
    s = await waitFor(page, (x) => x.editor_leave_prompt, 'the prompt on Back', 5000);
    assert.equal(s.editor_descriptions[0], 'Kept after Escape');
    await waitFrames(page, 3);
    await page.screenshot({ path: join(shotsDir, 'editor-unsaved-prompt.png') });
    await click(page, 'editor.leave.discard');
    await waitFor(page, (x) => x.screen === SCREEN.invoices, 'the list after discarding', 5000);
  });

  await t.step('Tab reaches every control of the editor, Shift+Tab goes back', async () => {
    await click(page, 'invoices.new');
    await click(page, 'editor.line.0.description');
    const seen = [];
    // The cycle passes the workspace's sidebar and breadcrumbs too.
    for (let i = 0; i < 32; i++) {
      await holdKey(page, 'Tab');
      seen.push((await portalState(page)).focused);
    }
    for (const id of ['editor.line.0.quantity', 'editor.line.0.unit_price', 'editor.line.0.tax_rate',
      'editor.line.0.remove', 'editor.add_line', 'editor.save', 'header.sign_out', 'nav.dashboard', 'nav.audit',
      'crumb.1', 'editor.back',
      'editor.client', 'editor.currency', 'editor.rounding', 'editor.tax_mode']) {
      assert.ok(seen.includes(id), `Tab reaches ${id}: ${seen.join(' > ')}`);
    }
    const before = (await portalState(page)).focused;
    await holdKey(page, 'Tab', 'Shift');
    const after = (await portalState(page)).focused;
    assert.equal(seen[seen.length - 2], after, `Shift+Tab returns from ${before} to ${seen[seen.length - 2]}`);
    await holdKey(page, 'Escape');  // leaves the field (if one is being edited)
    await holdKey(page, 'Escape');  // leaves the screen
    if ((await portalState(page)).editor_leave_prompt) await click(page, 'editor.leave.discard');
    await waitFor(page, (x) => x.screen === SCREEN.invoices, 'the list again', 5000);
  });

  await t.step('the wheel scrolls the way the page would, by the distance given', async () => {
    await click(page, 'invoices.new');
    // Through the mirror: the button moves below the fold as lines are added.
    for (let i = 0; i < 24; i++) {
      await page.evaluate(() => Module.ccall('cp_a11y_activate', null, ['string'], ['editor.add_line']));
      await waitFrames(page, 1);
    }
    await waitFrames(page, 3);
    let s = await portalState(page);
    assert.equal(s.editor_lines, 25);
    const total = (await rects(page))['editor.total'];
    assert.ok(!total || total.y > 800, 'the totals start below the fold');
    await page.mouse.move(640, 400);
    await page.mouse.wheel(0, 40);
    await waitFrames(page, 3);
    s = await portalState(page);
    assert.ok(s.main_scroll_y > 0, `a wheel down scrolls down (scroll ${s.main_scroll_y})`);
    assert.ok(s.main_scroll_y <= 60, `a small wheel step is a small scroll, not a jump (scroll ${s.main_scroll_y})`);
    await page.mouse.wheel(0, -20);
    await waitFrames(page, 3);
    const back = await portalState(page);
    assert.ok(back.main_scroll_y < s.main_scroll_y, 'a wheel up scrolls up');
    for (let i = 0; i < 30; i++) await page.mouse.wheel(0, 200);
    await waitFrames(page, 3);
    s = await portalState(page);
    const r = (await rects(page))['editor.total'];
    assert.ok(r && r.y >= 0 && r.y + r.h <= 800, `the totals can be scrolled into view (${JSON.stringify(r)})`);
    await page.screenshot({ path: join(shotsDir, 'editor-scrolled-to-totals.png') });
  });

  await t.step('an expired session says so, drops the header, and returns you to where you were', async () => {
    await holdKey(page, 'Escape');
    const prompt = (await portalState(page)).editor_leave_prompt;
    if (prompt) await click(page, 'editor.leave.discard');
    await page.goto(`${base}/#/invoices/${list[issued].id}`);
    await waitFor(page, (x) => x.detail_loaded, 'the invoice');
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('cp.session')).token);
    assert.equal((await api(base, 'POST', '/api/v1/auth/logout', {}, token)).status < 300, true);
    // The next request meets the ended session: going back may already reload the list
    // (and land on the signed-out screen); otherwise refreshing does. A background check
    // may meet it first and take the page away before the click.
    const back = (await rects(page))['detail.back'];
    if (back && (await portalState(page)).screen !== SCREEN.signed_out) {
      await page.mouse.move(back.x + back.w / 2, back.y + back.h / 2);
      await page.mouse.down();
      await waitFrames(page, 1);
      await page.mouse.up();
    }
    await waitFrames(page, 3, 5000).catch(() => {});
    if ((await portalState(page)).screen !== SCREEN.signed_out) {
      await click(page, 'invoices.refresh').catch(() => {});
    }
    let s = await waitFor(page, (x) => x.screen === SCREEN.signed_out, 'the signed-out screen', 8000);
    assert.equal(s.signed_in, false);
    // Where the person was when the session ended: the list if the Back click landed first,
    // the invoice if a background check met the ended session before it (a loaded machine).
    const wasAt = s.return_route;
    assert.ok(wasAt === '#/invoices' || wasAt === `#/invoices/${list[issued].id}`, `remembered ${wasAt}`);
    assert.equal((await rects(page))['header.sign_out'], undefined, 'no "signed in" header');
    assert.equal(s.login_error, undefined, 'no error code');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('cp.session')), null, 'the stored token is gone');
    await page.screenshot({ path: join(shotsDir, 'signed-out.png') });
    await click(page, 'expired.sign_in');
    await signIn(page, STAFF).catch(() => {});
    s = await waitFor(page, (x) => x.signed_in && x.route === wasAt, 'back where the person was');
    assert.equal(s.screen, wasAt === '#/invoices' ? SCREEN.invoices : SCREEN.detail);
  });

  await t.step('sign-out clears the stored session: reload shows the sign-in screen', async () => {
    await click(page, 'header.sign_out');
    assert.equal(await page.evaluate(() => sessionStorage.getItem('cp.session')), null);
    await page.reload();
    await waitFrames(page, 5, 30000);
    const s = await portalState(page);
    assert.equal(s.signed_in, false);
    assert.equal(s.screen, SCREEN.login);
  });

  await t.step('no errors in the console', async () => {
    assert.deepEqual(consoleWatch.unexpected([401, 404]), []);
  });
  t.done();
});
