import assert from "node:assert/strict";
import { parseHTML } from "linkedom";
import { createAdmin } from "../../server/modules/accounts/registration.ts";
import type { TestNode } from "../helpers/test-node.ts";
import { sessionCookieName } from "../../server/http/session-cookie.ts";

export const PASSWORD = "correct horse battery staple";

/** Registers through the API and returns the response body (asserting 201). */
export async function registerViaApi(node: TestNode, username: string, extra: Record<string, unknown> = {}): Promise<Record<string, any>> {
  const res = await node.http.post("/api/v1/accounts").send({ username, password: PASSWORD, ...extra });
  assert.equal(res.status, 201, `registering ${username}: ${res.status} ${res.text}`);
  return res.body;
}

export async function tokenFor(node: TestNode, username: string, password = PASSWORD): Promise<string> {
  const res = await node.http.post("/api/v1/tokens").send({ username, password });
  assert.equal(res.status, 201, `token for ${username}: ${res.status} ${res.text}`);
  return res.body.token;
}

/** An admin made as the command line makes them, and a token for them. */
export async function adminToken(node: TestNode, username = "root_admin"): Promise<string> {
  const result = await createAdmin(node.deps.db, node.deps.box, { username, password: PASSWORD });
  assert.ok(result.ok, "admin created");
  return await tokenFor(node, username);
}

/** The cookies a response sets, by name, with their raw attribute strings. */
export function setCookies(res: { headers: Record<string, unknown> }): Map<string, { value: string; raw: string }> {
  const header = res.headers["set-cookie"];
  const list = Array.isArray(header) ? (header as string[]) : typeof header === "string" ? [header] : [];
  return new Map(
    list.map((raw) => {
      const [pair] = raw.split(";");
      const index = pair!.indexOf("=");
      return [pair!.slice(0, index), { value: decodeURIComponent(pair!.slice(index + 1)), raw }];
    }),
  );
}

/** A browser's first visit to a form page: its CSRF cookie and the token the form carries. */
export async function openForm(node: TestNode, path: string, cookie = ""): Promise<{ csrf: string; cookie: string; document: Document }> {
  const res = await node.http.get(path).set("Accept", "text/html").set("Cookie", cookie);
  assert.equal(res.status, 200, `${path}: ${res.status}`);
  const { document } = parseHTML(res.text);
  const field = document.querySelector('input[name="_csrf"]') as HTMLInputElement | null;
  assert.ok(field, `${path} has a _csrf field`);
  const csrfCookie = setCookies(res).get("cn_csrf")?.value ?? /cn_csrf=([^;]+)/.exec(cookie)?.[1];
  assert.equal(field.getAttribute("value"), csrfCookie, "the form's token is the cookie's");
  const jar = [cookie, `cn_csrf=${csrfCookie}`].filter(Boolean).join("; ");
  return { csrf: csrfCookie!, cookie: jar, document: document as unknown as Document };
}

/** Signs a browser in through the login form; returns its cookie header with the session. */
export async function webLogin(node: TestNode, username: string, password = PASSWORD): Promise<string> {
  const form = await openForm(node, "/login");
  const res = await node.http
    .post("/login")
    .type("form")
    .set("Cookie", form.cookie)
    .send({ _csrf: form.csrf, username, password, next: "/" });
  assert.equal(res.status, 303, `login ${username}: ${res.status}`);
  const name = sessionCookieName(node.config.publicUrl);
  const session = setCookies(res).get(name);
  assert.ok(session, "a session cookie is set");
  return `${form.cookie}; ${name}=${session.value}`;
}

export function html(text: string): Document {
  return parseHTML(text).document as unknown as Document;
}
