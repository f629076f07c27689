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

  test('optional columns carry the jurisdiction, segment attributes, service location, corp and audit route; blank ones are left out', () => {
    const wide = `${header},jurisdiction,risk_score,product_type,service_level,hierarchy,sector,service_address,postal_code,latitude,longitude,corp,audit_route`;
    const csv = [
      wide,
      'C1,Jane,retail,America/New_York,EAST,,,A1,USD,I1,2026-09-01,2026-09-15,1000,1000,US-MA,720,fibre-500,gold,ACME/East/Boston,Construction,"12 Elm St, Boston",02118,42.3401,-71.0701,Metro Cable,AR-7',
      'C1,,,,,,,A1,,I2,2026-10-01,2026-10-15,2000,2000,,,,,,,,,,,,',
      'C2,Bob,retail,UTC,EAST,,,A2,USD,I9,2026-09-01,2026-09-15,500,500,,,,,,,,,,,,',
    ].join('\n');
    const { units } = readUnits('csv', csv);
    expect(units[0]!.candidate).toEqual({
      customer: { externalRef: 'C1', name: 'Jane', type: 'retail', timeZone: 'America/New_York', branchCode: 'EAST', contacts: [], jurisdiction: 'US-MA' },
      account: {
        externalRef: 'A1',
        currency: 'USD',
        attributes: { riskScore: 720, productType: 'fibre-500', serviceLevel: 'gold', hierarchy: 'ACME/East/Boston', sector: 'Construction' },
        serviceLocation: { address: '12 Elm St, Boston', postalCode: '02118', latitude: 42.3401, longitude: -71.0701 },
        corp: 'Metro Cable',
        auditRoute: 'AR-7',
      },
      invoices: [
        { externalRef: 'I1', issuedAt: '2026-09-01', dueDate: '2026-09-15', amountMinor: 1000, openMinor: 1000 },
        { externalRef: 'I2', issuedAt: '2026-10-01', dueDate: '2026-10-15', amountMinor: 2000, openMinor: 2000 },
      ],
    });
    // Blank: nothing to replace what billing reported before.
    expect((units[1]!.candidate as { account: object }).account).toEqual({ externalRef: 'A2', currency: 'USD' });
    // A later row that fills a column differently is refused; a number that is not one reaches the schema as text.
    const clash = readUnits('csv', [wide, 'C1,Jane,retail,UTC,EAST,,,A1,USD,I1,2026-09-01,2026-09-15,1,1,,,,,,,1 Main St,,42.1,-71.1,,', 'C1,,,,,,,A1,,I2,2026-09-01,2026-09-15,1,1,,,,,,,,,42.2,,,'].join('\n'));
    expect(clash.units[0]!.problem).toMatchObject({ row: 3, code: 'inconsistent_rows', field: 'latitude' });
    const text = readUnits('csv', [wide, 'C1,Jane,retail,UTC,EAST,,,A1,USD,I1,2026-09-01,2026-09-15,1,1,,high,,,,,1 Main St,,north,-71.1,,'].join('\n'));
    expect(text.units[0]!.candidate).toMatchObject({ account: { attributes: { riskScore: 'high' }, serviceLocation: { latitude: 'north', longitude: -71.1 } } });
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
    expect(locateIssue('csv', unit, ['account', 'attributes', 'riskScore'])).toEqual({ row: 2, field: 'risk_score' });
    expect(locateIssue('csv', unit, ['account', 'serviceLocation', 'latitude'])).toEqual({ row: 2, field: 'latitude' });
    expect(locateIssue('csv', unit, ['account', 'serviceLocation'])).toEqual({ row: 2, field: 'latitude/longitude' });
    expect(locateIssue('csv', unit, ['account', 'corp'])).toEqual({ row: 2, field: 'corp' });
    expect(locateIssue('ndjson', { rows: [5], accountRef: null }, ['invoices', 0, 'dueDate'])).toEqual({ row: 5, field: 'invoices.0.dueDate' });
  });

  test('quoted CSV cells keep commas, quotes and line breaks', () => {
    expect(parseCsv('a,"b ""c"", d","e\nf"\r\n1,2,3')).toEqual([['a', 'b "c", d', 'e\nf'], ['1', '2', '3']]);
  });
});
