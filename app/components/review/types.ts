/**
 * What the expert's review page (/expert/reviews/$assignmentId) hands its components: plain data made
 * by the route's loader from the expert's own assignment (R-REV-5).
 */
import type { ReviewInput } from "~/domain/scoring.ts";
import type { ApplicationSimilarityView } from "~/domain/similarity/evidence.ts";
import type { PassageHighlight } from "~/domain/similarity/report-layout.ts";

/** Which application is reviewed, as both the conflict check and the desk show it. */
export type ReviewSummary = {
  id: string;
  number: string;
  reportTitle: string;
  providerName: string;
  enterpriseName: string;
  roundName: string;
};

/** One uploaded material, listed and previewed beside the scoring form. */
export type ReviewMaterial = {
  fileId: string;
  fileName: string;
  contentType: string;
  material: string;
  label: string;
};

/** R-REV-3: the report's passages the copy check matched, to highlight in the viewer. */
export type ReportView = { fileId: string; highlights: PassageHighlight[] } | null;

/** The review desk: the materials and copy check on one side, the expert's score on the other. */
export type ReviewDeskData = {
  summary: ReviewSummary;
  similarity: ApplicationSimilarityView | null;
  reportView: ReportView;
  facts: {
    contractSignedOn: string;
    diagnosisCompletedOn: string;
    diagnosisDueOn: string | null;
    completionLate: boolean;
  };
  materials: ReviewMaterial[];
  reportFileId: string | null;
  review: { input: ReviewInput; version: number; status: "none" | "draft" | "submitted" };
  reviewId: string | null;
  reopenReason: string | null;
  submittedAt: string | null;
  allowHalfPoints: boolean;
  deadline: string | null;
  countdown: string | null;
  closed: boolean;
  frozen: boolean;
};
