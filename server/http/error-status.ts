import type { DomainError, DomainErrorKind } from "../platform/errors.ts";

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429;

const STATUS: Record<DomainErrorKind, ErrorStatus> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  gone: 410,
  too_large: 413,
  unsupported_type: 415,
  invalid_input: 422,
  rate_limited: 429,
};

/** The HTTP status of a domain error (RFC 9110 §15.5): the one place where domain failures meet HTTP. */
export function statusOf(error: Pick<DomainError, "kind">): ErrorStatus {
  return STATUS[error.kind];
}
