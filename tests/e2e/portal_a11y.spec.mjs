// The accessibility mirror: the login and the invoice list driven through roles and names
// alone (as a screen reader would), and the screen's text present for find-in-page.
import assert from 'node:assert/strict';
import { withPortal, openPortal, waitFor, waitFrames, click, api, checks, STAFF } from './portal_driver.mjs';

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

  await t.step('a click on a column header sorts by it, a second click reverses', async () => {
    const balances = async () => {
      await waitFrames(page, 3);
      const rows = await page.getByRole('table', { name: 'Invoices' }).getByRole('row').all();
      const out = [];
      for (const r of rows.slice(1)) out.push(Number((await r.getAttribute('aria-label')).match(/, ([\d.]+) [A-Z]{3} due$/)[1]));
      return out;
    };
    await click(page, 'invoices.header.Balance due');
    const up = await balances();
    assert.deepEqual(up, [...up].sort((a, b) => a - b), `ascending: ${up}`);
    await click(page, 'invoices.header.Balance due');
    const down = await balances();
    assert.deepEqual(down, [...down].sort((a, b) => b - a), `descending: ${down}`);
    assert.notDeepEqual(up, down);
    await click(page, 'invoices.header.Number');
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
