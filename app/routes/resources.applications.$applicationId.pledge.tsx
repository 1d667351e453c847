import type { LoaderFunctionArgs } from "@remix-run/node";

import { getOwnApplication } from "~/models/application.server.ts";
import { pledgePdf } from "~/models/application-documents.server.ts";
import { requireVerifiedProvider } from "~/utils/session.server.ts";

/** M9: the authenticity pledge pre-filled with both parties and the report title, for signing and sealing. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireVerifiedProvider(request);
  const application = await getOwnApplication(
    { userId: user.id, userName: user.name, organisationId: user.organisation.id },
    params.applicationId ?? "",
  );
  if (!application) throw new Response("申报不存在。", { status: 404 });
  const pdf = await pledgePdf(application);
  return new Response(Buffer.from(pdf), {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(`真实性承诺书-${application.number}.pdf`)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
