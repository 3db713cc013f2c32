// The Time section and the Payments side's failures and alerts, through the UI alone on the
// demo data: a staff member is stopped by the core's validation at the fields, then by the
// server's 422 at the date, logs time by hand, runs the timer (Stop rounds to hundredths
// and saves), logs an expense and has no approval queue; billing sees its own entry in the
// queue with its checkbox disabled, selects all and bulk-approves (checked through the
// API afterwards: everyone else's approved, its own not); the autopay failures show retry
// dates on the client's calendar equal to the server's schedule; an alert is acknowledged
// (checked through the API). The failures and the alert come from `cp_server run-autopay`
// rehearsing the demo's declining autopay client. Screenshots: time-*.png.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import {
  withPortal, openPortal, portalState, waitFor, waitFrames, click, replaceText, api, checks, watchConsole,
  rects, shotsDir, buildDir, STAFF, getter, mirror, shot, signInAs, tokenOf,
} from './portal_driver.mjs';

const MEMBER = { email: 'staff@demo.test', password: STAFF.password };
const BILLING = { email: 'billing@demo.test', password: STAFF.password };

const time = (s) => s.staff.time;
// "YYYY-MM-DD HH:MM" of a UTC instant on the calendar of `zone` (Intl, independent of the core).
function localIn(zone, iso) {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit',
    day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(iso)).map((p) => [p.type, p.value]));
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute}`;
}

// Picks `item` in the drop-down `combo` and checks the form took it: on a loaded machine a
// click can be lost while the popup opens (the entry then has no engagement), so once more.
async function choose(page, combo, item, took) {
  for (let attempt = 0; attempt < 3; attempt++) {
    if (!(await rects(page))[item]) await click(page, combo);  // the popup is not open yet
    await click(page, item);
    if (took(await portalState(page))) return;
    await waitFrames(page, 2);
  }
}

await withPortal(async ({ browser, base, server }) => {
  const t = checks();
  const owner = await tokenOf(base, STAFF);
  const billing = await tokenOf(base, BILLING);
  const get = getter(base, owner);
  const today = (await get('/api/v1/reports/ar-aging')).as_of;  // the firm's local date
  const engagements = (await get('/api/v1/engagements?limit=200')).data;
  const pick = engagements.findIndex((e) => e.hourly_rate && e.start_date <= today && (!e.end_date || e.end_date >= today));
  assert.ok(pick >= 0, 'the demo has an hourly engagement running today');
  const engagement = engagements[pick];

  // Billing logs an entry of its own (to find it not approvable in the queue).
  const own = await api(base, 'POST', '/api/v1/time-entries', { engagement_id: engagement.id, date: today, hours: '0.75',
    description: 'Billing own entry (e2e)' }, billing);
  assert.equal(own.status, 201, JSON.stringify(own.body));

  // Autopay: the demo's declining client fails at its due date, then at each retry until the
  // schedule is exhausted (an alert). Times come from the server's own next_retry_at.
  const invoices = (await get('/api/v1/invoices?limit=200')).data;
  const harbor = invoices.find((i) => i.number === 'INV-0005');
  let when = `${harbor.due_date}T14:00:00Z`;
  for (let run = 0; run < 4 && when; run++) {
    execFileSync(join(buildDir, 'cp_server'), ['run-autopay', '--now', when, '--data-dir', server.dataDir], { stdio: 'pipe' });
    const failures = (await get(`/api/v1/payment-failures?invoice_id=${harbor.id}&limit=200`)).data;
    assert.equal(failures.length, run + 1, `run ${run + 1} recorded a failure`);
    when = failures.sort((a, b) => a.attempt - b.attempt)[run].next_retry_at;
  }
  const serverFailures = (await get(`/api/v1/payment-failures?invoice_id=${harbor.id}&limit=200`)).data
    .sort((a, b) => a.attempt - b.attempt);
  assert.equal(serverFailures.length, 4);
  assert.equal(serverFailures[3].next_retry_at, null, 'the fourth failure exhausts the schedule');
  const alerts = (await get('/api/v1/alerts?kind=autopay_exhausted')).data;
  assert.equal(alerts.length, 1, 'the exhausted schedule raised an alert');

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleLog = watchConsole(page);
  await openPortal(page, base);
  await signInAs(page, MEMBER, '#/clients');
  await click(page, 'nav.time');
  await waitFor(page, (x) => x.route === '#/time' && x.staff.lists.engagements?.loaded && time(x).me !== '' &&
    time(x).entry.date === today, 'the Time section with the firm\'s today in the date');

  await t.step('the core\'s validation stops an empty entry at its fields; nothing is sent', async () => {
    await replaceText(page, 'time.entry.date', '');
    await click(page, 'time.entry.save');
    const s = await waitFor(page, (x) => time(x).entry.shown_errors.length > 0, 'errors at the fields');
    assert.deepEqual([...time(s).entry.shown_errors].sort(), ['VALIDATION_REQUIRED@date', 'VALIDATION_REQUIRED@engagement_id',
      'VALIDATION_REQUIRED@hours'].sort());
    assert.equal(time(s).entry.saving, false);
    const before = (await get('/api/v1/time-entries?limit=200')).data.length;
    assert.equal(before, 1, 'only billing\'s own entry exists');
  });

  await t.step('the server\'s 422 (date outside the engagement) is drawn at the date field', async () => {
    await choose(page, 'time.entry.engagement', `time.entry.engagement.${pick}`,
      (x) => time(x).entry.engagement_id === engagement.id);
    await replaceText(page, 'time.entry.date', '2001-01-02');
    await replaceText(page, 'time.entry.hours', '1.25');
    await replaceText(page, 'time.entry.description', 'Workshop preparation (e2e)');
    await click(page, 'time.entry.save');
    const s = await waitFor(page, (x) => !time(x).entry.saving && time(x).entry.shown_errors.length > 0, 'the server\'s answer');
    assert.deepEqual(time(s).entry.shown_errors, ['DATE_OUTSIDE_ENGAGEMENT@date']);
    const names = (await mirror(page)).filter((i) => i.role === 'alert').map((i) => i.id);
    assert.ok(names.includes('error.DATE_OUTSIDE_ENGAGEMENT.date'), 'an alert in the mirror');
    await shot(page, 'time-server-error-1280.png');
  });

  await t.step('a staff member logs time by hand', async () => {
    await replaceText(page, 'time.entry.date', today);
    await click(page, 'time.entry.save');
    const s = await waitFor(page, (x) => time(x).entry.notice !== '', 'the entry saved');
    assert.equal(time(s).entry.notice, `Logged 1.25 h on ${today} (unapproved).`);
    assert.deepEqual(time(s).entry.shown_errors, []);
    const mine = (await get('/api/v1/time-entries?limit=200')).data.filter((e) => e.description === 'Workshop preparation (e2e)');
    assert.equal(mine.length, 1);
    assert.equal(mine[0].hours, '1.25');
    assert.equal(mine[0].status, 'unapproved');
    assert.equal(mine[0].engagement_id, engagement.id);
    assert.notEqual(mine[0].author_membership_id, own.body.author_membership_id);
    await waitFor(page, (x) => x.staff.lists.time.count === 1, 'the staff member\'s own list shows it');
  });

  await t.step('the timer shows elapsed time; Stop rounds to hundredths of an hour and saves', async () => {
    await replaceText(page, 'time.entry.description', 'Timer run (e2e)');
    await click(page, 'time.timer.start');
    await waitFor(page, (x) => time(x).timer.running && time(x).timer.seconds >= 2, 'two seconds on the clock');
    const running = (await mirror(page)).find((i) => i.id === 'time.timer.elapsed');
    assert.match(running.name, /^Running 00:00:0\d = 0\.\d\d h$/);
    await shot(page, 'time-timer-1280.png');
    // A reload mid-run (or a closed tab) finds the timer running, with its engagement and
    // description, counting from the same start.
    const before = time(await portalState(page)).timer.seconds;
    await openPortal(page, base, '/time');
    const back = await waitFor(page, (x) => x.route === '#/time' && time(x).timer.running &&
      time(x).entry.engagement_id === engagement.id && time(x).entry.description === 'Timer run (e2e)',
      'the timer after a reload');
    assert.ok(time(back).timer.seconds >= before, `still counting (${time(back).timer.seconds} s >= ${before} s)`);
    await waitFor(page, (x) => time(x).timer.seconds >= 20, 'twenty seconds on the clock', 30000);
    await click(page, 'time.timer.stop');
    const s = await waitFor(page, (x) => !time(x).timer.running && time(x).entry.notice.startsWith('Logged'), 'the timed entry');
    const seconds = time(s).timer.seconds;
    const expected = (Math.floor((seconds * 2 + 36) / 72) / 100).toFixed(2);  // half-up of seconds/36, in hundredths
    assert.equal(time(s).entry.notice, `Logged ${expected} h on ${today} (unapproved).`);
    const timed = (await get('/api/v1/time-entries?limit=200')).data.filter((e) => e.description === 'Timer run (e2e)');
    assert.equal(timed.length, 1);
    assert.equal(timed[0].hours, expected);
  });

  await t.step('a staff member logs an expense', async () => {
    await click(page, 'time.tab.expense');
    await choose(page, 'time.expense.engagement', `time.expense.engagement.${pick}`,
      (x) => time(x).expense.engagement_id === engagement.id);
    await replaceText(page, 'time.expense.amount', '42.50');
    await replaceText(page, 'time.expense.description', 'Taxi to client (e2e)');
    await click(page, 'time.expense.save');
    const s = await waitFor(page, (x) => time(x).expense.notice !== '' || time(x).expense.shown_errors.length > 0, 'the expense');
    assert.deepEqual(time(s).expense.shown_errors, []);
    const x = (await get('/api/v1/expenses?limit=200')).data.filter((e) => e.description === 'Taxi to client (e2e)');
    assert.equal(x.length, 1);
    assert.equal(x[0].amount, '42.50');
    assert.equal(x[0].status, 'unapproved');
    await shot(page, 'time-expense-1280.png');
  });

  await t.step('a staff member has no approval queue (no time.approve capability)', async () => {
    const s = await portalState(page);
    assert.equal(time(s).can_approve, false);
    assert.equal((await rects(page))['time.tab.queue'], undefined);
    assert.equal(s.staff.lists['approve.time'], undefined, 'the unapproved list was never asked for');
  });
  await context.close();

  const bctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const bp = await bctx.newPage();
  const bconsole = watchConsole(bp);
  await openPortal(bp, base);
  await signInAs(bp, BILLING, '#/invoices');

  await t.step('billing\'s queue: its own entry cannot be ticked, select all takes the rest, bulk approve', async () => {
    await click(bp, 'nav.time');
    await waitFor(bp, (x) => x.route === '#/time' && x.staff.lists['approve.time']?.loaded && x.staff.lists['approve.expenses']?.loaded &&
      time(x).me !== '', 'the queue');
    await click(bp, 'time.tab.queue');
    let s = await portalState(bp);
    assert.equal(time(s).can_approve, true);
    assert.equal(s.staff.lists['approve.time'].count, 3, 'three unapproved entries');
    assert.equal(s.staff.lists['approve.expenses'].count, 1, 'one unapproved expense');
    assert.deepEqual(time(s).queue.own, [own.body.id], 'billing\'s own entry is marked as its own');
    const box = (await mirror(bp)).find((i) => i.id === `time.queue.time:${own.body.id}`);
    assert.equal(box.disabled, true, 'its checkbox is disabled');
    assert.match(box.name, /another approver must approve it/);
    await click(bp, `time.queue.time:${own.body.id}`);
    s = await portalState(bp);
    assert.deepEqual(time(s).queue.selected, [], 'clicking the disabled checkbox ticks nothing');
    await click(bp, 'time.queue.all');
    s = await waitFor(bp, (x) => time(x).queue.selected.length === 3, 'select all');
    assert.ok(!time(s).queue.selected.includes(`time:${own.body.id}`), 'select all leaves one\'s own out');
    await shot(bp, 'time-queue-1280.png');
    await click(bp, 'time.queue.approve');
    s = await waitFor(bp, (x) => time(x).queue.pending === 0 && time(x).queue.notice !== '', 'the approval');
    assert.deepEqual(time(s).queue.errors, []);
    assert.match(time(s).queue.notice, /Approved 2 time entries\./);
    assert.match(time(s).queue.notice, /Approved 1 expense\./);
    const entries = (await get('/api/v1/time-entries?limit=200')).data;
    for (const e of entries) {
      assert.equal(e.status, e.id === own.body.id ? 'unapproved' : 'approved', `${e.description}: ${e.status}`);
    }
    const expenses = (await get('/api/v1/expenses?limit=200')).data;
    assert.ok(expenses.length === 1 && expenses[0].status === 'approved', 'the expense is approved');
    s = await waitFor(bp, (x) => x.staff.lists['approve.time'].count === 1 && !x.staff.lists['approve.time'].loading, 'the queue reloaded');
    await shot(bp, 'time-queue-after-1280.png');
  });

  await t.step('payment failures show the retry dates on the client\'s calendar, as the server schedules them', async () => {
    await click(bp, 'nav.payments');
    await waitFor(bp, (x) => x.route === '#/payments' && x.staff.lists.payments?.loaded, 'payments');
    await click(bp, 'payments.view.failures');
    const clients = (await get('/api/v1/clients?limit=200')).data;
    const zone = clients.find((c) => c.id === harbor.client_id).time_zone;
    assert.equal(zone, 'America/New_York');
    const s = await waitFor(bp, (x) => time(x).failures.length === 4 && time(x).failures.every((f) => f.retry_dates.length === 3),
      'retry dates computed');
    const expected = serverFailures.slice(0, 3).map((f) => localIn(zone, f.next_retry_at));
    for (const f of time(s).failures) {
      assert.equal(f.zone, zone);
      assert.equal(f.error, '');
      assert.deepEqual(f.retry_dates, expected, `attempt ${f.attempt}: +3/+7/+14 days in ${zone}`);
    }
    const first = localIn(zone, serverFailures[0].failed_at);
    assert.equal(expected[0].slice(11), first.slice(11), 'a retry keeps the first failure\'s local time of day');
    const row = (await mirror(bp)).filter((i) => i.role === 'cell' && i.id.startsWith('payments.failures.row.0.')).map((i) => i.name);
    assert.deepEqual(row, ['INV-0005', 'Harbor Freight Partners', zone, '4 (exhausted)',
      localIn(zone, serverFailures[3].failed_at), ...expected], 'one row per invoice: its latest failure and the schedule');
    await shot(bp, 'time-payment-failures-1280.png');
  });

  await t.step('an alert is acknowledged from the Payments side', async () => {
    const alert = alerts[0];
    await waitFor(bp, (x) => time(x).alerts.some((a) => a.id === alert.id && !a.acknowledged), 'the alert listed');
    await click(bp, `payments.alerts.ack.${alert.id}`);
    const s = await waitFor(bp, (x) => time(x).alerts.some((a) => a.id === alert.id && a.acknowledged), 'acknowledged');
    assert.match(time(s).alert_notice, /^Acknowledged: Autopay failed for invoice/);
    const after = (await get('/api/v1/alerts?kind=autopay_exhausted')).data[0];
    assert.ok(after.acknowledged_at, 'the server has it acknowledged');
    assert.equal(after.acknowledged_by, (await get('/api/v1/auth/me', billing)).membership.id);
    assert.equal((await rects(bp))[`payments.alerts.ack.${alert.id}`], undefined, 'no Acknowledge button any more');
    await shot(bp, 'time-alert-acked-1280.png');
  });

  await t.step('no console errors beyond the refusals the test provoked', async () => {
    assert.deepEqual(consoleLog.unexpected([401, 404, 422, 429]), []);
    assert.deepEqual(bconsole.unexpected([401, 404, 422, 429]), []);
  });
  t.done();
});
