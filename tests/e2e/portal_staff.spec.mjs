// The firm staff workspace through the UI alone: the owner signs in, finds every section
// in the sidebar and visits each through it (address bar, breadcrumbs, Back), the
// dashboard's figures equal the server's reports, lists equal the API's, a client is
// created with the core's error shown at its field first, a setting is changed (diff,
// snapshot) and rolled back, the audit chain is verified, a report is downloaded as CSV;
// a staff member sees only Clients, Engagements, Pipeline (read: the CRM's clients.read) and
// Time. Hero flow (c) of the issue is the settings step (its last screen compared with a
// reference). Screenshots: staff-*.png at
// 1280×800 and 375×667.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, portalState, waitFor, waitFrames, click, replaceText, rects, api, checks,
  watchConsole, shotsDir, STAFF, getter, mirror, tokenOf,
} from './portal_driver.mjs';
import { compareWithReference } from './screenshot_compare.mjs';

const SCREEN = { invoices: 1, not_found: 4, staff: 7 };
const MEMBER = { email: 'staff@demo.test', password: STAFF.password };
const ALL = ['Dashboard', 'Clients', 'Engagements', 'Pipeline', 'Time', 'Invoices', 'Payments', 'Disputes', 'Reports', 'Settings',
  'Members', 'Audit log'];
const SLUG = { Dashboard: 'dashboard', Clients: 'clients', Engagements: 'engagements', Pipeline: 'pipeline', Time: 'time', Invoices: 'invoices',
  Payments: 'payments', Disputes: 'disputes', Reports: 'reports', Settings: 'settings', Members: 'members',
  'Audit log': 'audit' };
const cents = (s) => Math.round(Number(s) * 100);
const money = (c) => (c / 100).toFixed(2);

async function navLinks(page) {
  return (await mirror(page)).filter((i) => i.role === 'link' && i.id.startsWith('nav.')).map((i) => i.name);
}
async function quiet(page) {
  await page.mouse.move(1, 1);
  await waitFrames(page, 4);
}
async function shot(page, name) {
  await quiet(page);
  return page.screenshot({ path: join(shotsDir, name) });
}

await withPortal(async ({ browser, base }) => {
  const t = checks();
  const token = await tokenOf(base, STAFF);
  const get = getter(base, token);

  // Some activity beyond the seed, through the API: a bank transfer received today and an
  // hour of time, so the month's collections, the payments and the time lists have rows.
  const invoices = (await get('/api/v1/invoices?limit=200')).data;
  const open = invoices.find((i) => i.number === 'INV-0002');
  const paid = await api(base, 'POST', `/api/v1/invoices/${open.id}/payments`, { amount: '100.00', method: 'bank_transfer', reference: 'WIRE-778' }, token);
  assert.equal(paid.status, 201, JSON.stringify(paid.body));
  const engagement = (await get('/api/v1/engagements?limit=200')).data[0];
  const logged = await api(base, 'POST', '/api/v1/time-entries', { engagement_id: engagement.id,
    date: (await get('/api/v1/reports/ar-aging')).as_of, hours: '1.50', description: 'Quarterly review call' }, token);
  assert.equal(logged.status, 201, JSON.stringify(logged.body));

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, acceptDownloads: true });
  const page = await context.newPage();
  const consoleLog = watchConsole(page);
  await openPortal(page, base);
  await signIn(page, STAFF);

  await t.step('the owner\'s sidebar has every section, from the shared capability table', async () => {
    const s = await waitFor(page, (x) => x.staff && x.staff.sections.length > 0, 'the sidebar');
    assert.deepEqual(s.staff.sections, ALL);
    await waitFor(page, () => true, '');
    assert.deepEqual(await navLinks(page), ALL, 'the mirror has one link per section');
    assert.equal(s.screen, SCREEN.invoices, 'owners still land on the invoices');
    await shot(page, 'staff-invoices-1280.png');
  });

  await t.step('the dashboard shows the server\'s outstanding, overdue and collected figures', async () => {
    await click(page, 'nav.dashboard');
    const s = await waitFor(page, (x) => x.route === '#/dashboard' && !x.staff.dashboard.loading &&
      x.staff.dashboard.by_currency.USD && x.staff.dashboard.by_currency.USD.months === 12, 'the dashboard');
    assert.equal(new URL(page.url()).hash, '#/dashboard');
    const aging = await get('/api/v1/reports/ar-aging');
    const usd = aging.currencies.find((c) => c.currency === 'USD');
    const shown = s.staff.dashboard.by_currency.USD;
    assert.equal(shown.outstanding, usd.total.total, 'outstanding = the aging report\'s total');
    assert.equal(shown.overdue, money(cents(usd.total.total) - cents(usd.total.current)), 'overdue = all but current');
    assert.deepEqual(shown.aging, Object.fromEntries(aging.buckets.map((b) => [b, usd.total[b]])), 'the core\'s five buckets');
    assert.ok(cents(shown.overdue) > 0, 'the demo has overdue invoices');
    assert.ok(cents(shown.collected_month) >= 10000, 'the transfer received today counts this month');
    const month = aging.as_of.slice(0, 7);
    const from = `${Number(month.slice(0, 4)) - (Number(month.slice(5)) === 12 ? 0 : 1)}-${String((Number(month.slice(5)) % 12) + 1).padStart(2, '0')}-01`;
    const revenue = await get(`/api/v1/reports/revenue?interval=month&from=${from}&to=${aging.as_of}`);
    const periods = revenue.currencies.length ? revenue.currencies.find((c) => c.currency === 'USD').periods : [];
    assert.equal(periods.length, 12);
    assert.equal(shown.collected_month, periods[11].collected, 'collected this month = the revenue report\'s last month');
    const disputes = (await get('/api/v1/disputes?limit=200')).data.filter((d) => d.open);
    assert.equal(s.staff.dashboard.open_disputes, disputes.length);
    const text = (await mirror(page)).map((i) => i.name).join(' | ');
    assert.match(text, new RegExp(`Outstanding: ${usd.total.total.replace('.', '\\.')} USD`));
    assert.match(text, /Accounts receivable aging \(USD, as of/);
    assert.match(text, /Revenue by month \(USD, last 12 months\)/);
    await shot(page, 'staff-dashboard-1280.png');
  });

  await t.step('every section opens from the sidebar with its own address and the server\'s rows', async () => {
    const lists = { clients: '/api/v1/clients?limit=200', engagements: '/api/v1/engagements?limit=200',
      time: '/api/v1/time-entries?limit=200', payments: '/api/v1/payments?limit=200', disputes: '/api/v1/disputes?limit=200',
      members: '/api/v1/memberships?limit=200', audit: '/api/v1/audit?limit=200' };
    for (const title of ALL) {
      const slug = SLUG[title];
      await click(page, `nav.${slug}`);
      const s = await waitFor(page, (x) => x.route === `#/${slug}` &&
        (!lists[slug] || (x.staff.lists[slug] && x.staff.lists[slug].loaded && !x.staff.lists[slug].loading)) &&
        (slug !== 'settings' || x.staff.settings.loaded) && (slug !== 'pipeline' || x.staff.pipeline.report_loaded) && (slug !== 'invoices' || x.invoices_loaded) &&
        (slug !== 'reports' || !x.staff.dashboard.loading), `section ${title}`);
      assert.equal(new URL(page.url()).hash, `#/${slug}`);
      if (lists[slug]) {
        const body = await get(lists[slug]);
        const count = slug === 'audit' ? Math.min(body.data.length, 200) : body.data.length;
        // The audit log grows as we go (log-ins, views): at least what the API had then.
        if (slug === 'audit') assert.ok(s.staff.lists.audit.count >= 1 && s.staff.lists.audit.count <= count);
        else assert.equal(s.staff.lists[slug].count, count, `${title}: the API's rows`);
      }
      const crumbs = (await mirror(page)).find((i) => i.id === 'crumbs');
      assert.equal(crumbs.name, `You are here: Demo Consulting LLC / ${title}`);
      await shot(page, `staff-${slug}-1280.png`);
    }
    assert.equal(new URL(page.url()).hash, '#/audit');
    await page.goBack();
    await waitFor(page, (x) => x.route === '#/members', 'Back returns to the previous section', 5000);
    await page.goBack();
    await waitFor(page, (x) => x.route === '#/settings', 'and the one before', 5000);
  });

  await t.step('the invoice table filters on the server: overdue as the server computes it', async () => {
    await click(page, 'nav.invoices');
    await waitFor(page, (x) => x.invoices_loaded && x.route === '#/invoices', 'the invoices');
    await click(page, 'invoices.filter.status');
    await click(page, 'invoices.filter.status.overdue');
    const overdue = (await get('/api/v1/invoices?limit=100&status=overdue')).data;
    assert.ok(overdue.length >= 1);
    const s = await waitFor(page, (x) => x.invoices_loaded && x.invoice_count === overdue.length &&
      x.invoice_statuses.every((st) => st === 'overdue'), 'only overdue invoices');
    assert.equal(s.invoice_count, overdue.length);
    await shot(page, 'staff-invoices-overdue-1280.png');
    await click(page, 'invoices.filter.status');
    await click(page, 'invoices.filter.status.all');
    const all = (await get('/api/v1/invoices?limit=100')).data;
    await waitFor(page, (x) => x.invoice_count === all.length, 'every invoice again');
  });

  await t.step('client search asks the server and shows what it found', async () => {
    await click(page, 'nav.clients');
    await replaceText(page, 'clients.search', 'north');
    const found = await get('/api/v1/clients?limit=200&q=north');
    assert.ok(found.data.length >= 1);
    const s = await waitFor(page, (x) => x.staff.lists.clients.loaded && !x.staff.lists.clients.loading &&
      x.staff.lists.clients.count === found.data.length, 'the search result');
    assert.equal(s.staff.lists.clients.count, found.data.length);
    await replaceText(page, 'clients.search', 'no such client zzz');
    await waitFor(page, (x) => x.staff.lists.clients.loaded && x.staff.lists.clients.count === 0, 'no match');
    await replaceText(page, 'clients.search', '');
    await waitFor(page, (x) => x.staff.lists.clients.loaded && x.staff.lists.clients.count >= 2, 'all clients again');
  });

  await t.step('a new client: the core\'s error at its field (the server\'s own code), then saved', async () => {
    await click(page, 'clients.new');
    await waitFor(page, (x) => x.route === '#/clients/new', 'the new client form');
    await replaceText(page, 'client.company_name', 'Globex Advisory');
    await replaceText(page, 'client.billing_email', 'not-an-email');
    const s = await waitFor(page, (x) => x.staff.client_form.shown_errors.some((e) => e.endsWith('@billing_email')), 'the email error');
    const server = await api(base, 'POST', '/api/v1/clients', { company_name: 'Globex Advisory', billing_email: 'not-an-email',
      status: 'active', portal_enabled: false, autopay_enabled: false }, token);
    assert.equal(server.status, 422);
    const serverCodes = server.body.errors.map((e) => `${e.code}@${e.field}`);
    assert.deepEqual(s.staff.client_form.shown_errors, serverCodes, 'the portal says what the server would');
    const codes = server.body.errors.map((e) => e.code);
    const alert = (await mirror(page)).find((i) => i.role === 'alert' && codes.some((c) => i.id === `error.${c}.billing_email`));
    assert.ok(alert, 'the error is in the mirror as an alert');
    assert.match(alert.value, /billing_email/, 'its support reference names the field');
    await shot(page, 'staff-client-new-error-1280.png');
    await click(page, 'client.save');  // refused by the core: nothing is sent
    await waitFrames(page, 5);
    assert.equal((await get('/api/v1/clients?limit=200&q=globex')).data.length, 0);
    await replaceText(page, 'client.billing_email', 'ap@globex.test');
    await waitFor(page, (x) => x.staff.client_form.shown_errors.length === 0, 'no errors');
    await click(page, 'client.save');
    const saved = await waitFor(page, (x) => x.route === '#/clients' && /Created Globex Advisory/.test(x.staff.notice), 'the saved client');
    assert.ok(saved);
    const created = (await get('/api/v1/clients?limit=200&q=globex')).data;
    assert.equal(created.length, 1);
    assert.equal(created[0].billing_email, 'ap@globex.test');
  });

  await t.step('editing a client: breadcrumbs name it and lead back', async () => {
    const all = (await get('/api/v1/clients?limit=200')).data;
    const index = all.findIndex((c) => c.company_name === 'Northwind Traders');
    await waitFor(page, (x) => x.staff.lists.clients.count === all.length && !x.staff.lists.clients.loading, 'the list');
    await click(page, `clients.table.row.${index}`);
    await waitFor(page, (x) => x.route === `#/clients/${all[index].id}` && x.staff.client_form.company_name === 'Northwind Traders', 'the client form');
    const crumbs = (await mirror(page)).find((i) => i.id === 'crumbs');
    assert.equal(crumbs.name, 'You are here: Demo Consulting LLC / Clients / Northwind Traders');
    await shot(page, 'staff-client-edit-1280.png');
    await click(page, 'crumb.1');
    await waitFor(page, (x) => x.route === '#/clients', 'the list through the breadcrumb', 5000);
  });

  await t.step('a new engagement: the core refuses a package without its fee, at the field', async () => {
    await click(page, 'nav.engagements');
    await click(page, 'engagements.new');
    await waitFor(page, (x) => x.route === '#/engagements/new', 'the engagement form');
    await replaceText(page, 'engagement.name', 'Retainer 2027');
    const s = await waitFor(page, (x) => x.staff.engagement_form.shown_errors.some((e) => e.endsWith('@package_fee')) &&
      x.staff.engagement_form.shown_errors.some((e) => e.endsWith('@client_id')), 'the errors at client and fee');
    assert.ok(s.staff.engagement_form.shown_errors.length >= 2, JSON.stringify(s.staff.engagement_form.shown_errors));
    await shot(page, 'staff-engagement-new-1280.png');
    await click(page, 'engagement.cancel');
    await waitFor(page, (x) => x.route === '#/engagements', 'the list', 5000);
  });

  await t.step('settings: the diff before saving, a snapshot, and a rollback', async () => {
    await click(page, 'nav.settings');
    await waitFor(page, (x) => x.staff.settings.loaded && x.staff.lists.snapshots && x.staff.lists.snapshots.loaded, 'settings');
    const before = (await get('/api/v1/firm')).settings.payment_terms_days;
    const snapshots = (await get('/api/v1/firm/settings/snapshots?limit=200')).data.length;
    await replaceText(page, 'settings.terms', '45');
    const s = await waitFor(page, (x) => x.staff.settings.changes.payment_terms_days === 45, 'the diff');
    assert.deepEqual(s.staff.settings.changes, { payment_terms_days: 45 });
    const text = (await mirror(page)).map((i) => i.name).join(' | ');
    assert.match(text, /Payment terms days, 30, 45/);
    await shot(page, 'staff-settings-diff-1280.png');
    await click(page, 'settings.save');
    await waitFor(page, (x) => /Saved/.test(x.staff.settings.notice) && x.staff.lists.snapshots.count === snapshots + 1, 'saved');
    assert.equal((await get('/api/v1/firm')).settings.payment_terms_days, 45);
    // The newest snapshot (drawn first) holds the settings before the change.
    await click(page, `settings.snapshot.${snapshots}.rollback`);
    await waitFor(page, (x) => /Rolled back/.test(x.staff.settings.notice), 'rolled back');
    assert.equal((await get('/api/v1/firm')).settings.payment_terms_days, before);
    await shot(page, 'staff-settings-rolled-back-1280.png');
    // Hero flow (c): the rolled-back settings against their reference, down to the Save
    // button (below it, the notice and the snapshots name ids and times that change each run).
    const save = (await rects(page))['settings.save'];
    const form = await page.screenshot({ clip: { x: 0, y: 0, width: 1280, height: Math.ceil(save.y + save.h + 4) } });
    await compareWithReference(browser, form, 'hero-c-settings-rolled-back.png');
  });

  await t.step('members: a role changes, and the last owner stays (the server\'s rule, at the field)', async () => {
    await click(page, 'nav.members');
    await waitFor(page, (x) => x.staff.lists.members && x.staff.lists.members.loaded && !x.staff.lists.members.loading, 'members');
    const members = (await get('/api/v1/memberships?limit=200')).data;
    const staffIndex = members.findIndex((m) => m.user.email === 'staff@demo.test');
    const ownerIndex = members.findIndex((m) => m.user.email === 'owner@demo.test');
    await click(page, 'members.edit.member');
    await click(page, `members.edit.member.${staffIndex}`);
    await click(page, 'members.edit.role');
    await click(page, 'members.edit.role.contractor');
    await click(page, 'members.edit.save');
    await waitFor(page, (x) => /Saved staff@demo\.test: contractor, active/.test(x.staff.member_edit.notice), 'the saved role');
    assert.equal((await get(`/api/v1/memberships/${members[staffIndex].id}`)).role, 'contractor');
    await click(page, 'members.edit.role');
    await click(page, 'members.edit.role.staff');
    await click(page, 'members.edit.save');
    await waitFor(page, (x) => /Saved staff@demo\.test: staff, active/.test(x.staff.member_edit.notice), 'the role back');
    assert.equal((await get(`/api/v1/memberships/${members[staffIndex].id}`)).role, 'staff');
    await click(page, 'members.edit.member');
    await click(page, `members.edit.member.${ownerIndex}`);
    await click(page, 'members.edit.role');
    await click(page, 'members.edit.role.admin');
    await click(page, 'members.edit.save');
    const s = await waitFor(page, (x) => x.staff.member_edit.shown_errors.length > 0, 'the refusal');
    assert.deepEqual(s.staff.member_edit.shown_errors, ['LAST_OWNER@role']);
    assert.equal((await get(`/api/v1/memberships/${members[ownerIndex].id}`)).role, 'owner');
    await shot(page, 'staff-members-last-owner-1280.png');
  });

  await t.step('the audit log verifies its chain', async () => {
    await click(page, 'nav.audit');
    await click(page, 'audit.verify');
    const s = await waitFor(page, (x) => x.staff.audit_verify && x.staff.audit_verify.ok !== undefined, 'the verification');
    assert.equal(s.staff.audit_verify.ok, true);
    const api_verify = await get('/api/v1/audit/verify');
    assert.equal(api_verify.ok, true);
    assert.ok(s.staff.audit_verify.checked >= 1 && s.staff.audit_verify.checked <= api_verify.checked);
    const text = (await mirror(page)).map((i) => i.name).join(' | ');
    assert.match(text, /Chain intact: \d+ events checked/);
    await shot(page, 'staff-audit-verified-1280.png');
  });

  await t.step('reports download as CSV (the server\'s own file)', async () => {
    await click(page, 'nav.reports');
    await waitFor(page, (x) => !x.staff.dashboard.loading && x.staff.dashboard.by_currency.USD, 'the reports');
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 15000 }), click(page, 'reports.aging.csv')]);
    assert.match(download.suggestedFilename(), /^ar-aging-\d{4}-\d{2}-\d{2}\.csv$/);
    const saved = join(shotsDir, 'staff-ar-aging.csv');
    await download.saveAs(saved);
    const csv = readFileSync(saved, 'utf8');
    assert.match(csv, /^currency,client_id,client_name,current,1_30,31_60,61_90,over_90,total\r\n/);
    assert.match(csv, /TOTAL/);
  });

  await t.step('375 px: the sidebar folds into a menu and the dashboard fits', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await openPortal(p, base);
    await signIn(p, STAFF);
    await click(p, 'nav.menu');
    await click(p, 'nav.dashboard');
    await waitFor(p, (x) => x.route === '#/dashboard' && x.staff.dashboard.by_currency.USD && !x.staff.dashboard.loading, 'the dashboard');
    assert.deepEqual(await navLinks(p), [], 'the menu folded after choosing');
    await shot(p, 'staff-dashboard-375.png');
    await click(p, 'nav.menu');
    assert.deepEqual(await navLinks(p), ALL);
    await shot(p, 'staff-menu-375.png');
    await click(p, 'nav.clients');
    await waitFor(p, (x) => x.route === '#/clients' && x.staff.lists.clients.loaded, 'clients');
    await shot(p, 'staff-clients-375.png');
    await phone.close();
  });

  await t.step('a staff member sees only Clients, Engagements, Pipeline and Time', async () => {
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const p = await other.newPage();
    await openPortal(p, base);
    await replaceText(p, 'login.email', MEMBER.email);
    await replaceText(p, 'login.password', MEMBER.password);
    await click(p, 'login.submit');
    const s = await waitFor(p, (x) => x.signed_in && x.route === '#/clients' && x.staff.lists.clients && x.staff.lists.clients.loaded,
      'the staff member\'s first section');
    assert.deepEqual(s.staff.sections, ['Clients', 'Engagements', 'Pipeline', 'Time']);
    assert.deepEqual(await navLinks(p), ['Clients', 'Engagements', 'Pipeline', 'Time']);
    assert.equal(s.invoices_loaded, false, 'no invoice list asked for (it would be refused)');
    assert.equal(s.staff.lists.clients.error, '');
    const names = (await mirror(p)).map((i) => i.name);
    for (const hidden of ['Settings', 'Members', 'Audit log', 'Dashboard', 'Invoices', 'Payments', 'Reports']) {
      assert.ok(!names.includes(hidden), `${hidden} is not offered`);
    }
    assert.ok(!names.includes('New client'), 'no create button without clients.write');
    await shot(p, 'staff-member-clients-1280.png');
    await p.goto(`${base}/#/settings`);
    await waitFor(p, (x) => x.screen === SCREEN.not_found, 'settings is not there for staff', 10000);
    await other.close();
  });

  await t.step('no console errors beyond the refusals the test provoked', async () => {
    assert.deepEqual(consoleLog.unexpected([401, 404, 422, 429]), []);
  });
  t.done();
});
