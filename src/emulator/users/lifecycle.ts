/**
 * Okta's user lifecycle as a table: which operation is allowed in which status, where it
 * leads, and the error Okta answers otherwise (shared spec; Okta's Users API reference).
 *
 * ```
 * STAGED ──activate──► PROVISIONED (no password) / ACTIVE (password)
 * PROVISIONED ──reactivate──► PROVISIONED
 * ACTIVE ──suspend──► SUSPENDED ──unsuspend──► ACTIVE
 * any but DEPROVISIONED ──deactivate──► DEPROVISIONED ──activate──► PROVISIONED / ACTIVE
 * DEPROVISIONED ──delete──► (gone)
 * ```
 */
import { OktaApiError } from "../http/okta-api-error.js";
import type { UserStatus } from "../store/users.js";

/** The lifecycle operations of `/api/v1/users/:id/lifecycle/*`. */
export type LifecycleOperation = "activate" | "reactivate" | "deactivate" | "suspend" | "unsuspend";

const ALLOWED: Readonly<Record<LifecycleOperation, readonly UserStatus[]>> = {
  activate: ["STAGED", "DEPROVISIONED"],
  reactivate: ["PROVISIONED"],
  deactivate: ["STAGED", "PROVISIONED", "ACTIVE", "SUSPENDED"],
  suspend: ["ACTIVE"],
  unsuspend: ["SUSPENDED"],
};

/** The operations allowed in `status`, in the order of the user's `_links`. */
export function allowedOperations(status: UserStatus): LifecycleOperation[] {
  return (Object.keys(ALLOWED) as LifecycleOperation[]).filter((op) =>
    ALLOWED[op].includes(status),
  );
}

/**
 * The status after `operation`, or the error Okta answers when `status` does not allow it.
 * `hasPassword` decides where activation leads (ACTIVE with a password, else PROVISIONED).
 *
 * @throws {OktaApiError} 403 E0000016 (activate an active user), 400 E0000001 (suspend a user
 *   who is not active, unsuspend one who is not suspended), 403 E0000038 otherwise.
 */
export function nextStatus(
  operation: LifecycleOperation,
  status: UserStatus,
  hasPassword: boolean,
): UserStatus {
  if (!ALLOWED[operation].includes(status)) throw transitionError(operation, status);
  switch (operation) {
    case "activate":
      return hasPassword ? "ACTIVE" : "PROVISIONED";
    case "reactivate":
      return "PROVISIONED";
    case "deactivate":
      return "DEPROVISIONED";
    case "suspend":
      return "SUSPENDED";
    case "unsuspend":
      return "ACTIVE";
  }
}

function transitionError(operation: LifecycleOperation, status: UserStatus): OktaApiError {
  if (operation === "activate" && status !== "STAGED" && status !== "DEPROVISIONED") {
    return new OktaApiError(
      403,
      "E0000016",
      "Activation failed because the user is already active",
      [{ errorSummary: `status: the user is ${status}` }],
    );
  }
  if (operation === "suspend") {
    return OktaApiError.validation([
      { field: "status", message: `Cannot suspend a user that is not active (it is ${status})` },
    ]);
  }
  if (operation === "unsuspend") {
    return OktaApiError.validation([
      {
        field: "status",
        message: `Cannot unsuspend a user that is not suspended (it is ${status})`,
      },
    ]);
  }
  return new OktaApiError(
    403,
    "E0000038",
    "This operation is not allowed in the user's current status.",
    [{ errorSummary: `status: ${operation} is not allowed for a ${status} user` }],
  );
}
