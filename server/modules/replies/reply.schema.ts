import { z } from "zod";
import { WebUrlSchema } from "../following/following.schemas.ts";

export const REPLY_MAX = 5000;

/** A member's reply to a post on another server; `content` is Markdown. */
export const ReplySchema = z.object({
  inReplyTo: WebUrlSchema,
  content: z
    .string({ error: "is required" })
    .overwrite((v) => v.replace(/\r\n?/g, "\n"))
    .trim()
    .min(1, { error: "must not be empty" })
    .max(REPLY_MAX, { error: `must be at most ${REPLY_MAX} characters` }),
});
export type ReplyInput = z.output<typeof ReplySchema>;
