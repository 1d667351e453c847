/** Previous / next links of a paged list, with "page n of m" and, when given, the total. Nothing for one page. */
import { Link, useSearchParams } from "@remix-run/react";

export function Pagination({
  page,
  pages,
  total,
  href,
}: {
  page: number;
  pages: number;
  total?: string;
  /** Where page n is; by default the same address with its `page` parameter set to n. */
  href?: (page: number) => string;
}) {
  const [params] = useSearchParams();
  if (pages <= 1) return null;
  const current = Math.min(page, pages);
  const pageHref =
    href ??
    ((n: number) => {
      const next = new URLSearchParams(params);
      next.set("page", String(n));
      return `?${next.toString()}`;
    });
  return (
    <nav className="pagination" aria-label="分页">
      {current > 1 ? <Link to={pageHref(current - 1)}>上一页</Link> : null}
      <span>
        第 {current} / {pages} 页{total ? `，${total}` : ""}
      </span>
      {current < pages ? <Link to={pageHref(current + 1)}>下一页</Link> : null}
    </nav>
  );
}
