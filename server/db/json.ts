import { type RawBuilder, sql } from "kysely";

/**
 * Binds a value to a jsonb slot the same way on both engines. postgres.js JSON-encodes a string
 * parameter a second time when it lands in a jsonb slot (docs/stack.md#pglite-and-postgresql), so the JSON travels as
 * text and PostgreSQL parses it.
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`(${JSON.stringify(value)}::text)::jsonb`;
}
