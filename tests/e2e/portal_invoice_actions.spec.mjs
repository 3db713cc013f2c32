// Firm staff act on issued invoices from their page, through the UI alone: record a partial
// bank transfer, refund part of it, issue a credit note (too much first: the core's error at
// the field, the same code the server gives), void an overdue invoice (a blank reason first),
// create a signed link that opens the invoice without an account, then revoke it. Every
// outcome is checked against the API. Screenshots: invoice-actions-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, portalState, rects, waitFor, waitFrames, click, replaceText, api, checks,
  watchConsole, shotsDir, STAFF, getter, shot, tokenOf,
} from './portal_driver.mjs';

const cents = (s) => Math.round(Number(s) * 100);


await withPortal(async ({ browser, base }) => {
  const t = checks();
  const token = await tokenOf(base, STAFF);
  const get = getter(base, token);
  const invoices = (await get('/api/v1/invoices?limit=200')).data;
  const sent = invoices.filter((i) => i.status === 'sent' && i.document_type === 'invoice');
  const overdue = invoices.find((i) => i.status === 'overdue' && cents(i.amount_paid) === 0 && cents(i.amount_credited || '0') === 0);
  assert.ok(sent.length >= 2 && overdue, `the demo has two sent invoices and an unpaid overdue one: ${invoices.map((i) => i.status)}`);
  const [toPay, toCredit] = sent;

  const context = await browser.newContext({ viewport: { width: 1280, height: 1100 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleLog = watchConsole(page);
  await openPortal(page, base);
  await signIn(page, STAFF);

  const openInvoice = async (inv) => {
    await page.evaluate((id) => { location.hash = `#/invoices/${id}`; }, inv.id);
    return waitFor(page, (x) => x.detail_loaded && x.route === `#/invoices/${inv.id}` && x.manage.detail_status !== '',
      `invoice ${inv.number}`);
  };

  await t.step('a payment typed wrong shows the server\'s own code at the amount; a right one is recorded', async () => {
    await openInvoice(toPay);
    await click(page, 'manage.record_payment');
    await replaceText(page, 'manage.payment.amount', '12.345');
    const server = await api(base, 'POST', `/api/v1/invoices/${toPay.id}/payments`, { amount: '12.345', method: 'bank_transfer' }, token);
    assert.equal(server.status, 422);
    const code = (server.body.errors || [server.body.error])[0].code;
    let s = await waitFor(page, (x) => x.manage.shown_errors.length > 0, 'the amount error');
    assert.deepEqual(s.manage.shown_errors, [`${code}@amount`], 'the core refuses as the server does');
    await replaceText(page, 'manage.payment.amount', '40.00');
    await replaceText(page, 'manage.payment.reference', 'WIRE-4410');
    await shot(page, 'invoice-actions-record-payment.png');
    await click(page, 'manage.payment.submit');
    s = await waitFor(page, (x) => /Payment of 40\.00 USD recorded/.test(x.manage.notice) && x.manage.payments === 1 && x.detail_loaded &&
      x.manage.detail_status === 'partial', 'the recorded payment');
    const after = await get(`/api/v1/invoices/${toPay.id}`);
    assert.equal(after.status, 'partial');
    assert.equal(cents(after.amount_paid), 4000);
    assert.equal(s.detail_balance_due, after.balance_due, 'the page shows the server\'s new balance');
    const payments = (await get(`/api/v1/payments?invoice_id=${toPay.id}`)).data;
    assert.equal(payments.length, 1, 'one payment, not two');
    assert.equal(payments[0].reference, 'WIRE-4410');
    assert.equal(payments[0].method, 'bank_transfer');
  });

  await t.step('part of the payment is refunded from its row', async () => {
    await click(page, 'manage.refund.0');
    await replaceText(page, 'manage.refund.amount', '15.00');
    await click(page, 'manage.refund.submit');
    let s = await waitFor(page, (x) => x.manage.shown_errors.length > 0, 'the missing reason');
    assert.deepEqual(s.manage.shown_errors, ['VALIDATION_REQUIRED@reason']);
    await replaceText(page, 'manage.refund.reason', 'Fee charged twice');
    await click(page, 'manage.refund.submit');
    s = await waitFor(page, (x) => /Refund of 15\.00 USD recorded/.test(x.manage.notice) && x.detail_loaded, 'the refund');
    const payment = (await get(`/api/v1/payments?invoice_id=${toPay.id}`)).data[0];
    assert.equal(cents(payment.amount_refunded), 1500);
    const after = await get(`/api/v1/invoices/${toPay.id}`);
    assert.equal(cents(after.amount_paid), 2500);
    assert.equal(s.detail_balance_due, after.balance_due);
  });

  await t.step('a credit note beyond the invoice is refused at the amount; a fitting one is issued', async () => {
    await openInvoice(toCredit);
    await click(page, 'manage.credit');
    const tooMuch = (cents(toCredit.total) / 100 + 1).toFixed(2);
    await replaceText(page, 'manage.credit.amount', tooMuch);
    await replaceText(page, 'manage.credit.reason', 'Overbilled hours');
    const server = await api(base, 'POST', `/api/v1/invoices/${toCredit.id}/credit-notes`, { reason: 'x',
      lines: [{ kind: 'adjustment', description: 'x', quantity: '1', unit_price: tooMuch, tax_rate: '0' }] }, token);
    assert.equal(server.status, 422, JSON.stringify(server.body));
    const code = (server.body.errors || [server.body.error])[0].code;
    let s = await waitFor(page, (x) => x.manage.shown_errors.length > 0, 'the credit error');
    assert.deepEqual(s.manage.shown_errors, [`${code}@amount`]);
    await replaceText(page, 'manage.credit.amount', '25.00');
    s = await waitFor(page, (x) => x.manage.shown_errors.length === 0, 'no error');
    await shot(page, 'invoice-actions-credit-note.png');
    await click(page, 'manage.credit.submit');
    s = await waitFor(page, (x) => /Credit note CN-\d{4}-\d+ issued for 25\.00 USD/.test(x.manage.notice) && x.detail_loaded, 'the credit note');
    const after = await get(`/api/v1/invoices/${toCredit.id}`);
    assert.equal(cents(after.amount_credited), 2500);
    assert.equal(s.detail_balance_due, after.balance_due);
    assert.equal(cents(after.balance_due), cents(toCredit.balance_due) - 2500);
    assert.ok((await rects(page))['detail.amount_credited'], 'the totals show what was credited');
  });

  await t.step('an overdue invoice is voided with a reason; a blank one is refused first', async () => {
    await openInvoice(overdue);
    await click(page, 'manage.void');
    await click(page, 'manage.void.submit');
    let s = await waitFor(page, (x) => x.manage.shown_errors.length > 0, 'the missing reason');
    assert.deepEqual(s.manage.shown_errors, ['VALIDATION_REQUIRED@reason']);
    assert.equal((await get(`/api/v1/invoices/${overdue.id}`)).status, 'overdue', 'nothing was sent');
    await replaceText(page, 'manage.void.reason', 'Issued to the wrong client');
    await click(page, 'manage.void.submit');
    s = await waitFor(page, (x) => x.manage.detail_status === 'void' && /voided/.test(x.manage.notice), 'the void');
    const after = await get(`/api/v1/invoices/${overdue.id}`);
    assert.equal(after.status, 'void');
    assert.equal(after.void_reason, 'Issued to the wrong client');
    const rs = (await page.evaluate(() => Object.keys(JSON.parse(Module.ccall('cp_widget_rects', 'string', [], [])))));
    assert.ok(!rs.includes('manage.record_payment') && !rs.includes('manage.void'), 'a void invoice offers no actions');
  });

  await t.step('a signed link opens the invoice without an account until it is revoked', async () => {
    await openInvoice(toCredit);
    await click(page, 'manage.link.create');
    let s = await waitFor(page, (x) => x.manage.new_link_url.startsWith('/i/') && x.manage.links.length === 1, 'the new link');
    const url = s.manage.new_link_url;
    await shot(page, 'invoice-actions-links.png');
    const visitor = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const guest = await visitor.newPage();
    await openPortal(guest, base, url);
    let g = await waitFor(guest, (x) => x.link && !x.link.loading && x.link.status !== '', 'the signed invoice');
    assert.equal(g.link.balance_due, (await get(`/api/v1/invoices/${toCredit.id}`)).balance_due);
    await click(page, 'manage.link.revoke.0');
    s = await waitFor(page, (x) => x.manage.links.length === 1 && x.manage.links[0].revoked_at, 'the revoked link');
    const links = (await get(`/api/v1/invoices/${toCredit.id}/links`)).data;
    assert.ok(links[0].revoked_at, 'the server says revoked');
    assert.equal((await api(base, 'GET', `/api/v1/public/invoices/${url.slice(3)}`)).status, 404, 'the token no longer opens it');
    await openPortal(guest, base, url);  // loaded afresh: waits for the portal's frames before asking it
    g = await waitFor(guest, (x) => x.link && !x.link.loading && x.link.problem !== 0, 'the revoked link\'s page');
    await visitor.close();
  });

  await t.step('an engagement\'s approved hours become a draft from its row, issued from the draft\'s page', async () => {
    // An hourly engagement of a new client (the demo's are package ones).
    const today = (await get('/api/v1/reports/ar-aging')).as_of;
    const client = await api(base, 'POST', '/api/v1/clients', { company_name: 'Initech Partners', billing_email: 'ap@initech.test',
      status: 'active', portal_enabled: false, autopay_enabled: false }, token);
    assert.equal(client.status, 201, JSON.stringify(client.body));
    const made = await api(base, 'POST', '/api/v1/engagements', { client_id: client.body.id, name: 'Advisory by the hour',
      pricing_mode: 'hourly', hourly_rate: '180.00', schedule: 'monthly', start_date: today }, token);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const engagements = (await get('/api/v1/engagements?limit=200')).data;
    const index = engagements.findIndex((e) => e.id === made.body.id);
    const engagement = engagements[index];
    const member = await api(base, 'POST', '/api/v1/auth/login', { email: 'staff@demo.test', password: STAFF.password });
    assert.equal(member.status, 200);
    const logged = await api(base, 'POST', '/api/v1/time-entries', { engagement_id: engagement.id, date: today,
      hours: '2.25', description: 'Board pack review' }, member.body.token);
    assert.equal(logged.status, 201, JSON.stringify(logged.body));
    assert.equal((await api(base, 'POST', `/api/v1/time-entries/${logged.body.id}/approve`, {}, token)).status, 200);

    await page.evaluate(() => { location.hash = '#/engagements'; });
    await waitFor(page, (x) => x.route === '#/engagements' && x.staff.lists.engagements && x.staff.lists.engagements.loaded,
      'the engagements');
    await click(page, `engagements.table.row.${index}`);
    await waitFor(page, (x) => x.hourly.engagement_id === engagement.id, 'the bill-hours form');
    await replaceText(page, 'hourly.period_start', today);
    await replaceText(page, 'hourly.period_end', '2000-01-01');
    let s = await waitFor(page, (x) => x.hourly.shown_errors.length > 0, 'the period error');
    assert.deepEqual(s.hourly.shown_errors, ['END_BEFORE_START@period_end'], 'the core\'s rule, at the end date');
    await replaceText(page, 'hourly.period_end', today);
    await shot(page, 'invoice-actions-bill-hours.png');
    await click(page, 'hourly.submit');
    s = await waitFor(page, (x) => x.route.startsWith('#/invoices/inv_') && x.detail_loaded && x.manage.detail_status === 'draft',
      'the new draft');
    const draftId = s.route.slice('#/invoices/'.length);
    const draft = await get(`/api/v1/invoices/${draftId}`);
    const line = draft.lines.find((l) => l.time_entry_id === logged.body.id);
    assert.ok(line, 'the approved entry is a line of the draft');
    assert.equal(line.quantity, '2.25');
    await click(page, 'manage.issue');
    s = await waitFor(page, (x) => /^Issued as /.test(x.manage.notice) && x.detail_loaded && x.manage.detail_status === 'sent',
      'the issued invoice');
    const issued = await get(`/api/v1/invoices/${draftId}`);
    assert.equal(issued.status, 'sent');
    assert.match(s.manage.notice, new RegExp(`Issued as ${issued.number}, due ${issued.due_date}`));
    assert.equal((await get(`/api/v1/time-entries/${logged.body.id}`)).status, 'invoiced');
  });

  await t.step('no errors in the console', async () => {
    assert.deepEqual(consoleLog.unexpected([401, 404, 410, 422]), []);
  });
  t.done();
});
