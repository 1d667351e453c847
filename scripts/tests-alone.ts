/**
 * Runs every database test by itself, one `vitest run <file> -t "^<full name>$"` process per test, one at a
 * time, and reports the tests that fail when run alone (a test that leans on a batch, review or version
 * another test made, or on the order of tests). Not part of `npm test`: a full pass takes about an hour.
 *
 *   npx tsx scripts/tests-alone.ts [--pglite-only] [--all] [--names <file>] [file ...]
 *
 * - files: the test files to list (default: tests/integration/ and every app/ test that opens a database);
 * - --all: every test file of the vitest config, database or not;
 * - --pglite-only: leave out the PostgreSQL variant of `describe.each(VARIANTS)` tests (named "… on postgres"),
 *   and run the rest without TEST_POSTGRES_URL (no PostgreSQL template is migrated), except the files that
 *   use PostgreSQL by themselves (migrations, several instances, the audit role);
 * - --names <file>: run only the tests whose full names (as printed in the failure list) the file holds,
 *   one a line, to re-run the failures of a previous pass.
 *
 * Each test passes alone when its process exits 0 and vitest reports exactly that one test as passed.
 * Prints `RESULT tests=<n> pass_alone=<n> fail_alone=<n>`, then the failing names.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "..");
const vitestBin = path.join(root, "node_modules", "vitest", "vitest.mjs");
const config = "tests/vitest.config.ts";
/** The separator `vitest list` puts between a test's suites and its name; `-t` matches them joined by spaces. */
const LIST_SEPARATOR = " > ";

type Listed = { name: string; file: string };
type Outcome = "passed" | "failed" | "skipped" | "unmatched";

function parseArgs(argv: string[]) {
  const options = { pgliteOnly: false, all: false, names: undefined as string | undefined, files: [] as string[] };
  const rest = [...argv];
  for (let arg = rest.shift(); arg !== undefined; arg = rest.shift()) {
    if (arg === "--pglite-only") options.pgliteOnly = true;
    else if (arg === "--all") options.all = true;
    else if (arg === "--names") options.names = rest.shift();
    else if (arg.startsWith("--")) throw new Error(`unknown option ${arg}`);
    else options.files.push(arg);
  }
  return options;
}

/** Test files that open a database: the integration folder, and any app/ test using the test databases. */
function databaseTestFiles(): string[] {
  const files = fs
    .readdirSync(path.join(root, "tests", "integration"))
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => path.join("tests", "integration", name));
  const walk = (dir: string): string[] =>
    fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
      const relative = path.join(dir, entry.name);
      if (entry.isDirectory()) return entry.name === "generated" ? [] : walk(relative);
      return entry.name.endsWith(".test.ts") ? [relative] : [];
    });
  const opensDatabase = /test-database|useFreshDatabase|openDatabase\(/;
  for (const file of walk("app"))
    if (opensDatabase.test(fs.readFileSync(path.join(root, file), "utf8"))) files.push(file);
  return files.sort();
}

/** A file that talks to PostgreSQL outside the `VARIANTS` split (it needs TEST_POSTGRES_URL even on --pglite-only). */
function usesPostgres(file: string): boolean {
  return /TEST_POSTGRES|postgresAdminUrl|postgresUrlFor|adminQuery|PG_PREFIX/.test(
    fs.readFileSync(path.join(root, file), "utf8"),
  );
}

function vitest(args: string[], env: NodeJS.ProcessEnv) {
  return spawnSync("nice", ["-n", "19", process.execPath, vitestBin, ...args, "--config", config], {
    cwd: root,
    env,
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
}

function listTests(files: string[]): Listed[] {
  const out = path.join(os.tmpdir(), `tests-alone-list-${process.pid}.json`);
  const result = vitest(["list", `--json=${out}`, ...files], process.env);
  if (!fs.existsSync(out)) throw new Error(`vitest list failed:\n${result.stdout}\n${result.stderr}`);
  const listed = JSON.parse(fs.readFileSync(out, "utf8")) as Listed[];
  fs.rmSync(out);
  return listed.map((test) => ({ name: test.name, file: path.relative(root, test.file) }));
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

type JsonReport = {
  testResults: { assertionResults: { fullName: string; status: string }[]; message?: string }[];
};

/** Runs one test alone; returns its outcome and, when it did not pass, what vitest printed. */
function runAlone(test: Listed, env: NodeJS.ProcessEnv): { outcome: Outcome; output: string; seconds: number } {
  const fullName = test.name.split(LIST_SEPARATOR).join(" ");
  const report = path.join(os.tmpdir(), `tests-alone-report-${process.pid}.json`);
  fs.rmSync(report, { force: true });
  const started = Date.now();
  const result = vitest(
    [
      "run",
      test.file,
      "-t",
      `^${escapeRegExp(fullName)}$`,
      "--reporter=default",
      "--reporter=json",
      `--outputFile.json=${report}`,
    ],
    env,
  );
  const seconds = (Date.now() - started) / 1000;
  const output = `${result.stdout}\n${result.stderr}`;
  if (!fs.existsSync(report)) return { outcome: "failed", output, seconds };
  const parsed = JSON.parse(fs.readFileSync(report, "utf8")) as JsonReport;
  const ran = parsed.testResults
    .flatMap((file) => file.assertionResults)
    .filter((a) => a.status !== "skipped" && a.status !== "pending");
  const all = parsed.testResults.flatMap((file) => file.assertionResults).filter((a) => a.fullName === fullName);
  if (ran.length === 0 && all.length === 1 && result.status === 0) return { outcome: "skipped", output, seconds };
  // Nothing ran and vitest failed: a hook (beforeAll) or the file itself failed, which is a failure too.
  if (ran.length !== 1)
    return { outcome: ran.length === 0 && result.status === 0 ? "unmatched" : "failed", output, seconds };
  const passed = result.status === 0 && ran[0]?.status === "passed";
  return { outcome: passed ? "passed" : "failed", output, seconds };
}

function main() {
  const options = parseArgs(process.argv.slice(2));
  const files = options.files.length > 0 ? options.files : options.all ? [] : databaseTestFiles();
  let tests = listTests(files);
  const excluded = options.pgliteOnly ? tests.filter((t) => / on postgres( |$)/.test(t.name)) : [];
  tests = tests.filter((t) => !excluded.includes(t));
  if (options.names) {
    const wanted = new Set(
      fs
        .readFileSync(options.names, "utf8")
        .split("\n")
        .map((line) => line.trim())
        .filter(Boolean),
    );
    tests = tests.filter((t) => wanted.has(`${t.file} :: ${t.name}`));
  }
  // The files that start portal processes take minutes per test: they run last, the database tests first.
  const startsPortal = (file: string) => /portal-process|spawn\(/.test(fs.readFileSync(path.join(root, file), "utf8"));
  tests = [...tests.filter((t) => !startsPortal(t.file)), ...tests.filter((t) => startsPortal(t.file))];
  console.log(
    `${tests.length} tests to run alone${excluded.length > 0 ? ` (${excluded.length} PostgreSQL variants left out)` : ""}`,
  );

  const failed: string[] = [];
  const skipped: string[] = [];
  let passed = 0;
  tests.forEach((test, index) => {
    const env = { ...process.env };
    if (options.pgliteOnly && (/ on pglite( |$)/.test(test.name) || !usesPostgres(test.file))) {
      delete env.TEST_POSTGRES_URL;
      delete env.TEST_POSTGRES_RUNTIME_URL;
    }
    const label = `${test.file} :: ${test.name}`;
    const { outcome, output, seconds } = runAlone(test, env);
    console.log(`[${index + 1}/${tests.length}] ${outcome.toUpperCase()} ${seconds.toFixed(1)}s ${label}`);
    if (outcome === "passed") passed++;
    else if (outcome === "skipped") skipped.push(label);
    else {
      failed.push(label);
      console.log(output.split("\n").slice(-60).join("\n"));
    }
  });

  console.log(`RESULT tests=${tests.length} pass_alone=${passed} fail_alone=${failed.length}`);
  if (skipped.length > 0) console.log(`skipped by the test itself (${skipped.length}):\n${skipped.join("\n")}`);
  if (failed.length > 0) console.log(`failing alone:\n${failed.join("\n")}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main();
