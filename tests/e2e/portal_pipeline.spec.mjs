// The Pipeline section through the UI alone (issue 14's "done when"): the owner opens the
// board, whose figures are the server's pipeline report; a lead without a company shows the
// core's error at its field and is not sent; the demo lead Contoso Advisory moves to
// contacted (its "Move to…" control), to qualified (Shift+Right on the selected card) and
// becomes a prospect; a proposal with a package line shows a live total equal to the core's
// (the server's preview and the proposal it stores); it is sent and accepted for the client,
// and the client and engagement v1 it opened carry the proposal's pricing (API) and appear
// in Clients and Engagements (UI). Screenshots: pipeline-*.png at 1280×800 and 375×667.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import {
  withPortal, openPortal, signIn, waitFor, waitFrames, click, replaceText, holdKey, api, checks, watchConsole,
  rects, shotsDir, STAFF, getter, mirror, shot, tokenOf,
} from './portal_driver.mjs';

async function mirrorItem(page, id) {
  return (await mirror(page)).find((i) => i.id === id);
}
const pipeline = (x) => x.staff && x.staff.pipeline;
const find = (cards, id) => cards.find((c) => c.id === id);

await withPortal(async ({ browser, base }) => {
  const t = checks();
  const token = await tokenOf(base, STAFF);
  const get = getter(base, token);
  const lead = (await get('/api/v1/leads?status=new')).data.find((l) => l.company === 'Contoso Advisory');
  assert.ok(lead, 'the demo seed has the lead Contoso Advisory');
  const card = `pipeline.card.${lead.id}`;

  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleLog = watchConsole(page);
  await openPortal(page, base);
  await signIn(page, STAFF);

  await t.step('the board: the report\'s figures on top, the demo lead under New', async () => {
    await click(page, 'nav.pipeline');
    const s = await waitFor(page, (x) => x.route === '#/pipeline' && pipeline(x).report_loaded && !pipeline(x).report_loading &&
      x.staff.lists.leads && x.staff.lists.leads.loaded && x.staff.lists.proposals.loaded, 'the board');
    const report = await get('/api/v1/reports/pipeline');
    assert.deepEqual(s.staff.pipeline.report.leads, report.leads, 'the server\'s report');
    const open = report.leads.filter((e) => ['new', 'contacted', 'qualified'].includes(e.stage));
    const count = open.reduce((n, e) => n + e.count, 0);
    assert.equal((await mirrorItem(page, 'pipeline.figure.leads')).name, `Leads, new to qualified: ${count} (24000.00 USD)`);
    assert.equal((await mirrorItem(page, 'pipeline.figure.win_rate')).name.split(' (')[0], 'Win rate: -', 'none decided yet');
    const newStage = report.leads.find((e) => e.stage === 'new');
    assert.equal((await mirrorItem(page, 'pipeline.leads.new')).name, `New: ${newStage.count}, ${newStage.value.USD} USD`);
    assert.equal(find(s.staff.pipeline.leads, lead.id).stage, 'new');
    assert.match((await mirrorItem(page, card)).name, /^Contoso Advisory, 24000\.00 USD$/);
    const crumbs = await mirrorItem(page, 'crumbs');
    assert.equal(crumbs.name, 'You are here: Demo Consulting LLC / Pipeline');
    await shot(page, 'pipeline-board-1280.png');
  });

  await t.step('a new lead without a company: the core\'s error at the field, nothing sent', async () => {
    await click(page, 'pipeline.new_lead');
    await waitFor(page, (x) => x.route === '#/pipeline/new-lead', 'the lead editor');
    await replaceText(page, 'lead.contact_name', 'Dana Doe');
    const s = await waitFor(page, (x) => pipeline(x).lead_form.shown_errors.length > 0, 'the company error');
    const server = await api(base, 'POST', '/api/v1/leads', { contact_name: 'Dana Doe' }, token);
    assert.equal(server.status, 422);
    assert.deepEqual(s.staff.pipeline.lead_form.shown_errors, server.body.errors.map((e) => `${e.code}@${e.field}`),
      'the portal says what the server says');
    assert.ok(s.staff.pipeline.lead_form.shown_errors.every((e) => e.endsWith('@company')));
    const r = await rects(page);
    const error = r[`error.${server.body.errors[0].code}.company`];
    assert.ok(error, 'the error is drawn');
    assert.ok(error.y > r['lead.company'].y && error.y < r['lead.contact_name'].y, 'under the company field, above the next');
    await shot(page, 'pipeline-lead-error-1280.png');
    const before = (await get('/api/v1/leads?limit=200')).data.length;
    await click(page, 'lead.save');
    await waitFrames(page, 5);
    assert.equal((await get('/api/v1/leads?limit=200')).data.length, before, 'the core refused: nothing was sent');
    await click(page, 'lead.cancel');
    await waitFor(page, (x) => x.route === '#/pipeline', 'the board again');
  });

  await t.step('Contoso Advisory: contacted (Move to…), qualified (Shift+Right), then a prospect', async () => {
    await waitFor(page, (x) => x.staff.lists.leads.loaded && !x.staff.lists.leads.loading, 'the leads');
    await click(page, `${card}.move`);
    await click(page, `${card}.move.contacted`);
    await waitFor(page, (x) => find(pipeline(x).leads, lead.id).stage === 'contacted' && !pipeline(x).moving, 'contacted');
    assert.equal((await get(`/api/v1/leads/${lead.id}`)).status, 'contacted');
    await click(page, card);  // selects it (the keyboard cursor)
    await waitFor(page, (x) => pipeline(x).selected === lead.id, 'the card selected');
    await holdKey(page, 'ArrowRight', 'Shift');
    await waitFor(page, (x) => find(pipeline(x).leads, lead.id).stage === 'qualified' && !pipeline(x).moving, 'qualified');
    assert.equal((await get(`/api/v1/leads/${lead.id}`)).status, 'qualified');
    const closeBy = (await waitFor(page, (x) => pipeline(x).close_by !== '', 'a close date')).staff.pipeline.close_by;
    await click(page, `${card}.move`);
    await click(page, `${card}.move.prospect`);
    const s = await waitFor(page, (x) => pipeline(x).prospects.some((p) => p.lead_id === lead.id) && !pipeline(x).moving,
      'the prospect');
    const prospect = (await get('/api/v1/prospects?limit=200')).data.find((p) => p.lead_id === lead.id);
    assert.ok(prospect, 'the server has the prospect');
    assert.equal(prospect.company, 'Contoso Advisory');
    assert.equal(prospect.expected_close_date, closeBy);
    assert.equal(find(s.staff.pipeline.prospects, prospect.id).stage, 'discovery');
    assert.equal(await mirrorItem(page, card), undefined, 'the converted lead leaves the lead columns');
    assert.ok(await mirrorItem(page, `pipeline.card.${prospect.id}`), 'its prospect card is on the board');
    await shot(page, 'pipeline-prospect-1280.png');
  });

  let proposalId;
  let shownTotal;
  await t.step('a proposal with a package line: the live total shown is the core\'s', async () => {
    const prospect = (await get('/api/v1/prospects?limit=200')).data.find((p) => p.lead_id === lead.id);
    await click(page, `pipeline.card.${prospect.id}.open`);
    await waitFor(page, (x) => x.route === '#/pipeline/new-proposal' && pipeline(x).proposal_form.prospect_id === prospect.id,
      'the proposal editor for the prospect');
    await replaceText(page, 'proposal.title', 'Finance package');
    await replaceText(page, 'proposal.package_fee', '2000.00');
    await replaceText(page, 'proposal.line.0.description', 'Monthly finance package');
    await replaceText(page, 'proposal.line.0.quantity', '12');
    await replaceText(page, 'proposal.line.0.unit_price', '2000.00');
    await replaceText(page, 'proposal.line.0.tax_rate', '8.875');
    const s = await waitFor(page, (x) => pipeline(x).proposal_form.preview && pipeline(x).proposal_form.preview.subtotal === '24000.00',
      'the live totals');
    const core = await api(base, 'POST', '/api/v1/invoices/preview', { currency: 'USD', lines: [{ kind: 'package_fee',
      description: 'Monthly finance package', quantity: '12', unit_price: '2000.00', tax_rate: '8.875' }] }, token);
    assert.equal(core.status, 200, JSON.stringify(core.body));
    shownTotal = s.staff.pipeline.proposal_form.preview.total;
    assert.equal(shownTotal, core.body.total, 'the core\'s total (the server runs the same core)');
    assert.equal(shownTotal, '26130.00', '12 × 2000.00 + 8.875 % tax');
    assert.equal((await mirrorItem(page, 'proposal.total')).name, `Total: ${core.body.total} USD`, 'and that is what is shown');
    assert.equal((await mirrorItem(page, 'proposal.tax')).name, `Tax: ${core.body.tax} USD`);
    assert.equal((await mirrorItem(page, 'proposal.line.0.amount')).name, `${core.body.lines[0].amount} USD`);
    assert.deepEqual(s.staff.pipeline.proposal_form.shown_errors, [], 'a valid proposal shows no errors');
    await shot(page, 'pipeline-proposal-new-1280.png');
    await click(page, 'proposal.save');
    const saved = await waitFor(page, (x) => /^#\/pipeline\/prop_/.test(x.route) && pipeline(x).proposal_form.stored_total !== '' &&
      !pipeline(x).proposal_form.saving, 'the saved draft');
    proposalId = saved.route.slice('#/pipeline/'.length);
    const stored = await get(`/api/v1/proposals/${proposalId}`);
    assert.equal(stored.total, shownTotal, 'the server stored the total the editor showed');
    assert.equal(stored.status, 'draft');
    assert.equal(stored.package_fee, '2000.00');
  });

  await t.step('sent, then accepted for the client: the client and engagement v1 carry its pricing', async () => {
    await click(page, 'proposal.send');
    await waitFor(page, (x) => pipeline(x).proposal_form.status === 'sent' && !pipeline(x).proposal_form.acting, 'sent');
    assert.equal((await get(`/api/v1/proposals/${proposalId}`)).status, 'sent');
    await click(page, 'proposal.accept');
    const s = await waitFor(page, (x) => pipeline(x).proposal_form.acceptance && pipeline(x).proposal_form.status === 'accepted',
      'the acceptance');
    const accepted = s.staff.pipeline.proposal_form.acceptance;
    const proposal = await get(`/api/v1/proposals/${proposalId}`);
    assert.equal(proposal.status, 'accepted');
    const clients = (await get('/api/v1/clients?limit=200&q=Contoso')).data;
    assert.equal(clients.length, 1, 'one client, Contoso Advisory');
    assert.equal(clients[0].company_name, 'Contoso Advisory');
    assert.equal(clients[0].id, accepted.client_id, 'the one the portal links to');
    assert.equal(clients[0].billing_email, 'carla@contoso.test', 'the lead\'s contact email');
    const engagements = (await get(`/api/v1/engagements?client_id=${clients[0].id}`)).data;
    assert.equal(engagements.length, 1);
    const e = engagements[0];
    assert.equal(e.id, accepted.engagement_id);
    assert.equal(e.version, 1);
    assert.equal(e.status, 'current');
    assert.equal(e.name, 'Finance package');
    assert.equal(e.pricing_mode, proposal.pricing_mode);
    assert.equal(e.package_fee, proposal.package_fee);
    assert.equal(e.package_fee, '2000.00');
    assert.equal(e.schedule, proposal.schedule);
    assert.equal(e.start_date, proposal.start_date);
    assert.equal(e.payment_terms_days, proposal.payment_terms_days);
    // Ready to bill: the package run (dry) would invoice its first period now.
    const run = await api(base, 'POST', '/api/v1/billing/package-run', { date: e.start_date, dry_run: true }, token);
    assert.equal(run.status, 200, JSON.stringify(run.body));
    const bill = run.body.invoices.find((i) => i.engagement_id === e.id);
    assert.ok(bill, `the package run would bill it: ${JSON.stringify(run.body)}`);
    assert.equal(bill.total, '2000.00', 'one period\'s package fee');
    assert.match((await mirrorItem(page, 'proposal.engagement_link')).name, /^Engagement v1: Finance package \(Package, 2000\.00 USD, Monthly\)$/);
    await shot(page, 'pipeline-accepted-1280.png');
  });

  await t.step('the links lead to the new client; it is in Clients and its engagement in Engagements', async () => {
    const client = (await get('/api/v1/clients?limit=200&q=Contoso')).data[0];
    await click(page, 'proposal.client_link');
    await waitFor(page, (x) => x.route === `#/clients/${client.id}` && x.staff.client_form.company_name === 'Contoso Advisory',
      'the client\'s page');
    await click(page, 'nav.clients');
    await waitFor(page, (x) => x.route === '#/clients' && x.staff.lists.clients.loaded && !x.staff.lists.clients.loading, 'clients');
    const cells = (await mirror(page)).filter((i) => i.role === 'cell').map((i) => i.name);
    assert.ok(cells.includes('Contoso Advisory'), `Contoso Advisory is listed: ${cells.join(', ')}`);
    await shot(page, 'pipeline-clients-1280.png');
    await click(page, 'nav.engagements');
    await waitFor(page, (x) => x.route === '#/engagements' && x.staff.lists.engagements.loaded && !x.staff.lists.engagements.loading,
      'engagements');
    const rows = (await mirror(page)).filter((i) => i.role === 'cell').map((i) => i.name);
    assert.ok(rows.includes('Finance package'), 'the engagement is listed');
  });

  await t.step('the board afterwards: won, accepted, and a 100 % win rate from the report', async () => {
    await click(page, 'nav.pipeline');
    const s = await waitFor(page, (x) => x.route === '#/pipeline' && pipeline(x).report_loaded && !pipeline(x).report_loading &&
      find(pipeline(x).proposals, proposalId) && find(pipeline(x).proposals, proposalId).stage === 'accepted', 'the board');
    const report = await get('/api/v1/reports/pipeline');
    assert.deepEqual(report.win_rate.percent, '100.00');
    assert.equal((await mirrorItem(page, 'pipeline.figure.win_rate')).name, 'Win rate: 100.00 % (1 won of 1 decided)');
    assert.equal(s.staff.pipeline.prospects.find((p) => p.lead_id === lead.id).stage, 'won');
    const accepted = report.proposals.find((e) => e.stage === 'accepted');
    assert.equal((await mirrorItem(page, 'pipeline.proposals.accepted')).name, `Accepted: 1, ${accepted.value.USD} USD`);
    assert.equal(accepted.value.USD, shownTotal);
    await shot(page, 'pipeline-board-after-1280.png');
  });

  await t.step('a staff member reads the board but moves nothing (no clients.write)', async () => {
    const made = await api(base, 'POST', '/api/v1/leads', { company: 'Initech Partners', estimated_value: '5000.00' }, token);
    assert.equal(made.status, 201, JSON.stringify(made.body));
    const other = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
    const p = await other.newPage();
    await openPortal(p, base);
    await replaceText(p, 'login.email', 'staff@demo.test');
    await replaceText(p, 'login.password', STAFF.password);
    await click(p, 'login.submit');
    await waitFor(p, (x) => x.signed_in && x.route === '#/clients', 'the staff member signed in');
    await click(p, 'nav.pipeline');
    await waitFor(p, (x) => x.route === '#/pipeline' && pipeline(x).report_loaded && x.staff.lists.leads &&
      x.staff.lists.leads.loaded && find(pipeline(x).leads, made.body.id), 'the board with the new lead');
    const items = await mirror(p);
    assert.ok(!items.some((i) => i.id === 'pipeline.new_lead'), 'no New lead button');
    const move = items.find((i) => i.id === `pipeline.card.${made.body.id}.move`);
    assert.ok(move, 'the card has its Move to… control');
    assert.equal(move.disabled, true, 'disabled for a staff member');
    await click(p, `pipeline.card.${made.body.id}.move`);
    await waitFrames(p, 3);
    assert.equal((await get(`/api/v1/leads/${made.body.id}`)).status, 'new', 'nothing moved');
    await shot(p, 'pipeline-staff-member-1280.png');
    await other.close();
  });

  await t.step('375 px: the columns stack and the board still reads', async () => {
    const phone = await browser.newContext({ viewport: { width: 375, height: 667 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true });
    const p = await phone.newPage();
    await openPortal(p, base);
    await signIn(p, STAFF);
    await p.goto(`${base}/#/pipeline`);
    await waitFor(p, (x) => x.route === '#/pipeline' && pipeline(x).report_loaded && x.staff.lists.proposals.loaded, 'the board');
    await shot(p, 'pipeline-board-375.png');
    await phone.close();
  });

  await t.step('no console errors beyond the refusal the test provoked', async () => {
    assert.deepEqual(consoleLog.unexpected([401, 422]), []);
  });
  t.done();
});
