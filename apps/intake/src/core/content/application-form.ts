/**
 * The application form document: one JSON shape any channel can carry when the applicant (or a scan centre's index
 * data capture) supplies structured form data, so the same application becomes the same case whatever the channel:
 *
 * `{ "schemaUri": "<form schema>", "data": { ...form fields... }, "applicant": { ...ApplicantDto... },
 *    "leikaKey": "<optional>", "ars": "<optional>" }`
 *
 * Email: an attached JSON file of this shape; scan: the index element `applicationForm`. The portal carries the
 * same facts natively (FIT-Connect data + schema URI, applicant). `applicant` is validated with the submission.
 */
export interface ApplicationForm {
  schemaUri: string;
  data: Record<string, unknown>;
  applicant?: Record<string, unknown>;
}

const isObject = (v: unknown): v is Record<string, unknown> => !!v && typeof v === 'object' && !Array.isArray(v);

/** The application form in parsed JSON, or undefined when the content has another shape. */
export function applicationFormOf(content: unknown): ApplicationForm | undefined {
  if (!isObject(content)) return undefined;
  const { schemaUri, data, applicant } = content;
  if (typeof schemaUri !== 'string' || schemaUri.length === 0 || schemaUri.length > 500 || !isObject(data)) return undefined;
  return { schemaUri, data, ...(isObject(applicant) ? { applicant } : {}) };
}
