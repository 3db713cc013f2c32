// The break-glass banner: for firm staff only, in words with a countdown, gone within 5 s of
// a revocation elsewhere, and revocable by an owner from the banner itself (the hero
// flow (d); the banner's screen is compared with a reference).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, portalState, waitFor, waitFrames, click, rects, api, checks, watchConsole,
  shotsDir, STAFF, CLIENT, mirror,
} from './portal_driver.mjs';
import { compareWithReference } from './screenshot_compare.mjs';


await withPortal(async ({ browser, base }) => {
  const t = checks();
  const owner = await api(base, 'POST', '/api/v1/auth/login', STAFF);
  const firm = await api(base, 'GET', '/api/v1/firm', null, owner.body.token);
  const op = await api(base, 'POST', '/api/v1/auth/login', { email: 'operator@demo.test', password: STAFF.password, kind: 'operator' });
  assert.equal(op.status, 200, JSON.stringify(op.body));
  const reason = 'ticket 42: totals look wrong';
  async function openSession() {
    const r = await api(base, 'POST', '/api/v1/operator/break-glass', { firm_id: firm.body.id, reason }, op.body.token);
    assert.equal(r.status, 201, JSON.stringify(r.body));
    return r.body.id;
  }

  const staff = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const staffConsole = watchConsole(staff);
  await openPortal(staff, base);
  await signIn(staff, STAFF);
  const client = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await openPortal(client, base);
  await signIn(client, CLIENT);
  let session = await openSession();

  await t.step('staff see the banner in words: operator, reason, time left counting down', async () => {
    await click(staff, 'invoices.refresh');
    await waitFor(staff, (s) => s.break_glass_banner, 'the banner', 8000);
    const first = (await mirror(staff)).find((i) => i.id === 'banner.break_glass');
    assert.ok(first, 'the banner is in the mirror');
    assert.match(first.name, /Pat Platform \(operator@demo\.test\)/, 'the operator by name');
    assert.match(first.name, /Reason: ticket 42: totals look wrong/);
    assert.match(first.name, /ends in (29|30) min \d\d s/);
    assert.doesNotMatch(first.name, /[{}"]|session_id|expires_at/, 'no raw JSON');
    await new Promise((r) => setTimeout(r, 2100));
    const later = (await mirror(staff)).find((i) => i.id === 'banner.break_glass');
    assert.notEqual(later.name, first.name, 'the time left counts down');
    assert.ok((await rects(staff))['banner.revoke'], 'an owner has a Revoke button');
    await staff.mouse.move(1, 1);
    await waitFrames(staff, 4);
    // Hero flow (d): the banner as a person sees it, against its reference.
    const png = await staff.screenshot({ path: join(shotsDir, 'break-glass-banner.png') });
    await compareWithReference(browser, png, 'hero-d-break-glass-banner.png');
  });

  await t.step('client portal users never see it', async () => {
    await click(client, 'invoices.refresh');
    await waitFrames(client, 10);
    const s = await portalState(client);
    assert.equal(s.break_glass_banner, '');
    assert.equal((await rects(client))['banner.break_glass'], undefined);
    const names = (await mirror(client)).map((i) => i.name).join(' | ');
    assert.doesNotMatch(names, /operator@demo\.test|ticket 42/);
  });

  await t.step('a revocation elsewhere removes the banner within 5 s', async () => {
    const revoked = await api(base, 'POST', `/api/v1/operator/break-glass/${session}/revoke`, { reason: 'done' }, op.body.token);
    assert.equal(revoked.status, 200, JSON.stringify(revoked.body));
    const started = Date.now();
    await waitFor(staff, (s) => !s.break_glass_banner, 'the banner to go', 5000);
    console.log(`e2e: banner gone ${Date.now() - started} ms after the revocation`);
    assert.equal((await rects(staff))['banner.break_glass'], undefined);
  });

  await t.step('an owner revokes from the banner', async () => {
    session = await openSession();
    await click(staff, 'invoices.refresh');
    await waitFor(staff, (s) => s.break_glass_banner, 'the banner again', 8000);
    await click(staff, 'banner.revoke');
    await waitFor(staff, (s) => !s.break_glass_banner, 'the banner after Revoke', 5000);
    await staff.screenshot({ path: join(shotsDir, 'break-glass-revoked.png') });
    const status = await api(base, 'GET', `/api/v1/operator/break-glass/${session}`, null, op.body.token);
    assert.equal(status.body.status, 'revoked');
  });

  await t.step('the audit log lists every session; an owner revokes an active one there', async () => {
    session = await openSession();
    await staff.evaluate(() => { location.hash = '#/audit'; });
    const listed = (await api(base, 'GET', '/api/v1/break-glass?limit=200', null, owner.body.token)).body.data;
    const s = await waitFor(staff, (x) => x.route === '#/audit' && x.staff.lists.break_glass &&
      x.staff.lists.break_glass.loaded && !x.staff.lists.break_glass.loading, 'the session list');
    assert.equal(s.staff.lists.break_glass.count, listed.length, 'every session the server lists');
    const index = listed.findIndex((x) => x.id === session);
    const rows = (await mirror(staff)).filter((i) => i.id.startsWith('break_glass.session.'));
    assert.equal(rows.length, listed.length);
    assert.match(rows[index].name, /active/);
    assert.ok(rows[index].name.includes(reason), 'the operator\'s reason, in words');
    assert.equal((await rects(staff))[`break_glass.revoke.${index - 1}`], undefined, 'a closed session offers no Revoke');
    await staff.screenshot({ path: join(shotsDir, 'break-glass-sessions.png') });
    await click(staff, `break_glass.revoke.${index}`);
    await waitFor(staff, (x) => !x.break_glass_banner && !x.staff.lists.break_glass.loading, 'the revoked session', 8000);
    const status = await api(base, 'GET', `/api/v1/operator/break-glass/${session}`, null, op.body.token);
    assert.equal(status.body.status, 'revoked');
    assert.match(status.body.close_reason, /Revoked from the audit log by owner@demo\.test/);
  });

  await t.step('no errors in the console', async () => {
    assert.deepEqual(staffConsole.unexpected(), []);
  });
  t.done();
});
