import assert from "node:assert/strict";
import { request as httpRequest } from "node:http";
import type { AddressInfo } from "node:net";
import { after, before, describe, test } from "node:test";
import { getRequestListener } from "@hono/node-server";
import { isBlurhashValid } from "blurhash";
import sharp from "sharp";
import { insertAccount } from "../../server/modules/accounts/account.repository.ts";
import { createApiToken, createSession } from "../../server/modules/accounts/credential.repository.ts";
import { statusOf } from "../../server/http/error-status.ts";
import { sessionCookieName } from "../../server/http/session-cookie.ts";
import { insertActor } from "../../server/modules/actors/actor.repository.ts";
import { MAX_IMAGE_BYTES } from "../../server/modules/media/image-pipeline.ts";
import {
  attachProfileImage,
  findMediaByIds,
  findMediaForOwner,
  storeUpload,
} from "../../server/modules/media/media.service.ts";
import type { MediaPurpose } from "../../server/modules/media/media.schema.ts";
import { mediaUrl } from "../../server/modules/media/media-url.ts";
import {
  decompressionBombPng,
  exifHasGps,
  gradientPng,
  jpegWithOrientationAndGps,
  truncatedJpeg,
} from "../fixtures/images/generate-images.ts";
import { DomainError } from "../../server/platform/errors.ts";
import { ENGINE_LABEL } from "../helpers/test-database.ts";
import { createTestNode, type TestNode } from "../helpers/test-node.ts";

const NOT_AN_IMAGE = "The file is not an image (expected JPEG, PNG, WebP, GIF or AVIF).";

interface Member {
  readonly actorId: number;
  readonly accountId: number;
  readonly token: string;
}

let node: TestNode;
let ada: Member;
let bob: Member;

/** Members are made directly in the database, independent of the registration API. */
async function createMember(handle: string): Promise<Member> {
  const actor = await insertActor(node.database.db, { handle, kind: "person", name: handle, summary: "" });
  assert.ok(actor);
  const accountId = await insertAccount(node.database.db, { actorId: actor.id, passwordHash: "unused", role: "member", status: "active" });
  const { token } = await createApiToken(node.database.db, accountId, "media tests");
  return { actorId: actor.id, accountId, token };
}

before(async () => {
  node = await createTestNode();
  ada = await createMember("ada");
  bob = await createMember("bob");
});
after(async () => {
  await node.close();
});

function upload(member: Member, file: Buffer, filename: string, fields: Record<string, string> = {}, contentType?: string) {
  const req = node.http.post("/api/v1/media").set("Authorization", `Bearer ${member.token}`);
  for (const [name, value] of Object.entries(fields)) req.field(name, value);
  return req.attach("file", file, contentType ? { filename, contentType } : filename);
}

/** A domain error the HTTP edge answers with `status` (domain errors carry a kind; server/http/error-status.ts maps it). */
const answeredWith = (status: number) => (error: unknown) => error instanceof DomainError && statusOf(error) === status;

describe(`POST /api/v1/media (${ENGINE_LABEL})`, () => {
  test("stores a phone photo rotated, without EXIF or GPS, and serves it back", async () => {
    const fields = { description: "  A red and blue card  ", focus: "0.25,-0.5" };
    const res = await upload(ada, await jpegWithOrientationAndGps(), "photo.jpg", fields)
      .expect(201)
      .expect("content-type", /json/);
    assert.match(res.body.id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(res.body.type, "image");
    assert.equal(res.body.url, `https://city-a.test/media/${res.body.id}.webp`);
    assert.equal(res.body.width, 300);
    assert.equal(res.body.height, 600);
    assert.equal(res.body.description, "A red and blue card");
    assert.deepEqual(res.body.focus, { x: 0.25, y: -0.5 });
    assert.equal(isBlurhashValid(res.body.blurhash).result, true);

    const row = await node.database.db.selectFrom("media").selectAll().where("id", "=", res.body.id).executeTakeFirstOrThrow();
    assert.equal(row.owner_actor_id, ada.actorId);
    assert.equal(row.purpose, "attachment");
    assert.equal(row.content_type, "image/webp");
    assert.equal(row.bytes, row.data.byteLength);
    assert.equal(row.alt, "A red and blue card");

    const served = await node.http.get(new URL(res.body.url).pathname).buffer(true).expect(200);
    assert.equal(served.headers["content-type"], "image/webp");
    const stored = served.body as Buffer;
    assert.equal(stored.byteLength, row.bytes);
    const meta = await sharp(stored).metadata();
    assert.equal(meta.format, "webp");
    assert.deepEqual([meta.width, meta.height], [300, 600]);
    assert.equal(meta.exif, undefined);
    assert.equal(exifHasGps(meta.exif), false);
    assert.equal(meta.xmp, undefined);
    assert.equal(meta.icc, undefined);
  });

  test("resizes a large PNG within 2048 px, keeping its aspect ratio", async () => {
    const res = await upload(ada, await gradientPng(4096, 1024), "wide.png").expect(201);
    assert.deepEqual([res.body.width, res.body.height], [2048, 512]);
    assert.deepEqual(res.body.focus, { x: 0, y: 0 });
    assert.equal(res.body.description, "");
  });

  test("crops an avatar upload to a square", async () => {
    const res = await upload(ada, await gradientPng(900, 600), "me.png", { purpose: "avatar" }).expect(201);
    assert.deepEqual([res.body.width, res.body.height], [400, 400]);
  });

  test("refuses a text file with a 422 that says it is not an image", async () => {
    const res = await upload(ada, Buffer.from("hello, this is a plain text file\n"), "notes.txt").expect(422);
    assert.equal(res.body.error, "not_an_image");
    assert.equal(res.body.message, NOT_AN_IMAGE);
  });

  test("refuses HTML named x.png and labelled image/png (type comes from magic bytes)", async () => {
    const html = Buffer.from("<!doctype html><html><body><script>alert(document.cookie)</script></body></html>");
    const res = await upload(ada, html, "x.png", {}, "image/png").expect(422);
    assert.equal(res.body.message, NOT_AN_IMAGE);
  });

  test("refuses a truncated JPEG and stores nothing", async () => {
    const before = await countMedia();
    const res = await upload(ada, await truncatedJpeg(), "cut.jpg").expect(422);
    assert.match(res.body.message, /truncated or corrupt/);
    assert.equal(await countMedia(), before);
  });

  test("refuses a 14000×14000 PNG bomb quickly, from its header", async () => {
    const started = performance.now();
    const res = await upload(ada, decompressionBombPng(), "bomb.png").expect(422);
    assert.equal(res.body.message, "The image is 14000×14000 pixels; the limit is 40 megapixels.");
    assert.ok(performance.now() - started < 2000);
  });

  test("refuses bad fields with a 422 naming them", async () => {
    const png = await gradientPng(20, 20);
    const focus = await upload(ada, png, "a.png", { focus: "2,0" }).expect(422);
    assert.equal(focus.body.issues[0].path, "focus");
    const purpose = await upload(ada, png, "a.png", { purpose: "wallpaper" }).expect(422);
    assert.equal(purpose.body.issues[0].path, "purpose");
    const alt = await upload(ada, png, "a.png", { description: "x".repeat(1501) }).expect(422);
    assert.equal(alt.body.issues[0].path, "description");
    const noFile = await node.http.post("/api/v1/media").set("Authorization", `Bearer ${ada.token}`).field("description", "x").expect(422);
    assert.match(noFile.body.message, /file/);
  });

  test("refuses a body that is not multipart with a 415", async () => {
    const png = await gradientPng(10, 10);
    await node.http.post("/api/v1/media").set("Authorization", `Bearer ${ada.token}`).set("Content-Type", "image/png").send(png).expect(415);
  });

  test("refuses an upload larger than 16 MB with a 413 (declared length)", async () => {
    const res = await upload(ada, Buffer.alloc(MAX_IMAGE_BYTES + 100 * 1024), "huge.png").expect(413);
    assert.equal(res.body.error, "payload_too_large");
  });

  test("cuts off a chunked upload without Content-Length at the cap with a 413", async () => {
    const { status, body } = await postChunked(MAX_IMAGE_BYTES + 1024 * 1024, ada.token);
    assert.equal(status, 413);
    assert.equal(JSON.parse(body).error, "payload_too_large");
  });

  test("refuses anonymous uploads with a 401", async () => {
    const png = await gradientPng(10, 10);
    await node.http.post("/api/v1/media").set("Authorization", "Bearer not-a-token").attach("file", png, "a.png").expect(401);
    // A browser that is signed out: a valid CSRF pair but no session.
    const csrf = "c".repeat(43);
    const res = await node.http
      .post("/api/v1/media")
      .set("Cookie", `cn_csrf=${csrf}`)
      .field("_csrf", csrf)
      .attach("file", png, "a.png")
      .expect(401);
    assert.equal(res.body.error, "unauthorized");
  });

  test("accepts a signed-in browser's form upload (session cookie and CSRF field)", async () => {
    const session = await createSession(node.database.db, ada.accountId);
    const csrf = "s".repeat(43);
    const res = await node.http
      .post("/api/v1/media")
      .set("Cookie", `${sessionCookieName(node.config.publicUrl)}=${session}; cn_csrf=${csrf}`)
      .field("_csrf", csrf)
      .field("purpose", "banner")
      .attach("file", await gradientPng(3000, 2000), "banner.png")
      .expect(201);
    assert.deepEqual([res.body.width, res.body.height], [1500, 500]);
  });

  test("is described in the OpenAPI document", async () => {
    const res = await node.http.get("/api/openapi.json").expect(200);
    const post = res.body.paths["/v1/media"].post;
    assert.ok(post.requestBody.content["multipart/form-data"].schema.properties.file);
    assert.ok(post.responses["201"]);
  });
});

describe(`GET /media/{id} (${ENGINE_LABEL})`, () => {
  let id: string;
  before(async () => {
    id = (await store(ada, 64, 64, "attachment")).id;
  });

  test("serves the WebP publicly with hardening and long cache headers", async () => {
    for (const path of [`/media/${id}`, `/media/${id}.webp`]) {
      const res = await node.http.get(path).buffer(true).expect(200);
      assert.equal(res.headers["content-type"], "image/webp");
      assert.equal(res.headers["x-content-type-options"], "nosniff");
      assert.equal(res.headers["content-security-policy"], "default-src 'none'; sandbox");
      assert.equal(res.headers["cache-control"], "public, max-age=31536000, immutable");
      assert.equal(res.headers["etag"], `"${id}"`);
      assert.equal((await sharp(res.body as Buffer).metadata()).format, "webp");
    }
  });

  test("answers HEAD with the headers and no body", async () => {
    const res = await node.http.head(`/media/${id}.webp`).expect(200);
    assert.equal(res.headers["content-type"], "image/webp");
    assert.ok(Number(res.headers["content-length"]) > 0);
  });

  test("answers a revalidation with 304", async () => {
    await node.http.get(`/media/${id}`).set("If-None-Match", `"${id}"`).expect(304);
  });

  test("404 for unknown ids and malformed names", async () => {
    await node.http.get("/media/0190f5a4-0000-7000-8000-000000000000.webp").expect(404);
    await node.http.get("/media/not-an-id").expect(404);
    await node.http.get(`/media/${id}.png`).expect(404);
  });

  test("mediaUrl links to the served file", () => {
    assert.equal(mediaUrl(new URL("https://city-a.test"), id), `https://city-a.test/media/${id}.webp`);
  });
});

describe(`media for other modules (${ENGINE_LABEL})`, () => {
  test("attachProfileImage sets a member's avatar and banner from their own uploads", async () => {
    const avatar = await store(ada, 500, 500, "avatar", "Ada");
    const banner = await store(ada, 1500, 500, "banner");
    await attachProfileImage(node.database.db, ada.actorId, avatar.id, "avatar");
    await attachProfileImage(node.database.db, ada.actorId, banner.id, "banner");
    const actor = await node.database.db
      .selectFrom("actors")
      .select(["avatar_media_id", "banner_media_id"])
      .where("id", "=", ada.actorId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(actor, { avatar_media_id: avatar.id, banner_media_id: banner.id });
  });

  test("attachProfileImage refuses someone else's upload (404) and an upload made for another purpose (422)", async () => {
    const bobs = await store(bob, 50, 50, "avatar");
    await assert.rejects(attachProfileImage(node.database.db, ada.actorId, bobs.id, "avatar"), answeredWith(404));
    await assert.rejects(attachProfileImage(node.database.db, ada.actorId, "no-such-id", "avatar"), answeredWith(404));
    const attachment = await store(ada, 50, 50, "attachment");
    await assert.rejects(attachProfileImage(node.database.db, ada.actorId, attachment.id, "avatar"), answeredWith(422));
  });

  test("attachProfileImage sets a project's avatar from the uploading maintainer's upload", async () => {
    const project = await insertActor(node.database.db, { handle: "bike-kitchen", kind: "group", name: "Bike Kitchen", summary: "" });
    assert.ok(project);
    const upload = await store(bob, 80, 80, "avatar");
    await assert.rejects(attachProfileImage(node.database.db, project.id, upload.id, "avatar"), answeredWith(404));
    await attachProfileImage(node.database.db, project.id, upload.id, "avatar", bob.actorId);
    const row = await node.database.db.selectFrom("actors").select("avatar_media_id").where("id", "=", project.id).executeTakeFirst();
    assert.equal(row?.avatar_media_id, upload.id);
  });

  test("findMediaForOwner keeps only the owner's uploads; findMediaByIds returns them in order with URLs", async () => {
    const a = await store(ada, 30, 20, "attachment", "alt", { x: -1, y: 1 });
    const b = await store(bob, 30, 20, "attachment", "alt", { x: -1, y: 1 });
    assert.deepEqual((await findMediaForOwner(node.database.db, [b.id, a.id], ada.actorId)).map((m) => m.id), [a.id]);
    assert.deepEqual(await findMediaForOwner(node.database.db, [], ada.actorId), []);
    const infos = await findMediaByIds(node.database.db, [b.id, "missing", a.id], node.config.publicUrl);
    assert.deepEqual(infos.map((m) => m.id), [b.id, a.id]);
    assert.deepEqual(infos[0], {
      id: b.id,
      url: `https://city-a.test/media/${b.id}.webp`,
      contentType: "image/webp",
      width: 30,
      height: 20,
      blurhash: b.blurhash,
      alt: "alt",
      focalX: -1,
      focalY: 1,
    });
  });
});

/** Stores an upload directly through the module, as other modules' forms would. */
async function store(owner: Member, width: number, height: number, purpose: MediaPurpose, description = "", focus = { x: 0, y: 0 }) {
  return storeUpload(node.database.db, owner.actorId, await gradientPng(width, height), { description, focus, purpose });
}

async function countMedia(): Promise<number> {
  const row = await node.database.db.selectFrom("media").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Streams a multipart body with Transfer-Encoding: chunked (no Content-Length) to a real socket. */
async function postChunked(totalBytes: number, token: string): Promise<{ status: number; body: string }> {
  const { createServer } = await import("node:http");
  const server = createServer(getRequestListener(node.app.fetch));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  try {
    return await new Promise((resolve, reject) => {
      const boundary = "----media-test-boundary";
      const req = httpRequest({
        host: "127.0.0.1",
        port,
        method: "POST",
        path: "/api/v1/media",
        headers: { authorization: `Bearer ${token}`, "content-type": `multipart/form-data; boundary=${boundary}`, host: "city-a.test" },
      });
      let answered = false;
      req.on("response", (res) => {
        answered = true;
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => {
          resolve({ status: res.statusCode ?? 0, body });
          req.destroy();
        });
      });
      req.on("error", (error) => (error.message.includes("EPIPE") || error.message.includes("reset") ? undefined : reject(error)));
      req.write(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.png"\r\nContent-Type: image/png\r\n\r\n`);
      const chunk = Buffer.alloc(256 * 1024);
      let sent = 0;
      const pump = (): void => {
        while (sent < totalBytes && !answered) {
          sent += chunk.length;
          if (!req.write(chunk)) {
            req.once("drain", pump);
            return;
          }
        }
        if (!answered) req.end(`\r\n--${boundary}--\r\n`);
      };
      pump();
    });
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}
