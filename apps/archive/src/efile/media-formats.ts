/** xdomea Dateiformat code (code list urn:xoev-de:xdomea:codeliste:dateiformat) of a media type. */
export interface XdomeaFormat {
  code: string;
  /** Set with code 100 (Sonstiges). */
  otherName?: string;
}

const BY_MEDIA_TYPE: Record<string, XdomeaFormat> = {
  'application/pdf': { code: '018' },
  'application/xml': { code: '030' },
  'text/xml': { code: '030' },
  'message/rfc822': { code: '006' },
  'text/plain': { code: '045' },
  'text/html': { code: '008' },
  'image/tiff': { code: '024' },
  'application/rtf': { code: '022' },
  'application/vnd.oasis.opendocument.text': { code: '015' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { code: '035' },
};

/** The xdomea format of a stored format: PDF/A renditions are 044 (pdf, archival). */
export function xdomeaFormat(mediaType: string, formatName: string): XdomeaFormat {
  if (formatName.startsWith('PDF/A')) return { code: '044' };
  return BY_MEDIA_TYPE[mediaType] ?? { code: '100', otherName: mediaType };
}

/** The human-readable format name recorded beside the media type. */
export function formatNameOf(mediaType: string): string {
  switch (mediaType) {
    case 'application/pdf':
      return 'PDF';
    case 'application/json':
      return 'JSON';
    case 'application/xml':
    case 'text/xml':
      return 'XML';
    case 'message/rfc822':
      return 'E-Mail (RFC 5322)';
    case 'image/tiff':
      return 'TIFF';
    default:
      return mediaType;
  }
}

/** Media types that get a PDF/A rendition beside the original. */
export function needsRendition(mediaType: string): boolean {
  return mediaType === 'application/pdf' || mediaType === 'image/tiff' || mediaType === 'image/png' || mediaType === 'image/jpeg';
}
