import { type Context, Hono } from "hono";
import { readCapped } from "../platform/read-capped.ts";
import { z } from "zod";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { DomainError, badRequest, invalidInput } from "../platform/errors.ts";
import { MAX_IMAGE_BYTES, MAX_INPUT_PIXELS } from "../modules/media/image-pipeline.ts";
import { MediaUploadSchema } from "../modules/media/media.schema.ts";
import { type ApiOperation, error, type JsonOf, Url } from "./openapi-registry.ts";

/** Room for the multipart boundaries and the text fields around the file. */
export const MAX_MULTIPART_BYTES = MAX_IMAGE_BYTES + 64 * 1024;

const TOO_LARGE_MESSAGE = `The upload is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`;

/** POST /v1/media: a member uploads an image (multipart `file`), to attach to an update or use as avatar or banner. */
export function createMediaApi(deps: AppDeps): Hono<AppEnv> {
  const api = new Hono<AppEnv>();

  api.post("/media", async (c) => {
    const viewer = requireViewer(c);
    const form = await readMultipart(c);
    const file = form.get("file");
    if (!(file instanceof Blob)) {
      throw new DomainError("invalid_input", "invalid_input", "file: attach the image as the multipart field `file`.", [
        { path: "file", message: "attach the image as the multipart field `file`" },
      ]);
    }
    if (file.size > MAX_IMAGE_BYTES) throw new DomainError("too_large", "payload_too_large", TOO_LARGE_MESSAGE);
    const fields = MediaUploadSchema.safeParse({
      description: textField(form, "description"),
      focus: textField(form, "focus"),
      purpose: textField(form, "purpose"),
    });
    if (!fields.success) throw invalidInput(fields.error);
    const info = await deps.services.media.upload(viewer.actorId, new Uint8Array(await file.arrayBuffer()), fields.data);
    const json: JsonOf<typeof MediaJson> = {
      id: info.id,
      type: "image",
      url: info.url,
      width: info.width,
      height: info.height,
      blurhash: info.blurhash,
      description: info.alt,
      focus: { x: info.focalX, y: info.focalY },
    };
    return c.json(json, 201);
  });

  return api;
}

/** A form field as a string; an empty field counts as absent so the schema's default applies. */
function textField(form: FormData, name: string): string | undefined {
  const value = form.get(name);
  if (value === null || value === "") return undefined;
  return typeof value === "string" ? value : "";
}

/**
 * Reads the multipart body with a byte cap: the declared Content-Length is checked first, then the
 * stream is counted while it is read, so a chunked or lying upload is cut off at the cap (docs/security.md#media,
 * MED-10, DOS-01). A body the CSRF check already parsed (cookie-authenticated forms) is reused.
 */
async function readMultipart(c: Context<AppEnv>): Promise<FormData> {
  const type = c.req.header("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(type)) {
    throw new DomainError("unsupported_type", "unsupported_media_type", "Send the image as multipart/form-data with the file in the `file` field.");
  }
  const declared = Number(c.req.header("content-length"));
  if (Number.isFinite(declared) && declared > MAX_MULTIPART_BYTES) throw new DomainError("too_large", "payload_too_large", TOO_LARGE_MESSAGE);
  if (c.req.raw.bodyUsed) return c.req.formData();
  const body = await readCapped(c.req.raw.body, MAX_MULTIPART_BYTES);
  if (body === null) throw new DomainError("too_large", "payload_too_large", TOO_LARGE_MESSAGE);
  try {
    return await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw badRequest("The multipart/form-data body is malformed.");
  }
}

const MediaJson = z
  .object({
    id: z.uuid(),
    type: z.literal("image"),
    url: Url.meta({ description: "The stored WebP; public, served with long-lived cache headers" }),
    width: z.number().int(),
    height: z.number().int(),
    blurhash: z.string(),
    description: z.string().meta({ description: "Alt text" }),
    focus: z.object({ x: z.number(), y: z.number() }),
  })
  .meta({ id: "Media" });

/** The multipart form as a client fills it: the image in `file`, then the text fields the handler validates. */
const MediaUploadForm = MediaUploadSchema.extend({
  file: z.file(),
  focus: z.string().optional().meta({ description: 'Focal point "x,y", each in -1..1', example: "0.2,-0.5" }),
});

export const mediaOperations: readonly ApiOperation[] = [
  {
    method: "post",
    path: "/v1/media",
    operationId: "uploadMedia",
    tags: ["media"],
    summary: "Upload an image",
    description:
      `JPEG, PNG, WebP, GIF (first frame) or AVIF, at most ${MAX_IMAGE_BYTES / 1024 / 1024} MB and ${MAX_INPUT_PIXELS / 1_000_000} megapixels. The image is re-encoded to WebP: ` +
      "orientation applied, metadata (EXIF, GPS, XMP, ICC) removed, fitted to its purpose (avatar 400×400 square, " +
      "banner 1500×500, attachment 2048 px on the longest side; never enlarged). `description` is the alt text.",
    auth: true,
    body: { schema: MediaUploadForm, contentType: "multipart/form-data" },
    responses: {
      201: { description: "The stored image", schema: MediaJson },
      401: error("Not signed in"),
      413: error(TOO_LARGE_MESSAGE),
      415: error("The body is not multipart/form-data"),
      422: error("Not a supported image, too many pixels, corrupt, or a bad field"),
    },
  },
];
