import { ServiceException } from './problem';
import { toProblem } from './problem-details.filter';
import { typedErrors, type HttpStatus } from './typed-errors';

enum ShelfErrorCode {
  BookNotFound = 'BOOK_NOT_FOUND',
  ShelfFull = 'SHELF_FULL',
}
const STATUS: Record<ShelfErrorCode, HttpStatus> = { [ShelfErrorCode.BookNotFound]: 404, [ShelfErrorCode.ShelfFull]: 409 };
const ShelfException = typedErrors('ShelfException', STATUS);

class LibraryError extends ServiceException {}
const WingException = typedErrors('WingException', { WING_CLOSED: 403 }, LibraryError);

describe('typedErrors', () => {
  it('answers with the status its code maps to, as problem details named after the code', () => {
    const error = new ShelfException(ShelfErrorCode.ShelfFull, 'shelf 3 holds 40 books already', { shelf: 3 });
    expect(error).toBeInstanceOf(ServiceException);
    expect(error).toMatchObject({ name: 'ShelfException', code: 'SHELF_FULL', status: 409, message: 'shelf 3 holds 40 books already' });
    expect(toProblem(error, '/v1/shelves/3')).toMatchObject({
      type: 'https://poststelle.example/problems/shelf-full',
      title: 'SHELF_FULL',
      status: 409,
      detail: 'shelf 3 holds 40 books already',
      shelf: 3,
      instance: '/v1/shelves/3',
    });
    expect(ShelfException.statusOf(ShelfErrorCode.BookNotFound)).toBe(404);
  });

  it('knows its own codes, and refuses to build an error with a code of another module', () => {
    expect(ShelfException.owns('BOOK_NOT_FOUND')).toBe(true);
    expect(ShelfException.owns('WING_CLOSED')).toBe(false);
    expect(() => new ShelfException('WING_CLOSED' as ShelfErrorCode, 'x')).toThrow('ShelfException has no code WING_CLOSED');
  });

  it('extends a common base, so a service can tell its own errors from any other', () => {
    const error = new WingException('WING_CLOSED', 'the east wing is closed');
    expect(error).toBeInstanceOf(LibraryError);
    expect(error).toBeInstanceOf(WingException);
    expect(new ShelfException(ShelfErrorCode.ShelfFull, 'x')).not.toBeInstanceOf(LibraryError);
  });

  it('adds extensions to a copy of the same error, keeping class, code, status and message', () => {
    const error = new WingException('WING_CLOSED', 'closed', { wing: 'east' });
    const kept = error.with({ rejectionId: 'r-1' });
    expect(kept).toBeInstanceOf(WingException);
    expect(kept).toMatchObject({ code: 'WING_CLOSED', status: 403, message: 'closed', extensions: { wing: 'east', rejectionId: 'r-1' } });
    expect(error.extensions).toEqual({ wing: 'east' });
    const restated = error.restated('the east wing closes at six', { opens: '09:00' });
    expect(restated).toBeInstanceOf(WingException);
    expect(restated).toMatchObject({
      code: 'WING_CLOSED',
      status: 403,
      message: 'the east wing closes at six',
      extensions: { opens: '09:00' },
    });
  });
});
