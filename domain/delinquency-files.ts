// C1 bulk import: how a delinquency file becomes reports. A file is CSV (one row per invoice; the
// rows of one account, wherever they are in the file, make one report) or JSON lines (one
// `reportDelinquency` body per line). This module only reads the file's shape; every report it yields
// is still validated by the same schema and carried out by the same intake as a single report.
// Pure: no I/O, so the API (header check) and the worker (processing) read files the same way.

export type ImportFormat = 'csv' | 'ndjson';

/** CSV columns. Customer and account columns may be left blank on an account's later rows. */
export const csvColumns = {
  customer_ref: { required: true, path: 'customer.externalRef' },
  customer_name: { required: true, path: 'customer.name' },
  customer_type: { required: true, path: 'customer.type' },
  time_zone: { required: true, path: 'customer.timeZone' },
  branch_code: { required: true, path: 'customer.branchCode' },
  account_ref: { required: true, path: 'account.externalRef' },
  currency: { required: true, path: 'account.currency' },
  invoice_ref: { required: true, path: 'invoices.*.externalRef' },
  issued_at: { required: true, path: 'invoices.*.issuedAt' },
  due_date: { required: true, path: 'invoices.*.dueDate' },
  amount_minor: { required: true, path: 'invoices.*.amountMinor' },
  open_minor: { required: true, path: 'invoices.*.openMinor' },
  email: { required: false, path: 'customer.contacts' },
  mobile: { required: false, path: 'customer.contacts' },
  phone: { required: false, path: 'customer.contacts' },
  address: { required: false, path: 'customer.contacts' },
} as const;

export type CsvColumn = keyof typeof csvColumns;
export const requiredCsvColumns = (Object.keys(csvColumns) as CsvColumn[]).filter((c) => csvColumns[c].required);
const contactColumns = ['email', 'mobile', 'phone', 'address'] as const;
const customerColumns = ['customer_ref', 'customer_name', 'customer_type', 'time_zone', 'branch_code', 'currency'] as const;

/**
 * One unit of work: the rows that make one report (an account's rows in a CSV, one line of JSON
 * lines). `rows` are the file's row numbers (CSV: the header is row 1; JSON lines: line numbers).
 * A unit whose rows could not even be read into a report carries the reason instead of a candidate.
 */
export interface ImportUnit {
  rows: number[];
  accountRef: string | null;
  candidate?: unknown;
  problem?: RowProblem;
}

export interface RowProblem {
  row: number;
  code: 'invalid_json' | 'missing_account_ref' | 'inconsistent_rows' | 'malformed_row';
  message: string;
  field?: string;
}

export type HeaderCheck = { ok: true } | { ok: false; code: 'empty_file' | 'missing_columns'; message: string; missing?: string[] };

/** Refuses, before anything is queued, a file with no data or a CSV without the required columns. */
export function checkFile(format: ImportFormat, text: string): HeaderCheck {
  if (text.trim() === '') return { ok: false, code: 'empty_file', message: 'the file is empty' };
  if (format === 'ndjson') return { ok: true };
  const header = firstRecord(stripBom(text));
  const names = new Set(header.map(normaliseColumn));
  const missing = requiredCsvColumns.filter((c) => !names.has(c));
  if (missing.length > 0) return { ok: false, code: 'missing_columns', message: `the CSV header lacks required columns: ${missing.join(', ')}`, missing };
  return { ok: true };
}

/** The file's units in a stable order (by first row), so that a resumed import walks them the same way. */
export function readUnits(format: ImportFormat, text: string): { units: ImportUnit[]; totalRows: number } {
  return format === 'csv' ? readCsvUnits(stripBom(text)) : readNdjsonUnits(text);
}

function readNdjsonUnits(text: string): { units: ImportUnit[]; totalRows: number } {
  const units: ImportUnit[] = [];
  const lines = text.split('\n');
  lines.forEach((line, index) => {
    if (line.trim() === '') return;
    const row = index + 1;
    try {
      const candidate: unknown = JSON.parse(line);
      const accountRef = (candidate as { account?: { externalRef?: unknown } } | null)?.account?.externalRef;
      units.push({ rows: [row], accountRef: typeof accountRef === 'string' ? accountRef : null, candidate });
    } catch {
      units.push({ rows: [row], accountRef: null, problem: { row, code: 'invalid_json', message: 'the line is not valid JSON' } });
    }
  });
  return { units, totalRows: units.length };
}

function readCsvUnits(text: string): { units: ImportUnit[]; totalRows: number } {
  const records = parseCsv(text);
  const header = (records[0] ?? []).map(normaliseColumn);
  const byAccount = new Map<string, Array<{ row: number; cells: Partial<Record<CsvColumn, string>> }>>();
  const units: ImportUnit[] = [];
  let totalRows = 0;
  for (let i = 1; i < records.length; i++) {
    const record = records[i]!;
    if (record.every((cell) => cell.trim() === '')) continue;
    const row = i + 1;
    totalRows += 1;
    const cells: Partial<Record<CsvColumn, string>> = {};
    header.forEach((name, c) => {
      if (name in csvColumns) cells[name as CsvColumn] = (record[c] ?? '').trim();
    });
    if (record.length > header.length) {
      units.push({ rows: [row], accountRef: cells.account_ref || null, problem: { row, code: 'malformed_row', message: `the row has ${record.length} cells but the header has ${header.length}` } });
      continue;
    }
    const ref = cells.account_ref;
    if (!ref) {
      units.push({ rows: [row], accountRef: null, problem: { row, code: 'missing_account_ref', message: 'the row has no account_ref', field: 'account_ref' } });
      continue;
    }
    let group = byAccount.get(ref);
    if (!group) {
      group = [];
      byAccount.set(ref, group);
      units.push({ rows: [], accountRef: ref }); // filled below, keeps the account's place in the file
    }
    group.push({ row, cells });
  }
  for (const unit of units) {
    if (unit.problem || !unit.accountRef) continue;
    const group = byAccount.get(unit.accountRef)!;
    unit.rows = group.map((g) => g.row);
    const built = reportFromCsvRows(group);
    if ('problem' in built) unit.problem = built.problem;
    else unit.candidate = built.candidate;
  }
  return { units, totalRows };
}

/** The rows of one account as a `reportDelinquency` body; customer and account come from the first row. */
function reportFromCsvRows(group: Array<{ row: number; cells: Partial<Record<CsvColumn, string>> }>): { candidate: unknown } | { problem: RowProblem } {
  const first = group[0]!.cells;
  for (const { row, cells } of group.slice(1)) {
    const differs = customerColumns.find((c) => cells[c] && first[c] && cells[c]!.toLowerCase() !== first[c]!.toLowerCase());
    if (differs) return { problem: { row, code: 'inconsistent_rows', message: `${differs} differs from the account's first row (${group[0]!.row})`, field: differs } };
  }
  const contacts: Array<{ kind: string; value: string; isPrimary?: boolean }> = [];
  const seen = new Set<string>();
  for (const { cells } of group) {
    for (const kind of contactColumns) {
      const value = cells[kind];
      if (!value || seen.has(`${kind}:${value}`)) continue;
      seen.add(`${kind}:${value}`);
      contacts.push({ kind, value, ...(contacts.every((c) => c.kind !== kind) ? { isPrimary: true } : {}) });
    }
  }
  return {
    candidate: {
      customer: { externalRef: first.customer_ref, name: first.customer_name, type: first.customer_type, timeZone: first.time_zone, branchCode: first.branch_code, contacts },
      account: { externalRef: first.account_ref, currency: first.currency },
      invoices: group.map(({ cells }) => ({ externalRef: cells.invoice_ref, issuedAt: cells.issued_at, dueDate: cells.due_date, amountMinor: integerOrText(cells.amount_minor), openMinor: integerOrText(cells.open_minor) })),
    },
  };
}

/**
 * Where a validation issue of a unit's report points in the file: the row (an invoice's own row in a
 * CSV) and the field as the file names it (a CSV column, or the JSON path for JSON lines).
 */
export function locateIssue(format: ImportFormat, unit: ImportUnit, path: ReadonlyArray<PropertyKey>): { row: number; field: string } {
  const jsonPath = path.map(String).join('.') || '(root)';
  if (format === 'ndjson') return { row: unit.rows[0]!, field: jsonPath };
  if (path[0] === 'invoices' && typeof path[1] === 'number' && unit.rows[path[1]] !== undefined) {
    const column = (Object.keys(csvColumns) as CsvColumn[]).find((c) => csvColumns[c].path === `invoices.*.${String(path[2])}`);
    return { row: unit.rows[path[1]]!, field: column ?? jsonPath };
  }
  const column = (Object.keys(csvColumns) as CsvColumn[]).find((c) => csvColumns[c].path === path.slice(0, 2).map(String).join('.'));
  return { row: unit.rows[0]!, field: column ?? (path[1] === 'contacts' ? 'email/mobile/phone/address' : jsonPath) };
}

function integerOrText(value: string | undefined): number | string | undefined {
  if (value === undefined || value === '') return undefined;
  return /^-?\d{1,16}$/.test(value) ? Number(value) : value;
}

const normaliseColumn = (name: string) => name.trim().toLowerCase().replace(/[\s-]+/g, '_');
const stripBom = (text: string) => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

function firstRecord(text: string): string[] {
  const end = text.search(/\r?\n/);
  // A header with quoted line breaks is rare; parse a little more to be exact in that case.
  const head = end === -1 ? text : text.slice(0, Math.min(text.length, Math.max(end + 1, 64 * 1024)));
  return parseCsv(head, 1)[0] ?? [];
}

/** RFC 4180 CSV: quoted fields with "" escapes and line breaks inside quotes; CRLF or LF. */
export function parseCsv(text: string, maxRecords = Infinity): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const n = text.length;
  while (i < n) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
        i += 1;
        continue;
      }
      field += ch;
      i += 1;
      continue;
    }
    if (ch === '"' && field === '') {
      quoted = true;
      i += 1;
    } else if (ch === ',') {
      record.push(field);
      field = '';
      i += 1;
    } else if (ch === '\n' || ch === '\r') {
      record.push(field);
      records.push(record);
      if (records.length >= maxRecords) return records;
      record = [];
      field = '';
      i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
    } else {
      field += ch;
      i += 1;
    }
  }
  if (field !== '' || record.length > 0) {
    record.push(field);
    records.push(record);
  }
  return records;
}
