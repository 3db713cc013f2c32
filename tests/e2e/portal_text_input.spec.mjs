// Text input that never breaks: emoji and CJK typed, pasted and composed; numbers the core
// refuses are explained ("1,5"), limits are said out loud; the clipboard works both ways.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, portalState, waitFor, waitFrames, click, replaceText, holdKey, rects, step,
  checks, watchConsole, shotsDir, STAFF,
} from './portal_driver.mjs';

// Rendering goes on (the defect was a frozen loop), whatever the frame rate: software GL
// on a loaded machine can draw fewer than ten frames a second, so wait up to 5 s for six.
async function framesKeepComing(page, what) {
  const before = (await portalState(page)).frame;
  let after = before;
  for (const started = Date.now(); Date.now() - started < 5000 && after <= before + 5;) {
    await new Promise((r) => setTimeout(r, 200));
    after = (await portalState(page)).frame;
  }
  assert.ok(after > before + 5, `frames keep coming after ${what} (${before} -> ${after})`);
}

await withPortal(async ({ browser, base }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
  const page = await context.newPage();
  const consoleWatch = watchConsole(page);
  await openPortal(page, base);
  const t = checks();
  let state;
  let mirror;

  await t.step('an emoji and CJK typed into the login email: accepted, rendering goes on', async () => {
    await click(page, 'login.email');
    await page.keyboard.type('a😀b山田', { delay: 20 });
    await waitFrames(page, 3);
    await framesKeepComing(page, 'an emoji');
    state = await portalState(page);
    assert.equal(state.login_email, 'a😀b山田');
    assert.equal(state.signed_in, false);
  });

  await t.step('emoji have a placeholder glyph; Greek and Cyrillic have real ones', async () => {
    assert.equal(state.fallback_glyph, 0xFFFD, 'missing glyphs draw as the replacement character, not "?"');
    assert.equal(state.has_glyph[String(0x03A9)], true, 'Greek');
    assert.equal(state.has_glyph[String(0x0416)], true, 'Cyrillic');
    assert.equal(state.has_glyph[String(0xFFFD)], true, 'the placeholder itself');
  });

  await t.step('CJK glyphs arrive on demand once CJK text is typed', async () => {
    state = await waitFor(page, (s) => s.has_glyph[String(0x5C71)], 'the CJK fallback font', 20000);
    assert.equal(state.has_glyph[String(0x3042)], true, 'kana');
    await waitFrames(page, 3);
    await page.screenshot({ path: join(shotsDir, 'login-unicode.png') });
  });

  await t.step('IME composition commits its text once', async () => {
    await holdKey(page, 'a', 'Control');
    await holdKey(page, 'Backspace');
    const cdp = await context.newCDPSession(page);
    await cdp.send('Input.imeSetComposition', { text: 'にほ', selectionStart: 2, selectionEnd: 2 });
    await cdp.send('Input.imeSetComposition', { text: 'にほん', selectionStart: 3, selectionEnd: 3 });
    await cdp.send('Input.insertText', { text: '日本' });
    await waitFrames(page, 3);
    state = await portalState(page);
    assert.equal(state.login_email, '日本', 'the composed word, once, without its intermediate states');
  });

  await t.step('paste with Ctrl+V and Shift+Insert; copy with Ctrl+C reaches the system clipboard', async () => {
    await holdKey(page, 'a', 'Control');
    await holdKey(page, 'Backspace');
    await page.evaluate(() => navigator.clipboard.writeText('pasted@demo.test'));
    await holdKey(page, 'v', 'Control');
    await waitFrames(page, 2);
    assert.equal((await portalState(page)).login_email, 'pasted@demo.test');
    await holdKey(page, 'a', 'Control');
    await holdKey(page, 'Backspace');
    await page.evaluate(() => navigator.clipboard.writeText('insert@demo.test'));
    await holdKey(page, 'Insert', 'Shift');
    await waitFrames(page, 2);
    assert.equal((await portalState(page)).login_email, 'insert@demo.test');
    await page.evaluate(() => navigator.clipboard.writeText('nothing yet'));
    await holdKey(page, 'a', 'Control');
    await holdKey(page, 'c', 'Control');
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'insert@demo.test');
  });

  await t.step('Ctrl+X cuts to the system clipboard', async () => {
    await holdKey(page, 'a', 'Control');
    await holdKey(page, 'x', 'Control');
    await waitFrames(page, 2);
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), 'insert@demo.test');
    assert.equal((await portalState(page)).login_email, '', 'the cut text left the field');
  });

  await t.step('a required email is said in words, with the code kept for support', async () => {
    await holdKey(page, 'a', 'Control');
    await holdKey(page, 'Backspace');
    await replaceText(page, 'login.password', 'whatever');
    await click(page, 'login.submit');
    state = await waitFor(page, (s) => s.login_error, 'a login error');
    await waitFrames(page, 2);  // the mirror publishes a finished frame
    const tree = JSON.parse(await page.evaluate(() => Module.ccall('cp_a11y_tree', 'string', [], [])));
    const alerts = tree.filter((i) => i.role === 'alert').map((i) => i.name);
    assert.ok(alerts.length >= 1, 'the error is in the mirror');
    for (const a of alerts) assert.doesNotMatch(a, /[A-Z]{3,}_[A-Z_]+|@ email/, `no raw code on screen: ${a}`);
    assert.equal(state.login_error.code, 'VALIDATION_REQUIRED');
    assert.ok(alerts.includes('Email is required.'), alerts.join(' | '));
    const title = await page.locator('#cp-a11y [role=alert]').first().getAttribute('title');
    assert.match(title, /VALIDATION_REQUIRED @ email/, 'the code stays available for support');
  });

  await t.step('sign in and open a new invoice', async () => {
    await signIn(page, STAFF);
    await click(page, 'invoices.new');
  });

  await t.step('quantity "1,5" is refused with "use a dot", never read as 15', async () => {
    await replaceText(page, 'editor.line.0.unit_price', '1000.00');
    await replaceText(page, 'editor.line.0.quantity', '1,5');
    state = await waitFor(page, (s) => s.editor_preview && s.editor_preview.ok === false, 'the core refusing 1,5');
    assert.notEqual(state.editor_preview.total, '1500.00');
    assert.ok(state.editor_shown_errors.includes('INVALID_DECIMAL@lines[0].quantity'), state.editor_shown_errors.join());
    mirror = JSON.parse(await page.evaluate(() => Module.ccall('cp_a11y_tree', 'string', [], [])));
    assert.ok(mirror.some((i) => i.role === 'alert' && /dot for decimals/.test(i.name)), 'the message says to use a dot');
    assert.equal(mirror.find((i) => i.id === 'editor.line.0.quantity').value, '1,5', 'what was typed stays visible');
  });

  await t.step('"abc12x" is refused too, not read as 12', async () => {
    await replaceText(page, 'editor.line.0.quantity', 'abc12x');
    state = await waitFor(page, (s) => s.editor_input.includes('abc12x') && s.editor_preview.ok === false, 'abc12x refused');
    assert.ok(state.editor_shown_errors.includes('INVALID_DECIMAL@lines[0].quantity'));
    await waitFrames(page, 3);
    await page.screenshot({ path: join(shotsDir, 'editor-comma-refused.png') });
    await replaceText(page, 'editor.line.0.quantity', '1.5');
    state = await waitFor(page, (s) => s.editor_preview && s.editor_preview.ok, 'a valid draft');
    assert.equal(state.editor_preview.total, '1500.00');
  });

  await t.step('an emoji in the description is kept and saved; rendering goes on', async () => {
    await replaceText(page, 'editor.line.0.description', 'Workshop 🎉 東京');
    await framesKeepComing(page, 'an emoji in the description');
    state = await portalState(page);
    assert.equal(state.editor_descriptions[0], 'Workshop 🎉 東京');
  });

  await t.step('over-long text is refused with a message, not cut silently', async () => {
    await click(page, 'editor.line.0.description');
    await holdKey(page, 'a', 'Control');
    await page.evaluate((t) => navigator.clipboard.writeText(t), 'x'.repeat(600));
    await holdKey(page, 'v', 'Control');
    await waitFrames(page, 3);
    state = await portalState(page);
    assert.equal([...state.editor_descriptions[0]].length, 500, 'the core limit of 500');
    mirror = JSON.parse(await page.evaluate(() => Module.ccall('cp_a11y_tree', 'string', [], [])));
    assert.ok(mirror.some((i) => i.id === 'editor.line.0.description.limit' && /at most 500 characters/.test(i.name)),
      'the limit is said');
    assert.ok((await rects(page))['editor.line.0.description.limit'], 'and drawn');
  });

  await t.step('copy an invoice number from the list with Ctrl+C', async () => {
    await holdKey(page, 'Escape');
    await holdKey(page, 'Escape');
    state = await portalState(page);
    if (state.editor_leave_prompt) await click(page, 'editor.leave.discard');
    await waitFor(page, (s) => s.route === '#/invoices', 'the invoice list');
    const issuedAt = (await portalState(page)).invoice_count;  // rows are sorted by number: the draft first
    assert.ok(issuedAt > 1);
    await holdKey(page, 'ArrowDown');
    await holdKey(page, 'ArrowDown');
    await page.evaluate(() => navigator.clipboard.writeText('nothing yet'));
    await holdKey(page, 'c', 'Control');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, /^INV-[\d-]+$/, `copied ${copied}`);
  });

  await t.step('copy an amount from a row\'s menu', async () => {
    const row = (await rects(page))['invoices.row.1'];
    await page.mouse.click(row.x + row.w / 2, row.y + row.h / 2, { button: 'right' });
    await waitFrames(page, 3);
    await click(page, 'menu.Copy total');
    await waitFrames(page, 2);
    assert.match(await page.evaluate(() => navigator.clipboard.readText()), /^\d+\.\d{2} [A-Z]{3}$/);
  });

  await t.step('no errors in the browser console', async () => {
    assert.deepEqual(consoleWatch.unexpected(), []);
  });
  t.done();
});
step('passed');
