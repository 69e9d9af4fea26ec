import { ArchiveErrorCode, ArchiveException } from './archive.exception';

describe('archive errors', () => {
  it('maps every code to one status; only archive’s own invalid xdomea messages are server errors', () => {
    const serverErrors = Object.values(ArchiveErrorCode).filter((code) => ArchiveException.statusOf(code) >= 500);
    expect(serverErrors.sort()).toEqual([ArchiveErrorCode.ExportFailsSchema, ArchiveErrorCode.OfferFailsSchema].sort());
    for (const code of Object.values(ArchiveErrorCode)) expect(ArchiveException.statusOf(code)).toBeGreaterThanOrEqual(400);
  });

  it('carries code, status and extensions', () => {
    expect(new ArchiveException(ArchiveErrorCode.FileNotFound, 'no e-file')).toMatchObject({ code: 'FILE_NOT_FOUND', status: 404 });
    expect(new ArchiveException(ArchiveErrorCode.AnswerInvalid, 'x', { errors: [] })).toMatchObject({
      status: 422,
      extensions: { errors: [] },
    });
  });
});
