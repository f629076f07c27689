// What a case knows of X1's debt-level rules: the first communication about the debt, its validation
// notice and period (domain/validation-notice.ts), and when the debt is time-barred
// (domain/limitation.ts). The workflow carries it (from its activities), answers it in its query,
// and sends the validation notice when it is due; getCase and the account page show it.
import { isTimeBarred } from './limitation.ts';

export interface CaseCompliance {
  /** The first communication with the debtor about this case's debt (ISO instant), if any yet. */
  firstContactAt: string | null;
  /** Whether the debtor's jurisdiction requires a validation notice (US: Reg F). */
  validationNoticeRequired: boolean;
  validationNotice: { sentAt: string; channel: 'email' | 'letter'; periodEndsOn: string } | null;
  /** The day the debt is (or will be) time-barred in the debtor's jurisdiction; null when no limitation applies. */
  timeBarredOn: string | null;
}

/** How the query and the API show it, on the debtor's `today`. */
export interface CaseComplianceView {
  firstContactAt: string | null;
  validationNoticeRequired: boolean;
  validationNoticeSentAt: string | null;
  validationNoticeChannel: 'email' | 'letter' | null;
  /** The last day the debtor may dispute the debt. */
  validationPeriodEndsOn: string | null;
  validationPeriodOpen: boolean;
  timeBarredOn: string | null;
  /** The day the debt became time-barred, once it has; null before. */
  timeBarredSince: string | null;
}

/** A validation notice is due once the debtor has been communicated with and none has gone out. */
export function validationNoticeDue(compliance: CaseCompliance): boolean {
  return compliance.validationNoticeRequired && compliance.firstContactAt !== null && compliance.validationNotice === null;
}

export function complianceView(compliance: CaseCompliance, today: string): CaseComplianceView {
  const notice = compliance.validationNotice;
  return {
    firstContactAt: compliance.firstContactAt,
    validationNoticeRequired: compliance.validationNoticeRequired,
    validationNoticeSentAt: notice?.sentAt ?? null,
    validationNoticeChannel: notice?.channel ?? null,
    validationPeriodEndsOn: notice?.periodEndsOn ?? null,
    validationPeriodOpen: notice !== null && today <= notice.periodEndsOn,
    timeBarredOn: compliance.timeBarredOn,
    timeBarredSince: isTimeBarred(compliance.timeBarredOn, today) ? compliance.timeBarredOn : null,
  };
}
