import type { z } from "zod";

/**
 * An expected failure with a message safe to show: mapped to a 4xx by the app's one error handler
 * (JSON under /api, an HTML page elsewhere). Unexpected failures are plain errors and become a 500
 * with a generic message.
 */
export class AppError extends Error {
  readonly status: 400 | 401 | 403 | 404 | 409 | 410 | 413 | 415 | 422 | 429;
  readonly code: string;
  readonly issues: readonly { path: string; message: string }[] | undefined;
  constructor(status: AppError["status"], code: string, message: string, issues?: AppError["issues"]) {
    super(message);
    this.name = "AppError";
    this.status = status;
    this.code = code;
    this.issues = issues;
  }
}

export const badRequest = (message: string) => new AppError(400, "bad_request", message);
export const unauthorized = (message = "Sign in or send a valid API token.") => new AppError(401, "unauthorized", message);
export const forbidden = (message = "You are not allowed to do this.") => new AppError(403, "forbidden", message);
export const notFound = (message = "Not found.") => new AppError(404, "not_found", message);
export const conflict = (message: string) => new AppError(409, "conflict", message);
export const gone = (message = "This was deleted.") => new AppError(410, "gone", message);
export const tooManyRequests = (message: string) => new AppError(429, "rate_limited", message);

/** A zod failure as a 422 whose message names each field and what was wrong with it. */
export function invalidInput(error: z.ZodError): AppError {
  const issues = error.issues.map((issue) => ({
    path: issue.path.map(String).join(".") || "(body)",
    message: issue.message,
  }));
  const message = issues.map((i) => `${i.path}: ${i.message}`).join("; ");
  return new AppError(422, "invalid_input", message, issues);
}
