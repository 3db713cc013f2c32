// The issue's hero flows through the UI alone (the API is only read, to check outcomes):
// (a) the owner creates a client, its portal user and a package engagement, previews and
//     runs the package billing, and the client signs in and pays part, then the rest;
// (b) the owner creates an autopay client (the sandbox's declining card) and an hourly
//     engagement, a staff member logs time, billing approves it, bills the hours and issues
//     the invoice; the server's autopay runner (every 2 s here) is declined and the
//     Payments side shows the retries with their dates in the client's zone.
// (c) settings changed and rolled back, and (d) the break-glass banner revoked by the owner,
//     are whole flows in portal_staff.spec.mjs and portal_break_glass.spec.mjs, which compare
//     their key screens with references too. Screenshots: build/e2e/hero-*.png; references
//     in tests/e2e/reference/hero-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, waitFor, waitFrames, click, replaceText, rects, api, checks, watchConsole,
  shotsDir, STAFF, getter, mirror, shot, signInAs, tokenOf,
} from './portal_driver.mjs';
import { compareWithReference } from './screenshot_compare.mjs';

const MEMBER = { email: 'staff@demo.test', password: STAFF.password };
const BILLING = { email: 'billing@demo.test', password: STAFF.password };
const PORTAL_USER = { email: 'ada@acme-hero.test', password: 'hero-password-123' };
const cents = (s) => Math.round(Number(s) * 100);

// ImGui combos show about eight entries and scroll the rest: the wheel brings the entry
// into the popup's visible part before it is clicked.
async function choose(page, combo, item) {
  await click(page, combo);
  const box = (await rects(page))[combo];
  for (let tries = 0; tries < 20; tries++) {
    const r = (await rects(page))[item];
    if (!r) throw new Error(`${item} is not in the open ${combo}`);
    const top = box.y + box.h;
    if (r.y >= top && r.y + r.h <= top + r.h * 7.5) break;
    await page.mouse.move(r.x + 10, top + r.h * 2);
    await page.mouse.wheel(0, r.y - (top + r.h * 3));
    await waitFrames(page, 3);
  }
  await click(page, item);
}
// "YYYY-MM-DD HH:MM" of a UTC instant on the calendar of `zone` (Intl, independent of the core).
function localIn(zone, iso) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

await withPortal(async ({ browser, base }) => {
  const t = checks();
  const owner = await tokenOf(base, STAFF);
  const get = getter(base, owner);
  const today = (await get('/api/v1/reports/ar-aging')).as_of;  // the firm's local date

  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleLog = watchConsole(page);
  await openPortal(page, base);
  await signIn(page, STAFF);

  // The owner's forms, used by both flows.
  async function createClient({ name, email, zone, card, portal }) {
    await click(page, 'nav.clients');
    await click(page, 'clients.new');
    await waitFor(page, (x) => x.route === '#/clients/new', 'the new client form');
    await replaceText(page, 'client.company_name', name);
    await replaceText(page, 'client.billing_email', email);
    if (zone) await replaceText(page, 'client.time_zone', zone);
    if (portal) await click(page, 'client.portal_enabled');
    if (card) {
      await click(page, 'client.autopay_enabled');
      await replaceText(page, 'client.payment_method_ref', card);
    }
    await click(page, 'client.save');
    await waitFor(page, (x) => x.route === '#/clients' && x.staff.notice.includes(`Created ${name}`), `the client ${name}`);
    const made = (await get('/api/v1/clients?limit=200')).data.find((c) => c.company_name === name);
    assert.ok(made, `${name} is stored`);
    assert.equal(made.autopay_enabled, Boolean(card));
    assert.equal(made.portal_enabled, Boolean(portal));
    if (card) assert.equal(made.payment_method_ref, card);
    if (zone) assert.equal(made.time_zone, zone);
    return made;
  }
  async function createEngagement(client, { name, mode, fee, rate, terms }) {
    await click(page, 'nav.engagements');
    await click(page, 'engagements.new');
    await waitFor(page, (x) => x.route === '#/engagements/new' && x.staff.lists.clients?.loaded && !x.staff.lists.clients.loading,
      'the engagement form');
    const clients = (await get('/api/v1/clients?limit=200')).data;
    await choose(page, 'engagement.client', `engagement.client.${clients.findIndex((c) => c.id === client.id)}`);
    await replaceText(page, 'engagement.name', name);
    if (mode !== 'package') await choose(page, 'engagement.pricing_mode', `engagement.pricing_mode.${mode}`);
    if (fee) await replaceText(page, 'engagement.package_fee', fee);
    if (rate) await replaceText(page, 'engagement.hourly_rate', rate);
    await replaceText(page, 'engagement.start_date', today);
    await replaceText(page, 'engagement.payment_terms', terms);
    await click(page, 'engagement.save');
    await waitFor(page, (x) => x.route === '#/engagements' && x.staff.notice === `Created engagement ${name}.`, `the engagement ${name}`);
    const made = (await get('/api/v1/engagements?limit=200')).data.find((e) => e.name === name);
    assert.ok(made && made.client_id === client.id && made.pricing_mode === mode, JSON.stringify(made));
    return made;
  }

  // --- (a) package engagement → package run → the client pays part, then the rest ---
  let acme, retainer, invoice;
  await t.step('(a) the owner creates a client and its portal user', async () => {
    acme = await createClient({ name: 'Acme Hero Ltd', email: 'ap@acme-hero.test', portal: true });
    const clients = (await get('/api/v1/clients?limit=200')).data;
    await waitFor(page, (x) => x.staff.lists.clients.count === clients.length && !x.staff.lists.clients.loading, 'the client list');
    await click(page, `clients.table.row.${clients.findIndex((c) => c.id === acme.id)}`);
    await waitFor(page, (x) => x.route === `#/clients/${acme.id}` && x.portal_users.client_id === acme.id && !x.portal_users.loading,
      'the client page with its portal users');
    assert.equal((await mirror(page)).find((i) => i.id === 'portal_users.portal_off'), undefined, 'its portal is on: no warning');
    await replaceText(page, 'portal_user.name', 'Ada Hero');
    await replaceText(page, 'portal_user.email', 'not-an-email');
    await replaceText(page, 'portal_user.password', PORTAL_USER.password);
    let s = await waitFor(page, (x) => x.portal_users.shown_errors.some((e) => e.endsWith('@email')), 'the core\'s email error');
    assert.equal(s.portal_users.count, 0);
    await replaceText(page, 'portal_user.email', PORTAL_USER.email);
    await click(page, 'portal_user.create');
    s = await waitFor(page, (x) => x.portal_users.notice !== '' || (x.portal_users.shown_errors.length > 0 && !x.portal_users.saving),
      'the portal user');
    assert.equal(s.portal_users.notice, `Added ${PORTAL_USER.email}: they can sign in now.`, JSON.stringify(s.portal_users));
    assert.equal(s.portal_users.count, 1);
    const users = (await get(`/api/v1/clients/${acme.id}/portal-users`)).data;
    assert.deepEqual(users.map((u) => [u.email, u.name]), [[PORTAL_USER.email, 'Ada Hero']]);
    await shot(page, 'hero-a-portal-user.png');
  });

  await t.step('(a) the owner creates a monthly package engagement', async () => {
    retainer = await createEngagement(acme, { name: 'Hero retainer', mode: 'package', fee: '1200.00', terms: '14' });
    assert.equal(retainer.package_fee, '1200.00');
    assert.equal(retainer.schedule, 'monthly');
  });

  await t.step('(a) package billing: a wrong date at its field, the dry run lists the invoice, the run creates it', async () => {
    await click(page, 'nav.invoices');
    await waitFor(page, (x) => x.route === '#/invoices' && x.invoices_loaded, 'the invoices');
    const before = (await get('/api/v1/invoices?limit=200')).data.length;
    await click(page, 'invoices.package_run');
    await replaceText(page, 'package_run.date', '2026-02-30');
    let s = await waitFor(page, (x) => x.package_run.shown_errors.length > 0, 'the date error');
    assert.deepEqual(s.package_run.shown_errors, ['INVALID_DATE@date']);
    const server = await api(base, 'POST', '/api/v1/billing/package-run', { date: '2026-02-30', dry_run: true }, owner);
    assert.equal(server.status, 422);
    assert.deepEqual(server.body.errors.map((e) => `${e.code}@${e.field}`), ['INVALID_DATE@date'], 'the server says the same');
    await replaceText(page, 'package_run.date', today);
    await click(page, 'package_run.preview');
    s = await waitFor(page, (x) => x.package_run.preview && x.package_run.previewed_date === today, 'the dry run');
    const mine = s.package_run.preview.invoices.filter((i) => i.engagement_id === retainer.id);
    assert.equal(mine.length, 1, JSON.stringify(s.package_run.preview));
    assert.equal(mine[0].total, '1200.00');
    assert.equal((await get('/api/v1/invoices?limit=200')).data.length, before, 'a dry run writes nothing');
    const listed = (await mirror(page)).filter((i) => i.parent && i.parent.startsWith('package_run.preview.row.')).map((i) => i.name);
    assert.ok(listed.includes('Acme Hero Ltd'), `the preview names the client: ${listed}`);
    await shot(page, 'hero-a-package-preview.png');
    await click(page, 'package_run.run');
    s = await waitFor(page, (x) => x.package_run.result && !x.package_run.in_flight, 'the run');
    assert.equal(s.package_run.preview, null, 'a run spends its preview');
    assert.equal(s.package_run.result.created, s.package_run.result.invoices.length);
    const status = (await mirror(page)).find((i) => i.id === 'package_run.result');
    assert.match(status.name, new RegExp(`^Package run for ${today}: created ${s.package_run.result.created} invoices?, 0 already invoiced`));
    const after = (await get('/api/v1/invoices?limit=200')).data;
    assert.equal(after.length, before + s.package_run.result.created);
    invoice = after.find((i) => i.engagement_id === retainer.id);
    assert.ok(invoice, 'the engagement\'s invoice exists');
    assert.equal(invoice.status, 'sent');
    assert.equal(invoice.total, '1200.00');
    assert.equal(invoice.issue_date, today);
    await waitFor(page, (x) => x.invoice_count === after.length, 'the table shows the new invoices');
    await shot(page, 'hero-a-package-run.png');
    // Run again: nothing new, the period is invoiced.
    await click(page, 'package_run.preview');
    s = await waitFor(page, (x) => x.package_run.preview && x.package_run.previewed_date === today, 'the second dry run');
    assert.equal(s.package_run.preview.invoices.filter((i) => i.engagement_id === retainer.id).length, 0);
  });

  await t.step('(a) the client signs in, pays part, then the rest: paid', async () => {
    const cctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const cp = await cctx.newPage();
    const cconsole = watchConsole(cp);
    await openPortal(cp, base);
    await signIn(cp, PORTAL_USER);
    let s = await waitFor(cp, (x) => x.invoices_loaded && x.invoice_count === 1 && x.is_portal_user, 'the client\'s one invoice');
    await click(cp, 'invoices.row.0');
    await waitFor(cp, (x) => x.detail_loaded && x.detail_number === invoice.number, invoice.number);
    await replaceText(cp, 'detail.pay.amount', '500.00');
    await click(cp, 'detail.pay.submit');
    s = await waitFor(cp, (x) => /Payment of 500\.00 USD received/.test(x.detail_pay.outcome) && x.detail_balance_due === '700.00',
      'the part payment');
    assert.equal(s.detail_totals_match, true);
    assert.equal((await get(`/api/v1/invoices/${invoice.id}`)).status, 'partial');
    await shot(cp, 'hero-a-client-partial.png');
    await replaceText(cp, 'detail.pay.amount', '700.00');
    await click(cp, 'detail.pay.submit');
    s = await waitFor(cp, (x) => /Payment of 700\.00 USD received/.test(x.detail_pay.outcome) && x.detail_balance_due === '0.00',
      'the rest');
    const paid = await get(`/api/v1/invoices/${invoice.id}`);
    assert.equal(paid.status, 'paid');
    assert.equal(cents(paid.amount_paid), 120000);
    const words = (await mirror(cp)).find((i) => i.id === 'detail.not_payable');
    assert.equal(words.name, 'This invoice is paid in full. Thank you.');
    const png = await shot(cp, 'hero-a-client-paid.png');
    await compareWithReference(browser, png, 'hero-a-client-paid.png');
    assert.deepEqual(cconsole.unexpected([401, 404, 422]), []);
    await cctx.close();
  });

  // --- (b) time → approval → hourly invoice → autopay declined → retries with dates ---
  const ZONE = 'Pacific/Kiritimati';  // UTC+14: the invoice is due on its issue day there, whatever the hour
  let initech, hourly, entryId, hourlyInvoice;
  await t.step('(b) the owner creates an autopay client with a declining card and an hourly engagement', async () => {
    initech = await createClient({ name: 'Initech Hero', email: 'ap@initech-hero.test', zone: ZONE, card: 'pm_card_chargeDeclined' });
    hourly = await createEngagement(initech, { name: 'Hero advisory by the hour', mode: 'hourly', rate: '150.00', terms: '0' });
    assert.equal(hourly.hourly_rate, '150.00');
    assert.equal(hourly.payment_terms_days, 0);
  });
  await context.close();

  await t.step('(b) a staff member logs time on it', async () => {
    const sctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    const sp = await sctx.newPage();
    await openPortal(sp, base);
    await signInAs(sp, MEMBER, '#/clients');
    await click(sp, 'nav.time');
    await waitFor(sp, (x) => x.route === '#/time' && x.staff.lists.engagements?.loaded && x.staff.time.entry.date === today,
      'the Time section');
    const engagements = (await get('/api/v1/engagements?limit=200')).data;
    await choose(sp, 'time.entry.engagement', `time.entry.engagement.${engagements.findIndex((e) => e.id === hourly.id)}`);
    await replaceText(sp, 'time.entry.hours', '3.00');
    await replaceText(sp, 'time.entry.description', 'Hero flow: pricing review');
    await click(sp, 'time.entry.save');
    const s = await waitFor(sp, (x) => x.staff.time.entry.notice !== '' || x.staff.time.entry.shown_errors.length > 0, 'the entry');
    assert.equal(s.staff.time.entry.notice, `Logged 3.00 h on ${today} (unapproved).`, JSON.stringify(s.staff.time.entry));
    const entry = (await get('/api/v1/time-entries?limit=200')).data.find((e) => e.description === 'Hero flow: pricing review');
    assert.ok(entry && entry.engagement_id === hourly.id && entry.status === 'unapproved');
    entryId = entry.id;
    await shot(sp, 'hero-b-time-logged.png');
    await sctx.close();
  });

  const bctx = await browser.newContext({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
  const bp = await bctx.newPage();
  const bconsole = watchConsole(bp);
  await openPortal(bp, base);
  await signInAs(bp, BILLING, '#/invoices');

  await t.step('(b) billing approves the entry, bills the hours and issues the invoice', async () => {
    await click(bp, 'nav.time');
    await waitFor(bp, (x) => x.route === '#/time' && x.staff.lists['approve.time']?.loaded, 'the approval queue');
    await click(bp, 'time.tab.queue');
    await click(bp, `time.queue.time:${entryId}`);
    await waitFor(bp, (x) => x.staff.time.queue.selected.includes(`time:${entryId}`), 'the entry ticked');
    await click(bp, 'time.queue.approve');
    let s = await waitFor(bp, (x) => x.staff.time.queue.pending === 0 && x.staff.time.queue.notice !== '', 'the approval');
    assert.match(s.staff.time.queue.notice, /Approved 1 time entry\./);
    assert.equal((await get(`/api/v1/time-entries/${entryId}`)).status, 'approved');

    await click(bp, 'nav.engagements');
    const engagements = (await get('/api/v1/engagements?limit=200')).data;
    await waitFor(bp, (x) => x.staff.lists.engagements?.count === engagements.length && !x.staff.lists.engagements.loading, 'the engagements');
    await click(bp, `engagements.table.row.${engagements.findIndex((e) => e.id === hourly.id)}`);
    await waitFor(bp, (x) => x.hourly.engagement_id === hourly.id, 'the bill-hours form');
    await replaceText(bp, 'hourly.period_start', today);
    await replaceText(bp, 'hourly.period_end', today);
    await click(bp, 'hourly.submit');
    s = await waitFor(bp, (x) => x.route.startsWith('#/invoices/') && x.detail_loaded && x.manage.detail_status === 'draft', 'the draft');
    const draftId = s.route.slice('#/invoices/'.length);
    const draft = await get(`/api/v1/invoices/${draftId}`);
    assert.equal(draft.total, '450.00', 'three approved hours at 150.00');
    await click(bp, 'manage.issue');
    s = await waitFor(bp, (x) => /^Issued as /.test(x.manage.notice) && x.manage.detail_status !== 'draft', 'the issued invoice');
    hourlyInvoice = await get(`/api/v1/invoices/${draftId}`);
    assert.equal(hourlyInvoice.due_date, today, 'due on issue (terms 0)');
    assert.match(s.manage.notice, new RegExp(`Issued as ${hourlyInvoice.number}, due ${today}`));
    await shot(bp, 'hero-b-issued.png');
  });

  await t.step('(b) autopay is declined; the Payments side shows the retries with their dates in the client\'s zone', async () => {
    // Nobody charges it by hand: the server's autopay runner finds it due and the sandbox's
    // pm_card_chargeDeclined refuses.
    let failures = [];
    const deadline = Date.now() + 30000;
    while (!(failures = (await get(`/api/v1/payment-failures?invoice_id=${hourlyInvoice.id}&limit=200`)).data).length) {
      if (Date.now() > deadline) throw new Error('no autopay attempt within 30 s');
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.equal(failures.length, 1);
    assert.equal(failures[0].code, 'card_declined');
    await click(bp, 'nav.payments');
    await waitFor(bp, (x) => x.route === '#/payments' && x.staff.lists.payments?.loaded, 'payments');
    await click(bp, 'payments.view.failures');
    const s = await waitFor(bp, (x) => x.staff.time.failures.some((f) => f.invoice_id === hourlyInvoice.id && f.retry_dates.length === 3),
      'the failure with its retry dates');
    const shown = s.staff.time.failures.find((f) => f.invoice_id === hourlyInvoice.id);
    assert.equal(shown.zone, ZONE);
    assert.equal(shown.retry_dates[0], localIn(ZONE, failures[0].next_retry_at), 'the first retry, as the server schedules it');
    const first = new Date(failures[0].failed_at).getTime();
    assert.deepEqual(shown.retry_dates, [3, 7, 14].map((d) => localIn(ZONE, new Date(first + d * 86400000).toISOString())),
      '+3, +7 and +14 days at the first failure\'s local time (Kiritimati has no DST)');
    const text = (await mirror(bp)).map((i) => i.name).join(' | ');
    assert.ok(text.includes(hourlyInvoice.number) && text.includes('Initech Hero'), 'the row names the invoice and the client');
    const inv = await get(`/api/v1/invoices/${hourlyInvoice.id}`);
    assert.equal(inv.status, 'failed');
    await shot(bp, 'hero-b-failures.png');
  });

  await t.step('no console errors beyond the refusals the test provoked', async () => {
    assert.deepEqual(consoleLog.unexpected([401, 404, 422]), []);
    assert.deepEqual(bconsole.unexpected([401, 404, 422]), []);
  });
  await bctx.close();
  t.done();
}, { serverArgs: ['--job-poll-seconds', '2'] });
