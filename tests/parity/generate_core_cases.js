#!/usr/bin/env node
// Writes N deterministic JSON-lines cases for the core CLI (default 120000) to stdout,
// covering every op, valid and invalid: the input of core_cli_parity.test.sh.
// Usage: node generate_core_cases.js [count] [seed]
// Node, not Python: node is already required for the Wasm half, so no new dependency.
'use strict';

const count = Number(process.argv[2] || 120000);
let state = (Number(process.argv[3] || 20240229) >>> 0) || 1;

// xorshift32: tiny, deterministic, same sequence on every machine.
function next() {
  state ^= state << 13; state >>>= 0;
  state ^= state >>> 17;
  state ^= state << 5; state >>>= 0;
  return state;
}
const int = (n) => next() % n;                  // 0 .. n-1
const pick = (a) => a[int(a.length)];
const chance = (p) => next() / 4294967296 < p;
const digits = (n) => { let s = ''; for (let i = 0; i < n; i++) s += String(int(10)); return s; };

const CURRENCIES = ['USD', 'EUR', 'GBP', 'CAD', 'AUD', 'CHF', 'JPY', 'CLP', 'KRW', 'KWD', 'BHD', 'JOD', 'SEK'];
const BAD_CURRENCIES = ['usd', 'XXX', '', 'US', 'DOLLAR', 'EURO'];
const RATES = ['0', '5', '8.875', '9.975', '20', '7.25', '13', '21', '0.0001', '100', '99.9999', '6.5'];
const ZONES = ['America/New_York', 'Europe/London', 'Europe/Paris', 'America/Los_Angeles', 'Asia/Tokyo',
  'Australia/Sydney', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'America/Santiago', 'Pacific/Apia',
  'America/St_Johns', 'Africa/Casablanca', 'Asia/Tehran', 'Pacific/Chatham', 'America/Sao_Paulo',
  'Europe/Dublin', 'UTC', 'Etc/GMT+5', 'America/Argentina/Buenos_Aires', 'Asia/Kolkata', 'Europe/Moscow',
  'America/Havana', 'Antarctica/Troll', 'Pacific/Kiritimati'];
const BAD_ZONES = ['Mars/Olympus', '../../etc/passwd', '/etc/passwd', 'America', 'zone.tab', '', 'America//New_York',
  'posixrules', 'Europe/London/', 'a'.repeat(65)];
const SCHEDULES = ['monthly', 'quarterly', 'annual', 'one_time'];

function decimal(maxIntDigits, maxDecimals) {
  let s = String(BigInt('1' + digits(1 + int(maxIntDigits))) % (10n ** BigInt(1 + int(maxIntDigits))));
  const d = int(maxDecimals + 1);
  if (d > 0) s += '.' + digits(d);
  return s;
}

function quantity() {
  if (chance(0.1)) return pick(['0', '1', '0.5', '0.0001', '1.5', '24', '-1', '-0.5', '0.3333']);
  const q = decimal(chance(0.9) ? 3 : 14, 4);
  return chance(0.12) ? '-' + q : q;
}
function unitPrice() {
  if (chance(0.1)) return pick(['0.05', '0.005', '0.015', '0.025', '120.00', '1000000', '0.0001', '-10', '99999999999999.9999']);
  const p = decimal(chance(0.9) ? 5 : 14, 4);
  return chance(0.08) ? '-' + p : p;
}
function taxRate() {
  return chance(0.85) ? pick(RATES) : decimal(2, 4);
}

function badDecimal() {
  return pick(['', 'abc', '1e3', '+1', ' 1', '1.', '.5', '1,5', '--1', '1.23456', '123456789012345',
    '0x10', 'NaN', '١', '1.2.3', '-', '99999999999999999999999']);
}
function badValue() {
  return pick([1, 1.5, true, null, [], {}, -3, 1e300, 'x']);
}

function line(valid) {
  const l = {};
  if (chance(0.3)) l.kind = pick(['time', 'package_fee', 'expense', 'adjustment', 'late_fee']);
  if (chance(0.2)) l.description = pick(['Strategy workshop', 'Retainer — März', 'ß∂ƒ 会議 🚀', 'x'.repeat(int(600)), '']);
  l.quantity = quantity();
  l.unit_price = unitPrice();
  l.tax_rate = taxRate();
  if (!valid) {
    const k = pick(['quantity', 'unit_price', 'tax_rate', 'kind', 'description', 'drop', 'rate']);
    if (k === 'drop') delete l[pick(['quantity', 'unit_price', 'tax_rate'])];
    else if (k === 'rate') l.tax_rate = pick(['100.0001', '-1', '250', '-0.0001']);
    else if (k === 'kind') l.kind = pick(['hours', 7, '', 'TIME']);
    else if (k === 'description') l.description = chance(0.5) ? 42 : 'y'.repeat(501);
    else l[k] = chance(0.6) ? badDecimal() : badValue();
  }
  return l;
}

function invoiceDraft(op) {
  const c = { op };
  if (!chance(0.02)) c.currency = chance(0.97) ? pick(CURRENCIES) : pick(BAD_CURRENCIES);
  if (chance(0.9)) c.rounding = chance(0.98) ? pick(['half_up', 'half_even']) : pick(['up', 'HALF_UP', 3]);
  if (chance(0.9)) c.tax_mode = chance(0.98) ? pick(['per_line', 'per_document']) : pick(['per_invoice', null, false]);
  if (chance(0.3)) c.document_type = chance(0.97) ? pick(['invoice', 'credit_note']) : 'receipt';
  if (chance(0.15)) c.amount_paid = chance(0.9) ? decimal(4, 3) : pick(['-1', 'x', 5]);
  const n = chance(0.05) ? 0 : 1 + int(chance(0.9) ? 6 : 40);
  if (!chance(0.02)) {
    c.lines = [];
    for (let i = 0; i < n; i++) c.lines.push(line(!chance(0.04)));
    if (chance(0.01)) c.lines = pick(['x', 3, {}, null]);
  }
  return c;
}

function date(valid = true) {
  if (!valid) return pick(['2023-02-29', '2024-13-01', '2024-04-31', '24-01-01', '2024/01/01', '', 'today', 20240101,
    '2024-01-01T00:00:00Z', '0000-01-01', '2024-1-1']);
  if (chance(0.25)) {
    const y = pick([2000, 2023, 2024, 2025, 2100, 1999, 9999, 1]);
    return pick([`${y}-02-28`, `${y}-12-31`, `${y}-01-01`, `${y}-03-31`, `${y}-06-30`, `${y}-09-30`,
      y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0) ? `${y}-02-29` : `${y}-02-28`]);
  }
  const y = 1990 + int(60);
  const m = 1 + int(12);
  const dim = [31, (y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0)) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1];
  return `${y}-${String(m).padStart(2, '0')}-${String(1 + int(dim)).padStart(2, '0')}`;
}
// Calendar days since 1970-01-01 (Hinnant's algorithm; JS Date maps years 0..99 to 19xx).
function dayNumber(s) {
  let y = +s.slice(0, 4); const m = +s.slice(5, 7); const d = +s.slice(8, 10);
  y -= m <= 2 ? 1 : 0;
  const era = Math.floor(y / 400); const yoe = y - era * 400;
  const doy = Math.floor((153 * ((m + 9) % 12) + 2) / 5) + d - 1;
  return era * 146097 + yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy - 719468;
}
function fromDayNumber(n) {
  // Clamped to the four-digit years the core accepts.
  n = Math.min(Math.max(n, dayNumber('0001-01-01')), dayNumber('9999-12-31'));
  const z = n + 719468; const era = Math.floor(z / 146097); const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1; const m = mp < 10 ? mp + 3 : mp - 9;
  const y = yoe + era * 400 + (m <= 2 ? 1 : 0);
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function billingPeriod(op) {
  const c = { op };
  if (chance(0.95)) c.schedule = chance(0.97) ? pick(SCHEDULES) : pick(['weekly', 'MONTHLY', 1]);
  const d = date(!chance(0.03));
  if (!chance(0.02)) c.date = d;
  if (typeof d === 'string' && /^\d{4}-\d\d-\d\d$/.test(d) && d > '0001-12-31' && d < '9998-01-01' && !chance(0.03)) {
    const base = dayNumber(d);
    if (chance(0.8)) c.engagement_start = fromDayNumber(base - int(chance(0.9) ? 400 : 5) + (chance(0.05) ? 30 : 0));
    if (chance(0.7)) c.engagement_end = fromDayNumber(base + int(chance(0.9) ? 400 : 5) - (chance(0.05) ? 30 : 0));
  } else if (chance(0.5)) {
    c.engagement_start = date(chance(0.7));
  }
  return c;
}

function instant(valid = true) {
  if (!valid) return pick(['2024-03-09T15:00:00', '2024-03-09 15:00:00Z', '2024-03-09T24:00:00Z', '2024-03-09T15:00:00.5Z',
    '2024-02-30T00:00:00Z', '', 1709996400, '9999-12-30T00:00:00Z', 'now']);
  // Bias towards DST changes: March, April, October, November and the southern spring.
  let t;
  if (chance(0.5)) {
    const y = 1970 + int(80);
    const m = pick([2, 3, 3, 4, 9, 10, 10, 11, 0, 5]);
    t = Date.UTC(y, m, 1 + int(28), int(24), pick([0, 0, 15, 30, 45, int(60)]), pick([0, 0, int(60)]));
  } else {
    t = -2208988800000 + int(4294967295) * 1000 * 1.2;  // 1900 .. ~2063, seconds resolution
    t = Math.floor(t / 1000) * 1000;
  }
  const iso = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  if (chance(0.1)) {
    // Same instant written with an offset.
    const off = pick([-330, -300, 60, 330, 345, 0]);
    const local = new Date(t + off * 60000).toISOString().slice(0, 19);
    const sign = off < 0 ? '-' : '+';
    const a = Math.abs(off);
    return `${local}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
  }
  return iso;
}

function retrySchedule(op) {
  const c = { op };
  if (!chance(0.02)) c.first_failure = instant(!chance(0.04));
  if (!chance(0.02)) c.time_zone = chance(0.95) ? pick(ZONES) : pick(BAD_ZONES.concat([7, null]));
  return c;
}

function overdue(op) {
  const c = { op, due_date: date(!chance(0.03)), now: instant(!chance(0.03)), time_zone: chance(0.97) ? pick(ZONES) : pick(BAD_ZONES) };
  if (typeof c.now === 'string' && /^\d{4}-\d\d-\d\dT/.test(c.now) && c.now > '0002' && chance(0.4)) {
    // Due dates around the aging buckets' edges (days past due 0/1, 30/31, 60/61, 90/91 in
    // the client's zone, give or take the zone's offset from UTC).
    c.due_date = fromDayNumber(dayNumber(c.now.slice(0, 10)) - pick([-1, 0, 1, 29, 30, 31, 32, 59, 60, 61, 89, 90, 91, 92]));
  }
  if (chance(0.02)) delete c[pick(['due_date', 'now', 'time_zone'])];
  return c;
}

function packageRuns(op) {
  const c = { op, schedule: pick(SCHEDULES) };
  const start = date();
  c.engagement_start = start;
  if (chance(0.6)) c.engagement_end = fromDayNumber(dayNumber(start) + int(1500) - (chance(0.05) ? 1600 : 0));
  c.from = fromDayNumber(dayNumber(start) - 100 + int(400));
  c.to = fromDayNumber(dayNumber(c.from) + int(chance(0.95) ? 800 : 40000) - (chance(0.03) ? 900 : 0));
  if (chance(0.03)) c[pick(['from', 'to', 'engagement_start'])] = date(false);
  return c;
}

function garbage() {
  return pick([
    () => 'not json',
    () => '',
    () => '[1,2,3]',
    () => '"just a string"',
    () => 'null',
    () => '{"op":"frobnicate"}',
    () => '{"op":7}',
    () => '{}',
    () => '{"op":null}',
    () => '{"op":"invoice_totals"',
    () => '['.repeat(int(3000)),
    () => { const n = 1 + int(20000); return '['.repeat(n) + ']'.repeat(n); },
    () => '{"op":"invoice_totals","currency":"EUR","lines":[],"x":' + '{"a":'.repeat(5000) + '1' + '}'.repeat(5000) + '}',
    () => '{"op":"invoice_totals","currency":"USD","lines":[' + Array(1001).fill('{"quantity":"1","unit_price":"1","tax_rate":"0"}').join(',') + ']}',
    () => '{"op":"invoice_totals","currency":"USD","lines":[' + Array(1000).fill('{"quantity":"99999999999","unit_price":"99.99","tax_rate":"100"}').join(',') + ']}',
    () => '{"op":"invoice_totals","currency":"USD","lines":[{"quantity":1e999,"unit_price":"1","tax_rate":"0"}]}',
    () => '{"op":"invoice_totals","currency":"USD","lines":[{"quantity":"1","unit_price":"1","tax_rate":"0"}],"op":"billing_period"}',
    () => '{"op":"retry_schedule","first_failure":"2024-03-09T15:00:00Z","time_zone":"America/New_York","extra":{"deep":[[[[1]]]]}}',
    () => '{"op":"invoice_totals","currency":"\\u0055SD","lines":[]}',
    () => '{"op":"invoice_totals","currency":"USD","lines":[{"quantity":"\\u0031","unit_price":"2","tax_rate":"0"}]}',
  ])();
}

const out = [];
const flush = () => { if (out.length === 0) return; process.stdout.write(out.join('\n') + '\n'); out.length = 0; };
for (let i = 0; i < count; i++) {
  const r = int(100);
  let c;
  if (r < 40) c = invoiceDraft('invoice_totals');
  else if (r < 58) c = billingPeriod('billing_period');
  else if (r < 78) c = retrySchedule('retry_schedule');
  else if (r < 86) c = overdue('overdue');
  else if (r < 91) c = packageRuns('package_runs');
  else if (r < 97) c = invoiceDraft('invoice_preview');
  else c = null;
  out.push(c === null ? garbage() : JSON.stringify(c));
  if (out.length >= 5000) flush();
}
flush();
