// The demo book's world: branches and their towns, franchises, names and streets, and the seeded
// PRNG that makes every fresh install show the same book (demo-data.ts, demo-history.ts), and the
// writer of their batches.
import { createHash } from 'node:crypto';
import type { Db } from '../platform/db/client.ts';
import { seededRandom } from '../domain/routing/prng.ts';

// Each city with its ZIP prefix and centre; accounts are placed around the centre, so that field
// routes (F2) have real geography to work with. The office is in the first city.
export const branches = [
  {
    code: 'EAST', name: 'East CSC (Boston)', timeZone: 'America/New_York', jurisdiction: 'US-MA', office: { address: '100 Summer St, Boston 02110', lat: 42.3536, lon: -71.0583 },
    cities: [{ name: 'Boston', zip: '021', lat: 42.3601, lon: -71.0589 }, { name: 'Providence', zip: '029', lat: 41.824, lon: -71.4128 }, { name: 'Hartford', zip: '061', lat: 41.7658, lon: -72.6734 }, { name: 'Worcester', zip: '016', lat: 42.2626, lon: -71.8023 }],
  },
  {
    code: 'CENT', name: 'Central CSC (Chicago)', timeZone: 'America/Chicago', jurisdiction: 'US-IL', office: { address: '233 S Wacker Dr, Chicago 60606', lat: 41.8789, lon: -87.6359 },
    cities: [{ name: 'Chicago', zip: '606', lat: 41.8781, lon: -87.6298 }, { name: 'Milwaukee', zip: '532', lat: 43.0389, lon: -87.9065 }, { name: 'Naperville', zip: '605', lat: 41.7508, lon: -88.1535 }, { name: 'Gary', zip: '464', lat: 41.5934, lon: -87.3464 }],
  },
  {
    code: 'WEST', name: 'West CSC (Denver)', timeZone: 'America/Denver', jurisdiction: 'US-CO', office: { address: '1700 Lincoln St, Denver 80203', lat: 39.7439, lon: -104.9861 },
    cities: [{ name: 'Denver', zip: '802', lat: 39.7392, lon: -104.9903 }, { name: 'Boulder', zip: '803', lat: 40.015, lon: -105.2705 }, { name: 'Aurora', zip: '800', lat: 39.7294, lon: -104.8319 }, { name: 'Colorado Springs', zip: '809', lat: 38.8339, lon: -104.8214 }],
  },
];
/** Franchises the accounts are billed under (F2: routes by corp). */
export const corps = ['Metro Cable', 'Valley Broadband', 'Lakeshore Telecom'];

export const firstNames = ['James', 'Mary', 'Robert', 'Patricia', 'John', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth', 'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Carlos', 'Maria', 'Wei', 'Aisha', 'Dmitri', 'Fatima', 'Kenji', 'Ana', 'Luca', 'Noor', 'Mateo', 'Zoe'];
export const lastNames = ['Smith', 'Johnson', 'Williams', 'Brown', 'Jones', 'Garcia', 'Miller', 'Davis', 'Rodriguez', 'Martinez', 'Hernandez', 'Lopez', 'Gonzalez', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson', 'Martin', 'Lee', 'Nguyen', 'Kowalski', 'Okafor', 'Schmidt', 'Rossi', 'Haddad', 'Tanaka', 'Novak', "O'Brien"];
export const companyWords = ['Acme', 'Summit', 'Riverside', 'Northwind', 'Bluebird', 'Keystone', 'Pioneer', 'Harbor', 'Granite', 'Evergreen', 'Lakeside', 'Sterling', 'Redwood', 'Atlas', 'Beacon'];
export const companyKinds = ['Logistics', 'Dental Group', 'Bakery', 'Auto Repair', 'Consulting', 'Fitness', 'Hardware', 'Print Shop', 'Veterinary Clinic', 'Cafe', 'Builders', 'Florists'];
export const streets = ['Main St', 'Oak Ave', 'Maple Dr', 'Cedar Ln', 'Elm St', 'Washington Blvd', 'Lake Rd', 'Park Ave', 'Hill St', 'River Rd'];

export const round5 = (value: number) => Math.round(value * 100_000) / 100_000;

/** The demo's dice: domain/routing/prng.ts's seeded generator, with integer and pick helpers. */
export function prng(seed: number) {
  const next = seededRandom(seed);
  return {
    next,
    int: (min: number, max: number) => min + Math.floor(next() * (max - min + 1)),
    pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!,
  };
}

/**
 * A stable id for a demo row (a name-based UUID, version 5 layout, from SHA-1 of the name): every
 * install gets the same ids for accounts and strategy versions, so each account lands in the same
 * champion/challenger arm (chooseArm reads both) and the demo's figures are the same everywhere.
 */
export function demoId(name: string): string {
  const hex = createHash('sha1').update(`arrears-demo:${name}`).digest('hex');
  const variant = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** The rows one batch of the demo writes, table by table. */
export interface DemoRows {
  customers: object[];
  contacts: object[];
  accounts: object[];
  invoices: object[];
  payments: object[];
  cases: object[];
  promises: object[];
  activities: object[];
  messages: object[];
  tasks: object[];
}

export const emptyDemoRows = (): DemoRows => ({ customers: [], contacts: [], accounts: [], invoices: [], payments: [], cases: [], promises: [], activities: [], messages: [], tasks: [] });

/** Writes a batch in one transaction, parents before children. */
export async function writeDemoRows(db: Db, rows: DemoRows): Promise<void> {
  await db.$transaction([
    db.customer.createMany({ data: rows.customers as never }),
    db.contact.createMany({ data: rows.contacts as never }),
    db.account.createMany({ data: rows.accounts as never }),
    db.invoice.createMany({ data: rows.invoices as never }),
    db.payment.createMany({ data: rows.payments as never }),
    db.collectionCase.createMany({ data: rows.cases as never }),
    db.promiseToPay.createMany({ data: rows.promises as never }),
    db.activity.createMany({ data: rows.activities as never }),
    db.message.createMany({ data: rows.messages as never }),
    db.task.createMany({ data: rows.tasks as never }),
  ]);
}
