/** The round (批次) chooser of the staff pages' filter forms; demo rounds are marked 【演示】 (once). */
import { roundLabel } from "~/domain/labels.ts";

export function RoundField({
  rounds,
  value,
}: {
  rounds: readonly { id: string; name: string; isDemo?: boolean }[];
  value: string;
}) {
  return (
    <div className="field">
      <label htmlFor="round">批次</label>
      <select id="round" name="round" defaultValue={value}>
        {rounds.map((r) => (
          <option key={r.id} value={r.id}>
            {roundLabel(r)}
          </option>
        ))}
      </select>
    </div>
  );
}
