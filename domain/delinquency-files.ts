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
  jurisdiction: { required: false, path: 'customer.jurisdiction' },
  risk_score: { required: false, path: 'account.attributes.riskScore' },
  product_type: { required: false, path: 'account.attributes.productType' },
  service_level: { required: false, path: 'account.attributes.serviceLevel' },
  hierarchy: { required: false, path: 'account.attributes.hierarchy' },
  sector: { required: false, path: 'account.attributes.sector' },
  service_address: { required: false, path: 'account.serviceLocation.address' },
  postal_code: { required: false, path: 'account.serviceLocation.postalCode' },
  latitude: { required: false, path: 'account.serviceLocation.latitude' },
  longitude: { required: false, path: 'account.serviceLocation.longitude' },
  corp: { required: false, path: 'account.corp' },
  audit_route: { required: false, path: 'account.auditRoute' },
} as const;

export type CsvColumn = keyof typeof csvColumns;
export const requiredCsvColumns = (Object.keys(csvColumns) as CsvColumn[]).filter((c) => csvColumns[c].required);
const contactColumns = ['email', 'mobile', 'phone', 'address'] as const;
/** Columns that describe the customer or the account, not the invoice: an account's rows must agree on them. */
const accountLevelColumns = ['customer_ref', 'customer_name', 'customer_type', 'time_zone', 'branch_code', 'currency', 'jurisdiction', 'risk_score', 'product_type', 'service_level', 'hierarchy', 'sector', 'service_address', 'postal_code', 'latitude', 'longitude', 'corp', 'audit_route'] as const;
const attributeColumns = { risk_score: 'riskScore', product_type: 'productType', service_level: 'serviceLevel', hierarchy: 'hierarchy', sector: 'sector' } as const;

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

/**
 * The rows of one account as a `reportDelinquency` body. Customer and account columns come from the
 * account's first row that fills them (later rows may leave them blank; if they fill them, they must
 * agree). A blank optional column is left out of the report, so what is stored is kept.
 */
function reportFromCsvRows(group: Array<{ row: number; cells: Partial<Record<CsvColumn, string>> }>): { candidate: unknown } | { problem: RowProblem } {
  const first: Partial<Record<CsvColumn, string>> = {};
  const firstRow: Partial<Record<CsvColumn, number>> = {};
  for (const { row, cells } of group) {
    for (const c of accountLevelColumns) {
      const value = cells[c];
      if (!value) continue;
      if (first[c] === undefined) {
        first[c] = value;
        firstRow[c] = row;
      } else if (value.toLowerCase() !== first[c]!.toLowerCase()) {
        return { problem: { row, code: 'inconsistent_rows', message: `${c} differs from the account's row ${firstRow[c]}`, field: c } };
      }
    }
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
      customer: { externalRef: first.customer_ref, name: first.customer_name, type: first.customer_type, timeZone: first.time_zone, branchCode: first.branch_code, contacts, ...given('jurisdiction', first.jurisdiction) },
      account: {
        externalRef: group[0]!.cells.account_ref,
        currency: first.currency,
        ...accountExtras(first),
      },
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
  for (const length of [3, 2]) {
    const column = (Object.keys(csvColumns) as CsvColumn[]).find((c) => csvColumns[c].path === path.slice(0, length).map(String).join('.'));
    if (column) return { row: unit.rows[0]!, field: column };
  }
  if (path[1] === 'contacts') return { row: unit.rows[0]!, field: 'email/mobile/phone/address' };
  if (path[1] === 'serviceLocation') return { row: unit.rows[0]!, field: 'latitude/longitude' };
  return { row: unit.rows[0]!, field: jsonPath };
}

/** The optional account columns as the report has them: attributes, the service location, corp and audit route. */
function accountExtras(first: Partial<Record<CsvColumn, string>>): Record<string, unknown> {
  const extras: Record<string, unknown> = {};
  const attributes: Record<string, unknown> = {};
  for (const [column, key] of Object.entries(attributeColumns) as Array<[keyof typeof attributeColumns, string]>) {
    const value = first[column];
    if (value) attributes[key] = column === 'risk_score' ? integerOrText(value) : value;
  }
  if (Object.keys(attributes).length > 0) extras.attributes = attributes;
  if (first.service_address || first.postal_code || first.latitude || first.longitude) {
    extras.serviceLocation = { ...given('address', first.service_address), ...given('postalCode', first.postal_code), ...given('latitude', decimalOrText(first.latitude)), ...given('longitude', decimalOrText(first.longitude)) };
  }
  return { ...extras, ...given('corp', first.corp), ...given('auditRoute', first.audit_route) };
}

/** `{ [key]: value }` when there is a value; nothing for a blank cell. */
function given(key: string, value: unknown): Record<string, unknown> {
  return value === undefined || value === '' ? {} : { [key]: value };
}

function decimalOrText(value: string | undefined): number | string | undefined {
  if (value === undefined || value === '') return undefined;
  return /^-?\d{1,3}(\.\d{1,12})?$/.test(value) ? Number(value) : value;
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
