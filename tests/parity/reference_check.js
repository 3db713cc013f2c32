#!/usr/bin/env node
// An independent re-implementation of the core CLI's invoice_totals and billing_period
// rules in JavaScript BigInt (no shared code, no floating point), checked against the
// native CLI's answers for the parity cases: the totals, the dates, and for invalid
// input the first error's code and field. Retry schedules, overdue and package runs are
// checked by reference_check.py (Python zoneinfo over the system tzdata the CLIs read;
// node's ICU time zone data is not that).
// Usage: node reference_check.js cases.jsonl answers.jsonl
'use strict';
const fs = require('fs');

const CURRENCIES = { AED: 2, AUD: 2, BHD: 3, BRL: 2, CAD: 2, CHF: 2, CLP: 0, CNY: 2, CZK: 2, DKK: 2, EUR: 2,
  GBP: 2, HKD: 2, HUF: 2, IDR: 2, ILS: 2, INR: 2, ISK: 0, JOD: 3, JPY: 0, KRW: 0, KWD: 3, MXN: 2, NOK: 2,
  NZD: 2, OMR: 3, PLN: 2, SAR: 2, SEK: 2, SGD: 2, TND: 3, TRY: 2, USD: 2, VND: 0, ZAR: 2, UGX: 0 };
const LIMIT = 999999999999999n;
const KINDS = ['package_fee', 'time', 'expense', 'adjustment', 'late_fee'];

class Fail { constructor(code, field) { this.code = code; this.field = field; } }
const fail = (code, field) => { throw new Fail(code, field); };
const join = (prefix, key) => (prefix ? prefix + '.' + key : key);
const absent = (o, k) => !(k in o) || o[k] === null;

function str(o, prefix, key, { required = false, max = 0, nonEmpty = true } = {}) {
  if (absent(o, key)) { if (required) fail('VALIDATION_REQUIRED', join(prefix, key)); return undefined; }
  const v = o[key];
  if (typeof v !== 'string') fail('INVALID_TYPE', join(prefix, key));
  if (nonEmpty && !/[^ \t\r\n]/.test(v)) fail('VALIDATION_REQUIRED', join(prefix, key));
  if (max && [...v].length > max) fail('STRING_TOO_LONG', join(prefix, key));
  return v;
}
function oneOf(o, prefix, key, allowed, required = false) {
  const v = str(o, prefix, key, { required, nonEmpty: false });
  if (v !== undefined && !allowed.includes(v)) fail('INVALID_ENUM', join(prefix, key));
  return v;
}
// Returns a BigInt scaled by 10^scale.
function decimal(o, prefix, key, scale, required) {
  if (!absent(o, key) && typeof o[key] !== 'string') fail('INVALID_TYPE', join(prefix, key));
  const s = str(o, prefix, key, { required, nonEmpty: false });
  if (s === undefined) return undefined;
  const m = /^(-?)([0-9]+)(?:\.([0-9]+))?$/.exec(s);
  if (!m) fail('INVALID_DECIMAL', join(prefix, key));
  const frac = m[3] || '';
  if (frac.length > scale) fail('TOO_MANY_DECIMALS', join(prefix, key));
  if (m[2].replace(/^0+/, '').length > 14) fail('OUT_OF_RANGE', join(prefix, key));
  const v = BigInt(m[2] + frac.padEnd(scale, '0'));
  return m[1] ? -v : v;
}
function roundDiv(n, d, mode) {
  let q = n / d; const r = n % d;  // BigInt division truncates like C++
  if (r === 0n) return q;
  const twice = (r < 0n ? -r : r) * 2n;
  if (twice > d || (twice === d && (mode === 'half_up' || q % 2n !== 0n))) q += n < 0n ? -1n : 1n;
  return q;
}
function fmt(v, digits) {
  const neg = v < 0n; let s = (neg ? -v : v).toString().padStart(digits + 1, '0');
  if (digits) s = s.slice(0, -digits) + '.' + s.slice(-digits);
  return (neg ? '-' : '') + s;
}

function invoiceTotals(c) {
  const code = str(c, '', 'currency', { required: true });
  if (!(code in CURRENCIES)) fail('UNKNOWN_CURRENCY', 'currency');
  const digits = CURRENCIES[code];
  const rounding = oneOf(c, '', 'rounding', ['half_up', 'half_even']) || 'half_up';
  const mode = oneOf(c, '', 'tax_mode', ['per_line', 'per_document']) || 'per_line';
  const doc = oneOf(c, '', 'document_type', ['invoice', 'credit_note']) || 'invoice';
  const paid = decimal(c, '', 'amount_paid', digits, false);
  if (paid !== undefined && (paid < 0n || paid > LIMIT)) fail('OUT_OF_RANGE', 'amount_paid');
  if (absent(c, 'lines')) fail('VALIDATION_REQUIRED', 'lines');
  if (!Array.isArray(c.lines)) fail('INVALID_TYPE', 'lines');
  if (c.lines.length > 1000) fail('TOO_MANY_LINES', 'lines');
  const lines = c.lines.map((l, i) => {
    const p = `lines[${i}]`;
    if (typeof l !== 'object' || l === null || Array.isArray(l)) fail('INVALID_TYPE', p);
    oneOf(l, p, 'kind', KINDS);
    str(l, p, 'description', { max: 500, nonEmpty: false });
    const q = decimal(l, p, 'quantity', 4, true);
    const u = decimal(l, p, 'unit_price', 4, true);
    const t = decimal(l, p, 'tax_rate', 4, true);
    if (t < 0n || t > 1000000n) fail('OUT_OF_RANGE', p + '.tax_rate');
    return { q, u, t };
  });
  const amounts = lines.map((l, i) => {
    const a = roundDiv(l.q * l.u, 10n ** BigInt(8 - digits), rounding);
    if (a > LIMIT || a < -LIMIT) fail('AMOUNT_OVERFLOW', `lines[${i}].amount`);
    return a;
  });
  const subtotal = amounts.reduce((s, a) => s + a, 0n);
  let tax = 0n;
  if (mode === 'per_line') {
    lines.forEach((l, i) => { tax += roundDiv(amounts[i] * l.t, 1000000n, rounding); });
  } else {
    const groups = new Map();
    lines.forEach((l, i) => groups.set(l.t, (groups.get(l.t) || 0n) + amounts[i]));
    for (const [rate, base] of groups) tax += roundDiv(base * rate, 1000000n, rounding);
  }
  if (subtotal > LIMIT || subtotal < -LIMIT) fail('AMOUNT_OVERFLOW', 'subtotal');
  if (tax > LIMIT || tax < -LIMIT) fail('AMOUNT_OVERFLOW', 'tax');
  const total = subtotal + tax;
  if (total > LIMIT || total < -LIMIT) fail('AMOUNT_OVERFLOW', 'total');
  if (total < 0n && doc !== 'credit_note') fail('NEGATIVE_TOTAL', 'total');
  const balance = total - (paid || 0n);
  if (balance > LIMIT || balance < -LIMIT) fail('AMOUNT_OVERFLOW', 'balance_due');
  return JSON.stringify({ subtotal: fmt(subtotal, digits), tax: fmt(tax, digits), total: fmt(total, digits) });
}

// Dates as [y, m, d]; compared as strings since they are zero-padded ISO.
const isLeap = (y) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
const monthDays = (y, m) => [31, isLeap(y) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
function date(o, key, required) {
  const s = str(o, '', key, { required, nonEmpty: false });
  if (s === undefined) return undefined;
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s);
  if (!m) fail('INVALID_DATE', key);
  const [y, mo, d] = [+m[1], +m[2], +m[3]];
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > monthDays(y, mo)) fail('INVALID_DATE', key);
  return s;
}
const iso = (y, m, d) => `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

function billingPeriod(c) {
  const schedule = oneOf(c, '', 'schedule', ['monthly', 'quarterly', 'annual', 'one_time']) || 'monthly';
  const es = date(c, 'engagement_start', false);
  const ee = date(c, 'engagement_end', false);
  const d = date(c, 'date', true);
  if (es && ee && ee < es) fail('END_BEFORE_START', 'engagement_end');
  if (schedule === 'one_time' && !es) fail('VALIDATION_REQUIRED', 'engagement_start');
  if (schedule === 'one_time' && !ee) fail('VALIDATION_REQUIRED', 'engagement_end');
  if ((es && d < es) || (ee && d > ee)) fail('DATE_OUTSIDE_ENGAGEMENT', 'date');
  if (schedule === 'one_time') return JSON.stringify({ start: es, end: ee });
  const y = +d.slice(0, 4); const m = +d.slice(5, 7);
  let start; let end;
  if (schedule === 'monthly') { start = iso(y, m, 1); end = iso(y, m, monthDays(y, m)); }
  if (schedule === 'quarterly') { const f = Math.floor((m - 1) / 3) * 3 + 1; start = iso(y, f, 1); end = iso(y, f + 2, monthDays(y, f + 2)); }
  if (schedule === 'annual') { start = iso(y, 1, 1); end = iso(y, 12, 31); }
  if (es && start < es) start = es;
  if (ee && end > ee) end = ee;
  return JSON.stringify({ start, end });
}

const cases = fs.readFileSync(process.argv[2], 'utf8').split('\n');
const answers = fs.readFileSync(process.argv[3], 'utf8').split('\n');
let checked = 0; let errorsChecked = 0;
for (let i = 0; i < answers.length - 1; i++) {
  const answer = answers[i];
  if (answer.includes('"INVALID_JSON"')) continue;  // JSON.parse and nlohmann disagree on e.g. lone surrogates
  let c;
  try { c = JSON.parse(cases[i]); } catch (e) { continue; }
  if (typeof c !== 'object' || c === null || Array.isArray(c)) continue;
  const op = c.op;
  if (op !== 'invoice_totals' && op !== 'billing_period') continue;
  let expected;
  try {
    expected = op === 'invoice_totals' ? invoiceTotals(c) : billingPeriod(c);
  } catch (e) {
    if (!(e instanceof Fail)) throw e;
    const got = JSON.parse(answer);
    if (got.error && got.error.code === e.code && got.error.field === e.field) { checked++; errorsChecked++; continue; }
    expected = `error ${e.code} at "${e.field}"`;
  }
  if (answer !== expected) {
    console.error(`reference: MISMATCH at line ${i + 1}\ncase:      ${cases[i].slice(0, 2000)}\ncore:      ${answer}\nreference: ${expected}`);
    process.exit(1);
  }
  checked++;
}
console.log(`reference: ${checked} invoice_totals/billing_period answers match the BigInt reference (${errorsChecked} of them errors)`);
