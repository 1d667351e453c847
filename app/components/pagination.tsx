/** Previous / next links of a paged list, with "page n of m" and, when given, the total. Nothing for one page. */
import { Link } from "@remix-run/react";

export function Pagination({
  page,
  pages,
  total,
  href,
}: {
  page: number;
  pages: number;
  total?: string;
  href: (page: number) => string;
}) {
  if (pages <= 1) return null;
  const current = Math.min(page, pages);
  return (
    <nav className="pagination" aria-label="分页">
      {current > 1 ? <Link to={href(current - 1)}>上一页</Link> : null}
      <span>
        第 {current} / {pages} 页{total ? `，${total}` : ""}
      </span>
      {current < pages ? <Link to={href(current + 1)}>下一页</Link> : null}
    </nav>
  );
}
