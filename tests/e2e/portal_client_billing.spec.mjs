// The client portal's billing page through the UI alone: the demo client signs in, sees what
// they owe (the server's summary, word for word), opens an invoice, is stopped by the core
// before paying more than is due, pays part with pm_card_visa, sees the balance, the summary
// and the payment history follow, and downloads the PDF. Screenshots: client-billing-*.png.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, waitFor, click, replaceText, api, checks, watchConsole, shotsDir, CLIENT,
  mirror,
} from './portal_driver.mjs';

async function mirrorText(page) {
  return (await mirror(page)).map((i) => `${i.name} ${i.value || ''}`).join(' | ');
}
const cents = (s) => Math.round(Number(s) * 100);

await withPortal(async ({ browser, base }) => {
  const t = checks();
  const login = await api(base, 'POST', '/api/v1/auth/login', CLIENT);
  assert.equal(login.status, 200, JSON.stringify(login.body));
  const token = login.body.token;
  const list = await api(base, 'GET', '/api/v1/portal/invoices?limit=100', null, token);
  const summaryBefore = list.body.summary.by_currency.USD;
  assert.ok(summaryBefore, JSON.stringify(list.body.summary));
  const index = list.body.data.findIndex((i) => i.number === 'INV-0003');
  const invoice = list.body.data[index];
  assert.ok(invoice && cents(invoice.balance_due) > 5000, JSON.stringify(invoice));

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  const consoleLog = watchConsole(page);
  await openPortal(page, base);
  await signIn(page, CLIENT);

  await t.step('the list shows what the client owes, as the server summed it', async () => {
    const s = await waitFor(page, (x) => x.summary && x.summary.by_currency && x.history_count >= 0, 'the summary');
    assert.deepEqual(s.summary, list.body.summary, 'the server\'s summary, unchanged');
    const text = await mirrorText(page);
    assert.match(text, /Invoices from Demo Consulting LLC/);
    assert.match(text, new RegExp(`Outstanding ${summaryBefore.outstanding.replace('.', '\\.')} USD on ${summaryBefore.open_invoices} invoice`));
    assert.match(text, new RegExp(`overdue ${summaryBefore.overdue.replace('.', '\\.')} USD`));
    assert.match(text, /Payment history/);
    await page.screenshot({ path: join(shotsDir, 'client-billing-list.png') });
  });

  await t.step('the core refuses more than the balance on the invoice page', async () => {
    await click(page, `invoices.row.${index}`);
    await waitFor(page, (x) => x.detail_loaded && x.detail_number === 'INV-0003', 'INV-0003');
    await replaceText(page, 'detail.pay.amount', String(Number(invoice.balance_due) + 1));
    await click(page, 'detail.pay.submit');
    const s = await waitFor(page, (x) => x.detail_pay.errors.length > 0, 'the refusal');
    assert.deepEqual(s.detail_pay.errors, ['EXCEEDS_BALANCE_DUE@amount']);
    assert.equal(s.detail_balance_due, invoice.balance_due);
  });

  await t.step('paying part lowers the balance, the summary and adds to the history', async () => {
    await replaceText(page, 'detail.pay.amount', '50.00');
    await click(page, 'detail.pay.submit');
    const s = await waitFor(page, (x) => /Payment of 50\.00 USD received/.test(x.detail_pay.outcome) &&
      x.detail_loaded && x.detail_balance_due !== '' && x.detail_balance_due !== invoice.balance_due, 'the paid balance');
    assert.equal(cents(s.detail_balance_due), cents(invoice.balance_due) - 5000);
    assert.equal(s.detail_totals_match, true, 'the core still agrees with the stored totals');
    await page.screenshot({ path: join(shotsDir, 'client-billing-paid.png') });
    const after = await api(base, 'GET', '/api/v1/portal/invoices?limit=100', null, token);
    assert.equal(cents(after.body.summary.by_currency.USD.outstanding), cents(summaryBefore.outstanding) - 5000);
    const history = await api(base, 'GET', '/api/v1/portal/payments', null, token);
    const listed = await waitFor(page, (x) => x.history_count === history.body.data.length &&
      JSON.stringify(x.summary) === JSON.stringify(after.body.summary), 'the list and history to follow');
    assert.ok(listed.history_count >= 1);
  });

  await t.step('Download PDF saves the invoice', async () => {
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), click(page, 'detail.download')]);
    assert.equal(download.suggestedFilename(), 'INV-0003.pdf');
    const saved = join(shotsDir, 'client-INV-0003.pdf');
    await download.saveAs(saved);
    assert.equal(readFileSync(saved).subarray(0, 5).toString(), '%PDF-');
    await waitFor(page, (x) => /Saved INV-0003\.pdf/.test(x.detail_pay.download_note), 'the saved note');
  });

  await t.step('back on the list, the history shows the payment', async () => {
    await click(page, 'detail.back');
    await waitFor(page, (x) => x.screen === 1, 'the list');
    const text = await mirrorText(page);
    assert.match(text, /INV-0003, Succeeded, 50\.00 USD/, 'the history names the invoice paid');
    assert.match(text, /INV-0003, Northwind Traders/, 'the list names the client, not its id');
    await page.screenshot({ path: join(shotsDir, 'client-billing-history.png') });
  });

  await t.step('no unexpected console errors', async () => {
    assert.deepEqual(consoleLog.unexpected([401, 404, 422]), []);
  });
  await context.close();
  t.done();
});
