import { type Context, Hono } from "hono";
import type { AppDeps, AppEnv } from "../http/app-env.ts";
import { requireViewer } from "../http/viewer.ts";
import { AppError, badRequest, invalidInput } from "../platform/errors.ts";
import { MAX_IMAGE_BYTES } from "../modules/media/image-pipeline.ts";
import { MAX_ALT_LENGTH, MEDIA_PURPOSES, MediaUploadSchema } from "../modules/media/media.schema.ts";
import { storeUpload, toMediaInfo } from "../modules/media/media.service.ts";
import { BEARER, ERROR_SCHEMA, jsonResponse, type OpenApiPaths } from "./openapi-registry.ts";

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
      throw new AppError(422, "invalid_input", "file: attach the image as the multipart field `file`.", [
        { path: "file", message: "attach the image as the multipart field `file`" },
      ]);
    }
    if (file.size > MAX_IMAGE_BYTES) throw new AppError(413, "payload_too_large", TOO_LARGE_MESSAGE);
    const fields = MediaUploadSchema.safeParse({
      description: textField(form, "description"),
      focus: textField(form, "focus"),
      purpose: textField(form, "purpose"),
    });
    if (!fields.success) throw invalidInput(fields.error);
    const record = await storeUpload(deps.db, viewer.actorId, new Uint8Array(await file.arrayBuffer()), fields.data);
    const info = toMediaInfo(record, deps.config.publicUrl);
    return c.json(
      {
        id: info.id,
        type: "image",
        url: info.url,
        width: info.width,
        height: info.height,
        blurhash: info.blurhash,
        description: info.alt,
        focus: { x: info.focalX, y: info.focalY },
      },
      201,
    );
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
    throw new AppError(415, "unsupported_media_type", "Send the image as multipart/form-data with the file in the `file` field.");
  }
  const declared = Number(c.req.header("content-length"));
  if (Number.isFinite(declared) && declared > MAX_MULTIPART_BYTES) throw new AppError(413, "payload_too_large", TOO_LARGE_MESSAGE);
  if (c.req.raw.bodyUsed) return c.req.formData();
  const body = await readLimited(c.req.raw.body, MAX_MULTIPART_BYTES);
  try {
    return await new Response(body, { headers: { "content-type": type } }).formData();
  } catch {
    throw badRequest("The multipart/form-data body is malformed.");
  }
}

async function readLimited(stream: ReadableStream<Uint8Array> | null, limit: number): Promise<Uint8Array<ArrayBuffer>> {
  if (stream === null) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new AppError(413, "payload_too_large", TOO_LARGE_MESSAGE);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

const MEDIA_SCHEMA = {
  type: "object",
  required: ["id", "type", "url", "width", "height", "blurhash", "description", "focus"],
  properties: {
    id: { type: "string", format: "uuid" },
    type: { type: "string", const: "image" },
    url: { type: "string", format: "uri", description: "The stored WebP; public, served with long-lived cache headers" },
    width: { type: "integer" },
    height: { type: "integer" },
    blurhash: { type: "string" },
    description: { type: "string", description: "Alt text" },
    focus: { type: "object", properties: { x: { type: "number" }, y: { type: "number" } } },
  },
} as const;

export const mediaOpenApi: OpenApiPaths = {
  "/v1/media": {
    post: {
      summary: "Upload an image",
      description:
        "JPEG, PNG, WebP, GIF (first frame) or AVIF, at most 16 MB and 40 megapixels. The image is re-encoded to WebP: " +
        "orientation applied, metadata (EXIF, GPS, XMP, ICC) removed, fitted to its purpose (avatar 400×400 square, " +
        "banner 1500×500, attachment 2048 px on the longest side; never enlarged).",
      security: BEARER,
      requestBody: {
        required: true,
        content: {
          "multipart/form-data": {
            schema: {
              type: "object",
              required: ["file"],
              properties: {
                file: { type: "string", format: "binary" },
                description: { type: "string", maxLength: MAX_ALT_LENGTH, description: "Alt text" },
                focus: { type: "string", description: 'Focal point "x,y", each in -1..1', example: "0.2,-0.5" },
                purpose: { type: "string", enum: [...MEDIA_PURPOSES], default: "attachment" },
              },
            },
          },
        },
      },
      responses: {
        201: jsonResponse("The stored image", MEDIA_SCHEMA),
        401: jsonResponse("Not signed in", ERROR_SCHEMA),
        413: jsonResponse("The upload is larger than 16 MB", ERROR_SCHEMA),
        415: jsonResponse("The body is not multipart/form-data", ERROR_SCHEMA),
        422: jsonResponse("Not a supported image, too many pixels, corrupt, or a bad field", ERROR_SCHEMA),
      },
    },
  },
};
