/**
 * An answer other than 200 that the client can act on: the status and a one-line reason, sent as
 * `{"error": reason}`. Anything else thrown while answering is an internal error: the client gets
 * a 500 with no detail and the server logs one line (never a stack in a response).
 */
export class HttpError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 405 | 503,
    message: string,
  ) {
    // An answer, not a bug: skip capturing a stack (measurable on a 404 per request under load).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(message);
    Error.stackTraceLimit = limit;
    this.name = 'HttpError';
  }
}

export const badRequest = (message: string): HttpError => new HttpError(400, message);
export const notFound = (message: string): HttpError => new HttpError(404, message);
export const unavailable = (message: string): HttpError => new HttpError(503, message);
