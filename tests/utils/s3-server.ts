/** A real S3 API server for tests: s3rver on loopback, backed by a temporary folder (STACK.md). */
import fs from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";

import S3rver from "s3rver";

import { TMP } from "./test-database.ts";

export async function startS3(): Promise<{ endpoint: string; stop: () => Promise<void> }> {
  const directory = fs.mkdtempSync(path.join(TMP, "data-s3-"));
  const server = new S3rver({ port: 0, address: "127.0.0.1", directory, silent: true });
  const address: AddressInfo = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    stop: async () => {
      await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}
