/**
 * Child processes of the benchmarks: start one and wait for its ready line, stop it, read its
 * CPU time and memory from /proc (Linux).
 */
import { spawn } from "node:child_process";
import { once } from "node:events";
import { readdir, readFile } from "node:fs/promises";
import { createInterface } from "node:readline";

const CLOCK_TICKS_PER_S = 100;
const started = new Set();

/**
 * Spawns `node ...args`; resolves with the child and the match of the first stdout line that
 * matches `pattern`; rejects (with its stderr) if it exits first. Its stdout keeps draining.
 */
export async function spawnUntil(args, pattern, options = {}) {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], ...options });
  started.add(child);
  child.once("exit", () => started.delete(child));
  const lines = createInterface({ input: child.stdout });
  let stderr = "";
  child.stderr.on("data", (chunk) => {
    stderr += chunk;
  });
  const match = await new Promise((resolve, reject) => {
    lines.on("line", (line) => {
      const found = pattern.exec(line);
      if (found !== null) resolve(found);
    });
    child.once("exit", (code) => reject(new Error(`${args.join(" ")} exited ${code}: ${stderr}`)));
  });
  return { child, match };
}

/** Stops a child (SIGINT, which every hooktap command and bench server handles) and waits. */
export async function stop(child, signal = "SIGINT") {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  await once(child, "exit");
}

/** Stops every child {@link spawnUntil} started that is still running. */
export async function stopAll() {
  for (const child of [...started]) await stop(child).catch(() => {});
}

/** Resident memory of a process, in KiB. */
export async function rssKb(pid) {
  const status = await readFile(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? Number.NaN);
}

/** User + system CPU time in a /proc `stat` file's text, in microseconds. */
function statCpuUs(stat) {
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return ((Number(fields[11]) + Number(fields[12])) * 1e6) / CLOCK_TICKS_PER_S;
}

/** User + system CPU time of a process so far, in microseconds. */
export async function cpuUs(pid) {
  return statCpuUs(await readFile(`/proc/${pid}/stat`, "utf8"));
}

/**
 * User + system CPU time of a process so far, in microseconds, split by thread: its main
 * thread (the event loop) and all the others together (worker threads, V8's GC helpers, the
 * libuv pool). Threads that ended are not counted.
 */
export async function threadCpuUs(pid) {
  let main = 0;
  let others = 0;
  for (const tid of await readdir(`/proc/${pid}/task`)) {
    const us = statCpuUs(await readFile(`/proc/${pid}/task/${tid}/stat`, "utf8").catch(() => ""));
    if (Number.isNaN(us)) continue;
    if (Number(tid) === pid) main = us;
    else others += us;
  }
  return { main, others };
}
