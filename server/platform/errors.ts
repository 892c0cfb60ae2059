import type { z } from "zod";

/**
 * What kind of expected failure a domain error is. Domain code says what went wrong in its own
 * terms; server/http/error-status.ts is the one place that turns a kind into an HTTP status (and the
 * app's error handler into JSON under /api or an HTML page elsewhere).
 */
export type DomainErrorKind =
  | "bad_request"
  | "unauthenticated"
  | "forbidden"
  | "not_found"
  | "conflict"
  | "gone"
  | "too_large"
  | "unsupported_type"
  | "invalid_input"
  | "rate_limited";

/**
 * An expected failure with a message safe to show. Unexpected failures are plain errors and become a
 * 500 with a generic message.
 */
export class DomainError extends Error {
  readonly kind: DomainErrorKind;
  readonly code: string;
  readonly issues: readonly { path: string; message: string }[] | undefined;
  constructor(kind: DomainErrorKind, code: string, message: string, issues?: DomainError["issues"]) {
    super(message);
    this.name = "DomainError";
    this.kind = kind;
    this.code = code;
    this.issues = issues;
  }
}

export const badRequest = (message: string) => new DomainError("bad_request", "bad_request", message);
export const unauthorized = (message = "Sign in or send a valid API token.") => new DomainError("unauthenticated", "unauthorized", message);
export const forbidden = (message = "You are not allowed to do this.") => new DomainError("forbidden", "forbidden", message);
export const notFound = (message = "Not found.") => new DomainError("not_found", "not_found", message);
export const conflict = (message: string) => new DomainError("conflict", "conflict", message);
export const gone = (message = "This was deleted.") => new DomainError("gone", "gone", message);
export const tooManyRequests = (message: string) => new DomainError("rate_limited", "rate_limited", message);

/** A zod failure as an invalid-input error whose message names each field and what was wrong with it. */
export function invalidInput(error: z.ZodError): DomainError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
  const message = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  return new DomainError("invalid_input", "invalid_input", message, issues);
}
