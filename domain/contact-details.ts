// A debtor's contact details as a collector edits them (W6): phone numbers are checked against the
// numbering plan of the debtor's country (libphonenumber-js) and stored in E.164 so that a STOP reply
// from the SMS gateway (which reports E.164) finds the number; email addresses are checked and
// lower-cased; a postal address is free text. Pure: the contacts service decides with these.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { z } from 'zod';

export const contactKinds = ['email', 'phone', 'mobile', 'address'] as const;
export type ContactKind = (typeof contactKinds)[number];

export type NormalisedContact = { ok: true; value: string } | { ok: false; message: string };

const email = z.email();

/** The country whose numbering plan reads a number written without "+": the jurisdiction's country ("US-MA" → US). */
export function defaultCountryOf(jurisdiction: string): CountryCode {
  return jurisdiction.split('-')[0]!.toUpperCase() as CountryCode;
}

/** The value as stored, or why it is not a valid contact of that kind. */
export function normaliseContactValue(kind: ContactKind, raw: string, jurisdiction: string): NormalisedContact {
  const value = raw.trim();
  if (!value) return { ok: false, message: 'enter a value' };
  switch (kind) {
    case 'email':
      return email.safeParse(value).success ? { ok: true, value: value.toLowerCase() } : { ok: false, message: `"${value}" is not an email address` };
    case 'phone':
    case 'mobile': {
      const number = parsePhoneNumberFromString(value, defaultCountryOf(jurisdiction));
      if (!number?.isValid()) return { ok: false, message: `"${value}" is not a valid phone number (write it with its country code, e.g. +1 617 555 0123)` };
      return { ok: true, value: number.number };
    }
    case 'address':
      return value.length >= 5 ? { ok: true, value: value.replace(/\s+/g, ' ') } : { ok: false, message: 'an address needs at least a street and a town' };
  }
}

/** A label marks a number found to belong to someone else (a wrong number), kept for the record. */
export const wrongNumberLabel = 'Wrong number';
