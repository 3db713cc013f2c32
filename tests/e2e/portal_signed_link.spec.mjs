// The signed invoice link, through the portal alone: a staff member creates a link by API,
// a visitor with no account (a fresh browser context) opens it, reads the invoice, is
// stopped by the core before paying more than is due, pays part with the sandbox's Visa,
// sees the balance drop, is told plainly when a card is declined, downloads the PDF; a
// revoked or unknown link shows "not valid", an expired one "expired", a throttled one
// "too many attempts". Screenshots: link-*.png in $CP_BUILD_DIR/e2e/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  withPortal, openPortal, portalState, waitFor, waitFrames, click, replaceText, api, checks, watchConsole,
  shotsDir, STAFF, mirror,
} from './portal_driver.mjs';

const BILLING = { email: 'billing@demo.test', password: STAFF.password };

async function mirrorText(page) {
  return (await mirror(page)).map((i) => `${i.name} ${i.value || ''}`).join(' | ');
}
const linkLoaded = (s) => s.link && !s.link.loading && s.link.balance_due !== '';
const cents = (s) => Math.round(Number(s) * 100);

await withPortal(async ({ browser, base }) => {
  const t = checks();
  const login = await api(base, 'POST', '/api/v1/auth/login', BILLING);
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const token = login.body.token;
  const list = await api(base, 'GET', '/api/v1/invoices?limit=100', null, token);
  const invoice = list.body.data.find((i) => i.number === 'INV-0002');
  assert.ok(invoice && cents(invoice.balance_due) > 10000, `INV-0002 owes something: ${JSON.stringify(invoice)}`);
  const made = await api(base, 'POST', `/api/v1/invoices/${invoice.id}/links`, { expires_in_days: 7 }, token);
  assert.equal(made.status, 201, JSON.stringify(made.body));
  assert.match(made.body.url, /^\/i\/[A-Za-z0-9_-]{20,}$/);
  const url = made.body.url;
  const publicPath = `/api/v1/public/invoices/${url.slice(3)}`;

  // A private window: no cookies, no session storage, no account.
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  const consoleLog = watchConsole(page);
  await openPortal(page, base, url);
  let before;

  await t.step('the link opens the invoice read-only, with the server\'s figures and no sign-in', async () => {
    const s = await waitFor(page, linkLoaded, 'the linked invoice');
    assert.equal(s.signed_in, false, 'nobody is signed in');
    assert.equal(s.link.problem, 0);
    assert.equal(s.link.balance_due, invoice.balance_due, 'the balance is the server\'s string');
    assert.equal(s.link.payable, true);
    assert.equal(new URL(page.url()).pathname, url, 'the address stays the link (no hash route)');
    const text = await mirrorText(page);
    assert.match(text, /Invoice INV-0002 from Demo Consulting LLC/);
    assert.match(text, new RegExp(`${invoice.total.replace('.', '\\.')} USD`), 'the total is shown');
    assert.doesNotMatch(text, /Sign in|Email/, 'no login form');
    assert.match(text, /Monthly package fee, September 2026/, 'the lines are shown');
    before = s.link.balance_due;
    await page.screenshot({ path: join(shotsDir, 'link-opened.png') });
  });

  await t.step('more than the balance is refused by the core before anything is sent', async () => {
    const paymentsBefore = (await api(base, 'GET', `${publicPath}/payments`)).body.data.length;
    await replaceText(page, 'link.pay.amount', '999999.00');
    await click(page, 'link.pay.submit');
    const s = await waitFor(page, (x) => x.link.errors.length > 0, 'the core\'s refusal');
    assert.deepEqual(s.link.errors, ['EXCEEDS_BALANCE_DUE@amount']);
    assert.match(await mirrorText(page), /Amount is more than the balance due on this invoice\./);
    const paymentsAfter = (await api(base, 'GET', `${publicPath}/payments`)).body.data.length;
    assert.equal(paymentsAfter, paymentsBefore, 'no request reached the server');
    await replaceText(page, 'link.pay.amount', '12.345');
    await click(page, 'link.pay.submit');
    const d = await waitFor(page, (x) => x.link.errors.length > 0, 'the decimals refusal');
    assert.deepEqual(d.link.errors, ['TOO_MANY_DECIMALS@amount']);
  });

  await t.step('paying part with pm_card_visa lowers the balance shown by exactly that amount', async () => {
    await replaceText(page, 'link.pay.amount', '100.00');
    await click(page, 'link.pay.submit');
    const s = await waitFor(page, (x) => x.link.outcome !== '' && !x.link.paying, 'the payment outcome');
    assert.match(s.link.outcome, /Payment of 100\.00 USD received/);
    assert.equal(cents(s.link.balance_due), cents(before) - 10000, `${before} - 100.00 = ${s.link.balance_due}`);
    const server = await api(base, 'GET', publicPath);
    assert.equal(s.link.balance_due, server.body.invoice.balance_due, 'the portal shows the server\'s balance');
    assert.equal(cents(server.body.invoice.amount_paid), cents(invoice.amount_paid) + 10000, 'the server took 100.00');
    const withPayment = await waitFor(page, (x) => x.link.payments === 1, 'the payment in the list');
    // INV-0002 is past due in the demo data: a part payment leaves it overdue, not partial.
    assert.equal(withPayment.link.status, server.body.invoice.status);
    assert.equal(withPayment.link.amount_paid, server.body.invoice.amount_paid);
    const afterText = await mirrorText(page);
    assert.match(afterText, /Succeeded, 100\.00 USD/);
    assert.match(afterText, /Close process workshop \(hours\)/, 'the lines stay after paying');
    await page.screenshot({ path: join(shotsDir, 'link-paid-part.png') });
  });

  await t.step('a declined card says so and leaves the balance alone', async () => {
    const s0 = await portalState(page);
    await click(page, 'link.pay.card.1');
    await replaceText(page, 'link.pay.amount', '10.00');
    await click(page, 'link.pay.submit');
    const s = await waitFor(page, (x) => /did not go through/.test(x.link.outcome) && !x.link.paying, 'the decline');
    assert.equal(s.link.balance_due, s0.link.balance_due);
    await waitFor(page, (x) => x.link.payments === 2, 'the failed attempt in the list');
    assert.match(await mirrorText(page), /Failed, 10\.00 USD/);
    await page.screenshot({ path: join(shotsDir, 'link-declined.png') });
  });

  await t.step('Download PDF saves the invoice as a real PDF file', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), click(page, 'link.download')]);
    assert.equal(download.suggestedFilename(), 'INV-0002.pdf');
    const saved = join(shotsDir, 'link-INV-0002.pdf');
    await download.saveAs(saved);
    const bytes = readFileSync(saved);
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    assert.ok(bytes.length > 1000 && bytes.length < 250 * 1024, `size ${bytes.length}`);
    const s = await waitFor(page, (x) => /Saved INV-0002\.pdf/.test(x.link.download_note), 'the saved note');
    assert.ok(s.link.download_note);
  });

  await t.step('a revoked link shows "not valid", not the invoice', async () => {
    const links = await api(base, 'GET', `/api/v1/invoices/${invoice.id}/links`, null, token);
    const revoked = await api(base, 'POST', `/api/v1/invoice-links/${links.body.data[0].id}/revoke`, {}, token);
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const other = await context.newPage();
    await openPortal(other, base, url);
    const s = await waitFor(other, (x) => x.link && x.link.problem === 2, 'the not-valid screen');
    assert.equal(s.link.balance_due, '');
    const text = await mirrorText(other);
    assert.match(text, /This link is not valid/);
    assert.doesNotMatch(text, /INV-0002|Demo Consulting/, 'nothing of the invoice leaks');
    await other.screenshot({ path: join(shotsDir, 'link-revoked.png') });
    await other.close();
  });

  await t.step('an unknown token shows "not valid" too', async () => {
    const other = await context.newPage();
    await openPortal(other, base, '/i/notarealtoken0000000000000000000000000000');
    await waitFor(other, (x) => x.link && x.link.problem === 2, 'the not-valid screen');
    await other.close();
  });

  await t.step('an expired link (410) and throttling (429) each get their own words', async () => {
    for (const [status, code, problem, words, shot] of [
      [410, 'LINK_EXPIRED', 1, /This link has expired[\s\S]*Ask the sender for a new one/, 'link-expired.png'],
      [429, 'TOO_MANY_ATTEMPTS', 3, /Too many attempts[\s\S]*Wait a minute/, 'link-throttled.png']]) {
      const other = await context.newPage();
      // The server cannot mint an already-expired link; its answer is stood in for here.
      await other.route('**/api/v1/public/invoices/**', (route) => route.fulfill({
        status, contentType: 'application/json',
        body: JSON.stringify({ error: { code, field: '', message: 'stand-in' } }),
      }));
      await openPortal(other, base, '/i/sometokenthatwillbeanswered0000000000000');
      await waitFor(other, (x) => x.link && x.link.problem === problem, `the ${status} screen`);
      assert.match(await mirrorText(other), words);
      await other.screenshot({ path: join(shotsDir, shot) });
      await other.close();
    }
  });

  await t.step('no unexpected console errors', async () => {
    await waitFrames(page, 2);
    assert.deepEqual(consoleLog.unexpected([404, 410, 422, 429]), []);
  });
  await context.close();
  t.done();
});
