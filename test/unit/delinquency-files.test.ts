import { describe, expect, test } from 'vitest';
import { checkFile, locateIssue, parseCsv, readUnits } from '../../domain/delinquency-files.ts';

const header = 'customer_ref,customer_name,customer_type,time_zone,branch_code,email,mobile,account_ref,currency,invoice_ref,issued_at,due_date,amount_minor,open_minor';

describe('delinquency import files', () => {
  test('a CSV without the required columns, or an empty file, is refused before anything is queued', () => {
    expect(checkFile('csv', '')).toMatchObject({ ok: false, code: 'empty_file' });
    expect(checkFile('ndjson', '  \n')).toMatchObject({ ok: false, code: 'empty_file' });
    const check = checkFile('csv', 'customer_ref,account_ref\nC1,A1\n');
    expect(check).toMatchObject({ ok: false, code: 'missing_columns' });
    expect(!check.ok && check.missing).toContain('invoice_ref');
    expect(checkFile('csv', `\ufeff${header.toUpperCase()}\n`)).toEqual({ ok: true });
  });

  test("an account's invoice rows, wherever they are in the file, make one report with its contacts", () => {
    const csv = [
      header,
      'C1,"Doe, Jane",retail,America/New_York,EAST,jane@example.net,+15550001,A1,usd,I1,2026-09-01,2026-09-15,1000,1000',
      'C2,Bob,corporate,Europe/Paris,EAST,,,A2,EUR,I9,2026-09-01,2026-09-15,500,500',
      ',,,,,,+15550002,A1,,I2,2026-10-01,2026-10-15,2000,1500',
    ].join('\r\n');
    const { units, totalRows } = readUnits('csv', csv);
    expect(totalRows).toBe(3);
    expect(units.map((u) => u.accountRef)).toEqual(['A1', 'A2']);
    expect(units[0]!.rows).toEqual([2, 4]);
    expect(units[0]!.candidate).toMatchObject({
      customer: { externalRef: 'C1', name: 'Doe, Jane', contacts: [{ kind: 'email', value: 'jane@example.net', isPrimary: true }, { kind: 'mobile', value: '+15550001', isPrimary: true }, { kind: 'mobile', value: '+15550002' }] },
      account: { externalRef: 'A1', currency: 'usd' },
      invoices: [{ externalRef: 'I1', amountMinor: 1000 }, { externalRef: 'I2', amountMinor: 2000, openMinor: 1500 }],
    });
  });

  test('rows that cannot make a report carry their reason and row number', () => {
    const csv = [header, 'C1,Jane,retail,UTC,EAST,,,,USD,I1,2026-09-01,2026-09-15,1,1', 'C1,Jane,retail,UTC,EAST,,,A1,USD,I1,2026-09-01,2026-09-15,1,1', 'C9,Jane,retail,UTC,EAST,,,A1,USD,I2,2026-09-01,2026-09-15,1,1'].join('\n');
    const { units } = readUnits('csv', csv);
    expect(units[0]!.problem).toMatchObject({ row: 2, code: 'missing_account_ref' });
    expect(units[1]!.problem).toMatchObject({ row: 4, code: 'inconsistent_rows', field: 'customer_ref' });
    const lines = readUnits('ndjson', '{"account":{"externalRef":"A1"}}\n\nnot json\n');
    expect(lines.totalRows).toBe(2);
    expect(lines.units[1]!.problem).toMatchObject({ row: 3, code: 'invalid_json' });
  });

  test("a validation issue points at the invoice's own row and CSV column", () => {
    const unit = { rows: [2, 7], accountRef: 'A1' };
    expect(locateIssue('csv', unit, ['invoices', 1, 'amountMinor'])).toEqual({ row: 7, field: 'amount_minor' });
    expect(locateIssue('csv', unit, ['customer', 'timeZone'])).toEqual({ row: 2, field: 'time_zone' });
    expect(locateIssue('ndjson', { rows: [5], accountRef: null }, ['invoices', 0, 'dueDate'])).toEqual({ row: 5, field: 'invoices.0.dueDate' });
  });

  test('quoted CSV cells keep commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b ""c"", d","e\nf"\r\n1,2,3')).toEqual([['a', 'b "c", d', 'e\nf'], ['1', '2', '3']]);
  });
});
