import { caseReferenceOf, type CaseStatus } from '@poststelle/contracts';

const LABEL: Record<CaseStatus, string> = {
  RECEIVED: 'ist bei der zuständigen Stelle eingegangen',
  PROCESSING: 'wird bearbeitet',
  ACTION_REQUIRED: 'braucht Ihre Mitwirkung',
  COMPLETED: 'ist abgeschlossen',
  REJECTED: 'wurde abgelehnt',
};

/** The message the applicant receives (German, as the authority writes to citizens). */
export function statusNotification(caseId: string, status: CaseStatus, message?: string): { subject: string; body: string } {
  // The reference intake recognises in a reply (and only for this case's tenant), so an answer lands on the case.
  const ref = caseReferenceOf(caseId);
  return {
    subject: `Ihr Antrag ${ref} ${LABEL[status]}`,
    body: [
      `Guten Tag,`,
      ``,
      `Ihr Antrag (Vorgangsnummer ${caseId}) ${LABEL[status]}.`,
      ...(message ? [``, message] : []),
      ``,
      `Bitte geben Sie bei Rückfragen das Aktenzeichen ${ref} an.`,
      `Diese Nachricht wurde automatisch erstellt.`,
    ].join('\n'),
  };
}
