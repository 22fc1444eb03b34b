// The merchant-operations dashboard: plain DOM, no framework, no network beyond this server's
// own JSON API. The page's URL (date, version, q, currency, flag, after) is its whole state, so a
// pasted link shows the same rows and numbers. Money arrives as strings of integer minor units
// and is formatted with string arithmetic only (never through floating point).

import { formatMinor } from './format.js';

const $ = (id) => document.getElementById(id);
const PARAMS = ['date', 'version', 'q', 'currency', 'flag', 'after'];

function state() {
  const url = new URL(location.href);
  return Object.fromEntries(PARAMS.map((p) => [p, url.searchParams.get(p) ?? '']));
}

function setUrl(next, replace) {
  const url = new URL(location.href);
  url.search = '';
  for (const p of PARAMS) if (next[p]) url.searchParams.set(p, next[p]);
  history[replace ? 'replaceState' : 'pushState'](null, '', url);
}

function go(next) {
  setUrl(next, false);
  void render();
}

async function api(path, params = {}) {
  const url = new URL(path, location.origin);
  for (const [k, v] of Object.entries(params)) if (v) url.searchParams.set(k, v);
  const response = await fetch(url, { headers: { Accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok) throw new Error(body.error ?? `${response.status} ${response.statusText}`);
  return body;
}

function status(text, error = false) {
  $('status').textContent = text;
  $('status').className = error ? 'error' : '';
}

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function row(cells) {
  const tr = document.createElement('tr');
  tr.append(...cells);
  return tr;
}

function options(select, items, selected) {
  select.replaceChildren(
    ...items.map(([value, label]) => {
      const option = new Option(label, value);
      option.selected = value === selected;
      return option;
    }),
  );
}

function showVersion(summary, dateEntry) {
  $('about').hidden = false;
  $('version-name').textContent = summary.version;
  const facts = [
    ['Settlement date', summary.settlement_date],
    ['Published at', summary.published_at],
    ['Current', dateEntry.current_version === summary.version ? 'yes' : `no (current: ${dateEntry.current_version ?? 'none'})`],
    ['Rows / merchants', `${summary.rows} / ${summary.merchants}`],
    ['Input epoch', summary.lineage.input_epoch],
    ['Opening version', summary.lineage.opening_version ?? '—'],
    ['Supersedes', summary.lineage.supersedes ?? '—'],
    ['Manifest sha256', summary.lineage.manifest_sha256],
    ['Content checksum', summary.content_checksum],
  ];
  $('lineage').replaceChildren(
    ...facts.flatMap(([term, value]) => {
      const dt = document.createElement('dt');
      const dd = document.createElement('dd');
      dt.textContent = term;
      dd.textContent = value;
      return [dt, dd];
    }),
  );
  const shards = summary.incomplete_shards;
  $('incomplete').hidden = shards.length === 0;
  $('incomplete').textContent = `Incomplete books: ${shards.map((s) => `shard ${s.shard_id} (${s.reasons.join(', ')})`).join('; ')}.`;
  $('totals-section').hidden = false;
  $('totals').tBodies[0].replaceChildren(
    ...summary.currencies.map((c) =>
      row([
        cell(c.currency),
        cell(String(c.rows), 'num'),
        ...['available_balance', 'holds_balance', 'reserve_balance', 'payouts_failed'].map((m) => cell(formatMinor(c.totals[m], c.decimals), 'num')),
        cell(String(c.reserve_review), 'num'),
        cell(String(c.books_incomplete), 'num'),
        cell(String(c.payout_eligible), 'num'),
      ]),
    ),
  );
  const currencies = summary.currencies.map((c) => [c.currency, c.currency]);
  options($('currency'), [['', 'All'], ...currencies], state().currency);
}

/** "complete", or "incomplete" with the reason (missing_segment:<shard>, replica_lag:<shard>) under it. */
function books(r) {
  if (r.books_complete) return cell('complete');
  const td = cell('incomplete ', 'flag');
  const reason = document.createElement('small');
  reason.className = 'reason';
  reason.textContent = r.incomplete_reason;
  td.append(reason);
  return td;
}

function showRows(page) {
  const yes = (flag, bad) => cell(flag ? 'yes' : 'no', flag === bad ? 'flag' : '');
  $('rows').tBodies[0].replaceChildren(
    ...page.rows.map((r) => {
      const money = (name) => cell(formatMinor(r[name], r.decimals), 'num');
      return row([
        cell(r.merchant_id),
        cell(r.currency),
        money('available_balance'),
        money('holds_balance'),
        money('reserve_balance'),
        money('holds_delta'),
        cell(String(r.failed_payout_count), 'num'),
        money('payouts_failed'),
        yes(r.reserve_review, true),
        books(r),
        yes(r.payout_eligible, false),
      ]);
    }),
  );
  $('rows-caption').textContent = `${page.rows.length} row${page.rows.length === 1 ? '' : 's'} of ${page.version}${page.next ? ' (more on the next page)' : ''}. Amounts in major units of each row's currency.`;
  $('next').disabled = page.next === null;
  $('next').dataset.cursor = page.next ?? '';
}

let dates = [];

async function render() {
  const s = state();
  $('rows').setAttribute('aria-busy', 'true');
  $('q').value = s.q;
  $('flag').value = s.flag;
  try {
    dates = (await api('/api/dates')).dates;
    options($('date'), dates.map((d) => [d.date, d.date]), s.date || dates[0]?.date);
    if (dates.length === 0) return status('No version has been published in this warehouse yet.');
    const entry = dates.find((d) => d.date === (s.date || dates[0].date));
    if (entry === undefined) {
      $('about').hidden = true;
      $('totals-section').hidden = true;
      $('rows').tBodies[0].replaceChildren();
      return status(`No published version for ${s.date}. Pick another date.`, true);
    }
    const version = s.version || entry.current_version;
    if (!version) return status(`${entry.date} has no current version: ${entry.current_error ?? 'pick a version'}.`, true);
    options($('version'), entry.versions.map((v) => [v.version, `${v.version}${v.current ? ' (current)' : ''} · ${v.published_at.slice(0, 16).replace('T', ' ')}`]), version);
    // The link pins the version it shows, so it shows the same numbers later and to anyone.
    if (s.date !== entry.date || s.version !== version) setUrl({ ...s, date: entry.date, version }, true);
    status(`Loading ${version}…`);
    const filters = { version, q: s.q, currency: s.currency, flag: s.flag, after: s.after };
    const [summary, page] = await Promise.all([
      api(`/api/dates/${entry.date}/summary`, { version }),
      api(`/api/dates/${entry.date}/merchants`, filters),
    ]);
    showVersion(summary, entry);
    showRows(page);
    $('newer').hidden = entry.current_version === version || entry.current_version === null;
    $('newer').textContent = `This link shows ${version}; the current version of ${entry.date} is ${entry.current_version}. Pick it under Version to see it.`;
    status('');
  } catch (err) {
    status(err.message, true);
  } finally {
    $('rows').setAttribute('aria-busy', 'false');
  }
}

$('date').addEventListener('change', () => go({ date: $('date').value }));
$('version').addEventListener('change', () => go({ ...state(), version: $('version').value, after: '' }));
$('search').addEventListener('submit', (event) => {
  event.preventDefault();
  go({ ...state(), q: $('q').value.trim(), currency: $('currency').value, flag: $('flag').value, after: '' });
});
$('first').addEventListener('click', () => go({ ...state(), after: '' }));
$('next').addEventListener('click', () => go({ ...state(), after: $('next').dataset.cursor }));
window.addEventListener('popstate', () => void render());
void render();
