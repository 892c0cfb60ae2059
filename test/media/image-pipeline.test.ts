import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { decode as decodeBlurhash, isBlurhashValid } from "blurhash";
import sharp from "sharp";
import { DomainError } from "../../server/platform/errors.ts";
import { MAX_IMAGE_BYTES, NOT_AN_IMAGE_MESSAGE, processImage } from "../../server/modules/media/image-pipeline.ts";
import {
  animatedGif,
  BLUE,
  decompressionBombPng,
  exifHasGps,
  gradientPng,
  jpegWithOrientationAndGps,
  RED,
  truncatedJpeg,
} from "../fixtures/images/generate-images.ts";

async function pixelAt(image: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(image).raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i]!, data[i + 1]!, data[i + 2]!];
}

function near(actual: number[], expected: { r: number; g: number; b: number }): boolean {
  return Math.abs(actual[0]! - expected.r) < 30 && Math.abs(actual[1]! - expected.g) < 30 && Math.abs(actual[2]! - expected.b) < 30;
}

async function rejection(promise: Promise<unknown>): Promise<DomainError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof DomainError, `expected an DomainError, got ${String(error)}`);
    return error;
  }
  assert.fail("expected the image to be refused");
}

describe("image pipeline", () => {
  test("the fixture really carries orientation 6, GPS, XMP and an ICC profile", async () => {
    const meta = await sharp(await jpegWithOrientationAndGps()).metadata();
    assert.equal(meta.orientation, 6);
    assert.equal(exifHasGps(meta.exif), true);
    assert.ok(meta.xmp);
    assert.ok(meta.icc);
  });

  test("applies EXIF orientation and strips EXIF, GPS, XMP and ICC", async () => {
    const out = await processImage(await jpegWithOrientationAndGps(), "attachment");
    assert.equal(out.contentType, "image/webp");
    assert.deepEqual([out.width, out.height], [300, 600]);
    const meta = await sharp(out.data).metadata();
    assert.equal(meta.format, "webp");
    assert.deepEqual([meta.width, meta.height], [300, 600]);
    assert.equal(meta.exif, undefined);
    assert.equal(meta.xmp, undefined);
    assert.equal(meta.icc, undefined);
    assert.equal(meta.iptc, undefined);
    assert.equal(meta.orientation, undefined);
    assert.equal(out.data.includes(Buffer.from("PhoneCo")), false);
    // The red half was on the left of the stored pixels; rotated 90° clockwise it is on top.
    assert.ok(near(await pixelAt(out.data, 150, 20), RED), "top is red");
    assert.ok(near(await pixelAt(out.data, 150, 580), BLUE), "bottom is blue");
  });

  test("fits an attachment within 2048 px, keeping the aspect ratio", async () => {
    const out = await processImage(await gradientPng(3000, 1000), "attachment");
    assert.deepEqual([out.width, out.height], [2048, 683]);
  });

  test("never enlarges a small attachment", async () => {
    const out = await processImage(await gradientPng(120, 80), "attachment");
    assert.deepEqual([out.width, out.height], [120, 80]);
  });

  test("crops avatars to a square of at most 400 px and banners to 3:1 of at most 1500×500", async () => {
    const source = await gradientPng(1200, 800);
    const avatar = await processImage(source, "avatar");
    assert.deepEqual([avatar.width, avatar.height], [400, 400]);
    const banner = await processImage(source, "banner");
    assert.deepEqual([banner.width, banner.height], [1200, 400]);
    const wide = await processImage(await gradientPng(2400, 600), "banner");
    assert.deepEqual([wide.width, wide.height], [1500, 500]);
    const small = await processImage(await gradientPng(150, 100), "avatar");
    assert.deepEqual([small.width, small.height], [100, 100]);
  });

  test("computes a valid 4×3 blurhash from a small thumbnail", async () => {
    const out = await processImage(await gradientPng(800, 600), "attachment");
    assert.equal(isBlurhashValid(out.blurhash).result, true);
    assert.equal(out.blurhash.length, 4 + 2 * 4 * 3);
    assert.equal(out.blurhash[0], "L", "size flag for 4×3 components");
    assert.equal(decodeBlurhash(out.blurhash, 8, 6).length, 8 * 6 * 4);
  });

  test("keeps only the first frame of an animated GIF", async () => {
    const gif = await animatedGif();
    assert.equal((await sharp(gif).metadata()).pages, 3);
    const out = await processImage(gif, "attachment");
    assert.deepEqual([out.width, out.height], [40, 30]);
    const meta = await sharp(out.data).metadata();
    assert.equal(meta.pages ?? 1, 1);
  });

  test("accepts WebP and AVIF input", async () => {
    for (const format of ["webp", "avif"] as const) {
      const input = await sharp(await gradientPng(64, 48)).toFormat(format).toBuffer();
      const out = await processImage(input, "attachment");
      assert.deepEqual([out.width, out.height], [64, 48], format);
    }
  });

  test("refuses text, HTML, SVG and TIFF as not an image", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>');
    const tiff = await sharp({ create: { width: 8, height: 8, channels: 3, background: "#000" } }).tiff().toBuffer();
    for (const input of [Buffer.from("just some text\n"), Buffer.from("<!doctype html><script>alert(1)</script>"), svg, tiff]) {
      const error = await rejection(processImage(input, "attachment"));
      assert.equal(error.kind, "invalid_input");
      assert.equal(error.message, NOT_AN_IMAGE_MESSAGE);
    }
  });

  test("refuses a truncated JPEG", async () => {
    const error = await rejection(processImage(await truncatedJpeg(), "attachment"));
    assert.equal(error.kind, "invalid_input");
    assert.match(error.message, /truncated or corrupt/);
  });

  test("refuses a 14000×14000 PNG from its header, without decoding it", async () => {
    const bomb = decompressionBombPng();
    assert.ok(bomb.length < 64 * 1024, `the bomb is ${bomb.length} bytes`);
    const started = performance.now();
    const error = await rejection(processImage(bomb, "attachment"));
    const elapsed = performance.now() - started;
    assert.equal(error.kind, "invalid_input");
    assert.equal(error.message, "The image is 14000×14000 pixels; the limit is 40 megapixels.");
    // Decoding 196 megapixels takes seconds and hundreds of MB; reading the header takes milliseconds.
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
  });

  test("refuses more than 16 MB with a 413", async () => {
    const error = await rejection(processImage(new Uint8Array(MAX_IMAGE_BYTES + 1), "attachment"));
    assert.equal(error.kind, "too_large");
  });
});
