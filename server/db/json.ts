import { type RawBuilder, sql } from "kysely";

/**
 * Binds a value to a jsonb slot the same way on both engines. postgres.js JSON-encodes a string
 * parameter a second time when it lands in a jsonb slot (stack-notes §4), so the JSON travels as
 * text and PostgreSQL parses it.
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`(${JSON.stringify(value)}::text)::jsonb`;
}
