/**
 * Runs every database test by itself and reports the tests that fail when run alone (a test that leans on
 * a batch, review or version another test made, or on the order of tests). Not part of `npm test`.
 *
 *   npx tsx scripts/tests-alone.ts [--pglite-only] [--one-per-process] [--all] [--names <file>] [file ...]
 *
 * How a test runs alone: as the only test of its file (`-t "^<its full name>$"`), in a fresh process (vitest
 * forks one per file, `isolate`), on the fresh database its file's beforeAll makes, files one at a time
 * (`--no-file-parallelism`). By default one vitest run takes the k-th test of every file at once ("rounds":
 * each test still the only one of its file, process and database, but vitest starts and transforms once per
 * round instead of once per test); --one-per-process starts one vitest per test, the strictest and slowest.
 *
 * - files: the test files to list (default: tests/integration/ and every app/ test that opens a database);
 * - --all: every test file of the vitest config, database or not;
 * - --pglite-only: leave out the PostgreSQL variant of `describe.each(VARIANTS)` tests (named "… on postgres"),
 *   and run the rest without TEST_POSTGRES_URL (no PostgreSQL template is migrated), except the files that
 *   use PostgreSQL by themselves (portal processes, backup, migrations, the audit role);
 * - --names <file>: run only the tests whose labels (`<file> :: <name>`, as the failure list prints them)
 *   the file holds, one a line, to re-run the failures of a previous pass.
 *
 * A test passes alone when vitest reports it passed and its file had no failing hook.
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
  const options = {
    pgliteOnly: false,
    onePerProcess: false,
    all: false,
    names: undefined as string | undefined,
    files: [] as string[],
  };
  const rest = [...argv];
  for (let arg = rest.shift(); arg !== undefined; arg = rest.shift()) {
    if (arg === "--pglite-only") options.pgliteOnly = true;
    else if (arg === "--all") options.all = true;
    else if (arg === "--one-per-process") options.onePerProcess = true;
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

/**
 * A file that talks to PostgreSQL outside the `VARIANTS` split (a portal process on PostgreSQL, a backup from
 * it, the migrations on both): it needs TEST_POSTGRES_URL even with --pglite-only, PGlite tests included.
 */
function usesPostgres(file: string): boolean {
  return /TEST_POSTGRES|postgresAdminUrl|postgresUrlFor|adminQuery|PG_PREFIX|"postgres"|portal-process/.test(
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
  testResults: {
    name: string;
    status: string;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages?: string[] }[];
  }[];
};

const fullNameOf = (test: Listed) => test.name.split(LIST_SEPARATOR).join(" ");
const labelOf = (test: Listed) => `${test.file} :: ${test.name}`;

type Verdict = { outcome: Outcome; detail: string };

/**
 * One vitest run of the given tests, at most one per file (each then the only test of its file, process and
 * database), files one at a time. Returns each test's verdict.
 */
function runTogether(tests: Listed[], env: NodeJS.ProcessEnv): Map<Listed, Verdict> {
  const report = path.join(os.tmpdir(), `tests-alone-report-${process.pid}.json`);
  fs.rmSync(report, { force: true });
  const pattern = `^(${tests.map((t) => escapeRegExp(fullNameOf(t))).join("|")})$`;
  const files = [...new Set(tests.map((t) => t.file))];
  const result = vitest(
    ["run", ...files, "-t", pattern, "--no-file-parallelism", "--reporter=json", `--outputFile.json=${report}`],
    env,
  );
  const output = `${result.stdout}\n${result.stderr}`.split("\n").slice(-60).join("\n");
  const verdicts = new Map<Listed, Verdict>();
  const parsed = fs.existsSync(report) ? (JSON.parse(fs.readFileSync(report, "utf8")) as JsonReport) : undefined;
  for (const test of tests) {
    const file = parsed?.testResults.find((f) => path.relative(root, f.name) === test.file);
    const ran = file?.assertionResults.filter((a) => a.status !== "skipped" && a.status !== "pending") ?? [];
    const mine = file?.assertionResults.find((a) => a.fullName === fullNameOf(test));
    // A failing hook (beforeAll, afterAll, the console.error check) fails the file: the test did not pass alone.
    const fileFailed = !file || file.status === "failed";
    const detail = [file?.message ?? "", ...(mine?.failureMessages ?? [])].join("\n").trim() || output;
    if (ran.length > 1) verdicts.set(test, { outcome: "failed", detail: `${ran.length} tests matched its name` });
    else if (mine?.status === "passed" && !fileFailed) verdicts.set(test, { outcome: "passed", detail: "" });
    else if (mine?.status === "skipped" && !fileFailed) verdicts.set(test, { outcome: "skipped", detail: "" });
    else if (!mine && !fileFailed) verdicts.set(test, { outcome: "unmatched", detail: output });
    else verdicts.set(test, { outcome: "failed", detail: detail.split("\n").slice(0, 40).join("\n") });
  }
  return verdicts;
}

/** The k-th test of every file, for k = 1, 2, …: each batch holds at most one test per file. */
function rounds(tests: Listed[]): Listed[][] {
  const byFile = new Map<string, Listed[]>();
  for (const test of tests) byFile.set(test.file, [...(byFile.get(test.file) ?? []), test]);
  const batches: Listed[][] = [];
  for (const fileTests of byFile.values())
    fileTests.forEach((test, k) => {
      batches[k] = [...(batches[k] ?? []), test];
    });
  return batches;
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
    tests = tests.filter((t) => wanted.has(labelOf(t)));
  }
  console.log(
    `${tests.length} tests to run alone${excluded.length > 0 ? ` (${excluded.length} PostgreSQL variants left out)` : ""}`,
  );

  // Without PostgreSQL where the test does not need it (--pglite-only), with it where it does.
  const withoutPostgres = (test: Listed) => options.pgliteOnly && !usesPostgres(test.file);
  const envFor = (postgres: boolean) => {
    const env = { ...process.env };
    if (!postgres) {
      delete env.TEST_POSTGRES_URL;
      delete env.TEST_POSTGRES_RUNTIME_URL;
    }
    return env;
  };
  const batches: { tests: Listed[]; env: NodeJS.ProcessEnv }[] = [];
  for (const postgres of [false, true]) {
    const group = tests.filter((t) => withoutPostgres(t) !== postgres);
    const split = options.onePerProcess ? group.map((t) => [t]) : rounds(group);
    for (const batch of split) batches.push({ tests: batch, env: envFor(postgres) });
  }

  const failed: string[] = [];
  const skipped: string[] = [];
  let passed = 0;
  let done = 0;
  for (const [index, batch] of batches.entries()) {
    const started = Date.now();
    const verdicts = runTogether(batch.tests, batch.env);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(`run ${index + 1}/${batches.length}: ${batch.tests.length} tests, ${seconds}s`);
    for (const [test, { outcome, detail }] of verdicts) {
      done++;
      console.log(`[${done}/${tests.length}] ${outcome.toUpperCase()} ${labelOf(test)}`);
      if (outcome === "passed") passed++;
      else if (outcome === "skipped") skipped.push(labelOf(test));
      else {
        failed.push(labelOf(test));
        console.log(detail.replace(/^/gm, "    "));
      }
    }
  }

  console.log(`RESULT tests=${tests.length} pass_alone=${passed} fail_alone=${failed.length}`);
  if (skipped.length > 0) console.log(`skipped by the test itself (${skipped.length}):\n${skipped.join("\n")}`);
  if (failed.length > 0) console.log(`failing alone:\n${failed.join("\n")}`);
  process.exitCode = failed.length > 0 ? 1 : 0;
}

main();
