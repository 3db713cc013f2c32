// Signs in through the real portal (Wasm + WebGL2 in headless Chromium), checks the invoice
// list against the API, types in the invoice editor and checks that the live total equals
// the server's own preview of the same draft. Screenshots go to $CP_BUILD_DIR/e2e/.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  buildDir, webDir, shotsDir, STAFF, step, portalState, rects, waitUntil, waitFrames, waitFor, click, holdKey,
  replaceText, api, launchBrowser,
} from './portal_driver.mjs';
import { startServer } from './server_process.mjs';

const server = await startServer({ buildDir, webDir });
let browser;
try {
  browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const consoleErrors = [];
  page.on('console', (m) => { if (m.type() === 'error') consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => consoleErrors.push(String(e)));
  page.on('console', (m) => { if (process.env.CP_E2E_CONSOLE) console.error('console:', m.type(), m.text()); });

  step('open the portal');
  const response = await page.goto(server.base + '/');
  assert.equal(response.status(), 200);
  // The portal runs under its strict policy (no inline script or style, Wasm allowed): any
  // violation would be a console error, and those are checked at the end.
  const csp = response.headers()['content-security-policy'] || '';
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  await waitUntil(page, () => (window.cpFrame || 0) > 3, null, 30000);

  step('a wrong password shows the stable error code, not a crash');
  await replaceText(page, 'login.email', STAFF.email);
  await replaceText(page, 'login.password', 'not-the-password');
  await click(page, 'login.submit');
  const failed = await waitFor(page, (s) => s.login_error, 'a login error');
  assert.equal(failed.login_error.code, 'INVALID_CREDENTIALS');
  assert.equal(failed.signed_in, false);

  step('a throttled login shows how long to wait');
  for (let i = 0; i < 5; i++) {
    const r = await api(server.base, 'POST', '/api/v1/auth/login', { email: 'ghost@demo.test', password: 'wrong password' });
    assert.equal(r.status, 401);
  }
  await replaceText(page, 'login.email', 'ghost@demo.test');
  await click(page, 'login.submit');
  const throttled = await waitFor(page, (s) => s.login_error && s.login_error.code === 'TOO_MANY_ATTEMPTS', 'the throttle message');
  assert.match(throttled.login_error.message, /Try again in \d+ (seconds|minutes)\./);
  await page.screenshot({ path: join(shotsDir, 'login-throttled.png') });

  step('sign in as the demo owner');
  await replaceText(page, 'login.email', STAFF.email);
  await replaceText(page, 'login.password', STAFF.password);
  await click(page, 'login.submit');
  const listed = await waitFor(page, (s) => s.signed_in && s.invoices_loaded, 'the invoice list');

  const login = await api(server.base, 'POST', '/api/v1/auth/login', STAFF);
  assert.equal(login.status, 200);
  const apiList = await api(server.base, 'GET', '/api/v1/invoices?limit=200', null, login.body.token);
  assert.equal(apiList.status, 200);
  assert.ok(apiList.body.data.length >= 1, 'the demo firm has invoices');
  assert.equal(listed.invoice_count, apiList.body.data.length, 'portal shows every invoice the API lists');
  assert.ok((await rects(page))['invoices.row.0'], 'the first invoice row is drawn');
  await waitFrames(page, 3);
  await page.screenshot({ path: join(shotsDir, 'invoices.png') });

  assert.equal(listed.firm_name, 'Demo Consulting LLC');

  step('open an issued invoice: the portal re-checks its stored totals with the core');
  const issued = apiList.body.data.findIndex((i) => i.status !== 'draft' && i.tax !== '0.00');
  assert.ok(issued >= 0, 'the demo has an issued invoice with tax');
  await click(page, `invoices.row.${issued}`);
  const detail = await waitFor(page, (s) => s.detail_loaded, 'the invoice detail');
  assert.equal(detail.detail_number, apiList.body.data[issued].number);
  assert.equal(detail.detail_totals_match, true, 'stored totals equal the core recomputation');
  await waitFrames(page, 3);
  await page.screenshot({ path: join(shotsDir, 'invoice-detail.png') });
  await click(page, 'detail.back');

  step('type a line in the editor and watch the live total');
  await click(page, 'invoices.new');
  await replaceText(page, 'editor.line.0.quantity', '1.5');
  await replaceText(page, 'editor.line.0.unit_price', '120.00');
  await replaceText(page, 'editor.line.0.tax_rate', '8.875');
  let state = await waitFor(page, (s) => s.editor_preview && s.editor_preview.ok &&
    s.editor_preview.total === '195.98', 'the live total 195.98');
  assert.equal(state.editor_preview.subtotal, '180.00');
  assert.equal(state.editor_preview.tax, '15.98');

  step('the server computes the same figures for the same draft');
  const serverPreview = await api(server.base, 'POST', '/api/v1/invoices/preview',
    JSON.parse(state.editor_input), login.body.token);
  assert.equal(serverPreview.status, 200);
  for (const key of ['subtotal', 'tax', 'total', 'balance_due']) {
    assert.equal(serverPreview.body[key], state.editor_preview[key], `server and portal agree on ${key}`);
  }

  step('a second line, then invalid input shows the same error code the server returns');
  await click(page, 'editor.add_line');
  await replaceText(page, 'editor.line.1.quantity', '2');
  await replaceText(page, 'editor.line.1.unit_price', '99.9.5');
  state = await waitFor(page, (s) => s.editor_preview && s.editor_preview.ok === false &&
    s.editor_preview.errors.some((e) => e.field === 'lines[1].unit_price'),
  'a validation error for a malformed unit price');
  const portalCodes = state.editor_preview.errors.map((e) => `${e.code}@${e.field}`).sort();
  const rejected = await api(server.base, 'POST', '/api/v1/invoices/preview',
    JSON.parse(state.editor_input), login.body.token);
  assert.equal(rejected.status, 422);
  const serverCodes = rejected.body.errors.map((e) => `${e.code}@${e.field}`).sort();
  assert.deepEqual(serverCodes, portalCodes);
  assert.ok(portalCodes.some((c) => c.endsWith('@lines[1].unit_price')), portalCodes.join(','));
  assert.deepEqual([...state.editor_shown_errors].sort(), portalCodes, 'every error is on screen');

  step('a document-level error (negative total) is shown too, with the server\'s code');
  await replaceText(page, 'editor.line.1.unit_price', '99.99');
  await replaceText(page, 'editor.line.1.quantity', '-20');
  state = await waitFor(page, (s) => s.editor_preview && s.editor_preview.ok === false &&
    s.editor_shown_errors.includes('NEGATIVE_TOTAL@total'), 'NEGATIVE_TOTAL shown under the table');
  const negative = await api(server.base, 'POST', '/api/v1/invoices/preview',
    JSON.parse(state.editor_input), login.body.token);
  assert.equal(negative.status, 422);
  assert.deepEqual(negative.body.errors.map((e) => `${e.code}@${e.field}`), ['NEGATIVE_TOTAL@total']);
  await waitFrames(page, 3);
  await page.screenshot({ path: join(shotsDir, 'invoice-editor-negative-total.png') });
  await replaceText(page, 'editor.line.1.quantity', '2');
  await replaceText(page, 'editor.line.1.unit_price', '99.99');
  state = await waitFor(page, (s) => s.editor_preview && s.editor_preview.ok, 'a valid draft again');
  await waitFrames(page, 3);
  await page.screenshot({ path: join(shotsDir, 'invoice-editor.png') });

  step('save the draft: the server stores the figures the editor shows');
  assert.ok(state.editor_client_id, 'the editor bills a client');
  await click(page, 'editor.save');
  state = await waitFor(page, (s) => s.editor_draft_id, 'the saved draft');
  const draft = await api(server.base, 'GET', `/api/v1/invoices/${state.editor_draft_id}`, null, login.body.token);
  assert.equal(draft.status, 200);
  assert.equal(draft.body.status, 'draft');
  assert.equal(draft.body.client_id, state.editor_client_id);
  for (const key of ['subtotal', 'tax', 'total']) {
    assert.equal(draft.body[key], state.editor_preview[key], `stored draft and editor agree on ${key}`);
  }

  step('a server error is shown at its field (a bad quantity the server refuses on save)');
  await replaceText(page, 'editor.line.1.quantity', '2.0000001');
  await waitFor(page, (s) => s.editor_preview && s.editor_preview.ok === false, 'the core refuses it too');
  await click(page, 'editor.save');
  state = await waitFor(page, (s) => s.editor_server_errors.some((e) => e.field === 'lines[1].quantity'),
    'the server\'s error at lines[1].quantity');
  assert.ok(state.editor_shown_errors.some((e) => e.endsWith('@lines[1].quantity')));
  await replaceText(page, 'editor.line.1.quantity', '2');
  await click(page, 'editor.save');
  state = await waitFor(page, (s) => s.editor_server_errors.length === 0, 'a clean save');

  step('issue it: a number and a due date, and the invoice is frozen');
  await click(page, 'editor.issue');
  state = await waitFor(page, (s) => s.editor_issued_number && s.detail_loaded, 'the issued invoice');
  const issuedInvoice = await api(server.base, 'GET', `/api/v1/invoices/${state.editor_draft_id}`, null, login.body.token);
  assert.equal(issuedInvoice.body.status, 'sent');
  assert.equal(issuedInvoice.body.number, state.editor_issued_number);
  assert.equal(state.detail_number, state.editor_issued_number);
  assert.match(issuedInvoice.body.number, /^INV-\d{4}-\d{5}$/);
  assert.ok(issuedInvoice.body.due_date, 'a due date');
  assert.equal(state.detail_totals_match, true);
  const edit = await api(server.base, 'PATCH', `/api/v1/invoices/${state.editor_draft_id}`, { notes: 'late edit' }, login.body.token);
  assert.equal(edit.status, 409);
  assert.equal(edit.body.error.code, 'INVOICE_IMMUTABLE');
  await waitFrames(page, 3);
  await page.screenshot({ path: join(shotsDir, 'invoice-issued.png') });

  step('a client portal user sees only their issued invoices, and cannot create one');
  const clientPage = await browser.newPage({ viewport: { width: 1100, height: 700 }, deviceScaleFactor: 2 });
  clientPage.on('pageerror', (e) => consoleErrors.push(String(e)));
  await clientPage.goto(server.base + '/');
  await waitUntil(clientPage, () => (window.cpFrame || 0) > 3, null, 30000);
  await replaceText(clientPage, 'login.email', 'client@demo.test');
  await replaceText(clientPage, 'login.password', STAFF.password);
  await click(clientPage, 'login.submit');
  const portalListed = await waitFor(clientPage, (s) => s.signed_in && s.invoices_loaded, 'the portal list');
  const portalLogin = await api(server.base, 'POST', '/api/v1/auth/login',
    { email: 'client@demo.test', password: STAFF.password });
  const portalApi = await api(server.base, 'GET', '/api/v1/portal/invoices?limit=200', null, portalLogin.body.token);
  assert.equal(portalApi.status, 200);
  assert.ok(portalApi.body.data.every((i) => i.status !== 'draft'), 'no drafts reach the portal');
  assert.equal(portalListed.invoice_count, portalApi.body.data.length);
  const firmNow = await api(server.base, 'GET', '/api/v1/invoices?limit=200', null, login.body.token);
  assert.ok(portalListed.invoice_count < firmNow.body.data.length, 'the firm draft is hidden');
  await waitFrames(clientPage, 3);
  assert.equal((await rects(clientPage))['invoices.new'], undefined, 'no New invoice for clients');
  await clientPage.screenshot({ path: join(shotsDir, 'client-portal-hidpi.png') });

  // The deliberate wrong-password attempt is the one failed load Chromium may log.
  const unexpected = consoleErrors.filter((e) => !/Failed to load resource.*\b(401|422|429)\b/.test(e));
  assert.deepEqual(unexpected, [], 'no errors in the browser console');
  step(`passed; screenshots in ${shotsDir}`);
} catch (e) {
  console.error(server.output());
  throw e;
} finally {
  if (browser) await browser.close();
  await server.stop();
}
