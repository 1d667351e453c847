/**
 * npm run bench:upload — a 200 MB upload through the portal (production build, S3 driver) against a
 * direct @aws-sdk/lib-storage upload of the same bytes to the same S3 server (the floor), measured in
 * the same run on loopback; the server's resident memory growth during the upload; and the time to
 * generate a receipt, a pledge and a 100-application summary table.
 * Last line: RESULT throughput_ratio=<x> rss_growth_mb=<n> receipt_ms=<n> pledge_ms=<n> summary100_ms=<n>
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { fileURLToPath } from "node:url";

import { S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";

import { fenToYuanString } from "../app/domain/money.ts";
import { isValidUscc } from "../app/domain/uscc.ts";
import { buildPledge } from "../app/services/documents/pledge.server.ts";
import { buildReceipt } from "../app/services/documents/receipt.server.ts";
import { buildSummaryTable } from "../app/services/documents/summary-table.server.ts";
import { freePort, startPortal } from "./bench-support.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SIZE = 200 * 1024 * 1024;
const ROUNDS = 2;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "bench-upload-"));
const children: ChildProcess[] = [];

/** The same 200 MB every time: a PDF header, 1 MB blocks, a PDF trailer (so it sniffs as PDF). */
function* body(): Generator<Buffer> {
  const header = Buffer.from("%PDF-1.7\n");
  const trailer = Buffer.from("\n%%EOF\n");
  const block = Buffer.alloc(1024 * 1024, 0x20);
  yield header;
  let sent = header.length + trailer.length;
  while (sent < SIZE) {
    const piece = block.subarray(0, Math.min(block.length, SIZE - sent));
    sent += piece.length;
    yield piece;
  }
  yield trailer;
}

function rssMb(pid: number): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

function code(body17: string): string {
  for (const c of "0123456789ABCDEFGHJKLMNPQRTUWXY") if (isValidUscc(body17 + c)) return body17 + c;
  throw new Error("no check character");
}

async function main() {
  if (!fs.existsSync(path.join(root, "build/index.js"))) {
    console.log("building the production bundle…");
    spawnSync("npm", ["run", "-s", "build"], { cwd: root, stdio: "inherit" });
  }
  // The S3 server in its own process, so its memory is not the portal's.
  const s3Port = await freePort();
  const s3 = spawn(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import S3rver from "s3rver"; await new S3rver({ port: ${s3Port}, address: "127.0.0.1", directory: ${JSON.stringify(path.join(tmp, "s3"))}, silent: true }).run();`,
    ],
    { cwd: root, stdio: "inherit" },
  );
  children.push(s3);
  const endpoint = `http://127.0.0.1:${s3Port}`;

  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = path.join(tmp, "data");
  const portal = await startPortal({
    port,
    env: {
      DATA_DIR: dataDir,
      DATABASE_URL: "",
      DEMO: "1",
      MAX_UPLOAD_MB: "300",
      S3_ENDPOINT: endpoint,
      S3_BUCKET: "bench",
      S3_ACCESS_KEY_ID: "S3RVER",
      S3_SECRET_ACCESS_KEY: "S3RVER",
    },
  });
  children.push(portal);
  const pid = portal.pid ?? 0;

  // A demo provider, logged in, with a draft application.
  const account = fs
    .readFileSync(path.join(dataDir, "demo-accounts.txt"), "utf8")
    .split("\n")
    .find((l) => l.startsWith("provider\t"));
  const [, email = "", password = ""] = account?.split("\t") ?? [];
  const headers = { Origin: base, "Content-Type": "application/x-www-form-urlencoded" };
  const login = await fetch(`${base}/login`, {
    method: "POST",
    redirect: "manual",
    headers,
    body: new URLSearchParams({ email, password }),
  });
  const cookie = login.headers.get("set-cookie")?.split(";")[0] ?? "";
  const form = await (await fetch(`${base}/provider/applications/new`, { headers: { Cookie: cookie } })).text();
  const enterpriseId = /<option value="([a-z0-9]+)"/.exec(form)?.[1] ?? "";
  const created = await fetch(`${base}/provider/applications/new`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, Cookie: cookie },
    body: new URLSearchParams({
      enterpriseId,
      enterpriseUscc: code("91370303MA3BENCH0"),
      reportTitle: "基准测试诊断报告",
      contractAmount: "10000",
      contractSignedOn: "2026-11-02",
      diagnosisCompletedOn: "2026-11-20",
      eligibility: "on",
    }),
  });
  const applicationId = /\/provider\/applications\/([a-z0-9]+)/.exec(created.headers.get("location") ?? "")?.[1];
  if (!applicationId) throw new Error(`could not create an application (${created.status})`);

  async function warmUp() {
    const small = Buffer.concat([
      Buffer.from("%PDF-1.7\n"),
      Buffer.alloc(8 * 1024 * 1024, 0x20),
      Buffer.from("\n%%EOF\n"),
    ]);
    for (let i = 0; i < 2; i++) {
      const response = await fetch(`${base}/resources/applications/${applicationId}/materials?material=M8`, {
        method: "POST",
        headers: { Cookie: cookie, Origin: base, "Content-Type": "application/pdf", "X-File-Name": "warm.pdf" },
        body: small,
      });
      await response.text();
    }
  }

  async function viaPortal(): Promise<{ mbps: number; growthMb: number }> {
    const before = rssMb(pid);
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, rssMb(pid))), 50);
    const start = performance.now();
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        `${base}/resources/applications/${applicationId}/materials?material=M8`,
        {
          method: "POST",
          headers: {
            Cookie: cookie,
            Origin: base,
            "Content-Type": "application/pdf",
            "X-File-Name": encodeURIComponent("report.pdf"),
          },
        },
        (response) => {
          response.resume();
          response.on("end", () => resolve(response.statusCode ?? 0));
        },
      );
      request.on("error", reject);
      Readable.from(body()).pipe(request);
    });
    const seconds = (performance.now() - start) / 1000;
    clearInterval(sampler);
    if (status !== 200) throw new Error(`portal upload answered ${status}`);
    return { mbps: SIZE / 1024 / 1024 / seconds, growthMb: peak - before };
  }

  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    requestChecksumCalculation: "WHEN_REQUIRED",
  });
  async function direct(i: number): Promise<number> {
    const start = performance.now();
    await new Upload({
      client,
      params: { Bucket: "bench", Key: `direct-${i}`, Body: Readable.from(body()), ContentType: "application/pdf" },
    }).done();
    return SIZE / 1024 / 1024 / ((performance.now() - start) / 1000);
  }

  // Warm up both paths (code loaded, connections and buffers made) before measuring.
  await warmUp();
  const portalRuns: { mbps: number; growthMb: number }[] = [];
  const directRuns: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    directRuns.push(await direct(i));
    portalRuns.push(await viaPortal());
  }
  client.destroy();
  const portalBest = Math.max(...portalRuns.map((r) => r.mbps));
  const directBest = Math.max(...directRuns);
  const growth = Math.max(...portalRuns.map((r) => r.growthMb));
  const ratio = portalBest / directBest;
  console.log(
    `direct lib-storage upload: ${directRuns.map((r) => r.toFixed(1)).join(", ")} MB/s (best ${directBest.toFixed(1)})`,
  );
  console.log(
    `through the portal:        ${portalRuns.map((r) => r.mbps.toFixed(1)).join(", ")} MB/s (best ${portalBest.toFixed(1)})`,
  );
  console.log(`throughput ratio ${ratio.toFixed(2)} (goal ≥ 0.70: ${ratio >= 0.7 ? "met" : "NOT met"})`);
  console.log(
    `server RSS growth during upload: ${growth.toFixed(1)} MB (goal < 64 MB: ${growth < 64 ? "met" : "NOT met"})`,
  );

  // Documents, warm: one run to warm up, then the median of five.
  const party = { name: "中国联合网络通信有限公司淄博分公司", creditCode: code("91370303MA3BENCH1") };
  const enterprise = { name: "山东联美弹簧科技股份有限公司", creditCode: code("91370303MA3BENCH2") };
  const sha = "a".repeat(64);
  const timeIt = async (make: () => Promise<Uint8Array>) => {
    await make();
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const start = performance.now();
      await make();
      runs.push(performance.now() - start);
    }
    return Math.round(runs.sort((a, b) => a - b)[2] ?? 0);
  };
  const receiptMs = await timeIt(() =>
    buildReceipt({
      applicationNumber: "YS-0001",
      roundName: "【演示】智能化改造咨询诊断补助演示批次",
      provider: party,
      enterprise,
      submittedAt: "2026-11-23 10:00:00（北京时间）",
      files: Array.from({ length: 10 }, (_, i) => ({
        material: `M${(i % 9) + 1}`,
        fileName: `材料${i + 1}.pdf`,
        sha256: sha,
      })),
    }),
  );
  const pledgeMs = await timeIt(() =>
    buildPledge({
      roundName: "智能化改造咨询诊断补助",
      provider: party,
      enterprise,
      reportTitle: "智能化改造诊断报告",
      applicationNumber: "YS-0001",
    }),
  );
  const applications = Array.from({ length: 100 }, (_, i) => ({
    enterpriseName: `淄博第${i + 1}号制造有限公司`,
    enterpriseCreditCode: enterprise.creditCode,
    contractAmount: { amountFen: 1_000_000, amountText: fenToYuanString(1_000_000) },
    contractSignedOn: "2026-10-08",
    diagnosisCompletedOn: "2026-10-30",
    reportTitle: `第${i + 1}号企业智能化改造诊断报告`,
  }));
  const summaryMs = await timeIt(() =>
    buildSummaryTable({
      roundName: "智能化改造咨询诊断补助",
      provider: party,
      applications,
      totalContractAmount: { amountFen: 100_000_000, amountText: fenToYuanString(100_000_000) },
    }),
  );
  console.log(
    `receipt ${receiptMs} ms, pledge ${pledgeMs} ms (goal < 300 ms); summary of 100 ${summaryMs} ms (goal < 1000 ms)`,
  );
  console.log(
    `RESULT throughput_ratio=${ratio.toFixed(2)} rss_growth_mb=${Math.round(growth)} receipt_ms=${receiptMs} pledge_ms=${pledgeMs} summary100_ms=${summaryMs}`,
  );
}

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(() => {
    for (const child of children) child.kill("SIGTERM");
    setTimeout(() => fs.rmSync(tmp, { recursive: true, force: true }), 500);
  });
