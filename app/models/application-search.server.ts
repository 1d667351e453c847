/**
 * The staff pages' search box over applications (assignment board, review results, similarity list):
 * one definition of what a search term matches, so every page finds the same applications.
 */
import type { Prisma } from "~/utils/db.server.ts";

/** Applications whose number (in any case), provider or enterprise name contains `q`. */
export function applicationMatching(q: string): Prisma.ApplicationWhereInput {
  return {
    OR: [
      { number: { contains: q, mode: "insensitive" } },
      { organisation: { name: { contains: q } } },
      { enterprise: { name: { contains: q } } },
    ],
  };
}
