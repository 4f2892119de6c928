/**
 * Okta's error answers (shared spec §5.5): one throwable carrying status, code, summary and
 * causes, and a factory per case, so every route fails the same way Okta does. The server
 * turns a thrown {@link OktaApiError} into the error object; anything else becomes E0000009.
 */

/** One entry of `errorCauses`: `{ errorSummary: "<field>: <message>" }`. */
export interface ErrorCause {
  errorSummary: string;
}

/**
 * An Okta API error to answer with. Throw it from a route handler.
 *
 * @example
 * throw OktaApiError.notFound(id, "EventHook");
 */
export class OktaApiError extends Error {
  override readonly name = "OktaApiError";
  readonly status: number;
  readonly errorCode: string;
  readonly errorSummary: string;
  readonly errorCauses: readonly ErrorCause[];
  /** Extra response headers (e.g. `Allow` on a 405). */
  readonly headers: Readonly<Record<string, string>>;

  constructor(
    status: number,
    errorCode: string,
    errorSummary: string,
    errorCauses: readonly ErrorCause[] = [],
    headers: Readonly<Record<string, string>> = {},
  ) {
    super(`${status} ${errorCode} ${errorSummary}`);
    this.status = status;
    this.errorCode = errorCode;
    this.errorSummary = errorSummary;
    this.errorCauses = errorCauses;
    this.headers = headers;
  }

  /**
   * 400 E0000001: the body (or a query parameter) failed validation. Each cause is
   * `<field>: <message>`; the summary names the fields, as Okta's does
   * (`Api validation failed: name`).
   */
  static validation(causes: readonly { field: string; message: string }[]): OktaApiError {
    const fields = [...new Set(causes.map((c) => c.field))].join(", ");
    return new OktaApiError(
      400,
      "E0000001",
      `Api validation failed: ${fields}`,
      causes.map((c) => ({ errorSummary: `${c.field}: ${c.message}` })),
    );
  }

  /** 400 E0000003: the body is not well-formed JSON (or not the JSON type expected). */
  static malformedBody(detail?: string): OktaApiError {
    return new OktaApiError(
      400,
      "E0000003",
      "The request body was not well-formed.",
      detail === undefined ? [] : [{ errorSummary: detail }],
    );
  }

  /** 404 E0000007 for an unknown id: `Not found: Resource not found: <id> (<Type>)`. */
  static notFound(id: string, type: string): OktaApiError {
    return new OktaApiError(404, "E0000007", `Not found: Resource not found: ${id} (${type})`);
  }

  /** 401 E0000011: missing, malformed or wrong API token. */
  static invalidToken(): OktaApiError {
    return new OktaApiError(401, "E0000011", "Invalid token provided", [], {
      "WWW-Authenticate": 'SSWS realm="Okta"',
    });
  }

  /** 405 E0000022 with `Allow`. */
  static methodNotAllowed(allow: readonly string[]): OktaApiError {
    return new OktaApiError(
      405,
      "E0000022",
      "The endpoint does not support the provided HTTP method",
      [],
      { Allow: allow.join(", ") },
    );
  }

  /** 500 E0000009: the emulator itself failed. */
  static internal(): OktaApiError {
    return new OktaApiError(500, "E0000009", "Internal Server Error");
  }
}
