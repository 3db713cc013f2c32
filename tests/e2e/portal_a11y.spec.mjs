// The accessibility mirror: the login and the invoice list driven through roles and names
// alone (as a screen reader would), and the screen's text present for find-in-page.
import assert from 'node:assert/strict';
import {
  withPortal, openPortal, portalState, waitFor, waitFrames, click, api, checks, STAFF,
} from './portal_driver.mjs';

await withPortal(async ({ browser, base }) => {
  const t = checks();
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  await openPortal(page, base);
  const login = await api(base, 'POST', '/api/v1/auth/login', STAFF);
  const list = (await api(base, 'GET', '/api/v1/invoices?limit=200', null, login.body.token)).body.data;
  const issued = list.find((i) => i.status !== 'draft');

  await t.step('sign in through textboxes and a button found by role and name', async () => {
    await page.getByRole('heading', { name: 'Sign in to ConsultantPro' }).waitFor({ state: 'attached', timeout: 10000 });
    assert.equal(await page.getByRole('textbox', { name: 'Email' }).getAttribute('aria-current'), 'true',
      'the mirror says where the canvas focus is');
    await page.getByRole('textbox', { name: 'Email' }).fill(STAFF.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(STAFF.password);
    await page.getByRole('button', { name: 'Sign in' }).press('Enter');
    await page.getByRole('table', { name: 'Invoices' }).waitFor({ state: 'attached', timeout: 15000 });
  });

  await t.step('the invoice list is a table of rows and cells with names', async () => {
    const table = page.getByRole('table', { name: 'Invoices' });
    await waitFor(page, (s) => s.invoices_loaded, 'the list');
    const rows = table.getByRole('row');
    await page.waitForTimeout(200);
    assert.equal(await rows.count(), list.length + 1, 'a header row and one row per invoice');
    assert.equal(await table.getByRole('columnheader', { name: 'Balance due' }).count(), 1);
    const row = table.getByRole('row', { name: new RegExp(`^${issued.number},`) });
    assert.equal(await row.count(), 1);
    assert.equal(await row.getByRole('cell', { name: `${issued.total} ${issued.currency}` }).count(), 1,
      'the total is a cell');
  });

  await t.step('a click on a column header sorts the whole list on the server; again reverses; a third click restores', async () => {
    const token = login.body.token;
    const serverIds = async (query) =>
      (await api(base, 'GET', `/api/v1/invoices?limit=100${query}`, null, token)).body.data.map((i) => i.id);
    const showsExactly = (ids, sort, what) =>
      waitFor(page, (s) => s.invoice_sort_key === sort && JSON.stringify(s.invoice_ids) === JSON.stringify(ids), what);
    const balances = async () => {
      await waitFrames(page, 3);
      const rows = await page.getByRole('table', { name: 'Invoices' }).getByRole('row').all();
      const out = [];
      for (const r of rows.slice(1)) out.push(Number((await r.getAttribute('aria-label')).match(/, ([\d.]+) [A-Z]{3} due$/)[1]));
      return out;
    };
    await click(page, 'invoices.header.Balance due');
    await showsExactly(await serverIds('&sort=balance_due'), 'balance_due', 'the server\'s ascending order');
    const up = await balances();
    assert.deepEqual(up, [...up].sort((a, b) => a - b), `ascending: ${up}`);
    await click(page, 'invoices.header.Balance due');
    await showsExactly(await serverIds('&sort=-balance_due'), '-balance_due', 'the server\'s descending order');
    const down = await balances();
    assert.deepEqual(down, [...down].sort((a, b) => b - a), `descending: ${down}`);
    assert.notDeepEqual(up, down);
    await click(page, 'invoices.header.Balance due');
    await showsExactly(await serverIds(''), '', 'creation order again');
    await click(page, 'invoices.header.Number');
    const byNumber = await serverIds('&sort=number');
    await showsExactly(byNumber, 'number', 'number order, drafts last');
    // Client is ordered in the portal: the rows in hand are kept, not fetched again.
    await click(page, 'invoices.header.Client');
    await waitFor(page, (s) => s.invoice_sort.column === 1, 'sorted by client');
    const s = await waitFrames(page, 3).then(() => portalState(page));
    assert.equal(s.invoice_sort_key, 'number', 'the rows stay as the server sent them');
    assert.deepEqual(s.invoice_ids, byNumber);
    await click(page, 'invoices.header.Client');
    await click(page, 'invoices.header.Client');  // the third click: creation order again
    await showsExactly(await serverIds(''), '', 'creation order after the client column');
  });

  await t.step('an issue-date range filters on the server; a bad date is named at its field and not sent', async () => {
    const token = login.body.token;
    const dates = list.filter((i) => i.issue_date).map((i) => i.issue_date).sort();
    const from = dates[Math.floor(dates.length / 2)];
    const want = (await api(base, 'GET', `/api/v1/invoices?limit=100&sort=number&issued_from=${from}`, null, token)).body.data.map((i) => i.id);
    assert.ok(want.length > 0 && want.length < list.length, `the range keeps some: ${want.length} of ${list.length}`);
    await page.getByRole('textbox', { name: 'Issued from' }).fill(from);
    await waitFor(page, (s) => JSON.stringify(s.invoice_ids) === JSON.stringify(want), `invoices issued from ${from}`);
    await page.getByRole('textbox', { name: 'to' }).fill('2026-02-30');
    let s = await waitFor(page, (st) => st.invoice_date_errors.length > 0, 'the bad date judged');
    assert.deepEqual(s.invoice_date_errors, ['INVALID_FILTER@issued_to']);
    assert.deepEqual(s.invoice_ids, want, 'nothing was sent');
    const listed = JSON.parse(await page.evaluate(() => Module.ccall('cp_a11y_tree', 'string', [], [])))
      .find((i) => i.id === 'invoices.filter.issued_listed');
    assert.equal(listed?.name, `Listed: issued from ${from}`, 'the range the list still shows is said');
    await waitFrames(page, 2);
    const tree = JSON.parse(await page.evaluate(() => Module.ccall('cp_a11y_tree', 'string', [], [])));
    const alert = tree.find((i) => i.role === 'alert' && i.id === 'error.INVALID_FILTER.issued_to');
    assert.equal(alert?.name, 'Issued to must be a date written YYYY-MM-DD.', 'the message is at the field, in words');
    await page.getByRole('textbox', { name: 'to' }).fill('');
    await page.getByRole('textbox', { name: 'Issued from' }).fill('');
    s = await waitFor(page, (st) => st.invoice_ids.length === list.length, 'the whole list again');
    assert.deepEqual(s.invoice_date_errors, []);
  });

  await t.step('a row opens its invoice; the detail names it', async () => {
    await page.getByRole('table', { name: 'Invoices' }).getByRole('row', { name: new RegExp(`^${issued.number},`) }).press('Enter');
    await page.getByRole('heading', { name: `Invoice ${issued.number}` }).waitFor({ state: 'attached', timeout: 10000 });
    const kinds = await page.getByRole('table', { name: 'Lines' }).getByRole('cell').allTextContents();
    assert.ok(kinds.length > 0);
    for (const k of kinds) assert.doesNotMatch(k, /^[a-z]+_[a-z_]+$/, `no snake_case kind: ${k}`);
  });

  await t.step('find-in-page sees the screen\'s text', async () => {
    const text = await page.evaluate(() => document.body.innerText);
    assert.match(text, new RegExp(issued.number));
    assert.match(text, /Balance due/);
  });

  await t.step('only the current screen is mirrored; choices read in words', async () => {
    assert.equal(await page.getByRole('textbox', { name: 'Email' }).count(), 0, 'the login form is gone');
    await page.getByRole('button', { name: '< Invoices' }).press('Enter');
    await page.getByRole('button', { name: 'New invoice' }).press('Enter');
    const rounding = page.getByRole('combobox', { name: 'Rounding', exact: true });
    await rounding.waitFor({ state: 'attached', timeout: 10000 });
    assert.equal(await rounding.textContent(), 'Half up');
    assert.equal(await page.getByRole('combobox', { name: 'Tax rounding' }).textContent(), 'Per line');
  });
  t.done();
});
