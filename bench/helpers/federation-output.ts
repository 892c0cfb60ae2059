import type { LogSummary } from "./bench-node.ts";
import type { FanoutResult, FanoutRound } from "./fanout-scenario.ts";
import type { InboundResult, InboundRound } from "./inbound-scenario.ts";
import { cpuBoundRate, describeCosts, fixed, median, percent, table } from "./report.ts";
import type { SignatureBaseline } from "./signature-baseline.ts";

/** What bench/federation.ts prints after the runs: the tables, the cost breakdowns and the aims. */

export interface OutputSettings {
  readonly cores: number;
  /** The time limit of each inbound run. */
  readonly seconds: number;
  readonly aimDeliveries: number;
  readonly aimInbound: number;
}

export function printBaseline(s: OutputSettings, b: SignatureBaseline): void {
  const ceiling = (ms: number) => fixed((s.cores * 1000) / ms, 0);
  console.log(`Baseline: bare signature operations, one at a time in this process (${b.iterations} each; LD ones ${Math.ceil(b.iterations / 10)})`);
  console.log(
    table(
      ["operation", "ms/op", `ceiling on ${s.cores} cores (ops/s)`],
      [
        ["RSA-2048 PKCS#1 v1.5 SHA-256 sign (WebCrypto)", fixed(b.rsaSignMs, 3), ceiling(b.rsaSignMs)],
        ["Fedify signRequest of a 2 KB inbox POST", fixed(b.signRequestMs, 3), ceiling(b.signRequestMs)],
        ["RSA-2048 verify (WebCrypto)", fixed(b.rsaVerifyMs, 3), ceiling(b.rsaVerifyMs)],
        ["Fedify verifyRequest of that POST (key cached)", fixed(b.verifyRequestMs, 3), ceiling(b.verifyRequestMs)],
        ["Fedify signJsonLd (LD signature, once per activity)", fixed(b.ldSignMs, 3), ceiling(b.ldSignMs)],
        ["Fedify verifyJsonLd (LD signature check)", fixed(b.ldVerifyMs, 3), ceiling(b.ldVerifyMs)],
      ],
    ),
  );
  console.log();
}

export function fanoutRows(s: OutputSettings, result: FanoutResult, b: SignatureBaseline): string[][] {
  const signatureCeiling = (s.cores * 1000) / b.signRequestMs;
  return (["shared", "personal"] as const).flatMap((audience) => {
    const rounds = result.rounds.filter((r) => r.audience === audience);
    if (rounds.length === 0) return [];
    const rate = median(rounds.map((r) => (r.received.total / r.wallMs) * 1000));
    const per = (pick: (r: FanoutRound) => number | undefined) => {
      const values = rounds.map((r) => pick(r)).filter((v): v is number => v !== undefined);
      return values.length === 0 ? undefined : median(values);
    };
    const sender = per((r) => r.senderCpuMs / r.received.total)!;
    const dbServer = per((r) => (r.dbServerCpuMs === undefined ? undefined : r.dbServerCpuMs / r.received.total));
    const incomplete = rounds.some((r) => r.received.total < r.expected || r.received.unsigned > 0 || !r.drained || r.dead > 0);
    return [[
      result.engine,
      audience,
      `${median(rounds.map((r) => r.received.total))}${incomplete ? "!" : ""}`,
      fixed(per((r) => r.wallMs / 1000), 2),
      fixed(rate, 0),
      fixed(per((r) => r.firstMs), 0),
      fixed(sender, 2),
      fixed(dbServer, 2),
      fixed(per((r) => r.sinkCpuMs / r.received.total), 2),
      percent(rate, signatureCeiling),
      fixed(cpuBoundRate(s.cores, sender, b.rsaSignMs, dbServer, result.processes), 0),
    ]];
  });
}

export function inboundRows(s: OutputSettings, result: InboundResult, b: SignatureBaseline): string[][] {
  return result.rounds.map((r: InboundRound) => {
    const accepted = r.acceptMs > 0 ? (r.accepted / r.acceptMs) * 1000 : 0;
    const stored = r.stored > 0 && r.storeMs > 0 ? (r.stored / r.storeMs) * 1000 : 0;
    const verifyMs = b.verifyRequestMs + (r.kind === "create" ? b.ldVerifyMs : 0);
    const receiver = r.receiverCpuMs / Math.max(1, r.accepted);
    const dbServer = r.dbServerCpuMs === undefined ? undefined : r.dbServerCpuMs / Math.max(1, r.accepted);
    const complete = r.accepted === r.sent && r.stored === r.accepted;
    return [
      result.engine,
      r.kind === "like" ? "Like" : "Create(reply)",
      `${r.accepted}/${r.sent}${complete ? "" : "!"}`,
      fixed(accepted, 0),
      fixed(stored, 0),
      fixed(receiver, 2),
      fixed(dbServer, 2),
      `${fixed(r.p50, 0)}/${fixed(r.p95, 0)}`,
      percent(stored, (s.cores * 1000) / verifyMs),
      fixed(cpuBoundRate(s.cores, receiver, b.rsaVerifyMs * (r.kind === "like" ? 1 : 2), dbServer, result.processes), 0),
    ];
  });
}

export function printProblems(s: OutputSettings, fanouts: readonly FanoutResult[], inbounds: readonly InboundResult[]): void {
  const problems: string[] = [];
  for (const f of fanouts) {
    for (const r of [...f.rounds, ...Object.values(f.profiles).map((p) => p.round)]) {
      if (r.received.total < r.expected) problems.push(`${f.engine} ${r.audience}: ${r.received.total} of ${r.expected} deliveries arrived`);
      if (r.received.distinctInboxes !== r.expected) problems.push(`${f.engine} ${r.audience}: ${r.received.distinctInboxes} distinct inboxes, expected ${r.expected}`);
      if (r.received.unsigned > 0) problems.push(`${f.engine} ${r.audience}: ${r.received.unsigned} deliveries without a signature`);
      if (!r.drained || r.dead > 0) problems.push(`${f.engine} ${r.audience}: queues not drained (${r.dead} dead-lettered)`);
    }
  }
  for (const i of inbounds) {
    for (const r of i.rounds) {
      if (r.accepted < r.sent) problems.push(`${i.engine} ${r.kind}: ${r.sent - r.accepted} of ${r.sent} not accepted (${JSON.stringify(r.statuses)}; first: ${r.firstError})`);
      if (r.stored < r.accepted) problems.push(`${i.engine} ${r.kind}: ${r.stored} of ${r.accepted} accepted were stored (queues after: ${JSON.stringify(r.queuedAfter)})`);
    }
  }
  const limited = inbounds.flatMap((i) => i.rounds.filter((r) => r.sent < r.prepared).map((r) => `${i.engine} ${r.kind}: ${r.sent} of ${r.prepared} sent`));
  if (limited.length > 0) console.log(`  stopped at the ${s.seconds} s limit: ${limited.join("; ")}`);
  if (problems.length > 0) console.log(`\n! ${problems.join("\n! ")}`);
}

/** Prints one block per profiled round; returns "scenario: largest cost" lines for the summary. */
export function printProfiles(fanouts: readonly FanoutResult[], inbounds: readonly InboundResult[], b: SignatureBaseline): string[] {
  const largest: string[] = [];
  const show = (title: string, described: { text: string; largest: string }) => {
    if (largest.length === 0) {
      console.log("\nWhere the CPU goes (one profiled round each; main-thread samples scaled to CPU, plus signing on the thread pool and the database server)\n");
    }
    console.log(`${described.text}\n`);
    largest.push(`${title}: ${described.largest}`);
  };
  for (const f of fanouts) {
    for (const [audience, p] of Object.entries(f.profiles)) {
      const units = p.round.received.total;
      const title = `Sender, ${f.engine}, ${audience} inboxes`;
      show(title, describeCosts(title, {
        unit: "delivery",
        units: "deliveries",
        count: units,
        profile: p.profile,
        cpuPerUnit: p.round.senderCpuMs / units,
        offThreadSignatureMs: b.rsaSignMs,
        offThreadLabel: "RSA signing of each request on the libuv pool (1 × baseline)",
        dbServerPerUnit: p.round.dbServerCpuMs === undefined ? undefined : p.round.dbServerCpuMs / units,
        db: p.round.db,
      }));
    }
  }
  for (const i of inbounds) {
    for (const [kind, p] of Object.entries(i.profiles)) {
      const units = Math.max(1, p.round.accepted);
      const title = `Receiver, ${i.engine}, ${kind === "like" ? "Likes" : "Create(Note) replies"}`;
      show(title, describeCosts(title, {
        unit: kind === "like" ? "Like" : "Create",
        units: kind === "like" ? "Likes" : "Creates",
        count: units,
        profile: p.profile,
        cpuPerUnit: p.round.receiverCpuMs / units,
        offThreadSignatureMs: b.rsaVerifyMs * (kind === "like" ? 1 : 2),
        offThreadLabel: `RSA verification on the libuv pool (${kind === "like" ? 1 : 2} × baseline)`,
        dbServerPerUnit: p.round.dbServerCpuMs === undefined ? undefined : p.round.dbServerCpuMs / units,
        db: p.round.db,
      }));
    }
  }
  return largest;
}

export function printAims(s: OutputSettings, fanouts: readonly FanoutResult[], inbounds: readonly InboundResult[]): void {
  const lines: string[] = [];
  for (const f of fanouts) {
    for (const audience of ["shared", "personal"] as const) {
      const rounds = f.rounds.filter((r) => r.audience === audience);
      if (rounds.length === 0) continue;
      const rate = median(rounds.map((r) => (r.received.total / r.wallMs) * 1000));
      lines.push(`fan-out ${f.engine}, ${audience} inboxes: ${fixed(rate, 0)} deliveries/s = ${percent(rate, s.aimDeliveries)} of ${s.aimDeliveries}/s${rate >= s.aimDeliveries ? " (met)" : ` (missed by ${fixed(s.aimDeliveries - rate, 0)}/s)`}`);
    }
  }
  for (const i of inbounds) {
    for (const r of i.rounds) {
      const rate = r.stored > 0 && r.storeMs > 0 ? (r.stored / r.storeMs) * 1000 : 0;
      lines.push(`inbound ${i.engine}, ${r.kind}: ${fixed(rate, 0)} stored/s = ${percent(rate, s.aimInbound)} of ${s.aimInbound}/s${rate >= s.aimInbound ? " (met)" : ` (missed by ${fixed(s.aimInbound - rate, 0)}/s)`}`);
    }
  }
  console.log(`Aims on ${s.cores} cores (≥ ${s.aimDeliveries} deliveries/s, ≥ ${s.aimInbound} inbound activities/s):\n  ${lines.join("\n  ")}`);
}

export function printLogs(results: readonly { engine: string; logs: LogSummary }[], role: string): void {
  for (const r of results) {
    for (const [key, { count: n, first }] of Object.entries(r.logs)) console.log(`  ${role} ${r.engine}: ${n} × ${key}: ${first}`);
  }
}
