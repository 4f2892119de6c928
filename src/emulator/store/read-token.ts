/**
 * Reading an org's API token from its database without opening the org: what `hooktap
 * trigger` and `hooktap okta preview` do to talk to a running `hooktap okta` without being
 * told the token. Read-only: never creates, migrates or locks the file for writing.
 */
import { existsSync } from "node:fs";
import Database from "better-sqlite3";
import { EMULATOR_DB_APPLICATION_ID } from "./schema.js";

/** The `settings` key of the org's API token (`{ token, id }`). */
export const API_TOKEN_KEY = "api_token";

/**
 * The API token kept in the emulator database at `path`, or `undefined` when there is no such
 * file, it is not an emulator database, or it has no token yet.
 *
 * @example
 * readStoredOktaToken(".hooktap/okta.db"); // "00…"
 */
export function readStoredOktaToken(path: string): string | undefined {
  if (path === ":memory:" || !existsSync(path)) return undefined;
  let db: Database.Database | undefined;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
    if (db.pragma("application_id", { simple: true }) !== EMULATOR_DB_APPLICATION_ID)
      return undefined;
    const text = db.prepare("SELECT value FROM settings WHERE key = ?").pluck().get(API_TOKEN_KEY);
    if (typeof text !== "string") return undefined;
    const token = (JSON.parse(text) as { token?: unknown }).token;
    return typeof token === "string" ? token : undefined;
  } catch {
    return undefined;
  } finally {
    db?.close();
  }
}
