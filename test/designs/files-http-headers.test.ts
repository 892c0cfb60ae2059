import assert from "node:assert/strict";
import { test } from "node:test";
import { parseByteRange } from "../../server/http/byte-range.ts";
import { contentDisposition } from "../../server/http/content-disposition.ts";

test("Content-Disposition carries the UTF-8 name in filename* and a harmless ASCII stand-in", () => {
  assert.equal(contentDisposition("attachment", "frame v2.step"), `attachment; filename="frame v2.step"; filename*=UTF-8''frame%20v2.step`);
  const tricky = contentDisposition("attachment", 'a";\r\nSet-Cookie: x=1; b\\.svg');
  assert.ok(!/[\r\n]/.test(tricky), "no line break reaches the header");
  assert.equal(tricky.split('"').length, 3, "the stand-in is one quoted string");
  assert.match(tricky, /filename\*=UTF-8''a%22%3B%0D%0ASet-Cookie%3A%20x%3D1%3B%20b%5C\.svg$/);
  assert.match(contentDisposition("inline", "Ünï's (1).png"), /^inline; filename="_n_'s \(1\)\.png"; filename\*=UTF-8''%C3%9Cn%C3%AF%27s%20%281%29\.png$/);
});

test("one byte range is read as RFC 9110 counts it; several, or nonsense, mean the whole file", () => {
  assert.deepEqual(parseByteRange("bytes=0-99", 1000), { start: 0, end: 99 });
  assert.deepEqual(parseByteRange("bytes=900-", 1000), { start: 900, end: 999 });
  assert.deepEqual(parseByteRange("bytes=-100", 1000), { start: 900, end: 999 });
  assert.deepEqual(parseByteRange("bytes=-5000", 1000), { start: 0, end: 999 });
  assert.deepEqual(parseByteRange("bytes=990-5000", 1000), { start: 990, end: 999 });
  assert.equal(parseByteRange("bytes=1000-", 1000), "unsatisfiable");
  assert.equal(parseByteRange("bytes=-0", 1000), "unsatisfiable");
  assert.equal(parseByteRange("bytes=0-1,5-6", 1000), undefined);
  assert.equal(parseByteRange("items=0-1", 1000), undefined);
  assert.equal(parseByteRange("bytes=9-3", 1000), undefined);
  assert.equal(parseByteRange(undefined, 1000), undefined);
});
