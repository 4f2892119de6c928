/** Self-signed certificates for TLS tests, made with the system's openssl at test time. */
import { spawnSync } from "node:child_process";
import { join } from "node:path";

/** True when an `openssl` binary can be run. */
export const HAS_OPENSSL = spawnSync("openssl", ["version"]).status === 0;

/**
 * Writes a self-signed certificate for localhost and 127.0.0.1 (valid one day) into `dir`.
 *
 * @example
 * const { cert, key } = makeCertificate(dir); // paths of cert.pem and key.pem
 */
export function makeCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const result = spawnSync(
    "openssl",
    [
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-days",
      "1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { encoding: "utf8" },
  );
  if (result.status !== 0) throw new Error(`openssl failed: ${result.stderr}`);
  return { cert, key };
}
