// The workspace's cross-section tools through the UI alone: the global search finds an
// invoice by number (typing is debounced; results are links in the accessibility mirror)
// and opens it; an account in two firms picks one at sign-in and switches firms in the
// header and back; an engagement is edited (frozen pricing shown read-only) and renewed
// with the core's error at its field first; a member is added. Screenshots: admin-*.png.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, waitFor, waitFrames, click, replaceText, api, checks, watchConsole, shotsDir,
  STAFF, getter, mirror, shot, tokenOf,
} from './portal_driver.mjs';

const PARTNER = { email: 'partner@demo.test', password: STAFF.password };

async function firmHeading(page) {
  return ((await mirror(page)).find((i) => i.id === 'header.firm') || {}).name;
}

await withPortal(async ({ browser, base }) => {
  const t = checks();
  const token = await tokenOf(base, STAFF);
  const get = getter(base, token);
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleLog = watchConsole(page);
  await openPortal(page, base);
  await signIn(page, STAFF);

  await t.step('search: an invoice number finds the invoice, and Enter-free click opens it', async () => {
    const target = (await get('/api/v1/invoices?q=0004')).data;
    assert.equal(target.length, 1, 'the server finds INV-0004 by a part of its number');
    await replaceText(page, 'search.query', '0004');
    const s = await waitFor(page, (x) => x.staff.search.asked === '0004' && x.staff.search.pending === 0 &&
      x.staff.search.invoices === 1, 'the search results');
    assert.ok(s.staff.search.requests <= 6, `typing is debounced (${s.staff.search.requests} requests for 4 keys)`);
    const link = (await mirror(page)).find((i) => i.id === 'search.invoice.0');
    assert.equal(link.role, 'link');
    assert.match(link.name, /^INV-0004/);
    await shot(page, 'admin-search-1280.png');
    await click(page, 'search.invoice.0');
    await waitFor(page, (x) => x.route === `#/invoices/${target[0].id}`, 'the invoice page');
  });

  await t.step('firms: sign-in asks which firm, the header switches to the other and back', async () => {
    await click(page, 'header.sign_out');
    await replaceText(page, 'login.email', PARTNER.email);
    await replaceText(page, 'login.password', PARTNER.password);
    await click(page, 'login.submit');
    await waitFor(page, (x) => x.login_firms === 2, 'the firm choices');
    await click(page, 'login.firm.demo');
    await waitFor(page, (x) => x.signed_in && x.staff && x.staff.firms === 2, 'signed in to the demo firm');
    assert.equal(await firmHeading(page), 'Demo Consulting LLC');
    await click(page, 'header.switch_firm');
    await click(page, 'header.switch_firm.partner');
    await waitFor(page, (x) => x.signed_in && x.staff && x.staff.firm_name === 'Partner Advisory Group' && x.staff.firms === 2 &&
      x.invoices_loaded, 'the other firm');
    assert.equal(await firmHeading(page), 'Partner Advisory Group');
    await shot(page, 'admin-partner-firm-1280.png');
    await click(page, 'header.switch_firm');
    await click(page, 'header.switch_firm.demo');
    await waitFor(page, (x) => x.signed_in && x.staff && x.staff.firm_name === 'Demo Consulting LLC' && x.staff.firms === 2 &&
      x.invoices_loaded, 'back in the demo firm');
    assert.equal(await firmHeading(page), 'Demo Consulting LLC');
  });

  let engagement;
  await t.step('engagements: search opens one; frozen pricing is read-only; the name is edited', async () => {
    engagement = (await get('/api/v1/engagements?q=finance')).data[0];
    await replaceText(page, 'search.query', 'finance');
    await waitFor(page, (x) => x.staff.search.asked === 'finance' && x.staff.search.pending === 0 && x.staff.search.engagements === 1,
      'the engagement result');
    await click(page, 'search.engagement.0');
    const s = await waitFor(page, (x) => x.route === `#/engagements/${engagement.id}` && x.staff.engagement_edit.loaded, 'its page');
    assert.equal(s.staff.engagement_edit.frozen, true, 'the demo engagement has invoices');
    const items = await mirror(page);
    assert.ok(items.find((i) => i.id === 'engagement_edit.frozen'), 'the freeze is explained');
    assert.equal(items.find((i) => i.id === 'engagement_edit.package_fee').role, 'text', 'the fee is shown, not editable');
    await replaceText(page, 'engagement_edit.name', 'Finance transformation 2026');
    await click(page, 'engagement_edit.save');
    await waitFor(page, (x) => x.staff.engagement_edit.notice.startsWith('Saved'), 'saved');
    assert.equal((await get(`/api/v1/engagements/${engagement.id}`)).name, 'Finance transformation 2026');
  });

  await t.step('engagements: a renewal shows the core\'s date error at its field, then renews', async () => {
    await replaceText(page, 'engagement_renew.end_date', '2026-06-30');
    let s = await waitFor(page, (x) => x.staff.engagement_edit.renew_shown_errors.length > 0, 'the renewal error');
    assert.deepEqual(s.staff.engagement_edit.renew_shown_errors, ['END_BEFORE_START@end_date']);
    await replaceText(page, 'engagement_renew.end_date', '2027-06-30');
    await replaceText(page, 'engagement_renew.package_fee', '1600.00');
    s = await waitFor(page, (x) => x.staff.engagement_edit.renewal && x.staff.engagement_edit.renewal.package_fee === '1600.00',
      'the new version');
    assert.equal(s.staff.engagement_edit.renewal.start_date, '2027-01-01', 'the day after the old end (the core\'s rule)');
    await shot(page, 'admin-engagement-renew-1280.png');
    await click(page, 'engagement_renew.submit');
    s = await waitFor(page, (x) => x.staff.engagement_edit.version === '2' && x.staff.engagement_edit.loaded, 'version 2');
    const renewed = await get(`/api/v1/engagements/${s.staff.engagement_edit.id}`);
    assert.equal(renewed.package_fee, '1600.00');
    assert.equal(renewed.end_date, '2027-06-30');
    assert.equal((await get(`/api/v1/engagements/${engagement.id}`)).status, 'renewed');
  });

  await t.step('members: a short password is refused at its field, then the member is added', async () => {
    await click(page, 'nav.members');
    await waitFor(page, (x) => x.staff.lists.members && x.staff.lists.members.loaded && !x.staff.lists.members.loading, 'members');
    await replaceText(page, 'members.add.email', 'newhire@demo.test');
    await replaceText(page, 'members.add.name', 'Nora Newhire');
    await click(page, 'members.add.role');
    await click(page, 'members.add.role.billing');
    await replaceText(page, 'members.add.password', 'short');
    const s = await waitFor(page, (x) => x.staff.member_add.shown_errors.length > 0, 'the password error');
    assert.deepEqual(s.staff.member_add.shown_errors, ['TOO_SHORT@password']);
    await replaceText(page, 'members.add.password', 'a-long-enough-password');
    await click(page, 'members.add.submit');
    await waitFor(page, (x) => x.staff.member_add.notice.startsWith('Added'), 'added');
    const added = (await get('/api/v1/memberships?limit=200')).data.find((m) => m.user.email === 'newhire@demo.test');
    assert.ok(added, 'the server has the member');
    assert.equal(added.role, 'billing');
  });

  await t.step('no console errors beyond the refusals the test provoked', async () => {
    assert.deepEqual(consoleLog.unexpected([401, 404, 409, 422]), []);
  });
  t.done();
});
