import type { z } from "zod";
import type { AppDeps } from "../server/http/app-env.ts";
import { DomainError } from "../server/platform/errors.ts";
import { MAX_IMAGE_BYTES } from "../server/modules/media/image-pipeline.ts";
import { type MediaPurpose, MediaUploadSchema } from "../server/modules/media/media.schema.ts";
import type { ProjectView } from "../server/modules/projects/project.service.ts";
import { formText } from "./form-values.ts";
import type { FieldErrors } from "./pages/account-form.ts";
import type { ProjectFormValues } from "./pages/project-form-page.ts";
import { statusOf } from "../server/http/error-status.ts";

/** The project form's fields as typed, and the same as the schema's input shape. */
export function projectFormValues(body: Record<string, unknown>): ProjectFormValues {
  return {
    handle: formText(body, "handle"),
    name: formText(body, "name"),
    summary: formText(body, "summary"),
    tags: formText(body, "tags"),
    locationName: formText(body, "locationName"),
    latitude: formText(body, "latitude"),
    longitude: formText(body, "longitude"),
    locality: formText(body, "locality"),
    region: formText(body, "region"),
    country: formText(body, "country"),
    bioregion: formText(body, "bioregion"),
    website: formText(body, "website"),
    archived: formText(body, "archived") === "true",
    // A form without the directory box (an older page) leaves the choice as it was.
    listed: formText(body, "listedShown") === "" ? undefined : formText(body, "listed") === "true",
  };
}

/** The form always sends every field: an emptied one clears it. */
export function projectInputFromForm(values: ProjectFormValues): Record<string, unknown> {
  const anyLocation = [values.locationName, values.latitude, values.longitude, values.locality, values.region, values.country, values.bioregion].some((v) => v.trim() !== "");
  return {
    handle: values.handle,
    name: values.name,
    summary: values.summary,
    tags: values.tags,
    location: anyLocation
      ? { name: values.locationName.trim() || undefined, latitude: values.latitude, longitude: values.longitude, locality: values.locality, region: values.region, country: values.country, bioregion: values.bioregion }
      : null,
    website: values.website.trim() === "" ? null : values.website,
    archived: values.archived,
    ...(values.listed !== undefined && { listed: values.listed }),
  };
}

export function projectFormValuesOf(project: ProjectView): ProjectFormValues {
  return {
    handle: project.handle,
    name: project.name,
    summary: project.summaryMarkdown,
    tags: project.tags.join(", "),
    locationName: project.location?.name ?? "",
    latitude: project.location ? String(project.location.latitude) : "",
    longitude: project.location ? String(project.location.longitude) : "",
    locality: project.location?.locality ?? "",
    region: project.location?.region ?? "",
    country: project.location?.country ?? "",
    bioregion: project.location?.bioregion ?? "",
    website: project.website ?? "",
    archived: project.archivedAt !== null,
    listed: project.listed,
  };
}

/** A zod failure as one message per form field; location's parts map to their own inputs. */
export function projectFieldErrors(error: z.ZodError): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error.issues) {
    let field = issue.path.length > 0 ? String(issue.path[0]) : "form";
    if (field === "location" && issue.path.length > 1) field = issue.path[1] === "name" ? "locationName" : String(issue.path[1]);
    errors[field] ??= issue.message;
  }
  return errors;
}

/** A DomainError raised while handling a form, as a status and the field it concerns. */
export function formError(error: unknown, field: string, useIssuePath = true): { status: 404 | 409 | 413 | 415 | 422; errors: FieldErrors } {
  const status = error instanceof DomainError ? statusOf(error) : undefined;
  if (!(error instanceof DomainError) || (status !== 404 && status !== 409 && status !== 413 && status !== 415 && status !== 422)) throw error;
  const issue = useIssuePath ? error.issues?.[0] : undefined;
  return { status, errors: { [issue?.path.split(".")[0] ?? field]: issue?.message ?? error.message } };
}

/**
 * A file chosen in a form goes through the media pipeline (EXIF stripped, WebP, blurhash) and is
 * stored as the member's upload; no file gives undefined. Throws a 413/422 DomainError for bad files.
 */
export async function uploadFormImage(deps: AppDeps, actorId: number, file: unknown, purpose: MediaPurpose, description = ""): Promise<string | undefined> {
  if (!(file instanceof Blob) || file.size === 0) return undefined;
  if (file.size > MAX_IMAGE_BYTES) throw new DomainError("too_large", "payload_too_large", `The image is larger than ${MAX_IMAGE_BYTES / 1024 / 1024} MB.`);
  const upload = MediaUploadSchema.safeParse({ purpose, description });
  if (!upload.success) throw new DomainError("invalid_input", "invalid_input", upload.error.issues[0]?.message ?? "The description is invalid.");
  const record = await deps.services.media.upload(actorId, new Uint8Array(await file.arrayBuffer()), upload.data);
  return record.id;
}
