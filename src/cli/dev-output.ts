/**
 * What `hooktap dev` prints once everything runs: every URL, the hook, and three commands to
 * try next.
 */
import type { DevHook } from "./dev-hook.js";

/** What the banner shows. */
export interface DevBannerInfo {
  orgUrl: string;
  token: string;
  dataDir: string;
  /** Whether `dataDir` is the default (the printed commands then need no `--data`). */
  defaultDataDir: boolean;
  publicUrl: string;
  hookUri: string;
  hook: DevHook;
  /** `--app`, or null for the sample. */
  app: string | null;
  sampleUrl: string | null;
  inspectorUrl: string;
  relayUrl: string;
}

/** The banner's lines. */
export function devBanner(info: DevBannerInfo): string[] {
  const okta = info.orgUrl === "http://127.0.0.1:7070" ? "" : ` --okta ${info.orgUrl}`;
  const data = info.defaultDataDir ? "" : ` --data ${info.dataDir}/okta.db`;
  const verification = info.hook.verified
    ? "VERIFIED"
    : `NOT VERIFIED (${info.hook.verificationError ?? "no answer"}); start your app, then: curl -X POST -H "Authorization: SSWS ${info.token}" ${info.orgUrl}/api/v1/eventHooks/${info.hook.id}/lifecycle/verify`;
  const inspector =
    info.inspectorUrl === "http://127.0.0.1:4040" ? "" : ` --inspector ${info.inspectorUrl}`;
  const replay = `hooktap requests${inspector}   (pick an id), then: hooktap replay <id>${inspector}`;
  const person = JSON.stringify({
    profile: {
      firstName: "Ada",
      lastName: "Lovelace",
      email: "ada.lovelace@example.com",
      login: "ada.lovelace@example.com",
    },
  });
  return [
    "hooktap dev: a local Okta org, a tunnel and an inspector",
    `Okta org:     ${info.orgUrl}   (API token ${info.token})`,
    `Public URL:   ${info.publicUrl}   (embedded relay ${info.relayUrl})`,
    `App:          ${info.app ?? `${info.sampleUrl} (the sample app of Okta's guides)`}`,
    `Inspector:    ${info.inspectorUrl}`,
    `Event hook:   ${info.hook.id} "hooktap dev" (${info.hook.action}) → ${info.hookUri}: ${verification}`,
    `State:        ${info.dataDir}`,
    "Try next:",
    `  1. Add a person: curl -X POST -H "Authorization: SSWS ${info.token}" -H "Content-Type: application/json" "${info.orgUrl}/api/v1/users?activate=true" -d '${person}'`,
    `  2. Fire an event: hooktap trigger user.lifecycle.create${okta}${data}`,
    `  3. Send it again: ${replay}`,
    "Press Ctrl-C to stop.",
  ];
}
