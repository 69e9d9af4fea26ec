import { type MessageKey } from '../web/i18n';

/** One entry of the case page's timeline, from whichever service knows it. */
export interface TimelineItem {
  at: string;
  service: string;
  title: MessageKey;
  titleParams?: Record<string, string>;
  detail?: string;
}

export interface IntakeCaseView {
  caseId: string;
  caseReference?: string;
  receivedAt: string;
  status: string;
  case: {
    tenant: { ars: string };
    service: { leikaKey: string; name?: string };
    channel: {
      kind: string;
      email?: { rawMessageSha512?: string };
      scan?: { batchId?: string };
      portal?: { fitConnectSubmissionId?: string; portalId?: string };
    };
    senderReference?: string;
    attachments: { attachmentId: string; fileName: string; mediaType: string; sizeBytes: number; purpose: string }[];
    writtenForm?: { satisfied?: boolean };
  };
  timeline: ({ type: string; at: string } & Record<string, unknown>)[];
  publicationProblems?: { reason: string; parkedAt: string }[];
}

export interface RoutingDecision {
  outcome: 'routed' | 'manual' | 'action-required';
  procedureId: string | null;
  explanation: string;
  decidedAt: string;
}

export interface StatusView {
  status: string;
  history: { status: string; message?: string; reportedBy?: string; reportedAt: string }[];
}

export interface NotificationView {
  channel: string;
  subject: string;
  state: string;
  createdAt: string;
  sentAt: string | null;
}

export interface PaymentView {
  status: string;
  amountDue?: string;
  amountPaid?: string;
  kassenzeichen?: string;
  updatedAt?: string;
  createdAt?: string;
}

export interface CaseFileView {
  fileReference: string;
  openedAt: string;
  documents: { documentId?: string; title?: string; fileName?: string; mediaType?: string; recordedAt?: string }[];
}

export interface CaseSources {
  intake: IntakeCaseView;
  routing?: RoutingDecision | undefined;
  status?: StatusView | undefined;
  notifications?: NotificationView[] | undefined;
  payment?: PaymentView | undefined;
  file?: CaseFileView | undefined;
}

const str = (v: unknown): string => (typeof v === 'string' || typeof v === 'number' ? String(v) : '');

/** Intake's record of events about the case, in words. */
function intakeEvent(e: IntakeCaseView['timeline'][number]): TimelineItem {
  switch (e.type) {
    case 'case.routed':
      return {
        at: e.at,
        service: 'routing',
        title: 'timeline.routed',
        titleParams: { procedure: str(e['procedureId']) },
        detail: str(e['explanation']),
      };
    case 'case.manual-routing-required':
      return { at: e.at, service: 'routing', title: 'timeline.manual', detail: str(e['reason']) };
    case 'fee.due':
      return {
        at: e.at,
        service: 'payment',
        title: 'timeline.feeDue',
        titleParams: { amount: `${str(e['amount'])} ${str(e['currency'])}` },
        detail: str(e['kassenzeichen']),
      };
    case 'fee.not-required':
      return { at: e.at, service: 'payment', title: 'timeline.feeNotRequired' };
    case 'archive.file-opened':
      return { at: e.at, service: 'archive', title: 'timeline.fileOpened', titleParams: { reference: str(e['fileReference']) } };
    case 'invoice.fee-recorded':
      return { at: e.at, service: 'erechnung', title: 'timeline.feeRecorded', titleParams: { amount: str(e['amount']) } };
    default:
      return { at: e.at, service: 'intake', title: 'timeline.event', titleParams: { type: e.type } };
  }
}

/**
 * One timeline across the services, oldest first: received (intake), routed or held with the explanation in words
 * (routing), back-office status reports, notifications, payment, e-file. Sources that did not answer are left out.
 */
export function caseTimeline(s: CaseSources): TimelineItem[] {
  const items: TimelineItem[] = [
    { at: s.intake.receivedAt, service: 'intake', title: 'timeline.received', titleParams: { channel: s.intake.case.channel.kind } },
    ...s.intake.timeline.map(intakeEvent),
  ];
  const routedInIntake = s.intake.timeline.some((e) => e.type === 'case.routed');
  if (s.routing && s.routing.outcome === 'action-required') {
    items.push({ at: s.routing.decidedAt, service: 'routing', title: 'timeline.held', detail: s.routing.explanation });
  } else if (s.routing && !routedInIntake && s.routing.outcome === 'routed') {
    items.push({
      at: s.routing.decidedAt,
      service: 'routing',
      title: 'timeline.routed',
      titleParams: { procedure: s.routing.procedureId ?? '' },
      detail: s.routing.explanation,
    });
  }
  for (const h of s.status?.history ?? []) {
    items.push({
      at: h.reportedAt,
      service: 'routing',
      title: 'timeline.status',
      titleParams: { status: h.status },
      detail: [h.message, h.reportedBy].filter(Boolean).join(' – '),
    });
  }
  for (const n of s.notifications ?? []) {
    items.push({
      at: n.sentAt ?? n.createdAt,
      service: 'routing',
      title: 'timeline.notification',
      titleParams: { channel: n.channel, state: n.state },
      detail: n.subject,
    });
  }
  if (s.payment) {
    const at = s.payment.updatedAt ?? s.payment.createdAt;
    if (at)
      items.push({
        at,
        service: 'payment',
        title: 'timeline.payment',
        titleParams: { status: s.payment.status },
        detail: [s.payment.kassenzeichen, s.payment.amountPaid].filter(Boolean).join(' – '),
      });
  }
  if (s.file && !s.intake.timeline.some((e) => e.type === 'archive.file-opened')) {
    items.push({ at: s.file.openedAt, service: 'archive', title: 'timeline.fileOpened', titleParams: { reference: s.file.fileReference } });
  }
  return items.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
}
